/**
 * `readSeries`: an experimental frame series from multi-page TIFF (float or integer), a PNG/TIFF sequence (a directory
 * or a list of files, sorted naturally: frame2 before frame10), DM3/DM4, NumPy .npy/.npz (float16 included), HyperSpy
 * .hspy/.hdf5 (hspy.ts), MRC (mrc.ts; a movie's sections are frames) and Velox EMD (HDF5, via h5wasm), with an
 * optional JSON/CSV sidecar of per-frame temperature, time, dose and the pixel size.
 *
 * Pixel size, in order of precedence: an explicit `pixelSize_A` (the CLI's --pixel-size), the sidecar's, the file's
 * own calibration. An explicit value that differs from the sidecar's or the file's by more than 0.5 % wins, with a
 * warning that says so; where none is known, `pixelSize_A` is undefined (callers that need one refuse the series).
 * The file's own per-frame metadata (a cathode-twin run's frames.tif description: temperatures, times, doses, units)
 * is used when no sidecar is given.
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { decode as decodePng } from 'fast-png';
import { InputError, guardedRead, readInputFile } from '../../core/index.js';
import { decodeTiff } from '../imageio/index.js';
import { decodeDm } from './dm.js';
import { readEmd } from './emd.js';
import { readHspy } from './hspy.js';
import { decodeMrc } from './mrc.js';
import { decodeNpy, decodeNpz, npyFrames } from './npy.js';
import { type FrameMeta, readSidecar } from './sidecar.js';
import { tiffDescriptions } from './tiffTags.js';

/** An experimental series in memory. */
export interface FrameSeries {
  /** Frames, row-major Float32 (the file's values: counts, fraction of beam, or arbitrary units). */
  readonly frames: Float32Array[];
  readonly width: number;
  readonly height: number;
  /** Pixel size, Å (x; and y unless pixelSizeY_A), by the precedence of the module doc, when known. */
  readonly pixelSize_A?: number;
  /** Pixel size along y when it differs from x, Å. */
  readonly pixelSizeY_A?: number;
  /** Where the pixel size came from. */
  readonly pixelSource?: 'flag' | 'sidecar' | 'file';
  /** 'fraction' when the file states its values are a fraction of the incident beam (a cathode-twin run or image). */
  readonly intensity?: 'fraction';
  /** Per-frame metadata (temperature_K, time_s, dose_ePerA2 when known); one entry per frame. */
  readonly meta: FrameMeta[];
  /** Source files, the format read, and format-specific extras (voltage_V, dwell_s, TIFF description, drift shifts). */
  readonly source: { files: string[]; format: 'tiff' | 'png' | 'dm' | 'npy' | 'npz' | 'emd' | 'hspy' | 'mrc'; detector?: string; voltage_V?: number; dwell_s?: number; description?: string; driftShifts_px?: [number, number][] };
  /** Assumptions and overrides made while reading (calibration precedence, units read by convention). */
  readonly warnings?: string[];
}

/** Options of readSeries. */
export interface ReadSeriesOptions {
  /** JSON or CSV sidecar with per-frame temperature, time, dose, pixel size. */
  readonly sidecar?: string;
  /** Array name inside an .npz (default arr_0). */
  readonly npzArray?: string;
  /** Detector of a Velox EMD image (default the HAADF one, else the first). */
  readonly detector?: string;
  /** Signal title inside a HyperSpy file (default the first). */
  readonly signal?: string;
  /** Explicit pixel size, Å (the CLI's --pixel-size): wins over the sidecar and the file (with a warning). */
  readonly pixelSize_A?: number;
  /** Option name used in error messages for the series (default --experiment). */
  readonly field?: string;
}

/** Natural sort: digit runs compare as numbers. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' });
}

const IMAGE_EXT = /\.(tiff?|png)$/i;

let readField = '--experiment';
/** The whole file, checked to exist, be a regular file and fit the memory budget (src/core readInputFile). */
function read(path: string): Uint8Array {
  return readInputFile(path, readField, 'series file');
}

type Part = { frames: Float32Array[]; width: number; height: number; pixelSize_A?: number; pixelSizeY_A?: number; extra?: Partial<FrameSeries['source']>; warnings?: string[]; intensity?: 'fraction'; meta?: FrameMeta[] };

/** Per-frame metadata and units from a cathode-twin TIFF description (run's frames.tif). */
function descriptionMeta(j: Record<string, unknown>, frames: number): { meta?: FrameMeta[]; intensity?: 'fraction' } {
  const out: { meta?: FrameMeta[]; intensity?: 'fraction' } = {};
  if (j.units === 'fraction of incident beam') out.intensity = 'fraction';
  const arr = (k: string): number[] | undefined => (Array.isArray(j[k]) && (j[k] as unknown[]).length === frames && (j[k] as unknown[]).every((v) => typeof v === 'number' && Number.isFinite(v)) ? (j[k] as number[]) : undefined);
  const T = arr('temperatures_C'), t = arr('times_s'), d = arr('dose_ePerA2');
  if (T || t || d) out.meta = Array.from({ length: frames }, (_, i) => ({ ...(T ? { temperature_K: T[i]! + 273.15 } : {}), ...(t ? { time_s: t[i]! } : {}), ...(d ? { dose_ePerA2: d[i]! } : {}) }));
  return out;
}

