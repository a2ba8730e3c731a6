/**
 * Per-site neighbour counts of the NCM state, packed in one Uint32 per site and kept current
 * incrementally: everything an event rate reads beyond the two sites of its pair (bond-model ΔE,
 * exposure, V_O next to a migrating TM, cation mixing around a pair, …) is a small integer count
 * over the first or second shell of one of the two sites. A species change at x adds
 * `W(new) − W(old)` to the packed word of each neighbour of x (one add per neighbour; every field
 * stays in range, so the packed words never borrow or carry across fields).
 *
 * Cation site fields (counts over its 6 anion neighbours, then its 12 cation neighbours):
 *   O, V_O, VOID in the first shell; Co, framework TM on Li-layer sites, in-plane TM, in-plane TM on
 *   Li-layer sites, cation vacancies, VOID in the second shell.
 * Anion site fields: Li, Ni (any charge), Co, Mn and framework TM on Li-layer sites in the first
 * shell; V_O in the second shell; `exposure` = VOID sites or missing neighbours (free faces) in
 * either shell (> 0: the O touches the pore or vacuum).
 */
import { Species } from '../../lattice/species.js';
import { isFrameworkTM } from './energy.js';
import { EVENT_CATALOGUE } from './events.js';
import { neighbour1, neighbour2, type NcmDirections, type NcmLattice } from './lattice.js';

/** Neighbour-list strides (local literals: imported bindings are slow in hot loops under some loaders). */
const NB1 = 6;
const NB2 = 12;

/** Bit offset and width of each field. Cation fields: */
export const C_O1 = 0, C_VO1 = 3, C_VOID1 = 6, C_CO2 = 9, C_TMLI2 = 13, C_TMIP2 = 17, C_TMIPLI2 = 20, C_VAC2 = 23, C_VOID2 = 27;
/** Anion fields. */
export const A_LI1 = 0, A_NI1 = 3, A_CO1 = 6, A_MN1 = 9, A_TMLI1 = 12, A_VO2 = 15, A_EXP = 19;
/** Field masks by width (3 bits: first shell or in-plane, ≤ 6; 4 bits: second shell, ≤ 12; 5 bits: exposure, ≤ 18). */
export const M3 = 7, M4 = 15, M5 = 31;

/**
 * Contribution tables: what a site of species σ adds to the packed word of a neighbour.
 * - `cationToAnion[σ·2 + liLayer]`: a cation to each of its first-shell anions;
 * - `cationToCation[(σ·2 + liLayer)·2 + inPlane]`: a cation to each second-shell cation;
 * - `anionToCation[σ]`, `anionToAnion[σ]`: an anion to its first-shell cations / second-shell anions.
 */
export interface Contributions {
  readonly cationToAnion: Uint32Array;
  readonly cationToCation: Uint32Array;
  readonly anionToCation: Uint32Array;
  readonly anionToAnion: Uint32Array;
}

function buildContributions(): Contributions {
  const cationToAnion = new Uint32Array(32);
  const cationToCation = new Uint32Array(64);
  const anionToCation = new Uint32Array(16);
  const anionToAnion = new Uint32Array(16);
  for (let s = 0; s < 16; s++) {
    const tm = isFrameworkTM(s) ? 1 : 0;
    const ni = s === Species.NI2 || s === Species.NI3 || s === Species.NI4 ? 1 : 0;
    for (let li = 0; li < 2; li++) {
      cationToAnion[s * 2 + li] =
        ((s === Species.LI ? 1 : 0) << A_LI1) + (ni << A_NI1) + ((s === Species.CO ? 1 : 0) << A_CO1) + ((s === Species.MN ? 1 : 0) << A_MN1) +
        ((tm & li) << A_TMLI1) + ((s === Species.VOID ? 1 : 0) << A_EXP);
      for (let ip = 0; ip < 2; ip++) {
        cationToCation[(s * 2 + li) * 2 + ip] =
          ((s === Species.CO ? 1 : 0) << C_CO2) + ((tm & li) << C_TMLI2) + ((tm & ip) << C_TMIP2) + ((tm & ip & li) << C_TMIPLI2) + ((s === Species.VAC_CATION ? 1 : 0) << C_VAC2) + ((s === Species.VOID ? 1 : 0) << C_VOID2);
      }
    }
    anionToCation[s] = ((s === Species.O ? 1 : 0) << C_O1) + ((s === Species.VAC_O ? 1 : 0) << C_VO1) + ((s === Species.VOID ? 1 : 0) << C_VOID1);
    anionToAnion[s] = ((s === Species.VAC_O ? 1 : 0) << A_VO2) + ((s === Species.VOID ? 1 : 0) << A_EXP);
  }
  return { cationToAnion, cationToCation, anionToCation, anionToAnion };
}

