/**
 * The projected potential that the transmission functions are made from, on a supersampled grid.
 *
 * Why: a heavy atom's core is a strong phase object (σV ≈ 3 rad at the centre of Au), and the HAADF signal at
 * 70–180 mrad depends on V's spatial frequencies far beyond the detector's (measured, bench/multislice.bench.ts
 * `MS_BENCH=convergence`: cutting V at 8.3 Å⁻¹, the 2/3 band of a 0.04 Å grid, made single-atom Au +26 % too bright;
 * at 12.5 Å⁻¹ +15 %, at 16.7 Å⁻¹ +7 %, at 25 Å⁻¹ +0.9 %). So V keeps its spectrum up to the Nyquist frequency of a
 * grid of pixel ≤ POTENTIAL_SAMPLING_A (≥ 22 Å⁻¹, or ≥ 33 Å⁻¹ with elements heavier than Kr; cosine taper to 1.2× that), exp(iσV) is taken on that fine grid,
 * and only then is t band-limited to the 2/3 aperture of the wave's grid (transmission.ts).
 *
 * How, at about the cost of the old coarse Fourier sum: V = V_low + V_core with a smooth split of the spectrum,
 *  - V_low: f_e(k)·w(k), w = 1 below SPLIT_K1_PER_A and a cosine taper to 0 at SPLIT_K2_PER_A, as an exact
 *    Fourier series (each atom by its phase factor at its true position) on the few frequencies k ≤ SPLIT_K2,
 *    transformed to the fine grid;
 *  - V_core: f_e(k)·(W(k) − w(k)), W the outer taper, a short-ranged radial function (a 2D Hankel transform,
 *    tabulated once per element and grid) evaluated at each fine pixel's true distance from each atom within
 *    CORE_RADIUS_A (all periodic images).
 * Both parts are exact placements of the same Fourier spectrum f_e·W, so V_low + V_core is the potential's
 * Fourier series band-limited by W, up to the core's truncation at CORE_RADIUS_A (|V_core| < 1e-4 of its peak beyond 1.2 Å).
 */
import type { Atoms } from '../lattice/atoms.js';
import { bandFft, bandFftSupports, columnRanges, createFft2d } from '../core/fft/index.js';
import { type Grid, fftFrequencies_perA } from './grid.js';
import { POTENTIAL_PREFACTOR_V_A2 } from './optics.js';
import { type Parametrization, scatteringFactor_A } from './parametrizations/index.js';
import { besselJ0 } from './parametrizations/bessel.js';
import { sliceIndexOf, structureFactorBlock } from './potential.js';

/**
 * Coarsest pixel of the grid on which exp(iσV) is taken, Å (its Nyquist frequency bounds V's kept spectrum), by the
 * heaviest element present: measured against the grid-free cross-section at 0.04 Å (bench MS_BENCH=convergence),
 * a 0.02 Å potential grid (Nyquist 25 Å⁻¹) errs ≤ +1.7 % for Z ≤ 36 but up to +2.2 % at Z = 50–54, a 0.0133 Å one
 * ≤ 0.8 % for every Z ≤ 83. So structures with an element heavier than Kr get the finer grid.
 */
export const POTENTIAL_SAMPLING_A = 0.0225;
export const POTENTIAL_SAMPLING_HEAVY_A = 0.015;
/** Heaviest Z that POTENTIAL_SAMPLING_A serves within 2 %. */
export const POTENTIAL_LIGHT_MAX_Z = 36;

/** The default potential sampling for a structure whose heaviest element is maxZ. */
export function defaultPotentialSampling_A(maxZ: number): number {
  return maxZ > POTENTIAL_LIGHT_MAX_Z ? POTENTIAL_SAMPLING_HEAVY_A : POTENTIAL_SAMPLING_A;
}
/** Spectral split between the Fourier-series part and the real-space core part, 1/Å (cosine taper from K1 to K2). */
export const SPLIT_K1_PER_A = 2;
export const SPLIT_K2_PER_A = 4;
/** Radius beyond which the core part is dropped, Å. */
export const CORE_RADIUS_A = 1.2;

/** The supersampling factor s: the smallest integer ≥ 2 bringing the pixel to ≤ potentialSampling_A (s ≥ 2 keeps the aliased products of exp(iσV) out of the 2/3 band: with s = 1 single-atom Au wandered ±1.4 % with the sampling). */
export function potentialSupersampling(grid: Grid, potentialSampling_A = POTENTIAL_SAMPLING_A): number {
  return Math.max(2, Math.ceil(Math.max(grid.samplingX_A, grid.samplingY_A) / potentialSampling_A - 1e-9));
}

/** The grid s times finer than `grid` over the same extent. */
export function supersampledGrid(grid: Grid, s: number): Grid {
  return { nx: grid.nx * s, ny: grid.ny * s, extentX_A: grid.extentX_A, extentY_A: grid.extentY_A, samplingX_A: grid.samplingX_A / s, samplingY_A: grid.samplingY_A / s };
}

