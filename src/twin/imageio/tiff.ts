/**
 * Multi-page float32 TIFF, ImageJ-compatible (baseline TIFF 6.0, little-endian, uncompressed,
 * one strip per page, SampleFormat = IEEE float). No npm package writes multi-page float32 TIFF
 * (TOOLCHAIN.md), hence this small writer; reading goes through geotiff.
 *
 * Layout: header, all pixel data contiguous (page after page, as ImageJ's "images=N" hyperstack
 * reader expects), then one IFD per page. The first IFD carries the ImageJ ImageDescription
 * ("ImageJ=1.11a\nimages=N\nslices=N\nunit=nm\nloop=false\n") and every IFD carries
 * X/YResolution = pixels per unit, so ImageJ and Fiji show the calibrated pixel size.
 */
import { writeFileAtomic, writeFileAtomicSync } from '../../core/atomic.js';
import { InputError } from '../../core/errors.js';

/** Optional metadata stored with the stack. */
export interface TiffMeta {
  /** Pixel size, Å (written as X/YResolution in pixels per `unit`). Default: none (uncalibrated). */
  pixelSize_A?: number;
  /** Free text appended after the ImageJ header lines (e.g. a JSON line with temperatures). Must be ASCII. */
  description?: string;
  /** Calibration unit written to the ImageJ header: 'nm' (default) or 'A' (ångström, written as ImageJ's "\u00C5"). */
  unit?: 'nm' | 'A';
}

const TAG = {
  NewSubfileType: 254,
  ImageWidth: 256,
  ImageLength: 257,
  BitsPerSample: 258,
  Compression: 259,
  Photometric: 262,
  ImageDescription: 270,
  StripOffsets: 273,
  SamplesPerPixel: 277,
  RowsPerStrip: 278,
  StripByteCounts: 279,
  XResolution: 282,
  YResolution: 283,
  ResolutionUnit: 296,
  SampleFormat: 339,
} as const;
const SHORT = 3;
const LONG = 4;
const RATIONAL = 5;
const ASCII = 2;

/** A TIFF RATIONAL close to `v` (numerator, denominator both uint32). */
function rational(v: number): [number, number] {
  if (!(v > 0) || !Number.isFinite(v)) return [1, 1];
  let den = 1_000_000;
  while (den > 1 && v * den > 0xffffffff) den = Math.floor(den / 10);
  const num = Math.min(0xffffffff, Math.max(1, Math.round(v * den)));
  return [num, den];
}

/** The ImageJ header written in the first page's ImageDescription. */
export function imagejDescription(pages: number, meta: TiffMeta = {}): string {
  const lines = ['ImageJ=1.11a', `images=${pages}`];
  if (pages > 1) lines.push(`slices=${pages}`, 'loop=false');
  if (meta.pixelSize_A !== undefined) lines.push(`unit=${meta.unit === 'A' ? '\\u00C5' : 'nm'}`);
  let s = lines.join('\n') + '\n';
  if (meta.description) s += meta.description.replace(/\0/g, '') + '\n';
  return s;
}

/**
 * Encode float32 pages (row-major, `width × height` each) as a TIFF file in memory.
 * Throws InputError when a page has the wrong length or the description is not ASCII.
 */
