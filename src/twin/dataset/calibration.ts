/**
 * Column calibrations of a training set: which multislice calibrations the configuration needs (every element and
 * host/guest pair, every column spacing of every zone, up to the longest column the thickness range allows, at every
 * defocus node), and the per-frame cross-sections σ_c, w_c interpolated linearly in defocus between the two nodes
 * around a sample's defocus. Everything here is a pure function of the configuration, so the main thread can run
 * the calibrations (in parallel, into the disk cache) before the workers start, and a worker that finds one missing
 * computes exactly the same numbers.
 */
import { buildLamella, type ZoneAxis } from '../../lattice/index.js';
import {
  type CalibrationLookup, type ColumnCalibration, type CrossSection, type HaadfOptions, type KernelOptics, calibrateArrangement, columnCrossSection, needsMixedCalibration,
  probeKernelsCached, warmProbeKernels,
} from '../../multislice/index.js';
import { DEFOCUS_GRID_A, type DatasetConfig } from './params.js';
import { COLUMN_ELEMENTS, type FrameColumns, columnGeometry } from './specimen.js';

/** Multislice slice thickness of the calibrations, Å (one slice per site or finer). */
export const CALIBRATION_SLICE_A = 2;

/** Defocus values (Å) at which columns are calibrated: evenly spaced ≤ defocusNodeStep_A apart, both ends included. */
export function defocusNodes(c: DatasetConfig): number[] {
  const [a, b] = c.defocus_A;
  if (a === b) return [a];
  const n = Math.max(1, Math.ceil((b - a) / c.defocusNodeStep_A - 1e-9));
  return Array.from({ length: n + 1 }, (_, i) => a + ((b - a) * i) / n);
}

/** The HAADF options of a calibration at defocus `defocus_A`. */
export function calibrationOptions(c: DatasetConfig, defocus_A: number): HaadfOptions {
  return {
    energy_eV: c.energy_eV, semiangle_mrad: c.semiangle_mrad, detector: { inner_mrad: c.detector_mrad[0], outer_mrad: c.detector_mrad[1] },
    sampling_A: c.calibrationSampling_A, sliceThickness_A: CALIBRATION_SLICE_A, aberrations: c.Cs_A !== 0 ? { defocus: defocus_A, Cs: c.Cs_A } : { defocus: defocus_A },
    phonons: c.phonons, seed: 0, workers: 1,
  };
}

/** The optics of the fast renderer's probe kernels at defocus `defocus_A` (src/multislice/incoherent/kernel.ts). */
export function kernelOptics(c: DatasetConfig, defocus_A: number): KernelOptics {
  return { energy_eV: c.energy_eV, semiangle_mrad: c.semiangle_mrad, aberrations: c.Cs_A !== 0 ? { defocus: defocus_A, Cs: c.Cs_A } : { defocus: defocus_A } };
}

/**
 * Probe-kernel warm-ups of a configuration: one per defocus value a sample can draw (the DEFOCUS_GRID_A grid over the
 * range), with the range of kernel blurs s = √(w² + source²) its columns can need (w from `widthRange_A`, the
 * calibrated object widths). Run into the disk cache before the bundles, workers load the kernels instead of building
 * them (~0.1 s of CPU per defocus value and thread otherwise). A blur outside the range is computed where needed.
 */
export interface KernelJob {
  readonly defocus_A: number;
  readonly sigma_A: readonly [number, number];
}

export function kernelJobs(c: DatasetConfig, widthRange_A: readonly [number, number]): KernelJob[] {
  const [d0, d1] = c.defocus_A, [s0, s1] = c.sourceSize_A;
  const sigma_A = [Math.hypot(widthRange_A[0], s0), Math.hypot(widthRange_A[1], s1)] as const;
  const out: KernelJob[] = [];
  for (let k = Math.round(d0 / DEFOCUS_GRID_A); k <= Math.round(d1 / DEFOCUS_GRID_A); k++) out.push({ defocus_A: DEFOCUS_GRID_A * k, sigma_A });
  return out;
}

/** True when the disk cache already holds what the job makes. */
export function isKernelJobCached(c: DatasetConfig, j: KernelJob): boolean {
  return probeKernelsCached(kernelOptics(c, j.defocus_A), j.sigma_A);
}

/** Runs a kernel job (into the disk cache set with setCalibrationCacheDir); returns whether it wrote. */
export function runKernelJob(c: DatasetConfig, j: KernelJob): boolean {
  return warmProbeKernels(kernelOptics(c, j.defocus_A), j.sigma_A);
}

