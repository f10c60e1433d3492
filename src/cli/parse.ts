import { UsageError } from '../errors.js';

const SIZE_SUFFIX: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/**
 * A size in bytes as users write it: `8`, `8K`, `1M`, `2G` (binary multiples, as OSU
 * prints 8192 for 8K). `what` names the option in the error message.
 */
export function parseSize(text: string, what: string): number {
  const m = /^(\d+)([KMG]?)B?$/i.exec(text.trim());
  if (!m) {
    throw new UsageError(`${what}: '${text}' is not a size in bytes (examples: 8, 8K, 1M)`);
  }
  const value = Number(m[1]) * SIZE_SUFFIX[m[2].toUpperCase()];
  if (!Number.isSafeInteger(value)) throw new UsageError(`${what}: '${text}' is too large`);
  return value;
}

/**
 * `MIN:MAX` (or a single size) to the message sizes OSU's benchmarks step through:
 * MIN, then doubling, up to MAX inclusive. A zero MIN continues with 1, 2, 4, ...
 * as osu_latency does.
 */
export function parseSizes(text: string, what = '--sizes', allowZero = true): number[] {
  const parts = text.split(':');
  if (parts.length > 2 || parts.some((p) => p.trim() === '')) {
    throw new UsageError(`${what}: '${text}' is not MIN:MAX (example: --sizes 1:4M)`);
  }
  const min = parseSize(parts[0], what);
  const max = parts.length === 2 ? parseSize(parts[1], what) : min;
  if (min === 0 && !allowZero) throw new UsageError(`${what}: sizes start at 1 byte here, not 0`);
  if (max < min)
    throw new UsageError(`${what}: MIN ${min} is larger than MAX ${max} (write MIN:MAX, e.g. 1:4M)`);
  const sizes: number[] = [];
  for (let s = min; s <= max; s = s === 0 ? 1 : s * 2) sizes.push(s);
  return sizes;
}

/** One of a fixed list of words, or a usage error that lists them. */
export function parseChoice<T extends string>(text: string, choices: readonly T[], what: string): T {
  if ((choices as readonly string[]).includes(text)) return text as T;
  throw new UsageError(`${what}: '${text}' is not one of ${choices.join(', ')}`);
}

/** A whole number >= min (default 1). */
export function parseCount(text: string, what: string, min = 1): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${what}: '${text}' is not a whole number`);
  const n = Number(text);
  if (n < min) throw new UsageError(`${what}: must be at least ${min}, got ${n}`);
  if (!Number.isSafeInteger(n)) throw new UsageError(`${what}: '${text}' is too large`);
  return n;
}

/** A finite number (times, rates); `min` and `max` bound it. */
export function parseNumber(text: string, what: string, min = -Infinity, max = Infinity): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${what}: '${text}' is not a number`);
  if (n < min) throw new UsageError(`${what}: must be at least ${min}, got ${n}`);
  if (n > max) throw new UsageError(`${what}: '${text}' is too large (at most ${max})`);
  return n;
}

/** A comma list (`a,b,c`) of distinct items, each checked by `item`. */
export function parseList<T>(text: string, what: string, item: (t: string) => T): T[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw new UsageError(`${what}: '${text}' has an empty item`);
  const items = parts.map(item);
  // A repeated item is a typo or a contradiction (on,off,on): say which.
  const keys = items.map((x) => JSON.stringify(x));
  const again = keys.findIndex((k, i) => keys.indexOf(k) !== i);
  if (again >= 0) throw new UsageError(`${what}: '${parts[again]}' is repeated in '${text}'`);
  return items;
}
