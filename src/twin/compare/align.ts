/**
 * Bringing a simulated frame onto an experimental frame's pixel grid: the simulated image (a band-limited, periodic
 * whole-cell image, as src/twin/run writes) is Fourier-interpolated to the experiment's pixel size (a STEM records the
 * continuous image at the probe positions, so point-sampling the band-limited image is the physical resampling), then
 * shifted by the registered drift with the Fourier shift theorem (exact for a band-limited periodic image) and tiled
 * over the experiment's field. A non-periodic simulation is shifted bilinearly and clamped at its edges; sizes the FFT
 * does not support (not 2^a·3^b·5^c) fall back to bilinear resampling and shifting (periodic).
 */
import { fourierResample } from '../../multislice/index.js';
import { isSupportedFftSize } from '../../core/fft/index.js';
import { fourierShift } from '../register/index.js';
import { resampleBilinear, sampleBilinear } from '../../core/image/index.js';

/** A resampled simulation: its pixel grid matches the experiment's pixel size up to the rounding reported. */
export interface Resampled { data: Float32Array; width: number; height: number; pixelX_A: number; pixelY_A: number }

/** Resamples a periodic image of pixel size simPixel_A to (about) expPixel_A (the cell extent is kept: whole pixels). */
export function resampleTo(img: Float32Array, W: number, H: number, simPixel_A: number, expPixel_A: number): Resampled {
  const mx = Math.max(2, Math.round((W * simPixel_A) / expPixel_A)), my = Math.max(2, Math.round((H * simPixel_A) / expPixel_A));
  const fft = isSupportedFftSize(W) && isSupportedFftSize(H);
  const data = mx === W && my === H ? img : fft ? fourierResample(img, W, H, mx, my) : resampleBilinear(img, W, H, mx, my);
  return { data, width: mx, height: my, pixelX_A: (W * simPixel_A) / mx, pixelY_A: (H * simPixel_A) / my };
}

/**
 * The simulation on a W×H grid at positions (x − dx, y − dy) px: periodic (Fourier shift of the cell, then tiled) or
 * clamped at the edges (bilinear) when `periodic` is false.
 */
export function sampleShifted(r: Resampled, W: number, H: number, dx_px: number, dy_px: number, periodic = true): Float32Array {
  const out = new Float32Array(W * H);
  const { width: w, height: h } = r;
  if (periodic && isSupportedFftSize(w) && isSupportedFftSize(h)) {
    const fx = Math.floor(dx_px), fy = Math.floor(dy_px);
    const data = dx_px === fx && dy_px === fy ? r.data : fourierShift(r.data, w, h, dx_px - fx, dy_px - fy);
    for (let y = 0; y < H; y++) {
      const sy = (((y - fy) % h) + h) % h;
      for (let x = 0; x < W; x++) out[y * W + x] = data[sy * w + ((((x - fx) % w) + w) % w)]!;
    }
    return out;
  }
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) out[y * W + x] = sampleBilinear(r.data, w, h, x - dx_px, y - dy_px, periodic);
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

/**
 * The simulation on a W×H grid rotated by θ (rad, about the grid centre) and then shifted by (dx, dy) px:
 * out(p) = sim(R(−θ)(p − d − c) + c), bilinear on the resampled cell, periodic (tiled) or clamped at its edges. Used when
 * the experiment's lattice is rotated relative to the simulation's (the exact Fourier path of sampleShifted cannot rotate).
 */
export function sampleRigid(r: Resampled, W: number, H: number, theta: number, dx_px: number, dy_px: number, periodic = true): Float32Array {
  const out = new Float32Array(W * H);
  const cx = (W - 1) / 2, cy = (H - 1) / 2, c = Math.cos(theta), s = Math.sin(theta);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const qx = x - dx_px - cx, qy = y - dy_px - cy;
    out[y * W + x] = sampleBilinear(r.data, r.width, r.height, c * qx + s * qy + cx, -s * qx + c * qy + cy, periodic);
  }
  return out;
}
