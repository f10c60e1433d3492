import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { checkHello } from '../../src/probe/handshake.js';
import { checkPairs, MAX_PAIRS } from '../../src/probe/pair-limit.js';
import { runIbvf } from '../cli/run.js';

describe('the bound on --pairs', () => {
  it("refuses more thread pairs than the host's CPUs unless oversubscribed, and never above the limit", () => {
    expect(() => checkPairs(2, 2, false)).not.toThrow();
    expect(() => checkPairs(3, 2, false)).toThrow(
      /--pairs 3: this host has 2 CPUs, .* at most 2 pairs; .*give --oversubscribe to run up to 256/,
    );
    expect(() => checkPairs(3, 2, true)).not.toThrow();
    expect(() => checkPairs(MAX_PAIRS + 1, 1024, true)).toThrow(/--pairs 257: at most 256 pairs of threads/);
  });

  it('probe run --pairs 100000 is refused at once (exit 2, one line), before measuring or writing', async () => {
    const r = await runIbvf('probe', 'run', '--transport', 'shm', '--pairs', '100000', '--json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^ibvf: --pairs 100000: at most 256 pairs of threads .*mpiexec -n 2N\)\n$/);
    expect(r.out).toBe('');
    const over = os.availableParallelism() + 1;
    const r2 = await runIbvf('probe', 'run', '--transport', 'shm', '--pairs', String(over), '--json');
    expect(r2.code).toBe(2);
    expect(r2.err).toContain(`--pairs ${over}: this host has ${over - 1} CPU`);
  });

  it('a server turns away a hello asking for more pairs than the limit', () => {
    const hello = {
      type: 'hello',
      token: '',
      options: {
        transport: 'tcp',
        suite: 'quick',
        pairs: 100000,
        progress: ['poll'],
        sizes: [1],
        iterations: null,
      },
      host: {},
      bootId: 'b',
    };
    expect(checkHello(hello, '', {})).toEqual({ reason: '--pairs 100000 is not between 1 and 256' });
    expect(checkHello({ ...hello, options: { ...hello.options, pairs: 1.5 } }, '', {})).toHaveProperty(
      'reason',
    );
    expect(checkHello({ ...hello, options: { ...hello.options, pairs: 2 } }, '', {})).toHaveProperty('hello');
  });
});
