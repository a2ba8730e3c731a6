/**
 * Site lookup by integer coordinates and neighbour lists (CSR) on a SiteLattice, built in O(n).
 *
 * `SiteIndex` maps (i,j,k) → site (row table or hash, a few bytes per site) and wraps coordinates
 * exactly across periodic box faces by subtracting whole supercell rows.
 * Across free faces (the lamella surfaces, box z by default) there is no neighbour.
 */
import { boxInverse, type SiteLattice } from './siteLattice.js';
import { FIRST_SHELL, SECOND_SHELL } from './parent.js';

function hash3(i: number, j: number, k: number): number {
  // Multiplicative mix, then the murmur3 finaliser so that the low bits (the table index) are well spread.
  let h = Math.imul(i, 0x9e3779b1) ^ Math.imul(j, 0x85ebca77) ^ Math.imul(k, 0xc2b2ae3d);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Exact (i,j,k) → site index lookup with periodic wrapping.
 *
 * Fast path: lattices built by `buildSupercell` list, for each (i, j), their sites as one run of
 * consecutive k; a table over the (i, j) bounding rectangle then gives O(1) lookups with good
 * memory locality. Other site orders fall back to an open-addressing hash.
 */
export class SiteIndex {
  private readonly A: Int32Array;
  private readonly D: number;
  private iMin = 0;
  private jMin = 0;
  private nj = 0;
  private rowStart: Int32Array | null = null;
  private rowK: Int32Array | null = null;
  private rowLen: Int32Array | null = null;
  private table: Int32Array | null = null;
  private mask = 0;

  constructor(private readonly lattice: SiteLattice) {
    const { A, D } = boxInverse(lattice.supercell);
    this.A = A;
    this.D = D;
    if (!this.buildRows()) this.buildHash();
  }

  private buildRows(): boolean {
    const { ijk, n } = this.lattice;
    if (n === 0) return false;
    let i0 = Infinity, i1 = -Infinity, j0 = Infinity, j1 = -Infinity;
    for (let t = 0; t < n; t++) {
      const i = ijk[3 * t]!;
      const j = ijk[3 * t + 1]!;
      if (i < i0) i0 = i;
      if (i > i1) i1 = i;
      if (j < j0) j0 = j;
      if (j > j1) j1 = j;
    }
    const ni = i1 - i0 + 1;
    const nj = j1 - j0 + 1;
    if (ni * nj > 4 * n + 1024) return false;
    const start = new Int32Array(ni * nj).fill(-1);
    const kmin = new Int32Array(ni * nj);
    const len = new Int32Array(ni * nj);
    for (let t = 0; t < n; t++) {
      const r = (ijk[3 * t]! - i0) * nj + (ijk[3 * t + 1]! - j0);
      const k = ijk[3 * t + 2]!;
      if (start[r] === -1) {
        start[r] = t;
        kmin[r] = k;
        len[r] = 1;
      } else if (t === start[r]! + len[r]! && k === kmin[r]! + len[r]!) len[r]!++;
      else return false;
    }
    this.iMin = i0;
    this.jMin = j0;
    this.nj = nj;
    this.rowStart = start;
    this.rowK = kmin;
    this.rowLen = len;
    return true;
  }

  private buildHash(): void {
    const { ijk, n } = this.lattice;
    let size = 1;
    while (size < 2 * n) size <<= 1;
    const table = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let t = 0; t < n; t++) {
      let h = hash3(ijk[3 * t]!, ijk[3 * t + 1]!, ijk[3 * t + 2]!) & this.mask;
      while (table[h]! !== -1) h = (h + 1) & this.mask;
      table[h] = t;
    }
    this.table = table;
  }

  /** Site at exactly (i,j,k) in the stored coordinates, or −1. */
  findExact(i: number, j: number, k: number): number {
    if (this.rowStart) {
      const di = i - this.iMin;
      const dj = j - this.jMin;
      if (di < 0 || dj < 0 || dj >= this.nj) return -1;
      const r = di * this.nj + dj;
      if (r >= this.rowStart.length) return -1;
      const s = this.rowStart[r]!;
      if (s < 0) return -1;
      const dk = k - this.rowK![r]!;
      return dk >= 0 && dk < this.rowLen![r]! ? s + dk : -1;
    }
    const ijk = this.lattice.ijk;
    const table = this.table!;
    let h = hash3(i, j, k) & this.mask;
    for (;;) {
      const t = table[h]!;
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

/**
 * Fixed-stride neighbour table: stride 6 ('first', FIRST_SHELL order) or 12 ('second',
 * SECOND_SHELL order: entries 0–5 in the same close-packed layer, 6–8 one cation layer up, 9–11
 * down); −1 where the neighbour lies beyond a free face. Same content as `buildNeighbours`,
 * laid out for event models that address neighbours by direction.
 */
export function fixedStrideNeighbours(lattice: SiteLattice, shell: 'first' | 'second', index = new SiteIndex(lattice)): Int32Array {
  const m = (shell === 'first' ? FIRST_SHELL : SECOND_SHELL).length;
  const out = new Int32Array(lattice.n * m);
  for (let t = 0; t < lattice.n; t++) fixedStrideRow(lattice, shell, index, t, out, t * m);
  return out;
}

/** Site t's row of the fixed-stride table of `shell` (see `fixedStrideNeighbours`), written to out[at…]. */
export function fixedStrideRow(lattice: SiteLattice, shell: 'first' | 'second', index: SiteIndex, t: number, out: Int32Array, at: number): void {
  const offs = shell === 'first' ? FIRST_SHELL : SECOND_SHELL;
  const ijk = lattice.ijk;
  const i = ijk[3 * t]!;
  const j = ijk[3 * t + 1]!;
  const k = ijk[3 * t + 2]!;
  for (let d = 0; d < offs.length; d++) {
    const o = offs[d]!;
    out[at + d] = index.find(i + o[0], j + o[1], k + o[2]);
  }
}

/** Unit vector of the layer normal (hexagonal c) in the box frame. */
export function layerNormal(lattice: SiteLattice): [number, number, number] {
  const v: [number, number, number] = [0, 0, 0];
  v[lattice.cAxis] = 1;
  return v;
}