/** Range of the calibrated object widths w (Å) of a set of calibrations (every column length). */
export function widthRange(cals: readonly ColumnCalibration[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const k of cals) for (const w of k.width_A) if (Number.isFinite(w)) { lo = Math.min(lo, w); hi = Math.max(hi, w); }
  return lo <= hi ? [lo, hi] : [0, 0];
}

/**
 * Spacing key: calibrations are made and looked up at the spacing rounded to 0.01 Å (toFixed's decimal rounding),
 * remembered per spacing value: every column's cross-section asks it once or more per element and defocus node, and
 * a frame has a handful of distinct spacings (toFixed was ~0.5 ms of a 256² sample's ~13).
 */
const spacingKeys = new Map<number, number>();
function spacingKey(s: number): number {
  let k = spacingKeys.get(s);
  if (k === undefined) {
    if (spacingKeys.size >= 4096) spacingKeys.clear();
    k = Number(s.toFixed(2));
    spacingKeys.set(s, k);
  }
  return k;
}

/** A column spacing of the set: the longest column (sites) and whether cation and/or anion columns have it. */
export interface SpacingInfo { sites: number; cation: boolean; anion: boolean }

/** The column spacings (Å, rounded) of the lattices a configuration builds. */
export function columnSpacings(c: DatasetConfig): Map<number, SpacingInfo> {
  const out = new Map<number, SpacingInfo>();
  const lattices: { zone: ZoneAxis; thickness_A: number }[] = c.zones.map((zone) => ({ zone, thickness_A: c.thickness_A[1] }));
  if (c.kineticShare > 0) lattices.push({ zone: '210', thickness_A: c.kinetics.thickness_A });
  for (const { zone, thickness_A } of lattices) {
    const g = columnGeometry(buildLamella({ zone, size_A: 12, thickness_A, pore: null, apb: null }).lattice);
    for (let k = 0; k < g.n; k++) {
      const s = spacingKey(g.spacing_A[k]!), sites = g.start[k + 1]! - g.start[k]!;
      const e = out.get(s) ?? { sites: 0, cation: false, anion: false };
      e.sites = Math.max(e.sites, sites);
      if (g.role[k] === 2) e.anion = true; else e.cation = true;
      out.set(s, e);
    }
  }
  return out;
}

/** One calibration job: a column arrangement (Z per site, entrance first) at a spacing and defocus node. */
export interface CalibrationJob {
  readonly zPerSite: number[];
  readonly spacing_A: number;
  readonly defocus_A: number;
}

const LI = 3, O = 8;
const TMS = [25, 27, 28];

/** Arrangement of a pure column or of the reference mixed column (guest on every 4th site, see calibrate.ts). */
function arrangement(host: number, guest: number | null, sites: number): number[] {
  return Array.from({ length: sites }, (_, i) => (guest !== null && i % 4 === 1 ? guest : host));
}

/** Every calibration the configuration needs (pure, mixed; all spacings and defocus nodes). */
export function calibrationJobs(c: DatasetConfig): CalibrationJob[] {
  const jobs: CalibrationJob[] = [];
  const spacings = columnSpacings(c);
  for (const d of defocusNodes(c)) for (const [sp, { sites, cation, anion }] of spacings) {
    // Anion columns hold O (or vacancies); cation columns any cation: all pure columns and the host/guest pairs that
    // the composition rule interpolates (Li with a TM guest, a TM with Li).
    if (anion) jobs.push({ zPerSite: arrangement(O, null, sites), spacing_A: sp, defocus_A: d });
    if (!cation) continue;
    for (const Z of [LI, ...TMS]) jobs.push({ zPerSite: arrangement(Z, null, sites), spacing_A: sp, defocus_A: d });
    for (const T of TMS) {
      if (needsMixedCalibration(LI, T)) jobs.push({ zPerSite: arrangement(LI, T, sites), spacing_A: sp, defocus_A: d });
      if (needsMixedCalibration(T, LI)) jobs.push({ zPerSite: arrangement(T, LI, sites), spacing_A: sp, defocus_A: d });
    }
  }
  return jobs;
}

/** Runs one job (memory and disk cache first). */
export function runCalibrationJob(c: DatasetConfig, j: CalibrationJob): ColumnCalibration {
  return calibrateArrangement(j.zPerSite, j.spacing_A, calibrationOptions(c, j.defocus_A));
}

/** The calibrations at one defocus node, as the composition rule's lookup. */
export class NodeCalibrations implements CalibrationLookup {
  private readonly pureMap = new Map<number, ColumnCalibration>();
  private readonly mixMap = new Map<number, ColumnCalibration>();
  constructor(private readonly c: DatasetConfig, readonly defocus_A: number, private readonly spacings: Map<number, SpacingInfo>) {}

