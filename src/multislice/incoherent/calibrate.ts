/**
 * Column cross-sections calibrated by multislice. For an isolated column of one element (n sites spaced
 * `spacing_A`) in a periodic box, one multislice run with a thickness series gives, for every length n = 1…sites:
 *  - the integrated cross-section σ_n (Å²) = ∫ S(r₀) d²r₀ over probe positions r₀ in the box. S is band-limited
 *    to 2α/λ (the probe intensity's band), so the mean over an N×N grid of positions is the exact integral when
 *    N/L > 2α/λ (N = 8 at 15 mrad); the grid is symmetric about the column, so only its distinct positions are run;
 *  - the on-column signal S_n(0), from which the width w_n of the column's Gaussian object function follows:
 *    S_n(0) = σ_n · (|P|² ⊗ G_w)(0), |P|² the probe intensity (∫ = 1).
 * Vacuum after the column leaves |Ψ(k)|² unchanged, so the signal after n sites is that of an n-site column.
 *
 * Results are cached in memory per process and, once `setCalibrationCacheDir(dir)` is called, on disk: one JSON file
 * per calibration, named by the SHA-256 of its key (the arrangement, spacing, length and every optics field that
 * changes the result), written atomically and shared by runs, worker threads and machines on a shared file system.
 * A file whose stored key differs from the wanted one (a hash collision, a foreign file) is ignored and rewritten.
 * JSON keeps every float64 exactly, so a cached calibration gives the same bytes downstream as a fresh one.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, writeFileAtomicSync } from '../../core/index.js';
import type { Atoms } from '../../lattice/atoms.js';
import { createCpuBackend } from '../backend/cpu/index.js';
import { createFft2d, nextFftSize } from '../../core/fft/index.js';
import { type Grid, fftFrequencies_perA } from '../grid.js';
import type { HaadfOptions } from '../options.js';
import { buildProbe, resolveAberrations } from '../probe.js';
import { prepareMultislice } from '../prepare.js';
import { runProbeChunk } from '../workers/probe-task.js';

/** Calibrated cross-sections of one element's column, per length n = 1…sites. */
export interface ColumnCalibration {
  readonly Z: number;
  readonly spacing_A: number;
  /** σ_n, Å² (index n − 1). */
  readonly crossSection_A2: Float64Array;
  /** On-column signal S_n(0), fraction of the beam. */
  readonly peak: Float64Array;
  /** Gaussian object width w_n, Å (0 when the column is sharper than the probe allows). */
  readonly width_A: Float64Array;
}

/** Smallest side (Å) of the calibration box. */
export const CALIBRATION_BOX_MIN_A = 5.5;

const cache = new Map<string, ColumnCalibration>();
let diskDir: string | null = null;

/** Clears the in-memory calibration cache (the disk cache stays). */
export function clearCalibrationCache(): void {
  cache.clear();
}

/** Sets (or with null, turns off) the on-disk calibration cache directory of this thread. */
export function setCalibrationCacheDir(dir: string | null): void {
  diskDir = dir;
}

/** The on-disk calibration cache directory of this thread, or null. */
export function calibrationCacheDir(): string | null {
  return diskDir;
}

/** Format tag of the cache files (bump when the calibration algorithm changes its results). */
export const CALIBRATION_CACHE_FORMAT = 'cathode-twin incoherent column calibration v2 (transmission on the supersampled potential grid)';

/** File name of a calibration key in the disk cache. */
export function calibrationCacheFile(key: string): string {
  return `incoherent-${createHash('sha256').update(`${CALIBRATION_CACHE_FORMAT}\n${key}`).digest('hex').slice(0, 40)}.json`;
}

interface StoredCalibration { format: string; key: string; Z: number; spacing_A: number; crossSection_A2: number[]; peak: number[]; width_A: number[] }

function readDisk(key: string): ColumnCalibration | undefined {
  if (!diskDir) return undefined;
  const path = join(diskDir, calibrationCacheFile(key));
  if (!existsSync(path)) return undefined;
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as StoredCalibration;
    if (s.format !== CALIBRATION_CACHE_FORMAT || s.key !== key) return undefined;
    return { Z: s.Z, spacing_A: s.spacing_A, crossSection_A2: Float64Array.from(s.crossSection_A2), peak: Float64Array.from(s.peak), width_A: Float64Array.from(s.width_A) };
  } catch {
    return undefined;
  }
}

