/**
 * Phase labels per site of the rock-salt parent lattice, from the true occupancy (MODEL.md §2, product phases):
 *  - void: pore or vacuum sites;
 *  - Ni: Ni⁰ on a cation site; Li2O: Li that left the layered framework into Li2O (the kinetics' Ni⁰ + Li2O event);
 *  - otherwise a cation's local window (the site and its 12 cation neighbours, void excluded) decides between
 *    layered and the cation-disordered rock salt, by the kinetics' own per-site rule for `rockSaltFraction`
 *    (`isLocalRockSalt`, src/kinetics/ncm/observables.ts, called here: one definition): TM fractions x_M, x_L on
 *    M-layer and Li-layer sites of the window, disordered when (x_M − x_L)/(x_M + x_L) < ½; a disordered window whose
 *    occupied cations hold less than NIO_LI_SHARE Li is NiO-type rock salt ((Ni,Co,Mn)O, Li-free), else Li–TM rock salt;
 *  - an anion (O or V_O) takes the most frequent phase of its 6 cation neighbours (void excluded; ties go to the
 *    product phase later in PHASE_NAMES), so O columns carry the phase of the cation framework around them.
 */
import { isLocalRockSalt, NB1, NB2, neighbour1, neighbour2, type NcmLattice } from '../../kinetics/ncm/index.js';
import { type SiteLattice, Species } from '../../lattice/index.js';

/** Phase ids (mask classes). */
export const Phase = { VOID: 0, LAYERED: 1, ROCKSALT: 2, NIO: 3, NI: 4, LI2O: 5 } as const;
/** Names by phase id (0 = void or background). */
export const PHASE_NAMES: readonly string[] = Object.freeze(['void', 'layered', 'rocksalt', 'NiO', 'Ni', 'Li2O']);

/** Largest Li share of a disordered window's occupied cations for NiO-type rock salt. */
export const NIO_LI_SHARE = 0.1;

/**
 * Phase of every site of `L` holding `species`, given the kinetics' view of `L` (`fromSiteLattice(L)`: its
 * first-shell (6, anion → cations) and second-shell (12, cation → cations) neighbour tables and Li-layer flags).
 */
export function classifyPhases(L: SiteLattice, species: Uint8Array, view: NcmLattice, out = new Uint8Array(L.n)): Uint8Array {
  const n = L.n;
  for (let s = 0; s < n; s++) {
    if (L.sublattice[s] !== 0) continue;
    const sp = species[s]!;
    if (sp === Species.VOID) { out[s] = Phase.VOID; continue; }
    if (sp === Species.NI0) { out[s] = Phase.NI; continue; }
    if (sp === Species.LI_LI2O) { out[s] = Phase.LI2O; continue; }
    if (!isLocalRockSalt(view, species, s)) { out[s] = Phase.LAYERED; continue; }
    let occ = 0, li = 0;
    for (let k = -1; k < NB2; k++) {
      const x = k < 0 ? s : neighbour2(view, s, k);
      if (x < 0) continue;
      const q = species[x]!;
      if (q === Species.VOID || q === Species.VAC_CATION) continue;
      occ++;
      if (q === Species.LI || q === Species.LI_LI2O) li++;
    }
    out[s] = li < NIO_LI_SHARE * occ ? Phase.NIO : Phase.ROCKSALT;
  }
  const votes = new Int32Array(PHASE_NAMES.length);
  for (let s = 0; s < n; s++) {
    if (L.sublattice[s] !== 1) continue;
    if (species[s] === Species.VOID) { out[s] = Phase.VOID; continue; }
    votes.fill(0);
    for (let k = 0; k < NB1; k++) {
      const x = neighbour1(view, s, k);
      if (x >= 0 && species[x] !== Species.VOID) votes[out[x]!]!++;
    }
    let best = Phase.LAYERED as number;
    for (let p = 1; p < votes.length; p++) if (votes[p]! > 0 && votes[p]! >= votes[best]!) best = p;
    out[s] = best;
  }
  return out;
}
