/**
 * One bundle: `bundleSize` consecutive samples generated straight into the arrays of an .npz (npz.ts), written
 * atomically as `bundles/bNNNNNN.npz`, optionally with one set of files per sample (formats: 'files'), then a sidecar
 * `bundles/bNNNNNN.json` (the manifest rows of its samples and the SHA-256 of every file) that marks it complete.
 * Runs in a worker thread or in process; the bytes depend only on (seed, count, config, bundle index).
 *
 * Arrays of a bundle of N samples of H × W pixels:
 *   images (N, H, W) float32        acquired image, fraction of the incident beam
 *   ideal (N, H, W) float32         noise-free image of the same scan
 *   masks (N, 2, H, W) uint8        [0] sublattice class, [1] phase class (dataset.json lists the class names)
 *   heatmaps (N, 3, H, W) float16   Gaussian column heat maps per sublattice (Li layer, M layer, O)
 *   index (N,) int64                sample index in the set
 *   pixel_A (N,) float32            nominal pixel size, Å
 *   columns_offset (N + 1,) int64   rows of sample i in `columns`: columns_offset[i] … columns_offset[i + 1]
 *   columns (M, 17) float32         column table (COLUMN_FIELDS: x_px, y_px, x_A, y_A, sublattice, phase, counts…)
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pageAlignedBytes, writeFileAtomic } from '../../core/index.js';
import { encodePng16, encodePng8, encodeTiffFloat32, jsonReplacer } from '../imageio/index.js';
import { halfToFloat } from '../series/npy.js';
import { COLUMN_FIELD_COUNT, columnsCsv } from './labels.js';
import { type NpyMember, NpzLayout } from './npz.js';
import { type DatasetConfig, type SampleParams, sampleParams } from './params.js';
import { type SampleReport, SampleWorkspace } from './sample.js';
import { DatasetCalibrations, type FrameSource, syntheticSource } from './source.js';
import { type KineticSources, kineticSource, loadKineticModules } from './kinetic.js';

/** Format tag of bundle sidecars and shard manifests. */
export const DATASET_FORMAT = 'cathode-twin dataset';
export const DATASET_VERSION = 2;

/** A bundle to make. */
export interface BundleTask {
  readonly out: string;
  readonly seed: number;
  readonly count: number;
  readonly config: DatasetConfig;
  readonly bundle: number;
  /** Calibration cache directory (null: in memory only). */
  readonly cacheDir: string | null;
}

/** A finished bundle (what the shard manifest lists). */
export interface BundleEntry {
  readonly bundle: number;
  readonly file: string;
  readonly sha256: string;
  readonly samples: number;
  readonly first: number;
  readonly split: string;
  /** Other files of the bundle's samples (formats 'files'), name → SHA-256. */
  readonly files: Record<string, string>;
}

/** The sidecar of a bundle. */
export interface BundleSidecar extends BundleEntry {
  readonly format: string;
  readonly version: number;
  readonly seed: number;
  readonly count: number;
  readonly configHash: string;
  /** Manifest rows of the bundle's samples, JSON lines in index order. */
  readonly rows: string[];
}

export const sha256 = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

/** JSON with object keys sorted (canonical, for hashing configurations). */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** Hash of a configuration (what a resumed or merged shard must share). */
export function configHash(c: DatasetConfig): string {
  return sha256(canonicalJson(c)).slice(0, 16);
}

export const bundleName = (b: number): string => `bundles/b${String(b).padStart(6, '0')}`;
export const sampleStem = (k: number): string => `samples/s${String(k).padStart(8, '0')}`;

/** Members of a bundle of n samples of size W × H (the column table is appended at the end). */
export function bundleMembers(n: number, W: number, H: number): NpyMember[] {
  return [
    { name: 'images', dtype: '<f4', shape: [n, H, W] },
    { name: 'ideal', dtype: '<f4', shape: [n, H, W] },
    { name: 'masks', dtype: '|u1', shape: [n, 2, H, W] },
    { name: 'heatmaps', dtype: '<f2', shape: [n, 3, H, W] },
    { name: 'index', dtype: '<i8', shape: [n] },
    { name: 'pixel_A', dtype: '<f4', shape: [n] },
    { name: 'columns_offset', dtype: '<i8', shape: [n + 1] },
  ];
}

