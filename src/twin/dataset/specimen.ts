/**
 * Projected columns of a lattice (beam along box z) and their content in one species snapshot.
 *
 * `columnGeometry` groups the sites once per lattice (sites of one column share x, y on the parent lattice;
 * APB-shifted O sit ≥ 0.2 Å away and form their own columns): positions, sublattice, site spacing along the beam.
 * `frameColumns` counts, per column and snapshot, the species (by element group), the atoms, the non-void sites and
 * the majority phase: what the labels and the image need. A KMC trajectory pays the geometry once for all its frames.
 */
import { type SiteLattice, Species } from '../../lattice/index.js';
import { PHASE_NAMES, Phase } from './phases.js';

/** Columns of a lattice (struct of arrays) and the CSR list of their sites (sorted by z). */
export interface ColumnGeometry {
  readonly n: number;
  /** Column position in the periodic cell, Å. */
  readonly x_A: Float64Array;
  readonly y_A: Float64Array;
  /** Sublattice role (SiteRole: 0 Li layer, 1 M layer, 2 O) of the column's sites (the majority, for mixed ones). */
  readonly role: Uint8Array;
  /** Smallest gap between consecutive sites along the beam, Å (the crystal's site spacing). */
  readonly spacing_A: Float64Array;
  readonly start: Int32Array;
  readonly sites: Int32Array;
  /** Periodic cell in the image plane, Å. */
  readonly cell_A: readonly [number, number];
}

/** Groups the sites of `L` into projected columns (positions rounded to 0.05 Å). */
export function columnGeometry(L: SiteLattice): ColumnGeometry {
  const key = new Map<number, number>();
  const col = new Int32Array(L.n);
  let n = 0;
  const sx: number[] = [], sy: number[] = [];
  for (let t = 0; t < L.n; t++) {
    const x = L.position_A[3 * t]!, y = L.position_A[3 * t + 1]!;
    const k = Math.round(x * 20) * 1048576 + Math.round(y * 20);
    let c = key.get(k);
    if (c === undefined) { c = n++; key.set(k, c); sx.push(x); sy.push(y); }
    col[t] = c;
  }
  const start = new Int32Array(n + 1);
  for (let t = 0; t < L.n; t++) start[col[t]! + 1]!++;
  for (let c = 0; c < n; c++) start[c + 1]! += start[c]!;
  const fill = start.slice(0, n);
  const sites = new Int32Array(L.n);
  for (let t = 0; t < L.n; t++) sites[fill[col[t]!]!++] = t;
  const role = new Uint8Array(n), spacing = new Float64Array(n);
  const votes = [0, 0, 0];
  const P = L.position_A;
  for (let c = 0; c < n; c++) {
    const a = start[c]!, b = start[c + 1]!;
    // Insertion sort by z (a column holds tens of sites).
    for (let i = a + 1; i < b; i++) {
      const t = sites[i]!, z = P[3 * t + 2]!;
      let j = i - 1;
      while (j >= a && P[3 * sites[j]! + 2]! > z) { sites[j + 1] = sites[j]!; j--; }
      sites[j + 1] = t;
    }
    votes.fill(0);
    let gap = Infinity;
    for (let i = a; i < b; i++) {
      votes[L.role[sites[i]!]!]!++;
      if (i > a) gap = Math.min(gap, P[3 * sites[i]! + 2]! - P[3 * sites[i - 1]! + 2]!);
    }
    role[c] = votes[0]! >= votes[1]! && votes[0]! >= votes[2]! ? 0 : votes[1]! >= votes[2]! ? 1 : 2;
    spacing[c] = Number.isFinite(gap) ? gap : L.cell_A[2];
  }
  return { n, x_A: Float64Array.from(sx), y_A: Float64Array.from(sy), role, spacing_A: spacing, start, sites, cell_A: [L.cell_A[0], L.cell_A[1]] };
}

/** Lattices whose geometry was grouped last (bit copies of their positions and roles), most recent last. */
const recentGeometries: { readonly pos: Buffer; readonly role: Buffer; readonly cell: readonly [number, number, number]; readonly g: ColumnGeometry }[] = [];
/** Geometries remembered per thread. */
const RECENT_GEOMETRIES = 4;

