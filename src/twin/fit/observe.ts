/**
 * The observation side of a series fit: each experimental frame through `analyseFrame` with the same
 * options and the same starting lattice construction (lattice.ts) the simulated frames get.
 */
import { analyseFrame, type AnalyseOptions, type Calibration } from '../analyse/index.js';
import { seriesZoneLattices } from './lattice.js';

export interface ObservedSeries {
  observables: Record<string, number>[];
  notes: string[];
}

/** Analyses every frame (see module doc); InputErrors name the frame (`--series (frame k)`). */
export function analyseObservedSeries(frames: readonly Float32Array[], width: number, height: number, cal: Calibration, o: AnalyseOptions & { zone: string }, onProgress?: (done: number) => void): ObservedSeries {
  const { lattices, kept } = seriesZoneLattices(frames, width, height, cal, o.zone);
  const observables = frames.map((f, k) => {
    const a = analyseFrame({ data: f, width, height }, cal, { ...o, lattice_A: lattices[k]! });
    onProgress?.(k + 1);
    return a.observables;
  });
  const notes = kept.length ? [`frame(s) ${kept.join(', ')}: no layer fringe found; the previous frame's lattice orientation was kept (the specimen does not rotate between frames)`] : [];
  return { observables, notes };
}
