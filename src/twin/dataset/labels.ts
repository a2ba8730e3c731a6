/**
 * Labels of a sample, rasterised into caller-owned buffers (no allocation per sample):
 *  - the column table: every column with matter whose label position lies in the image, with its position in pixels
 *    (where the column appears in the acquired image: rotation, scan distortion, drift and hum included; the random
 *    line jitter, which no label can predict, is not), sublattice, phase, site and species counts, occupancy;
 *  - per-pixel masks: `sublattice` = 1 + SiteRole of the nearest column with atoms within COLUMN_MASK_RADIUS_A
 *    (0 background), `phase` = phase of the nearest non-void column within PHASE_MASK_REACH_A (0 void/background);
 *  - Gaussian heat maps, one channel per sublattice (Li layer, M layer, O): the maximum over columns with atoms of
 *    exp(−d²/2σ²), σ = heatmapSigma_A, stored as IEEE half floats.
 * Radii are in Å of the nominal pixel size (the scan's few-% distortion of the disks is not modelled).
 */
import { SITE_LABELS } from '../../lattice/index.js';
import { PHASE_NAMES } from './phases.js';
import type { FrameColumns } from './specimen.js';
import { labelSimd } from './labels-simd.js';

/** Radius of a column's disk in the sublattice mask, Å. */
export const COLUMN_MASK_RADIUS_A = 0.45;
/** Largest distance from a column for a phase-mask pixel, Å (beyond: background 0). */
export const PHASE_MASK_REACH_A = 1.6;
/** Heat-map peaks are drawn out to this many σ. */
export const HEATMAP_REACH_SIGMA = 3.5;

/** Sublattice mask classes and heat-map channels. */
export const SUBLATTICE_CLASSES: readonly string[] = Object.freeze(['background', ...SITE_LABELS.map((s) => `${s} column`)]);
export const HEATMAP_CHANNELS: readonly string[] = Object.freeze(SITE_LABELS.map((s) => `${s} columns`));
/** Phase mask classes (0 = void or background). */
export const PHASE_CLASSES: readonly string[] = PHASE_NAMES;

/** Fields of a column-table row (the bundle's `columns` array and the CSV). */
export const COLUMN_FIELDS: readonly string[] = Object.freeze([
  'x_px', 'y_px', 'x_A', 'y_A', 'sublattice', 'phase', 'sites', 'matter', 'atoms', 'Li', 'O', 'Mn', 'Co', 'Ni', 'Ni0', 'Li2O', 'occupancy',
]);
export const COLUMN_FIELD_COUNT = COLUMN_FIELDS.length;

/** Columns of one sample to label (struct of arrays; the first n entries are used). */
export interface LabelColumns {
  n: number;
  /** Index of the column in the frame. */
  ref: Int32Array;
  /** Label position, px (image frame). */
  i_px: Float64Array;
  j_px: Float64Array;
  /** Position in the rotated field frame before scan distortion, Å (pixel (0, 0) at 0). */
  x_A: Float64Array;
  y_A: Float64Array;
}

/** Per-pixel label buffers of one sample (views into the caller's arrays). */
export interface LabelTargets {
  readonly sublattice: Uint8Array;
  readonly phase: Uint8Array;
  /** 3 channels × W·H half floats. */
  readonly heatmaps: Uint16Array;
}

/** Scratch of the rasteriser (reused). */
export class LabelScratch {
  /** `simd`: use the WebAssembly kernels of labels-simd.ts where available (the same bytes; default true). */
  constructor(readonly simd = true) {}
  bestSub = new Float32Array(0);
  bestPh = new Float32Array(0);
  heat = new Float32Array(0);
  heatBits = new Uint32Array(0);
  ex = new Float64Array(64);
  ey = new Float64Array(64);
  /** Phase bit sets of the cells of the uniform-neighbourhood grid, and of each cell's 3 × 3 neighbourhood. */
  cells = new Int32Array(0);
  around = new Int32Array(0);
  /** Grid cell of each labelled column (the first pass's, reused by the second). */
  cellOfColumn = new Int32Array(0);
  ensure(n: number): void {
    if (this.bestSub.length < n) {
      this.bestSub = new Float32Array(n);
      this.bestPh = new Float32Array(n);
      this.heat = new Float32Array(3 * n);
      this.heatBits = new Uint32Array(this.heat.buffer);
    }
  }
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** IEEE 754 half-precision bits of v (round half away from zero on the dropped bits; NaN kept). */
export function toHalf(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff, mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = mant | 0x800000, shift = 14 - e;
    return sign | ((m >> shift) + ((m >> (shift - 1)) & 1));
  }
  return (sign | (e << 10) | (mant >> 13)) + ((mant >> 12) & 1);
}

