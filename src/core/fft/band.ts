/**
 * A 2D FFT on the PFFFT WebAssembly heap, pruned to a band of columns: for work whose spectrum is (or is needed)
 * only on some columns kx, e.g. a wave band-limited to the 2/3 aperture (multislice), or a transmission function
 * of which only the wave grid's band is kept (the supersampled potential). Layouts, interleaved float32:
 * real space `a` [ny][nx]; spectrum `b` transposed [nx][ny], valid only on the band columns.
 *  - forward(band): all rows, then only the band's columns (transposed into b and transformed);
 *  - inverse(band, gaps): the band's columns, transposed back, the gap columns zeroed, then all rows;
 *  - inverseColumns(list) + inverseRows(band, gaps): the same in two steps, for a spectrum filled on a few columns.
 * Unnormalised both ways (PFFFT's convention; multiply by 1/(nx·ny) somewhere). Transposes and nothing else run in
 * the WASM SIMD kernels (simd-kernels.ts) where available, else in TypeScript.
 * Sizes: multiples of 16 with factors 2, 3, 5 only (pffftSupports), and ny a multiple of 8.
 *
 * The z-domain variants (zForward, zInverseColumns, zInverseRows, zInverse; `zDomain` says whether they run here) use
 * PFFFT's unordered transform, which skips its reordering pass (pffft_zreorder) both ways: the same float32 values,
 * in another place. Spectrum b then holds, at column u, the frequency kx = zFrequency(nx, u), each column in PFFFT's
 * block layout along ky (pffft.ts zPosition, zFloat); real space `a` is unchanged. Rows of a between the passes are
 * in block layout too, so the transposes are the block-aware SIMD kernels, and the band is a set of blocks of 4
 * columns (zBand). No TypeScript fallback: they need the SIMD kernels. (Taking the band block by block through a
 * cache-sized scratch, with out-of-place column transforms, and a third buffer for out-of-place inverses were both
 * measured slower than these whole passes: bench/RESULTS.md.)
 */
import { pffftModule, pffftSetup, pffftSupports, type PffftModule, zFrequency } from './pffft.js';
import { type SimdKernels, simdKernelsFor } from './simd-kernels.js';

/** Column ranges [x0, x1). */
export type ColumnRanges = readonly (readonly [number, number])[];

const TILE = 16;

export class BandFft2d {
  readonly nx: number;
  readonly ny: number;
  /** Byte pointers into the heap: real space, transposed spectrum, PFFFT work area. */
  readonly pa: number;
  readonly pb: number;
  private readonly pw: number;
  private readonly sx: number;
  private readonly sy: number;
  readonly simd: SimdKernels | undefined;
  private readonly m: PffftModule;

  constructor(nx: number, ny: number) {
    if (!bandFftSupports(nx, ny)) throw new RangeError(`BandFft2d: sizes must be multiples of 16 of the form 2^a·3^b·5^c, got ${nx}×${ny}`);
    this.m = pffftModule()!;
    this.nx = nx;
    this.ny = ny;
    this.pa = this.m._pffft_aligned_malloc(8 * nx * ny);
    this.pb = this.m._pffft_aligned_malloc(8 * nx * ny);
    this.pw = this.m._pffft_aligned_malloc(8 * Math.max(nx, ny));
    this.sx = pffftSetup(nx);
    this.sy = pffftSetup(ny);
    this.simd = simdKernelsFor(this.m.memory);
    this.zDomain = this.simd !== undefined && this.m._pffft_transform !== undefined;
  }

  /** Whether the z-domain (unordered-spectrum) methods run here: PFFFT's unordered export and the SIMD kernels. */
  readonly zDomain: boolean;

  private unordered(): NonNullable<PffftModule['_pffft_transform']> {
    if (!this.zDomain) throw new Error('BandFft2d: the z-domain transforms need PFFFT\'s unordered export and the SIMD kernels (zDomain is false)');
    return this.m._pffft_transform!;
  }