/** Cosine step: 1 at k ≤ a, 0 at k ≥ b. */
function taper(k: number, a: number, b: number): number {
  return k <= a ? 1 : k >= b ? 0 : 0.5 + 0.5 * Math.cos((Math.PI * (k - a)) / (b - a));
}

/** Outer band of V on a fine grid: kept in full to its Nyquist frequency K1, tapered to 0 at 1.2·K1. */
function outerBand(fine: Grid): [number, number] {
  const k1 = Math.min(1 / (2 * fine.samplingX_A), 1 / (2 * fine.samplingY_A));
  return [k1, 1.2 * k1];
}

/** V_core tabulated on a uniform grid in u = r² (no square root per pixel): values[j] at u = j·du, u ≤ CORE_RADIUS_A². */
interface CoreTable { du: number; values: Float64Array }
const coreTables = new Map<string, CoreTable>();

/** Entries of the u = r² table: du ≈ 5.5e-6 Å² (V_core is even and analytic in r, so smooth in r²). */
const CORE_TABLE_SIZE = 1 << 18;

/**
 * V_core(r) of one atom, V·Å: C ∫ f_e(k)(W(k) − w(k)) J0(2πkr) 2πk dk, Simpson's rule in k (step ≤ 0.02 Å⁻¹,
 * ≥ 30 points per oscillation of J0 within CORE_RADIUS_A), computed at dr = 0.001 Å and resampled (linearly in r) on
 * the u = r² grid.
 */
export function coreTable(Z: number, param: Parametrization, K1: number, K2: number): CoreTable {
  const key = `${Z}:${param}:${K1}:${K2}`;
  const hit = coreTables.get(key);
  if (hit) return hit;
  const nk = 2 * Math.ceil((K2 - SPLIT_K1_PER_A) / 0.04);
  const dk = (K2 - SPLIT_K1_PER_A) / nk;
  const ks = new Float64Array(nk + 1), wts = new Float64Array(nk + 1);
  for (let i = 0; i <= nk; i++) {
    const k = SPLIT_K1_PER_A + i * dk;
    const simpson = i === 0 || i === nk ? 1 : i % 2 === 1 ? 4 : 2;
    ks[i] = 2 * Math.PI * k;
    wts[i] = ((simpson * dk) / 3) * POTENTIAL_PREFACTOR_V_A2 * scatteringFactor_A(Z, k * k, param) * (taper(k, K1, K2) - taper(k, SPLIT_K1_PER_A, SPLIT_K2_PER_A)) * 2 * Math.PI * k;
  }
  const dr = 0.001;
  const nr = Math.ceil(CORE_RADIUS_A / dr) + 2;
  const byR = new Float64Array(nr);
  for (let j = 0; j < nr; j++) {
    const r = j * dr;
    let v = 0;
    for (let i = 0; i <= nk; i++) v += wts[i]! * besselJ0(ks[i]! * r);
    byR[j] = v;
  }
  const du = (CORE_RADIUS_A * CORE_RADIUS_A) / (CORE_TABLE_SIZE - 2);
  const values = new Float64Array(CORE_TABLE_SIZE);
  for (let j = 0; j < CORE_TABLE_SIZE; j++) {
    const x = Math.sqrt(j * du) / dr, q = Math.min(nr - 2, Math.floor(x)), t = x - q;
    values[j] = byR[q]! + t * (byR[q + 1]! - byR[q]!);
  }
  const table = { du, values };
  if (coreTables.size > 64) coreTables.clear();
  coreTables.set(key, table);
  return table;
}

/** Builds fine-grid potential slices of one configuration of `atoms` (V·Å, row-major [s·ny][s·nx]). */
export interface FinePotential {
  /** The fine grid (s× the wave's). */
  readonly fine: Grid;
  readonly supersampling: number;
  /** V of slice `s` on the fine grid into `out` (length fine.nx·fine.ny; overwritten). */
  slice(s: number, out: Float32Array): void;
}

/**
 * Prepares the fine potential of `atoms` (positions/occupancies of one configuration) sliced into nSlices.
 * @param grid the wave's grid; the potential's grid is potentialSupersampling(grid, potentialSampling_A) times finer.
 */
