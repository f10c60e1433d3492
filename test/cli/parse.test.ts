import { describe, expect, it } from 'vitest';
import { parseSize, parseSizes } from '../../src/cli/parse.js';

describe('size parsing', () => {
  it('reads OSU-style sizes with binary suffixes', () => {
    expect(parseSize('8K', '--sizes')).toBe(8192);
    expect(parseSize('1M', '--sizes')).toBe(1048576);
    expect(parseSize('4096', '--sizes')).toBe(4096);
  });
  it('doubles from MIN to MAX, and from 0 continues with 1 as osu_latency does', () => {
    expect(parseSizes('1:8')).toEqual([1, 2, 4, 8]);
    expect(parseSizes('0:4')).toEqual([0, 1, 2, 4]);
    expect(parseSizes('8K:8K')).toEqual([8192]);
    expect(parseSizes('3:20')).toEqual([3, 6, 12]);
  });
  it('refuses zero where a size must be positive', () => {
    expect(() => parseSizes('0:8', '--sizes', false)).toThrow(/start at 1 byte/);
  });
});
