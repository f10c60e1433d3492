import { describe, expect, it } from 'vitest';
import { sizeLabel, sizeTicks } from '../../src/chart/axes.js';

describe('size axis', () => {
  it('ticks every factor 4 across the sizes, labelled as OSU prints sizes', () => {
    expect(sizeTicks(1, 4 * 1024 * 1024).map(sizeLabel)).toEqual([
      '1',
      '4',
      '16',
      '64',
      '256',
      '1K',
      '4K',
      '16K',
      '64K',
      '256K',
      '1M',
      '4M',
    ]);
    expect(sizeTicks(8, 1024).map(sizeLabel)).toEqual(['4', '16', '64', '256', '1K']);
  });

  it('labels whole multiples of 1024 with K, M, G and other sizes in bytes', () => {
    expect([512, 1024, 1536, 65536, 1048576, 2 ** 30].map(sizeLabel)).toEqual([
      '512',
      '1K',
      '1536',
      '64K',
      '1M',
      '1G',
    ]);
  });
});
