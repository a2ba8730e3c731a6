/**
 * The `protocol:` section: the temperature programme and when frames are acquired.
 * Output: a piecewise-linear programme (segments in s and K) plus acquisition times, or a
 * mathjs expression T(t) in K with t in s.
 */
import { z } from 'zod';
import { quantity, temperatureDifference } from './quantity.js';

const T = (lim: { min?: number; max?: number } = {}) => quantity('temperature', { min: lim.min ?? 200, max: lim.max ?? 1400 });

/** One linear piece of a temperature programme. */
export interface Segment {
  t0_s: number;
  t1_s: number;
  T0_K: number;
  T1_K: number;
}

/** Acquisition schedule in the file: at the end of each hold, every Δt, or at listed temperatures. */
const acquire = z.union([
  z.literal('end-of-hold'),
  z.strictObject({ every: quantity('time', { min: 1, exclusiveMin: false }) }),
  z.strictObject({ temperatures: z.array(T()).min(1).max(500) }),
]);

const staircase = z.strictObject({
  type: z.literal('staircase'),
  start: T(),
  end: T(),
  rate: quantity('heatingRate', { min: 1e-4, max: 100 }),
  step: temperatureDifference({ min: 0.1, max: 500 }),
  hold: quantity('time', { min: 0, max: 86400 * 7 }),
  acquire: acquire.default('end-of-hold'),
});
const ramp = z.strictObject({
  type: z.literal('ramp'),
  start: T(),
  end: T(),
  rate: quantity('heatingRate', { min: 1e-4, max: 100 }),
  acquire: acquire,
});
const isothermal = z.strictObject({
  type: z.literal('isothermal'),
  start: T(),
  /** Heating rate to the dwell temperature. */
  rate: quantity('heatingRate', { min: 1e-4, max: 100 }),
  temperature: T(),
  duration: quantity('time', { min: 1, max: 86400 * 30 }),
  acquire: acquire,
});
const expression = z.strictObject({
  type: z.literal('expression'),
  /** mathjs expression for T in K as a function of t in s, e.g. "298.15 + 0.1*t". */
  temperature: z.string().min(1),
  duration: quantity('time', { min: 1, max: 86400 * 30 }),
  acquire: acquire,
});

export const protocolSchema = z.discriminatedUnion('type', [staircase, ramp, isothermal, expression]);
export type RawProtocol = z.output<typeof protocolSchema>;

/** The temperature programme in SI units. */
export interface ScenarioProtocol {
  type: 'staircase' | 'ramp' | 'isothermal' | 'expression';
  /** Piecewise-linear programme (empty for `expression`). */
  segments: Segment[];
  /** mathjs expression T_K(t_s) for `expression` programmes. */
  expression?: string;
  /** Total duration, s. */
  duration_s: number;
  /** Acquisition times, s (sorted, within [0, duration_s]). */
  acquisitionTimes_s: number[];
  /** Parameters as given, in SI units (echoed into summary.json). */
  params: Record<string, number | string | number[]>;
}
