/**
 * The fast plain-multislice loop (CPU): the wave lives in the PFFFT WebAssembly heap as interleaved float32, its
 * spectrum is kept transposed ([kx][ky]), and every transform is pruned to the 2/3 band the propagator keeps:
 *  - forward per slice: all rows, then only the columns kx inside the band (2/3 of them; the rest are multiplied by
 *    P = 0), transposing only those;
 *  - inverse: only the band columns, transposed back, the other columns zeroed, then all rows;
 *  - the probe starts in k-space on its aperture's columns (a few % of the grid) instead of a full inverse FFT;
 *  - the detector reads the last slice's spectrum directly (no extra FFT), and a thickness series reads it in passing.
 * Per probe and slice this is 2 full row passes + 2 × 2/3 column passes, two 2/3 transposes and two complex
 * multiplies, against the planar path's (engine.ts with the CPU backend) 2 full 2D FFTs with 4 planar ↔ interleaved
 * copies and 4 full transposes plus a third FFT for the detector. Same arithmetic up to float32 round-off (tested).
 * Used when both grid sizes suit PFFFT (multiples of 16 with factors 2, 3, 5: makeGrid picks such sizes).
 *
 * Spectrum order: where PFFFT's unordered transform is available (BandFft2d.zDomain), the spectrum stays in PFFFT's
 * internal order (the "z domain": column kx at b column zPosition(nx, kx), each column in block layout along ky), so
 * that no transform runs PFFFT's reordering pass; the propagator and the detector positions are permuted once per
 * plan instead. The wave's values are the same float32 numbers in other places (tested equal to the bit against the
 * ordered spectrum, which `setResidentSpectrumOrder('ordered')` selects and which runs where the export is missing).
 */
import { type BandFft2d, type ZBand, bandFft, bandFftSupports, columnRanges, zFloat, zPosition } from '../core/fft/index.js';
import { memoryBudget } from '../core/index.js';
import type { ComplexField } from './backend/types.js';
import type { MultisliceSetup, TransmissionStack } from './engine.js';
import type { Grid } from './grid.js';
import { apertureSpectrum } from './probe.js';
import { fftFrequencies_perA } from './grid.js';

/** Whether the resident loop runs this grid (PFFFT sizes on both axes). */
export function residentSupports(nx: number, ny: number): boolean {
  return bandFftSupports(nx, ny);
}

/** What the resident loop needs: the grid, the band-limited propagator, and detector masks (may be none). */
export interface ResidentJob {
  readonly grid: Grid;
  readonly propagator: ComplexField;
  readonly masks: readonly Float32Array[];
}

export interface Plan {
  readonly key: string;
  readonly fft: BandFft2d;
  /** Whether the spectrum is in PFFFT's unordered (z-domain) order; else in frequency order. */
  readonly z: boolean;
  /** The b columns that hold data, as ranges (frequency order: kx whose propagator column is not all zero; z domain:
   * the columns of every block of 4 with such a kx), and (frequency order) the other columns. */
  readonly band: [number, number][];
  readonly gaps: [number, number][];
  /** z domain: the band's blocks of 4 b columns (BandFft2d.zBand; flags in the heap); undefined in frequency order. */
  readonly zb: ZBand | undefined;
  /** 1 for band frequencies kx (the propagator column is not all zero), 0 elsewhere. */
  readonly inBand: Uint8Array;
  /** Where frequency (kx, ky) sits: b column col[kx], float row[ky] within the column, so its real part is at float
   * B + spectrumAt(plan, kx, ky) = B + 2·ny·col[kx] + row[ky] and its imaginary part `im` floats further on. */
  readonly col: Int32Array;
  readonly row: Int32Array;
  readonly im: number;
  /** Propagator transposed [nx][ny], scaled by 1/(nx·ny) (so the inverse needs no extra scale): planar (frequency
   * order, for the TypeScript loop), and in the heap at byte pp in the spectrum's own layout for the SIMD kernel. */
  readonly pr: Float32Array;
  readonly pi: Float32Array;
  readonly pp: number;
  /** Heap buffers (bytes) for one slice's t (planar re, im), for the SIMD kernel. */
  readonly ptr: number;
  readonly pti: number;
  /** Detector masks as the float offsets (from B) and weights of their non-zero pixels, in frequency order (kx, then
   * ky), so that a signal sums the same terms in the same order whatever the spectrum order. */
  readonly masks: { at: Int32Array; w: Float32Array }[];
}

