/**
 * Acquisition as in the seed: several fast frames at a fraction of the dose each, with drift
 * between frames (a random walk) and scan-line jitter, each with Poisson shot noise; the frames
 * are registered to the first by cross-correlation (sub-pixel, src/twin/register), shifted back
 * and summed. Output in fraction of the incident beam, like the clean image.
 */
import { Rng } from '../../core/index.js';
import { registerPhaseCorrelation, shiftBilinear } from '../register/index.js';

/** Acquisition parameters. */
export interface AcquisitionOptions {
  /** Dose of the summed image, e⁻/Å². */
  dose_ePerA2: number;
  /** Pixel size, Å. */
  sampling_A: number;
  /** Fast frames summed. */
  frames: number;
  /** Drift between fast frames: random-walk step σ, Å. */
  drift_A: number;
  /** Scan-line jitter σ (per row, along x), Å. */
  jitter_A: number;
}

/** A noisy summed frame and what happened to it. */
export interface Acquired {
  /** Summed, aligned image, fraction of the beam. */
  image: Float32Array;
  /** True drift of each fast frame, px [dx, dy]. */
  drift_px: [number, number][];
  /** Drift measured by registration, px. */
  measured_px: [number, number][];
  /** Electrons per pixel in the summed image. */
  electronsPerPixel: number;
}

/** Simulate the acquisition of `clean` (width × height, fraction of beam) with stream `rng`. */
export function acquire(clean: Float32Array, width: number, height: number, o: AcquisitionOptions, rng: Rng): Acquired {
  const N = o.dose_ePerA2 * o.sampling_A * o.sampling_A;
  const n = Math.max(1, Math.round(o.frames));
  const perFrame = N / n;
  const sum = new Float32Array(width * height);
  const drift: [number, number][] = [];
  const measured: [number, number][] = [];
  let dx = 0;
  let dy = 0;
  let ref: Float32Array | undefined;
  for (let f = 0; f < n; f++) {
    if (f > 0) {
      dx += (rng.normal() * o.drift_A) / o.sampling_A;
      dy += (rng.normal() * o.drift_A) / o.sampling_A;
    }
    drift.push([dx, dy]);
    let img = dx === 0 && dy === 0 ? clean : shiftBilinear(clean, width, height, dx, dy);
    if (o.jitter_A > 0) {
      const out = new Float32Array(width * height);
      for (let y = 0; y < height; y++) {
        const row = img.subarray(y * width, (y + 1) * width);
        const j = (rng.normal() * o.jitter_A) / o.sampling_A;
        for (let x = 0; x < width; x++) {
          const sx = Math.min(width - 1, Math.max(0, x - j));
          const x0 = Math.min(width - 2, Math.floor(sx));
          const t = sx - x0;
          out[y * width + x] = (1 - t) * row[x0]! + t * row[x0 + 1]!;
        }
      }
      img = out;
    }
    const counts = new Float32Array(width * height);
    for (let i = 0; i < counts.length; i++) counts[i] = rng.poisson(Math.max(0, img[i]!) * perFrame);
    let aligned: Float32Array = counts;
    if (f === 0) {
      ref = counts;
      measured.push([0, 0]);
    } else {
      const r = registerPhaseCorrelation(ref!, counts, width, height, { upsample: 10 });
      measured.push([r.dx_px, r.dy_px]);
      aligned = shiftBilinear(counts, width, height, -r.dx_px, -r.dy_px);
    }
    for (let i = 0; i < sum.length; i++) sum[i]! += aligned[i]!;
  }
  for (let i = 0; i < sum.length; i++) sum[i]! /= N;
  return { image: sum, drift_px: drift, measured_px: measured, electronsPerPixel: N };
}
