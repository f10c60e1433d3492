/**
 * The probe's control protocol and handshake, fuzzed (here rather than in test/probe,
 * whose tests run real processes: these only parse bytes). parseFrame and checkHello
 * promise never to throw: a stranger's bytes give a reason, not an exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHello, type AgreedOptions } from '../../src/probe/handshake.js';
import { encodeFrame, HEADER_BYTES, MAGIC, parseFrame } from '../../src/probe/protocol.js';
import { fuzzSeed } from '../fuzz.js';

const OPTIONS: AgreedOptions = {
  transport: 'tcp',
  suite: 'quick',
  pairs: 1,
  progress: ['poll', 'event'],
  sizes: [1, 2, 4],
  iterations: null,
};
const HELLO = {
  type: 'hello',
  token: 'secret',
  options: OPTIONS,
  host: { hostname: 'a' },
  bootId: 'b',
  pid: 1,
};

function checked(buf: Buffer): void {
  const r = parseFrame(buf);
  expect(['incomplete', 'frame', 'bad']).toContain(r.status);
  if (r.status === 'bad') expect(r.reason).not.toMatch(/[\r\n]/);
  if (r.status === 'frame') {
    expect(r.size).toBeLessThanOrEqual(buf.length);
    const verdict = checkHello(r.message, 'secret', { transport: 'tcp', sizes: [1, 2, 4] });
    if ('reason' in verdict) expect(verdict.reason).not.toMatch(/[\r\n]/);
  }
}

const seed = fuzzSeed('probe protocol');

describe('probe frames and hellos on damaged input: a verdict, never an exception', () => {
  it('a real hello frame cut at every byte is incomplete, then whole', () => {
    const frame = encodeFrame(HELLO);
    for (let n = 0; n < frame.length; n++) expect(parseFrame(frame.subarray(0, n)).status).toBe('incomplete');
    const whole = parseFrame(frame);
    expect(whole.status).toBe('frame');
    if (whole.status === 'frame')
      expect(checkHello(whole.message, 'secret', OPTIONS)).toHaveProperty('hello');
  });

  it('random bytes, with and without the magic in front', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (bytes, magic) => {
        checked(magic ? Buffer.concat([MAGIC, Buffer.from(bytes)]) : Buffer.from(bytes));
      }),
      { seed, numRuns: 500 },
    );
  });

  it('a real frame with bytes flipped (header or payload)', () => {
    const frame = encodeFrame(HELLO);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: frame.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (flips) => {
          const b = Buffer.from(frame);
          for (const [i, v] of flips) b[i] = v;
          checked(b);
        },
      ),
      { seed, numRuns: 500 },
    );
  });

  it('any JSON in a well-formed frame, and any value in each hello field', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.jsonValue(), fc.constantFrom({ toString: 1 }, [{ valueOf: 'x', toString: null }])),
        fc.constantFrom(...Object.keys(HELLO), 'options.sizes', 'options.progress'),
        (value, key) => {
          const body = Buffer.from(JSON.stringify(value) ?? 'null', 'utf8');
          const head = Buffer.alloc(HEADER_BYTES);
          MAGIC.copy(head, 0);
          head.writeUInt16BE(2, 4);
          head.writeUInt32BE(body.length, 8);
          checked(Buffer.concat([head, body]));
          const hello = structuredClone(HELLO) as Record<string, unknown>;
          if (key.startsWith('options.'))
            (hello.options as Record<string, unknown>)[key.slice('options.'.length)] = value;
          else hello[key] = value;
          checked(encodeFrame(hello));
        },
      ),
      { seed, numRuns: 300 },
    );
  });
});

describe('what the fuzzing found', () => {
  it('a hello whose sizes or type hold an object with a "toString" field gets a reason, not a TypeError', () => {
    const sizes = { ...HELLO, options: { ...OPTIONS, sizes: [{ toString: 1 }] } };
    expect(checkHello(sizes, 'secret', { sizes: [1] })).toEqual({
      reason: 'option mismatch: --sizes is 1 on the server but {"toString":1} on the client',
    });
    expect(checkHello({ type: { toString: 1 } }, 'secret', {})).toEqual({
      reason: 'expected a hello message, got {"toString":1}',
    });
  });
});
