/**
 * Level profiles of a scale too large to generate here, from a generated smaller one.
 * A Kronecker graph of scale S + k has 2^k times the vertices and edges of scale S with
 * the same initiator, and with permuted labels the owner classes v mod P stay uniform;
 * the BFS depth grows slowly (about one level per several scales). So, first order:
 * each root's levels keep their count and every count (frontier, entries scanned, pairs
 * between each two rank classes, edges of the component, vertices reached) is multiplied
 * by 2^k. What does not scale is left alone: the per-level fixed costs (end-of-level
 * exchange, allreduce) are the time model's, not the profile's. The tests compare this
 * with generated scales where both exist and print the error; the answer is flagged as
 * extrapolated wherever it is printed.
 */
import type { GraphProfile } from './profile.js';

export interface ExtrapolatedProfile extends GraphProfile {
  /** The generated scale the profile was scaled from. */
  extrapolatedFrom: number;
}

export function extrapolateProfile(base: GraphProfile, scale: number): ExtrapolatedProfile {
  const k = scale - base.key.scale;
  if (!Number.isSafeInteger(k) || k < 0)
    throw new RangeError(`cannot extrapolate scale ${base.key.scale} down to ${scale}`);
  const f = 2 ** k;
  return {
    key: { ...base.key, scale },
    vertices: base.vertices * f,
    inputEdges: base.inputEdges * f,
    extrapolatedFrom: base.key.scale,
    runs: base.runs.map((r) => ({
      root: r.root,
      visited: r.visited * f,
      edges: r.edges * f,
      levels: r.levels.map((l) => ({
        frontier: l.frontier * f,
        scanned: l.scanned * f,
        discovered: l.discovered * f,
        pairs: l.pairs.map((x) => x * f),
      })),
    })),
  };
}