function pngFrame(path: string): Part {
  let img;
  try {
    img = decodePng(read(path));
  } catch (e) {
    throw new InputError('--experiment', path, 'a PNG file', (e as Error).message);
  }
  const { width, height, channels, data } = img;
  const f = new Float32Array(width * height);
  // Grey (+alpha): the grey channel; RGB(A): the mean of R, G, B.
  const colour = channels >= 3;
  for (let i = 0; i < width * height; i++) f[i] = colour ? (data[i * channels]! + data[i * channels + 1]! + data[i * channels + 2]!) / 3 : data[i * channels]!;
  return { frames: [f], width, height };
}

async function readOne(path: string, o: ReadSeriesOptions): Promise<Part & { format: FrameSeries['source']['format'] }> {
  const ext = extname(path).toLowerCase();
  if (ext === '.tif' || ext === '.tiff') {
    const bytes = read(path);
    const t = await decodeTiff(bytes, path);
    const extra: Partial<FrameSeries['source']> = { description: t.description };
    let described: ReturnType<typeof descriptionMeta> = {};
    // A description may be JSON, or an ImageJ header with a JSON line appended (cathode-twin's own TIFFs).
    for (const d of tiffDescriptions(bytes).flatMap((t) => [t, ...t.split('\n').filter((l) => l.trim().startsWith('{'))])) {
      try {
        const j0 = JSON.parse(d) as unknown;
        const j = (Array.isArray(j0) ? j0[0] : j0) as { shifts_x?: number[]; shifts_y?: number[] };
        if (Array.isArray(j.shifts_x) && Array.isArray(j.shifts_y)) extra.driftShifts_px = j.shifts_x.map((x, i) => [x, j.shifts_y![i]!]);
        if (j && typeof j === 'object' && !described.meta && !described.intensity) described = descriptionMeta(j as Record<string, unknown>, t.pages.length);
      } catch { /* not JSON */ }
    }
    return { frames: t.pages, width: t.width, height: t.height, ...(t.pixelSize_A ? { pixelSize_A: t.pixelSize_A } : {}), extra, format: 'tiff', ...described };
  }
  if (ext === '.png') return { ...pngFrame(path), format: 'png' };
  if (ext === '.dm3' || ext === '.dm4') {
    const d = decodeDm(read(path), path);
    return {
      frames: d.frames, width: d.width, height: d.height, ...(d.pixelSize_A ? { pixelSize_A: d.pixelSize_A } : {}), format: 'dm',
      extra: { ...(d.voltage_V ? { voltage_V: d.voltage_V } : {}), ...(d.dwell_s ? { dwell_s: d.dwell_s } : {}) },
    };
  }
  if (ext === '.npy') return { ...npyFrames(decodeNpy(read(path), path)), format: 'npy' };
  if (ext === '.npz') {
    const z = decodeNpz(read(path), path);
    const name = o.npzArray ?? 'arr_0';
    const a = z.get(name);
    if (!a) throw new InputError('npz array', name, `one of ${[...z.keys()].join(', ')}`);
    return { ...npyFrames(a), format: 'npz' };
  }
  if (ext === '.hspy' || ext === '.hdf5' || ext === '.h5') {
    const h = await readHspy(path, o.signal, o.field ?? '--experiment');
    return {
      frames: h.frames, width: h.width, height: h.height, ...(h.pixelSize_A ? { pixelSize_A: h.pixelSize_A, pixelSizeY_A: h.pixelSizeY_A } : {}), format: 'hspy',
      extra: { ...(h.voltage_V ? { voltage_V: h.voltage_V } : {}) }, warnings: h.warnings,
    };
  }
  if (ext === '.mrc' || ext === '.mrcs') {
    const m = decodeMrc(read(path), path, o.field ?? '--experiment');
    return {
      frames: m.frames, width: m.width, height: m.height, ...(m.pixelSize_A ? { pixelSize_A: m.pixelSize_A, pixelSizeY_A: m.pixelSizeY_A } : {}), format: 'mrc',
      extra: { ...(m.voltage_V ? { voltage_V: m.voltage_V } : {}), ...(m.dwell_s ? { dwell_s: m.dwell_s } : {}), ...(m.detector ? { detector: m.detector } : {}) }, warnings: m.warnings,
    };
  }
  if (ext === '.emd') {
    const e = await readEmd(path, o.detector);
    return {
      frames: e.frames, width: e.width, height: e.height, ...(e.pixelSize_A ? { pixelSize_A: e.pixelSize_A } : {}), format: 'emd',
      extra: { ...(e.detector ? { detector: e.detector } : {}), ...(e.voltage_V ? { voltage_V: e.voltage_V } : {}), ...(e.dwell_s ? { dwell_s: e.dwell_s } : {}) },
    };
  }
  throw new InputError(o.field ?? '--experiment', path, 'a .tif/.tiff, .png, .dm3/.dm4, .emd (Velox), .hspy/.hdf5 (HyperSpy), .mrc, .npy or .npz file, a directory of .png/.tif frames, or a list of them');
}

