/**
 * The temperature programme of one map row (a main-hold temperature): from `start`, ramp to each
 * pre-hold and hold it, ramp to the main hold, hold it for the longest time of the grid, cool to
 * `end`; built with the one `TemperatureProgram` (src/kinetics/program.ts). One trajectory on it
 * yields the whole time axis: a frame at t = 0, one at each hold time of the grid (measured from the
 * end of the ramp to the main hold), and one after the cool.
 *
 * @example
 *   const p = dryProgramme(recipe.programme, 573.15, [3600, 43200]);
 *   p.program.temperature_K(p.frames_s[p.holdFrames[1]]!); // 573.15 (12 h into the hold)
 */
import { InputError } from '../../core/index.js';
import { TemperatureProgram } from '../../kinetics/index.js';
import type { DryProgrammeSpec } from './recipe.js';

/** A programme with its frame times. */
export interface DryProgramme {
  readonly program: TemperatureProgram;
  /** Time at which the main hold starts (end of its heating ramp), s. */
  readonly holdStart_s: number;
  /** Frame times, s, strictly increasing (frame 0 at t = 0 unless the hold starts there). */
  readonly frames_s: readonly number[];
  /** Index into frames_s of each hold time of the grid. */
  readonly holdFrames: readonly number[];
  /** Index of the frame after the cool (−1 when the programme ends at the hold). */
  readonly cooledFrame: number;
}

/** Build the programme of main-hold temperature `hold_K` over hold times `times_s` (strictly increasing, ≥ 0). */
export function dryProgramme(spec: DryProgrammeSpec, hold_K: number, times_s: readonly number[]): DryProgramme {
  const parts: TemperatureProgram[] = [];
  let cur = spec.start_K;
  let t = 0;
  const to = (T: number, field: string) => {
    if (T === cur) return;
    const rate = T > cur ? spec.heatingRate_KPerS : spec.coolingRate_KPerS;
    const p = TemperatureProgram.ramp({ start_K: cur, end_K: T, rate_KPerS: rate }, field);
    parts.push(p);
    t += p.duration_s;
    cur = T;
  };
  spec.preHolds.forEach((h, i) => {
    to(h.temperature_K, `drying.programme.preHolds[${i}]`);
    parts.push(TemperatureProgram.hold({ temperature_K: h.temperature_K, duration_s: h.duration_s }, `drying.programme.preHolds[${i}]`));
    t += h.duration_s;
  });
  to(hold_K, 'drying.temperatures');
  const holdStart_s = t;
  const longest = times_s[times_s.length - 1] ?? 0;
  if (longest > 0) {
    parts.push(TemperatureProgram.hold({ temperature_K: hold_K, duration_s: longest }, 'drying.times'));
    t += longest;
  }
  const holdEnd_s = t;
  to(spec.end_K, 'drying.programme.end');
  if (parts.length === 0) throw new InputError('drying.times', longest, 'a programme of positive duration (a hold time > 0, or a ramp)');
  const program = parts.length === 1 ? parts[0]! : TemperatureProgram.concat(...parts);
  const frames: number[] = [];
  const holdFrames: number[] = [];
  if (holdStart_s + (times_s[0] ?? 0) > 0) frames.push(0);
  for (const h of times_s) {
    holdFrames.push(frames.length);
    frames.push(holdStart_s + h);
  }
  let cooledFrame = -1;
  if (program.duration_s > holdEnd_s) {
    cooledFrame = frames.length;
    frames.push(program.duration_s);
  }
  return { program, holdStart_s, frames_s: frames, holdFrames, cooledFrame };
}