function writeDisk(key: string, c: ColumnCalibration): void {
  if (!diskDir) return;
  const s: StoredCalibration = {
    format: CALIBRATION_CACHE_FORMAT, key, Z: c.Z, spacing_A: c.spacing_A,
    crossSection_A2: Array.from(c.crossSection_A2), peak: Array.from(c.peak), width_A: Array.from(c.width_A),
  };
  writeFileAtomicSync(join(diskDir, calibrationCacheFile(key)), `${JSON.stringify(s)}\n`);
}

/** The cache key of a calibration (the arrangement and every option that changes the result). */
export function calibrationKey(zPerSite: readonly number[], spacing_A: number, opts: HaadfOptions): string {
  return JSON.stringify([zPerSite.join(','), spacing_A.toFixed(3), zPerSite.length, opts.energy_eV, opts.semiangle_mrad, opts.aberrations ?? {}, opts.detector,
    opts.sampling_A, opts.sliceThickness_A, opts.phonons ?? 0, opts.seed ?? 0, opts.debyeWallerB_A2 ?? {}, opts.parametrization ?? 'lobato', opts.focalSpread_A ?? 0, opts.potentialSampling_A ?? 'auto']);
}

/** True when the calibration is in this thread's memory or the disk cache (nothing is computed). */
export function isCalibrationCached(zPerSite: readonly number[], spacing_A: number, opts: HaadfOptions): boolean {
  const key = calibrationKey(zPerSite, spacing_A, opts);
  return cache.has(key) || (diskDir !== null && existsSync(join(diskDir, calibrationCacheFile(key))));
}

/**
 * (|P|² ⊗ G_w)(0) in 1/Å² as a function of the Gaussian width w (Å), from the Fourier series of the probe
 * intensity I (Σ I = 1 on the grid, centred at (cx, cy)): (1/A) Σ_k Re[Ĩ(k) e^{2πik·c}] exp(−2π²w²k²).
 */
function overlapFunction(I: Float32Array, g: Grid, cx: number, cy: number): (w: number) => number {
  const re = Float32Array.from(I), im = new Float32Array(I.length);
  createFft2d(g.nx, g.ny).forward(re, im);
  const kx = fftFrequencies_perA(g.nx, g.extentX_A), ky = fftFrequencies_perA(g.ny, g.extentY_A);
  const a = new Float64Array(I.length), k2 = new Float64Array(I.length);
  for (let y = 0; y < g.ny; y++) for (let x = 0; x < g.nx; x++) {
    const i = y * g.nx + x, p = 2 * Math.PI * (kx[x]! * cx + ky[y]! * cy);
    a[i] = re[i]! * Math.cos(p) - im[i]! * Math.sin(p);
    k2[i] = kx[x]! ** 2 + ky[y]! ** 2;
  }
  const area = g.extentX_A * g.extentY_A;
  return (w) => {
    let s = 0;
    const f = -2 * Math.PI * Math.PI * w * w;
    for (let i = 0; i < a.length; i++) s += a[i]! * Math.exp(f * k2[i]!);
    return s / area;
  };
}

/** Calibrates (or returns from the cache) the column of `sites` atoms of element Z for the optics in `opts`. */
export function calibrateColumn(Z: number, spacing_A: number, sites: number, opts: HaadfOptions): ColumnCalibration {
  return calibrateArrangement(new Array<number>(sites).fill(Z), spacing_A, opts);
}

/**
 * Host column with a guest element on every 4th site (sites 1, 5, 9, … from the entrance): the reference mixed
 * column for the composition interpolation. Its prefix of n sites holds ⌊(n + 2)/4⌋ guests (mixedGuestFraction).
 */
export function calibrateMixedColumn(host: number, guest: number, spacing_A: number, sites: number, opts: HaadfOptions): ColumnCalibration {
  return calibrateArrangement(Array.from({ length: sites }, (_, i) => (i % 4 === 1 ? guest : host)), spacing_A, opts);
}

/** Guest fraction of the first n sites of the reference mixed column. */
export function mixedGuestFraction(n: number): number {
  return Math.floor((n + 2) / 4) / n;
}

