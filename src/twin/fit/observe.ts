/**
 * The observation side of a series fit: each experimental frame through `analyseFrame` (the same
 * analysis, with the same options, the simulated frames get), its lattice estimated from the image.
 * Where the Fourier estimate fails on a frame (a small or noisy field), the lattice of the nearest
 * frame where it succeeded is given instead (refined on that frame's columns), and a note says so.
 */
import { InputError } from '../../core/index.js';
import { analyseFrame, type AnalyseOptions, type Calibration, type FrameAnalysis } from '../analyse/index.js';

export interface ObservedSeries {
  observables: Record<string, number>[];
  notes: string[];
}

/** Analyses every frame (see module doc); InputError `--series` when no frame yields a lattice. */
export function analyseObservedSeries(frames: readonly Float32Array[], width: number, height: number, cal: Calibration, o: AnalyseOptions, onProgress?: (done: number) => void): ObservedSeries {
  const res: (FrameAnalysis | undefined)[] = [];
  const failed: number[] = [];
  let firstError: unknown;
  frames.forEach((f, k) => {
    try {
      res.push(analyseFrame({ data: f, width, height }, cal, o));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      firstError ??= e;
      res.push(undefined);
      failed.push(k);
    }
    onProgress?.(k + 1);
  });
  const ok = res.map((r, k) => (r ? k : -1)).filter((k) => k >= 0);
  if (ok.length === 0) {
    const e = firstError as InputError;
    throw new InputError(`--series (frame 0, ${e.field})`, e.value, e.allowed, 'no frame of the series yields a lattice');
  }
  const notes: string[] = [];
  for (const k of failed) {
    const j = ok.reduce((b, i) => (Math.abs(i - k) < Math.abs(b - k) ? i : b), ok[0]!);
    const L = res[j]!.lattice;
    res[k] = analyseFrame({ data: frames[k]!, width, height }, cal, { ...o, lattice_A: { a1: L.a1_A, a2: L.a2_A } });
    notes.push(`frame ${k}: the Fourier lattice estimate failed; the lattice of frame ${j} was given and refined on the frame's columns`);
  }
  return { observables: res.map((r) => r!.observables), notes };
}
