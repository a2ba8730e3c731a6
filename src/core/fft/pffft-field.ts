/**
 * A complex nx × ny field resident in the PFFFT WebAssembly heap (interleaved re, im), for hot loops that
 * run many FFTs on one wave (PRISM's S-matrix): the spectrum is left transposed, so a forward + inverse pair
 * costs two transposes instead of the four (plus four planar ↔ interleaved copies) of the planar Pffft2d.
 *
 * Layouts: real space in `a`, row-major [ny][nx]; spectrum in `b`, transposed [nx][ny] (index kx·ny + ky).
 * Offsets are float indices into `heap()`; re-read `heap()` after any allocation in the module (the heap may grow).
 */
import { pffftModule, pffftSetup, pffftSupports } from './pffft.js';

const TILE = 16;

export class PffftField2d {
  readonly nx: number;
  readonly ny: number;
  private readonly sx: number;
  private readonly sy: number;
  private readonly pa: number;
  private readonly pb: number;
  private readonly pw: number;

  constructor(nx: number, ny: number) {
    if (!pffftSupports(nx) || !pffftSupports(ny)) throw new RangeError(`PffftField2d: sizes must be multiples of 16 of the form 2^a·3^b·5^c, got ${nx}×${ny}`);
    const m = pffftModule()!;
    this.nx = nx;
    this.ny = ny;
    this.sx = pffftSetup(nx);
    this.sy = pffftSetup(ny);
    this.pa = m._pffft_aligned_malloc(8 * nx * ny);
    this.pb = m._pffft_aligned_malloc(8 * nx * ny);
    this.pw = m._pffft_aligned_malloc(8 * Math.max(nx, ny));
  }

  /** The WASM heap as float32 (re-read after allocations). */
  heap(): Float32Array { return pffftModule()!.HEAPF32; }
  /** Float index of the real-space buffer [ny][nx] (interleaved). */
  get a(): number { return this.pa >> 2; }
  /** Float index of the transposed spectrum buffer [nx][ny] (interleaved). */
  get b(): number { return this.pb >> 2; }

  /** Real space (a) → unnormalised spectrum, transposed (b). */
  forwardToTransposed(): void {
    const m = pffftModule()!;
    const { nx, ny } = this;
    for (let y = 0; y < ny; y++) { const p = this.pa + 8 * nx * y; m._pffft_transform_ordered(this.sx, p, p, this.pw, 0); }
    transpose(m.HEAPF64, this.pa >> 3, this.pb >> 3, nx, ny);
    for (let x = 0; x < nx; x++) { const p = this.pb + 8 * ny * x; m._pffft_transform_ordered(this.sy, p, p, this.pw, 0); }
  }

  /** Transposed spectrum (b) → real space (a), unnormalised (multiply by 1/(nx·ny) somewhere). */
  inverseFromTransposed(): void {
    const m = pffftModule()!;
    const { nx, ny } = this;
    for (let x = 0; x < nx; x++) { const p = this.pb + 8 * ny * x; m._pffft_transform_ordered(this.sy, p, p, this.pw, 1); }
    transpose(m.HEAPF64, this.pb >> 3, this.pa >> 3, ny, nx);
    for (let y = 0; y < ny; y++) { const p = this.pa + 8 * nx * y; m._pffft_transform_ordered(this.sx, p, p, this.pw, 1); }
  }
}

/** Blocked transpose of complex (one float64 = re, im pair) src [h][w] → dst [w][h]. */
function transpose(D: Float64Array, src: number, dst: number, w: number, h: number): void {
  for (let y0 = 0; y0 < h; y0 += TILE) {
    const y1 = Math.min(h, y0 + TILE);
    for (let x0 = 0; x0 < w; x0 += TILE) {
      const x1 = Math.min(w, x0 + TILE);
      for (let y = y0; y < y1; y++) {
        const s = src + y * w;
        for (let x = x0; x < x1; x++) D[dst + x * h + y] = D[s + x]!;
      }
    }
  }
}

const fields = new Map<string, PffftField2d>();
/** The per-thread cached field for a size (never freed: one per size in use). */
export function pffftField(nx: number, ny: number): PffftField2d {
  const key = `${nx}x${ny}`;
  let f = fields.get(key);
  if (!f) { f = new PffftField2d(nx, ny); fields.set(key, f); }
  return f;
}
