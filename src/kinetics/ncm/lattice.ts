/**
 * What the NCM event model reads of a parent (rock-salt) lattice: a narrow, plain-data view so the
 * model runs on the lattice module's structures (`fromParentLattice` adapter) and on small hand-made
 * boxes in tests (`box.ts`) alike.
 *
 * Neighbour lists are CSR with a fixed stride: every site has exactly 6 first-shell neighbours
 * (cation ↔ anion) and 12 second-shell neighbours (same sublattice); missing neighbours (open
 * boundaries) are −1. Entry k of every site's list lies along the same direction k, so relations
 * that are per direction (in-plane, opposite, shared anions) are stored once, not per site.
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
  /** First shell, stride 6: cation → 6 O sites, anion → 6 cation sites (−1 = none). */
  readonly nb1: Int32Array;
  /** Second shell, stride 12: cation → 12 cations, anion → 12 anions (−1 = none). */
  readonly nb2: Int32Array;
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
  const { n, nb1, nb2, nb2InPlaneByDir, isAnion } = lat;
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
      const t = nb2[s * NB2 + k]!;
      if (t < 0) continue;
      // each relation is found once (a search), then only verified (one compare per site)
      if (opposite[k] === 255) {
        let j = 0;
        while (j < NB2 && nb2[t * NB2 + j] !== s) j++;
        if (j === NB2) bad(s, `the reverse of direction ${k}`);
        opposite[k] = j;
      } else if (nb2[t * NB2 + opposite[k]!] !== s) bad(s, `the reverse of direction ${k}`);
      if (isAnion[s]) continue;
      if (shared[2 * k] === 255) {
        // determined at a site whose first shell is complete
        let m = 0;
        for (let q = 0; q < NB1 && m >= 0 && m < 2; q++) {
          const a = nb1[s * NB1 + q]!;
          if (a < 0) m = -1;
          else for (let r = 0; r < NB1; r++) if (nb1[t * NB1 + r] === a) { shared[2 * k + m] = q; sharedAt[2 * k + m] = r; m++; break; }
        }
        if (m !== 2) { shared[2 * k] = shared[2 * k + 1] = 255; continue; }
      }
      for (let h = 0; h < 2; h++) {
        const a = nb1[s * NB1 + shared[2 * k + h]!]!;
        if (a >= 0 && nb1[t * NB1 + sharedAt[2 * k + h]!] !== a) bad(s, `the shared anions of direction ${k}`);
      }
    }
  }
  for (let k = 0; k < NB2; k++) {
    if (opposite[k] === 255) opposite[k] = 0;
    else if (inPlane[opposite[k]!] !== inPlane[k]) throw new InputError('lattice.nb2InPlaneByDir', Array.from(inPlane).join(''), `the same plane flag for opposite directions (${k} and ${opposite[k]} differ)`);
  }
  return { opposite, inPlane, shared };
}
