/**
 * Detector noise of a sample, in place and without allocation: counts = gain·Poisson(λ) + frames·offset + read noise
 * (Gaussian, readNoise·√frames), with λ = electrons per pixel × signal; returned as the estimated fraction of the beam
 * (counts − frames·offset)/(gain·electrons), whose mean is the noise-free signal.
 *
 * Poisson deviates: core `Rng.poisson` (one definition; one uniform per pixel below λ = 30 by inversion, PTRS
 * from 30), without read noise and counts by its WebAssembly form over the whole image (core poissonWasm: the same
 * deviates, the same bytes, the generator left in the same state).
 */
import { type Rng, logFactorial, poissonWasm } from '../../core/index.js';

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
  const k = rn > 0 || counts ? undefined : poissonWasm(logFactorial);
  if (k) {
    // State words at byte 0, the image from byte 64.
    const need = 64 + 4 * n;
    if (k.memory.buffer.byteLength < need) k.memory.grow(Math.ceil((need - k.memory.buffer.byteLength) / 65536));
    const mem = k.memory.buffer, state = new Uint32Array(mem, 0, 4), img = new Float32Array(mem, 64, n);
    state.set(rng.getState());
    img.set(signal.subarray(0, n));
    const bad = k.poissonDetector(64, n, e, g, off, scale, 0);
    rng.setState(Array.from(state));
    signal.set(bad < 0 ? img : img.subarray(0, bad));
    // rng.poisson's own error for the first bad λ.
    if (bad >= 0) rng.poisson(e * Math.max(0, signal[bad]!));
    return;
  }
  for (let i = 0; i < n; i++) {
    let c = g * rng.poisson(e * Math.max(0, signal[i]!)) + off;
    if (rn > 0) c += rn * rng.normal();
    if (counts) counts[i] = c;
    signal[i] = (c - off) * scale;
  }
}
