/**
 * Read TIFF files (single or multi-page; float32, integer) through geotiff. Pages come back as
 * Float32Array (integer samples converted), row-major, with the first page's ImageDescription
 * and the pixel size recovered from an ImageJ header when present.
 */
import { readFile } from 'node:fs/promises';
import { InputError } from '../../core/errors.js';

/** A decoded image stack. */
export interface TiffStack {
  /** One row-major Float32Array per page, each `width × height`. */
  pages: Float32Array[];
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** The first page's ImageDescription ('' when absent). */
  description: string;
  /** Pixel size, Å, from X resolution and the ImageJ `unit=` line (nm, Å, µm), when both are present. */
  pixelSize_A?: number;
}

/** Decode a TIFF held in memory. Throws InputError (field `path`) when the bytes are not a TIFF. */
export async function decodeTiff(bytes: Uint8Array, path = 'tiff'): Promise<TiffStack> {
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let tiff;
  try {
    // geotiff is imported lazily: loading it pulls in `web-worker`, which crashes inside
    // worker threads started without workerData (every piscina pool that imports src/core).
    const { fromArrayBuffer } = await import('geotiff');
    tiff = await fromArrayBuffer(ab);
  } catch (e) {
    throw new InputError(path, `${bytes.length} bytes`, 'a TIFF file', (e as Error).message);
  }
  const n = await tiff.getImageCount();
  const pages: Float32Array[] = [];
  let width = 0;
  let height = 0;
  let description = '';
  let xres: number | undefined;
  for (let i = 0; i < n; i++) {
    const img = await tiff.getImage(i);
    const w = img.getWidth();
    const h = img.getHeight();
    if (i === 0) {
      width = w;
      height = h;
      const fd = img.getFileDirectory();
      const d = await fd.loadValue('ImageDescription');
      description = typeof d === 'string' ? d : '';
      const xr = (await fd.loadValue('XResolution')) as unknown;
      if ((Array.isArray(xr) || ArrayBuffer.isView(xr)) && (xr as ArrayLike<number>).length >= 2) {
        const r = xr as ArrayLike<number>;
        xres = Number(r[0]) / Number(r[1]);
      }
      else if (typeof xr === 'number') xres = xr;
    } else if (w !== width || h !== height) {
      throw new InputError(`${path} page ${i}`, `${w}×${h}`, `the first page's size ${width}×${height}`);
    }
    const rasters = (await img.readRasters({ interleave: false })) as unknown as ArrayLike<number>[];
    pages.push(Float32Array.from(rasters[0]!));
  }
  const stack: TiffStack = { pages, width, height, description };
  const unit = /^unit=(.*)$/m.exec(description)?.[1]?.trim();
  if (unit && xres && xres > 0) {
    const perA: Record<string, number> = { nm: 10, 'micron': 1e4, 'um': 1e4, '\\u00B5m': 1e4, '\\u00C5': 1, 'A': 1, 'Å': 1 };
    const f = perA[unit];
    if (f !== undefined) stack.pixelSize_A = f / xres;
  }
  return stack;
}

/** Read a TIFF file (see {@link decodeTiff}). */
export async function readTiff(path: string): Promise<TiffStack> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new InputError('path', path, 'a readable TIFF file', (e as Error).message);
  }
  return decodeTiff(bytes, path);
}
