/**
 * Synthetic ground truth for the image analysis: a small NCM851005 [210] lamella with a nanopore and an APB
 * (src/lattice), imaged with the calibrated incoherent HAADF model exactly as `cathode-twin image --mode incoherent`
 * does (src/multislice simulateIncoherent), then sampled into frames in any orientation with drift, and Poisson noise at
 * a dose. Every column is known (src/twin/dataset fieldColumns).
 */
import { Rng, sampleBilinear } from '../../src/core/index.js';
import { buildLamella, toAtoms, type Lamella } from '../../src/lattice/index.js';
import { buildColumnModel, SEED_MICROSCOPE, simulateIncoherent } from '../../src/multislice/index.js';
import { columnGeometry, frameColumns } from '../../src/twin/dataset/specimen.js';

/** The specimen: its periodic ideal image on a fine grid and its columns (Å, cell coordinates). */
export interface Specimen {
  readonly lamella: Lamella;
  readonly fine: Float32Array;
  readonly fw: number;
  readonly fh: number;
  /** Fine pixel size (x, y), Å; the image is periodic over the cell. */
  readonly fpx: number;
  readonly fpy: number;
  readonly cell_A: [number, number];
  /** Columns: position, role (0 Li-layer, 1 M-layer, 2 O), TM atoms, sites. */
  readonly cols: { x: Float64Array; y: Float64Array; role: Uint8Array; tm: Uint16Array; sites: Uint16Array; n: number };
}

/** The imaging of the specimen: the seed microscope, 0.05 Å output pixels (frames are drawn from it). */
const OPTICS = { energy_eV: SEED_MICROSCOPE.energy_eV, semiangle_mrad: SEED_MICROSCOPE.semiangle_mrad, detector: SEED_MICROSCOPE.detector, sampling_A: 0.04, sliceThickness_A: 2, scanStep_A: 0.05, seed: 1 };

/**
 * The incoherent model's true cross-sections (Å², calibrated by multislice): mean Li-layer over mean M-layer columns
 * with every site present and ≥ `far_A` from the cell centre (the pore), i.e. the bulk's true Li/M cross-section ratio.
 */
export function trueLiMRatio(s: Specimen, far_A = 25): number {
  const model = buildColumnModel(toAtoms(s.lamella.lattice, s.lamella.lattice.species), OPTICS);
  let li = 0, nl = 0, m = 0, nm = 0;
  const key = (x: number, y: number): string => `${Math.round(x * 20)},${Math.round(y * 20)}`;
  const role = new Map<string, number>();
  const full = Math.max(...s.cols.sites);
  for (let i = 0; i < s.cols.n; i++) if (s.cols.sites[i]! === full) role.set(key(s.cols.x[i]!, s.cols.y[i]!), s.cols.role[i]!);
  for (let c = 0; c < model.cols.n; c++) {
    const x = model.cols.x_A[c]!, y = model.cols.y_A[c]!;
    const r = role.get(key(x, y));
    if (r === undefined || Math.hypot(x - s.cell_A[0] / 2, y - s.cell_A[1] / 2) < far_A) continue;
    if (r === 0) { li += model.crossSection_A2[c]!; nl++; } else if (r === 1) { m += model.crossSection_A2[c]!; nm++; }
  }
  return li / nl / (m / nm);
}

/** Builds and images the specimen (≈ a few s: the incoherent model calibrates its columns by multislice once). */
export async function makeSpecimen(o: { mixing?: number; seed?: number; thickness_A?: number; size_A?: [number, number] } = {}): Promise<Specimen> {
  const [sx, sy] = o.size_A ?? [64, 48];
  const lamella = buildLamella({
    zone: '210', size_A: [sx, sy], thickness_A: o.thickness_A ?? 60, pore: { radius_A: [(14 * sx) / 64, (10 * sy) / 48, 0.4 * (o.thickness_A ?? 60)], shape: 'ellipsoid' }, apb: { plane: '1 -2 0' },
    mixing: o.mixing ?? 0.03, seed: o.seed ?? 3, pbc: [true, true, true],
  });
  const img = await simulateIncoherent(toAtoms(lamella.lattice, lamella.lattice.species), OPTICS);
  const L = lamella.lattice;
  const geo = columnGeometry(L), c = frameColumns(geo, L.species, new Uint8Array(L.n));
  // Transition-metal atoms per column: Mn, Co, Ni of the element groups (Li, O, Mn, Co, Ni).
  const tm = Uint16Array.from({ length: geo.n }, (_, i) => c.element[5 * i + 2]! + c.element[5 * i + 3]! + c.element[5 * i + 4]!);
  return {
    lamella, fine: img.data, fw: img.width, fh: img.height, fpx: img.sampling_A, fpy: img.samplingY_A, cell_A: [L.cell_A[0], L.cell_A[1]],
    cols: { x: geo.x_A, y: geo.y_A, role: geo.role, tm, sites: c.sites, n: geo.n },
  };
}

/** Frame geometry: pixel size, size, rotation θ (rad, of the specimen in the frame) and drift (px). */
export interface FrameGeometry { px_A: number; W: number; H: number; theta: number; drift_px: [number, number] }

/** Frame pixel (u, v) → specimen point (Å): X = c_cell + R(−θ)·((u, v) − drift − c_frame)·px. */
function toSpecimen(g: FrameGeometry, s: Specimen, u: number, v: number): [number, number] {
  const dx = (u - g.drift_px[0] - (g.W - 1) / 2) * g.px_A, dy = (v - g.drift_px[1] - (g.H - 1) / 2) * g.px_A;
  const c = Math.cos(g.theta), sn = Math.sin(g.theta);
  return [s.cell_A[0] / 2 + c * dx + sn * dy, s.cell_A[1] / 2 - sn * dx + c * dy];
}

