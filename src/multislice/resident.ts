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
 */
import { type SimdKernels, pffftModule, pffftSetup, pffftSupports, simdKernelsFor } from '../core/fft/index.js';
import type { ComplexField } from './backend/types.js';
import type { MultisliceSetup, TransmissionStack } from './engine.js';
import type { Grid } from './grid.js';
import { apertureSpectrum } from './probe.js';
import { fftFrequencies_perA } from './grid.js';

/** Whether the resident loop runs this grid (PFFFT sizes on both axes). */
export function residentSupports(nx: number, ny: number): boolean {
  return pffftSupports(nx) && pffftSupports(ny);
}

export interface Plan {
  readonly key: string;
  readonly nx: number;
  readonly ny: number;
  /** Byte pointers: real-space wave [ny][nx], transposed spectrum [nx][ny], PFFFT work. */
  readonly pa: number;
  readonly pb: number;
  readonly pw: number;
  readonly sx: number;
  readonly sy: number;
  /** Band columns as ranges [x0, x1) of kx indices whose propagator column is not all zero. */
  readonly band: [number, number][];
  /** 1 for band columns kx (the only valid columns of the spectrum buffer), 0 elsewhere. */
  readonly inBand: Uint8Array;
  /** Non-band column ranges (zeroed before the inverse row pass). */
  readonly gaps: [number, number][];
  /** Propagator transposed [nx][ny], scaled by 1/(nx·ny) (so the inverse needs no extra scale). */
  readonly pr: Float32Array;
  readonly pi: Float32Array;
  /** Detector masks transposed [nx][ny]. */
  readonly masks: Float32Array[];
  /** WASM SIMD kernels for the multiplies and transposes (undefined: the TypeScript loops below run instead). */
  readonly simd?: SimdKernels;
  /** Heap copies for the SIMD path: the propagator interleaved and transposed (pp, bytes) and one slice's t (ptr, pti). */
  readonly pp: number;
  readonly ptr: number;
  readonly pti: number;
}

let plan: Plan | undefined;

function maskKey(m: Float32Array): number {
  let h = 0;
  for (let i = 0; i < m.length; i += 7) if (m[i] !== 0) h = (h * 31 + i) | 0;
  return h;
}

/** What the resident loop needs: the grid, the band-limited propagator, and detector masks (may be none). */
export interface ResidentJob {
  readonly grid: Grid;
  readonly propagator: ComplexField;
  readonly masks: readonly Float32Array[];
}

function planFor(setup: ResidentJob): Plan {
  const { nx, ny } = setup.grid;
  const P0 = setup.propagator;
  const key = JSON.stringify([setup.grid, P0.re[1], P0.im[1], P0.re[P0.re.length - 1], setup.masks.map(maskKey)]);
  if (plan?.key === key) return plan;
  const m = pffftModule()!;
  const n = nx * ny;
  let { pa = 0, pb = 0, pw = 0, pp = 0, ptr = 0, pti = 0 } = plan ?? {};
  if (!plan || plan.nx !== nx || plan.ny !== ny) {
    if (plan) for (const q of [plan.pa, plan.pb, plan.pw, plan.pp, plan.ptr, plan.pti]) m._pffft_aligned_free(q);
    pa = m._pffft_aligned_malloc(8 * n);
    pb = m._pffft_aligned_malloc(8 * n);
    pw = m._pffft_aligned_malloc(8 * Math.max(nx, ny));
    pp = m._pffft_aligned_malloc(8 * n);
    ptr = m._pffft_aligned_malloc(4 * n);
    pti = m._pffft_aligned_malloc(4 * n);
  }
  const P = setup.propagator;
  const inBand = new Uint8Array(nx);
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) if (P.re[y * nx + x] !== 0 || P.im[y * nx + x] !== 0) inBand[x] = 1;
  const ranges = (want: number): [number, number][] => {
    const out: [number, number][] = [];
    for (let x = 0; x < nx; x++) {
      if (inBand[x] !== want) continue;
      const last = out[out.length - 1];
      if (last && last[1] === x) last[1] = x + 1; else out.push([x, x + 1]);
    }
    return out;
  };
  const pr = new Float32Array(n), pi = new Float32Array(n);
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) { pr[x * ny + y] = P.re[y * nx + x]! / n; pi[x * ny + y] = P.im[y * nx + x]! / n; }
  const masks = setup.masks.map((mk) => {
    const t = new Float32Array(n);
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) t[x * ny + y] = mk[y * nx + x]!;
    return t;
  });
  const simd = ny % 8 === 0 ? simdKernelsFor(m.memory) : undefined;
  const sx = pffftSetup(nx), sy = pffftSetup(ny);
  const H = m.HEAPF32, P2 = pp >> 2;
  for (let i = 0; i < n; i++) { H[P2 + 2 * i] = pr[i]!; H[P2 + 2 * i + 1] = pi[i]!; }
  plan = { key, nx, ny, pa, pb, pw, sx, sy, band: ranges(1), inBand, gaps: ranges(0), pr, pi, masks, simd, pp, ptr, pti };
  return plan;
}

