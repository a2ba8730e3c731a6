/**
 * THE 2D complex FFT of the project (every layer uses it: multislice, PRISM, image registration and shifts,
 * the incoherent renderer), on planar float32 arrays (re, im), row-major [ny][nx], in place.
 * Convention: forward = Σ f·exp(−2πi k·x/N), unnormalised; inverse = exp(+2πi …) scaled by 1/(nx·ny),
 * so inverse(forward(f)) = f and Parseval reads Σ|F|² = nx·ny·Σ|f|².
 *
 * Implementation, chosen by measurement (bench/fft.bench.ts, bench/RESULTS.md): when both sizes are
 * multiples of 16, PFFFT compiled to WASM SIMD (pffft.ts, ~2× our TypeScript FFT, ~3× fft.js);
 * otherwise our own mixed-radix (4, 2, 3, 5) float32 Stockham autosort FFT (stockham2d.ts). Sizes are
 * any 2^a·3^b·5^c, so grids fit the cell (e.g. 648×720) instead of rounding up to a power of two.
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
import { Pffft2d, pffftSupports } from './pffft.js';

export { factorize, getPlan, type FftPlan, type FftStage } from './plan.js';
export { Stockham2d } from './stockham2d.js';
export { Pffft2d, pffftSupports, pffftModule, pffftSetup, zFloat, zFrequency, zPosition } from './pffft.js';
export { type SimdKernels, simdKernelsFor } from './simd-kernels.js';
export { BandFft2d, type ColumnRanges, type ZBand, bandFft, bandFftSupports, columnRanges } from './band.js';

/** An in-place 2D complex transform on planar float32 arrays, row-major [ny][nx]. */
export interface Fft2d {
  readonly nx: number;
  readonly ny: number;
  /** In-place forward transform, exp(−2πi k·x/N), unnormalised. */
  forward(re: Float32Array, im: Float32Array): void;
  /** In-place inverse transform, exp(+2πi k·x/N), scaled by 1/(nx·ny). */
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

/** Largest supported size ≤ n (0 when n < 2): the crop an image routine can transform whole. */
export function largestFftSize(n: number): number {
  let m = Math.floor(n);
  while (m >= 2 && !isSupportedFftSize(m)) m--;
  return m >= 2 ? m : 0;
}

/**
 * Smallest size ≥ n that runs on the WASM SIMD path: a multiple of 16 of the form 2^a·3^b·5^c (e.g. 648 → 720,
 * 640 → 640). Per point such sizes transform ~2× faster than the Stockham-only sizes (bench/fft.bench.ts), so a
 * grid may prefer them when a slightly finer sampling is acceptable.
 */
export function nextFastFftSize(n: number): number {
  let m = Math.max(16, 16 * Math.ceil(n / 16));
  while (factorize(m) === undefined) m += 16;
  return m;
}

const wasmCache = new Map<string, Pffft2d>();

/**
 * A 2D transform for an nx × ny grid (both 2^a·3^b·5^c). Twiddles are cached per size; scratch is
 * owned by the instance (Stockham) or cached per size and thread (PFFFT: repeated calls return the
 * same instance, which is safe because transforms are synchronous). No allocation per call.
 * @param options.engine 'auto' (default: PFFFT when both sizes are multiples of 16), 'stockham' or 'pffft'.
 */
export function createFft2d(nx: number, ny: number, options: { engine?: 'auto' | 'stockham' | 'pffft' } = {}): Fft2d {
  if (!isSupportedFftSize(nx) || !isSupportedFftSize(ny)) {
    throw new RangeError(`createFft2d: sizes must be 2^a·3^b·5^c ≥ 2, got ${nx}×${ny}`);
  }
  const engine = options.engine ?? 'auto';
  const wasmOk = pffftSupports(nx) && pffftSupports(ny);
  if (engine === 'pffft' && !wasmOk) throw new RangeError(`createFft2d: PFFFT needs multiples of 16 (and WASM SIMD), got ${nx}×${ny}`);
  if (engine === 'stockham' || !wasmOk) return new Stockham2d(nx, ny);
  const key = `${nx}x${ny}`;
  let f = wasmCache.get(key);
  if (!f) { f = new Pffft2d(nx, ny); wasmCache.set(key, f); }
  return f;
}
