/**
 * 16-bit and 8-bit greyscale PNG previews (fast-png), written atomically; PNG frames read back as grey levels,
 * bounded (decodePngGrey).
 */
import { decode, encode } from 'fast-png';
import { writeFileAtomic } from '../../core/atomic.js';
import { InputError } from '../../core/errors.js';
import { guardSize } from '../../core/guard.js';
import { checkDeclared, guardedReadSync } from '../../core/reader.js';
import { contrastWindow, toLevels, type ContrastOptions } from './contrast.js';

function checkSize(data: ArrayLike<number>, width: number, height: number): void {
  if (!Number.isInteger(width) || width < 1) throw new InputError('width', width, 'an integer ≥ 1');
  if (!Number.isInteger(height) || height < 1) throw new InputError('height', height, 'an integer ≥ 1');
  if (data.length !== width * height) throw new InputError('data', data.length, `${width * height} values (width × height)`);
}

/**
 * Encode a float image as a 16-bit greyscale PNG. Contrast: `min`/`max` if given, else the
 * 0.5–99.5 % percentiles. Returns the PNG bytes and the window used.
 */
export function encodePng16(data: ArrayLike<number>, width: number, height: number, opts: ContrastOptions = {}): { png: Uint8Array; window: [number, number] } {
  checkSize(data, width, height);
  const window = contrastWindow(data, opts);
  const levels = toLevels(data, window[0], window[1], new Uint16Array(width * height));
  return { png: encode({ width, height, data: levels, depth: 16, channels: 1 }), window };
}

/** Encode an 8-bit image (grey when channels = 1, RGB when 3) as PNG. */
export function encodePng8(data: Uint8Array, width: number, height: number, channels: 1 | 3 = 1): Uint8Array {
  if (data.length !== width * height * channels) throw new InputError('data', data.length, `${width * height * channels} bytes`);
  return encode({ width, height, data, depth: 8, channels });
}

/**
 * Write a float image as a 16-bit greyscale PNG preview (atomically).
 * @param opts display window: `min`/`max` (data units) or percentiles (default 0.5 % / 99.5 %)
 * @returns the [min, max] window used (for captions and sidecars)
 */
export async function writePng16(path: string, data: ArrayLike<number>, width: number, height: number, opts: ContrastOptions = {}): Promise<[number, number]> {
  const { png, window } = encodePng16(data, width, height, opts);
  await writeFileAtomic(path, png);
  return window;
}

/** A PNG decoded to one grey value per pixel. */
export interface GreyPng {
  readonly width: number;
  readonly height: number;
  /** Grey level per pixel (row-major): the grey channel, the mean of R, G, B for colour, palette entries resolved. */
  readonly data: Float32Array;
  /** Bits per sample in the file (8 or 16 for images worth analysing). */
  readonly depth: number;
}

/** Largest ratio of decoded to stored bytes that deflate can reach (≈ 1032:1; zlib technical details). */
const DEFLATE_MAX_RATIO = 1032;

/**
 * Decode a PNG to grey levels. The header's size is checked against the file's length (deflate cannot expand more
 * than ~1032×) and the memory budget before fast-png allocates; any failure is an InputError naming `field`.
 */
export function decodePngGrey(bytes: Uint8Array, field = 'png'): GreyPng {
  const bad = (why: string): never => {
    throw new InputError(field, `${bytes.length} bytes`, 'a PNG file', why);
  };
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 33 || sig.some((v, i) => bytes[i] !== v)) bad('no PNG signature');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') bad('no IHDR chunk first');
  const width = dv.getUint32(16, false);
  const height = dv.getUint32(20, false);
  const depth = bytes[24]!;
  const colour = bytes[25]!;
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[colour];
  if (channels === undefined || ![1, 2, 4, 8, 16].includes(depth)) bad(`colour type ${colour}, bit depth ${depth}`);
  if (!(width >= 1 && height >= 1)) bad(`${width}×${height} pixels`);
  checkDeclared(field, (height * (Math.ceil((width * channels! * depth) / 8) + 1)), bytes.length * DEFLATE_MAX_RATIO, `${width}×${height} pixels from ${bytes.length} bytes`);
  guardSize({ field, value: `${width}×${height} pixels`, what: 'pixels', count: width * height, bytesEach: channels! * 2 + 4 + 4, bytesPerArrayItem: channels! * 2 });
  const img = guardedReadSync(field, `${bytes.length} bytes`, 'a PNG file', () => decode(bytes));
  const n = img.width * img.height;
  const ch = img.channels;
  const src = img.data as ArrayLike<number>;
  if (src.length < n * ch) bad(`${src.length} samples for ${img.width}×${img.height}×${ch}`);
  const out = new Float32Array(n);
  const pal = img.palette as ArrayLike<ArrayLike<number>> | undefined;
  if (pal) {
    for (let i = 0; i < n; i++) {
      const c = pal[src[i * ch]!];
      if (!c) bad(`palette index ${src[i * ch]} beyond the ${pal.length} colours`);
      out[i] = (Number(c![0]) + Number(c![1]) + Number(c![2])) / 3;
    }
  } else if (ch >= 3) {
    for (let i = 0; i < n; i++) out[i] = (src[i * ch]! + src[i * ch + 1]! + src[i * ch + 2]!) / 3;
  } else {
    for (let i = 0; i < n; i++) out[i] = src[i * ch]!;
  }
  return { width: img.width, height: img.height, data: out, depth: img.depth };
}
