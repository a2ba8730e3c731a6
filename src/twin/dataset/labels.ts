/**
 * Labels of a sample: the atomic columns in the field of view (projected position, sublattice, phase, species
 * counts and occupancy) and per-pixel masks (sublattice classes near column centres; phase by nearest column).
 */
import { SITE_LABELS, Species, type SiteLattice } from '../../lattice/index.js';
import { Phase } from './structure.js';

/** Columns in the field as struct of arrays. Positions are in the field frame (pixel (0,0) at 0 Å). */
export interface ColumnLabels {
  readonly n: number;
  readonly x_A: Float64Array;
  readonly y_A: Float64Array;
  /** Sublattice (SiteRole): 0 Li-layer, 1 M-layer, 2 O. */
  readonly sublattice: Uint8Array;
  /** Majority phase of the column's matter (Phase ids); 0 when more than half of the column is void. */
  readonly phase: Uint8Array;
  /** Sites along the beam (void included). */
  readonly sites: Uint16Array;
  /** Counts per species group: Li, Ni, Co, Mn, O. */
  readonly li: Uint16Array;
  readonly ni: Uint16Array;
  readonly co: Uint16Array;
  readonly mn: Uint16Array;
  readonly o: Uint16Array;
  /** Occupied fraction of the column's non-void sites (vacancies lower it), 0…1. */
  readonly occupancy: Float32Array;
}

/** Sublattice mask classes: 0 background, 1 Li-layer column, 2 M-layer column, 3 O column. */
export const SUBLATTICE_CLASSES: readonly string[] = ['background', ...SITE_LABELS.map((s) => `${s} column`)];

/**
 * Columns whose projected position lies in [x0, x0 + W·px) × [y0, y0 + H·px) (with `pad_A` extra, for masks), grouped by
 * projected position rounded to 0.05 Å (sites of one column share x, y exactly in the parent lattice; APB-shifted O
 * stay within 0.05 Å of their column's own position). Periodic box axes wrap.
 */
export function fieldColumns(L: SiteLattice, species: Uint8Array, phase: Uint8Array, x0: number, y0: number, fieldW_A: number, fieldH_A: number, pad_A = 0): ColumnLabels {
  const map = new Map<string, number>();
  const [Lx, Ly] = L.cell_A;
  const acc: { x: number; y: number; role: number[]; phase: number[]; sites: number; void: number; occ: number; c: number[] }[] = [];
  for (let t = 0; t < L.n; t++) {
    // Periodic box axes wrap (the image scan wraps too when the field reaches past the rounded cell).
    let x = L.position_A[3 * t]! - x0, y = L.position_A[3 * t + 1]! - y0;
    if (L.pbc[0]) x = ((((x + pad_A) % Lx) + Lx) % Lx) - pad_A;
    if (L.pbc[1]) y = ((((y + pad_A) % Ly) + Ly) % Ly) - pad_A;
    if (x < -pad_A || y < -pad_A || x >= fieldW_A + pad_A || y >= fieldH_A + pad_A) continue;
    const key = `${Math.round(x * 20)},${Math.round(y * 20)}`;
    let c = map.get(key);
    if (c === undefined) {
      c = acc.length;
      map.set(key, c);
      acc.push({ x, y, role: [0, 0, 0], phase: [0, 0, 0, 0], sites: 0, void: 0, occ: 0, c: [0, 0, 0, 0, 0] });
    }
    const a = acc[c]!;
    const s = species[t]!;
    a.sites++;
    a.role[L.role[t]!]!++;
    if (s === Species.VOID) { a.void++; continue; }
    a.phase[phase[t]!]!++;
    const g = s === Species.LI || s === Species.LI_LI2O ? 0 : s === Species.CO ? 2 : s === Species.MN ? 3 : s === Species.O ? 4
      : s === Species.NI2 || s === Species.NI3 || s === Species.NI4 || s === Species.NI0 ? 1 : -1;
    if (g >= 0) { a.c[g]!++; a.occ++; }
  }
  const n = acc.length;
  const out = {
    n, x_A: new Float64Array(n), y_A: new Float64Array(n), sublattice: new Uint8Array(n), phase: new Uint8Array(n), sites: new Uint16Array(n),
    li: new Uint16Array(n), ni: new Uint16Array(n), co: new Uint16Array(n), mn: new Uint16Array(n), o: new Uint16Array(n), occupancy: new Float32Array(n),
  };
  const argmax = (v: number[]): number => v.reduce((b, x, i) => (x > v[b]! ? i : b), 0);
  acc.forEach((a, i) => {
    out.x_A[i] = a.x; out.y_A[i] = a.y; out.sublattice[i] = argmax(a.role); out.sites[i] = a.sites;
    out.phase[i] = 2 * a.void > a.sites ? Phase.VOID : argmax(a.phase);
    [out.li[i], out.ni[i], out.co[i], out.mn[i], out.o[i]] = a.c as [number, number, number, number, number];
    out.occupancy[i] = a.sites > a.void ? a.occ / (a.sites - a.void) : 0;
  });
  return out;
}

