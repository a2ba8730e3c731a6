/**
 * Read TIFF files (single or multi-page; float32, integer) through geotiff. Pages come back as
 * Float32Array (integer samples converted), row-major, with the first page's ImageDescription
 * and the pixel size recovered from an ImageJ header when present.
 */
import { InputError } from '../../core/errors.js';
import { guardSize } from '../../core/guard.js';
import { guardedRead, readInputFile } from '../../core/reader.js';
import { scanTiff, type TiffInfo } from './tiffScan.js';

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

/** Peak bytes per pixel while decoding (geotiff's raster, up to 8 bytes per sample, and our Float32 copy). */
const TIFF_DECODE_BYTES_PER_PIXEL = 12;

/**
 * Decode a TIFF held in memory. Any malformed, truncated or over-large file gives an InputError naming `path` (the
 * structure is scanned and bounded first, see tiffScan.ts; geotiff's own failures are wrapped, never thrown raw).
 */
export async function decodeTiff(bytes: Uint8Array, path = 'tiff'): Promise<TiffStack> {
  const info = scanTiff(bytes, path);
  const p0 = info.pages[0]!;
  info.pages.forEach((p, i) => {
    if (p.width !== p0.width || p.height !== p0.height) throw new InputError(`${path} page ${i}`, `${p.width}×${p.height}`, `the first page's size ${p0.width}×${p0.height}`);
  });
  guardSize({
    field: path, value: `${info.pages.length} pages of ${p0.width}×${p0.height} pixels`, what: 'pixels',
    count: info.pages.length * p0.width * p0.height * p0.samplesPerPixel, bytesEach: TIFF_DECODE_BYTES_PER_PIXEL, bytesPerArrayItem: 8,
  });
  return guardedRead(path, `${bytes.length} bytes`, 'a TIFF file', () => decodeScanned(bytes, info));
}

async function decodeScanned(bytes: Uint8Array, info: TiffInfo): Promise<TiffStack> {
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  // geotiff is imported lazily: loading it pulls in `web-worker`, which crashes inside
  // worker threads started without workerData (every piscina pool that imports src/core).
  const { fromArrayBuffer } = await import('geotiff');
  const tiff = await fromArrayBuffer(ab);
  const n = info.pages.length;
  const pages: Float32Array[] = [];
  const { width, height } = info.pages[0]!;
  let description = '';
  let xres: number | undefined;
  for (let i = 0; i < n; i++) {
    const img = await tiff.getImage(i);
    if (img.getWidth() !== width || img.getHeight() !== height) throw new Error(`page ${i} decodes as ${img.getWidth()}×${img.getHeight()}`);
    if (i === 0) {
      const fd = img.getFileDirectory();
      const d = await fd.loadValue('ImageDescription');
      description = typeof d === 'string' ? d : '';
      const xr = (await fd.loadValue('XResolution')) as unknown;
      if ((Array.isArray(xr) || ArrayBuffer.isView(xr)) && (xr as ArrayLike<number>).length >= 2) {
        const r = xr as ArrayLike<number>;
        xres = Number(r[0]) / Number(r[1]);
      }
      else if (typeof xr === 'number') xres = xr;
    }
    const rasters = (await img.readRasters({ interleave: false })) as unknown as ArrayLike<number>[];
    if (!rasters[0] || rasters[0].length !== width * height) throw new Error(`page ${i} holds ${rasters[0]?.length ?? 0} of ${width * height} pixels`);
    pages.push(Float32Array.from(rasters[0]));
  }
  const stack: TiffStack = { pages, width, height, description };
  const unit = /^unit=(.*)$/m.exec(description)?.[1]?.trim();
  if (unit && xres && xres > 0 && Number.isFinite(xres)) {
    const perA: Record<string, number> = { nm: 10, 'micron': 1e4, 'um': 1e4, '\\u00B5m': 1e4, '\\u00C5': 1, 'A': 1, 'Å': 1 };
    const f = perA[unit];
    if (f !== undefined) stack.pixelSize_A = f / xres;
  }
  return stack;
}

/** Read a TIFF file (see {@link decodeTiff}); `field` names the option that gave the path. */
export async function readTiff(path: string, field = 'path'): Promise<TiffStack> {
  return decodeTiff(readInputFile(path, field, 'TIFF file'), path);
}
