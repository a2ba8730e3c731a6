/**
 * `readSeries`: an experimental frame series from multi-page TIFF (float or integer), a PNG/TIFF sequence (a directory
 * or a list of files, sorted naturally: frame2 before frame10), DM3/DM4, NumPy .npy/.npz, with an optional JSON/CSV
 * sidecar of per-frame temperature, time, dose and the pixel size, and Velox EMD (HDF5, via h5wasm).
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { InputError, readInputFile } from '../../core/index.js';
import { decodePngGrey, decodeTiff } from '../imageio/index.js';
import { decodeDm } from './dm.js';
import { readEmd } from './emd.js';
import { decodeNpy, decodeNpz, npyFrames } from './npy.js';
import { type FrameMeta, readSidecar } from './sidecar.js';
import { tiffDescriptions } from './tiffTags.js';

/** An experimental series in memory. */
export interface FrameSeries {
  /** Frames, row-major Float32 (the file's values: counts, fraction of beam, or arbitrary units). */
  readonly frames: Float32Array[];
  readonly width: number;
  readonly height: number;
  /** Pixel size, Å (sidecar, else the file's calibration), when known. */
  readonly pixelSize_A?: number;
  /** Per-frame metadata (temperature_K, time_s, dose_ePerA2 when known); one entry per frame. */
  readonly meta: FrameMeta[];
  /** Source files, the format read, and format-specific extras (voltage_V, dwell_s, TIFF description, drift shifts). */
  readonly source: { files: string[]; format: 'tiff' | 'png' | 'dm' | 'npy' | 'npz' | 'emd'; detector?: string; voltage_V?: number; dwell_s?: number; description?: string; driftShifts_px?: [number, number][] };
}

/** Options of readSeries. */
export interface ReadSeriesOptions {
  /** JSON or CSV sidecar with per-frame temperature, time, dose, pixel size. */
  readonly sidecar?: string;
  /** Array name inside an .npz (default arr_0). */
  readonly npzArray?: string;
  /** Detector of a Velox EMD image (default the HAADF one, else the first). */
  readonly detector?: string;
}

/** Natural sort: digit runs compare as numbers. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' });
}

const IMAGE_EXT = /\.(tiff?|png)$/i;

function read(path: string): Uint8Array {
  return readInputFile(path, '--experiment', 'series file');
}

type Part = { frames: Float32Array[]; width: number; height: number; pixelSize_A?: number; extra?: Partial<FrameSeries['source']> };

function pngFrame(path: string): Part {
  const { width, height, data } = decodePngGrey(read(path), path);
  return { frames: [data], width, height };
}

async function readOne(path: string, o: ReadSeriesOptions): Promise<Part & { format: FrameSeries['source']['format'] }> {
  const ext = extname(path).toLowerCase();
  if (ext === '.tif' || ext === '.tiff') {
    const bytes = read(path);
    const t = await decodeTiff(bytes, path);
    const extra: Partial<FrameSeries['source']> = { description: t.description };
    for (const d of tiffDescriptions(bytes)) {
      try {
        const j0 = JSON.parse(d) as unknown;
        const j = (Array.isArray(j0) ? j0[0] : j0) as { shifts_x?: number[]; shifts_y?: number[] };
        if (Array.isArray(j.shifts_x) && Array.isArray(j.shifts_y)) extra.driftShifts_px = j.shifts_x.map((x, i) => [x, j.shifts_y![i]!]);
      } catch { /* not JSON */ }
    }
    return { frames: t.pages, width: t.width, height: t.height, ...(t.pixelSize_A ? { pixelSize_A: t.pixelSize_A } : {}), extra, format: 'tiff' };
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
  if (ext === '.emd') {
    const e = await readEmd(path, o.detector);
    return {
      frames: e.frames, width: e.width, height: e.height, ...(e.pixelSize_A ? { pixelSize_A: e.pixelSize_A } : {}), format: 'emd',
      extra: { ...(e.detector ? { detector: e.detector } : {}), ...(e.voltage_V ? { voltage_V: e.voltage_V } : {}), ...(e.dwell_s ? { dwell_s: e.dwell_s } : {}) },
    };
  }
  throw new InputError('--experiment', path, 'a .tif/.tiff, .png, .dm3/.dm4, .emd (Velox), .npy or .npz file, a directory of .png/.tif frames, or a list of them');
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
  for (const f of files) parts.push(await readOne(f, o));
  const { width, height } = parts[0]!;
  parts.forEach((p, i) => { if (p.width !== width || p.height !== height) throw new InputError('--experiment', `${files[i]} (${p.width}×${p.height})`, `frames of one size (${width}×${height} from ${files[0]})`); });
  const frames = parts.flatMap((p) => p.frames);
  const side = o.sidecar ? readSidecar(o.sidecar) : undefined;
  if (side && side.frames.length !== frames.length && side.frames.length !== 0) throw new InputError('--sidecar', `${side.frames.length} frames`, `one entry per frame (${frames.length})`);
  const pixelSize_A = side?.pixelSize_A ?? parts[0]!.pixelSize_A;
  const meta = frames.map((_, i) => ({ ...(side?.frames[i] ?? {}) }));
  return { frames, width, height, ...(pixelSize_A ? { pixelSize_A } : {}), meta, source: { files, format: parts[0]!.format, ...parts[0]!.extra } };
}

function statSafe(p: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}
