/**
 * The ranges the model needs of a profile's values, beside the schema (types.ts) that
 * only says they are numbers. Validation (validate.ts) checks each rule against a
 * parameter's value and both ends of its interval (the draws of the 95% range come from
 * the interval), so no profile that loads divides by zero or builds a layout of 1.5
 * sockets. Fields not listed here only need to be finite and non-negative.
 */
export interface RangeRule {
  /** A whole number. */
  integer?: boolean;
  /** Lower bound, inclusive unless `above` is set. */
  min?: number;
  /** The value must be larger than `min` (a rate or bandwidth the model divides by). */
  above?: boolean;
  /** Upper bound, inclusive. */
  max?: number;
  /** What the rule protects, for the error message. */
  why: string;
}

const count = (min: number, max: number, why: string): RangeRule => ({ integer: true, min, max, why });
const positive = (why: string): RangeRule => ({ min: 0, above: true, why });

/** Per field path (`*` matches one segment, e.g. a path name). */
export const RANGE_RULES: Readonly<Record<string, RangeRule>> = {
  // Layouts place ranks on sockets and cores: whole, at least one; a socket is a key below 64.
  'node.sockets': count(1, 63, 'sockets per node'),
  'node.coresPerSocket': count(1, 65536, 'cores per socket'),
  'node.hcas': count(1, 64, 'HCAs per node'),
  'node.socketCopyBandwidth': positive("a socket's copy bandwidth divides copy work"),
  'node.numaRemoteFactor': { min: 1, max: 100, why: 'remote memory is no faster than local' },
  'compute.bfsPerEdgeCost': positive('a BFS takes some time per edge it scans'),
  // Message times divide by these.
  'hca.messageRate': positive('the HCA message rate divides each message'),
  'hca.linkBandwidth': positive('the link bandwidth divides each byte'),
  'hca.pcieBandwidth': positive('the PCIe bandwidth divides each byte'),
  'paths.*.mtu': { integer: true, min: 1, why: 'packets of at least one byte' },
  'mpi.spinCount': count(0, Number.MAX_SAFE_INTEGER, 'polls before blocking'),
  'virtualization.hostCoresReserved': count(0, 65536, 'host cores'),
  'virtualization.dmasPerMessage': count(0, 1024, 'DMAs per message'),
  'virtualization.interruptVectors': count(1, 1024, 'interrupt vectors per function'),
  'virtualization.subscriptionPenalty': {
    min: 0,
    above: true,
    max: 100,
    why: 'a stretch of shared CPU time',
  },
  'virtualization.spanningRemoteShare': { min: 0, max: 1, why: 'a share of accesses' },
  'virtualization.tickOverhead': { min: 0, max: 0.99, why: 'a share of CPU time below 1' },
};

/** The rule of a dotted field path, if any. */
export function ruleOf(path: string): RangeRule | undefined {
  const exact = RANGE_RULES[path];
  if (exact) return exact;
  const parts = path.split('.');
  for (const [pattern, rule] of Object.entries(RANGE_RULES)) {
    const p = pattern.split('.');
    if (p.length === parts.length && p.every((seg, i) => seg === '*' || seg === parts[i])) return rule;
  }
  return undefined;
}

/** Why `x` breaks `rule` ('a whole number >= 1', ...), or undefined when it keeps it. */
export function breaks(rule: RangeRule, x: number): string | undefined {
  const range =
    `${rule.integer ? 'a whole number' : 'a number'}` +
    `${rule.min === undefined ? '' : ` ${rule.above ? '>' : '>='} ${rule.min}`}` +
    `${rule.max === undefined ? '' : `${rule.min === undefined ? '' : ' and'} <= ${rule.max}`}`;
  if (rule.integer && !Number.isInteger(x)) return range;
  if (rule.min !== undefined && (rule.above ? !(x > rule.min) : !(x >= rule.min))) return range;
  if (rule.max !== undefined && !(x <= rule.max)) return range;
  return undefined;
}