/** Reads a bundle sidecar when it exists, matches (seed, count, config) and every listed file has its SHA-256. */
export function verifyBundle(out: string, seed: number, count: number, config: DatasetConfig, bundle: number): BundleSidecar | undefined {
  const path = join(out, `${bundleName(bundle)}.json`);
  if (!existsSync(path)) return undefined;
  let s: BundleSidecar;
  try {
    s = JSON.parse(readFileSync(path, 'utf8')) as BundleSidecar;
  } catch {
    return undefined;
  }
  if (s.format !== DATASET_FORMAT || s.version !== DATASET_VERSION || s.seed !== seed || s.count !== count || s.configHash !== configHash(config) || s.bundle !== bundle) return undefined;
  for (const [name, hash] of [[s.file, s.sha256] as const, ...Object.entries(s.files)]) {
    const f = join(out, name);
    if (!existsSync(f) || sha256(readFileSync(f)) !== hash) return undefined;
  }
  return s;
}

/** Per-thread state: workspace, calibrations, the last specimens, the trajectories, the bundle buffer. */
export class BundleGenerator {
  private readonly ws = new SampleWorkspace();
  private cal: DatasetCalibrations | null = null;
  private calKey = '';
  private readonly specimens = new Map<string, FrameSource>();
  private kinetic: KineticSources | null = null;
  private buffer: Uint8Array | undefined;
  private rows = new Float32Array(1 << 16);
  private incoherent = new Float32Array(0);

  private calibrations(c: DatasetConfig): DatasetCalibrations {
    const k = configHash(c);
    if (!this.cal || this.calKey !== k) {
      this.cal = new DatasetCalibrations(c);
      this.calKey = k;
      this.specimens.clear();
      this.kinetic = null;
    }
    return this.cal;
  }

  private source(t: BundleTask, p: SampleParams, cal: DatasetCalibrations): FrameSource {
    if (p.kind === 'kinetic') {
      if (!this.kinetic || this.kinetic.out !== t.out || this.kinetic.seed !== t.seed || this.kinetic.count !== t.count) this.kinetic = { out: t.out, seed: t.seed, count: t.count, cal, trajectories: new Map() };
      return kineticSource(this.kinetic, p);
    }
    const key = `${t.seed}:${p.specimen}`;
    let s = this.specimens.get(key);
    if (!s) {
      if (this.specimens.size >= 2) this.specimens.delete(this.specimens.keys().next().value!);
      s = syntheticSource(t.seed, p.specimen, cal);
      this.specimens.set(key, s);
    }
    return s;
  }

  /** Makes bundle `t.bundle`: generates it, writes the .npz (and per-sample files), then the sidecar. */
  async generate(t: BundleTask): Promise<BundleSidecar> {
    const m = await this.make(t, this.buffer);
    this.buffer = m.buffer;
    await writeBundle(t.out, m);
    return m.sidecar;
  }