const TILE = 16;

/** Blocked transpose of complex (one float64 per re, im pair) columns [x0, x1) of src [h][w] into dst [w][h]. */
function transposeCols(D: Float64Array, src: number, dst: number, w: number, h: number, x0: number, x1: number): void {
  for (let y0 = 0; y0 < h; y0 += TILE) {
    const y1 = Math.min(h, y0 + TILE);
    for (let xb = x0; xb < x1; xb += TILE) {
      const xe = Math.min(x1, xb + TILE);
      for (let y = y0; y < y1; y++) {
        const s = src + y * w;
        for (let x = xb; x < xe; x++) D[dst + x * h + y] = D[s + x]!;
      }
    }
  }
}

/** Inverse of transposeCols: rows [x0, x1) of src [w][h] back into columns of dst [h][w]. */
function untransposeCols(D: Float64Array, src: number, dst: number, w: number, h: number, x0: number, x1: number): void {
  for (let xb = x0; xb < x1; xb += TILE) {
    const xe = Math.min(x1, xb + TILE);
    for (let y0 = 0; y0 < h; y0 += TILE) {
      const y1 = Math.min(h, y0 + TILE);
      for (let x = xb; x < xe; x++) {
        const s = src + x * h;
        for (let y = y0; y < y1; y++) D[dst + y * w + x] = D[s + y]!;
      }
    }
  }
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
 */
export function propagateResident(job: ResidentJob, stack: TransmissionStack, nSlices: number, init: (st: ResidentState) => Iterable<number>, visit: (s: number, st: ResidentState) => void): void {
  const { nx, ny } = job.grid;
  const n = nx * ny;
  const p = planFor(job);
  const m = pffftModule()!;
  const F = m.HEAPF32, D = m.HEAPF64;
  const A = p.pa >> 2, B = p.pb >> 2, Ad = p.pa >> 3, Bd = p.pb >> 3;
  const st: ResidentState = { F, B, plan: p };
  const tr = stack.re, ti = stack.im, pr = p.pr, pi = p.pi;
  for (const [x0, x1] of p.band) F.fill(0, B + 2 * x0 * ny, B + 2 * x1 * ny);
  for (const x of init(st)) { const q = p.pb + 8 * ny * x; m._pffft_transform_ordered(p.sy, q, q, p.pw, 1); }
  inverseRest(p, m, F, D, A, Ad, Bd);
  for (let s = 0; s < nSlices; s++) {
    const off = s * n;
    const K = p.simd;
    if (K) {
      F.set(tr.subarray(off, off + n), p.ptr >> 2);
      F.set(ti.subarray(off, off + n), p.pti >> 2);
      K.cmulPlanar(p.pa, p.ptr, p.pti, n);
    } else {
      for (let i = 0, k = A; i < n; i++, k += 2) {
        const u = F[k]!, v = F[k + 1]!, t1 = tr[off + i]!, t2 = ti[off + i]!;
        F[k] = u * t1 - v * t2;
        F[k + 1] = u * t2 + v * t1;
      }
    }
    for (let y = 0; y < ny; y++) { const q = p.pa + 8 * nx * y; m._pffft_transform_ordered(p.sx, q, q, p.pw, 0); }
    for (const [x0, x1] of p.band) {
      if (K) K.transposeW(p.pa + 8 * x0, p.pb + 8 * x0 * ny, nx, ny, ny, x1 - x0);
      else transposeCols(D, Ad, Bd, nx, ny, x0, x1);
      for (let x = x0; x < x1; x++) { const q = p.pb + 8 * ny * x; m._pffft_transform_ordered(p.sy, q, q, p.pw, 0); }
      if (K) K.cmul(p.pb + 8 * x0 * ny, p.pp + 8 * x0 * ny, (x1 - x0) * ny);
      else {
        for (let i = x0 * ny, k = B + 2 * x0 * ny, e = x1 * ny; i < e; i++, k += 2) {
          const u = F[k]!, v = F[k + 1]!, p1 = pr[i]!, p2 = pi[i]!;
          F[k] = u * p1 - v * p2;
          F[k + 1] = u * p2 + v * p1;
        }
      }
    }
    visit(s, st);
    if (s < nSlices - 1) {
      for (const [x0, x1] of p.band) for (let x = x0; x < x1; x++) { const q = p.pb + 8 * ny * x; m._pffft_transform_ordered(p.sy, q, q, p.pw, 1); }
      inverseRest(p, m, F, D, A, Ad, Bd);
    }
  }
}

/**
 * Runs the probe at (x_A, y_A) through the stack on the resident loop. Returns the detector signals (fraction of the
 * incident beam) laid out [recordIndex][detector], as runProbePosition does.
 */
export function runProbeResident(setup: MultisliceSetup, stack: TransmissionStack, x_A: number, y_A: number): Float64Array {
  const { grid, nSlices, recordAfter } = setup;
  const { nx, ny } = grid;
  const n = nx * ny;
  const nd = setup.masks.length;
  const out = new Float64Array(recordAfter.length * nd);
  const kx = fftFrequencies_perA(nx, grid.extentX_A), ky = fftFrequencies_perA(ny, grid.extentY_A);
  for (const { dC10_A, weight } of setup.focal) {
    let r = 0;
    propagateResident(setup, stack, nSlices, ({ F, B }) => {
      // Probe spectrum A(k)·exp(−iχ)·exp(−2πi k·r0) on the aperture's pixels, scaled so that the unnormalised inverse
      // gives Σ|ψ|² = 1: |Ψ| = 1/√(n·count) there (Parseval).
      const spec = apertureSpectrum(grid, setup.optics, dC10_A);
      const norm = 1 / Math.sqrt(n * spec.ix.length);
      const cols = new Set<number>();
      for (let j = 0; j < spec.ix.length; j++) {
        const x = spec.ix[j]!, y = spec.iy[j]!;
        const ph = -2 * Math.PI * (kx[x]! * x_A + ky[y]! * y_A), c = Math.cos(ph), s = Math.sin(ph);
        const br = spec.re[j]! * norm, bi = spec.im[j]! * norm, k = B + 2 * (x * ny + y);
        F[k] = br * c - bi * s;
        F[k + 1] = br * s + bi * c;
        cols.add(x);
      }
      return cols;
    }, (s, { F, B, plan: p }) => {
      if (recordAfter[r] !== s) return;
      // b = F[ψt]·P/n with |P| = 1 in the band: signal = Σ M|F[ψt]·P|²/n = n·Σ M|b|².
      for (let d = 0; d < nd; d++) {
        const mk = p.masks[d]!;
        let sum = 0;
        for (const [x0, x1] of p.band) {
          for (let i = x0 * ny, k = B + 2 * x0 * ny, e = x1 * ny; i < e; i++, k += 2) {
            const w = mk[i]!;
            if (w !== 0) sum += w * (F[k]! * F[k]! + F[k + 1]! * F[k + 1]!);
          }
        }
        out[r * nd + d]! += weight * n * sum;
      }
      r++;
    });
  }
  return out;
}

/** After the column inverses: band columns back to real-space rows, other columns zeroed, inverse row pass. */
function inverseRest(p: Plan, m: NonNullable<ReturnType<typeof pffftModule>>, F: Float32Array, D: Float64Array, A: number, Ad: number, Bd: number): void {
  const { nx, ny } = p;
  for (const [x0, x1] of p.band) {
    if (p.simd) p.simd.transposeR(p.pb + 8 * x0 * ny, p.pa + 8 * x0, ny, nx, ny, x1 - x0);
    else untransposeCols(D, Bd, Ad, nx, ny, x0, x1);
  }
  for (const [x0, x1] of p.gaps) for (let y = 0; y < ny; y++) F.fill(0, A + 2 * (y * nx + x0), A + 2 * (y * nx + x1));
  for (let y = 0; y < ny; y++) { const q = p.pa + 8 * nx * y; m._pffft_transform_ordered(p.sx, q, q, p.pw, 1); }
}
