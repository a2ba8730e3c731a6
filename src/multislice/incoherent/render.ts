/**
 * The incoherent image: object function O(r) = Σ_c σ_c G_{w_c}(r − r_c) (calibrated cross-sections σ and
 * Gaussian widths w), convolved with the probe intensity |P|² by FFT on a fine periodic grid over the cell
 * (so the probe's whole r⁻³ Airy halo, which carries most of the signal at dim Li sites, is included), then
 * sampled at the output pixels by periodic Catmull–Rom interpolation.
 */
import type { Atoms } from '../../lattice/atoms.js';
import { createFft2d } from '../../core/fft/index.js';
import { bilinearTaps } from '../../core/image/index.js';
import { type Grid, fftFrequencies_perA, makeGrid } from '../grid.js';
import type { HaadfOptions } from '../options.js';
import { wavelength_A } from '../optics.js';
import { buildProbe } from '../probe.js';
import { type ColumnCalibration, calibrateColumn, calibrateMixedColumn } from './calibrate.js';
import { type CalibrationLookup, type CrossSection, columnCrossSection, needsMixedCalibration } from './table.js';
import { type Columns, findColumns } from './columns.js';

/** Largest pixel of the fine rendering grid, Å (the probe intensity is band-limited to 2α/λ ≈ 1.2 Å⁻¹ at 15 mrad). */
export const FINE_SAMPLING_A = 0.1;

export { MIX_DELTA_Z } from './table.js';

/** Columns with their calibrated cross-sections (Å²) and object widths (Å). */
export interface ColumnModel {
  readonly cols: Columns;
  readonly crossSection_A2: Float64Array;
  readonly width_A: Float64Array;
  readonly calibrations: { Z: number; spacing_A: number; sites: number; crossSection_A2: number; width_A: number }[];
}

/**
 * Column model: the columns of `atoms` (findColumns) with σ_c and w_c by the composition rule of table.ts
 * (columnCrossSection), from columns calibrated by multislice for every element, spacing and length present, and a
 * mixed column for every strongly different host/guest pair present.
 */
export function buildColumnModel(atoms: Atoms, opts: HaadfOptions, onCalibrated?: () => void): ColumnModel {
  const cols = findColumns(atoms);
  const keyOf = (Z: number, s: number): string => `${Z}:${s.toFixed(2)}`;
  const longest = new Map<string, { Z: number; spacing: number; sites: number }>();
  for (let c = 0; c < cols.n; c++) for (const [Z] of cols.content[c]!) {
    const k = keyOf(Z, cols.spacing_A[c]!);
    const cur = longest.get(k);
    if (!cur || cur.sites < cols.sites[c]!) longest.set(k, { Z, spacing: Number(cols.spacing_A[c]!.toFixed(2)), sites: cols.sites[c]! });
  }
  const table = new Map<string, ColumnCalibration>();
  for (const [k, v] of longest) {
    table.set(k, calibrateColumn(v.Z, v.spacing, v.sites, { ...opts, workers: 1 }));
    onCalibrated?.();
  }
  // Host/guest pairs of strongly different elements (Ni in a Li column): composition interpolated through a
  // calibrated mixed column, since channelling makes the signal non-linear in composition.
  const hostOf = (c: number): number => cols.content[c]!.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  const mixKey = (H: number, G: number, sp: number): string => `${H}>${G}:${sp.toFixed(2)}`;
  const mixLongest = new Map<string, { H: number; G: number; spacing: number; sites: number }>();
  for (let c = 0; c < cols.n; c++) {
    const H = hostOf(c);
    for (const [G, occ] of cols.content[c]!) {
      if (!needsMixedCalibration(H, G) || !(occ > 0)) continue;
      const k = mixKey(H, G, cols.spacing_A[c]!);
      const cur = mixLongest.get(k);
      if (!cur || cur.sites < cols.sites[c]!) mixLongest.set(k, { H, G, spacing: Number(cols.spacing_A[c]!.toFixed(2)), sites: cols.sites[c]! });
    }
  }
  const mixTable = new Map<string, ColumnCalibration>();
  for (const [k, v] of mixLongest) {
    mixTable.set(k, calibrateMixedColumn(v.H, v.G, v.spacing, v.sites, { ...opts, workers: 1 }));
    onCalibrated?.();
  }
  const lookup: CalibrationLookup = {
    pure: (Z, sp) => table.get(keyOf(Z, sp))!,
    mixed: (H, G, sp) => mixTable.get(mixKey(H, G, sp)),
  };
  const cs = new Float64Array(cols.n), w = new Float64Array(cols.n);
  const out: CrossSection = { sigma_A2: 0, width_A: 0 };
  for (let c = 0; c < cols.n; c++) {
    const content = cols.content[c]!;
    columnCrossSection(lookup, cols.spacing_A[c]!, cols.sites[c]!, content.map((e) => e[0]), content.map((e) => e[1]), content.length, out);
    cs[c] = out.sigma_A2;
    w[c] = out.width_A;
  }
  const calibrations = [...longest.entries()].map(([k, v]) => {
    const cal = table.get(k)!;
    return { Z: v.Z, spacing_A: v.spacing, sites: v.sites, crossSection_A2: cal.crossSection_A2.at(-1)!, width_A: cal.width_A.at(-1)! };
  });
  return { cols, crossSection_A2: cs, width_A: w, calibrations };
}