  /**
   * Generates bundle `t.bundle` in memory (and writes its per-sample files, format 'files'): the archive laid out in
   * `buffer` (used when large enough, else a new one) with its SHA-256 in the sidecar; writeBundle() stores it. The
   * caller owns the buffer again once the bundle is written (a driver writes one bundle while the next is made).
   * `shared`: a new buffer is made over a SharedArrayBuffer (a worker's archive, written by the driver thread).
   * Yields to the event loop between samples, so a write in flight makes progress meanwhile.
   */
  async make(t: BundleTask, buffer?: Uint8Array, shared = false): Promise<MadeBundle> {
    const c = t.config, W = c.size_px, H = c.size_px;
    if (c.kineticShare > 0) await loadKineticModules();
    const cal = this.calibrations(c);
    const first = t.bundle * c.bundleSize, last = Math.min(t.count, first + c.bundleSize), n = last - first;
    // Every slot of every member is written below (images, ideal, masks, heat maps, index, pixel_A, offsets): the
    // layout need not clear a reused buffer first.
    // Page-aligned (writeBundle writes the archive with O_DIRECT where the file system allows).
    const layout = new NpzLayout(bundleMembers(n, W, H), buffer, false, (m) => pageAlignedBytes(m, shared));
    const images = layout.view('images') as Float32Array, ideal = layout.view('ideal') as Float32Array;
    const masks = layout.view('masks') as Uint8Array, heat = layout.view('heatmaps') as Uint16Array;
    const index = layout.view('index') as BigInt64Array, pixel = layout.view('pixel_A') as Float32Array;
    const offsets = layout.view('columns_offset') as BigInt64Array;
    const px = W * H;
    let rows = 0;
    const lines: string[] = [];
    const files: Record<string, string> = {};
    let split = '';
    for (let s = 0; s < n; s++) {
      const k = first + s;
      const p = sampleParams(t.seed, k, c, t.count);
      split = p.split;
      const src = this.source(t, p, cal);
      // Room for every column that could be labelled: all of the field's columns at most.
      const need = (rows + 4 * src.frame.geometry.n + 16) * COLUMN_FIELD_COUNT;
      if (this.rows.length < need) { const r = new Float32Array(Math.max(need, 2 * this.rows.length)); r.set(this.rows.subarray(0, rows * COLUMN_FIELD_COUNT)); this.rows = r; }
      const target = {
        image: images.subarray(s * px, (s + 1) * px), ideal: ideal.subarray(s * px, (s + 1) * px),
        sublattice: masks.subarray(2 * s * px, (2 * s + 1) * px), phase: masks.subarray((2 * s + 1) * px, (2 * s + 2) * px),
        heatmaps: heat.subarray(3 * s * px, 3 * (s + 1) * px), columns: this.rows, row0: rows,
      };
      let agreement: Record<string, number> | undefined;
      let report: SampleReport;
      if (p.renderer === 'prism') {
        if (this.incoherent.length < px) this.incoherent = new Float32Array(px);
        const inc = this.incoherent.subarray(0, px);
        report = await this.ws.generatePrism(p, src, cal, c, target, inc);
        agreement = imageAgreement(target.ideal, inc);
      } else report = this.ws.generate(p, src, cal, c, target);
      index[s] = BigInt(k);
      pixel[s] = p.pixel_A;
      offsets[s] = BigInt(rows);
      const row = manifestRow(t, p, src, report, `${bundleName(t.bundle)}.npz`, s, rows);
      if (agreement) row.prismVsIncoherent = agreement;
      if (c.formats.includes('files')) {
        row.files = await writeSampleFiles(t.out, k, W, H, p.pixel_A, target, this.rows.subarray(rows * COLUMN_FIELD_COUNT, (rows + report.columns) * COLUMN_FIELD_COUNT), report.columns, row);
        Object.assign(files, row.files);
      }
      rows += report.columns;
      lines.push(JSON.stringify(row, jsonReplacer));
      if (s % YIELD_EVERY === YIELD_EVERY - 1) await new Promise<void>((r) => setImmediate(r));
    }
    offsets[n] = BigInt(rows);
    const table = this.rows.subarray(0, rows * COLUMN_FIELD_COUNT);
    const zip = layout.finish({ member: { name: 'columns', dtype: '<f4', shape: [rows, COLUMN_FIELD_COUNT] }, data: new Uint8Array(table.buffer, table.byteOffset, table.byteLength) });
    const file = `${bundleName(t.bundle)}.npz`;
    const sidecar: BundleSidecar = {
      format: DATASET_FORMAT, version: DATASET_VERSION, seed: t.seed, count: t.count, configHash: configHash(c), bundle: t.bundle, file, sha256: sha256(zip),
      samples: n, first, split, files, rows: lines,
    };
    return { sidecar, zip, buffer: layout.buffer };
  }
}

/** Samples between yields to the event loop in BundleGenerator.make (a write in flight advances at each yield). */
const YIELD_EVERY = 2;

/** A bundle made in memory (BundleGenerator.make): its sidecar, and the archive as a view of `buffer`. */
export interface MadeBundle {
  readonly sidecar: BundleSidecar;
  readonly zip: Uint8Array;
  readonly buffer: Uint8Array;
}

/**
 * Writes a made bundle: the .npz atomically (bypassing the page cache where it can: writeFileAtomic `direct`; 1 MB per
 * 256² sample, not read back by the run), then its sidecar (which marks the bundle complete).
 */
export async function writeBundle(out: string, m: Pick<MadeBundle, 'sidecar' | 'zip'>): Promise<void> {
  await writeFileAtomic(join(out, m.sidecar.file), m.zip, { direct: true });
  await writeFileAtomic(join(out, `${bundleName(m.sidecar.bundle)}.json`), `${JSON.stringify(m.sidecar, null, 1)}\n`);
}

/**
 * Agreement of a PRISM image with the incoherent image of the same scan (noise-free): Pearson correlation (NCC), the
 * ratio of the means (PRISM / incoherent), and the r.m.s. difference relative to the PRISM mean.
 */
