/**
 * Scan geometry and image post-processing: probe positions, Fourier interpolation of periodic scans,
 * Gaussian source-size blur.
 */
import { createFft2d, nextFftSize } from '../core/fft/index.js';
import { fftFrequencies_perA } from './grid.js';

/** Nyquist scan step for a probe of semi-angle α: the probe intensity is band-limited to 2α/λ, so Δ = λ/(4α), Å. */
export function nyquistStep_A(wavelength_A: number, semiangle_mrad: number): number {
  return wavelength_A / (4 * semiangle_mrad * 1e-3);
}

/** A rectangular grid of probe positions: x_i = x0 + i·dx (i < nx), y_j = y0 + j·dy (j < ny). */
export interface ScanGrid {
  readonly x0_A: number; readonly y0_A: number;
  readonly dx_A: number; readonly dy_A: number;
  readonly nx: number; readonly ny: number;
}

/** Periodic scan over the whole cell with the fewest FFT-friendly points per axis at or below the step. */
export function periodicScan(extentX_A: number, extentY_A: number, maxStep_A: number): ScanGrid {
  const nx = nextFftSize(Math.max(2, Math.ceil(extentX_A / maxStep_A - 1e-9)));
  const ny = nextFftSize(Math.max(2, Math.ceil(extentY_A / maxStep_A - 1e-9)));
  return { x0_A: 0, y0_A: 0, dx_A: extentX_A / nx, dy_A: extentY_A / ny, nx, ny };
}

/**
 * Fourier interpolation (zero-padding or truncation of the spectrum) of a periodic image from
 * (nx, ny) to (mx, my) pixels over the same extent. Exact for band-limited periodic images.
 */
export function fourierResample(img: Float32Array, nx: number, ny: number, mx: number, my: number): Float32Array {
  const fi = createFft2d(nx, ny);
  const re = Float32Array.from(img), im = new Float32Array(nx * ny);
  fi.forward(re, im);
  const kxs = fftFrequencies_perA(nx, nx), kys = fftFrequencies_perA(ny, ny);
  const out = new Float32Array(mx * my);
  const scale = 1 / (nx * ny);
  // Direct evaluation of the band-limited Fourier series at the mx×my points (separable: O(nx·ny·(mx+my))); the real
  // part is kept, which treats the Nyquist term as a cosine (exact at the original samples).
  const tmpR = new Float64Array(ny * mx), tmpI = new Float64Array(ny * mx);
  for (let ky = 0; ky < ny; ky++) {
    for (let x = 0; x < mx; x++) {
      let sr = 0, si = 0;
      const u = x / mx;
      for (let kx = 0; kx < nx; kx++) {
        const f = kxs[kx]! * nx;
        const p = 2 * Math.PI * f * u, c = Math.cos(p), s = Math.sin(p);
        const ar = re[ky * nx + kx]!, ai = im[ky * nx + kx]!;
        sr += ar * c - ai * s;
        si += ar * s + ai * c;
      }
      tmpR[ky * mx + x] = sr;
      tmpI[ky * mx + x] = si;
    }
  }
  for (let y = 0; y < my; y++) {
    const v = y / my;
    for (let x = 0; x < mx; x++) {
      let sr = 0;
      for (let ky = 0; ky < ny; ky++) {
        const f = kys[ky]! * ny;
        const p = 2 * Math.PI * f * v;
        sr += (tmpR[ky * mx + x]! * Math.cos(p) - tmpI[ky * mx + x]! * Math.sin(p));
      }
      out[y * mx + x] = sr * scale;
    }
  }
  return out;
}

/** Separable Gaussian blur with standard deviation (σx, σy) in pixels; periodic or edge-clamped. */
export function gaussianBlur(img: Float32Array, nx: number, ny: number, sigmaX_px: number, sigmaY_px: number, periodic: boolean): Float32Array {
  const kernel = (s: number): Float64Array => {
    if (!(s > 0)) return Float64Array.of(1);
    const r = Math.ceil(4 * s);
    const k = new Float64Array(2 * r + 1);
    let sum = 0;
    for (let i = -r; i <= r; i++) { k[i + r] = Math.exp(-(i * i) / (2 * s * s)); sum += k[i + r]!; }
    for (let i = 0; i < k.length; i++) k[i]! /= sum;
    return k;
  };
  const idx = (i: number, n: number): number => (periodic ? ((i % n) + n) % n : Math.min(n - 1, Math.max(0, i)));
  const kx = kernel(sigmaX_px), ky = kernel(sigmaY_px);
  const rx = (kx.length - 1) / 2, ry = (ky.length - 1) / 2;
  const tmp = new Float64Array(nx * ny), out = new Float32Array(nx * ny);
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    let s = 0;
    for (let i = -rx; i <= rx; i++) s += kx[i + rx]! * img[y * nx + idx(x + i, nx)]!;
    tmp[y * nx + x] = s;
  }
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    let s = 0;
    for (let j = -ry; j <= ry; j++) s += ky[j + ry]! * tmp[idx(y + j, ny) * nx + x]!;
    out[y * nx + x] = s;
  }
  return out;
}

/** Where the probes of an image go and how the result maps to output pixels (shared by multislice and PRISM). */
export interface ScanPlan {
  readonly scan: ScanGrid;
  /** Probe positions, Å, interleaved x,y, row-major over the scan grid. */
  readonly positions_A: Float64Array;
  /** Output image size, pixels. */
  readonly outW: number;
  readonly outH: number;
  /** Output pixel size, Å. */
  readonly pixelX_A: number;
  readonly pixelY_A: number;
  /** True when the scan grid must be Fourier-resampled to the output size (whole periodic cell). */
  readonly resample: boolean;
}

/**
 * The scan of an image: with a region [x0, y0, x1, y1] (Å), probes sit at x0 + i·step; without one the
 * whole periodic cell is scanned at the probe's Nyquist step `nyquist_A` (its intensity is band-limited to
 * 2α/λ, so Fourier interpolation to `step_A` is exact) and resampled.
 */
export function planScan(cell_A: readonly number[], nyquist_A: number, step_A: number, region?: readonly number[]): ScanPlan {
  const [Lx, Ly] = [cell_A[0]!, cell_A[1]!];
  let scan: ScanGrid, outW: number, outH: number;
  if (region) {
    const [x0, y0, x1, y1] = region as [number, number, number, number];
    outW = Math.max(1, Math.round((x1 - x0) / step_A));
    outH = Math.max(1, Math.round((y1 - y0) / step_A));
    scan = { x0_A: x0, y0_A: y0, dx_A: step_A, dy_A: step_A, nx: outW, ny: outH };
  } else {
    scan = periodicScan(Lx, Ly, nyquist_A);
    outW = Math.max(1, Math.round(Lx / step_A));
    outH = Math.max(1, Math.round(Ly / step_A));
  }
  const positions_A = new Float64Array(2 * scan.nx * scan.ny);
  for (let j = 0; j < scan.ny; j++) for (let i = 0; i < scan.nx; i++) {
    positions_A[2 * (j * scan.nx + i)] = scan.x0_A + i * scan.dx_A;
    positions_A[2 * (j * scan.nx + i) + 1] = scan.y0_A + j * scan.dy_A;
  }
  return {
    scan, positions_A, outW, outH,
    pixelX_A: region ? step_A : Lx / outW, pixelY_A: region ? step_A : Ly / outH,
    resample: !region && (outW !== scan.nx || outH !== scan.ny),
  };
}
