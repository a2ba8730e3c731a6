/**
 * Onset temperatures from a frame series, the way the seed study reads them off images: the first
 * frame at which TM on Li-layer sites of a region rises above its room-temperature (first-frame)
 * baseline by more than the detection threshold max(3σ, 2 points), σ = √(b(1−b)/N) the binomial
 * spread of the baseline fraction b over the region's N Li-layer sites.
 */
import type { NcmObservables } from './observables.js';

/** Minimal frame view for onset detection. */
export interface OnsetFrame {
  temperature_K: number;
  observables: NcmObservables;
}

/** Onset temperature (K) of TM-on-Li in `region`, or null if it never rises. */
export function tmOnLiOnset_K(frames: readonly OnsetFrame[], region: string, minRise = 0.02): number | null {
  const f0 = frames[0]?.observables.regions[region];
  if (!f0 || f0.liLayerSites === 0) return null;
  const b = f0.tmOnLi;
  const sigma = Math.sqrt((Math.max(b, 1 / f0.liLayerSites) * (1 - b)) / f0.liLayerSites);
  const threshold = b + Math.max(3 * sigma, minRise);
  for (const f of frames) if (f.observables.regions[region]!.tmOnLi > threshold) return f.temperature_K;
  return null;
}

/** Onset (K) of any other per-region observable rising above its first-frame value by `rise`. */
export function observableOnset_K(frames: readonly OnsetFrame[], pick: (o: NcmObservables) => number, rise: number): number | null {
  if (frames.length === 0) return null;
  const b = pick(frames[0]!.observables);
  for (const f of frames) if (pick(f.observables) > b + rise) return f.temperature_K;
  return null;
}