/** Reads a series from a file, a directory of frames, or a list of frame files (see module doc). */
export async function readSeries(pathOrList: string | readonly string[], o: ReadSeriesOptions = {}): Promise<FrameSeries> {
  let files: string[];
  if (typeof pathOrList === 'string' && statSafe(pathOrList)?.isDirectory()) {
    files = readdirSync(pathOrList).filter((f) => IMAGE_EXT.test(f)).sort(naturalCompare).map((f) => join(pathOrList, f));
    if (files.length === 0) throw new InputError('--experiment', pathOrList, 'a directory holding .png or .tif frames');
  } else files = typeof pathOrList === 'string' ? [pathOrList] : [...pathOrList].sort(naturalCompare);
  if (files.length === 0) throw new InputError('--experiment', '[]', 'at least one file');
  const parts = [];
  readField = o.field ?? '--experiment';
  // Any decoder failure is bad input naming the option, never a crash; libraries' diagnostics are kept off the terminal.
  for (const f of files) parts.push(await guardedRead(readField, f, 'a readable image series file', () => readOne(f, o)));
  const { width, height } = parts[0]!;
  parts.forEach((p, i) => { if (p.width !== width || p.height !== height) throw new InputError('--experiment', `${files[i]} (${p.width}×${p.height})`, `frames of one size (${width}×${height} from ${files[0]})`); });
  const frames = parts.flatMap((p) => p.frames);
  const side = o.sidecar ? readSidecar(o.sidecar) : undefined;
  if (side && side.frames.length !== frames.length && side.frames.length !== 0) throw new InputError('--sidecar', `${side.frames.length} frames`, `one entry per frame (${frames.length})`);
  const warnings = parts.flatMap((p) => p.warnings ?? []);
  const filePx = parts[0]!.pixelSize_A, filePy = parts[0]!.pixelSizeY_A;
  if (o.pixelSize_A !== undefined && !(o.pixelSize_A > 0 && Number.isFinite(o.pixelSize_A))) throw new InputError('--pixel-size', o.pixelSize_A, 'a length > 0 Å');
  let pixelSize_A: number | undefined, pixelSizeY_A: number | undefined, pixelSource: FrameSeries['pixelSource'];
  if (o.pixelSize_A !== undefined) {
    pixelSize_A = o.pixelSize_A; pixelSource = 'flag';
    const other = side?.pixelSize_A !== undefined ? ['the sidecar', side.pixelSize_A] as const : filePx !== undefined ? ['the file', filePx] as const : undefined;
    if (other && Math.abs(other[1] - o.pixelSize_A) > 0.005 * o.pixelSize_A) warnings.push(`--pixel-size ${+o.pixelSize_A.toPrecision(6)} Å overrides the pixel size of ${other[0]} (${+other[1].toPrecision(6)} Å)`);
  } else if (side?.pixelSize_A !== undefined) {
    pixelSize_A = side.pixelSize_A; pixelSource = 'sidecar';
    if (filePx !== undefined && Math.abs(filePx - side.pixelSize_A) > 0.005 * side.pixelSize_A) warnings.push(`the sidecar pixel size ${side.pixelSize_A} Å overrides the file's (${filePx.toPrecision(6)} Å)`);
  } else if (filePx !== undefined) {
    pixelSize_A = filePx; pixelSource = 'file';
    if (filePy !== undefined && Math.abs(filePy - filePx) > 0.005 * filePx) pixelSizeY_A = filePy;
  }
  const described = parts.length === 1 ? parts[0]!.meta : undefined;
  const meta = frames.map((_, i) => ({ ...(side ? side.frames[i] ?? {} : described?.[i] ?? {}) }));
  const intensity = parts.every((p) => p.intensity === 'fraction') ? 'fraction' as const : undefined;
  return {
    frames, width, height, ...(pixelSize_A ? { pixelSize_A, pixelSource } : {}), ...(pixelSizeY_A ? { pixelSizeY_A } : {}), ...(intensity ? { intensity } : {}),
    meta, source: { files, format: parts[0]!.format, ...parts[0]!.extra }, warnings,
  };
}

function statSafe(p: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}