function catmullRom(p0: number, p1: number, p2: number, p3: number, t: number): number {
  return p1 + 0.5 * t * (p2 - p0 + t * (2 * p0 - 5 * p1 + 4 * p2 - p3 + t * (3 * (p1 - p2) + p3 - p0)));
}

interface RenderPlan {
  readonly grid: Grid;
  /** FFT of the probe intensity (Σ = 1) centred at the origin. */
  readonly probeRe: Float32Array;
  readonly probeIm: Float32Array;
  readonly k2: Float64Array;
  /** 1 / (sinc²(πkxΔx) sinc²(πkyΔy)): undoes the bilinear deposit's transfer. */
  readonly depositInv: Float64Array;
}
const plans = new Map<string, RenderPlan>();

function renderPlan(cell_A: readonly [number, number, number], opts: HaadfOptions): RenderPlan {
  const key = JSON.stringify([cell_A[0], cell_A[1], opts.sampling_A, opts.energy_eV, opts.semiangle_mrad, opts.aberrations ?? {}]);
  const hit = plans.get(key);
  if (hit) return hit;
  const grid = makeGrid([cell_A[0], cell_A[1]], Math.min(FINE_SAMPLING_A, opts.sampling_A * 4));
  const { nx, ny } = grid;
  const n = nx * ny;
  const psi = buildProbe(grid, { wavelength_A: wavelength_A(opts.energy_eV), semiangle_mrad: opts.semiangle_mrad, aberrations: opts.aberrations ?? {} }, 0, 0);
  const probeRe = new Float32Array(n), probeIm = new Float32Array(n);
  for (let i = 0; i < n; i++) probeRe[i] = psi.re[i]! ** 2 + psi.im[i]! ** 2;
  createFft2d(nx, ny).forward(probeRe, probeIm);
  const kx = fftFrequencies_perA(nx, grid.extentX_A), ky = fftFrequencies_perA(ny, grid.extentY_A);
  const k2 = new Float64Array(n), depositInv = new Float64Array(n);
  const sinc2 = (v: number): number => (v === 0 ? 1 : (Math.sin(v) / v) ** 2);
  const sx = Array.from(kx, (k) => sinc2(Math.PI * k * grid.samplingX_A)), sy = Array.from(ky, (k) => sinc2(Math.PI * k * grid.samplingY_A));
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    k2[y * nx + x] = kx[x]! ** 2 + ky[y]! ** 2;
    depositInv[y * nx + x] = 1 / Math.max(1e-3, sx[x]! * sy[y]!);
  }
  const plan = { grid, probeRe, probeIm, k2, depositInv };
  if (plans.size > 8) plans.clear();
  plans.set(key, plan);
  return plan;
}

