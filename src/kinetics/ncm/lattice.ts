/**
 * What the NCM event model reads of a parent (rock-salt) lattice: a narrow, plain-data view so the
 * model runs on the lattice module's structures (`fromParentLattice` adapter) and on small hand-made
 * boxes in tests (`box.ts`) alike.
 *
 * Every site has exactly 6 first-shell neighbours (cation ↔ anion) and 12 second-shell neighbours
 * (same sublattice), read through the one accessor `neighbour1(lat, s, q)` / `neighbour2(lat, s, k)`
 * (negative = none: open boundaries). Entry k of every site's list lies along the same direction k,
 * so relations that are per direction (in-plane, opposite, shared anions) are stored once, not per
 * site. The lists are stored packed (`packNeighbours`): as offsets t − s, in rows shared by all sites
 * whose 18 offsets are equal (a periodic box has 27 distinct rows; a lamella's tiling order a few per
 * cent of its sites), with a row index per site: 4 bytes per site instead of 72.
 */

import { InputError } from '../../core/index.js';

/** Plain-data lattice view used by the NCM model (struct of arrays). */
export interface NcmLattice {
  /** Number of sites (cations + anions). */
  readonly n: number;
  /** 1 for anion (O) sites, 0 for cation (octahedral) sites. */
  readonly isAnion: Uint8Array;
  /** 1 for cation sites of a Li layer (after any APB shift), 0 for M-layer cation sites and anions. */
  readonly liLayer: Uint8Array;
  /**
   * Packed neighbour lists (read them with `neighbour1` / `neighbour2`): the row of site s in
   * `nbOffset` (first shell: cation → 6 O sites, anion → 6 cation sites; second shell: cation → 12
   * cations, anion → 12 anions).
   */
  readonly nbRow: Uint32Array;
  /** Rows of NB = 18 offsets t − s (6 first-shell, then 12 second-shell; `NO_NEIGHBOUR` = none), shared between sites. */
  readonly nbOffset: Int32Array;
  /**
   * Per second-shell direction k (12 entries, the same at every site: the lists are ordered by
   * direction), 1 when a site and its neighbour along k lie in the same close-packed (111)/(003) plane.
   */
  readonly nb2InPlaneByDir: Uint8Array;
  /** Cartesian positions, Å, interleaved x,y,z; z is the beam (projection) direction. */
  readonly positions_A: Float64Array;
  /** Unit vector of the layer normal (hexagonal c axis) in the Cartesian frame. */
  readonly layerNormal: readonly [number, number, number];
}

/** Stride of the first-shell list. */
export const NB1 = 6;
/** Stride of the second-shell list. */
export const NB2 = 12;
/** Entries per packed row: first shell, then second shell. */
export const NB = NB1 + NB2;
/** Offset of a missing neighbour: s + NO_NEIGHBOUR < 0 for every site index s < 2³¹. */
export const NO_NEIGHBOUR = -0x80000000;

/** First-shell neighbour q (0…5) of site s; negative when there is none. */
export function neighbour1(lat: NcmLattice, s: number, q: number): number {
  return s + lat.nbOffset[lat.nbRow[s]! * NB + q]!;
}

/** Second-shell neighbour k (0…11, the direction) of site s; negative when there is none. */
export function neighbour2(lat: NcmLattice, s: number, k: number): number {
  return s + lat.nbOffset[lat.nbRow[s]! * NB + NB1 + k]!;
}

/**
 * Start of site s's packed row in `lat.nbOffset`, for loops over all of one site's neighbours (the
 * row is read once): first-shell neighbour q is s + nbOffset[row + q], second-shell direction k is
 * s + nbOffset[row + NB1 + k] (the values of `neighbour1` / `neighbour2`).
 */
export function neighbourRow(lat: NcmLattice, s: number): number {
  return lat.nbRow[s]! * NB;
}

/**
 * Pack the neighbour lists of `n` sites: `fill(s, out)` writes site s's 6 first-shell then 12
 * second-shell neighbours (site indices, −1 = none) into out[0…17]. Rows of equal offsets t − s are
 * stored once (exact: an open-addressed hash over the 18 offsets, rows compared in full). O(n).
 */
export function packNeighbours(n: number, fill: (s: number, out: Int32Array) => void): { nbRow: Uint32Array; nbOffset: Int32Array } {
  const nbRow = new Uint32Array(n);
  const buf = new Int32Array(NB);
  let table = new Int32Array(NB * 64);
  let rows = 0;
  let slots = new Int32Array(256).fill(-1);
  const hashOf = (o: Int32Array, at: number): number => {
    let h = 0x811c9dc5 | 0;
    for (let e = 0; e < NB; e++) h = Math.imul(h ^ o[at + e]!, 0x01000193);
    return h >>> 0;
  };
  const insert = (r: number): void => {
    const mask = slots.length - 1;
    let i = hashOf(table, r * NB) & mask;
    while (slots[i] !== -1) i = (i + 1) & mask;
    slots[i] = r;
  };
  for (let s = 0; s < n; s++) {
    buf.fill(-1);
    fill(s, buf);
    for (let e = 0; e < NB; e++) {
      const t = buf[e]!;
      if (!(Number.isInteger(t) && t < n && t >= -1)) throw new InputError('lattice', `site ${s}`, `neighbour indices in [−1, ${n}) (entry ${e} is ${t})`);
      buf[e] = t < 0 ? NO_NEIGHBOUR : t - s;
    }
    const mask = slots.length - 1;
    let i = hashOf(buf, 0) & mask;
    let r = -1;
    for (;;) {
      const c = slots[i]!;
      if (c === -1) break;
      let e = 0;
      while (e < NB && table[c * NB + e] === buf[e]) e++;
      if (e === NB) { r = c; break; }
      i = (i + 1) & mask;
    }
    if (r < 0) {
      r = rows++;
      if (rows * NB > table.length) {
        const t2 = new Int32Array(table.length * 2);
        t2.set(table);
        table = t2;
      }
      table.set(buf, r * NB);
      if (2 * rows > slots.length) {
        slots = new Int32Array(slots.length * 2).fill(-1);
        for (let q = 0; q < rows; q++) insert(q);
      } else slots[i] = r;
    }
    nbRow[s] = r;
  }
  return { nbRow, nbOffset: table.slice(0, rows * NB) };
}

