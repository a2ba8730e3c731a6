/**
 * ThermoFisher Velox EMD (HDF5, read with h5wasm, loaded lazily so the rest of the readers work without it). Images
 * live in Data/Image/<uuid>/Data as [height, width, frames] (C order, frames last) with Data/Image/<uuid>/Metadata, a
 * [bytes, frames] uint8 array holding one JSON document per frame (BinaryResult.PixelSize in m, BinaryResult.Detector,
 * Optics.AccelerationVoltage in V, Scan.DwellTime in s). A file may hold several images (detectors); the one named by
 * `detector`, else the HAADF one, else the first is read.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { InputError, guardSize, guardedRead } from '../../core/index.js';

/** A Velox image as frames. */
export interface EmdImage {
  readonly frames: Float32Array[];
  readonly width: number;
  readonly height: number;
  readonly detector?: string;
  readonly pixelSize_A?: number;
  readonly voltage_V?: number;
  readonly dwell_s?: number;
  /** Detectors of every image in the file, in file order. */
  readonly detectors: string[];
}

interface VeloxMeta { BinaryResult?: { Detector?: string; PixelSize?: { width?: string | number } }; Optics?: { AccelerationVoltage?: string | number }; Scan?: { DwellTime?: string | number } }

/** Largest dataset h5wasm can hand over (WebAssembly's 32-bit memory holds it while it is copied out), bytes. */
const H5WASM_MAX_BYTES = 2 * 1024 ** 3;

/**
 * Reads the chosen image of a Velox EMD file (InputError naming --experiment when it is not one). Any failure of the
 * HDF5 library is an InputError too, and its diagnostics (HDF5-DIAG …) are kept off the terminal; dataset sizes are
 * checked against the memory budget before they are read.
 */
export async function readEmd(path: string, detector?: string): Promise<EmdImage> {
  let h5: typeof import('h5wasm/node').default;
  try {
    h5 = (await import('h5wasm/node')).default;
  } catch (e) {
    throw new InputError('--experiment', path, 'TIFF, PNG, DM3/DM4, .npy/.npz (h5wasm, needed for EMD, is not installed)', (e as Error).message);
  }
  if (!existsSync(path)) throw new InputError('--experiment', path, 'an existing Velox EMD file');
  if (!statSync(path).isFile()) throw new InputError('--experiment', path, 'a Velox EMD file', 'not a regular file');
  if (!hasHdf5Signature(path)) throw new InputError('--experiment', path, 'a Velox EMD file', 'no HDF5 signature (not an HDF5 file)');
  await h5.ready;
  return guardedRead('--experiment', path, 'a readable Velox EMD (HDF5) file', () => readOpen(h5, path, detector));
}

/** True when the file carries the HDF5 signature at 0, 512, 1024, 2048, … bytes (HDF5 file format spec, §2.2). */
function hasHdf5Signature(path: string): boolean {
  const sig = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const b = new Uint8Array(8);
    for (let at = 0; at + 8 <= size; at = at === 0 ? 512 : at * 2) {
      if (readSync(fd, b, 0, 8, at) === 8 && sig.every((v, i) => b[i] === v)) return true;
    }
    return false;
  } finally {
    closeSync(fd);
  }
}

/** Elements and bytes per element of a dataset, checked against the budget before `.value` reads it. */
function guardDataset(ds: { shape: number[] | null; metadata: { size: number } }, path: string, what: string): void {
  const n = (ds.shape ?? []).reduce((a, b) => a * b, 1);
  const size = Math.max(1, ds.metadata.size);
  guardSize({ field: `${path} ${what}`, value: (ds.shape ?? []).join('×'), what: 'values', count: n, bytesEach: 2 * size + 4, maxCount: Math.floor(H5WASM_MAX_BYTES / size), maxReason: "the HDF5 reader's 32-bit memory" });
}

async function readOpen(h5: typeof import('h5wasm/node').default, path: string, detector?: string): Promise<EmdImage> {
  let f: InstanceType<typeof h5.File>;
  try {
    f = new h5.File(path, 'r');
  } catch (e) {
    throw new InputError('--experiment', path, 'a readable HDF5 (Velox EMD) file', (e as Error).message);
  }
  // h5wasm reports a file HDF5 cannot open (truncated, corrupt superblock) as a negative id, not an exception.
  if (Number((f as unknown as { file_id: bigint | number }).file_id) < 0) {
    throw new InputError('--experiment', path, 'a readable HDF5 (Velox EMD) file', 'HDF5 cannot open it: truncated or corrupt');
  }
  try {
    let group;
    try {
      group = f.get('Data/Image');
    } catch {
      group = null;
    }
    if (!(group instanceof h5.Group)) throw new InputError('--experiment', path, 'a Velox EMD file with Data/Image (Berkeley/NCEM EMD is not read)');
    const keys = group.keys();
    const metaOf = (k: string): VeloxMeta => {
      const m = f.get(`Data/Image/${k}/Metadata`);
      if (!(m instanceof h5.Dataset) || !m.shape || m.shape.length !== 2) return {};
      guardDataset(m, path, `Data/Image/${k}/Metadata`);
      const v = m.value as Uint8Array, [n, F] = m.shape as [number, number];
      let s = '';
      for (let i = 0; i < n; i++) { const c = v[i * F]!; if (c === 0) break; s += String.fromCharCode(c); }
      try {
        return JSON.parse(new TextDecoder().decode(Uint8Array.from(s, (ch) => ch.charCodeAt(0)))) as VeloxMeta;
      } catch {
        return {};
      }
    };
    const metas = keys.map(metaOf);
    const detectors = metas.map((m) => m.BinaryResult?.Detector ?? '');
    let pick = detector !== undefined ? detectors.indexOf(detector) : detectors.findIndex((d) => /haadf/i.test(d));
    if (detector !== undefined && pick < 0) throw new InputError('--detector', detector, `one of ${detectors.join(', ')}`);
    if (pick < 0) pick = 0;
    const ds = f.get(`Data/Image/${keys[pick]}/Data`);
    if (!(ds instanceof h5.Dataset) || !ds.shape || ds.shape.length < 2 || ds.shape.length > 3) throw new InputError('--experiment', path, 'an image dataset [height, width, frames]');
    guardDataset(ds, path, `Data/Image/${keys[pick]}/Data`);
    const [H, W, F = 1] = ds.shape as [number, number, number?];
    const v = ds.value as ArrayLike<number | bigint>;
    if (!v || v.length !== H * W * F) throw new InputError(`${path} Data/Image/${keys[pick]}/Data`, ds.shape.join('×'), 'numeric pixel values (float16 and compound types are not read)');
    const frames = Array.from({ length: F }, (_, k) => {
      const fr = new Float32Array(W * H);
      for (let i = 0; i < W * H; i++) fr[i] = Number(v[i * F + k]!);
      return fr;
    });
    const m = metas[pick]!;
    const px = Number(m.BinaryResult?.PixelSize?.width), kv = Number(m.Optics?.AccelerationVoltage), dw = Number(m.Scan?.DwellTime);
    return {
      frames, width: W, height: H, detectors, ...(detectors[pick] ? { detector: detectors[pick] } : {}),
      ...(px > 0 ? { pixelSize_A: px * 1e10 } : {}), ...(kv > 0 ? { voltage_V: kv } : {}), ...(dw > 0 ? { dwell_s: dw } : {}),
    };
  } finally {
    f.close();
  }
}
