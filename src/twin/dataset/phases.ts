/**
 * Phase labels per site of the rock-salt parent lattice, from the true occupancy (MODEL.md §2, product phases):
 *  - void: pore or vacuum sites;
 *  - Ni: Ni⁰ on a cation site; Li2O: Li that left the layered framework into Li2O (the kinetics' Ni⁰ + Li2O event);
 *  - otherwise a cation's local window (the site and its 12 cation neighbours, void excluded) decides between
 *    layered and the cation-disordered rock salt, by the kinetics' own rule for `rockSaltFraction`
 *    (src/kinetics/ncm/observables.ts): TM fractions x_M, x_L on M-layer and Li-layer sites of the window, disordered
 *    when (x_M − x_L)/(x_M + x_L) < ROCKSALT_CONTRAST; a disordered window whose occupied cations hold less than
 *    NIO_LI_SHARE Li is NiO-type rock salt ((Ni,Co,Mn)O, Li-free), else Li–TM rock salt;
 *  - an anion (O or V_O) takes the most frequent phase of its 6 cation neighbours (void excluded; ties go to the
 *    product phase later in PHASE_NAMES), so O columns carry the phase of the cation framework around them.
 */
import { type SiteLattice, SiteRole, Species, isTransitionMetal } from '../../lattice/index.js';

/** Phase ids (mask classes). */
export const Phase = { VOID: 0, LAYERED: 1, ROCKSALT: 2, NIO: 3, NI: 4, LI2O: 5 } as const;
/** Names by phase id (0 = void or background). */
export const PHASE_NAMES: readonly string[] = Object.freeze(['void', 'layered', 'rocksalt', 'NiO', 'Ni', 'Li2O']);

/** Window disorder threshold: the kinetics' rockSaltFraction rule (contrast below ½ = rock salt). */
export const ROCKSALT_CONTRAST = 0.5;
/** Largest Li share of a disordered window's occupied cations for NiO-type rock salt. */
export const NIO_LI_SHARE = 0.1;

const NB1 = 6, NB2 = 12;

/**
 * True when the local window of cation site s (s and its 12 cation neighbours, void excluded) has lost the layer
 * contrast: (x_M − x_L)/(x_M + x_L) < ROCKSALT_CONTRAST, x the TM fractions of its M-layer and Li-layer sites (the
 * kinetics' rockSaltFraction rule, src/kinetics/ncm/observables.ts; a test pins the two together).
 */
export function windowDisordered(L: SiteLattice, species: Uint8Array, nb2: Int32Array, s: number): boolean {
  let nl = 0, tl = 0, nm = 0, tm = 0;
  for (let k = -1; k < NB2; k++) {
    const x = k < 0 ? s : nb2[s * NB2 + k]!;
    if (x < 0) continue;
    const q = species[x]!;
    if (q === Species.VOID) continue;
    const t = isTransitionMetal(q) ? 1 : 0;
    if (L.role[x] === SiteRole.LI_LAYER) { nl++; tl += t; } else { nm++; tm += t; }
  }
  const xl = nl ? tl / nl : 0, xm = nm ? tm / nm : 0;
  return xm + xl > 0 && (xm - xl) / (xm + xl) < ROCKSALT_CONTRAST;
}

/**
 * Phase of every site of `L` holding `species`, given the first-shell (6, anion → cations) and second-shell (12,
 * cation → cations) fixed-stride neighbour tables of `L` (lattice fixedStrideNeighbours).
 */
export function classifyPhases(L: SiteLattice, species: Uint8Array, nb1: Int32Array, nb2: Int32Array, out = new Uint8Array(L.n)): Uint8Array {
  const n = L.n;
  for (let s = 0; s < n; s++) {
    if (L.sublattice[s] !== 0) continue;
    const sp = species[s]!;
    if (sp === Species.VOID) { out[s] = Phase.VOID; continue; }
    if (sp === Species.NI0) { out[s] = Phase.NI; continue; }
    if (sp === Species.LI_LI2O) { out[s] = Phase.LI2O; continue; }
    if (!windowDisordered(L, species, nb2, s)) { out[s] = Phase.LAYERED; continue; }
    let occ = 0, li = 0;
    for (let k = -1; k < NB2; k++) {
      const x = k < 0 ? s : nb2[s * NB2 + k]!;
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
      const x = nb1[s * NB1 + k]!;
      if (x >= 0 && species[x] !== Species.VOID) votes[out[x]!]!++;
    }
    let best = Phase.LAYERED as number;
    for (let p = 1; p < votes.length; p++) if (votes[p]! > 0 && votes[p]! >= votes[best]!) best = p;
    out[s] = best;
  }
  return out;
}