/** The float offset from B of the real part of frequency (kx, ky) in the plan's spectrum. */
export function spectrumAt(p: Plan, kx: number, ky: number): number {
  return p.col[kx]! * 2 * p.fft.ny + p.row[ky]!;
}

let plan: Plan | undefined;
/** Heap buffers per grid size (never freed: one set per size in use). */
const buffers = new Map<string, { pp: number; ptr: number; pti: number }>();
let order: 'auto' | 'ordered' = 'auto';

/**
 * The resident loop's spectrum order: 'auto' (default) keeps PFFFT's unordered z-domain spectrum where the build
 * has the export, 'ordered' always reorders (the path before the z domain; for tests and same-run benchmarks).
 */
export function setResidentSpectrumOrder(o: 'auto' | 'ordered'): void {
  if (o !== 'auto' && o !== 'ordered') throw new RangeError(`setResidentSpectrumOrder: order must be 'auto' or 'ordered', got ${String(o)}`);
  order = o;
}

function maskKey(m: Float32Array): number {
  let h = 0;
  for (let i = 0; i < m.length; i += 7) if (m[i] !== 0) h = (h * 31 + i) | 0;
  return h;
}

function planFor(setup: ResidentJob): Plan {
  const { nx, ny } = setup.grid;
  const P = setup.propagator;
  const fft = bandFft(nx, ny);
  const z = order === 'auto' && fft.zDomain;
  const key = JSON.stringify([z, setup.grid, P.re[1], P.im[1], P.re[P.re.length - 1], setup.masks.map(maskKey)]);
  if (plan?.key === key) return plan;
  if (plan?.zb) plan.fft.free(plan.zb.flags);
  const n = nx * ny;
  let buf = buffers.get(`${nx}x${ny}`);
  if (!buf) { buf = { pp: fft.alloc(8 * n), ptr: fft.alloc(4 * n), pti: fft.alloc(4 * n) }; buffers.set(`${nx}x${ny}`, buf); }
  const inBand = new Uint8Array(nx);
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) if (P.re[y * nx + x] !== 0 || P.im[y * nx + x] !== 0) inBand[x] = 1;
  const col = new Int32Array(nx), row = new Int32Array(ny);
  for (let x = 0; x < nx; x++) col[x] = z ? zPosition(nx, x) : x;
  for (let y = 0; y < ny; y++) row[y] = z ? zFloat(zPosition(ny, y)) : 2 * y;
  const im = z ? 4 : 1;
  let band: [number, number][], gaps: [number, number][], zb: ZBand | undefined;
  if (z) {
    zb = fft.zBand((x) => inBand[x] === 1);
    const on = new Uint8Array(nx);
    for (const u of zb.cols) on[u] = 1;
    ({ band, gaps } = columnRanges(nx, (u) => on[u] === 1));
  } else {
    ({ band, gaps } = columnRanges(nx, (x) => inBand[x] === 1));
  }
  const pr = new Float32Array(n), pi = new Float32Array(n);
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) { pr[x * ny + y] = P.re[y * nx + x]! / n; pi[x * ny + y] = P.im[y * nx + x]! / n; }
  const H = fft.heap(), P2 = buf.pp >> 2;
  H.fill(0, P2, P2 + 2 * n);
  for (let x = 0; x < nx; x++) {
    for (let y = 0; y < ny; y++) {
      const k = P2 + col[x]! * 2 * ny + row[y]!;
      H[k] = pr[x * ny + y]!; H[k + im] = pi[x * ny + y]!;
    }
  }
  const masks = setup.masks.map((mk) => {
    const at: number[] = [], w: number[] = [];
    for (let x = 0; x < nx; x++) {
      if (!inBand[x]) continue;
      for (let y = 0; y < ny; y++) { const v = mk[y * nx + x]!; if (v !== 0) { at.push(col[x]! * 2 * ny + row[y]!); w.push(v); } }
    }
    return { at: Int32Array.from(at), w: Float32Array.from(w) };
  });
  plan = { key, fft, z, band, gaps, zb, inBand, col, row, im, pr, pi, ...buf, masks };
  return plan;
}

