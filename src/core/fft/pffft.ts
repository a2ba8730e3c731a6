/**
 * 2D FFT on PFFFT (J. Pommier's SIMD FFT, compiled to WebAssembly SIMD by @echogarden/pffft-wasm):
 * the 1D transforms run in WASM at ~19 GFLOP/s on this machine; the 2D layout work (planar ↔ interleaved,
 * transposes) is done between them by the WASM SIMD kernels of simd-kernels.ts where they load, else in TypeScript
 * (the same bits). Used by createFft2d when both sizes are multiples of 16
 * (PFFFT's complex-transform requirement) with factors 2, 3, 5 only; other sizes use the Stockham FFT.
 *
 * Memory: each instance owns two interleaved nx·ny complex buffers in the module's WASM heap (one heap per
 * thread). Instances are cached per size (createFft2d returns the cached one), so repeated creation does
 * not leak; `release()` frees a size explicitly.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { factorize } from './plan.js';
import { type SimdKernels, simdKernelsFor } from './simd-kernels.js';

/** The parts of the PFFFT WASM module we use (names as in pffft.h). */
export interface PffftModule {
  HEAPF32: Float32Array;
  HEAPF64: Float64Array;
  /** The module's WebAssembly.Memory (other modules import it to work on the same heap). */
  memory: object;
  /** transform 1 = complex; sizes must be multiples of 16 with factors 2, 3, 5 only. */
  _pffft_new_setup(n: number, transform: number): number;
  /** direction 0 forward exp(−2πi…), 1 backward exp(+2πi…), unscaled; input may equal output. */
  _pffft_transform_ordered(setup: number, input: number, output: number, work: number, direction: number): void;
  /**
   * The same transform without PFFFT's reordering pass (pffft_transform): the spectrum stays in PFFFT's internal
   * "z-domain" order (zPosition below), and the backward transform takes that order. Undefined where the build's
   * export failed its self-test (callers then use the ordered transform).
   */
  _pffft_transform?: (setup: number, input: number, output: number, work: number, direction: number) => void;
  _pffft_aligned_malloc(bytes: number): number;
  _pffft_aligned_free(ptr: number): void;
}

/**
 * Instantiates @echogarden/pffft-wasm 0.4.2's SIMD binary synchronously (its emscripten glue is async, and
 * a top-level await here would stop tsx-run piscina workers from loading any module that imports the FFT).
 * The three imports and the export letters are those of the pinned 0.4.2 build (its dist/simd/pffft.js:
 * a.a = __assert_fail, a.b = emscripten_resize_heap, a.c = emscripten_memcpy_js; exports d = memory,
 * e = ctors, f/h = pffft_aligned_malloc/free, k = pffft_new_setup, o = pffft_transform, p = pffft_transform_ordered).
 * A delta-function self-test guards against a mismatched build; any failure means "no PFFFT". The unordered
 * transform (o) has its own self-test (the z-domain layout of zPosition, both directions); failing it (or setting
 * CATHODE_NO_PFFFT_UNORDERED) drops only o.
 */
interface WasmMemory { readonly buffer: ArrayBuffer; grow(pages: number): number }
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
/** The WebAssembly global (the project's lib setting has no DOM/WebAssembly typings). */
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

function loadPffft(): PffftModule | undefined {
  try {
    const req = createRequire(import.meta.url);
    const glue = req.resolve('@echogarden/pffft-wasm/simd'); // …/dist/simd/pffft.js
    const root = glue.replace(/dist[\\/]simd[\\/]pffft\.js$/, '');
    const version = (JSON.parse(readFileSync(root + 'package.json', 'utf8')) as { version: string }).version;
    if (version !== '0.4.2') return undefined;
    const bytes = readFileSync(glue.replace(/pffft\.js$/, 'pffft.wasm'));
    let memory: WasmMemory | undefined;
    const mod: PffftModule = {
      HEAPF32: new Float32Array(0), HEAPF64: new Float64Array(0),
    } as PffftModule;
    const views = (): void => { mod.HEAPF32 = new Float32Array(memory!.buffer); mod.HEAPF64 = new Float64Array(memory!.buffer); };
    const imports = {
      a: {
        a: () => { throw new Error('pffft: assertion failed (unsupported size?)'); },
        b: (requested: number): number => {
          const need = (requested >>> 0) - memory!.buffer.byteLength;
          if (need <= 0) return 1;
          try { memory!.grow(Math.ceil(need / 65536)); views(); return 1; } catch { return 0; }
        },
        c: (dest: number, src: number, num: number): void => { new Uint8Array(memory!.buffer).copyWithin(dest, src, src + num); },
      },
    };
    const inst = new WA.Instance(new WA.Module(bytes), imports);
    const ex = inst.exports as Record<string, unknown>;
    memory = ex.d as WasmMemory;
    mod.memory = memory;
    views();
    (ex.e as () => void)();
    const malloc = ex.f as (n: number) => number;
    mod._pffft_aligned_malloc = (n) => { const p = malloc(n); if (mod.HEAPF32.buffer !== memory!.buffer) views(); return p; };
    mod._pffft_aligned_free = ex.h as (p: number) => void;
    mod._pffft_new_setup = ex.k as (n: number, t: number) => number;
    mod._pffft_transform_ordered = ex.p as PffftModule['_pffft_transform_ordered'];
    // Self-test: forward transform of δ(x − 1) at n = 16 is exp(−2πi k/16).
    const s = mod._pffft_new_setup(16, 1), a = mod._pffft_aligned_malloc(128), w = mod._pffft_aligned_malloc(128);
    mod.HEAPF32.fill(0, a >> 2, (a >> 2) + 32);
    mod.HEAPF32[(a >> 2) + 2] = 1;
    mod._pffft_transform_ordered(s, a, a, w, 0);
    for (let k = 0; k < 16; k++) {
      const re = mod.HEAPF32[(a >> 2) + 2 * k]!, im = mod.HEAPF32[(a >> 2) + 2 * k + 1]!;
      if (Math.abs(re - Math.cos((2 * Math.PI * k) / 16)) > 1e-6 || Math.abs(im + Math.sin((2 * Math.PI * k) / 16)) > 1e-6) return undefined;
    }
    mod._pffft_aligned_free(a); mod._pffft_aligned_free(w);
    if (!process.env.CATHODE_NO_PFFFT_UNORDERED && unorderedSelfTest(mod, ex.o as PffftModule['_pffft_transform'])) mod._pffft_transform = ex.o as PffftModule['_pffft_transform'];
    return mod;
  } catch (e) {
    if (process.env.CATHODE_DEBUG_FFT) console.error('pffft unavailable:', e);
    return undefined;
  }
}

