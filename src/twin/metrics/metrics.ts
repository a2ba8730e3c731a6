/**
 * Image similarity metrics for comparing simulated and experimental frames: zero-mean normalised
 * cross-correlation (NCC), structural similarity (SSIM, Wang et al., IEEE TIP 13, 600 (2004)),
 * and Poisson χ² / deviance for count images.
 */
import { InputError } from '../../core/index.js';

function sameSize(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length || a.length === 0) throw new InputError('images', `${a.length} vs ${b.length} pixels`, 'two non-empty images of the same size');
}

/** Zero-mean normalised cross-correlation, in [−1, 1]; 0 when either image is constant. */
export function ncc(a: ArrayLike<number>, b: ArrayLike<number>): number {
  sameSize(a, b);
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]! - ma;
    const y = b[i]! - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/** SSIM options (defaults of Wang et al. 2004). */
export interface SsimOptions {
  /** Gaussian window σ, px. Default 1.5 (11×11 window, truncated at 3.5σ). */
  sigma_px?: number;
  /** Dynamic range L. Default: max − min over both images. */
  range?: number;
  /** K1, default 0.01. */
  k1?: number;
  /** K2, default 0.03. */
  k2?: number;
}

function blur(src: Float64Array, w: number, h: number, kern: Float64Array): Float64Array {
  const r = (kern.length - 1) / 2;
  const tmp = new Float64Array(w * h);
  const out = new Float64Array(w * h);
  // Separable Gaussian with renormalisation at the borders ("valid" weights). Rows: contiguous taps; columns: whole
  // rows are weighted and added (contiguous in memory), then divided by the weight that fell inside the image.
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let x = 0; x < w; x++) {
      let acc = 0, ws = 0;
      const k0 = Math.max(-r, -x), k1 = Math.min(r, w - 1 - x);
      for (let k = k0; k <= k1; k++) { const kv = kern[k + r]!; acc += kv * src[o + x + k]!; ws += kv; }
      tmp[o + x] = acc / ws;
    }
  }
  for (let y = 0; y < h; y++) {
    const o = y * w;
    const k0 = Math.max(-r, -y), k1 = Math.min(r, h - 1 - y);
    let ws = 0;
    for (let k = k0; k <= k1; k++) {
      const kv = kern[k + r]!, oo = (y + k) * w;
      ws += kv;
      for (let x = 0; x < w; x++) out[o + x]! += kv * tmp[oo + x]!;
    }
    for (let x = 0; x < w; x++) out[o + x]! /= ws;
  }
  return out;
}

/** Mean SSIM over the image with a Gaussian window; 1 for identical images, in [−1, 1]. */
export function ssim(a: ArrayLike<number>, b: ArrayLike<number>, width: number, height: number, opts: SsimOptions = {}): number {
  sameSize(a, b);
  if (a.length !== width * height) throw new InputError('width×height', `${width}×${height}`, `${a.length} pixels`);
  const sigma = opts.sigma_px ?? 1.5;
  const r = Math.max(1, Math.ceil(3.5 * sigma));
  const kern = new Float64Array(2 * r + 1).map((_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < a.length; i++) {
    lo = Math.min(lo, a[i]!, b[i]!);
    hi = Math.max(hi, a[i]!, b[i]!);
  }
  const L = opts.range ?? (hi > lo ? hi - lo : 1);
  const c1 = ((opts.k1 ?? 0.01) * L) ** 2;
  const c2 = ((opts.k2 ?? 0.03) * L) ** 2;
  const n = a.length;
  const A = Float64Array.from(a as ArrayLike<number>);
  const B = Float64Array.from(b as ArrayLike<number>);
  const AA = new Float64Array(n);
  const BB = new Float64Array(n);
  const AB = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    AA[i] = A[i]! * A[i]!;
    BB[i] = B[i]! * B[i]!;
    AB[i] = A[i]! * B[i]!;
  }
  const ma = blur(A, width, height, kern);
  const mb = blur(B, width, height, kern);
  const saa = blur(AA, width, height, kern);
  const sbb = blur(BB, width, height, kern);
  const sab = blur(AB, width, height, kern);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const mx = ma[i]!;
    const my = mb[i]!;
    const vx = saa[i]! - mx * mx;
    const vy = sbb[i]! - my * my;
    const cxy = sab[i]! - mx * my;
    acc += ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
  }
  return acc / n;
}

/** Poisson goodness of fit of observed counts against expected counts. */
export interface PoissonChi2 {
  /** Pearson χ² = Σ (n − λ)² / λ over pixels with λ > 0. */
  chi2: number;
  /** Poisson deviance 2 Σ [n ln(n/λ) − (n − λ)] (the likelihood-ratio statistic). */
  deviance: number;
  /** Pixels used (λ > 0). */
  n: number;
  /** χ² / n: ≈ 1 when the observations are Poisson draws of the model. */
  reduced: number;
}

/** Poisson χ² and deviance of `observed` counts against `expected` counts (same length). */
export function poissonChi2(observed: ArrayLike<number>, expected: ArrayLike<number>): PoissonChi2 {
  sameSize(observed, expected);
  let chi2 = 0;
  let dev = 0;
  let n = 0;
  for (let i = 0; i < observed.length; i++) {
    const lam = expected[i]!;
    const k = observed[i]!;
    if (!(lam > 0)) continue;
    chi2 += ((k - lam) * (k - lam)) / lam;
    dev += 2 * ((k > 0 ? k * Math.log(k / lam) : 0) - (k - lam));
    n++;
  }
  return { chi2, deviance: dev, n, reduced: n > 0 ? chi2 / n : NaN };
}