export function encodeTiffFloat32(pages: readonly Float32Array[], width: number, height: number, meta: TiffMeta = {}): Uint8Array {
  if (!Number.isInteger(width) || width < 1) throw new InputError('width', width, 'an integer ≥ 1');
  if (!Number.isInteger(height) || height < 1) throw new InputError('height', height, 'an integer ≥ 1');
  if (pages.length < 1) throw new InputError('pages', pages.length, 'at least one page');
  pages.forEach((p, i) => {
    if (p.length !== width * height) throw new InputError(`pages[${i}]`, p.length, `${width * height} values (width × height)`);
  });
  if (meta.pixelSize_A !== undefined && !(meta.pixelSize_A > 0 && Number.isFinite(meta.pixelSize_A))) {
    throw new InputError('pixelSize_A', meta.pixelSize_A, 'a finite length > 0 Å');
  }
  const desc = imagejDescription(pages.length, meta);
  if (!/^[\x01-\x7f]*$/.test(desc)) throw new InputError('description', meta.description, 'ASCII text only');
  const descBytes = Buffer.from(desc + '\0', 'latin1');

  const pageBytes = width * height * 4;
  const dataStart = 8;
  const descOffset = dataStart + pageBytes * pages.length;
  const resOffset = descOffset + descBytes.length + (descBytes.length & 1); // word aligned
  const ifdStart = resOffset + 16;
  const nTags = (first: boolean) => (first ? 15 : 14);
  const ifdSize = (first: boolean) => 2 + 12 * nTags(first) + 4;
  const total = ifdStart + ifdSize(true) + (pages.length - 1) * ifdSize(false);

  const buf = new Uint8Array(total);
  const dv = new DataView(buf.buffer);
  buf[0] = 0x49;
  buf[1] = 0x49;
  dv.setUint16(2, 42, true);
  dv.setUint32(4, ifdStart, true);
  // Pixel data, little-endian float32.
  for (let p = 0; p < pages.length; p++) {
    const page = pages[p]!;
    const off = dataStart + p * pageBytes;
    for (let i = 0; i < page.length; i++) dv.setFloat32(off + 4 * i, page[i]!, true);
  }
  buf.set(descBytes, descOffset);
  // Resolution: pixels per unit (unit nm by default, Å if asked).
  const perUnit = meta.pixelSize_A === undefined ? 1 : meta.unit === 'A' ? 1 / meta.pixelSize_A : 10 / meta.pixelSize_A;
  const [num, den] = rational(perUnit);
  dv.setUint32(resOffset, num, true);
  dv.setUint32(resOffset + 4, den, true);
  dv.setUint32(resOffset + 8, num, true);
  dv.setUint32(resOffset + 12, den, true);

  let ifd = ifdStart;
  for (let p = 0; p < pages.length; p++) {
    const first = p === 0;
    const entries: [number, number, number, number][] = [
      [TAG.NewSubfileType, LONG, 1, 0],
      [TAG.ImageWidth, LONG, 1, width],
      [TAG.ImageLength, LONG, 1, height],
      [TAG.BitsPerSample, SHORT, 1, 32],
      [TAG.Compression, SHORT, 1, 1],
      [TAG.Photometric, SHORT, 1, 1],
      ...(first ? ([[TAG.ImageDescription, ASCII, descBytes.length, descOffset]] as [number, number, number, number][]) : []),
      [TAG.StripOffsets, LONG, 1, dataStart + p * pageBytes],
      [TAG.SamplesPerPixel, SHORT, 1, 1],
      [TAG.RowsPerStrip, LONG, 1, height],
      [TAG.StripByteCounts, LONG, 1, pageBytes],
      [TAG.XResolution, RATIONAL, 1, resOffset],
      [TAG.YResolution, RATIONAL, 1, resOffset + 8],
      [TAG.ResolutionUnit, SHORT, 1, 1],
      [TAG.SampleFormat, SHORT, 1, 3],
    ];
    dv.setUint16(ifd, entries.length, true);
    entries.forEach(([tag, type, count, value], k) => {
      const e = ifd + 2 + 12 * k;
      dv.setUint16(e, tag, true);
      dv.setUint16(e + 2, type, true);
      dv.setUint32(e + 4, count, true);
      if (type === SHORT && count === 1) dv.setUint16(e + 8, value, true);
      else dv.setUint32(e + 8, value, true);
    });
    const next = p + 1 < pages.length ? ifd + ifdSize(first) : 0;
    dv.setUint32(ifd + 2 + 12 * entries.length, next, true);
    ifd += ifdSize(first);
  }
  return buf;
}

/**
 * Write a multi-page float32 TIFF atomically (ImageJ-readable stack).
 *
 * @param path output file (parent directory created)
 * @param pages row-major float32 images, each `width × height`
 * @param meta pixel size in Å, free description text, calibration unit (default nm)
 * @example await writeTiffFloat32('out/frames.tif', [img0, img1], 256, 256, { pixelSize_A: 0.2 });
 */
export async function writeTiffFloat32(path: string, pages: readonly Float32Array[], width: number, height: number, meta?: TiffMeta): Promise<void> {
  await writeFileAtomic(path, encodeTiffFloat32(pages, width, height, meta));
}

/** Synchronous twin of {@link writeTiffFloat32}. */
export function writeTiffFloat32Sync(path: string, pages: readonly Float32Array[], width: number, height: number, meta?: TiffMeta): void {
  writeFileAtomicSync(path, encodeTiffFloat32(pages, width, height, meta));
}
