/**
 * 2D complex FFT on planar float32 arrays (re, im), row-major [ny][nx], in place.
 * Convention: forward = Σ f·exp(−2πi k·x/N), unnormalised; inverse = exp(+2πi …) scaled by 1/(nx·ny),
 * so inverse(forward(f)) = f and Parseval reads Σ|F|² = nx·ny·Σ|f|².
 *
 * This first implementation wraps fft.js (radix-4, power-of-two sizes only); the speed issue
 * replaces the internals (mixed radix 2/3/5, float32 Stockham, WASM) behind the same interface.
 */
import { createRequire } from 'node:module';

interface FftJs {
  size: number;
  createComplexArray(): number[];
  transform(out: ArrayLike<number>, data: ArrayLike<number>): void;
  inverseTransform(out: ArrayLike<number>, data: ArrayLike<number>): void;
}
const FFT = createRequire(import.meta.url)('fft.js') as new (n: number) => FftJs;

export interface Fft2d {
  readonly nx: number;
  readonly ny: number;
  /** In-place forward transform (unnormalised). */
  forward(re: Float32Array, im: Float32Array): void;
  /** In-place inverse transform, scaled by 1/(nx·ny). */
  inverse(re: Float32Array, im: Float32Array): void;
}

/** Sizes this FFT supports. */
export function isSupportedFftSize(n: number): boolean {
  return Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0;
}

/** Smallest supported size ≥ n. */
export function nextFftSize(n: number): number {
  let m = 2;
  while (m < n) m *= 2;
  return m;
}

export function createFft2d(nx: number, ny: number): Fft2d {
  if (!isSupportedFftSize(nx) || !isSupportedFftSize(ny)) {
    throw new RangeError(`createFft2d: sizes must be powers of two ≥ 2, got ${nx}×${ny}`);
  }
  const fx = new FFT(nx), fy = new FFT(ny);
  const bx = new Float64Array(2 * nx), ox = new Float64Array(2 * nx);
  const by = new Float64Array(2 * ny), oy = new Float64Array(2 * ny);
  const run = (re: Float32Array, im: Float32Array, inv: boolean): void => {
    for (let y = 0; y < ny; y++) {
      const o = y * nx;
      for (let x = 0; x < nx; x++) { bx[2 * x] = re[o + x]!; bx[2 * x + 1] = im[o + x]!; }
      if (inv) fx.inverseTransform(ox, bx); else fx.transform(ox, bx);
      for (let x = 0; x < nx; x++) { re[o + x] = ox[2 * x]!; im[o + x] = ox[2 * x + 1]!; }
    }
    for (let x = 0; x < nx; x++) {
      for (let y = 0; y < ny; y++) { by[2 * y] = re[y * nx + x]!; by[2 * y + 1] = im[y * nx + x]!; }
      if (inv) fy.inverseTransform(oy, by); else fy.transform(oy, by);
      for (let y = 0; y < ny; y++) { re[y * nx + x] = oy[2 * y]!; im[y * nx + x] = oy[2 * y + 1]!; }
    }
  };
  return {
    nx,
    ny,
    forward: (re, im) => run(re, im, false),
    // fft.js's inverseTransform already divides by its size, per axis: total 1/(nx·ny).
    inverse: (re, im) => run(re, im, true),
  };
}