/**
 * Largest transmission stack copied into one thread's FFT heap (bytes): 512 MiB, or 1/16 of the job's memory budget
 * where that is less (each worker holds its own copy); larger stacks are copied slice by slice.
 */
export function heapStackMaxBytes(): number {
  return Math.min(512 * 2 ** 20, memoryBudget().usable_B / 16);
}

/**
 * A transmission stack copied once into the thread's FFT heap as interleaved complex float32, the layout the SIMD
 * multiply reads, so that the probes run on it copy nothing per slice (the loop otherwise copies each slice's planar
 * re and im into the heap, ~8 bytes per pixel per slice per probe). The caller owns it: `free()` once its probes are
 * done (the stack may be rewritten afterwards, e.g. the next frozen-phonon configuration).
 */
export interface HeapStack {
  readonly ptr: number;
  readonly slices: number;
  readonly pixels: number;
  free(): void;
}

/**
 * Copies `stack` (nSlices slices of the job's grid) into the heap, or returns undefined where the SIMD kernels are
 * missing or the copy would pass `maxBytes` (the loop then copies per slice: same numbers, more memory traffic).
 */
export function heapStack(grid: Grid, stack: TransmissionStack, maxBytes = heapStackMaxBytes()): HeapStack | undefined {
  const { nx, ny } = grid;
  if (!residentSupports(nx, ny)) return undefined;
  const fft = bandFft(nx, ny);
  const n = nx * ny, slices = Math.floor(stack.re.length / n);
  if (!fft.simd || slices < 1 || 8 * n * slices > maxBytes) return undefined;
  const ptr = fft.alloc(8 * n * slices);
  if (ptr === 0) return undefined; // the heap could not grow: per-slice copies
  const H = fft.heap(), q = ptr >> 2, re = stack.re, im = stack.im;
  for (let i = 0, e = n * slices; i < e; i++) { H[q + 2 * i] = re[i]!; H[q + 2 * i + 1] = im[i]!; }
  let live = true;
  return { ptr, slices, pixels: n, free: () => { if (live) { live = false; fft.free(ptr); } } };
}

/** The heap and plan a loop callback works on: F = HEAPF32, spectrum b (transposed [nx][ny], float index B; only the
 * plan's band columns hold data, the others are zero by construction and are not stored). */
export interface ResidentState {
  readonly F: Float32Array;
  readonly B: number;
  readonly plan: Plan;
}

/**
 * Multislice of one wave through slices [0, nSlices) of the stack, resident in the heap. `init` writes the initial
 * wave's unnormalised spectrum (transposed, at float index B; band columns arrive zeroed) and returns the columns it
 * filled; after each slice's propagator multiply, `visit(s, state)` sees the k-space wave F[ψ·t]·P/(nx·ny).
 * `heap`: the same stack already in the heap (`heapStack`), read in place; the same numbers (the SIMD multiply of
 * interleaved and of planar factors is the same float32 arithmetic).
 */
