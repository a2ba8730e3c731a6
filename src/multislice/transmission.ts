/**
 * Transmission functions t = exp(iσV) of potential slices, band-limited to the 2/3 aperture
 * (Kirkland 2010, eqs. 6.71 and §6.8: both t and the propagator are limited so that products do not alias).
 */
import type { ComplexField } from './backend/types.js';
import { bandFft, bandFftSupports, columnRanges, createFft2d } from '../core/fft/index.js';
import { type Grid, bandLimit_perA, k2Grid_perA2 } from './grid.js';

/** 1 inside the 2/3 band-limit aperture, 0 outside, FFT layout [ny][nx]. */
export function bandLimitMask(grid: Grid): Uint8Array {
  const k2 = k2Grid_perA2(grid);
  const kc2 = bandLimit_perA(grid) ** 2;
  const m = new Uint8Array(k2.length);
  for (let i = 0; i < k2.length; i++) m[i] = k2[i]! <= kc2 ? 1 : 0;
  return m;
}

/**
 * t(x, y) = exp(iσ V(x, y)) for one slice, band-limited to 2/3 of Nyquist.
 * @param potential_VA projected potential of the slice, V·Å.
 * @param sigma_radPerVA interaction parameter (see interactionParameter_radPerVA).
 * @param out optional destination field (re, im of length nx·ny).
 */
export function transmissionFunction(
  potential_VA: Float32Array,
  sigma_radPerVA: number,
  grid: Grid,
  mask: Uint8Array = bandLimitMask(grid),
  out?: ComplexField,
): ComplexField {
  const n = grid.nx * grid.ny;
  const re = out?.re ?? new Float32Array(n), im = out?.im ?? new Float32Array(n);
  for (let i = 0; i < n; i++) { const p = sigma_radPerVA * potential_VA[i]!; re[i] = Math.cos(p); im[i] = Math.sin(p); }
  const fft = createFft2d(grid.nx, grid.ny);
  fft.forward(re, im);
  for (let i = 0; i < n; i++) if (!mask[i]) { re[i] = 0; im[i] = 0; }
  fft.inverse(re, im);
  return { nx: grid.nx, ny: grid.ny, re, im };
}

/**
 * Fresnel propagator P(k) = exp(−iπλΔz k²) over Δz (Å) in FFT layout, zero outside the 2/3 aperture
 * (Kirkland 2010, eq. 6.92).
 */
export function fresnelPropagator(grid: Grid, wavelength_A: number, dz_A: number): ComplexField {
  const k2 = k2Grid_perA2(grid);
  const mask = bandLimitMask(grid);
  const n = k2.length, re = new Float32Array(n), im = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    const p = -Math.PI * wavelength_A * dz_A * k2[i]!;
    re[i] = Math.cos(p);
    im[i] = Math.sin(p);
  }
  return { nx: grid.nx, ny: grid.ny, re, im };
}

const fineScratch = new Map<number, Float32Array>();

/**
 * t = exp(iσV) taken on the fine grid of `vFine` (an integer multiple s of the wave's grid over the same extent),
 * then band-limited to the wave grid's 2/3 aperture and sampled on the wave's grid: the exact low-pass of the
 * transmission function of V up to the fine grid's aliasing (see fine-potential.ts for why V needs that grid).
 * `vFine` is overwritten (it becomes Re t on the fine grid).
 */
export function transmissionFromFine(vFine: Float32Array, fine: Grid, sigma_radPerVA: number, grid: Grid, mask: Uint8Array, out: ComplexField): void {
  const fn = fine.nx * fine.ny;
  const s = fine.nx / grid.nx;
  if (bandFftSupports(fine.nx, fine.ny)) { bandTransmission(vFine, fine, sigma_radPerVA, grid, mask, out); return; }
  let im = fineScratch.get(fn);
  if (!im) { fineScratch.clear(); im = new Float32Array(fn); fineScratch.set(fn, im); }
  const re = vFine;
  for (let i = 0; i < fn; i++) { const p = sigma_radPerVA * re[i]!; re[i] = Math.cos(p); im[i] = Math.sin(p); }
  createFft2d(fine.nx, fine.ny).forward(re, im);
  const { nx, ny } = grid;
  const scale = 1 / (s * s);
  for (let y = 0; y < ny; y++) {
    const sy = y < (ny + 1) / 2 ? y : y - ny, fy = ((sy + fine.ny) % fine.ny) * fine.nx;
    for (let x = 0; x < nx; x++) {
      const i = y * nx + x;
      if (!mask[i]) { out.re[i] = 0; out.im[i] = 0; continue; }
      const sx = x < (nx + 1) / 2 ? x : x - nx, j = fy + ((sx + fine.nx) % fine.nx);
      out.re[i] = re[j]! * scale;
      out.im[i] = im[j]! * scale;
    }
  }
  createFft2d(nx, ny).inverse(out.re, out.im);
}

/** transmissionFromFine on the band-pruned heap FFT: only the fine columns that hold the wave grid's band are transformed. */
function bandTransmission(vFine: Float32Array, fine: Grid, sigma_radPerVA: number, grid: Grid, mask: Uint8Array, out: ComplexField): void {
  const { nx, ny } = grid, fnx = fine.nx, fny = fine.ny, fn = fnx * fny;
  const bf = bandFft(fnx, fny);
  const H = bf.heap(), A = bf.pa >> 2, B = bf.pb >> 2;
  for (let i = 0, k = A; i < fn; i++, k += 2) { const p = sigma_radPerVA * vFine[i]!; H[k] = Math.cos(p); H[k + 1] = Math.sin(p); }
  const used = new Uint8Array(fnx);
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) if (mask[y * nx + x]) used[((x < (nx + 1) / 2 ? x : x - nx) + fnx) % fnx] = 1;
  bf.forward(columnRanges(fnx, (x) => used[x] === 1).band);
  const scale = 1 / ((fnx / nx) * (fny / ny));
  for (let y = 0; y < ny; y++) {
    const fy = ((y < (ny + 1) / 2 ? y : y - ny) + fny) % fny;
    for (let x = 0; x < nx; x++) {
      const i = y * nx + x;
      if (!mask[i]) { out.re[i] = 0; out.im[i] = 0; continue; }
      const k = B + 2 * ((((x < (nx + 1) / 2 ? x : x - nx) + fnx) % fnx) * fny + fy);
      out.re[i] = H[k]! * scale;
      out.im[i] = H[k + 1]! * scale;
    }
  }
  createFft2d(nx, ny).inverse(out.re, out.im);
}