export function imageAgreement(prism: Float32Array, incoherent: Float32Array): { ncc: number; meanRatio: number; rmsRelative: number } {
  const n = prism.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += prism[i]!; mb += incoherent[i]!; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0, d2 = 0;
  for (let i = 0; i < n; i++) {
    const a = prism[i]! - ma, b = incoherent[i]! - mb;
    sab += a * b; saa += a * a; sbb += b * b; d2 += (prism[i]! - incoherent[i]!) ** 2;
  }
  return { ncc: sab / Math.sqrt(saa * sbb), meanRatio: ma / mb, rmsRelative: Math.sqrt(d2 / n) / ma };
}

/** The manifest row of a sample: every parameter, with units in the names. */
function manifestRow(t: BundleTask, p: SampleParams, src: FrameSource, r: SampleReport, bundle: string, slot: number, row0: number): Record<string, unknown> {
  const c = t.config;
  const [Lx, Ly] = src.frame.geometry.cell_A;
  return {
    index: p.index, split: p.split, bundle, slot, kind: p.kind, renderer: p.renderer,
    structure: src.describe,
    view: { pixel_A: p.pixel_A, size_px: c.size_px, field_A: (c.size_px - 1) * p.pixel_A, rotation_deg: p.rotation_deg, centre_A: [p.centre[0] * Lx, p.centre[1] * Ly] },
    optics: {
      energy_eV: c.energy_eV, semiangle_mrad: c.semiangle_mrad, detector_mrad: c.detector_mrad, defocus_A: p.defocus_A, Cs_A: c.Cs_A, sourceSize_A: p.sourceSize_A,
      calibration: { sampling_A: c.calibrationSampling_A, phonons: c.phonons },
    },
    acquisition: {
      dose_ePerA2: p.dose_ePerA2, electronsPerPixel: r.electronsPerPixel, frames: p.frames, drift_APerFrame: p.drift_APerFrame[0], driftWalk_APerFrame: p.driftWalk_APerFrame,
      lineJitter_A: p.lineJitter_A, scaleError: p.scale, shear: p.shear, hum_A: p.hum_A, humPeriod_lines: p.humPeriod_lines, humPhase_rad: p.humPhase_rad,
      gain: c.gain, offset: c.offset, readNoise: c.readNoise, noiseSeed: p.noiseSeed,
    },
    labels: { columns: r.columns, columnsRow: row0, labelOffsetFirstLine_A: [r.labelOffset_A[0], r.labelOffset_A[1]], labelOffsetLastLine_A: [r.labelOffset_A[2], r.labelOffset_A[3]] },
  };
}

/** One set of files per sample (the 'files' format); returns name → SHA-256. */
async function writeSampleFiles(
  out: string, k: number, W: number, H: number, pixel_A: number,
  t: { image: Float32Array; ideal: Float32Array; sublattice: Uint8Array; phase: Uint8Array; heatmaps: Uint16Array }, rows: Float32Array, nRows: number, row: Record<string, unknown>,
): Promise<Record<string, string>> {
  const stem = sampleStem(k);
  const heat = [0, 1, 2].map((ch) => Float32Array.from(t.heatmaps.subarray(ch * W * H, (ch + 1) * W * H), halfToFloat));
  const list: [string, Uint8Array | string][] = [
    [`${stem}.tif`, encodeTiffFloat32([t.image, t.ideal], W, H, { pixelSize_A: pixel_A, unit: 'A', description: `cathode-twin dataset sample ${k}: acquired, noise-free (fraction of the beam)` })],
    [`${stem}.png`, encodePng16(t.image, W, H).png],
    [`${stem}.sublattice.png`, encodePng8(t.sublattice, W, H)],
    [`${stem}.phase.png`, encodePng8(t.phase, W, H)],
    [`${stem}.heatmaps.tif`, encodeTiffFloat32(heat, W, H, { pixelSize_A: pixel_A, unit: 'A', description: `cathode-twin dataset sample ${k}: heat maps Li-layer, M-layer, O` })],
    [`${stem}.columns.csv`, columnsCsv(rows, nRows)],
  ];
  const hashes: Record<string, string> = {};
  for (const [name, data] of list) {
    await writeFileAtomic(join(out, name), data);
    hashes[name] = sha256(data);
  }
  const meta = `${JSON.stringify({ ...row, files: hashes }, jsonReplacer, 1)}\n`;
  await writeFileAtomic(join(out, `${stem}.json`), meta);
  hashes[`${stem}.json`] = sha256(meta);
  return hashes;
}
