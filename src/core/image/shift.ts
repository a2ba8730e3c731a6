/** Image resampling: bilinear sampling and shifts (clamped or periodic edges) and the exact Fourier shift. */
import { createFft, radix2Fft, type FftProvider } from './fft.js';

/**
 * Bilinear value of `img` (width × height, row-major) at the fractional pixel position (x, y).
 * Edges: `periodic` wraps (a whole-cell image), otherwise the nearest edge pixel is repeated.
 */
export function sampleBilinear(img: ArrayLike<number>, width: number, height: number, x: number, y: number, periodic = false): number {
  const ix = Math.floor(x), iy = Math.floor(y), tx = x - ix, ty = y - iy;
  let x0: number, x1: number, y0: number, y1: number;
  if (periodic) {
    x0 = ((ix % width) + width) % width;
    x1 = x0 + 1 === width ? 0 : x0 + 1;
    y0 = ((iy % height) + height) % height;
    y1 = y0 + 1 === height ? 0 : y0 + 1;
  } else {
    x0 = Math.min(width - 1, Math.max(0, ix));
    x1 = Math.min(width - 1, Math.max(0, ix + 1));
    y0 = Math.min(height - 1, Math.max(0, iy));
    y1 = Math.min(height - 1, Math.max(0, iy + 1));
  }
  const r0 = y0 * width, r1 = y1 * width;
  return (img[r0 + x0]! * (1 - tx) + img[r0 + x1]! * tx) * (1 - ty) + (img[r1 + x0]! * (1 - tx) + img[r1 + x1]! * tx) * ty;
}

/** Options of {@link shiftBilinear}. */
export interface ShiftOptions {
  /** Wrap at the edges (whole-cell image) instead of repeating the edge pixels. Default false. */
  periodic?: boolean;
}

/** Shift an image by (dx, dy) px with bilinear interpolation: out(x) = img(x − d). Edges clamped unless periodic. */
export function shiftBilinear(img: ArrayLike<number>, width: number, height: number, dx_px: number, dy_px: number, o: ShiftOptions = {}): Float32Array {
  const out = new Float32Array(width * height);
  const periodic = o.periodic ?? false;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = sampleBilinear(img, width, height, x - dx_px, y - dy_px, periodic);
  return out;
}

/**
 * Shift an image by (dx, dy) px with the Fourier shift theorem (periodic; exact for band-limited images):
 * out(x) = img(x − d). Sizes must be supported by `fft` (default fft.js: powers of two).
 */
export function fourierShift(img: ArrayLike<number>, width: number, height: number, dx_px: number, dy_px: number, fft: FftProvider = radix2Fft): Float32Array {
  const t = createFft(fft, width, height);
  const re = Float32Array.from(img);
  const im = new Float32Array(width * height);
  t.forward(re, im);
  for (let y = 0; y < height; y++) {
    const fy = (y < height / 2 ? y : y - height) / height;
    for (let x = 0; x < width; x++) {
      const fx = (x < width / 2 ? x : x - width) / width;
      const ph = -2 * Math.PI * (fx * dx_px + fy * dy_px);
      const c = Math.cos(ph), s = Math.sin(ph);
      const i = y * width + x;
      const a = re[i]!, b = im[i]!;
      re[i] = a * c - b * s;
      im[i] = a * s + b * c;
    }
  }
  t.inverse(re, im);
  return re;
}