/** The contribution tables (species ids are fixed, so one set serves every model). */
export const CONTRIBUTIONS: Contributions = buildContributions();

/** Packed counts of every site of `species` from scratch (O(n)); missing anion neighbours count as exposure. */
export function computeLocalCounts(lat: NcmLattice, dirs: NcmDirections, species: Uint8Array, out: Uint32Array = new Uint32Array(lat.n)): Uint32Array {
  const { n, isAnion, liLayer } = lat;
  const ip = dirs.inPlane;
  const { cationToAnion, cationToCation, anionToCation, anionToAnion } = CONTRIBUTIONS;
  for (let s = 0; s < n; s++) {
    let w = 0;
    if (isAnion[s]) {
      for (let k = 0; k < NB1; k++) {
        const x = neighbour1(lat, s, k);
        w += x < 0 ? 1 << A_EXP : cationToAnion[species[x]! * 2 + liLayer[x]!]!;
      }
      for (let k = 0; k < NB2; k++) {
        const x = neighbour2(lat, s, k);
        w += x < 0 ? 1 << A_EXP : anionToAnion[species[x]!]!;
      }
    } else {
      for (let k = 0; k < NB1; k++) {
        const x = neighbour1(lat, s, k);
        if (x >= 0) w += anionToCation[species[x]!]!;
      }
      for (let k = 0; k < NB2; k++) {
        const x = neighbour2(lat, s, k);
        if (x >= 0) w += cationToCation[(species[x]! * 2 + liLayer[x]!) * 2 + ip[k]!]!;
      }
    }
    out[s] = w;
  }
  return out;
}

/**
 * Whether a site of species σ with packed counts w can own an event slot of non-zero rate (a
 * necessary condition, from the catalogue): Li needs a cation vacancy or an empty octahedron next to
 * it, O an exposure or a V_O neighbour, V_O an exposure; a TM always may; nothing else owns events.
 */
export function mayOwnEvent(anion: number, sigma: number, w: number): boolean {
  if (anion === 1) {
    if (sigma === Species.O) return ((w >>> A_EXP) & M5) !== 0 || ((w >>> A_VO2) & M4) !== 0;
    return sigma === Species.VAC_O && ((w >>> A_EXP) & M5) !== 0;
  }
  if (sigma === Species.LI) return ((w >>> C_VAC2) & M4) !== 0 || ((w >>> C_VOID2) & M4) !== 0;
  return isFrameworkTM(sigma);
}

/**
 * Whether a site of species σ with packed counts w can be the target of an event slot of non-zero
 * rate (necessary condition): Li, cation vacancies, empty octahedra, Ni²⁺ (Ni⁰ pairs) and V_O always
 * may; O only when exposed (O2 release); Ni³⁺/Ni⁴⁺/Co/Mn/Ni⁰/Li2O and pore anion sites never.
 */
export function mayBeTarget(anion: number, sigma: number, w: number): boolean {
  if (anion === 1) return sigma === Species.VAC_O || (sigma === Species.O && ((w >>> A_EXP) & M5) !== 0);
  return sigma === Species.LI || sigma === Species.VAC_CATION || sigma === Species.VOID || sigma === Species.NI2;
}

/**
 * The owner → target species pairs the two filters above were written for (sublattice, owner,
 * targets). Checked against the event catalogue when this module loads: a new pattern that the
 * filters do not cover stops every run and test at once, with this message, instead of leaving
 * slots stale.
 */
const FILTERED_PAIRS: readonly [0 | 1, number, readonly number[]][] = [
  [1, Species.O, [Species.O, Species.VAC_O]],
  [1, Species.VAC_O, [Species.VAC_O]],
  [0, Species.LI, [Species.VAC_CATION, Species.VOID]],
  [0, Species.NI2, [Species.LI, Species.VAC_CATION, Species.VOID, Species.NI2]],
  ...[Species.NI3, Species.NI4, Species.CO, Species.MN].map((o) => [0, o, [Species.LI, Species.VAC_CATION, Species.VOID]] as [0, number, number[]]),
];
{
  const key = (an: number, o: number, t: number) => `${an}:${o}>${t}`;
  const covered = new Set(FILTERED_PAIRS.flatMap(([an, o, ts]) => ts.map((t) => key(an, o, t))));
  const inCatalogue = new Set(EVENT_CATALOGUE.flatMap((p) => p.owner.flatMap((o) => p.target.map((t) => key(p.sublattice === 'anion' ? 1 : 0, o, t)))));
  for (const k of inCatalogue) if (!covered.has(k)) throw new Error(`local.ts: the event catalogue has owner>target ${k} (sublattice:owner>target), which mayOwnEvent/mayBeTarget do not cover: update them and FILTERED_PAIRS`);
}
