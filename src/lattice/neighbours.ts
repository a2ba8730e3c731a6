/**
 * Site lookup by integer coordinates and neighbour lists (CSR) on a SiteLattice, built in O(n).
 *
 * `SiteIndex` is an open-addressing hash of (i,j,k) → site (Int32Array, ~8 bytes per site) that
 * wraps coordinates exactly across periodic box faces by subtracting whole supercell rows.
 * Across free faces (the lamella surfaces, box z by default) there is no neighbour.
 */
import { boxInverse, type SiteLattice } from './siteLattice.js';
import { FIRST_SHELL, SECOND_SHELL } from './parent.js';

function hash3(i: number, j: number, k: number): number {
  return (Math.imul(i, 73856093) ^ Math.imul(j, 19349663) ^ Math.imul(k, 83492791)) >>> 0;
}

/** Exact (i,j,k) → site index lookup with periodic wrapping. */
export class SiteIndex {
  private readonly table: Int32Array;
  private readonly mask: number;
  private readonly A: Int32Array;
  private readonly D: number;

  constructor(private readonly lattice: SiteLattice) {
    let size = 1;
    while (size < 2 * lattice.n) size <<= 1;
    this.table = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    const { A, D } = boxInverse(lattice.supercell);
    this.A = A;
    this.D = D;
    const ijk = lattice.ijk;
    for (let t = 0; t < lattice.n; t++) {
      let h = hash3(ijk[3 * t]!, ijk[3 * t + 1]!, ijk[3 * t + 2]!) & this.mask;
      while (this.table[h]! !== -1) h = (h + 1) & this.mask;
      this.table[h] = t;
    }
  }

  /** Site at exactly (i,j,k) in the stored coordinates, or −1. */
  findExact(i: number, j: number, k: number): number {
    const ijk = this.lattice.ijk;
    let h = hash3(i, j, k) & this.mask;
    for (;;) {
      const t = this.table[h]!;
      if (t === -1) return -1;
      if (ijk[3 * t] === i && ijk[3 * t + 1] === j && ijk[3 * t + 2] === k) return t;
      h = (h + 1) & this.mask;
    }
  }

  /**
   * Site at (i,j,k) after wrapping along periodic box axes, or −1 when it lies beyond a free face.
   * Exact: uses integer box numerators f·D.
   */
  find(i: number, j: number, k: number): number {
    const { A, D, lattice } = this;
    const sc = lattice.supercell;
    let wi = i;
    let wj = j;
    let wk = k;
    for (let a = 0; a < 3; a++) {
      const num = A[3 * a]! * i + A[3 * a + 1]! * j + A[3 * a + 2]! * k;
      if (num >= 0 && num < D) continue;
      if (!lattice.pbc[a]) return -1;
      const m = Math.floor(num / D);
      wi -= m * sc[3 * a]!;
      wj -= m * sc[3 * a + 1]!;
      wk -= m * sc[3 * a + 2]!;
    }
    return this.findExact(wi, wj, wk);
  }
}

/** Neighbour list in compressed sparse rows. */
export interface NeighbourList {
  /** Row starts, length n+1: neighbours of site t are indices[offsets[t] .. offsets[t+1]). */
  readonly offsets: Int32Array;
  /** Neighbour site indices. */
  readonly indices: Int32Array;
  /** Offset number per entry (index into FIRST_SHELL or SECOND_SHELL): the bond direction. */
  readonly direction: Uint8Array;
}

/**
 * Neighbour list of one shell: 'first' = the 6 octahedral neighbours on the other sublattice
 * (cation → 6 O, O → 6 cations, distance a_c/2 ≈ 2.0 Å), 'second' = the 12 same-sublattice
 * neighbours (edge-sharing, ≈ a ≈ 2.87 Å). Missing entries across free faces are omitted.
 */
export function buildNeighbours(lattice: SiteLattice, shell: 'first' | 'second', index = new SiteIndex(lattice)): NeighbourList {
  const offs = shell === 'first' ? FIRST_SHELL : SECOND_SHELL;
  const m = offs.length;
  const n = lattice.n;
  const offsets = new Int32Array(n + 1);
  let indices = new Int32Array(n * m);
  let direction = new Uint8Array(n * m);
  const ijk = lattice.ijk;
  let e = 0;
  for (let t = 0; t < n; t++) {
    offsets[t] = e;
    const i = ijk[3 * t]!;
    const j = ijk[3 * t + 1]!;
    const k = ijk[3 * t + 2]!;
    for (let d = 0; d < m; d++) {
      const o = offs[d]!;
      const u = index.find(i + o[0], j + o[1], k + o[2]);
      if (u < 0) continue;
      indices[e] = u;
      direction[e] = d;
      e++;
    }
  }
  offsets[n] = e;
  if (e < n * m) {
    indices = indices.slice(0, e);
    direction = direction.slice(0, e);
  }
  return { offsets, indices, direction };
}
