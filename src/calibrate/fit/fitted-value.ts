/**
 * What a fitter returns for one parameter: its value in a profile unit, its 95% interval
 * when the data give one, and the measurement it came from, so that a profile entry
 * (`ibvf.profile/1` Param, source kind 'fit') can be written from it directly.
 */
import type { Unit } from '../../profiles/types.js';

export interface FittedValue {
  value: number;
  unit: Extract<Unit, 'us' | 'us/B' | 'B'>;
  /** 95% interval; null when the data give none (the fit's `intervals` says why). */
  interval: [number, number] | null;
  /** The measurement and the step it came from, in words. */
  from: string;
}

/** A parameter that cannot be negative: clamped at 0, with the warning the caller gives. */
export function clampAtZero(value: number): number {
  return value < 0 ? 0 : value;
}

/**
 * The warning for a parameter whose 95% interval reaches 0 only because draws below 0 were
 * clamped there, or null: the data cannot tell it from 0.
 */
export function reachesZeroWarning(name: string, value: number, rawDraws: number[]): string | null {
  if (rawDraws.length === 0 || !(value > 0)) return null;
  const negative = rawDraws.filter((x) => x < 0).length;
  if (negative / rawDraws.length <= 0.025) return null;
  const percent = Math.round((100 * negative) / rawDraws.length);
  return `${name}: its 95% interval reaches 0 (${percent}% of the draws came out negative and were clamped); the data cannot tell it from 0`;
}