/**
 * columnGeometry(L), reusing the result for a lattice with bit-identical positions, roles and cell (the same inputs,
 * so the same geometry): the synthetic specimens of one zone and thickness share their lattice unless an APB moves
 * sites. Costs a comparison of the arrays against the last few lattices.
 */
export function cachedColumnGeometry(L: SiteLattice): ColumnGeometry {
  const pos = Buffer.from(L.position_A.buffer, L.position_A.byteOffset, 24 * L.n), role = Buffer.from(L.role.buffer, L.role.byteOffset, L.n);
  for (let r = recentGeometries.length - 1; r >= 0; r--) {
    const e = recentGeometries[r]!;
    if (e.role.length !== L.n || e.cell[0] !== L.cell_A[0] || e.cell[1] !== L.cell_A[1] || e.cell[2] !== L.cell_A[2] || !pos.equals(e.pos) || !role.equals(e.role)) continue;
    recentGeometries.splice(r, 1);
    recentGeometries.push(e);
    return e.g;
  }
  const g = columnGeometry(L);
  if (recentGeometries.length >= RECENT_GEOMETRIES) recentGeometries.shift();
  recentGeometries.push({ pos: Buffer.from(pos), role: Buffer.from(role), cell: [L.cell_A[0], L.cell_A[1], L.cell_A[2]], g });
  return g;
}

/** Element groups counted per column (ascending Z, the order the composition rule expects). */
export const COLUMN_ELEMENTS = [3, 8, 25, 27, 28] as const;

/** Content of the columns in one snapshot. */
export interface FrameColumns {
  readonly geometry: ColumnGeometry;
  /** Atoms per element group (COLUMN_ELEMENTS order: Li, O, Mn, Co, Ni), interleaved 5 per column. */
  readonly element: Uint16Array;
  /** Ni⁰ atoms and Li in Li2O (subsets of Ni and Li). */
  readonly ni0: Uint16Array;
  readonly li2o: Uint16Array;
  /** Atoms (occupied sites) and non-void sites (atoms + vacancies). */
  readonly atoms: Uint16Array;
  readonly matter: Uint16Array;
  /** Sites (void included). */
  readonly sites: Uint16Array;
  /** Majority phase of the non-void sites (Phase ids; VOID when the column has no non-void site). */
  readonly phase: Uint8Array;
}

const GROUP: Int8Array = (() => {
  const g = new Int8Array(16).fill(-1);
  g[Species.LI] = 0; g[Species.LI_LI2O] = 0; g[Species.O] = 1; g[Species.MN] = 2; g[Species.CO] = 3;
  g[Species.NI2] = 4; g[Species.NI3] = 4; g[Species.NI4] = 4; g[Species.NI0] = 4;
  return g;
})();

/** Counts the content of every column in the snapshot `species` with per-site phases `phase`. */
export function frameColumns(geometry: ColumnGeometry, species: Uint8Array, phase: Uint8Array): FrameColumns {
  const n = geometry.n;
  const element = new Uint16Array(5 * n), ni0 = new Uint16Array(n), li2o = new Uint16Array(n), atoms = new Uint16Array(n), matter = new Uint16Array(n);
  const sites = new Uint16Array(n), ph = new Uint8Array(n);
  const votes = new Int32Array(PHASE_NAMES.length);
  for (let c = 0; c < n; c++) {
    votes.fill(0);
    const a = geometry.start[c]!, b = geometry.start[c + 1]!;
    sites[c] = b - a;
    for (let q = a; q < b; q++) {
      const t = geometry.sites[q]!;
      const s = species[t]!;
      if (s === Species.VOID) continue;
      matter[c]!++;
      votes[phase[t]!]!++;
      const g = GROUP[s]!;
      if (g < 0) continue;
      element[5 * c + g]!++;
      atoms[c]!++;
      if (s === Species.NI0) ni0[c]!++;
      else if (s === Species.LI_LI2O) li2o[c]!++;
    }
    let best = 0;
    for (let p = 1; p < votes.length; p++) if (votes[p]! > votes[best]!) best = p;
    ph[c] = matter[c]! > 0 ? best : Phase.VOID;
  }
  return { geometry, element, ni0, li2o, atoms, matter, sites, phase: ph };
}
