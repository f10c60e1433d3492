import type { JobSpec } from './native.js';

/**
 * The limits of one measurement job, checked before a spec crosses into the addon (and
 * again in C++, native/job.cc, with the same numbers). On the serving side a spec comes
 * from the client over the network, so it is untrusted input: every field is checked
 * for type and range, and arrays for matching length, before anything is allocated from
 * it. 1 GiB messages and 10^7 iterations (80 MB of timestamps per pair) are far above
 * any suite's counts and below what a probe host can hold.
 */
export const JOB_LIMITS = {
  sizes: 64,
  bytes: 2 ** 30,
  iterations: 1e7,
  window: 65536,
  /** verbs --region (src/probe/verbs/region.ts). */
  region: 2 ** 36,
  n: 65536,
  delayNs: 1e12,
  idleTimeoutMs: 2 ** 31 - 1,
} as const;

const KINDS = ['pingpong', 'stream', 'prtt'] as const;
const MODES = ['poll', 'event'] as const;

function whole(v: unknown, field: string, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
    throw new Error(
      `spec.${field} must be a whole number from ${lo} to ${hi}, not ${JSON.stringify(v) ?? 'undefined'}`,
    );
  return v;
}

function wholeList(v: unknown, field: string, lo: number, hi: number): number[] {
  if (!Array.isArray(v) || v.length < 1 || v.length > JOB_LIMITS.sizes)
    throw new Error(`spec.${field} must be an array of 1 to ${JOB_LIMITS.sizes} numbers`);
  return v.map((x, i) => whole(x, `${field}[${i}]`, lo, hi));
}

/**
 * A job spec as received (any JSON value), checked; returns it typed, or throws an Error
 * naming the field that is wrong. `active` and `cpus` are set by each side itself.
 */
export function checkJobSpec(raw: unknown): Omit<JobSpec, 'active' | 'cpus'> & { cpus?: number[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new Error('spec must be an object');
  const o = raw as Record<string, unknown>;
  if (!KINDS.includes(o.kind as (typeof KINDS)[number]))
    throw new Error(`spec.kind must be one of ${KINDS.join(', ')}`);
  if (!MODES.includes(o.mode as (typeof MODES)[number]))
    throw new Error(`spec.mode must be one of ${MODES.join(', ')}`);
  const sizes = wholeList(o.sizes, 'sizes', 0, JOB_LIMITS.bytes);
  const iterations = wholeList(o.iterations, 'iterations', 1, JOB_LIMITS.iterations);
  if (iterations.length !== sizes.length) throw new Error('spec.iterations must be as long as spec.sizes');
  const opt = (field: string, lo: number, hi: number, def: number) =>
    o[field] === undefined ? def : whole(o[field], field, lo, hi);
  const delayNs = o.delayNs === undefined ? 0 : o.delayNs;
  if (typeof delayNs !== 'number' || !(delayNs >= 0 && delayNs <= JOB_LIMITS.delayNs))
    throw new Error(`spec.delayNs must be a number from 0 to ${JOB_LIMITS.delayNs}`);
  if (o.overheads !== undefined && typeof o.overheads !== 'boolean')
    throw new Error('spec.overheads must be true or false');
  let cpus: number[] | undefined;
  if (o.cpus !== undefined) {
    if (!Array.isArray(o.cpus) || o.cpus.length > 256)
      throw new Error('spec.cpus must be an array of CPU numbers');
    cpus = o.cpus.map((c, i) => whole(c, `cpus[${i}]`, -1, 65535));
  }
  return {
    kind: o.kind as JobSpec['kind'],
    mode: o.mode as JobSpec['mode'],
    sizes,
    iterations,
    warmup: opt('warmup', 0, JOB_LIMITS.iterations, 0),
    window: opt('window', 1, JOB_LIMITS.window, 1),
    n: opt('n', 1, JOB_LIMITS.n, 1),
    delayNs,
    idleTimeoutMs: opt('idleTimeoutMs', 0, JOB_LIMITS.idleTimeoutMs, 30000),
    ...(o.overheads === true ? { overheads: true } : {}),
    ...(o.region !== undefined && o.region !== 0
      ? { region: whole(o.region, 'region', 0, JOB_LIMITS.region) }
      : {}),
    ...(cpus ? { cpus } : {}),
  };
}
