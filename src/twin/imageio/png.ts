/**
 * 16-bit and 8-bit greyscale PNG previews (fast-png), written atomically.
 */
import { encode } from 'fast-png';
import { writeFileAtomic } from '../../core/atomic.js';
import { InputError } from '../../core/errors.js';
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
