/**
 * Adapter from the lattice module's `SiteLattice` (lamellae from `buildLamella`) to the NCM model's
 * plain view. Second-shell entries 0–5 of `fixedStrideNeighbours` lie in the same close-packed plane.
 */
import { SiteRole, fixedStrideNeighbours, layerNormal, SiteIndex, type SiteLattice } from '../../lattice/index.js';
import type { NcmLattice } from './lattice.js';

/** Build the NCM view of a `SiteLattice` (neighbour tables computed once, O(n)). */
export function fromSiteLattice(lattice: SiteLattice): NcmLattice {
  const index = new SiteIndex(lattice);
  const nb1 = fixedStrideNeighbours(lattice, 'first', index);
  const nb2 = fixedStrideNeighbours(lattice, 'second', index);
  const n = lattice.n;
  const isAnion = new Uint8Array(n);
  const liLayer = new Uint8Array(n);
  for (let s = 0; s < n; s++) {
    isAnion[s] = lattice.role[s] === SiteRole.ANION ? 1 : 0;
    liLayer[s] = lattice.role[s] === SiteRole.LI_LAYER ? 1 : 0;
  }
  const nb2InPlaneByDir = Uint8Array.of(1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0);
  return { n, isAnion, liLayer, nb1, nb2, nb2InPlaneByDir, positions_A: lattice.position_A, layerNormal: layerNormal(lattice) };
}