/** Calibrates a column with element Z_per_site[i] at site i (entrance first). */
export function calibrateArrangement(zPerSite: readonly number[], spacing_A: number, opts: HaadfOptions): ColumnCalibration {
  const sites = zPerSite.length;
  const Z = zPerSite[0]!;
  const key = calibrationKey(zPerSite, spacing_A, opts);
  const hit = cache.get(key) ?? readDisk(key);
  if (hit) {
    cache.set(key, hit);
    return hit;
  }
  const nb = nextFftSize(Math.ceil(CALIBRATION_BOX_MIN_A / opts.sampling_A));
  const box = nb * opts.sampling_A;
  const atoms: Atoms = {
    n: sites,
    Z: Uint8Array.from(zPerSite),
    positions_A: Float64Array.from({ length: 3 * sites }, (_, k) => (k % 3 === 2 ? (Math.floor(k / 3) + 0.5) * spacing_A : box / 2)),
    cell_A: [box, box, spacing_A * sites],
    occupancy: new Float32Array(sites).fill(1),
  };
  const perSite = Math.max(1, Math.ceil(spacing_A / opts.sliceThickness_A - 1e-9));
  const prep = prepareMultislice(atoms, {
    ...opts, sliceThickness_A: spacing_A / perSite, thicknessSeries_A: Array.from({ length: sites }, (_, n) => (n + 1) * spacing_A), workers: 1,
  });
  const kBand = (2 * opts.semiangle_mrad * 1e-3) / prep.wavelength_A;
  // Even grid with SCAN_N/box > 2α/λ (8 at 15 mrad): its mean is the exact integral of the band-limited signal.
  const SCAN_N = 2 * Math.floor((kBand * box) / 2) + 2;
  if (SCAN_N > 64) throw new InputError('semiangle', opts.semiangle_mrad, 'a semi-angle giving ≤ 64×64 calibration positions');
  // Distinct positions of the symmetric N×N grid (offsets (i − N/2 + ½)·box/N, i ≤ j by the x↔y mirror), then the column itself.
  const pos: number[] = [], mult: number[] = [];
  // Round optics (only C10, C30, C50, focal spread): the 8-fold symmetry of the square box reduces the grid.
  const round = Object.entries(resolveAberrations(opts.aberrations)).every(([k, v]) => v === 0 || /^(C\d0|phi\d\d)$/.test(k));
  if (round) {
    for (let i = 0; i < SCAN_N / 2; i++) for (let j = i; j < SCAN_N / 2; j++) {
      pos.push(box / 2 + (i + 0.5) * (box / SCAN_N), box / 2 + (j + 0.5) * (box / SCAN_N));
      mult.push(i === j ? 4 : 8);
    }
  } else {
    for (let i = 0; i < SCAN_N; i++) for (let j = 0; j < SCAN_N; j++) {
      pos.push(box / 2 + (i - SCAN_N / 2 + 0.5) * (box / SCAN_N), box / 2 + (j - SCAN_N / 2 + 0.5) * (box / SCAN_N));
      mult.push(1);
    }
  }
  pos.push(box / 2, box / 2);
  const np = pos.length / 2, nRec = prep.setup.recordAfter.length;
  const sum = new Float64Array(np * nRec);
  const backend = createCpuBackend();
  for (let c = 0; c < prep.nConfigs; c++) {
    const r = runProbeChunk({ setup: prep.setup, stack: prep.buildStack(c), positions_A: Float64Array.from(pos) }, backend);
    for (let i = 0; i < sum.length; i++) sum[i]! += r[i]! / prep.nConfigs;
  }
  backend.dispose();
  // Probe intensity on the calibration grid (centred) for the object-width solve.
  const g = prep.setup.grid;
  const psi = buildProbe(g, prep.setup.optics, box / 2, box / 2);
  const I = new Float32Array(g.nx * g.ny);
  for (let i = 0; i < I.length; i++) I[i] = psi.re[i]! ** 2 + psi.im[i]! ** 2;
  const overlap = overlapFunction(I, g, box / 2, box / 2);
  const sharpest = overlap(0);
  const cs = new Float64Array(nRec), peak = new Float64Array(nRec), width = new Float64Array(nRec);
  for (let rec = 0; rec < nRec; rec++) {
    let mean = 0;
    for (let p = 0; p < np - 1; p++) mean += mult[p]! * sum[p * nRec + rec]!;
    cs[rec] = (mean / (SCAN_N * SCAN_N)) * box * box;
    peak[rec] = sum[(np - 1) * nRec + rec]!;
    const target = peak[rec]! / cs[rec]!;
    if (!(target < sharpest) || !(cs[rec]! > 0)) { width[rec] = 0; continue; }
    let lo = 0, hi = 2;
    for (let it = 0; it < 40; it++) { const mid = 0.5 * (lo + hi); if (overlap(mid) > target) lo = mid; else hi = mid; }
    width[rec] = 0.5 * (lo + hi);
  }
  const out: ColumnCalibration = { Z, spacing_A, crossSection_A2: cs, peak, width_A: width };
  cache.set(key, out);
  writeDisk(key, out);
  return out;
}
