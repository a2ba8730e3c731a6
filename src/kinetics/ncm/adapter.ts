/**
 * Adapter from the lattice module's `SiteLattice` (lamellae from `buildLamella`) to the NCM model's
 * plain view. Neighbours in the order of the lattice module's fixed-stride tables (`fixedStrideRow`:
 * FIRST_SHELL, then SECOND_SHELL, whose entries 0–5 lie in the same close-packed plane), packed.
 */
import { SiteRole, fixedStrideRow, layerNormal, SiteIndex, type SiteLattice } from '../../lattice/index.js';
import { NB1, packNeighbours, type NcmLattice } from './lattice.js';

/** Build the NCM view of a `SiteLattice` (neighbour tables computed once, O(n)). */
export function fromSiteLattice(lattice: SiteLattice): NcmLattice {
  const index = new SiteIndex(lattice);
  const { nbRow, nbOffset } = packNeighbours(lattice.n, (s, out) => {
    fixedStrideRow(lattice, 'first', index, s, out, 0);
    fixedStrideRow(lattice, 'second', index, s, out, NB1);
  });
  const n = lattice.n;
  const isAnion = new Uint8Array(n);
  const liLayer = new Uint8Array(n);
  for (let s = 0; s < n; s++) {
    isAnion[s] = lattice.role[s] === SiteRole.ANION ? 1 : 0;
    liLayer[s] = lattice.role[s] === SiteRole.LI_LAYER ? 1 : 0;
  }
  const nb2InPlaneByDir = Uint8Array.of(1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0);
  return { n, isAnion, liLayer, nbRow, nbOffset, nb2InPlaneByDir, positions_A: lattice.position_A, layerNormal: layerNormal(lattice) };
}
