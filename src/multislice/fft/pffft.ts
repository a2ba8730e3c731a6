/**
 * 2D FFT on PFFFT (J. Pommier's SIMD FFT, compiled to WebAssembly SIMD by @echogarden/pffft-wasm):
 * the 1D transforms run in WASM at ~19 GFLOP/s on this machine; the 2D layout work (planar ↔ interleaved,
 * transposes) is done in TypeScript between them. Used by createFft2d when both sizes are multiples of 16
 * (PFFFT's complex-transform requirement) with factors 2, 3, 5 only; other sizes use the Stockham FFT.
 *
 * Memory: each instance owns two interleaved nx·ny complex buffers in the module's WASM heap (one heap per
 * thread). Instances are cached per size (createFft2d returns the cached one), so repeated creation does
 * not leak; `release()` frees a size explicitly.
 */
import factory, { type PffftModule } from '@echogarden/pffft-wasm/simd';
import { factorize } from './plan.js';

let wasm: PffftModule | undefined;
try {
  wasm = await factory();
} catch {
  wasm = undefined; // no WASM SIMD: every size falls back to the Stockham FFT
}

/** The loaded PFFFT module, or undefined when WASM SIMD is unavailable. */
export function pffftModule(): PffftModule | undefined {
  return wasm;
}

/** Whether a 1D complex PFFFT of length n is possible here. */
export function pffftSupports(n: number): boolean {
  return wasm !== undefined && Number.isInteger(n) && n >= 16 && n % 16 === 0 && factorize(n) !== undefined;
}

const setups = new Map<number, number>();
/** The (cached, never freed: a few KB) complex PFFFT setup for length n. */
export function pffftSetup(n: number): number {
  const m = wasm!;
  let s = setups.get(n);
  if (s === undefined) { s = m._pffft_new_setup(n, 1); setups.set(n, s); }
  return s;
}

const TILE = 16;

/** Planar-array 2D FFT on PFFFT: rows, blocked transpose, rows (= columns), blocked transpose back. */
export class Pffft2d {
  readonly nx: number;
  readonly ny: number;
  private readonly sx: number;
  private readonly sy: number;
  private a: number;
  private b: number;
  private w: number;

  constructor(nx: number, ny: number) {
    if (!pffftSupports(nx) || !pffftSupports(ny)) throw new RangeError(`Pffft2d: sizes must be multiples of 16 of the form 2^a·3^b·5^c, got ${nx}×${ny}`);
    const m = wasm!;
    this.nx = nx;
    this.ny = ny;
    this.sx = pffftSetup(nx);
    this.sy = pffftSetup(ny);
    this.a = m._pffft_aligned_malloc(8 * nx * ny);
    this.b = m._pffft_aligned_malloc(8 * nx * ny);
    this.w = m._pffft_aligned_malloc(8 * Math.max(nx, ny));
  }

  forward(re: Float32Array, im: Float32Array): void {
    this.run(re, im, 0, 1);
  }

  inverse(re: Float32Array, im: Float32Array): void {
    this.run(re, im, 1, 1 / (this.nx * this.ny));
  }

  /** Free the WASM buffers (the instance is unusable afterwards). */
  release(): void {
    const m = wasm!;
    if (this.a) { m._pffft_aligned_free(this.a); m._pffft_aligned_free(this.b); m._pffft_aligned_free(this.w); }
    this.a = this.b = this.w = 0;
  }

  private run(re: Float32Array, im: Float32Array, dir: number, scale: number): void {
    const { nx, ny } = this;
    const n = nx * ny;
    if (re.length < n || im.length < n) throw new RangeError(`FFT arrays need ${nx}×${ny} = ${n} elements, got ${re.length}, ${im.length}`);
    if (!this.a) throw new Error('Pffft2d used after release()');
    const m = wasm!;
    const F = m.HEAPF32, D = m.HEAPF64;
    const A = this.a >> 2;
    for (let i = 0; i < n; i++) { F[A + 2 * i] = re[i]!; F[A + 2 * i + 1] = im[i]!; }
    for (let y = 0; y < ny; y++) { const p = this.a + 8 * nx * y; m._pffft_transform_ordered(this.sx, p, p, this.w, dir); }
    const Ad = this.a >> 3, Bd = this.b >> 3;
    for (let y0 = 0; y0 < ny; y0 += TILE) {
      const y1 = Math.min(ny, y0 + TILE);
      for (let x0 = 0; x0 < nx; x0 += TILE) {
        const x1 = Math.min(nx, x0 + TILE);
        for (let y = y0; y < y1; y++) { const s = Ad + y * nx; for (let x = x0; x < x1; x++) D[Bd + x * ny + y] = D[s + x]!; }
      }
    }
    for (let x = 0; x < nx; x++) { const p = this.b + 8 * ny * x; m._pffft_transform_ordered(this.sy, p, p, this.w, dir); }
    const B = this.b >> 2;
    for (let x0 = 0; x0 < nx; x0 += TILE) {
      const x1 = Math.min(nx, x0 + TILE);
      for (let y0 = 0; y0 < ny; y0 += TILE) {
        const y1 = Math.min(ny, y0 + TILE);
        for (let x = x0; x < x1; x++) {
          const s = B + 2 * x * ny;
          for (let y = y0; y < y1; y++) { re[y * nx + x] = F[s + 2 * y]! * scale; im[y * nx + x] = F[s + 2 * y + 1]! * scale; }
        }
      }
    }
  }
}