  /** The heap as float32 (re-read after any allocation in the module). */
  heap(): Float32Array { return this.m.HEAPF32; }
  /** Allocates `bytes` in the same heap (aligned; never freed while the instance lives, unless passed to `free`). */
  alloc(bytes: number): number { return this.m._pffft_aligned_malloc(bytes); }
  /** Frees a block from `alloc`. */
  free(ptr: number): void { this.m._pffft_aligned_free(ptr); }

  /** Unnormalised forward transform of a, written to b on the band's columns only. */
  forward(band: ColumnRanges): void {
    const { nx, ny, m } = this;
    for (let y = 0; y < ny; y++) { const q = this.pa + 8 * nx * y; m._pffft_transform_ordered(this.sx, q, q, this.pw, 0); }
    for (const [x0, x1] of band) {
      if (this.simd) this.simd.transposeW(this.pa + 8 * x0, this.pb + 8 * x0 * ny, nx, ny, ny, x1 - x0);
      else transposeCols(m.HEAPF64, this.pa >> 3, this.pb >> 3, nx, ny, x0, x1);
      for (let x = x0; x < x1; x++) { const q = this.pb + 8 * ny * x; m._pffft_transform_ordered(this.sy, q, q, this.pw, 0); }
    }
  }

  /** Unnormalised inverse of the columns `cols` of b (in place in b). */
  inverseColumns(cols: Iterable<number>): void {
    for (const x of cols) { const q = this.pb + 8 * this.ny * x; this.m._pffft_transform_ordered(this.sy, q, q, this.pw, 1); }
  }

  /** The band's columns of b back to a, the gap columns of a zeroed, then the inverse row pass (unnormalised). */
  inverseRows(band: ColumnRanges, gaps: ColumnRanges): void {
    const { nx, ny, m } = this;
    for (const [x0, x1] of band) {
      if (this.simd) this.simd.transposeR(this.pb + 8 * x0 * ny, this.pa + 8 * x0, ny, nx, ny, x1 - x0);
      else untransposeCols(m.HEAPF64, this.pb >> 3, this.pa >> 3, nx, ny, x0, x1);
    }
    const F = m.HEAPF32, A = this.pa >> 2;
    for (const [x0, x1] of gaps) for (let y = 0; y < ny; y++) F.fill(0, A + 2 * (y * nx + x0), A + 2 * (y * nx + x1));
    for (let y = 0; y < ny; y++) { const q = this.pa + 8 * nx * y; m._pffft_transform_ordered(this.sx, q, q, this.pw, 1); }
  }

  /** Unnormalised inverse of b's band columns into a (gap columns zero). */
  inverse(band: ColumnRanges, gaps: ColumnRanges): void {
    for (const [x0, x1] of band) for (let x = x0; x < x1; x++) { const q = this.pb + 8 * this.ny * x; this.m._pffft_transform_ordered(this.sy, q, q, this.pw, 1); }
    this.inverseRows(band, gaps);
  }

  /**
   * Unordered forward transform of a into b on a z-domain band (zBand): all rows (left in block layout), the band
   * blocks' columns transposed into b, then transformed there.
   */
  zForward(band: ZBand): void {
    const { nx, ny } = this, t = this.unordered();
    for (let y = 0; y < ny; y++) { const q = this.pa + 8 * nx * y; t(this.sx, q, q, this.pw, 0); }
    this.simd!.zTransposeW(this.pa, this.pb, nx, ny, ny, band.flags, nx >> 2);
    for (const x of band.cols) { const q = this.pb + 8 * ny * x; t(this.sy, q, q, this.pw, 0); }
  }

  /** Unordered inverse of the columns `cols` of b (in place in b). */
  zInverseColumns(cols: Iterable<number>): void {
    const t = this.unordered();
    for (const x of cols) { const q = this.pb + 8 * this.ny * x; t(this.sy, q, q, this.pw, 1); }
  }

