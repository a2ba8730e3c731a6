/**
 * The STEM probe: ψ(k) = A(k) exp(−iχ(k)) exp(−2πi k·r₀), A the objective aperture (semi-angle α),
 * χ the aberration function in Krivanek notation (Kirkland 2010 eq. 10.10 / Krivanek et al. 1999):
 *   χ(θ, φ) = (2π/λ) Σ_{n,m} C_nm θ^{n+1}/(n+1) cos(m(φ − φ_nm)),
 * C_nm in Å, φ_nm in rad, θ = λk. Aliases: defocus = −C10 (positive = underfocus, abTEM's sign), Cs = C30.
 * The probe is normalised to Σ|ψ|² = 1 on the grid.
 */
import { InputError, checkFinite } from '../core/index.js';
import type { ComplexField } from './backend/types.js';
import { createFft2d } from '../core/fft/index.js';
import { type Grid, bandLimit_perA, fftFrequencies_perA } from './grid.js';

/** Aberration coefficients: magnitudes C_nm in Å, angles phi_nm in rad; all default 0. */
export interface Aberrations {
  C10?: number; C12?: number; phi12?: number;
  C21?: number; phi21?: number; C23?: number; phi23?: number;
  C30?: number; C32?: number; phi32?: number; C34?: number; phi34?: number;
  C41?: number; phi41?: number; C43?: number; phi43?: number; C45?: number; phi45?: number;
  C50?: number; C52?: number; phi52?: number; C54?: number; phi54?: number; C56?: number; phi56?: number;
  /** Alias: defocus = −C10, Å. */
  defocus?: number;
  /** Alias: Cs = C30, Å. */
  Cs?: number;
}

const ORDERS: readonly [number, number][] = [
  [1, 0], [1, 2], [2, 1], [2, 3], [3, 0], [3, 2], [3, 4], [4, 1], [4, 3], [4, 5], [5, 0], [5, 2], [5, 4], [5, 6],
];

const VALID_KEYS = new Set(['defocus', 'Cs', ...ORDERS.map(([n, m]) => `C${n}${m}`), ...ORDERS.filter(([, m]) => m > 0).map(([n, m]) => `phi${n}${m}`)]);

/** Resolves aliases into plain C_nm/φ_nm; throws InputError on conflicting or non-finite values. */
export function resolveAberrations(ab: Aberrations = {}): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(ab)) {
    if (v === undefined) continue;
    if (!VALID_KEYS.has(k)) throw new InputError(`aberrations.${k}`, v, 'C10…C56, phi12…phi56, defocus or Cs');
    checkFinite(v, `aberrations.${k}`);
    out[k] = v;
  }
  if (out.defocus !== undefined) {
    if (out.C10 !== undefined && out.C10 !== -out.defocus) throw new InputError('aberrations.defocus', out.defocus, 'defocus = −C10 (give one of them)');
    out.C10 = -out.defocus;
    delete out.defocus;
  }
  if (out.Cs !== undefined) {
    if (out.C30 !== undefined && out.C30 !== out.Cs) throw new InputError('aberrations.Cs', out.Cs, 'Cs = C30 (give one of them)');
    out.C30 = out.Cs;
    delete out.Cs;
  }
  return out;
}

/** Aberration phase χ (rad) at scattering angle θ (rad) and azimuth φ (rad). */
export function aberrationPhase_rad(theta_rad: number, phi_rad: number, wavelength_A: number, ab: Record<string, number>): number {
  let chi = 0;
  for (const [n, m] of ORDERS) {
    const c = ab[`C${n}${m}`];
    if (!c) continue;
    const a = m === 0 ? 0 : (ab[`phi${n}${m}`] ?? 0);
    chi += (c * theta_rad ** (n + 1) * Math.cos(m * (phi_rad - a))) / (n + 1);
  }
  return ((2 * Math.PI) / wavelength_A) * chi;
}

/** Probe optics. */
export interface ProbeOptics {
  /** Electron wavelength, Å. */
  readonly wavelength_A: number;
  /** Objective aperture semi-angle, mrad (> 0). */
  readonly semiangle_mrad: number;
  /** Aberrations (Å, rad), default none. */
  readonly aberrations?: Aberrations;
}