export function propagateResident(job: ResidentJob, stack: TransmissionStack, nSlices: number, init: (st: ResidentState) => Iterable<number>, visit: (s: number, st: ResidentState) => void, heap?: HeapStack): void {
  const { nx, ny } = job.grid;
  const n = nx * ny;
  if (heap && (heap.pixels !== n || heap.slices < nSlices)) throw new RangeError(`propagateResident: heap stack of ${heap.slices} × ${heap.pixels} px for ${nSlices} × ${n}`);
  const p = planFor(job);
  const { fft } = p;
  const F = fft.heap();
  const A = fft.pa >> 2, B = fft.pb >> 2;
  const st: ResidentState = { F, B, plan: p };
  const tr = stack.re, ti = stack.im, pr = p.pr, pi = p.pi;
  const K = fft.simd;
  for (const [x0, x1] of p.band) F.fill(0, B + 2 * x0 * ny, B + 2 * x1 * ny);
  if (p.zb) { fft.zInverseColumns(init(st)); fft.zInverseRows(p.zb); } else { fft.inverseColumns(init(st)); fft.inverseRows(p.band, p.gaps); }
  for (let s = 0; s < nSlices; s++) {
    const off = s * n;
    if (K && heap) K.cmul(fft.pa, heap.ptr + 8 * off, n);
    else if (K) {
      F.set(tr.subarray(off, off + n), p.ptr >> 2);
      F.set(ti.subarray(off, off + n), p.pti >> 2);
      K.cmulPlanar(fft.pa, p.ptr, p.pti, n);
    } else {
      for (let i = 0, k = A; i < n; i++, k += 2) {
        const u = F[k]!, v = F[k + 1]!, t1 = tr[off + i]!, t2 = ti[off + i]!;
        F[k] = u * t1 - v * t2;
        F[k + 1] = u * t2 + v * t1;
      }
    }
    if (p.zb) {
      // (the z domain implies the SIMD kernels: BandFft2d.zDomain)
      fft.zForward(p.zb);
      for (const [x0, x1] of p.band) K!.cmulZ(fft.pb + 8 * x0 * ny, p.pp + 8 * x0 * ny, ((x1 - x0) * ny) >> 2);
      visit(s, st);
      if (s < nSlices - 1) fft.zInverse(p.zb);
      continue;
    }
    fft.forward(p.band);
    for (const [x0, x1] of p.band) {
      if (K) K.cmul(fft.pb + 8 * x0 * ny, p.pp + 8 * x0 * ny, (x1 - x0) * ny);
      else {
        for (let i = x0 * ny, k = B + 2 * x0 * ny, e = x1 * ny; i < e; i++, k += 2) {
          const u = F[k]!, v = F[k + 1]!, p1 = pr[i]!, p2 = pi[i]!;
          F[k] = u * p1 - v * p2;
          F[k + 1] = u * p2 + v * p1;
        }
      }
    }
    visit(s, st);
    if (s < nSlices - 1) fft.inverse(p.band, p.gaps);
  }
}

/**
 * Runs the probe at (x_A, y_A) through the stack on the resident loop (`heap`: see `propagateResident`). Returns the detector signals (fraction of the
 * incident beam) laid out [recordIndex][detector], as runProbePosition does.
 */
export function runProbeResident(setup: MultisliceSetup, stack: TransmissionStack, x_A: number, y_A: number, heap?: HeapStack): Float64Array {
  const { grid, nSlices, recordAfter } = setup;
  const { nx, ny } = grid;
  const n = nx * ny;
  const nd = setup.masks.length;
  const out = new Float64Array(recordAfter.length * nd);
  const kx = fftFrequencies_perA(nx, grid.extentX_A), ky = fftFrequencies_perA(ny, grid.extentY_A);
  for (const { dC10_A, weight } of setup.focal) {
    let r = 0;
    propagateResident(setup, stack, nSlices, ({ F, B, plan: p }) => {
      // Probe spectrum A(k)·exp(−iχ)·exp(−2πi k·r0) on the aperture's pixels, scaled so that the unnormalised inverse
      // gives Σ|ψ|² = 1: |Ψ| = 1/√(n·count) there (Parseval).
      const spec = apertureSpectrum(grid, setup.optics, dC10_A);
      const norm = 1 / Math.sqrt(n * spec.ix.length);
      const cols = new Set<number>();
      for (let j = 0; j < spec.ix.length; j++) {
        const x = spec.ix[j]!, y = spec.iy[j]!;
        const ph = -2 * Math.PI * (kx[x]! * x_A + ky[y]! * y_A), c = Math.cos(ph), s = Math.sin(ph);
        const br = spec.re[j]! * norm, bi = spec.im[j]! * norm, k = B + spectrumAt(p, x, y);
        F[k] = br * c - bi * s;
        F[k + p.im] = br * s + bi * c;
        cols.add(p.col[x]!);
      }
      return cols;
    }, (s, { F, B, plan: p }) => {
      if (recordAfter[r] !== s) return;
      // b = F[ψt]·P/n with |P| = 1 in the band: signal = Σ M|F[ψt]·P|²/n = n·Σ M|b|².
      for (let d = 0; d < nd; d++) {
        const { at, w } = p.masks[d]!, im = p.im;
        let sum = 0;
        for (let q = 0; q < at.length; q++) { const k = B + at[q]!; sum += w[q]! * (F[k]! * F[k]! + F[k + im]! * F[k + im]!); }
        out[r * nd + d]! += weight * n * sum;
      }
      r++;
    }, heap);
  }
  return out;
}
