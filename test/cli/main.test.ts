import { afterEach, describe, expect, it, vi } from 'vitest';
import { runIbvf } from './run.js';

describe('ibvf error output', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('a usage error is one line, exit 2', async () => {
    vi.stubEnv('IBVF_DEBUG', '');
    const { code, err } = await runIbvf('predict', '--sizes', 'abc');
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('IBVF_DEBUG=1 adds the stack trace behind the error, for bug reports', async () => {
    vi.stubEnv('IBVF_DEBUG', '1');
    const { code, err } = await runIbvf('predict', '--sizes', 'abc');
    expect(code).toBe(2);
    expect(err.split('\n')[0]).toMatch(/^ibvf: --sizes: 'abc' is not a size/);
    expect(err).toMatch(/UsageError: --sizes/);
    expect(err).toMatch(/\n\s+at .*parse\.(ts|js)/);
  });
});