/**
 * Direction tables of a regular lattice: on the rock-salt parent every site sees its neighbours
 * along the same 6 + 12 vectors, so the relations the event model needs are per direction, not
 * per site (no per-site reverse index or plane flags: 60 bytes per site less).
 */
export interface NcmDirections {
  /** `opposite[k] = j`: the second-shell neighbour t of s along k has s along j. */
  readonly opposite: Uint8Array;
  /** 1 when second-shell direction k stays in the close-packed (111) plane. */
  readonly inPlane: Uint8Array;
  /**
   * For cation → cation direction k, the first-shell directions (q1 < q2) of the owner towards the
   * two anions it shares with its neighbour along k (`shared[2k]`, `shared[2k+1]`).
   */
  readonly shared: Uint8Array;
}

/**
 * Derive and check the direction tables of `lat` (O(n)). Throws InputError naming the first site
 * where a relation differs between sites: the NCM model needs a lattice whose neighbour lists are
 * ordered by direction (`buildNcmBox`, `fromSiteLattice` and the lattice module's fixed-stride
 * tables are).
 */
export function directionTables(lat: NcmLattice): NcmDirections {
  const { n, nb2InPlaneByDir, isAnion } = lat;
  if (!(lat.nbRow instanceof Uint32Array && lat.nbRow.length === n)) throw new InputError('lattice.nbRow', lat.nbRow?.length, `a Uint32Array of ${n} rows, one per site (packNeighbours)`);
  const rowsLen = lat.nbOffset instanceof Int32Array && lat.nbOffset.length % NB === 0 ? lat.nbOffset.length / NB : -1;
  if (rowsLen < 0) throw new InputError('lattice.nbOffset', lat.nbOffset?.length, `an Int32Array of rows of ${NB} offsets (packNeighbours)`);
  for (let s = 0; s < n; s++) if (lat.nbRow[s]! >= rowsLen) throw new InputError('lattice.nbRow', `site ${s}: row ${lat.nbRow[s]}`, `a row of nbOffset (< ${rowsLen})`);
  if (!(nb2InPlaneByDir instanceof Uint8Array && nb2InPlaneByDir.length === NB2)) throw new InputError('lattice.nb2InPlaneByDir', nb2InPlaneByDir?.length, `a Uint8Array of ${NB2} plane flags, one per second-shell direction`);
  const opposite = new Uint8Array(NB2).fill(255);
  const inPlane = Uint8Array.from(nb2InPlaneByDir);
  const shared = new Uint8Array(2 * NB2).fill(255);
  /** For cation direction k: the first-shell directions of the target that hold the two shared anions. */
  const sharedAt = new Uint8Array(2 * NB2).fill(255);
  const bad = (s: number, what: string): never => {
    throw new InputError('lattice', `site ${s}`, `neighbour lists ordered by direction (${what} differs between sites)`);
  };
  for (let s = 0; s < n; s++) {
    for (let k = 0; k < NB2; k++) {
      const t = neighbour2(lat, s, k);
      if (t < 0) continue;
      if (t >= n) bad(s, `the range of direction ${k}`);
      // each relation is found once (a search), then only verified (one compare per site)
      if (opposite[k] === 255) {
        let j = 0;
        while (j < NB2 && neighbour2(lat, t, j) !== s) j++;
        if (j === NB2) bad(s, `the reverse of direction ${k}`);
        opposite[k] = j;
      } else if (neighbour2(lat, t, opposite[k]!) !== s) bad(s, `the reverse of direction ${k}`);
      if (isAnion[s]) continue;
      if (shared[2 * k] === 255) {
        // determined at a site whose first shell is complete
        let m = 0;
        for (let q = 0; q < NB1 && m >= 0 && m < 2; q++) {
          const a = neighbour1(lat, s, q);
          if (a < 0) m = -1;
          else for (let r = 0; r < NB1; r++) if (neighbour1(lat, t, r) === a) { shared[2 * k + m] = q; sharedAt[2 * k + m] = r; m++; break; }
        }
        if (m !== 2) { shared[2 * k] = shared[2 * k + 1] = 255; continue; }
      }
      for (let h = 0; h < 2; h++) {
        const a = neighbour1(lat, s, shared[2 * k + h]!);
        if (a >= 0 && neighbour1(lat, t, sharedAt[2 * k + h]!) !== a) bad(s, `the shared anions of direction ${k}`);
      }
    }
  }
  for (let k = 0; k < NB2; k++) {
    if (opposite[k] === 255) opposite[k] = 0;
    else if (inPlane[opposite[k]!] !== inPlane[k]) throw new InputError('lattice.nb2InPlaneByDir', Array.from(inPlane).join(''), `the same plane flag for opposite directions (${k} and ${opposite[k]} differ)`);
  }
  return { opposite, inPlane, shared };
}