export function finePotential(
  atoms: Atoms, grid: Grid, nSlices: number, param: Parametrization, positions_A: Float64Array, occupancy: Float32Array,
  potentialSampling_A = defaultPotentialSampling_A(Math.max(0, ...atoms.Z)),
): FinePotential {
  const ss = potentialSupersampling(grid, potentialSampling_A);
  const fine = supersampledGrid(grid, ss);
  const { nx, ny } = fine;
  const [K1, K2] = outerBand(fine);
  const kx = fftFrequencies_perA(nx, fine.extentX_A), ky = fftFrequencies_perA(ny, fine.extentY_A);
  const kc2 = SPLIT_K2_PER_A ** 2;
  const rows = [...ky.keys()].filter((y) => ky[y]! ** 2 <= kc2), cols = [...kx.keys()].filter((x) => kx[x]! ** 2 <= kc2);
  const R = rows.length, C = cols.length;
  const kxc = Float64Array.from(cols, (x) => kx[x]!), kyr = Float64Array.from(rows, (y) => ky[y]!);
  // Low part: form factor × split taper × Fourier-series normalisation C/(Δx Δy) on the compact R × C block.
  const scale = POTENTIAL_PREFACTOR_V_A2 / (fine.samplingX_A * fine.samplingY_A);
  const lowF = new Map<number, Float32Array>(), cores = new Map<number, CoreTable>();
  for (let i = 0; i < atoms.n; i++) {
    const Z = atoms.Z[i]!;
    if (lowF.has(Z)) continue;
    const f = new Float32Array(R * C);
    for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) {
      const k = Math.hypot(kxc[c]!, kyr[r]!);
      f[r * C + c] = k <= SPLIT_K2_PER_A ? scale * scatteringFactor_A(Z, k * k, param) * taper(k, SPLIT_K1_PER_A, SPLIT_K2_PER_A) : 0;
    }
    lowF.set(Z, f);
    cores.set(Z, coreTable(Z, param, K1, K2));
  }
  const bySlice: number[][] = Array.from({ length: nSlices }, () => []);
  for (let i = 0; i < atoms.n; i++) if (occupancy[i]! !== 0) bySlice[sliceIndexOf(positions_A[3 * i + 2]!, atoms.cell_A[2], nSlices)]!.push(i);
  const fft = createFft2d(nx, ny);
  const im = new Float32Array(nx * ny);
  const colSet = new Set(cols);
  const lowCols = columnRanges(nx, (x) => colSet.has(x));
  const addSpectrum = structureFactorBlock(rows, cols, kx, ky, nx);
  const dxs = fine.samplingX_A, dys = fine.samplingY_A, rc2 = CORE_RADIUS_A * CORE_RADIUS_A;
  const dx2 = new Float64Array(Math.ceil((2 * CORE_RADIUS_A) / dxs) + 3), col = new Int32Array(dx2.length);
  return {
    fine,
    supersampling: ss,
    slice(s, re) {
      re.fill(0);
      im.fill(0);
      const members = bySlice[s]!;
      if (members.length === 0) return;
      const pruned = bandFftSupports(nx, ny);
      addSpectrum(members, atoms.Z, positions_A, occupancy, lowF, re, im);
      if (pruned) {
        // V_low's spectrum lives on C columns only: the band-pruned inverse transforms just those columns.
        const bf = bandFft(nx, ny), H = bf.heap(), B = bf.pb >> 2, A = bf.pa >> 2;
        for (const x of cols) H.fill(0, B + 2 * x * ny, B + 2 * (x + 1) * ny);
        for (const y of rows) for (const x of cols) { const k = B + 2 * (x * ny + y); H[k] = re[y * nx + x]!; H[k + 1] = im[y * nx + x]!; }
        bf.inverseColumns(cols);
        bf.inverseRows(lowCols.band, lowCols.gaps);
        const scale = 1 / (nx * ny);
        for (let i = 0, k = A; i < nx * ny; i++, k += 2) re[i] = H[k]! * scale;
      } else fft.inverse(re, im);
      // Core part: every fine pixel within CORE_RADIUS_A of the atom or of any periodic image of it.
      for (const i of members) {
        const { du, values } = cores.get(atoms.Z[i]!)!;
        const inv = 1 / du, occ = occupancy[i]!;
        const x = positions_A[3 * i]!, y = positions_A[3 * i + 1]!;
        const j0 = Math.ceil((y - CORE_RADIUS_A) / dys), j1 = Math.floor((y + CORE_RADIUS_A) / dys);
        const i0 = Math.ceil((x - CORE_RADIUS_A) / dxs), i1 = Math.floor((x + CORE_RADIUS_A) / dxs);
        const w = i1 - i0 + 1;
        for (let k = 0; k < w; k++) { const ii = i0 + k, d = ii * dxs - x; dx2[k] = d * d; col[k] = ((ii % nx) + nx) % nx; }
        for (let j = j0; j <= j1; j++) {
          const ddy = j * dys - y, dy2 = ddy * ddy;
          if (dy2 > rc2) continue;
          const row = (((j % ny) + ny) % ny) * nx;
          for (let k = 0; k < w; k++) {
            const d2 = dy2 + dx2[k]!;
            if (d2 >= rc2) continue;
            const u = d2 * inv, q = u | 0, t = u - q;
            re[row + col[k]!]! += occ * (values[q]! + t * (values[q + 1]! - values[q]!));
          }
        }
      }
    },
  };
}
