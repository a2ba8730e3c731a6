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
import { type NcmLattice } from './lattice.js';

/** Neighbour-list strides (local literals: imported bindings are slow in hot loops under some loaders). */
const NB1 = 6;
const NB2 = 12;
import type { NcmParams } from './params.js';

/** Local copies of species ids and event kinds (hot loops; checked against the shared tables in tests). */
const S_CO = 5;
const S_LI = 1;
const S_MN = 6;
const S_NI2 = 2;
const S_NI3 = 3;
const S_NI4 = 4;
const S_O = 9;
const S_VAC_O = 10;


/** Species that bond to O in the oxide framework. */
const BONDED = new Uint8Array(16);
/** TM species that count for exchange and repulsion terms (Ni⁰ excluded). */
const TM = new Uint8Array(16);
for (const s of [S_LI, S_NI2, S_NI3, S_NI4, S_CO, S_MN]) BONDED[s] = 1;
for (const s of [S_NI2, S_NI3, S_NI4, S_CO, S_MN]) TM[s] = 1;

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
    this.bond[S_LI] = p.bondLi_eV;
    this.bond[S_NI2] = p.bondNi_eV;
    this.bond[S_NI3] = p.bondNi_eV;
    this.bond[S_NI4] = p.bondNi_eV;
    this.bond[S_CO] = p.bondCo_eV;
    this.bond[S_MN] = p.bondMn_eV;
    this.oSite = -(p.bulkVOFormation_eV - 3 * p.bondLi_eV - 3 * p.bondNi_eV);
    this.halfExchange = 0.5 * p.exchangeBulk_eV;
    this.voRelief = p.exchangeVORelief_eV;
    this.coRelief = p.exchangeCoRelief_eV;
    this.tmRep = p.tmTmRepulsion_eV;
    this.vv = p.vOVOAttraction_eV;
  }

  /** Site term of `site` holding species `s`. */
  siteE(lat: NcmLattice, site: number, s: number): number {
    if (lat.isAnion[site]) return s === S_O ? this.oSite : 0;
    if (lat.liLayer[site]) return TM[s] ? this.halfExchange : 0;
    return s === S_LI ? this.halfExchange : 0;
  }

  /** First-shell pair term: cation site `c` (species sc) next to anion site holding `sa`. */
  pair1(lat: NcmLattice, c: number, sc: number, sa: number): number {
    if (sa === S_O) return BONDED[sc] ? -this.bond[sc]! : 0;
    if (sa === S_VAC_O && TM[sc] && lat.liLayer[c]) return -this.voRelief;
    return 0;
  }

  /** Second-shell pair term between sites a (species sa) and b (species sb) of one sublattice; `inPlane` for cation pairs in one (111) plane. */
  pair2(lat: NcmLattice, a: number, sa: number, b: number, sb: number, inPlane: number): number {
    if (lat.isAnion[a]) return sa === S_VAC_O && sb === S_VAC_O ? -this.vv : 0;
    let e = 0;
    const aLi = TM[sa] === 1 && lat.liLayer[a] === 1;
    const bLi = TM[sb] === 1 && lat.liLayer[b] === 1;
    if (aLi && sb === S_CO) e -= this.coRelief;
    if (bLi && sa === S_CO) e -= this.coRelief;
    if (TM[sa] && TM[sb] && (lat.liLayer[a] || lat.liLayer[b]) && inPlane) e += this.tmRep;
    return e;
  }
}

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
  const nb1 = lat.nb1, nb2 = lat.nb2;
  let e = 0;
  for (let q = 0; q < m; q++) {
    const s = changed[q]!;
    const ss = after ? next[q]! : species[s]!;
    e += bm.siteE(lat, s, ss);
    const anion = lat.isAnion[s] === 1;
    for (let k = 0; k < NB1; k++) {
      const x = nb1[s * NB1 + k]!;
      if (x < 0) continue;
      const sx = speciesInState(x, q, changed, m, species, next, after);
      if (sx < 0) continue;
      e += anion ? bm.pair1(lat, x, sx, ss) : bm.pair1(lat, s, ss, sx);
    }
    for (let k = 0; k < NB2; k++) {
      const x = nb2[s * NB2 + k]!;
      if (x < 0) continue;
      const sx = speciesInState(x, q, changed, m, species, next, after);
      if (sx < 0) continue;
      e += bm.pair2(lat, s, ss, x, sx, lat.nb2InPlane[s * NB2 + k]!);
    }
  }
  return e;
}

/**
 * ΔE (eV) of exchanging the species of neighbouring sites s and t of one sublattice: the one-pass
 * special case of `deltaEnergy` used by every hop and exchange event (same result, about a third of
 * the work: first-shell bonds reduce to counts of O and V_O neighbours, second-shell terms are
 * evaluated inline from typed arrays).
 */
