import { describe, expect, it } from 'vitest';
import { runIbvf } from './run.js';

/** Issue 12: each reproduction is a one-line error with exit 2, never NaN, Infinity or a stack. */
describe('ibvf refuses in one line what it cannot answer', () => {
  it('a collective on one rank is refused (was NaN-NaN, and NaNx in whatif)', async () => {
    for (const args of [
      ['predict', '--op', 'bcast', '--procs', '1', '--nodes', '1'],
      ['whatif', '--op', 'bcast', '--procs', '1', '--nodes', '1'],
    ]) {
      const { code, out, err } = await runIbvf(...args);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toBe(
        "ibvf: --procs 1: a collective needs at least 2 ranks (OSU's collective benchmarks refuse fewer too)\n",
      );
    }
  });
});
