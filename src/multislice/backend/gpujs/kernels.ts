/**
 * gpu.js kernel bodies. gpu.js transpiles each function's source text to GLSL / WebAssembly /
 * JavaScript, so these bodies must stay closure-free, helper-free and arrow-free: only
 * arguments, `this.thread`, `Math.*`, arithmetic, `if` and `for`. Every kernel writes one flat
 * float32 plane (output `[length]`); complex results need two calls, one per part
 * (`part` 0 = real, 1 = imaginary), because kernel maps fall back to the CPU on webasm.
 *
 * Layout: a batch of `nb` complex fields is two flat planes `re`, `im` of length nb·ny·nx, index
 * `i = (b·ny + y)·nx + x`. Integer arithmetic is done in float32 (exact below 2^24 elements).
 * Every quotient goes through the one helper exactQuotient (index-math.ts, added to each GPU instance
 * with gpu.addFunction): float division is not exact for divisors that are not powers of two (GL's is
 * approximate), so it corrects the quotient once (products and differences of such integers are exact in float32).
 */
import type { KernelThis } from './gpujs.js';

/** Registered on each GPU instance with gpu.addFunction (index-math.ts); declared, not imported (see there). */
declare function exactQuotient(i: number, d: number): number;

/**
 * Complex product with a broadcast second factor: out[i] = a[i] · w[i mod npix]
 * (transmission ψ·t, propagator Ψ·P, applied to every field of a batch).
 */
export function cmulKernel(
  this: KernelThis, ar: Float32Array, ai: Float32Array, wr: Float32Array, wi: Float32Array,
  npix: number, part: number,
): number {
  const i = this.thread.x;
  const p = i - exactQuotient(i, npix) * npix;
  const xr = ar[i]!;
  const xi = ai[i]!;
  const yr = wr[p]!;
  const yi = wi[p]!;
  if (part < 0.5) {
    return xr * yr - xi * yi;
  }
  return xr * yi + xi * yr;
}

/** |ψ|² per element. */
export function intensityKernel(this: KernelThis, xr: Float32Array, xi: Float32Array): number {
  const i = this.thread.x;
  const re = xr[i]!;
  const im = xi[i]!;
  return re * re + im * im;
}

/**
 * First level of the detector reduction: output (b·ny + y) = Σ_x mask[y·nx + x]·|ψ_b(x, y)|²
 * (one thread per row, float32 accumulation over nx terms); the host sums the nb·ny row sums
 * in float64.
 */
export function maskedRowSumKernel(
  this: KernelThis, xr: Float32Array, xi: Float32Array, mask: Float32Array, nx: number, ny: number,
): number {
  const i = this.thread.x;
  const b = exactQuotient(i, ny);
  const y = i - b * ny;
  const base = (b * ny + y) * nx;
  const mbase = y * nx;
  let acc = 0;
  for (let x = 0; x < nx; x++) {
    const re = xr[base + x]!;
    const im = xi[base + x]!;
    acc += mask[mbase + x]! * (re * re + im * im);
  }
  return acc;
}

/**
 * PRISM probe reconstruction (Ophus 2017, Eq. 11) for P probes at once: output
 * (p·cy + v)·cx + u = Σ_b c[p·nb + b]·S_b(x0[p] + u, y0[p] + v), the cx×cy window of probe p
 * at pixel (x0[p], y0[p]) of the S-matrix fields S_b on an nx·ny periodic grid (coordinates wrap).
 */
export function prismReconstructKernel(
  this: KernelThis, sr: Float32Array, si: Float32Array, cr: Float32Array, ci: Float32Array,
  x0s: Float32Array, y0s: Float32Array, nx: number, ny: number, nb: number, cx: number, cy: number,
  part: number,
): number {
  const i = this.thread.x;
  const nw = cx * cy;
  const pr = exactQuotient(i, nw);
  const loc = i - pr * nw;
  const v = exactQuotient(loc, cx);
  const u = loc - v * cx;
  const xu = x0s[pr]! + u;
  const x = xu - nx * exactQuotient(xu, nx);
  const yv = y0s[pr]! + v;
  const y = yv - ny * exactQuotient(yv, ny);
  const npix = nx * ny;
  const pix = y * nx + x;
  const cb = pr * nb;
  let accR = 0;
  let accI = 0;
  for (let b = 0; b < nb; b++) {
    const off = b * npix + pix;
    const a = sr[off]!;
    const c = si[off]!;
    const kr = cr[cb + b]!;
    const ki = ci[cb + b]!;
    accR += kr * a - ki * c;
    accI += kr * c + ki * a;
  }
  if (part < 0.5) {
    return accR;
  }
  return accI;
}

/** Copy (upload a host array into a device-resident texture). */
export function copyKernel(this: KernelThis, a: Float32Array): number {
  return a[this.thread.x]!;
}
