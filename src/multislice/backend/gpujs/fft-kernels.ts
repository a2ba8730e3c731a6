/**
 * gpu.js kernel bodies of the FFT: Stockham autosort stages of radix 2, 4 and any small r (3, 5),
 * one output plane (`part` 0 = real, 1 = imaginary) per call, on batches of nb fields laid out
 * flat as in ./kernels.ts (same rules: closure-free bodies, float32 integer arithmetic, every division through
 * the shared exactQuotient helper). Stockham (1966) as written out in OTFFT's `fft0`,
 * in gather form: each thread computes one output element of a stage.
 */
import type { KernelThis } from './gpujs.js';

/** Registered on each GPU instance with gpu.addFunction (index-math.ts); declared, not imported (see there). */
declare function exactQuotient(i: number, d: number): number;

/**
 * One radix-2 Stockham autosort stage along x (axis 0) or y (axis 1) of every field in the
 * batch (Stockham 1966; the gather form of OTFFT's `fft0`): with stride s and sub-length
 * n' = n/s, output j = q + s·(2p + r) is (a + (−1)^r·b)·ω^(r·p·s), a = x[q + s·p],
 * b = x[q + s·p + n/2], ω = exp(−2πi·sign/n). Twiddles come from the axis's table
 * w[twOff + k] = exp(−2πi k/n), k < n (the x table, then the y table, in one array);
 * `sign` = +1 forward, −1 inverse; `scale` multiplies the result (1/(nx·ny) on the last inverse
 * stage, else 1).
 */
export function fftRadix2Kernel(
  this: KernelThis, xr: Float32Array, xi: Float32Array, wr: Float32Array, wi: Float32Array,
  nx: number, ny: number, axis: number, s: number, twOff: number, sign: number, scale: number,
  part: number,
): number {
  const i = this.thread.x;
  const npix = nx * ny;
  const b = exactQuotient(i, npix);
  const pix = i - b * npix;
  const y = exactQuotient(pix, nx);
  const x = pix - y * nx;
  let j = x;
  let n = nx;
  let base = b * npix + y * nx;
  let stride = 1;
  if (axis > 0.5) {
    j = y;
    n = ny;
    base = b * npix + x;
    stride = nx;
  }
  const t = exactQuotient(j, s);
  const q = j - t * s;
  const p = exactQuotient(t, 2);
  const r = t - 2 * p;
  const ia = base + stride * (q + s * p);
  const ib = ia + stride * (n / 2);
  const ar = xr[ia]!;
  const ai = xi[ia]!;
  const br = xr[ib]!;
  const bi = xi[ib]!;
  let ur = ar + br;
  let ui = ai + bi;
  if (r > 0.5) {
    ur = ar - br;
    ui = ai - bi;
  }
  const k = twOff + r * p * s;
  const c = wr[k]!;
  const sn = sign * wi[k]!;
  if (part < 0.5) {
    return (ur * c - ui * sn) * scale;
  }
  return (ur * sn + ui * c) * scale;
}

/**
 * One radix-4 Stockham autosort stage (OTFFT's radix-4 `fft0` in gather form): with
 * a, b, c, d = x[q + s·p + {0, 1, 2, 3}·n/4] and J = sign·i·(b − d), output
 * j = q + s·(4p + r) is {a+c+b+d, a−c−J, a+c−b−d, a−c+J}[r] · ω^(r·p·s). Arguments as in
 * {@link fftRadix2Kernel}.
 */
export function fftRadix4Kernel(
  this: KernelThis, xr: Float32Array, xi: Float32Array, wr: Float32Array, wi: Float32Array,
  nx: number, ny: number, axis: number, s: number, twOff: number, sign: number, scale: number,
  part: number,
): number {
  const i = this.thread.x;
  const npix = nx * ny;
  const b = exactQuotient(i, npix);
  const pix = i - b * npix;
  const y = exactQuotient(pix, nx);
  const x = pix - y * nx;
  let j = x;
  let n = nx;
  let base = b * npix + y * nx;
  let stride = 1;
  if (axis > 0.5) {
    j = y;
    n = ny;
    base = b * npix + x;
    stride = nx;
  }
  const t = exactQuotient(j, s);
  const q = j - t * s;
  const p = exactQuotient(t, 4);
  const r = t - 4 * p;
  const step = stride * (n / 4);
  const i0 = base + stride * (q + s * p);
  const i1 = i0 + step;
  const i2 = i1 + step;
  const i3 = i2 + step;
  const apcR = xr[i0]! + xr[i2]!;
  const apcI = xi[i0]! + xi[i2]!;
  const amcR = xr[i0]! - xr[i2]!;
  const amcI = xi[i0]! - xi[i2]!;
  const bpdR = xr[i1]! + xr[i3]!;
  const bpdI = xi[i1]! + xi[i3]!;
  const jR = -sign * (xi[i1]! - xi[i3]!);
  const jI = sign * (xr[i1]! - xr[i3]!);
  let ur = apcR + bpdR;
  let ui = apcI + bpdI;
  if (r > 2.5) {
    ur = amcR + jR;
    ui = amcI + jI;
  } else if (r > 1.5) {
    ur = apcR - bpdR;
    ui = apcI - bpdI;
  } else if (r > 0.5) {
    ur = amcR - jR;
    ui = amcI - jI;
  }
  const k = twOff + r * p * s;
  const c = wr[k]!;
  const sn = sign * wi[k]!;
  if (part < 0.5) {
    return (ur * c - ui * sn) * scale;
  }
  return (ur * sn + ui * c) * scale;
}

/**
 * One radix-r Stockham stage for any small r (used for r = 3 and 5): with a_k = x[q + s·p + k·n/r],
 * output j = q + s·(r·p + m) is ω^(m·p·s)·Σ_k a_k·ω^(m·k·n/r), ω = exp(−2πi·sign/n), all roots
 * read from the axis's twiddle table. Arguments as in {@link fftRadix2Kernel}, plus the radix r.
 */
export function fftRadixNKernel(
  this: KernelThis, xr: Float32Array, xi: Float32Array, wr: Float32Array, wi: Float32Array,
  nx: number, ny: number, axis: number, s: number, twOff: number, sign: number, scale: number,
  part: number, r: number,
): number {
  const i = this.thread.x;
  const npix = nx * ny;
  const b = exactQuotient(i, npix);
  const pix = i - b * npix;
  const y = exactQuotient(pix, nx);
  const x = pix - y * nx;
  let j = x;
  let n = nx;
  let base = b * npix + y * nx;
  let stride = 1;
  if (axis > 0.5) {
    j = y;
    n = ny;
    base = b * npix + x;
    stride = nx;
  }
  const t = exactQuotient(j, s);
  const q = j - t * s;
  const p = exactQuotient(t, r);
  const m = t - p * r;
  const nr = n / r;
  const i0 = base + stride * (q + s * p);
  let ur = 0;
  let ui = 0;
  for (let k = 0; k < r; k++) {
    const e = m * k - r * exactQuotient(m * k, r);
    const w = twOff + e * nr;
    const c0 = wr[w]!;
    const s0 = sign * wi[w]!;
    const idx = i0 + stride * k * nr;
    const ar = xr[idx]!;
    const ai = xi[idx]!;
    ur += ar * c0 - ai * s0;
    ui += ar * s0 + ai * c0;
  }
  const tw = twOff + m * p * s;
  const c = wr[tw]!;
  const sn = sign * wi[tw]!;
  if (part < 0.5) {
    return (ur * c - ui * sn) * scale;
  }
  return (ur * sn + ui * c) * scale;
}
