/**
 * Shared pieces of the property-based input tests (`test/<area>/fuzz.test.ts`): every
 * reader of user input, given random bytes, truncated, reordered, duplicated or mutated
 * versions of real inputs, either returns or throws an InputError whose message is one
 * line. Any other exception is a bug. Runs use a random seed, printed first, so that a
 * failure can be replayed with FUZZ_SEED=<seed> (fast-check also prints the seed and path
 * of a counterexample).
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { InputError } from '../src/errors.js';

/** The seed of this run: FUZZ_SEED to replay one, otherwise random. */
export function fuzzSeed(area: string): number {
  const given = process.env.FUZZ_SEED;
  const seed = given === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(given);
  console.info(`fuzz ${area}: seed ${seed} (replay with FUZZ_SEED=${seed})`);
  return seed;
}

/** Runs `read`: a result, or an InputError with a one-line message; anything else fails. */
export function resultOrInputError(read: () => unknown): void {
  try {
    read();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    expect(e.message, 'an InputError message is one line').not.toMatch(/[\r\n]/);
  }
}

/** Text arbitraries built from real inputs: each is a whole input with one kind of damage. */
export function damagedText(originals: readonly string[]): fc.Arbitrary<string> {
  const original = fc.constantFrom(...originals);
  const lines = original.map((t) => t.split('\n'));
  const NUMBER = /[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi;
  return fc.oneof(
    // random bytes, decoded as the readers decode files
    fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b).toString('utf8')),
    // random printable text, with newlines
    fc.string({
      maxLength: 400,
      unit: fc.constantFrom('a', '#', ' ', '\n', '\t', '1', '.', ':', '-', '=', '{'),
    }),
    // cut at any character
    original.chain((t) => fc.nat({ max: t.length }).map((n) => t.slice(0, n))),
    // lines duplicated, dropped or swapped
    lines.chain((ls) =>
      fc
        .array(fc.tuple(fc.constantFrom('dup', 'drop', 'swap'), fc.nat(), fc.nat()), {
          minLength: 1,
          maxLength: 4,
        })
        .map((ops) => {
          const out = [...ls];
          for (const [op, a, b] of ops) {
            if (out.length === 0) break;
            const i = a % out.length;
            const j = b % out.length;
            if (op === 'dup') out.splice(i, 0, out[i]);
            else if (op === 'drop') out.splice(i, 1);
            else [out[i], out[j]] = [out[j], out[i]];
          }
          return out.join('\n');
        }),
    ),
    // one number replaced by another, by a non-number or by nothing
    original.chain((t) => {
      const spots = [...t.matchAll(NUMBER)];
      if (spots.length === 0) return fc.constant(t);
      return fc
        .tuple(
          fc.nat({ max: spots.length - 1 }),
          fc.oneof(
            fc.double().map(String),
            fc.integer().map(String),
            fc.constantFrom('', 'NaN', '-1', '1e999', '0', '99999999999999999999', '0x10', '1.2.3', '-0'),
            fc.string({ maxLength: 6 }),
          ),
        )
        .map(([k, replacement]) => {
          const m = spots[k];
          return t.slice(0, m.index) + replacement + t.slice((m.index ?? 0) + m[0].length);
        });
    }),
  );
}

/** Every prefix of `text` that ends at a line end, and each of those cut mid-line. */
export function truncationsAtEveryLine(text: string): string[] {
  const out: string[] = [];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    out.push(text.slice(0, i + 1), text.slice(0, i), text.slice(0, Math.max(0, i - 2)));
  }
  return out;
}