/** Rasterises masks and heat maps of `cols` (label positions in px) into `t` (W×H). */
export function rasterizeLabels(frame: FrameColumns, cols: LabelColumns, W: number, H: number, pixel_A: number, heatmapSigma_A: number, t: LabelTargets, s: LabelScratch): void {
  const n = W * H;
  s.ensure(n);
  const rSub = COLUMN_MASK_RADIUS_A / pixel_A, rPh = PHASE_MASK_REACH_A / pixel_A;
  const sig = heatmapSigma_A / pixel_A, rHeat = HEATMAP_REACH_SIGMA * sig, inv2s2 = 1 / (2 * sig * sig);
  const g = frame.geometry;
  if (s.ex.length < 2 * Math.ceil(rHeat) + 3) { s.ex = new Float64Array(2 * Math.ceil(rHeat) + 3); s.ey = new Float64Array(2 * Math.ceil(rHeat) + 3); }
  // The phase mask, its best distances and the float heat maps live in the WebAssembly kernels' memory when they are
  // used (bytes: ex, ey, phase, best, heat, half bits), else in the scratch and the targets.
  const simdK = s.simd ? labelSimd() : undefined;
  const cap = s.ex.length, atPh = 16 * cap, atBest = atPh + ((n + 15) & ~15), atHeat = atBest + 4 * n, atHalf = atHeat + 12 * n;
  let ex = s.ex, ey = s.ey, bestPh = s.bestPh, heat = s.heat, phaseOut = t.phase;
  if (simdK) {
    const need = atHalf + 6 * n;
    if (simdK.memory.buffer.byteLength < need) simdK.memory.grow(Math.ceil((need - simdK.memory.buffer.byteLength) / 65536));
    const m = simdK.memory.buffer;
    ex = new Float64Array(m, 0, cap); ey = new Float64Array(m, 8 * cap, cap);
    phaseOut = new Uint8Array(m, atPh, n); bestPh = new Float32Array(m, atBest, n); heat = new Float32Array(m, atHeat, 3 * n);
  }
  const bestSub = s.bestSub;
  bestSub.fill(Infinity, 0, n);
  bestPh.fill(Infinity, 0, n);
  heat.fill(0, 0, 3 * n);
  t.sublattice.fill(0);
  phaseOut.fill(0, 0, n);
  const rPh2 = rPh * rPh, rSub2 = rSub * rSub;
  const subOut = t.sublattice;
  // A column whose every labelled neighbour within 2·rPh has its own phase paints its phase disk without comparing
  // distances: any column nearer to one of its pixels than itself lies within 2·rPh of it, so that pixel's nearest
  // column has this phase whichever it is. Neighbourhoods are read from a grid of cells ≥ 2·rPh wide holding the set
  // of phases (bits) of the columns in each cell: all columns within 2·rPh lie in the 3 × 3 cells around a column's.
  const cs = Math.ceil(2 * rPh) + 1, gw = Math.ceil(W / cs) + 3, gh = Math.ceil(H / cs) + 3;
  if (s.cells.length < gw * gh) { s.cells = new Int32Array(gw * gh); s.around = new Int32Array(gw * gh); }
  if (s.cellOfColumn.length < cols.n) s.cellOfColumn = new Int32Array(Math.max(cols.n, 2 * s.cellOfColumn.length));
  const cells = s.cells, aroundOf = s.around, cellQ = s.cellOfColumn;
  cells.fill(0, 0, gw * gh);
  for (let q = 0; q < cols.n; q++) {
    const c = cols.ref[q]!;
    if (frame.matter[c] === 0) continue;
    const cx = Math.min(gw - 1, Math.max(0, Math.floor(cols.i_px[q]! / cs) + 1)), cy = Math.min(gh - 1, Math.max(0, Math.floor(cols.j_px[q]! / cs) + 1));
    cellQ[q] = cy * gw + cx;
    cells[cy * gw + cx]! |= 1 << frame.phase[c]!;
  }
  // Each cell's neighbourhood set once (the 3 × 3 cells around it, cut at the grid's edges), not once per column.
  for (let cy = 0; cy < gh; cy++) for (let cx = 0; cx < gw; cx++) {
    let around = 0;
    for (let y = Math.max(0, cy - 1); y <= Math.min(gh - 1, cy + 1); y++) for (let x = Math.max(0, cx - 1); x <= Math.min(gw - 1, cx + 1); x++) around |= cells[y * gw + x]!;
    aroundOf[cy * gw + cx] = around;
  }
  for (let q = 0; q < cols.n; q++) {
    const c = cols.ref[q]!;
    if (frame.matter[c] === 0) continue;
    const ci = cols.i_px[q]!, cj = cols.j_px[q]!;
    const hasAtoms = frame.atoms[c]! > 0;
    const role = g.role[c]!, phase = frame.phase[c]!;
    const uniform = aroundOf[cellQ[q]!] === 1 << phase;
    // Phase disk: rows of the disk's bounding box, each cut to its chord.
    if (simdK) simdK.phaseRows(atPh, atBest, W, H, ci, cj, rPh, rPh2, phase, uniform ? 1 : 0);
    else {
      const j0 = Math.max(0, Math.ceil(cj - rPh)), j1 = Math.min(H - 1, Math.floor(cj + rPh));
      for (let j = j0; j <= j1; j++) {
        const dy = j - cj, dy2 = dy * dy, row = j * W;
        // The chord {i : (i − ci)² + dy² ≤ rPh²}: from the square root, its ends settled by the exact test.
        const half = Math.sqrt(Math.max(0, rPh2 - dy2));
        let i0 = Math.ceil(ci - half), i1 = Math.floor(ci + half);
        while ((i0 - 1 - ci) * (i0 - 1 - ci) + dy2 <= rPh2) i0--;
        while (i0 <= i1 && (i0 - ci) * (i0 - ci) + dy2 > rPh2) i0++;
        while ((i1 + 1 - ci) * (i1 + 1 - ci) + dy2 <= rPh2) i1++;
        while (i1 >= i0 && (i1 - ci) * (i1 - ci) + dy2 > rPh2) i1--;
        if (i0 < 0) i0 = 0;
        if (i1 > W - 1) i1 = W - 1;
        if (uniform) {
          if (i0 <= i1) phaseOut.fill(phase, row + i0, row + i1 + 1);
          continue;
        }
        for (let i = i0; i <= i1; i++) {
          const dx = i - ci, d2 = dx * dx + dy2, k = row + i;
          if (d2 < bestPh[k]!) { bestPh[k] = d2; phaseOut[k] = phase; }
        }
      }
    }
    if (!hasAtoms) continue;
    // Sublattice disk (the masks are independent: the same result as one loop over both disks).
    {
      const j0 = Math.max(0, Math.ceil(cj - rSub)), j1 = Math.min(H - 1, Math.floor(cj + rSub));
      const i0 = Math.max(0, Math.ceil(ci - rSub)), i1 = Math.min(W - 1, Math.floor(ci + rSub));
      const cls = 1 + role;
      for (let j = j0; j <= j1; j++) {
        const dy = j - cj, dy2 = dy * dy, row = j * W;
        for (let i = i0; i <= i1; i++) {
          const dx = i - ci, d2 = dx * dx + dy2, k = row + i;
          if (d2 <= rSub2 && d2 < bestSub[k]!) { bestSub[k] = d2; subOut[k] = cls; }
        }
      }
    }
    // Heat map of the column's sublattice: separable Gaussian, maximum over columns.
    const h0 = Math.max(0, Math.ceil(ci - rHeat)), h1 = Math.min(W - 1, Math.floor(ci + rHeat));
    const v0 = Math.max(0, Math.ceil(cj - rHeat)), v1 = Math.min(H - 1, Math.floor(cj + rHeat));
    if (h0 > h1 || v0 > v1) continue;
    if (simdK) {
      // The factors by the kernel's two-lane form of Math.exp (the same bits), then the box.
      simdK.gaussFactors(0, h0, h1, ci, inv2s2);
      simdK.gaussFactors(8 * cap, v0, v1, cj, inv2s2);
      simdK.heatBox(atHeat + 4 * role * n, W, h0, h1, v0, v1, 0, 8 * cap);
      continue;
    }
    for (let i = h0; i <= h1; i++) ex[i - h0] = Math.exp(-(i - ci) * (i - ci) * inv2s2);
    for (let j = v0; j <= v1; j++) ey[j - v0] = Math.exp(-(j - cj) * (j - cj) * inv2s2);
    const base = role * n;
    for (let j = v0; j <= v1; j++) {
      const fy = ey[j - v0]!, row = base + j * W;
      for (let i = h0; i <= h1; i++) {
        const v = fy * ex[i - h0]!;
        if (v > heat[row + i]!) heat[row + i] = v;
      }
    }
  }
  if (simdK) {
    simdK.halfFromFloat(atHeat, atHalf, 3 * n);
    const m = simdK.memory.buffer;
    t.heatmaps.set(new Uint16Array(m, atHalf, 3 * n));
    t.phase.set(new Uint8Array(m, atPh, n));
  } else halfFromFloat(heat, s.heatBits, t.heatmaps, 3 * n);
}