/** Radius of a column's disk in the sublattice mask, Å. */
export const COLUMN_MASK_RADIUS_A = 0.45;
/** Largest distance from a column for a phase-mask pixel, Å (beyond: background 0). */
export const PHASE_MASK_REACH_A = 1.6;

/**
 * Per-pixel masks W×H (pixel i at x = i·px): `sublattice` = 1 + column sublattice within COLUMN_MASK_RADIUS_A of a
 * column with matter (nearest wins), else 0; `phase` = phase of the nearest column with matter within PHASE_MASK_REACH_A.
 */
export function labelMasks(cols: ColumnLabels, W: number, H: number, px_A: number): { sublattice: Uint8Array; phase: Uint8Array } {
  const sub = new Uint8Array(W * H), ph = new Uint8Array(W * H);
  const best = new Float32Array(W * H).fill(Infinity), bestSub = new Float32Array(W * H).fill(Infinity);
  const reach = Math.ceil(PHASE_MASK_REACH_A / px_A);
  for (let c = 0; c < cols.n; c++) {
    if (cols.occupancy[c] === 0 || cols.phase[c] === Phase.VOID) continue;
    const cx = cols.x_A[c]! / px_A, cy = cols.y_A[c]! / px_A;
    const i0 = Math.max(0, Math.floor(cx) - reach), i1 = Math.min(W - 1, Math.ceil(cx) + reach);
    const j0 = Math.max(0, Math.floor(cy) - reach), j1 = Math.min(H - 1, Math.ceil(cy) + reach);
    for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) {
      const d = Math.hypot(i - cx, j - cy) * px_A, k = j * W + i;
      if (d <= PHASE_MASK_REACH_A && d < best[k]!) { best[k] = d; ph[k] = cols.phase[c]!; }
      if (d <= COLUMN_MASK_RADIUS_A && d < bestSub[k]!) { bestSub[k] = d; sub[k] = 1 + cols.sublattice[c]!; }
    }
  }
  return { sublattice: sub, phase: ph };
}

/** The column table as CSV (header + one row per column; positions in Å and pixels of the field). */
export function columnsCsv(cols: ColumnLabels, px_A: number): string {
  const rows = ['x_px,y_px,x_A,y_A,sublattice,phase,sites,Li,Ni,Co,Mn,O,occupancy'];
  const phaseName = ['void', 'layered', 'rocksalt', 'NiO'];
  for (let c = 0; c < cols.n; c++) {
    rows.push([(cols.x_A[c]! / px_A).toFixed(3), (cols.y_A[c]! / px_A).toFixed(3), cols.x_A[c]!.toFixed(4), cols.y_A[c]!.toFixed(4),
      SITE_LABELS[cols.sublattice[c]!], phaseName[cols.phase[c]!], cols.sites[c], cols.li[c], cols.ni[c], cols.co[c], cols.mn[c], cols.o[c],
      cols.occupancy[c]!.toFixed(4)].join(','));
  }
  return rows.join('\n') + '\n';
}
