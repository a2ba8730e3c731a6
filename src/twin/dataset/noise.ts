/**
 * Detector noise of a sample, in place and without allocation: counts = gain·Poisson(λ) + frames·offset + read noise
 * (Gaussian, readNoise·√frames), with λ = electrons per pixel × signal; returned as the estimated fraction of the beam
 * (counts − frames·offset)/(gain·electrons), whose mean is the noise-free signal.
 *
 * Poisson deviates: core `Rng.poisson` (one definition; Knuth's product method below λ = 30, PTRS above).
 */
import type { Rng } from '../../core/index.js';

/** Detector model of a sample. */
export interface DetectorModel {
  /** Incident electrons per pixel, summed over the frames. */
  readonly electronsPerPixel: number;
  readonly frames: number;
  readonly gain: number;
  readonly offset: number;
  readonly readNoise: number;
}

/**
 * Replaces `signal` (fraction of the beam, n pixels) by an acquired estimate of it (see module doc); `counts` (if
 * given) receives the detector counts.
 */
export function applyDetectorNoise(signal: Float32Array, n: number, d: DetectorModel, rng: Rng, counts?: Float32Array): void {
  const e = d.electronsPerPixel, g = d.gain, off = d.frames * d.offset, rn = d.readNoise * Math.sqrt(d.frames);
  const scale = 1 / (g * e);
  for (let i = 0; i < n; i++) {
    let c = g * rng.poisson(e * Math.max(0, signal[i]!)) + off;
    if (rn > 0) c += rn * rng.normal();
    if (counts) counts[i] = c;
    signal[i] = (c - off) * scale;
  }
}