/**
 * Where frequency index f of an n-point complex transform sits in PFFFT's unordered ("z-domain") spectrum, as read
 * from pffft_zreorder (pffft.c, complex branch): the spectrum is n/4 blocks of 8 floats, four real parts then the
 * four imaginary parts; block k holds the frequencies c·n/4 + 4q + j, j = 0…3, where q = ⌊k/4⌋ and c = k mod 4
 * (n a multiple of 16). Returns the position u = 4k + j; its real part is float zFloat(u), its imaginary part 4
 * floats further on.
 */
export function zPosition(n: number, f: number): number {
  const quarter = n >> 2, c = Math.floor(f / quarter), r = f - c * quarter;
  return 4 * (4 * (r >> 2) + c) + (r & 3);
}

/** The float offset of the real part of position u in a block-layout (unordered) spectrum. */
export function zFloat(u: number): number {
  return 8 * (u >> 2) + (u & 3);
}

/** The frequency index at position u of an unordered n-point spectrum (the inverse of zPosition). */
export function zFrequency(n: number, u: number): number {
  const k = u >> 2;
  return (k & 3) * (n >> 2) + 4 * (k >> 2) + (u & 3);
}

/**
 * The unordered transform's layout check at n = 48 (blocks permuted: k ↦ frequencies 12·(k mod 4) + 4⌊k/4⌋ + j):
 * forward of δ(x − 1) must be exp(−2πi f/48) at position zPosition(48, f), and backward must return 48·δ(x − 1).
 */
function unorderedSelfTest(mod: PffftModule, transform: PffftModule['_pffft_transform']): boolean {
  if (typeof transform !== 'function') return false;
  const n = 48, s = mod._pffft_new_setup(n, 1), a = mod._pffft_aligned_malloc(8 * n), w = mod._pffft_aligned_malloc(8 * n);
  try {
    const A = a >> 2;
    mod.HEAPF32.fill(0, A, A + 2 * n);
    mod.HEAPF32[A + 2] = 1;
    transform(s, a, a, w, 0);
    for (let f = 0; f < n; f++) {
      const o = A + zFloat(zPosition(n, f)), re = mod.HEAPF32[o]!, im = mod.HEAPF32[o + 4]!;
      if (Math.abs(re - Math.cos((2 * Math.PI * f) / n)) > 1e-6 || Math.abs(im + Math.sin((2 * Math.PI * f) / n)) > 1e-6) return false;
    }
    transform(s, a, a, w, 1);
    for (let x = 0; x < n; x++) {
      if (Math.abs(mod.HEAPF32[A + 2 * x]! - (x === 1 ? n : 0)) > 1e-4 || Math.abs(mod.HEAPF32[A + 2 * x + 1]!) > 1e-4) return false;
    }
    return true;
  } catch {
    return false;
  } finally {
    mod._pffft_aligned_free(a); mod._pffft_aligned_free(w);
  }
}

const wasm = loadPffft();

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
  // (setups live as long as the thread; a few KB each)
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

  private kernels: SimdKernels | null | undefined;
  /** The WASM SIMD transposes on this module's heap (undefined where they are unavailable). */
  private simd(): SimdKernels | undefined {
    if (this.kernels === undefined) this.kernels = simdKernelsFor(wasm!.memory) ?? null;
    return this.kernels ?? undefined;
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
    const K = this.simd();
    if (K) {
      // Data movement only (bit-identical to the loops below): the planar arrays copied into b and interleaved into a,
      // SIMD transposes, then de-interleaved into b with the same float64 product by `scale` rounded to float32, and
      // copied out.
      const B = this.b >> 2;
      F.set(re.subarray(0, n), B);
      F.set(im.subarray(0, n), B + n);
      K.interleave(this.b, this.b + 4 * n, this.a, n);
      for (let y = 0; y < ny; y++) { const p = this.a + 8 * nx * y; m._pffft_transform_ordered(this.sx, p, p, this.w, dir); }
      K.transposeW(this.a, this.b, nx, ny, ny, nx);
      for (let x = 0; x < nx; x++) { const p = this.b + 8 * ny * x; m._pffft_transform_ordered(this.sy, p, p, this.w, dir); }
      K.transposeR(this.b, this.a, ny, nx, ny, nx);
      K.deinterleave(this.a, this.b, this.b + 4 * n, n, scale);
      const G = m.HEAPF32;
      re.set(G.subarray(B, B + n));
      im.set(G.subarray(B + n, B + 2 * n));
      return;
    }
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
