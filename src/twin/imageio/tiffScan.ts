/**
 * The structure of a TIFF file (classic or BigTIFF, either byte order), read without decoding pixels and bounded:
 * every offset and count a header declares is checked against the file's length before it is followed, the IFD chain
 * is followed at most once per IFD (a cycle is an error, not a hang), and the page count is capped. Decoding goes
 * through geotiff (read.ts) only after this scan has accepted the file, so a corrupt or hostile header cannot make it
 * allocate or loop without bound.
 *
 * TIFF 6.0 (Adobe, 1992) §2 for the header and IFD layout; BigTIFF (Aware Systems' BigTIFF proposal) for the
 * 16-byte header and 20-byte entries.
 */
import { InputError } from '../../core/errors.js';
import { checkDeclared } from '../../core/reader.js';

/** What a page declares (pixels not read). */
export interface TiffPageInfo {
  readonly width: number;
  readonly height: number;
  readonly samplesPerPixel: number;
  /** Bits per sample of the first sample. */
  readonly bitsPerSample: number;
  /** 1 none, 5 LZW, 8/32946 deflate, 32773 PackBits, 7 JPEG, … */
  readonly compression: number;
  /** 1 uint, 2 int, 3 IEEE float. */
  readonly sampleFormat: number;
  /** Bytes of pixel data the page stores (strips or tiles), as declared. */
  readonly storedBytes: number;
  /** ImageDescription strings of the page (writers such as tifffile may store two). */
  readonly descriptions: string[];
}

/** A scanned TIFF. */
export interface TiffInfo {
  readonly littleEndian: boolean;
  readonly bigTiff: boolean;
  readonly pages: TiffPageInfo[];
}

/** Most pages read from one TIFF. */
export const MAX_TIFF_PAGES = 100_000;
/** Most entries in one IFD (the standard defines under 100 tags; writers add some private ones). */
const MAX_IFD_ENTRIES = 4096;
/** Largest ratio of decoded to stored bytes accepted for compressed pages (LZW's worst case is ≈ 2700:1). */
const MAX_COMPRESSION_RATIO = 4096;

const TYPE_SIZE: Readonly<Record<number, number>> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8 };

