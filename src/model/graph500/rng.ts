/**
 * xoshiro128** (Blackman and Vigna, "Scrambled linear pseudorandom number generators",
 * ACM TOMS 2021), seeded through splitmix32. The generator (kronecker-pass.ts, which
 * inlines the same step) draws one 32-bit number per two Kronecker levels of every edge:
 * 7e8 draws per pass at scale 22, well inside its 2^128 period (the project's mulberry32
 * in uncertainty/rng.ts repeats after 2^32).
 */
export interface Uint32Source {
  /** The next uniformly distributed 32-bit unsigned integer. */
  next(): number;
}

/** The four state words xoshiro128** starts from for `seed` (splitmix32; never all zero). */
export function xoshiroState(seed: number): Uint32Array {
  let x = seed >>> 0;
  const splitmix = (): number => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  const s = Uint32Array.from([splitmix(), splitmix(), splitmix(), splitmix()]);
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  return s;
}

export function xoshiro128(seed: number): Uint32Source {
  const [s0, s1, s2, s3] = xoshiroState(seed);
  let a = s0 | 0;
  let b = s1 | 0;
  let c = s2 | 0;
  let d = s3 | 0;
  return {
    next(): number {
      const t = b << 9;
      let r = Math.imul(b, 5);
      r = Math.imul((r << 7) | (r >>> 25), 9);
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = (d << 11) | (d >>> 21);
      return r >>> 0;
    },
  };
}
