import { describe, expect, it } from 'vitest';
import { hasTool, inCi } from './requirements.js';

describe('what tests need from the machine (test/requirements.ts)', () => {
  it('reads CI as CI services set it', () => {
    expect(inCi({ CI: '1' })).toBe(true);
    expect(inCi({ CI: 'true' })).toBe(true);
    expect(inCi({ CI: '0' })).toBe(false);
    expect(inCi({ CI: 'false' })).toBe(false);
    expect(inCi({})).toBe(false);
  });

  it('a missing tool fails under CI, naming the package, and skips elsewhere', () => {
    const missing = 'ibvf-no-such-tool';
    expect(() => hasTool(missing, ['--version'], 'no-such-package', { CI: '1' })).toThrow(
      /ibvf-no-such-tool is not installed \(Debian package no-such-package\): CI installs it/,
    );
    expect(hasTool(missing, ['--version'], 'no-such-package', {})).toBe(false);
  });

  it('a tool that runs is there', () => {
    expect(hasTool(process.execPath, ['--version'], 'nodejs', { CI: '1' })).toBe(true);
  });
});
