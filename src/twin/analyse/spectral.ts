/**
 * Fourier-space filters of a frame on the project's one FFT (src/core/fft): the image is mirror-padded to a fast transform size so that the
 * periodic transform does not wrap one edge onto the other, transformed once, and then low-pass filtered
 * (Gaussian) or demodulated at a lattice frequency (lock-in / geometric-phase analysis, Hÿtch, Snoeck & Kilaas,
 * Ultramicroscopy 74, 131 (1998)) as often as needed.
 */
import { createFft2d, nextFastFftSize, type Fft2d } from '../../core/index.js';
import { gaussianBlur } from '../../multislice/index.js';

/** A mirror-padded frame and its spectrum. */
export interface PaddedSpectrum {
  readonly width: number;
  readonly height: number;
  /** Padded size and the offset of the frame inside it, px. */
  readonly nx: number;
  readonly ny: number;
  readonly px: number;
  readonly py: number;
  /** The padded real image (mean removed). */
  readonly image: Float32Array;
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

/** Mirror-pads `img` by at least `pad_px` on every side to a fast FFT size (transformed on first use). */
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
  const fft = createFft2d(nx, ny);
  return { width, height, nx, ny, px, py, image, mean, fft };
}

const spectra = new WeakMap<PaddedSpectrum, { re: Float32Array; im: Float32Array }>();
/** The forward transform of the padded image (computed once). */
function spectrumOf(s: PaddedSpectrum): { re: Float32Array; im: Float32Array } {
  let t = spectra.get(s);
  if (!t) {
    t = { re: Float32Array.from(s.image), im: new Float32Array(s.nx * s.ny) };
    s.fft.forward(t.re, t.im);
    spectra.set(s, t);
  }
  return t;
}

/** Signed FFT frequency of bin k on a ring of n, cycles/px. */
export function freq(k: number, n: number): number {
  return (k < n / 2 ? k : k - n) / n;
}

/** Gaussian low-pass of the padded frame (σ in px, real space), cropped back to the frame, mean restored. */
export function lowPass(s: PaddedSpectrum, sigma_px: number): Float32Array {
  const { nx, ny } = s;
  const t = spectrumOf(s);
  const re = Float32Array.from(t.re), im = Float32Array.from(t.im);
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
 * image is ≈ mean + 2|Z| cos(2π g·r + arg Z). Returns the complex map on the frame (re, im). Only pixels inside the
 * frame take part (normalised convolution: the window is renormalised near the edges): a mirrored edge would reflect
 * the fringe and pull its phase towards −φ there.
 */
export function lockIn(s: PaddedSpectrum, gx: number, gy: number, sigma_px: number | { along: readonly [number, number]; sigmaAlong_px: number; sigmaAcross_px: number }): { re: Float32Array; im: Float32Array } {
  const { nx, ny, px, py } = s;
  const re = new Float32Array(nx * ny), im = new Float32Array(nx * ny);
  // Frame coordinates (x, y) = (X − px, Y − py), so that the phase refers to the frame's pixel (0, 0).
  const cx = Float64Array.from({ length: nx }, (_, X) => Math.cos(-2 * Math.PI * gx * (X - px)));
  const sx = Float64Array.from({ length: nx }, (_, X) => Math.sin(-2 * Math.PI * gx * (X - px)));
  const inside = (X: number, Y: number): boolean => X >= px && X < px + s.width && Y >= py && Y < py + s.height;
  for (let Y = 0; Y < ny; Y++) {
    const cy = Math.cos(-2 * Math.PI * gy * (Y - py)), sy = Math.sin(-2 * Math.PI * gy * (Y - py));
    for (let X = 0; X < nx; X++) {
      const v = inside(X, Y) ? s.image[Y * nx + X]! : 0;
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
  const w = windowWeight(s, ux, uy, s1, s2);
  const zr = crop(s, re, 0), zi = crop(s, im, 0);
  for (let i = 0; i < zr.length; i++) { const k = 1 / Math.max(1e-6, w[i]!); zr[i]! *= k; zi[i]! *= k; }
  return { re: zr, im: zi };
}

/**
 * The Gaussian window's weight inside the frame at each frame pixel (1 far from the edges), as the product of its
 * marginals along x and y (exact for an axis-aligned window, close for a rotated one). It rescales |Z| near the edges
 * only: the phase, a ratio, does not depend on it.
 */
function windowWeight(s: PaddedSpectrum, ux: number, uy: number, s1: number, s2: number): Float32Array {
  const W = s.width, H = s.height;
  const marginal = (n: number, sig: number): Float64Array => {
    const r = Math.ceil(4 * sig), k = Float64Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sig * sig)));
    const tot = k.reduce((a, b) => a + b, 0);
    return Float64Array.from({ length: n }, (_, x) => { let w = 0; for (let i = Math.max(0, x - r); i <= Math.min(n - 1, x + r); i++) w += k[i - x + r]!; return w / tot; });
  };
  const sx = Math.sqrt(s1 * s1 * ux * ux + s2 * s2 * uy * uy), sy = Math.sqrt(s1 * s1 * uy * uy + s2 * s2 * ux * ux);
  const px = marginal(W, Math.max(0.5, sx)), py = marginal(H, Math.max(0.5, sy));
  const w = new Float32Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) w[y * W + x] = px[x]! * py[y]!;
  return w;
}

