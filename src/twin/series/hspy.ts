/**
 * HyperSpy HDF5 (.hspy, .hdf5; HyperSpy's own format, file_format "HyperSpy", read with h5wasm, loaded lazily): the
 * signal is the dataset `Experiments/<title>/data` (the first title unless `signal` names one), its axes the groups
 * `axis-0 … axis-(n−1)` in array order with attributes name, size, scale, offset, units and navigate. The last two
 * array dimensions that are not navigation axes are the image (y then x); navigation axes are flattened into frames
 * (a time series, a movie). Float16 data (HyperSpy saves float16 signals as such) is decoded from its raw bits
 * (half.ts) since h5wasm cannot.
 *
 * Calibration: the x and y signal axes' scale and units give the pixel size in Å. An axis with no unit whose scale is
 * exactly 1 with offset 0 is HyperSpy's uncalibrated default: no pixel size. An axis with a scale ≠ 1 but no unit is
 * read as nm (atomap's and HyperSpy's STEM convention) with a warning that says so.
 */
import { statSync } from 'node:fs';
import { InputError, parseQuantity } from '../../core/index.js';
import { decodeHalf } from './half.js';

/** A HyperSpy image signal as frames. */
export interface HspyImage {
  readonly frames: Float32Array[];
  readonly width: number;
  readonly height: number;
  /** Pixel size (x, y), Å, when the axes are calibrated. */
  readonly pixelSize_A?: number;
  readonly pixelSizeY_A?: number;
  /** The signal's title (group name) and its HDF5 dtype string (e.g. "<e" for float16). */
  readonly title: string;
  readonly dtype: string;
  /** Beam energy, V (metadata/Acquisition_instrument/TEM/beam_energy, keV), when present. */
  readonly voltage_V?: number;
  /** Titles of every signal in the file. */
  readonly titles: string[];
  readonly warnings: string[];
}

interface Axis { name?: string; size: number; scale: number; offset: number; units?: string; navigate: boolean }

/** Largest decoded signal accepted, elements (4 GiB of float32 is beyond any single frame series this tool handles). */
const MAX_ELEMENTS = 2 ** 28;

const attr = (o: { attrs: Record<string, { value: unknown }> }, k: string): unknown => {
  try {
    const v = o.attrs[k]?.value;
    return typeof v === 'bigint' ? Number(v) : v;
  } catch {
    return undefined;
  }
};

/** Reads a HyperSpy image signal (InputError naming --series on anything else). */
export async function readHspy(path: string, signal?: string, field = '--series'): Promise<HspyImage> {
  let mod: typeof import('h5wasm/node');
  try {
    mod = await import('h5wasm/node');
  } catch (e) {
    throw new InputError(field, path, 'TIFF, PNG, DM3/DM4, MRC, .npy/.npz (h5wasm, needed for HyperSpy HDF5, is not installed)', (e as Error).message);
  }
  const h5 = mod.default;
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new InputError(field, path, 'an existing HyperSpy .hspy/.hdf5 file', (e as Error).message);
  }
  await h5.ready;
  let f: InstanceType<typeof h5.File>;
  try {
    f = new h5.File(path, 'r');
  } catch (e) {
    throw new InputError(field, path, 'a readable HDF5 (HyperSpy) file', (e as Error).message);
  }
  const warnings: string[] = [];
  try {
    return readOpened(mod, f, path, signal, field, size, warnings);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(field, path, 'a HyperSpy HDF5 file (an /Experiments group holding an image signal)', (e as Error).message);
  } finally {
    f.close();
  }
}

