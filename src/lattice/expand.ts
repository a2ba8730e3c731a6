/**
 * Expand a SiteLattice (or a kinetics-modified species array on it) to Cartesian `Atoms` for imaging
 * and files. Void and vacant sites (species with no atom) produce no atom.
 */
import { InputError } from '../core/index.js';
import type { Atoms } from './atoms.js';
import { SPECIES_Z } from './species.js';
import type { SiteLattice } from './siteLattice.js';

/** Label names of `toAtoms` output, indexed by SiteRole (Li-layer, M-layer, anion). */
export const SITE_LABELS: readonly string[] = Object.freeze(['Li-layer', 'M-layer', 'O']);

/**
 * Atoms of a lattice: one atom per site whose species has an atom (SPECIES_Z > 0), at the site's
 * box position, occupancy 1, labelled by the site's role. `species` defaults to lattice.species.
 */
export function toAtoms(lattice: SiteLattice, species: Uint8Array = lattice.species): Atoms {
  if (species.length !== lattice.n) throw new InputError('species', species.length, `a species array of length n = ${lattice.n}`);
  let count = 0;
  for (let t = 0; t < lattice.n; t++) if (SPECIES_Z[species[t]!]! > 0) count++;
  const Z = new Uint8Array(count);
  const positions_A = new Float64Array(3 * count);
  const label = new Uint8Array(count);
  let a = 0;
  for (let t = 0; t < lattice.n; t++) {
    const z = SPECIES_Z[species[t]!]!;
    if (z === 0) continue;
    Z[a] = z;
    positions_A[3 * a] = lattice.position_A[3 * t]!;
    positions_A[3 * a + 1] = lattice.position_A[3 * t + 1]!;
    positions_A[3 * a + 2] = lattice.position_A[3 * t + 2]!;
    label[a] = lattice.role[t]!;
    a++;
  }
  return {
    n: count,
    Z,
    positions_A,
    cell_A: [lattice.cell_A[0], lattice.cell_A[1], lattice.cell_A[2]],
    occupancy: new Float32Array(count).fill(1),
    label,
    labels: SITE_LABELS,
  };
}