function crop(s: PaddedSpectrum, a: Float32Array, add: number): Float32Array {
  const out = new Float32Array(s.width * s.height);
  for (let y = 0; y < s.height; y++) {
    const o = (y + s.py) * s.nx + s.px;
    for (let x = 0; x < s.width; x++) out[y * s.width + x] = a[o + x]! + add;
  }
  return out;
}

/**
 * A wide isotropic lock-in (σ of several lattice periods) on a coarse grid: the frame is demodulated at full
 * resolution, averaged in k × k blocks (k ≈ σ/4), smoothed there (normalised by the blurred block weights, so edges are
 * unbiased) and interpolated back: the same result as {@link lockIn} for a smooth Z at a small fraction of the cost.
 */
export function lockInCoarse(s: PaddedSpectrum, gx: number, gy: number, sigma_px: number): { re: Float32Array; im: Float32Array } {
  const { width: W, height: H, nx, px, py } = s;
  const k = Math.max(1, Math.floor(sigma_px / 4));
  const cw = Math.ceil(W / k), ch = Math.ceil(H / k);
  const ar = new Float32Array(cw * ch), ai = new Float32Array(cw * ch), aw = new Float32Array(cw * ch);
  const cx = Float64Array.from({ length: W }, (_, x) => Math.cos(-2 * Math.PI * gx * x)), sx = Float64Array.from({ length: W }, (_, x) => Math.sin(-2 * Math.PI * gx * x));
  for (let y = 0; y < H; y++) {
    const c0 = Math.cos(-2 * Math.PI * gy * y), s0 = Math.sin(-2 * Math.PI * gy * y);
    const row = Math.floor(y / k) * cw, o = (y + py) * nx + px;
    for (let x = 0; x < W; x++) {
      const v = s.image[o + x]!;
      const b = row + Math.floor(x / k);
      ar[b]! += v * (cx[x]! * c0 - sx[x]! * s0);
      ai[b]! += v * (sx[x]! * c0 + cx[x]! * s0);
      aw[b]! += 1;
    }
  }
  const sg = sigma_px / k;
  const br = gaussianBlur(ar, cw, ch, sg, sg, false), bi = gaussianBlur(ai, cw, ch, sg, sg, false), bw = gaussianBlur(aw, cw, ch, sg, sg, false);
  for (let i = 0; i < cw * ch; i++) { const w = Math.max(1e-9, bw[i]!); br[i]! /= w; bi[i]! /= w; }
  return { re: blockUpsample(br, cw, ch, k, W, H), im: blockUpsample(bi, cw, ch, k, W, H) };
}

/**
 * A W×H image from a grid of k × k block values (block b's centre at ((b + ½)k − ½) px), bilinear between block
 * centres and constant beyond the outer ones.
 */
export function blockUpsample(g: ArrayLike<number>, cw: number, ch: number, k: number, W: number, H: number): Float32Array {
  const out = new Float32Array(W * H);
  const last = cw * ch - 1;
  for (let y = 0; y < H; y++) {
    const fy = Math.min(ch - 1.000001, Math.max(0, (y + 0.5) / k - 0.5)), iy = Math.floor(fy), ty = fy - iy;
    for (let x = 0; x < W; x++) {
      const fx = Math.min(cw - 1.000001, Math.max(0, (x + 0.5) / k - 0.5)), ix = Math.floor(fx), tx = fx - ix;
      const i00 = iy * cw + ix, i01 = Math.min(i00 + 1, last), i10 = Math.min(i00 + cw, last), i11 = Math.min(i10 + 1, last);
      out[y * W + x] = (g[i00]! * (1 - tx) + g[i01]! * tx) * (1 - ty) + (g[i10]! * (1 - tx) + g[i11]! * tx) * ty;
    }
  }
  return out;
}

/**
 * Gaussian smoothing of a frame for wide σ (≥ 4 px) on a coarse grid: k × k block means (k ≈ σ/3), a Gaussian of σ/k
 * there (normalised by the blurred block weights: edges unbiased), bilinear back to full resolution. The low spatial
 * frequencies it keeps are reproduced; narrower σ are blurred directly (src/multislice gaussianBlur).
 */
export function smoothWide(img: ArrayLike<number>, W: number, H: number, sigma_px: number): Float32Array {
  if (sigma_px < 4) return gaussianBlur(Float32Array.from(img), W, H, sigma_px, sigma_px, false);
  const k = Math.max(1, Math.floor(sigma_px / 3));
  const cw = Math.ceil(W / k), ch = Math.ceil(H / k);
  const a = new Float32Array(cw * ch), n = new Float32Array(cw * ch);
  for (let y = 0; y < H; y++) {
    const row = Math.floor(y / k) * cw;
    for (let x = 0; x < W; x++) { const b = row + Math.floor(x / k); a[b]! += img[y * W + x]!; n[b]! += 1; }
  }
  const sg = sigma_px / k;
  const ba = gaussianBlur(a, cw, ch, sg, sg, false), bn = gaussianBlur(n, cw, ch, sg, sg, false);
  for (let i = 0; i < cw * ch; i++) ba[i]! /= Math.max(1e-9, bn[i]!);
  return blockUpsample(ba, cw, ch, k, W, H);
}
