import * as vega from 'vega';
import { describe, expect, it } from 'vitest';
import { installTextMetrics } from '../../../src/chart/render/text-metrics.js';

type Width = (item: { fontSize?: number; fontWeight?: string }, text: string) => number;
const width = () => (vega as unknown as { textMetrics: { width: Width } }).textMetrics.width;

describe('text metrics', () => {
  it("measures DejaVu's glyphs instead of vega's per-character estimate", () => {
    installTextMetrics();
    // vega's estimate gives every character the same width; real glyphs differ a lot.
    expect(width()({ fontSize: 10 }, 'WWWW') / width()({ fontSize: 10 }, 'iiii')).toBeGreaterThan(2.5);
    // DejaVu Sans: "0" advances 1303/2048 em, so ten of them at 10 px are 63.6 px.
    expect(width()({ fontSize: 10 }, '0000000000')).toBeCloseTo(63.6, 0);
    expect(width()({ fontSize: 10, fontWeight: 'bold' }, 'W')).toBeGreaterThan(
      width()({ fontSize: 10 }, 'W'),
    );
  });
});
