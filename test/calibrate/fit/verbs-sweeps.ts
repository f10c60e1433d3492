/**
 * Latency sweeps with a known answer for the mechanism fitters: the point-to-point model
 * (src/model/p2p/verbs.ts) on the built-in profile's paths, so each fitter must give back
 * the profile's own value, with 100 samples of 2% noise per size, seeded.
 */
import type { SizedMeasurement } from '../../../src/calibrate/fit/from-probe.js';
import { verbsLatency, type Completion, type VerbsOp } from '../../../src/model/p2p/verbs.js';
import { builtinProfile } from '../../../src/profiles/builtin.js';
import type { PathParams } from '../../../src/profiles/types.js';
import { POWERS_OF_TWO, sampledSweep } from './synthetic.js';

export const PROFILE = builtinProfile('cx3-fdr-kvm-2013')!;

export function path(name: 'native' | 'vf' | 'native-inline0'): PathParams {
  return PROFILE.paths[name];
}

/** 1 B to 1 MiB of one op on one path, 100 samples of 2% noise per size. */
export function verbsSweep(
  name: 'native' | 'vf' | 'native-inline0',
  op: VerbsOp,
  seed: number,
  completion: Completion = 'poll',
): SizedMeasurement[] {
  return sampledSweep(
    POWERS_OF_TWO,
    (bytes) => verbsLatency(path(name), op, bytes, completion),
    100,
    0.02,
    seed,
  );
}

/** The same sweep without noise or samples: one exact run per size. */
export function exactSweep(
  name: 'native' | 'vf' | 'native-inline0',
  op: VerbsOp,
  completion: Completion = 'poll',
): SizedMeasurement[] {
  return POWERS_OF_TWO.map((bytes) => ({ bytes, us: verbsLatency(path(name), op, bytes, completion) }));
}

/** Seeds of the two curves of a comparison: independent noise on each. */
export const SWEEP_SEEDS = [1, 2, 3, 4, 5];
export const OTHER = 1000;
