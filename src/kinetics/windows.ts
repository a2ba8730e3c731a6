/**
 * Thinning windows: the program's window boundaries (piece ends, ramp slices of ≤ window_K)
 * merged with the frame times, so that every frame falls on a boundary.
 */
import { InputError } from '../core/index.js';
import type { TemperatureProgram } from './program.js';

/** Validate frame times and merge them into the program's window boundaries (sorted, unique). */
export function buildBoundaries(
  program: TemperatureProgram,
  window_K: number,
  frames: readonly number[],
): { boundaries_s: Float64Array; frames_s: Float64Array } {
  const T_end = program.duration_s;
  let prev = -Infinity;
  for (const [k, f] of frames.entries()) {
    if (!Number.isFinite(f) || f < 0 || f > T_end) {
      throw new InputError(`frames_s[${k}]`, f, `a time in [0, ${T_end}] s (the program's duration)`);
    }
    if (f < prev) throw new InputError(`frames_s[${k}]`, f, `times in ascending order (previous ${prev} s)`);
    prev = f;
  }
  const all = Array.from(program.windowBoundaries_s(window_K));
  all.push(...frames);
  all.sort((a, b) => a - b);
  const out: number[] = [];
  for (const x of all) if (out.length === 0 || x !== out[out.length - 1]) out.push(x);
  const uniqFrames = frames.filter((f, k) => k === 0 || f !== frames[k - 1]);
  return { boundaries_s: Float64Array.from(out), frames_s: Float64Array.from(uniqFrames) };
}
