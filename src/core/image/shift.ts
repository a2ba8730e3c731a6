/** Image resampling: bilinear sampling, deposits and shifts (clamped or periodic edges) and the exact Fourier shift. */
import { createFft2d } from '../fft/index.js';

/**
 * The four pixels around the fractional position (x, y) of a width × height image and their bilinear weights,
 * written into `index` (row-major pixel indices: (x0,y0), (x1,y0), (x0,y1), (x1,y1)) and `weight` (summing to 1).
 * Edges: `periodic` wraps (a whole-cell image), otherwise the nearest edge pixel is repeated. The one bilinear rule:
 * {@link sampleBilinear} reads with it, and deposits (scattering a value onto the grid) write with it.
 */
export function bilinearTaps(x: number, y: number, width: number, height: number, periodic: boolean, index: Int32Array, weight: Float64Array): void {
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
  index[0] = r0 + x0; index[1] = r0 + x1; index[2] = r1 + x0; index[3] = r1 + x1;
  weight[0] = (1 - tx) * (1 - ty); weight[1] = tx * (1 - ty); weight[2] = (1 - tx) * ty; weight[3] = tx * ty;
}

const tapIndex = new Int32Array(4), tapWeight = new Float64Array(4);

/**
 * Bilinear value of `img` (width × height, row-major) at the fractional pixel position (x, y).
 * Edges: `periodic` wraps (a whole-cell image), otherwise the nearest edge pixel is repeated.
 */
export function sampleBilinear(img: ArrayLike<number>, width: number, height: number, x: number, y: number, periodic = false): number {
  bilinearTaps(x, y, width, height, periodic, tapIndex, tapWeight);
  return img[tapIndex[0]!]! * tapWeight[0]! + img[tapIndex[1]!]! * tapWeight[1]! + img[tapIndex[2]!]! * tapWeight[2]! + img[tapIndex[3]!]! * tapWeight[3]!;
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

/** Bilinear resampling of a width × height image to mx × my pixels over the same extent (pixel i samples at i·width/mx). */
export function resampleBilinear(img: ArrayLike<number>, width: number, height: number, mx: number, my: number, periodic = true): Float32Array {
  const out = new Float32Array(mx * my);
  for (let y = 0; y < my; y++) for (let x = 0; x < mx; x++) out[y * mx + x] = sampleBilinear(img, width, height, (x * width) / mx, (y * height) / my, periodic);
  return out;
}

/**
 * Shift an image by (dx, dy) px with the Fourier shift theorem (periodic; exact for band-limited images):
 * out(x) = img(x − d). Sizes must be 2^a·3^b·5^c (src/core/fft; RangeError otherwise).
 */
export function fourierShift(img: ArrayLike<number>, width: number, height: number, dx_px: number, dy_px: number): Float32Array {
  const t = createFft2d(width, height);
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