export function swapDeltaEnergy(bm: BondModel, lat: NcmLattice, species: Uint8Array, s: number, t: number): number {
  const a = species[s]!, b = species[t]!;
  if (a === b) return 0;
  const nb1 = lat.nb1, nb2 = lat.nb2, ip = lat.nb2InPlane;
  let d = bm.siteE(lat, s, b) + bm.siteE(lat, t, a) - bm.siteE(lat, s, a) - bm.siteE(lat, t, b);
  if (lat.isAnion[s]) {
    // Cation neighbours x of s (t) see the anion species change a → b (b → a).
    for (let k = 0; k < NB1; k++) {
      const x = nb1[s * NB1 + k]!;
      if (x >= 0) { const sx = species[x]!; d += bm.pair1(lat, x, sx, b) - bm.pair1(lat, x, sx, a); }
      const y = nb1[t * NB1 + k]!;
      if (y >= 0) { const sy = species[y]!; d += bm.pair1(lat, y, sy, a) - bm.pair1(lat, y, sy, b); }
    }
    // Anion second shell: V_O–V_O attraction only (the s–t pair itself is symmetric under the swap).
    const va = a === S_VAC_O ? 1 : 0, vb = b === S_VAC_O ? 1 : 0;
    if (va === vb) return d;
    let ns = 0, nt = 0;
    for (let k = 0; k < NB2; k++) {
      const x = nb2[s * NB2 + k]!;
      if (x >= 0 && x !== t && species[x] === S_VAC_O) ns++;
      const y = nb2[t * NB2 + k]!;
      if (y >= 0 && y !== s && species[y] === S_VAC_O) nt++;
    }
    return d - bm.vv * (vb - va) * (ns - nt);
  }
  const liL = lat.liLayer, bond = bm.bond;
  // First shell: bonds to O and the V_O relief of a TM on a Li-layer site, from neighbour counts.
  let nOs = 0, nVs = 0, nOt = 0, nVt = 0;
  for (let k = 0; k < NB1; k++) {
    const x = nb1[s * NB1 + k]!;
    if (x >= 0) { const sx = species[x]!; if (sx === S_O) nOs++; else if (sx === S_VAC_O) nVs++; }
    const y = nb1[t * NB1 + k]!;
    if (y >= 0) { const sy = species[y]!; if (sy === S_O) nOt++; else if (sy === S_VAC_O) nVt++; }
  }
  const dBond = bond[b]! - bond[a]!;
  d += -dBond * (nOs - nOt) - bm.voRelief * (TM[b]! - TM[a]!) * (liL[s]! * nVs - liL[t]! * nVt);
  // Second shell: Co relief and in-plane TM–TM repulsion.
  const co = bm.coRelief, rep = bm.tmRep, ls = liL[s]!, lt = liL[t]!;
  let ipst = 0;
  for (let k = 0; k < NB2; k++) {
    const x = nb2[s * NB2 + k]!;
    if (x === t) ipst = ip[s * NB2 + k]!;
    else if (x >= 0) { const sx = species[x]!; d += p2(ls, b, liL[x]!, sx, ip[s * NB2 + k]!, co, rep) - p2(ls, a, liL[x]!, sx, ip[s * NB2 + k]!, co, rep); }
    const y = nb2[t * NB2 + k]!;
    if (y !== s && y >= 0) { const sy = species[y]!; d += p2(lt, a, liL[y]!, sy, ip[t * NB2 + k]!, co, rep) - p2(lt, b, liL[y]!, sy, ip[t * NB2 + k]!, co, rep); }
  }
  return d + p2(ls, b, lt, a, ipst, co, rep) - p2(ls, a, lt, b, ipst, co, rep);
}

/** `BondModel.pair2` for two cation sites, from their Li-layer flags (hot path of `swapDeltaEnergy`). */
function p2(liA: number, sa: number, liB: number, sb: number, inPlane: number, co: number, rep: number): number {
  let e = 0;
  const tA = TM[sa]!, tB = TM[sb]!;
  if (tA && liA && sb === S_CO) e -= co;
  if (tB && liB && sa === S_CO) e -= co;
  if (inPlane && tA && tB && (liA || liB)) e += rep;
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
        const x = lat.nb1[s * NB1 + k]!;
        if (x >= 0) e += bm.pair1(lat, s, ss, species[x]!);
      }
    }
    for (let k = 0; k < NB2; k++) {
      const x = lat.nb2[s * NB2 + k]!;
      if (x > s) e += bm.pair2(lat, s, ss, x, species[x]!, lat.nb2InPlane[s * NB2 + k]!);
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
