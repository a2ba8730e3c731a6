/**
 * Detector noise of a sample, in place and without allocation: counts = gain·Poisson(λ) + frames·offset + read noise
 * (Gaussian, readNoise·√frames), with λ = electrons per pixel × signal; returned as the estimated fraction of the beam
 * (counts − frames·offset)/(gain·electrons), whose mean is the noise-free signal.
 *
 * Poisson deviates: sequential inversion of the CDF for λ < 30 (one 32-bit uniform and ~λ multiply–adds; Devroye 1986,
 * §X.3.3), core's Rng.poisson (PTRS transformed rejection) above. Core's small-λ path (Knuth's product method) draws λ
 * uniforms per deviate, which at the dataset's 10–30 electrons per pixel cost more than the whole rendering.
 */
import type { Rng } from '../../core/index.js';

/** Poisson deviate with mean λ ≥ 0 (see module doc). */
export function poissonFast(rng: Rng, lambda: number): number {
  if (!(lambda > 0)) return 0;
  if (lambda >= 30) return rng.poisson(lambda);
  // One 32-bit draw: 2⁻³² resolution is far below the smallest probability the search resolves.
  const u = (rng.nextU32() + 0.5) * 2.3283064365386963e-10;
  let p = Math.exp(-lambda), F = p, k = 0;
  const kMax = 200;
  while (u > F && k < kMax) {
    k++;
    p *= lambda / k;
    F += p;
  }
  return k;
}

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
    let c = g * poissonFast(rng, e * Math.max(0, signal[i]!)) + off;
    if (rn > 0) c += rn * rng.normal();
    if (counts) counts[i] = c;
    signal[i] = (c - off) * scale;
  }
}
