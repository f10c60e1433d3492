import { describe, expect, it } from 'vitest';
import { minimax } from '../../../src/calibrate/paper/minimax.js';

describe('minimax (Chebyshev) fit by Lawson iterations', () => {
  it('fits a constant to 0, 1, 3 at the midrange 1.5 with worst residual 1.5', () => {
    const data = [0, 1, 3];
    const { x, worst } = minimax({ residuals: ([c]) => data.map((d) => c - d), start: [0.2], lower: [-10] });
    expect(x[0]).toBeCloseTo(1.5, 6);
    expect(worst).toBeCloseTo(1.5, 6);
  });

  it('fits a line to points with a known Chebyshev answer', () => {
    // y = 2 + 3t with +-0.5 alternating at t = 0, 1, 2, 3: the best line is y = 2 + 3t, worst 0.5.
    const t = [0, 1, 2, 3];
    const y = t.map((ti, i) => 2 + 3 * ti + (i % 2 === 0 ? 0.5 : -0.5));
    const { x, worst } = minimax({
      residuals: ([a, b]) => t.map((ti, i) => a + b * ti - y[i]),
      start: [1, 1],
      lower: [-100, -100],
    });
    expect(worst).toBeCloseTo(0.5, 5);
    expect(x[0]).toBeCloseTo(2, 4);
    expect(x[1]).toBeCloseTo(3, 4);
  });

  it('holds a parameter at its lower bound when the data push it below', () => {
    // y = a + b t, data fall with t; b >= 0 binds, so the best is b = 0 and a at the midrange.
    const t = [0, 1, 2];
    const y = [3, 2, 1];
    const { x, atBound } = minimax({
      residuals: ([a, b]) => t.map((ti, i) => a + b * ti - y[i]),
      start: [1, 1],
      lower: [0, 0],
    });
    expect(atBound[1]).toBe(true);
    expect(x[1]).toBe(0);
    expect(x[0]).toBeCloseTo(2, 5);
  });

  it('is deterministic', () => {
    const run = () =>
      minimax({
        residuals: ([a, b]) => [a + b - 1, a - b - 0.2, 2 * a + b - 2.1],
        start: [0.5, 0.5],
        lower: [0, 0],
      });
    expect(run()).toEqual(run());
  });
});