/** Specimen point (Å) → frame pixel: the inverse of toSpecimen. */
function toFrame(g: FrameGeometry, s: Specimen, X: number, Y: number): [number, number] {
  const dx = X - s.cell_A[0] / 2, dy = Y - s.cell_A[1] / 2;
  const c = Math.cos(g.theta), sn = Math.sin(g.theta);
  return [(c * dx - sn * dy) / g.px_A + (g.W - 1) / 2 + g.drift_px[0], (sn * dx + c * dy) / g.px_A + (g.H - 1) / 2 + g.drift_px[1]];
}

/** The ideal frame (fraction of the beam): the periodic specimen image sampled at the frame's pixels. */
export function idealFrame(s: Specimen, g: FrameGeometry): Float32Array {
  const out = new Float32Array(g.W * g.H);
  for (let v = 0; v < g.H; v++) for (let u = 0; u < g.W; u++) {
    const [X, Y] = toSpecimen(g, s, u, v);
    out[v * g.W + u] = sampleBilinear(s.fine, s.fw, s.fh, X / s.fpx, Y / s.fpy, true);
  }
  return out;
}

/** Poisson noise at `dose` e/Å² (fraction of the beam in, fraction out). */
export function noisy(f: Float32Array, px_A: number, dose: number, seed: number): Float32Array {
  const e = dose * px_A * px_A, rng = Rng.stream(seed, 11);
  return Float32Array.from(f, (v) => rng.poisson(Math.max(0, v) * e) / e);
}

/** True columns in the frame (px), periodic images included. */
export function truthInFrame(s: Specimen, g: FrameGeometry): { u: Float64Array; v: Float64Array; role: Uint8Array; tm: Uint16Array; sites: Uint16Array; n: number } {
  const u: number[] = [], v: number[] = [], role: number[] = [], tm: number[] = [], sites: number[] = [];
  const [Lx, Ly] = s.cell_A;
  for (let i = 0; i < s.cols.n; i++) for (let a = -2; a <= 2; a++) for (let b = -2; b <= 2; b++) {
    const [fu, fv] = toFrame(g, s, s.cols.x[i]! + a * Lx, s.cols.y[i]! + b * Ly);
    if (fu < -0.5 || fv < -0.5 || fu > g.W - 0.5 || fv > g.H - 0.5) continue;
    u.push(fu); v.push(fv); role.push(s.cols.role[i]!); tm.push(s.cols.tm[i]!); sites.push(s.cols.sites[i]!);
  }
  return { u: Float64Array.from(u), v: Float64Array.from(v), role: Uint8Array.from(role), tm: Uint16Array.from(tm), sites: Uint16Array.from(sites), n: u.length };
}

/** Scores found columns (px) against the truth: M recall/precision, M position r.m.s. (Å), sublattice accuracy. */
export function score(found: { x: Float64Array; y: Float64Array; sublattice: Uint8Array; detected: Uint8Array; edge: Uint8Array; n: number }, t: ReturnType<typeof truthInFrame>, px_A: number, W: number, H: number) {
  const margin = 4;
  const inside = (x: number, y: number): boolean => x >= margin && y >= margin && x <= W - 1 - margin && y <= H - 1 - margin;
  const cell = 4;
  const grid = new Map<number, number[]>();
  const key = (x: number, y: number): number => Math.floor(y / cell) * 10000 + Math.floor(x / cell);
  for (let i = 0; i < t.n; i++) { const k = key(t.u[i]!, t.v[i]!); const l = grid.get(k); if (l) l.push(i); else grid.set(k, [i]); }
  const nearest = (x: number, y: number): [number, number] => {
    let b = -1, bd = Infinity;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) for (const i of grid.get(key(x + dx * cell, y + dy * cell)) ?? []) {
      const d = Math.hypot(t.u[i]! - x, t.v[i]! - y);
      if (d < bd) { bd = d; b = i; }
    }
    return [b, bd * px_A];
  };
  const isM = (i: number): boolean => t.role[i] === 1 && 2 * t.tm[i]! >= t.sites[i]!;
  let subOk = 0, subN = 0, mFound = 0, mTrueHit = 0, se = 0, sn = 0;
  const hit = new Uint8Array(t.n);
  for (let i = 0; i < found.n; i++) {
    if (!inside(found.x[i]!, found.y[i]!)) continue;
    const [k, d] = nearest(found.x[i]!, found.y[i]!);
    const matched = k >= 0 && d <= 0.5;
    if (matched) { subN++; if (t.role[k] === found.sublattice[i]) subOk++; }
    if (found.sublattice[i] === 1 && found.detected[i]) {
      mFound++;
      if (matched && t.role[k] === 1 && t.tm[k]! >= 1) mTrueHit++;
      if (matched && isM(k)) { hit[k] = 1; se += d * d; sn++; }
    }
  }
  let mTrue = 0, mRecalled = 0;
  for (let k = 0; k < t.n; k++) if (isM(k) && inside(t.u[k]!, t.v[k]!)) { mTrue++; if (hit[k]) mRecalled++; }
  return { recall: mRecalled / mTrue, precision: mFound ? mTrueHit / mFound : NaN, rms_A: Math.sqrt(se / sn), sublattice: subOk / subN, mTrue, mFound };
}