/** Scans a TIFF held in memory (InputError naming `field` on anything malformed). */
export function scanTiff(b: Uint8Array, field = 'tiff'): TiffInfo {
  const bad = (why: string): never => {
    throw new InputError(field, `${b.length} bytes`, 'a TIFF file', why);
  };
  if (b.length < 8) bad('too short for a TIFF header');
  const le = b[0] === 0x49 && b[1] === 0x49;
  if (!le && !(b[0] === 0x4d && b[1] === 0x4d)) bad('no II/MM byte-order mark');
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const magic = dv.getUint16(2, le);
  if (magic !== 42 && magic !== 43) bad(`magic number ${magic} (42 TIFF, 43 BigTIFF)`);
  const big = magic === 43;
  if (big && (b.length < 16 || dv.getUint16(4, le) !== 8)) bad('a BigTIFF header of 16 bytes with offset size 8');
  const u64 = (o: number): number => {
    const v = dv.getBigUint64(o, le);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(v);
  };
  const off = (o: number): number => (big ? u64(o) : dv.getUint32(o, le));
  const entrySize = big ? 20 : 12;
  const inline = big ? 8 : 4;
  const pages: TiffPageInfo[] = [];
  const seen = new Set<number>();
  let ifd = off(big ? 8 : 4);
  while (ifd !== 0) {
    if (seen.has(ifd)) bad(`the IFD chain loops back to byte ${ifd}`);
    if (pages.length >= MAX_TIFF_PAGES) bad(`more than ${MAX_TIFF_PAGES} pages`);
    seen.add(ifd);
    const where = `${field} IFD ${pages.length}`;
    if (ifd + (big ? 8 : 2) > b.length) bad(`IFD ${pages.length} at byte ${ifd} lies beyond the file's ${b.length} bytes (truncated?)`);
    const n = big ? u64(ifd) : dv.getUint16(ifd, le);
    if (n > MAX_IFD_ENTRIES) bad(`IFD ${pages.length} declares ${n} entries`);
    const start = ifd + (big ? 8 : 2);
    checkDeclared(where, n * entrySize + (big ? 8 : 4), b.length - start, 'IFD');
    const tags = new Map<number, number[]>();
    const descriptions: string[] = [];
    for (let k = 0; k < n; k++) {
      const e = start + k * entrySize;
      const tag = dv.getUint16(e, le);
      const type = dv.getUint16(e + 2, le);
      const count = big ? u64(e + 4) : dv.getUint32(e + 4, le);
      const size = TYPE_SIZE[type];
      if (size === undefined) continue; // unknown types are skipped, as TIFF 6.0 asks
      const bytes = count * size;
      let at = e + (big ? 12 : 8);
      if (bytes > inline) {
        at = off(at);
        checkDeclared(`${where} tag ${tag}`, bytes, b.length - at, 'tag value');
      }
      if (tag === 270 && type === 2) {
        let end = at + count;
        while (end > at && b[end - 1] === 0) end--;
        descriptions.push(new TextDecoder('latin1').decode(b.subarray(at, end)));
        continue;
      }
      // Only the numeric tags the scan needs are read, and only up to a bounded count (strip/tile tables).
      if (![256, 257, 258, 259, 273, 277, 279, 322, 323, 324, 325, 339].includes(tag)) continue;
      if (count > 16 * 1024 * 1024) bad(`tag ${tag} of IFD ${pages.length} declares ${count} values`);
      const vals: number[] = new Array(count);
      for (let i = 0; i < count; i++) {
        const p = at + i * size;
        vals[i] = size === 1 ? b[p]! : size === 2 ? dv.getUint16(p, le) : size === 4 ? dv.getUint32(p, le) : u64(p);
      }
      tags.set(tag, vals);
    }
    const one = (t: number, d?: number): number => tags.get(t)?.[0] ?? d ?? bad(`IFD ${pages.length} has no tag ${t}`);
    const width = one(256);
    const height = one(257);
    if (!(width >= 1 && height >= 1)) bad(`page ${pages.length} of ${width}×${height} pixels`);
    const samplesPerPixel = one(277, 1);
    const bitsPerSample = one(258, 1);
    const compression = one(259, 1);
    if (!(samplesPerPixel >= 1 && samplesPerPixel <= 64) || !(bitsPerSample >= 1 && bitsPerSample <= 128)) bad(`page ${pages.length}: ${samplesPerPixel} samples of ${bitsPerSample} bits`);
    const offsets = tags.get(324) ?? tags.get(273);
    const counts = tags.get(325) ?? tags.get(279);
    if (!offsets || !counts) bad(`page ${pages.length} has no strip or tile offsets`);
    if (offsets!.length !== counts!.length) bad(`page ${pages.length}: ${offsets!.length} offsets for ${counts!.length} byte counts`);
    let stored = 0;
    for (let i = 0; i < offsets!.length; i++) {
      checkDeclared(`${where} strip ${i}`, counts![i]!, b.length - offsets![i]!, 'pixel data');
      stored += counts![i]!;
    }
    const decoded = (width * height * samplesPerPixel * bitsPerSample) / 8;
    if (compression === 1) checkDeclared(where, decoded, stored, `${width}×${height}×${samplesPerPixel} pixels of ${bitsPerSample} bits`);
    else checkDeclared(where, decoded, stored * MAX_COMPRESSION_RATIO, `${width}×${height} pixels from ${stored} compressed bytes`);
    pages.push({ width, height, samplesPerPixel, bitsPerSample, compression, sampleFormat: one(339, 1), storedBytes: stored, descriptions });
    const next = start + n * entrySize;
    ifd = off(next);
  }
  if (pages.length === 0) bad('no image (IFD) in the file');
  return { littleEndian: le, bigTiff: big, pages };
}
