/**
 * 2D complex FFT on planar float32 arrays (re, im), row-major [ny][nx], in place.
 * Convention: forward = Σ f·exp(−2πi k·x/N), unnormalised; inverse = exp(+2πi …) scaled by 1/(nx·ny),
 * so inverse(forward(f)) = f and Parseval reads Σ|F|² = nx·ny·Σ|f|².
 *
 * Implementation: our own mixed-radix (4, 2, 3, 5) Stockham autosort FFT with float64 twiddles and
 * float32 data (see stockham2d.ts), chosen by measurement against fft.js and WASM FFTs
 * (bench/fft.bench.ts, bench/RESULTS.md). Sizes are any 2^a·3^b·5^c, so grids fit the cell
 * (e.g. 648×720) instead of rounding up to a power of two.
 *
 * @example
 * const fft = createFft2d(648, 720);
 * const re = new Float32Array(648 * 720), im = new Float32Array(648 * 720);
 * re[0] = 1;
 * fft.forward(re, im); // re ≡ 1, im ≡ 0
 * fft.inverse(re, im); // back to the delta
 */
import { factorize } from './plan.js';
import { Stockham2d } from './stockham2d.js';

export { factorize, getPlan, type FftPlan, type FftStage } from './plan.js';
export { Stockham2d } from './stockham2d.js';

export interface Fft2d {
  readonly nx: number;
  readonly ny: number;
  /** In-place forward transform (unnormalised). */
  forward(re: Float32Array, im: Float32Array): void;
  /** In-place inverse transform, scaled by 1/(nx·ny). */
  inverse(re: Float32Array, im: Float32Array): void;
}

/** Sizes this FFT supports: integers n ≥ 2 of the form 2^a·3^b·5^c. */
export function isSupportedFftSize(n: number): boolean {
  return Number.isInteger(n) && n >= 2 && factorize(n) !== undefined;
}

/** Smallest supported size ≥ n (a 2^a·3^b·5^c number, at least 2). */
export function nextFftSize(n: number): number {
  let m = Math.max(2, Math.ceil(n));
  while (!isSupportedFftSize(m)) m++;
  return m;
}

/**
 * A 2D transform for an nx × ny grid (both 2^a·3^b·5^c). Twiddles are cached per size; each
 * instance owns nx·ny float32 scratch planes, so use one instance per thread. No allocation per call.
 */
export function createFft2d(nx: number, ny: number): Fft2d {
  if (!isSupportedFftSize(nx) || !isSupportedFftSize(ny)) {
    throw new RangeError(`createFft2d: sizes must be 2^a·3^b·5^c ≥ 2, got ${nx}×${ny}`);
  }
  return new Stockham2d(nx, ny);
}
