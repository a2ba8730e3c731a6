/**
 * Bringing a simulated frame onto an experimental frame's pixel grid: the simulated image (a band-limited, periodic
 * whole-cell image, as src/twin/run writes) is Fourier-interpolated to the experiment's pixel size (a STEM records the
 * continuous image at the probe positions, so point-sampling the band-limited image is the physical resampling), then
 * sampled periodically (bilinear) at the experiment's pixels shifted by the registered drift.
 */
import { fourierResample } from '../../multislice/index.js';

/** A resampled simulation: its pixel grid matches the experiment's pixel size up to the rounding reported. */
export interface Resampled { data: Float32Array; width: number; height: number; pixelX_A: number; pixelY_A: number }

/** Resamples a periodic image of pixel size simPixel_A to (about) expPixel_A (the cell extent is kept: whole pixels). */
export function resampleTo(img: Float32Array, W: number, H: number, simPixel_A: number, expPixel_A: number): Resampled {
  const mx = Math.max(2, Math.round((W * simPixel_A) / expPixel_A)), my = Math.max(2, Math.round((H * simPixel_A) / expPixel_A));
  const data = mx === W && my === H ? img : fourierResample(img, W, H, mx, my);
  return { data, width: mx, height: my, pixelX_A: (W * simPixel_A) / mx, pixelY_A: (H * simPixel_A) / my };
}

/**
 * Samples `r` on a W×H grid at positions (x − dx, y − dy) px, periodically (the simulation cell repeats) or clamped
 * at the edges (`periodic` false), bilinear.
 */
export function sampleShifted(r: Resampled, W: number, H: number, dx_px: number, dy_px: number, periodic = true): Float32Array {
  const out = new Float32Array(W * H);
  const { width: w, height: h, data } = r;
  const wrap = (i: number, n: number): number => (periodic ? ((i % n) + n) % n : Math.min(n - 1, Math.max(0, i)));
  for (let y = 0; y < H; y++) {
    const fy = y - dy_px, iy = Math.floor(fy), ty = fy - iy;
    const y0 = wrap(iy, h), y1 = wrap(iy + 1, h);
    for (let x = 0; x < W; x++) {
      const fx = x - dx_px, ix = Math.floor(fx), tx = fx - ix;
      const x0 = wrap(ix, w), x1 = wrap(ix + 1, w);
      out[y * W + x] = (1 - ty) * ((1 - tx) * data[y0 * w + x0]! + tx * data[y0 * w + x1]!) + ty * ((1 - tx) * data[y1 * w + x0]! + tx * data[y1 * w + x1]!);
    }
  }
  return out;
}

/** Z-score (zero mean, unit standard deviation); a constant image becomes zeros. */
export function zscore(a: ArrayLike<number>): Float32Array {
  let m = 0;
  for (let i = 0; i < a.length; i++) m += a[i]!;
  m /= a.length;
  let v = 0;
  for (let i = 0; i < a.length; i++) v += (a[i]! - m) ** 2;
  const s = Math.sqrt(v / a.length) || 1;
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i]! - m) / s;
  return out;
}
