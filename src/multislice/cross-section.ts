/**
 * Grid-free HAADF cross-section of one isolated atom in the projection (single-slice) approximation: the reference
 * that the multislice's potential sampling is tested against (test/multislice/convergence.test.ts).
 *
 * For one slice holding one atom, averaging the detector signal over all probe positions of a periodic scan removes
 * the interference between the probe's partial waves, leaving (Kirkland 2010, §7.3; E et al., Ultramicroscopy 133
 * (2013) 109, "probe-integrated cross-section")
 *   σ_det = ∫ d²k |T(k)|² D(k),   T(k) = 2π ∫₀^∞ (exp(iσV(r)) − 1) J0(2πkr) r dr,
 * where V(r) is the closed-form projected potential (all spatial frequencies) and D(k) the fraction of the aperture
 * disc |q| ≤ α/λ for which |k + q| falls on the detector. So the mean of a whole-cell image times the cell area
 * equals σ_det for any converged multislice. Numerics: T by the trapezoidal rule in u = ln r (r from 1e-7 to 12 Å,
 * 40 000 nodes: ≥ 30 nodes per period of J0 at the outer angle), D on a 48 × 96 polar grid.
 */
import type { AnnularDetector } from './detector.js';
import { createFft2d } from '../core/fft/index.js';
import { type Grid, fftFrequencies_perA } from './grid.js';
import { interactionParameter_radPerVA, wavelength_A } from './optics.js';
import { type Parametrization, checkElement, projectedPotentialClosedForm_VA } from './parametrizations/index.js';
import { besselJ0 } from './parametrizations/bessel.js';

/** Options of {@link isolatedAtomCrossSection_A2}. */
export interface CrossSectionOptions {
  energy_eV: number;
  semiangle_mrad: number;
  detector: AnnularDetector;
  parametrization?: Parametrization;
}

/**
 * Probe-integrated annular-detector cross-section of one isolated atom of element Z, Å² (the scan-averaged signal,
 * as a fraction of the beam, times the cell area).
 * @example isolatedAtomCrossSection_A2(79, { energy_eV: 200e3, semiangle_mrad: 15.07, detector: { inner_mrad: 70, outer_mrad: 180 } })
 */
export function isolatedAtomCrossSection_A2(Z: number, o: CrossSectionOptions): number {
  const param = o.parametrization ?? 'lobato';
  checkElement(Z, param);
  const lambda = wavelength_A(o.energy_eV), sigma = interactionParameter_radPerVA(o.energy_eV);
  const a = (o.semiangle_mrad * 1e-3) / lambda;
  const k1 = (o.detector.inner_mrad * 1e-3) / lambda, k2 = (o.detector.outer_mrad * 1e-3) / lambda;
  // (exp(iσV) − 1)·r² du on u = ln r.
  const nu = 40000, u0 = Math.log(1e-7), u1 = Math.log(12), du = (u1 - u0) / nu;
  const rs = new Float64Array(nu + 1), gr = new Float64Array(nu + 1), gi = new Float64Array(nu + 1);
  for (let j = 0; j <= nu; j++) {
    const r = Math.exp(u0 + j * du), p = sigma * projectedPotentialClosedForm_VA(Z, r, param), w = (j === 0 || j === nu ? 0.5 : 1) * du * r * r;
    rs[j] = 2 * Math.PI * r;
    gr[j] = (Math.cos(p) - 1) * w;
    gi[j] = Math.sin(p) * w;
  }
  // |T(k)|² D(k) 2πk on k ∈ [max(0, k1 − a), k2 + a] (Simpson).
  const kLo = Math.max(0, k1 - a), kHi = k2 + a, nk = 160, dk = (kHi - kLo) / nk;
  const nRho = 48, nPhi = 96;
  let total = 0;
  for (let i = 0; i <= nk; i++) {
    const k = kLo + i * dk;
    let tr = 0, ti = 0;
    for (let j = 0; j <= nu; j++) { const b = besselJ0(rs[j]! * k); tr += gr[j]! * b; ti += gi[j]! * b; }
    tr *= 2 * Math.PI;
    ti *= 2 * Math.PI;
    // D(k): fraction of the aperture disc (uniform in area) with k1 ≤ |k + q| < k2 (midpoint rule in ρ², φ).
    let inside = 0;
    for (let m = 0; m < nRho; m++) {
      const rho = a * Math.sqrt((m + 0.5) / nRho);
      for (let n = 0; n < nPhi; n++) {
        const q2 = k * k + rho * rho + 2 * k * rho * Math.cos((2 * Math.PI * (n + 0.5)) / nPhi);
        if (q2 >= k1 * k1 && q2 < k2 * k2) inside++;
      }
    }
    const simpson = i === 0 || i === nk ? 1 : i % 2 === 1 ? 4 : 2;
    total += simpson * (tr * tr + ti * ti) * (inside / (nRho * nPhi)) * 2 * Math.PI * k;
  }
  return (total * dk) / 3;
}

/**
 * The same probe-integrated cross-section from a transmission function on a grid (one slice, as multislice uses it):
 * A·Σ_{k∈det} Σ_q |Ψ(q)|² |T(k − q)|², T the Fourier coefficients of t over the cell, |Ψ(q)|² uniform on the aperture's
 * pixels; equal to the mean of a whole-cell single-slice image times the cell area, without running the scan.
 * @param t transmission function (re, im planes, [ny][nx]) on `grid`.
 */
export function transmissionCrossSection_A2(t: { re: Float32Array; im: Float32Array }, grid: Grid, o: CrossSectionOptions): number {
  const { nx, ny } = grid;
  const n = nx * ny;
  const f = createFft2d(nx, ny);
  const r32 = Float32Array.from(t.re), i32 = Float32Array.from(t.im);
  f.forward(r32, i32);
  const lambda = wavelength_A(o.energy_eV);
  const kx = fftFrequencies_perA(nx, grid.extentX_A), ky = fftFrequencies_perA(ny, grid.extentY_A);
  const a2 = ((o.semiangle_mrad * 1e-3) / lambda) ** 2, lo2 = ((o.detector.inner_mrad * 1e-3) / lambda) ** 2, hi2 = ((o.detector.outer_mrad * 1e-3) / lambda) ** 2;
  const ap: [number, number][] = [];
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) if (kx[x]! ** 2 + ky[y]! ** 2 <= a2) ap.push([x, y]);
  let s = 0;
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    const k2 = kx[x]! ** 2 + ky[y]! ** 2;
    if (k2 < lo2 || k2 >= hi2) continue;
    for (const [qx, qy] of ap) {
      const j = ((y - qy + ny) % ny) * nx + ((x - qx + nx) % nx);
      s += (r32[j]! ** 2 + i32[j]! ** 2) / (n * n);
    }
  }
  return (s / ap.length) * grid.extentX_A * grid.extentY_A;
}
