import { describe, expect, it } from 'vitest';
import { encodeFrame, parseFrame, PROTOCOL_VERSION, HEADER_BYTES } from '../../src/probe/protocol.js';
import { checkHello, type AgreedOptions } from '../../src/probe/handshake.js';

const options: AgreedOptions = {
  transport: 'tcp',
  suite: 'quick',
  pairs: 1,
  progress: ['poll'],
  sizes: [1, 2],
  iterations: null,
};
const hello = { type: 'hello', token: 'secret', options, host: { name: 'h' }, bootId: 'b', pid: 1 };

/** A seeded generator (mulberry32) so a failing buffer can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('probe control frames', () => {
  it('round-trips a message, and waits for the rest of a split frame', () => {
    const f = encodeFrame({ type: 'job', spec: { sizes: [1, 2] } });
    expect(parseFrame(f)).toEqual({
      status: 'frame',
      message: { type: 'job', spec: { sizes: [1, 2] } },
      size: f.length,
    });
    for (let cut = 0; cut < f.length; cut++) expect(parseFrame(f.subarray(0, cut)).status).toBe('incomplete');
  });

  it('names a protocol version mismatch', () => {
    const f = encodeFrame({ type: 'hello' }, PROTOCOL_VERSION + 1);
    const r = parseFrame(f);
    expect(r.status).toBe('bad');
    expect(r.status === 'bad' && r.reason).toMatch(
      /version mismatch: the peer speaks version 3, this ibvf speaks 2/,
    );
  });

  it('rejects strangers: bad magic, oversized, non-JSON, non-object payloads', () => {
    expect(parseFrame(Buffer.from('GET / HTTP/1.1\r\n'))).toMatchObject({ status: 'bad' });
    const big = encodeFrame({ type: 'x' });
    big.writeUInt32BE(0xffffffff, 8);
    expect(parseFrame(big)).toMatchObject({ status: 'bad' });
    const junk = Buffer.concat([
      encodeFrame({ type: 'x' }).subarray(0, HEADER_BYTES - 4),
      Buffer.from([0, 0, 0, 3]),
      Buffer.from('{{{'),
    ]);
    expect(parseFrame(junk)).toMatchObject({ status: 'bad', reason: 'frame payload is not JSON' });
    const arr = Buffer.concat([junk.subarray(0, 8), Buffer.from([0, 0, 0, 2]), Buffer.from('[]')]);
    expect(parseFrame(arr)).toMatchObject({ status: 'bad' });
  });

  it('never throws on random bytes (seeded fuzz, 20000 buffers)', () => {
    const next = rng(20240501);
    const valid = encodeFrame(hello);
    for (let i = 0; i < 20000; i++) {
      const len = Math.floor(next() * 64);
      const buf = Buffer.alloc(len);
      for (let k = 0; k < len; k++) buf[k] = Math.floor(next() * 256);
      // Half the cases start with a valid header so the length and JSON paths get fuzzed too.
      if (i % 2 === 0) valid.copy(buf, 0, 0, Math.min(len, Math.floor(next() * valid.length)));
      const r = parseFrame(buf);
      expect(['incomplete', 'frame', 'bad']).toContain(r.status);
      if (r.status === 'frame') expect(checkHello(r.message, 'secret', options)).toBeDefined();
    }
  });
});

describe('probe handshake', () => {
  it('accepts a matching hello', () => {
    expect(checkHello(hello, 'secret', { transport: 'tcp' })).toHaveProperty('hello');
  });
  it('turns away a wrong token', () => {
    expect(checkHello(hello, 'other', {})).toEqual({ reason: expect.stringMatching(/^wrong token/) });
  });
  it('names the option that differs', () => {
    expect(checkHello(hello, 'secret', { pairs: 2 })).toEqual({
      reason: 'option mismatch: --pairs is 2 on the server but 1 on the client',
    });
    expect(checkHello(hello, 'secret', { transport: 'shm' })).toEqual({
      reason: 'option mismatch: --transport is shm on the server but tcp on the client',
    });
  });
  it('survives malformed hellos', () => {
    for (const m of [
      { type: 'hello' },
      { type: 'hello', token: 'secret' },
      { type: 'hello', token: 'secret', options: 3 },
      { type: 'nope' },
    ]) {
      expect(checkHello(m, 'secret', {})).toHaveProperty('reason');
    }
  });
});
