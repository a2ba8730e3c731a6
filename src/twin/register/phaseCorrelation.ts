/**
 * Sub-pixel drift registration by (partially whitened) phase correlation with upsampled-DFT refinement
 * (Guizar-Sicairos, Thurman & Fienup, Opt. Lett. 33, 156 (2008)): the normalised cross-power
 * spectrum's inverse transform peaks at the shift; the peak is refined by evaluating that inverse
 * DFT on a fine grid (1/upsample px) around the coarse peak with separable matrix products.
 *
 * Images of any size: the central region of the largest FFT-friendly size (2^a·3^b·5^c) is used,
 * Hann-windowed against edge leakage.
 */
import { InputError } from '../../core/index.js';
import { createFft2d, isSupportedFftSize } from '../../multislice/fft/index.js';

/** Result of a registration. */
export interface Registration {
  /** Shift of `moving` relative to `ref`, px: moving(x, y) ≈ ref(x − dx, y − dy). */
  dx_px: number;
  dy_px: number;
  /** Peak height of the normalised phase correlation (1 = perfect match, ~0 = no match). */
  peak: number;
}

/** Options for {@link registerPhaseCorrelation}. */
export interface RegistrationOptions {
  /** Upsampling factor of the refinement (precision 1/upsample px). Default 20. */
  upsample?: number;
  /** Apply a Hann window before transforming. Default true. */
  window?: boolean;
  /**
   * Spectral whitening exponent p: the cross-power spectrum is divided by its modulus^p.
   * p = 1 is classic phase correlation (sharpest peak, but noise-dominated high frequencies weigh
   * as much as the signal), p = 0 plain cross-correlation (Guizar-Sicairos et al.; most robust to shot noise). Default 0.
   */
  whitening?: number;
}

function prevSupported(n: number): number {
  let m = n;
  while (m >= 2 && !isSupportedFftSize(m)) m--;
  return m;
}

/**
 * Register `moving` against `ref` (same width × height, row-major). Returns the sub-pixel shift.
 * @example const { dx_px, dy_px } = registerPhaseCorrelation(frame0, frame1, 256, 256);
 */
