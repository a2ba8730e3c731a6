/**
 * Frame series previews: a captioned contact sheet (8-bit grey PNG) and an animated GIF
 * (gifenc, 256-grey palette). All frames share one display window (percentiles over the whole
 * series) so that brightness changes between frames stay visible, as in the seed's figures.
 */
import { createRequire } from 'node:module';
import type { GifEncoderInstance } from 'gifenc';
import { writeFileAtomic } from '../../core/atomic.js';
import { InputError } from '../../core/errors.js';
import { contrastWindow, toLevels, type ContrastOptions } from './contrast.js';
import { drawText, FONT_HEIGHT, textWidth } from './font.js';
import { encodePng8 } from './png.js';
import { drawScaleBar } from './scalebar.js';

// gifenc ships CJS (main) and ESM (module) builds; load the CJS one so Node and vitest agree.
const gifenc = createRequire(import.meta.url)('gifenc') as typeof import('gifenc');

/** A frame to preview. */
export interface PreviewFrame {
  /** Row-major float image, `width × height`. */
  data: ArrayLike<number>;
  /** Caption, e.g. "175 °C" (5×7 font: digits, punctuation, °, a few letters). */
  caption?: string;
}

/** Layout and contrast options for previews. */
export interface SheetOptions extends ContrastOptions {
  /** Frames per row of the contact sheet. Default: ceil(sqrt(n)). */
  columns?: number;
  /** Integer upscaling of the caption font. Default: 2 when frames are ≥ 128 px wide, else 1. */
  fontScale?: number;
  /** Gap between tiles, px. Default 4. */
  gap?: number;
  /** Pixel size of the frames, Å: draws a scale bar on every tile (absent: no bar, the size is unknown). */
  pixel_A?: number;
  /** Integer upscaling of small frames so tiles are at least this wide, px (default: none). */
  minTileWidth?: number;
}

/** Nearest-neighbour upscaling of a frame by an integer factor. */
function upscale(data: ArrayLike<number>, width: number, height: number, k: number): Float32Array {
  const out = new Float32Array(width * k * height * k);
  for (let y = 0; y < height * k; y++) for (let x = 0; x < width * k; x++) out[y * width * k + x] = data[Math.floor(y / k) * width + Math.floor(x / k)]!;
  return out;
}

function joint(frames: readonly PreviewFrame[], width: number, height: number, opts: ContrastOptions): [number, number] {
  if (frames.length === 0) throw new InputError('frames', 0, 'at least one frame');
  const all = new Float32Array(frames.length * width * height);
  frames.forEach((f, i) => {
    if (f.data.length !== width * height) throw new InputError(`frames[${i}]`, f.data.length, `${width * height} values`);
    all.set(f.data as ArrayLike<number>, i * width * height);
  });
  return contrastWindow(all, opts);
}

/** Build the contact sheet as 8-bit grey pixels: tiles in rows with a caption band under each. */
export function renderContactSheet(frames: readonly PreviewFrame[], width0: number, height0: number, opts: SheetOptions = {}): { pixels: Uint8Array; width: number; height: number } {
  const [lo, hi] = joint(frames, width0, height0, opts);
  const up = opts.minTileWidth ? Math.max(1, Math.ceil(opts.minTileWidth / width0)) : 1;
  const width = width0 * up, height = height0 * up;
  if (up > 1) frames = frames.map((f) => ({ ...f, data: upscale(f.data, width0, height0, up) }));
  const cols = Math.max(1, Math.min(frames.length, opts.columns ?? Math.ceil(Math.sqrt(frames.length))));
  const rows = Math.ceil(frames.length / cols);
  const scale = opts.fontScale ?? (width >= 128 ? 2 : 1);
  const gap = opts.gap ?? 4;
  const band = FONT_HEIGHT * scale + 2 * gap;
  const W = cols * width + (cols + 1) * gap;
  const H = rows * (height + band) + gap;
  const out = new Uint8Array(W * H).fill(32);
  const tile = new Uint8Array(width * height);
  frames.forEach((f, i) => {
    const x0 = gap + (i % cols) * (width + gap);
    const y0 = gap + Math.floor(i / cols) * (height + band);
    toLevels(f.data, lo, hi, tile);
    for (let y = 0; y < height; y++) out.set(tile.subarray(y * width, (y + 1) * width), (y0 + y) * W + x0);
    if (opts.pixel_A) drawScaleBar(out, W, x0, y0, width, height, opts.pixel_A / up, scale);
    if (f.caption) {
      const tx = x0 + Math.max(0, Math.floor((width - textWidth(f.caption, scale)) / 2));
      drawText(out, W, tx, y0 + height + gap, f.caption, 255, scale);
    }
  });
  return { pixels: out, width: W, height: H };
}

/** Write a captioned contact sheet PNG (8-bit grey) atomically. */
export async function writeContactSheet(path: string, frames: readonly PreviewFrame[], width: number, height: number, opts: SheetOptions = {}): Promise<void> {
  const s = renderContactSheet(frames, width, height, opts);
  await writeFileAtomic(path, encodePng8(s.pixels, s.width, s.height, 1));
}

/** Encode an animated GIF (grey, caption burnt into the top-left corner), `delay_ms` per frame (default 500). */
export function encodeGif(frames: readonly PreviewFrame[], width: number, height: number, opts: SheetOptions & { delay_ms?: number } = {}): Uint8Array {
  const [lo, hi] = joint(frames, width, height, opts);
  const palette: number[][] = [];
  for (let g = 0; g < 256; g++) palette.push([g, g, g]);
  const enc: GifEncoderInstance = gifenc.GIFEncoder();
  const scale = opts.fontScale ?? (width >= 128 ? 2 : 1);
  frames.forEach((f, i) => {
    const idx = toLevels(f.data, lo, hi, new Uint8Array(width * height));
    if (opts.pixel_A) drawScaleBar(idx, width, 0, 0, width, height, opts.pixel_A, scale);
    if (f.caption) {
      // Dark box behind the caption so it reads on bright frames.
      const tw = textWidth(f.caption, scale) + 4;
      const th = FONT_HEIGHT * scale + 4;
      for (let y = 0; y < Math.min(th, height); y++) idx.fill(0, y * width, y * width + Math.min(tw, width));
      drawText(idx, width, 2, 2, f.caption, 255, scale);
    }
    enc.writeFrame(idx, width, height, i === 0 ? { palette, delay: opts.delay_ms ?? 500, repeat: 0 } : { delay: opts.delay_ms ?? 500 });
  });
  enc.finish();
  return enc.bytes();
}

/** Write an animated GIF of the frames atomically. */
export async function writeGif(path: string, frames: readonly PreviewFrame[], width: number, height: number, opts: SheetOptions & { delay_ms?: number } = {}): Promise<void> {
  await writeFileAtomic(path, encodeGif(frames, width, height, opts));
}
