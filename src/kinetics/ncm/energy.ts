/**
 * The local bond model (MODEL.md §4): total energy as a sum of site and nearest-neighbour pair
 * terms, so that the ΔE of any event is a local difference and forward/backward events obey
 * detailed balance through Ea = E_KRA + ΔE/2.
 *
 * Terms (eV; positive = costs energy):
 * - O site: −(E_f^bulk − 3 b_Li − 3 b_Ni) per O present, so removing an O with 3 Li + 3 Ni bonded
 *   costs exactly `bulkVOFormation_eV` (ref ½ O2).
 * - cation–O bond (first shell): −b(species) for an occupied cation next to an O (Li < Ni < Co < Mn:
 *   Li-terminated surfaces break the weakest bonds, Ni-terminated the strong ones).
 * - Li/TM exchange: a TM on a Li-layer site and a Li on an M-layer site each cost ½·`exchangeBulk_eV`;
 *   each V_O next to a TM on a Li-layer site gives back `exchangeVORelief_eV`, each Co next to it
 *   `exchangeCoRelief_eV` (reduced, Co-rich environments mix readily: Zheng et al., JPCL 8, 5537).
 * - TM–TM repulsion across an edge shared within one (111) plane when one of them sits on a Li-layer site.
 * - V_O–V_O attraction per nearest anion pair (chains).
 * Ni⁰ and Li in Li2O carry no bond terms (they are outside the oxide framework).
 */
import { Species } from '../../lattice/species.js';
import { NB1, NB2, neighbour1, neighbour2, type NcmLattice } from './lattice.js';
import type { NcmParams } from './params.js';

/** Species that bond to O in the oxide framework. */
const BONDED = new Uint8Array(16);
/** TM species that count for exchange and repulsion terms (Ni⁰ excluded). */
const TM = new Uint8Array(16);
for (const s of [Species.LI, Species.NI2, Species.NI3, Species.NI4, Species.CO, Species.MN]) BONDED[s] = 1;
for (const s of [Species.NI2, Species.NI3, Species.NI4, Species.CO, Species.MN]) TM[s] = 1;

/** True for Ni²⁺/Ni³⁺/Ni⁴⁺/Co/Mn (the framework transition metals). */
export function isFrameworkTM(s: number): boolean {
  return TM[s] === 1;
}

/** Precomputed energy tables of a parameter set. */
export class BondModel {
  /** Bond energy by species, eV. */
  readonly bond: Float64Array = new Float64Array(16);
  /** O site term, eV. */
  readonly oSite: number;
  readonly halfExchange: number;
  readonly voRelief: number;
  readonly coRelief: number;
  readonly tmRep: number;
  readonly vv: number;

  constructor(p: NcmParams) {
    this.bond[Species.LI] = p.bondLi_eV;
    this.bond[Species.NI2] = p.bondNi_eV;
    this.bond[Species.NI3] = p.bondNi_eV;
    this.bond[Species.NI4] = p.bondNi_eV;
    this.bond[Species.CO] = p.bondCo_eV;
    this.bond[Species.MN] = p.bondMn_eV;
    this.oSite = -(p.bulkVOFormation_eV - 3 * p.bondLi_eV - 3 * p.bondNi_eV);
    this.halfExchange = 0.5 * p.exchangeBulk_eV;
    this.voRelief = p.exchangeVORelief_eV;
    this.coRelief = p.exchangeCoRelief_eV;
    this.tmRep = p.tmTmRepulsion_eV;
    this.vv = p.vOVOAttraction_eV;
  }

  /** Site term of `site` holding species `s`. */
  siteE(lat: NcmLattice, site: number, s: number): number {
    if (lat.isAnion[site]) return s === Species.O ? this.oSite : 0;
    if (lat.liLayer[site]) return TM[s] ? this.halfExchange : 0;
    return s === Species.LI ? this.halfExchange : 0;
  }

  /** First-shell pair term: cation site `c` (species sc) next to anion site holding `sa`. */
  pair1(lat: NcmLattice, c: number, sc: number, sa: number): number {
    if (sa === Species.O) return BONDED[sc] ? -this.bond[sc]! : 0;
    if (sa === Species.VAC_O && TM[sc] && lat.liLayer[c]) return -this.voRelief;
    return 0;
  }

