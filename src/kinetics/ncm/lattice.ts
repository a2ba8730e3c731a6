/**
 * What the NCM event model reads of a parent (rock-salt) lattice: a narrow, plain-data view so the
 * model runs on the lattice module's structures (`fromParentLattice` adapter) and on small hand-made
 * boxes in tests (`box.ts`) alike.
 *
 * Neighbour lists are CSR with a fixed stride: every site has exactly 6 first-shell neighbours
 * (cation ↔ anion) and 12 second-shell neighbours (same sublattice); missing neighbours (open
 * boundaries) are −1.
 */

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
  /** Per nb2 entry, 1 when both sites lie in the same close-packed (111)/(003) plane. */
  readonly nb2InPlane: Uint8Array;
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
 * Reverse index of nb2: `rev[s*12+k] = j` such that `nb2[t*12+j] === s` where `t = nb2[s*12+k]`
 * (−1 when t is missing or the relation is not symmetric).
 */
export function buildNb2Reverse(lat: NcmLattice): Int32Array {
  const rev = new Int32Array(lat.n * NB2).fill(-1);
  const nb2 = lat.nb2;
  for (let s = 0; s < lat.n; s++) {
    for (let k = 0; k < NB2; k++) {
      const t = nb2[s * NB2 + k]!;
      if (t < 0) continue;
      for (let j = 0; j < NB2; j++) {
        if (nb2[t * NB2 + j] === s) {
          rev[s * NB2 + k] = j;
          break;
        }
      }
    }
  }
  return rev;
}
