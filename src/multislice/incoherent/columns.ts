/**
 * Atomic columns along the beam (z): atoms grouped by projected position (x, y).
 */
import type { Atoms } from '../../lattice/atoms.js';

/** Columns as struct of arrays. Species content per column is a list of (Z, Σ occupancy). */
export interface Columns {
  readonly n: number;
  /** Column centre, Å (occupancy-weighted mean of member atoms). */
  readonly x_A: Float64Array;
  readonly y_A: Float64Array;
  /** Number of distinct atomic sites along z in the column. */
  readonly sites: Uint16Array;
  /** Site spacing along z, Å (smallest gap between consecutive sites, periodic in z; cell_z for a single site). */
  readonly spacing_A: Float64Array;
  /** Content: content[c] = [[Z, Σocc], …]. */
  readonly content: readonly (readonly [number, number])[][];
}

/**
 * Groups atoms whose projected positions lie within `tolerance_A` (default 0.3 Å) of each other
 * (cell periodic in x, y) into columns. Sites along z closer than 0.2 Å are one site (mixed occupancy).
 */
export function findColumns(atoms: Atoms, tolerance_A = 0.3): Columns {
  const [Lx, Ly, Lz] = atoms.cell_A;
  const cell = tolerance_A;
  const nbx = Math.max(1, Math.floor(Lx / cell)), nby = Math.max(1, Math.floor(Ly / cell));
  const bins = new Map<number, number[]>(); // bin → column ids
  const members: number[][] = [];
  const cx: number[] = [], cy: number[] = [];
  const wrapD = (d: number, L: number): number => d - L * Math.round(d / L);
  for (let i = 0; i < atoms.n; i++) {
    const x = atoms.positions_A[3 * i]!, y = atoms.positions_A[3 * i + 1]!;
    const bx = Math.floor((((x % Lx) + Lx) % Lx) / (Lx / nbx)), by = Math.floor((((y % Ly) + Ly) % Ly) / (Ly / nby));
    let found = -1;
    for (let dy = -1; dy <= 1 && found < 0; dy++) for (let dx = -1; dx <= 1 && found < 0; dx++) {
      const key = (((by + dy) % nby) + nby) % nby * nbx + ((((bx + dx) % nbx) + nbx) % nbx);
      for (const c of bins.get(key) ?? []) {
        if (Math.hypot(wrapD(x - cx[c]!, Lx), wrapD(y - cy[c]!, Ly)) < tolerance_A) { found = c; break; }
      }
    }
    if (found < 0) {
      found = members.length;
      members.push([]);
      cx.push(x); cy.push(y);
      const key = by * nbx + bx;
      const list = bins.get(key);
      if (list) list.push(found); else bins.set(key, [found]);
    }
    members[found]!.push(i);
  }
  const n = members.length;
  const out = { n, x_A: new Float64Array(n), y_A: new Float64Array(n), sites: new Uint16Array(n), spacing_A: new Float64Array(n), content: [] as [number, number][][] };
  for (let c = 0; c < n; c++) {
    const m = members[c]!;
    let sw = 0, sx = 0, sy = 0;
    const content = new Map<number, number>();
    for (const i of m) {
      const w = atoms.occupancy[i]! || 1e-9;
      sw += w;
      sx += w * wrapD(atoms.positions_A[3 * i]! - cx[c]!, Lx);
      sy += w * wrapD(atoms.positions_A[3 * i + 1]! - cy[c]!, Ly);
      content.set(atoms.Z[i]!, (content.get(atoms.Z[i]!) ?? 0) + atoms.occupancy[i]!);
    }
    out.x_A[c] = cx[c]! + sx / sw;
    out.y_A[c] = cy[c]! + sy / sw;
    const zs = m.map((i) => atoms.positions_A[3 * i + 2]!).sort((a, b) => a - b);
    const sites: number[] = [];
    for (const z of zs) if (sites.length === 0 || z - sites[sites.length - 1]! > 0.2) sites.push(z);
    out.sites[c] = sites.length;
    // The crystal's site spacing: the smallest gap between consecutive sites, the wrap-around gap included
    // (vacancies and pores only lengthen gaps).
    let gap = sites.length > 1 ? Lz - sites[sites.length - 1]! + sites[0]! : Lz;
    for (let k = 1; k < sites.length; k++) gap = Math.min(gap, sites[k]! - sites[k - 1]!);
    out.spacing_A[c] = gap;
    out.content.push([...content.entries()].sort((a, b) => a[0] - b[0]));
  }
  return out;
}