  private sitesFor(sp: number): number {
    const s = this.spacings.get(sp)?.sites;
    if (s === undefined) throw new Error(`internal: no calibration planned for column spacing ${sp} Å (planned: ${[...this.spacings.keys()].join(', ')})`);
    return s;
  }

  pure(Z: number, spacing_A: number): ColumnCalibration {
    const sp = spacingKey(spacing_A), k = Z * 1e7 + Math.round(sp * 100);
    let cal = this.pureMap.get(k);
    if (!cal) {
      cal = runCalibrationJob(this.c, { zPerSite: arrangement(Z, null, this.sitesFor(sp)), spacing_A: sp, defocus_A: this.defocus_A });
      this.pureMap.set(k, cal);
    }
    return cal;
  }

  mixed(host: number, guest: number, spacing_A: number): ColumnCalibration | undefined {
    if (host === O || guest === O) return undefined;
    const sp = spacingKey(spacing_A), k = (host * 128 + guest) * 1e7 + Math.round(sp * 100);
    let cal = this.mixMap.get(k);
    if (!cal) {
      cal = runCalibrationJob(this.c, { zPerSite: arrangement(host, guest, this.sitesFor(sp)), spacing_A: sp, defocus_A: this.defocus_A });
      this.mixMap.set(k, cal);
    }
    return cal;
  }
}

/** σ_c (Å²) and w_c (Å) of every column of a frame at one node. */
export interface FrameCrossSections {
  readonly sigma_A2: Float64Array;
  readonly width_A: Float64Array;
}

/**
 * Column contents already evaluated at a node (columnCrossSection is a pure function of the lookup, the spacing and
 * the element counts): content key → index into σ, w. Shared by every frame of the thread at that node.
 */
interface ContentMemo { readonly spacingIds: Map<number, number>; readonly index: Map<number, number>; sigma: number[]; width: number[] }
const contentMemos = new WeakMap<CalibrationLookup, ContentMemo>();
/** Contents remembered per node at most (the memo starts over beyond). */
const MAX_MEMO_CONTENTS = 1 << 18;

/**
 * Cross-sections of a frame's columns at one calibration node. Columns of the same content (spacing and element
 * counts) are evaluated once per node and thread: the same numbers as evaluating each.
 */
export function frameCrossSections(f: FrameColumns, cal: CalibrationLookup): FrameCrossSections {
  const n = f.geometry.n;
  const sigma = new Float64Array(n), width = new Float64Array(n);
  const occ = new Float64Array(5), out: CrossSection = { sigma_A2: 0, width_A: 0 };
  let memo = contentMemos.get(cal);
  if (!memo || memo.index.size >= MAX_MEMO_CONTENTS) { memo = { spacingIds: new Map(), index: new Map(), sigma: [], width: [] }; contentMemos.set(cal, memo); }
  const el = f.element, sp = f.geometry.spacing_A;
  for (let c = 0; c < n; c++) {
    const atoms = f.atoms[c]!;
    if (atoms === 0) continue;
    const e = 5 * c;
    // Exact key: spacing id (< 256) and the five counts (< 512 each) in 53 bits; other columns are evaluated directly.
    let sid = memo.spacingIds.get(sp[c]!);
    if (sid === undefined && memo.spacingIds.size < 256) { sid = memo.spacingIds.size; memo.spacingIds.set(sp[c]!, sid); }
    const e0 = el[e]!, e1 = el[e + 1]!, e2 = el[e + 2]!, e3 = el[e + 3]!, e4 = el[e + 4]!;
    const keyed = sid !== undefined && (e0 | e1 | e2 | e3 | e4) < 512;
    const key = keyed ? ((((sid! * 512 + e0) * 512 + e1) * 512 + e2) * 512 + e3) * 512 + e4 : -1;
    const hit = keyed ? memo.index.get(key) : undefined;
    if (hit !== undefined) { sigma[c] = memo.sigma[hit]!; width[c] = memo.width[hit]!; continue; }
    occ[0] = e0; occ[1] = e1; occ[2] = e2; occ[3] = e3; occ[4] = e4;
    columnCrossSection(cal, sp[c]!, atoms, COLUMN_ELEMENTS, occ, 5, out);
    sigma[c] = out.sigma_A2;
    width[c] = out.width_A;
    if (keyed) { memo.index.set(key, memo.sigma.length); memo.sigma.push(out.sigma_A2); memo.width.push(out.width_A); }
  }
  return { sigma_A2: sigma, width_A: width };
}
