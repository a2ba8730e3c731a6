/**
 * Fourier-space filters of a frame on the project's one FFT (src/twin/register's `mixedRadixFft` provider, i.e.
 * src/multislice/fft through src/core/image): the image is mirror-padded to a fast transform size so that the
 * periodic transform does not wrap one edge onto the other, transformed once, and then low-pass filtered
 * (Gaussian) or demodulated at a lattice frequency (lock-in / geometric-phase analysis, Hÿtch, Snoeck & Kilaas,
 * Ultramicroscopy 74, 131 (1998)) as often as needed.
 */
import { createFft, type Fft2d } from '../../core/index.js';
import { nextFastFftSize } from '../../multislice/fft/index.js';
import { mixedRadixFft } from '../register/index.js';

/** A mirror-padded frame and its spectrum. */
export interface PaddedSpectrum {
  readonly width: number;
  readonly height: number;
  /** Padded size and the offset of the frame inside it, px. */
  readonly nx: number;
  readonly ny: number;
  readonly px: number;
  readonly py: number;
  /** The padded real image (mean removed) and its forward transform. */
  readonly image: Float32Array;
  readonly re: Float32Array;
  readonly im: Float32Array;
  /** Mean of the frame (removed before transforming). */
  readonly mean: number;
  readonly fft: Fft2d;
}

/** Reflects an index into [0, n) (…2 1 0 | 0 1 2 … n−1 | n−1 n−2 …). */
function reflect(i: number, n: number): number {
  const p = 2 * n;
  let m = ((i % p) + p) % p;
  if (m >= n) m = p - 1 - m;
  return m;
}

/** Mirror-pads `img` by at least `pad_px` on every side to a fast FFT size and transforms it. */
export function paddedSpectrum(img: ArrayLike<number>, width: number, height: number, pad_px: number): PaddedSpectrum {
  const nx = nextFastFftSize(width + 2 * Math.ceil(pad_px)), ny = nextFastFftSize(height + 2 * Math.ceil(pad_px));
  const px = Math.floor((nx - width) / 2), py = Math.floor((ny - height) / 2);
  let mean = 0;
  for (let i = 0; i < width * height; i++) mean += img[i]!;
  mean /= width * height;
  const image = new Float32Array(nx * ny);
  const xs = Int32Array.from({ length: nx }, (_, X) => reflect(X - px, width));
  for (let Y = 0; Y < ny; Y++) {
    const o = reflect(Y - py, height) * width;
    for (let X = 0; X < nx; X++) image[Y * nx + X] = img[o + xs[X]!]! - mean;
  }
  const fft = createFft(mixedRadixFft, nx, ny);
  const re = Float32Array.from(image), im = new Float32Array(nx * ny);
  fft.forward(re, im);
  return { width, height, nx, ny, px, py, image, re, im, mean, fft };
}

/** Signed FFT frequency of bin k on a ring of n, cycles/px. */
export function freq(k: number, n: number): number {
  return (k < n / 2 ? k : k - n) / n;
}

/** Gaussian low-pass of the padded frame (σ in px, real space), cropped back to the frame, mean restored. */
export function lowPass(s: PaddedSpectrum, sigma_px: number): Float32Array {
  const { nx, ny } = s;
  const re = Float32Array.from(s.re), im = Float32Array.from(s.im);
  const a = -2 * Math.PI * Math.PI * sigma_px * sigma_px;
  const gx = Float64Array.from({ length: nx }, (_, k) => Math.exp(a * freq(k, nx) ** 2));
  for (let Y = 0; Y < ny; Y++) {
    const gy = Math.exp(a * freq(Y, ny) ** 2);
    for (let X = 0; X < nx; X++) {
      const f = gx[X]! * gy;
      re[Y * nx + X]! *= f;
      im[Y * nx + X]! *= f;
    }
  }
  s.fft.inverse(re, im);
  return crop(s, re, s.mean);
}

/**
 * Lock-in demodulation at frequency g = (gx, gy) cycles/px: Z(r) = G_σ ⊗ [f(r)·e^{−2πi g·r}], so that near r the
 * image is ≈ mean + 2|Z| cos(2π g·r + arg Z). Returns the complex map on the frame (re, im).
 */
export function lockIn(s: PaddedSpectrum, gx: number, gy: number, sigma_px: number | { along: readonly [number, number]; sigmaAlong_px: number; sigmaAcross_px: number }): { re: Float32Array; im: Float32Array } {
  const { nx, ny, px, py } = s;
  const re = new Float32Array(nx * ny), im = new Float32Array(nx * ny);
  // Frame coordinates (x, y) = (X − px, Y − py), so that the phase refers to the frame's pixel (0, 0).
  const cx = Float64Array.from({ length: nx }, (_, X) => Math.cos(-2 * Math.PI * gx * (X - px)));
  const sx = Float64Array.from({ length: nx }, (_, X) => Math.sin(-2 * Math.PI * gx * (X - px)));
  for (let Y = 0; Y < ny; Y++) {
    const cy = Math.cos(-2 * Math.PI * gy * (Y - py)), sy = Math.sin(-2 * Math.PI * gy * (Y - py));
    for (let X = 0; X < nx; X++) {
      const v = s.image[Y * nx + X]!;
      const c = cx[X]! * cy - sx[X]! * sy, sn = sx[X]! * cy + cx[X]! * sy;
      re[Y * nx + X] = v * c;
      im[Y * nx + X] = v * sn;
    }
  }
  s.fft.forward(re, im);
  // Gaussian window: isotropic σ, or σ_along along the unit vector `along` and σ_across perpendicular to it.
  const [ux, uy] = typeof sigma_px === 'number' ? [1, 0] : (() => { const l = Math.hypot(sigma_px.along[0], sigma_px.along[1]); return [sigma_px.along[0] / l, sigma_px.along[1] / l]; })();
  const s1 = typeof sigma_px === 'number' ? sigma_px : sigma_px.sigmaAlong_px, s2 = typeof sigma_px === 'number' ? sigma_px : sigma_px.sigmaAcross_px;
  const a1 = -2 * Math.PI * Math.PI * s1 * s1, a2 = -2 * Math.PI * Math.PI * s2 * s2;
  for (let Y = 0; Y < ny; Y++) {
    const ky = freq(Y, ny);
    for (let X = 0; X < nx; X++) {
      const kx = freq(X, nx);
      const kp = kx * ux + ky * uy, kq = -kx * uy + ky * ux;
      const f = Math.exp(a1 * kp * kp + a2 * kq * kq);
      re[Y * nx + X]! *= f;
      im[Y * nx + X]! *= f;
    }
  }
  s.fft.inverse(re, im);
  return { re: crop(s, re, 0), im: crop(s, im, 0) };
}

function crop(s: PaddedSpectrum, a: Float32Array, add: number): Float32Array {
  const out = new Float32Array(s.width * s.height);
  for (let y = 0; y < s.height; y++) {
    const o = (y + s.py) * s.nx + s.px;
    for (let x = 0; x < s.width; x++) out[y * s.width + x] = a[o + x]! + add;
  }
  return out;
}