/** The signal of an open HyperSpy file (any h5wasm failure becomes an InputError in the caller). */
function readOpened(mod: typeof import('h5wasm/node'), f: InstanceType<typeof import('h5wasm/node').default.File>, path: string, signal: string | undefined, field: string, size: number, warnings: string[]): HspyImage {
  const h5 = mod.default;
  {
    let exp;
    try { exp = f.get('Experiments'); } catch { exp = null; }
    if (!(exp instanceof h5.Group)) throw new InputError(field, path, 'a HyperSpy file (an /Experiments group holding the signal)', `file_format ${String(attr(f as never, 'file_format') ?? 'unknown')}`);
    const titles = exp.keys();
    if (titles.length === 0) throw new InputError(field, path, 'a HyperSpy file with at least one signal under /Experiments');
    const title = signal ?? titles[0]!;
    if (!titles.includes(title)) throw new InputError('--signal', signal, `one of ${titles.join(', ')}`);
    const g = f.get(`Experiments/${title}`);
    const ds = f.get(`Experiments/${title}/data`);
    if (!(g instanceof h5.Group) || !(ds instanceof h5.Dataset) || !ds.shape) throw new InputError(field, `${path}:/Experiments/${title}`, 'a signal group with a data array');
    const shape = ds.shape;
    const meta = ds.metadata;
    if (shape.length < 2) throw new InputError(field, `${path} (${shape.join('×')})`, 'an image signal (at least two dimensions)');
    const n = shape.reduce((a, b) => a * b, 1);
    if (!(n > 0) || n > MAX_ELEMENTS) throw new InputError(field, `${path} (${shape.join('×')})`, `a signal of 1 … ${MAX_ELEMENTS} values`);
    // Stored bytes cannot exceed the file unless compressed (deflate at most ~1032:1).
    const bytes = n * meta.size;
    const filtered = ds.filters.length > 0;
    if (bytes > (filtered ? 1100 : 1) * size + 4096) throw new InputError(field, `${path} (${shape.join('×')} × ${meta.size} B in a ${size} B file)`, 'a data array that fits in its file');
    const axes: Axis[] = shape.map((s, i) => {
      const a = f.get(`Experiments/${title}/axis-${i}`);
      if (!(a instanceof h5.Group)) return { size: s, scale: 1, offset: 0, navigate: i < shape.length - 2 };
      const nav = attr(a as never, 'navigate');
      const units = attr(a as never, 'units');
      return {
        name: String(attr(a as never, 'name') ?? ''), size: Number(attr(a as never, 'size') ?? s), scale: Number(attr(a as never, 'scale') ?? 1),
        offset: Number(attr(a as never, 'offset') ?? 0), ...(typeof units === 'string' && units !== '' && units !== '<undefined>' ? { units } : {}),
        navigate: nav === undefined ? i < shape.length - 2 : Boolean(nav),
      };
    });
    const sig = axes.map((a, i) => (a.navigate ? -1 : i)).filter((i) => i >= 0);
    if (sig.length !== 2 || sig[0] !== shape.length - 2 || sig[1] !== shape.length - 1) {
      throw new InputError(field, `${path} (${shape.join('×')}, signal axes ${sig.join(',')})`, 'an image signal: two signal axes, last in the array (navigation axes, if any, first)');
    }
    const H = shape[shape.length - 2]!, W = shape[shape.length - 1]!, F = n / (W * H);
    // Values: float16 from raw bytes, the rest through h5wasm.
    let values: ArrayLike<number | bigint>;
    if (meta.type === 1 && meta.size === 2) {
      const M = mod.Module;
      const ptr = M._malloc(bytes);
      if (!ptr) throw new InputError(field, path, `a signal that fits in memory (${bytes} B)`);
      try {
        M.get_dataset_data(ds.file_id, ds.path, null, null, null, BigInt(ptr));
        values = decodeHalf(M.HEAPU8, ptr, n, meta.littleEndian);
      } finally {
        M._free(ptr);
      }
    } else if (meta.type === 0 || meta.type === 1) {
      values = ds.value as ArrayLike<number | bigint>;
    } else throw new InputError(field, `${path} (HDF5 type class ${meta.type})`, 'integer or floating-point image data');
    const frames = Array.from({ length: F }, (_, k) => {
      const fr = new Float32Array(W * H);
      for (let i = 0; i < W * H; i++) fr[i] = Number(values[k * W * H + i]!);
      return fr;
    });
    const px = axisPixel(axes[shape.length - 1]!, 'x', warnings), py = axisPixel(axes[shape.length - 2]!, 'y', warnings);
    // One warning when both axes were read by the same convention.
    if (warnings.length === 2 && warnings[0]!.replace(' x axis', '') === warnings[1]!.replace(' y axis', '')) warnings.splice(0, 2, warnings[0]!.replace(' x axis', ' x and y axes'));
    if ((px === undefined) !== (py === undefined)) warnings.push('only one image axis is calibrated: the pixel size is taken as unknown');
    let voltage_V: number | undefined;
    try {
      const tem = f.get(`Experiments/${title}/metadata/Acquisition_instrument/TEM`);
      const e = tem instanceof h5.Group ? Number(attr(tem as never, 'beam_energy')) : NaN;
      if (e > 0) voltage_V = e * 1e3;
    } catch { /* no instrument metadata */ }
    return {
      frames, width: W, height: H, title, dtype: ds.dtype as string, titles, warnings,
      ...(px !== undefined && py !== undefined ? { pixelSize_A: px, pixelSizeY_A: py } : {}),
      ...(voltage_V ? { voltage_V } : {}),
    };
  }
}

/** Pixel size of one signal axis in Å, or undefined (uncalibrated); see module doc. */
function axisPixel(a: Axis, which: string, warnings: string[]): number | undefined {
  if (!(a.scale > 0) || !Number.isFinite(a.scale)) return undefined;
  if (a.units === undefined) {
    if (a.scale === 1 && a.offset === 0) return undefined;
    warnings.push(`HyperSpy ${which} axis has a scale (${a.scale}) but no unit: read as nm (the convention of HyperSpy/atomap STEM data); pass --pixel-size to override`);
    return a.scale * 10;
  }
  const u = a.units.trim().replace(/^microns?$/i, 'um').replace(/^µm$/, 'um').replace(/^(Å|angstroms?|A)$/i, 'angstrom');
  try {
    return parseQuantity(`${a.scale} ${u}`, 'length', `${which} axis`);
  } catch {
    warnings.push(`HyperSpy ${which} axis unit "${a.units}" is not a length: the pixel size is unknown`);
    return undefined;
  }
}