export function registerPhaseCorrelation(ref: ArrayLike<number>, moving: ArrayLike<number>, width: number, height: number, opts: RegistrationOptions = {}): Registration {
  if (ref.length !== width * height || moving.length !== width * height) throw new InputError('images', `${ref.length}, ${moving.length} px`, `${width}×${height} = ${width * height} px each`);
  if (width < 8 || height < 8) throw new InputError('width×height', `${width}×${height}`, 'at least 8×8 px');
  const up = Math.max(1, Math.round(opts.upsample ?? 20));
  const nx = prevSupported(width);
  const ny = prevSupported(height);
  const x0 = Math.floor((width - nx) / 2);
  const y0 = Math.floor((height - ny) / 2);
  const fft = createFft2d(nx, ny);
  const load = (src: ArrayLike<number>) => {
    const re = new Float32Array(nx * ny);
    let mean = 0;
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) mean += src[(y + y0) * width + x + x0]!;
    mean /= nx * ny;
    for (let y = 0; y < ny; y++) {
      const wy = opts.window === false ? 1 : 0.5 - 0.5 * Math.cos((2 * Math.PI * (y + 0.5)) / ny);
      for (let x = 0; x < nx; x++) {
        const wx = opts.window === false ? 1 : 0.5 - 0.5 * Math.cos((2 * Math.PI * (x + 0.5)) / nx);
        re[y * nx + x] = (src[(y + y0) * width + x + x0]! - mean) * wx * wy;
      }
    }
    const im = new Float32Array(nx * ny);
    fft.forward(re, im);
    return { re, im };
  };
  const A = load(ref);
  const B = load(moving);
  // R = B · conj(A) / |B · conj(A)|^p: its inverse DFT peaks at +shift.
  const p = Math.min(1, Math.max(0, opts.whitening ?? 0));
  const Rr = new Float64Array(nx * ny);
  const Ri = new Float64Array(nx * ny);
  const cr = new Float32Array(nx * ny);
  const ci = new Float32Array(nx * ny);
  for (let i = 0; i < nx * ny; i++) {
    const re = B.re[i]! * A.re[i]! + B.im[i]! * A.im[i]!;
    const im = B.im[i]! * A.re[i]! - B.re[i]! * A.im[i]!;
    const m = Math.hypot(re, im);
    const s = m > 1e-30 ? m ** -p : 0;
    Rr[i] = re * s;
    Ri[i] = im * s;
    cr[i] = Rr[i]!;
    ci[i] = Ri[i]!;
  }
  fft.inverse(cr, ci);
  let best = -Infinity;
  let px = 0;
  let py = 0;
  let norm = 0;
  for (let i = 0; i < nx * ny; i++) norm += Math.hypot(Rr[i]!, Ri[i]!);
  for (let i = 0; i < nx * ny; i++) {
    if (cr[i]! > best) {
      best = cr[i]!;
      px = i % nx;
      py = Math.floor(i / nx);
    }
  }
  if (px > nx / 2) px -= nx;
  if (py > ny / 2) py -= ny;
  // Peak normalised so that identical images give 1.
  const peakOf = (v: number) => (norm > 0 ? v / norm : 0);
  if (up === 1) return { dx_px: px, dy_px: py, peak: peakOf(best * nx * ny) };
  // Drop the Nyquist row/column (its phase is ambiguous for real images) from the refinement.
  for (let r = 0; r < ny; r++) for (let k = 0; k < nx; k++) {
    if ((nx % 2 === 0 && k === nx / 2) || (ny % 2 === 0 && r === ny / 2)) {
      Rr[r * nx + k] = 0;
      Ri[r * nx + k] = 0;
    }
  }

  // Upsampled DFT on a (2·1.5·up + 1)² grid around the coarse peak.
  const half = Math.ceil(1.5 * up);
  const m = 2 * half + 1;
  const xs = Float64Array.from({ length: m }, (_, j) => px + (j - half) / up);
  const ys = Float64Array.from({ length: m }, (_, j) => py + (j - half) / up);
  const kx = Float64Array.from({ length: nx }, (_, k) => (k < nx / 2 ? k : k - nx));
  const ky = Float64Array.from({ length: ny }, (_, k) => (k < ny / 2 ? k : k - ny));
  // G[ky][xj] = Σ_kx R[ky][kx] e^{+2πi kx xj / nx}: dot products over contiguous kx.
  const Gr = new Float64Array(ny * m);
  const Gi = new Float64Array(ny * m);
  const er = new Float64Array(m * nx);
  const ei = new Float64Array(m * nx);
  for (let j = 0; j < m; j++) for (let k = 0; k < nx; k++) {
    const ph = (2 * Math.PI * kx[k]! * xs[j]!) / nx;
    er[j * nx + k] = Math.cos(ph);
    ei[j * nx + k] = Math.sin(ph);
  }
  for (let r = 0; r < ny; r++) {
    const o = r * nx;
    for (let j = 0; j < m; j++) {
      const e = j * nx;
      let accR = 0;
      let accI = 0;
      for (let k = 0; k < nx; k++) {
        const ar = Rr[o + k]!;
        const ai = Ri[o + k]!;
        const br = er[e + k]!;
        const bi = ei[e + k]!;
        accR += ar * br - ai * bi;
        accI += ar * bi + ai * br;
      }
      Gr[r * m + j] = accR;
      Gi[r * m + j] = accI;
    }
  }
  let fine = -Infinity;
  let fx = 0;
  let fy = 0;
  for (let iy = 0; iy < m; iy++) {
    const row = new Float64Array(m);
    for (let r = 0; r < ny; r++) {
      const ph = (2 * Math.PI * ky[r]! * ys[iy]!) / ny;
      const c = Math.cos(ph);
      const s = Math.sin(ph);
      for (let j = 0; j < m; j++) row[j]! += Gr[r * m + j]! * c - Gi[r * m + j]! * s;
    }
    for (let j = 0; j < m; j++) {
      if (row[j]! > fine) {
        fine = row[j]!;
        fx = xs[j]!;
        fy = ys[iy]!;
      }
    }
  }
  return { dx_px: fx, dy_px: fy, peak: peakOf(fine) };
}

/**
 * Shift an image by (dx, dy) px with the Fourier shift theorem (periodic; exact for band-limited
 * images). Sizes must be 2^a·3^b·5^c. out(x) = img(x − d).
 */
export function fourierShift(img: ArrayLike<number>, width: number, height: number, dx_px: number, dy_px: number): Float32Array {
  const fft = createFft2d(width, height);
  const re = Float32Array.from(img as ArrayLike<number>);
  const im = new Float32Array(width * height);
  fft.forward(re, im);
  for (let y = 0; y < height; y++) {
    const fy = (y < height / 2 ? y : y - height) / height;
    for (let x = 0; x < width; x++) {
      const fxx = (x < width / 2 ? x : x - width) / width;
      const ph = -2 * Math.PI * (fxx * dx_px + fy * dy_px);
      const c = Math.cos(ph);
      const s = Math.sin(ph);
      const i = y * width + x;
      const a = re[i]!;
      const b = im[i]!;
      re[i] = a * c - b * s;
      im[i] = a * s + b * c;
    }
  }
  fft.inverse(re, im);
  return re;
}

/** Shift an image by (dx, dy) px with bilinear interpolation (edges clamped). out(x) = img(x − d). */
export function shiftBilinear(img: ArrayLike<number>, width: number, height: number, dx_px: number, dy_px: number): Float32Array {
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(height - 1, Math.max(0, y - dy_px));
    const y0 = Math.min(height - 2, Math.floor(sy));
    const ty = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(width - 1, Math.max(0, x - dx_px));
      const x0 = Math.min(width - 2, Math.floor(sx));
      const tx = sx - x0;
      const i = y0 * width + x0;
      out[y * width + x] = (1 - ty) * ((1 - tx) * img[i]! + tx * img[i + 1]!) + ty * ((1 - tx) * img[i + width]! + tx * img[i + width + 1]!);
    }
  }
  return out;
}