/**
 * Half-float bits of non-negative finite float32 values ≤ 65504 (the heat maps: 0…1), from their bit patterns `bits`
 * (a Uint32Array view of `values`); the same rounding as toHalf, without a call per value.
 */
function halfFromFloat(values: Float32Array, bits: Uint32Array, out: Uint16Array, n: number): void {
  void values;
  for (let k = 0; k < n; k++) {
    const x = bits[k]!;
    // Below 2⁻²⁵ (exponent < 102): rounds to +0 (the common case: pixels far from every column).
    if (x < 0x33000000) { out[k] = 0; continue; }
    const exp = x >>> 23, mant = x & 0x7fffff;
    const e = exp - 112;
    if (e <= 0) {
      if (e < -10) { out[k] = 0; continue; }
      const m = mant | 0x800000, shift = 14 - e;
      out[k] = (m >> shift) + ((m >> (shift - 1)) & 1);
    } else out[k] = ((e << 10) | (mant >> 13)) + ((mant >> 12) & 1);
  }
}

/**
 * Writes the column table rows of `cols` that lie inside the image (label position in [−½, W−½) × [−½, H−½)) and
 * have matter into `out` (COLUMN_FIELD_COUNT floats per row, starting at row `row0`); returns the number of rows.
 */
export function columnRows(frame: FrameColumns, cols: LabelColumns, W: number, H: number, out: Float32Array, row0: number): number {
  let r = row0;
  const g = frame.geometry;
  for (let q = 0; q < cols.n; q++) {
    const c = cols.ref[q]!, i = cols.i_px[q]!, j = cols.j_px[q]!;
    if (frame.matter[c] === 0 || i < -0.5 || j < -0.5 || i >= W - 0.5 || j >= H - 0.5) continue;
    const o = r * COLUMN_FIELD_COUNT;
    if (o + COLUMN_FIELD_COUNT > out.length) throw new Error('internal: column table capacity exceeded');
    const e = 5 * c;
    out[o] = i; out[o + 1] = j; out[o + 2] = cols.x_A[q]!; out[o + 3] = cols.y_A[q]!;
    out[o + 4] = g.role[c]!; out[o + 5] = frame.phase[c]!; out[o + 6] = frame.sites[c]!; out[o + 7] = frame.matter[c]!; out[o + 8] = frame.atoms[c]!;
    out[o + 9] = frame.element[e]!; out[o + 10] = frame.element[e + 1]!; out[o + 11] = frame.element[e + 2]!; out[o + 12] = frame.element[e + 3]!;
    out[o + 13] = frame.element[e + 4]!; out[o + 14] = frame.ni0[c]!; out[o + 15] = frame.li2o[c]!;
    out[o + 16] = frame.matter[c]! > 0 ? frame.atoms[c]! / frame.matter[c]! : 0;
    r++;
  }
  return r - row0;
}

/** The column table as CSV (header + one row per column). */
export function columnsCsv(rows: Float32Array, count: number): string {
  const lines = [COLUMN_FIELDS.join(',')];
  for (let r = 0; r < count; r++) {
    const o = r * COLUMN_FIELD_COUNT;
    const v = (k: number): number => rows[o + k]!;
    lines.push([v(0).toFixed(3), v(1).toFixed(3), v(2).toFixed(4), v(3).toFixed(4), SITE_LABELS[v(4)], PHASE_NAMES[v(5)],
      ...[6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map((k) => String(v(k))), v(16).toFixed(4)].join(','));
  }
  return lines.join('\n') + '\n';
}
