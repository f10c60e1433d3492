/**
 * Binomial and k-nomial tree shapes as MPICH and MVAPICH2 walk them, in ranks relative
 * to the root (relative rank = (rank - root + P) mod P).
 */

/** Lowest set bit of a relative rank (its distance to its binomial parent); P for the root. */
export function binomialLowBit(rel: number, P: number): number {
  if (rel === 0) {
    let m = 1;
    while (m < P) m *= 2;
    return m;
  }
  return rel & -rel;
}

/**
 * Children of `rel` in MPICH's binomial tree in the order a bcast or scatter sends to
 * them: mask from the largest below its low bit down to 1 (MPIR_Bcast_intra_binomial).
 */
export function binomialChildren(rel: number, P: number): number[] {
  const children: number[] = [];
  for (let mask = binomialLowBit(rel, P) / 2; mask >= 1; mask /= 2) {
    if (rel + mask < P) children.push(rel + mask);
  }
  return children;
}

/** Ranks in the binomial subtree rooted at `rel` (itself included). */
export function binomialSubtree(rel: number, P: number): number {
  return Math.min(binomialLowBit(rel, P), P - rel);
}

/**
 * k-nomial tree of MVAPICH2's knomial bcast (MPIR_Knomial_Bcast_intra_MV2): `rel`'s
 * parent is rel with its lowest nonzero base-k digit cleared; its children are
 * rel + j*mask for mask = k^i below that digit's place, largest mask first, j = 1..k-1.
 */
export function knomialChildren(rel: number, P: number, k: number): number[] {
  let mask = 1;
  while (mask < P && rel % (k * mask) === 0) mask *= k;
  // mask is now the place of rel's lowest nonzero digit (or >= P for the root).
  const children: number[] = [];
  for (mask = rel === 0 ? largestPower(P, k) : mask / k; mask >= 1; mask /= k) {
    for (let j = 1; j < k; j++) if (rel + j * mask < P) children.push(rel + j * mask);
  }
  return children;
}

function largestPower(P: number, k: number): number {
  let m = 1;
  while (m * k < P) m *= k;
  return m;
}

export function knomialParent(rel: number, k: number): number {
  let mask = 1;
  while (rel % (k * mask) === 0) mask *= k;
  return rel - (rel % (k * mask));
}
