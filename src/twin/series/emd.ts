/**
 * ThermoFisher Velox EMD (HDF5, read with h5wasm, loaded lazily so the rest of the readers work without it). Images
 * live in Data/Image/<uuid>/Data as [height, width, frames] (C order, frames last) with Data/Image/<uuid>/Metadata, a
 * [bytes, frames] uint8 array holding one JSON document per frame (BinaryResult.PixelSize in m, BinaryResult.Detector,
 * Optics.AccelerationVoltage in V, Scan.DwellTime in s). A file may hold several images (detectors); the one named by
 * `detector`, else the HAADF one, else the first is read.
 */
import { existsSync } from 'node:fs';
import { InputError } from '../../core/index.js';

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

/** Reads the chosen image of a Velox EMD file (InputError naming --experiment when it is not one). */
export async function readEmd(path: string, detector?: string): Promise<EmdImage> {
  let h5: typeof import('h5wasm/node').default;
  try {
    h5 = (await import('h5wasm/node')).default;
  } catch (e) {
    throw new InputError('--experiment', path, 'TIFF, PNG, DM3/DM4, .npy/.npz (h5wasm, needed for EMD, is not installed)', (e as Error).message);
  }
  if (!existsSync(path)) throw new InputError('--experiment', path, 'an existing Velox EMD file');
  await h5.ready;
  let f: InstanceType<typeof h5.File>;
  try {
    f = new h5.File(path, 'r');
  } catch (e) {
    throw new InputError('--experiment', path, 'a readable HDF5 (Velox EMD) file', (e as Error).message);
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
    if (!(ds instanceof h5.Dataset) || !ds.shape || ds.shape.length < 2) throw new InputError('--experiment', path, 'an image dataset [height, width, frames]');
    const [H, W, F = 1] = ds.shape as [number, number, number?];
    const v = ds.value as ArrayLike<number | bigint>;
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