  /** The band blocks' columns of b back to the rows of a, the other blocks zeroed, then the inverse row pass (for a
   * spectrum filled on a few columns, after zInverseColumns; zInverse is the whole inverse). */
  zInverseRows(band: ZBand): void {
    const { nx, ny } = this, t = this.unordered();
    this.simd!.zTransposeR(this.pb, this.pa, ny, nx, ny, band.flags, nx >> 2);
    for (let y = 0; y < ny; y++) { const q = this.pa + 8 * nx * y; t(this.sx, q, q, this.pw, 1); }
  }

  /** Unordered inverse of b's band into a (the other blocks zero; b overwritten). */
  zInverse(band: ZBand): void {
    this.zInverseColumns(band.cols);
    this.zInverseRows(band);
  }

  /**
   * The z-domain band for a set of frequency columns: the blocks of 4 b columns holding any kept frequency, as their
   * columns and as flags in the heap (one byte per block: 1 in the band, 0 outside). Free with `free(band.flags)`.
   */
  zBand(keep: (kx: number) => boolean): ZBand {
    const { nx } = this, nb = nx >> 2;
    const flags = this.alloc(Math.max(16, nb));
    const U8 = new Uint8Array(this.m.HEAPF32.buffer);
    const cols: number[] = [];
    for (let k = 0; k < nb; k++) {
      let on = false;
      for (let j = 0; j < 4; j++) if (keep(zFrequency(nx, 4 * k + j))) on = true;
      U8[flags + k] = on ? 1 : 0;
      if (on) for (let j = 0; j < 4; j++) cols.push(4 * k + j);
    }
    return { flags, cols };
  }
}

/** A band of b columns in the z domain (BandFft2d.zBand). */
export interface ZBand {
  /** Heap bytes, one per block of 4 columns: 1 in the band, 0 outside. */
  readonly flags: number;
  readonly cols: readonly number[];
}


/** Whether BandFft2d runs an nx × ny grid here. */
export function bandFftSupports(nx: number, ny: number): boolean {
  return pffftSupports(nx) && pffftSupports(ny) && ny % 8 === 0;
}

/** The column ranges where `keep(x)` holds and where it does not, over x ∈ [0, nx). */
export function columnRanges(nx: number, keep: (x: number) => boolean): { band: [number, number][]; gaps: [number, number][] } {
  const band: [number, number][] = [], gaps: [number, number][] = [];
  for (let x = 0; x < nx; x++) {
    const list = keep(x) ? band : gaps;
    const last = list[list.length - 1];
    if (last && last[1] === x) last[1] = x + 1; else list.push([x, x + 1]);
  }
  return { band, gaps };
}

const cache = new Map<string, BandFft2d>();
/** The per-thread instance for a size (never freed: one per size in use). */
export function bandFft(nx: number, ny: number): BandFft2d {
  const key = `${nx}x${ny}`;
  let f = cache.get(key);
  if (!f) { f = new BandFft2d(nx, ny); cache.set(key, f); }
  return f;
}

/** Blocked transpose of complex (one float64 per re, im pair) columns [x0, x1) of src [h][w] into dst [w][h]. */
function transposeCols(D: Float64Array, src: number, dst: number, w: number, h: number, x0: number, x1: number): void {
  for (let y0 = 0; y0 < h; y0 += TILE) {
    const y1 = Math.min(h, y0 + TILE);
    for (let xb = x0; xb < x1; xb += TILE) {
      const xe = Math.min(x1, xb + TILE);
      for (let y = y0; y < y1; y++) { const s = src + y * w; for (let x = xb; x < xe; x++) D[dst + x * h + y] = D[s + x]!; }
    }
  }
}

/** Inverse of transposeCols: rows [x0, x1) of src [w][h] back into columns of dst [h][w]. */
function untransposeCols(D: Float64Array, src: number, dst: number, w: number, h: number, x0: number, x1: number): void {
  for (let xb = x0; xb < x1; xb += TILE) {
    const xe = Math.min(x1, xb + TILE);
    for (let y0 = 0; y0 < h; y0 += TILE) {
      const y1 = Math.min(h, y0 + TILE);
      for (let x = xb; x < xe; x++) { const s = src + x * h; for (let y = y0; y < y1; y++) D[dst + y * w + x] = D[s + y]!; }
    }
  }
}