  /** Second-shell pair term between sites a (species sa) and b (species sb) of one sublattice; `inPlane` for cation pairs in one (111) plane. */
  pair2(lat: NcmLattice, a: number, sa: number, b: number, sb: number, inPlane: number): number {
    if (lat.isAnion[a]) return sa === Species.VAC_O && sb === Species.VAC_O ? -this.vv : 0;
    let e = 0;
    const aLi = TM[sa] === 1 && lat.liLayer[a] === 1;
    const bLi = TM[sb] === 1 && lat.liLayer[b] === 1;
    if (aLi && sb === Species.CO) e -= this.coRelief;
    if (bLi && sa === Species.CO) e -= this.coRelief;
    if (TM[sa] && TM[sb] && (lat.liLayer[a] || lat.liLayer[b]) && inPlane) e += this.tmRep;
    return e;
  }
}

/** The bond-model coefficients, eV: what energy differences in closed form read (delta.ts). */
export type BondTerms = Pick<BondModel, 'bond' | 'oSite' | 'halfExchange' | 'voRelief' | 'coRelief' | 'tmRep' | 'vv'>;

/**
 * Energy change (eV) when the sites `changed[0..m)` take the species `next[0..m)` (all other sites as
 * in `species`). Sums the site terms of the changed sites and every pair term touching them, before
 * and after, each pair once. O that leave to the gas are not included (the caller adds 2·Δμ_O).
 */
export function deltaEnergy(
  bm: BondModel,
  lat: NcmLattice,
  species: Uint8Array,
  changed: ArrayLike<number>,
  next: ArrayLike<number>,
  m: number,
): number {
  return localEnergy(bm, lat, species, changed, next, m, true) - localEnergy(bm, lat, species, changed, next, m, false);
}

function localEnergy(
  bm: BondModel,
  lat: NcmLattice,
  species: Uint8Array,
  changed: ArrayLike<number>,
  next: ArrayLike<number>,
  m: number,
  after: boolean,
): number {
  let e = 0;
  for (let q = 0; q < m; q++) {
    const s = changed[q]!;
    const ss = after ? next[q]! : species[s]!;
    e += bm.siteE(lat, s, ss);
    const anion = lat.isAnion[s] === 1;
    for (let k = 0; k < NB1; k++) {
      const x = neighbour1(lat, s, k);
      if (x < 0) continue;
      const sx = speciesInState(x, q, changed, m, species, next, after);
      if (sx < 0) continue;
      e += anion ? bm.pair1(lat, x, sx, ss) : bm.pair1(lat, s, ss, sx);
    }
    for (let k = 0; k < NB2; k++) {
      const x = neighbour2(lat, s, k);
      if (x < 0) continue;
      const sx = speciesInState(x, q, changed, m, species, next, after);
      if (sx < 0) continue;
      e += bm.pair2(lat, s, ss, x, sx, lat.nb2InPlaneByDir[k]!);
    }
  }
  return e;
}

/** Total energy of a configuration (tests: ΔE of events equals differences of totals). */
export function totalEnergy(bm: BondModel, lat: NcmLattice, species: Uint8Array): number {
  let e = 0;
  for (let s = 0; s < lat.n; s++) {
    const ss = species[s]!;
    e += bm.siteE(lat, s, ss);
    if (!lat.isAnion[s]) {
      for (let k = 0; k < NB1; k++) {
        const x = neighbour1(lat, s, k);
        if (x >= 0) e += bm.pair1(lat, s, ss, species[x]!);
      }
    }
    for (let k = 0; k < NB2; k++) {
      const x = neighbour2(lat, s, k);
      if (x > s) e += bm.pair2(lat, s, ss, x, species[x]!, lat.nb2InPlaneByDir[k]!);
    }
  }
  return e;
}

/**
 * Species at site x in the evaluated state (after the change when `after`), or −1 when x is one of
 * the changed sites listed before q, whose pair with the q-th changed site is already counted.
 */
function speciesInState(
  x: number, q: number, changed: ArrayLike<number>, m: number, species: Uint8Array, next: ArrayLike<number>, after: boolean,
): number {
  for (let r = 0; r < m; r++) {
    if (changed[r] === x) {
      if (r < q) return -1;
      return after ? next[r]! : species[x]!;
    }
  }
  return species[x]!;
}
