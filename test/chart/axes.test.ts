import { describe, expect, it } from 'vitest';
import { maxSizeTicks, sizeLabel, sizeTicks } from '../../src/chart/axes.js';

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
    expect(sizeTicks(8, 1024).map(sizeLabel)).toEqual(['16', '64', '256', '1K']);
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

describe('size ticks in a narrow figure', () => {
  it('thin out to powers of 16 when powers of 4 would crowd the width', () => {
    expect(sizeTicks(1, 4 * 1024 * 1024, maxSizeTicks(3.5)).map(sizeLabel)).toEqual([
      '1',
      '16',
      '256',
      '4K',
      '64K',
      '1M',
    ]);
    expect(sizeTicks(1, 16384, maxSizeTicks(3.5))).toHaveLength(8);
    expect(sizeTicks(1, 4 * 1024 * 1024, maxSizeTicks(7.16))).toHaveLength(12);
  });
});