/**
 * Renders the model: W×H output pixels of size (px, py) Å from origin (x0, y0), over the periodic cell `cell_A`.
 * Signal in fraction of the incident beam. The fine grid, probe spectrum and filters are cached per cell and optics.
 */
export function renderIncoherent(
  model: ColumnModel, cell_A: readonly [number, number, number], opts: HaadfOptions,
  W: number, H: number, x0: number, y0: number, px: number, py: number,
): Float64Array {
  const { grid, probeRe, probeIm, k2, depositInv } = renderPlan(cell_A, opts);
  const { nx, ny } = grid;
  const n = nx * ny;
  const fft = createFft2d(nx, ny);
  // Bilinear deposits grouped by object width (0.02 Å classes).
  const groups = new Map<number, number[]>();
  for (let c = 0; c < model.cols.n; c++) {
    if (!(model.crossSection_A2[c]! > 0)) continue;
    const g = Math.round(model.width_A[c]! / 0.02);
    const list = groups.get(g);
    if (list) list.push(c); else groups.set(g, [c]);
  }
  const accRe = new Float32Array(n), accIm = new Float32Array(n);
  const tapIndex = new Int32Array(4), tapWeight = new Float64Array(4);
  const dRe = new Float32Array(n), dIm = new Float32Array(n);
  for (const [g, members] of groups) {
    dRe.fill(0);
    dIm.fill(0);
    for (const c of members) {
      bilinearTaps(model.cols.x_A[c]! / grid.samplingX_A, model.cols.y_A[c]! / grid.samplingY_A, nx, ny, true, tapIndex, tapWeight);
      for (let k = 0; k < 4; k++) dRe[tapIndex[k]!]! += model.crossSection_A2[c]! * tapWeight[k]!;
    }
    fft.forward(dRe, dIm);
    const w = g * 0.02, a = -2 * Math.PI ** 2 * w * w;
    for (let i = 0; i < n; i++) {
      const f = Math.exp(a * k2[i]!) * depositInv[i]!;
      accRe[i]! += f * dRe[i]!;
      accIm[i]! += f * dIm[i]!;
    }
  }
  for (let i = 0; i < n; i++) {
    const ar = accRe[i]!, ai = accIm[i]!;
    accRe[i] = ar * probeRe[i]! - ai * probeIm[i]!;
    accIm[i] = ar * probeIm[i]! + ai * probeRe[i]!;
  }
  fft.inverse(accRe, accIm);
  // image = Σ σ_c |P|²(r − r_c) with |P|² = I / pixel area (I sums to 1 on the grid).
  const fine = accRe;
  const perArea = 1 / (grid.samplingX_A * grid.samplingY_A);
  const out = new Float64Array(W * H);
  const at = (i: number, j: number): number => fine[(((j % ny) + ny) % ny) * nx + (((i % nx) + nx) % nx)]!;
  for (let j = 0; j < H; j++) {
    const fy = (y0 + j * py) / grid.samplingY_A, iy = Math.floor(fy), ty = fy - iy;
    for (let i = 0; i < W; i++) {
      const fx = (x0 + i * px) / grid.samplingX_A, ix = Math.floor(fx), tx = fx - ix;
      const r0 = catmullRom(at(ix - 1, iy - 1), at(ix, iy - 1), at(ix + 1, iy - 1), at(ix + 2, iy - 1), tx);
      const r1 = catmullRom(at(ix - 1, iy), at(ix, iy), at(ix + 1, iy), at(ix + 2, iy), tx);
      const r2 = catmullRom(at(ix - 1, iy + 1), at(ix, iy + 1), at(ix + 1, iy + 1), at(ix + 2, iy + 1), tx);
      const r3 = catmullRom(at(ix - 1, iy + 2), at(ix, iy + 2), at(ix + 1, iy + 2), at(ix + 2, iy + 2), tx);
      out[j * W + i] = perArea * catmullRom(r0, r1, r2, r3, ty);
    }
  }
  return out;
}