/** The probe's aperture pixels (FFT layout indices) and exp(−iχ) on them. */
export interface ApertureSpectrum { ix: Int32Array; iy: Int32Array; re: Float32Array; im: Float32Array }
const spectra = new Map<string, ApertureSpectrum>();

/** exp(−iχ(k)) on the aperture's pixels (cached per grid, optics and defocus offset). */
export function apertureSpectrum(grid: Grid, optics: ProbeOptics, extraC10_A: number): ApertureSpectrum {
  const key = JSON.stringify([grid, optics.wavelength_A, optics.semiangle_mrad, optics.aberrations ?? {}, extraC10_A]);
  const hit = spectra.get(key);
  if (hit) return hit;
  const { nx, ny } = grid;
  const lambda = optics.wavelength_A;
  const ab = resolveAberrations(optics.aberrations);
  ab.C10 = (ab.C10 ?? 0) + extraC10_A;
  const kx = fftFrequencies_perA(nx, grid.extentX_A), ky = fftFrequencies_perA(ny, grid.extentY_A);
  const kmax = (optics.semiangle_mrad * 1e-3) / lambda;
  const ix: number[] = [], iy: number[] = [], re: number[] = [], im: number[] = [];
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    const k = Math.hypot(kx[x]!, ky[y]!);
    if (k > kmax) continue;
    const chi = aberrationPhase_rad(lambda * k, Math.atan2(ky[y]!, kx[x]!), lambda, ab);
    ix.push(x); iy.push(y); re.push(Math.cos(-chi)); im.push(Math.sin(-chi));
  }
  const spec = { ix: Int32Array.from(ix), iy: Int32Array.from(iy), re: Float32Array.from(re), im: Float32Array.from(im) };
  if (spectra.size > 32) spectra.clear();
  spectra.set(key, spec);
  return spec;
}

/**
 * The probe wave in real space centred at (x0_A, y0_A) (any real position: exact Fourier shift),
 * normalised to Σ|ψ|² = 1.
 * @param extraC10_A added to C10 (used for the focal-spread average), default 0.
 */
export function buildProbe(grid: Grid, optics: ProbeOptics, x0_A: number, y0_A: number, extraC10_A = 0): ComplexField {
  const { nx, ny } = grid;
  const lambda = optics.wavelength_A;
  const alpha = optics.semiangle_mrad * 1e-3;
  if (alpha / lambda > bandLimit_perA(grid)) {
    throw new InputError('semiangle', optics.semiangle_mrad, `≤ ${(bandLimit_perA(grid) * lambda * 1e3).toFixed(1)} mrad at this sampling (the 2/3 band limit)`);
  }
  const spec = apertureSpectrum(grid, optics, extraC10_A);
  const kx = fftFrequencies_perA(nx, grid.extentX_A), ky = fftFrequencies_perA(ny, grid.extentY_A);
  // Exact sub-pixel shift: separable phase exp(−2πi(kx·x0 + ky·y0)).
  const exR = new Float64Array(nx), exI = new Float64Array(nx), eyR = new Float64Array(ny), eyI = new Float64Array(ny);
  for (let x = 0; x < nx; x++) { const p = -2 * Math.PI * kx[x]! * x0_A; exR[x] = Math.cos(p); exI[x] = Math.sin(p); }
  for (let y = 0; y < ny; y++) { const p = -2 * Math.PI * ky[y]! * y0_A; eyR[y] = Math.cos(p); eyI[y] = Math.sin(p); }
  const re = new Float32Array(nx * ny), im = new Float32Array(nx * ny);
  for (let j = 0; j < spec.ix.length; j++) {
    const x = spec.ix[j]!, y = spec.iy[j]!;
    const sr = exR[x]! * eyR[y]! - exI[x]! * eyI[y]!, si = exR[x]! * eyI[y]! + exI[x]! * eyR[y]!;
    const br = spec.re[j]!, bi = spec.im[j]!;
    re[y * nx + x] = br * sr - bi * si;
    im[y * nx + x] = br * si + bi * sr;
  }
  createFft2d(nx, ny).inverse(re, im);
  // |Ψ(k)| = 1 on the aperture's pixels: Σ|ψ|² = count / (nx·ny) (Parseval with the 1/N inverse).
  const norm = Math.sqrt((nx * ny) / spec.ix.length);
  for (let i = 0; i < re.length; i++) { re[i]! *= norm; im[i]! *= norm; }
  return { nx, ny, re, im };
}
