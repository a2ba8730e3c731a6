/**
 * The 2D FFT the image routines use, as an injectable provider: core imports nothing from the project, so the
 * default is fft.js 4 (radix-2/4, powers of two) along rows then columns; callers that have a faster or more
 * general transform (src/multislice/fft: mixed radix 2^a·3^b·5^c, WASM SIMD) pass it as an {@link FftProvider}.
 * Convention (same as src/multislice/fft): forward = Σ f·e^{−2πi k·x/N} unnormalised; inverse scaled by 1/(nx·ny).
 */
import { createRequire } from 'node:module';

/** An in-place 2D complex transform on planar float32 arrays, row-major [ny][nx]. */
export interface Fft2d {
  readonly nx: number;
  readonly ny: number;
  /** In-place forward transform (unnormalised). */
  forward(re: Float32Array, im: Float32Array): void;
  /** In-place inverse transform, scaled by 1/(nx·ny). */
  inverse(re: Float32Array, im: Float32Array): void;
}

/** Which sizes a transform handles and how to make one. */
export interface FftProvider {
  /** True when an axis of length n is supported. */
  supports(n: number): boolean;
  /** A transform for an nx × ny grid (both supported). */
  create(nx: number, ny: number): Fft2d;
}

interface FftJs {
  createComplexArray(): number[];
  transform(out: number[], data: number[]): void;
  inverseTransform(out: number[], data: number[]): void;
}
const FFTJS = createRequire(import.meta.url)('fft.js') as new (n: number) => FftJs;

function isPow2(n: number): boolean {
  return Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0;
}

/** fft.js along rows, then columns (interleaved scratch per axis). */
class Radix2Fft2d implements Fft2d {
  private readonly fx: FftJs;
  private readonly fy: FftJs;
  constructor(readonly nx: number, readonly ny: number) {
    this.fx = new FFTJS(nx);
    this.fy = new FFTJS(ny);
  }
  forward(re: Float32Array, im: Float32Array): void {
    this.pass(re, im, false);
  }
  inverse(re: Float32Array, im: Float32Array): void {
    this.pass(re, im, true); // fft.js inverseTransform divides by the length: 1/nx · 1/ny in all
  }
  private pass(re: Float32Array, im: Float32Array, inv: boolean): void {
    const { nx, ny } = this;
    for (const [f, n, count, stride, step] of [[this.fx, nx, ny, 1, nx], [this.fy, ny, nx, nx, 1]] as const) {
      const src = f.createComplexArray();
      const dst = f.createComplexArray();
      for (let line = 0; line < count; line++) {
        const o = line * step;
        for (let k = 0; k < n; k++) {
          src[2 * k] = re[o + k * stride]!;
          src[2 * k + 1] = im[o + k * stride]!;
        }
        if (inv) f.inverseTransform(dst, src);
        else f.transform(dst, src);
        for (let k = 0; k < n; k++) {
          re[o + k * stride] = dst[2 * k]!;
          im[o + k * stride] = dst[2 * k + 1]!;
        }
      }
    }
  }
}

/** Default provider: fft.js, sizes that are powers of two (≥ 2). */
export const radix2Fft: FftProvider = { supports: isPow2, create: (nx, ny) => new Radix2Fft2d(nx, ny) };

/** Largest n' ≤ n the provider supports (0 when none ≥ 2). */
export function largestSupported(fft: FftProvider, n: number): number {
  let m = Math.floor(n);
  while (m >= 2 && !fft.supports(m)) m--;
  return m >= 2 ? m : 0;
}

/** A transform for nx × ny; RangeError when the provider does not support a size. */
export function createFft(fft: FftProvider, nx: number, ny: number): Fft2d {
  if (!fft.supports(nx) || !fft.supports(ny)) throw new RangeError(`FFT: size ${nx}×${ny} not supported by this transform (default: powers of two)`);
  return fft.create(nx, ny);
}
