/**
 * Arrhenius data of one NCM event slot in the current state: which event the pair (owner → target)
 * allows, its environment-dependent E_KRA, and Ea = E_KRA + ΔE/2 from the bond model (clamped ≥ 0).
 * Pure functions of the state; `model.ts` calls them for the engine.
 */
import { BOLTZMANN_EV_PER_K } from '../../core/index.js';
import type { SlotRate } from '../model.js';
import { BondModel, deltaEnergy, isFrameworkTM, swapDeltaEnergy } from './energy.js';
import { type NcmLattice } from './lattice.js';

/** Neighbour-list strides (local literals: imported bindings are slow in hot loops under some loaders). */
const NB1 = 6;
const NB2 = 12;
import type { OxygenLinearisation } from './oxygen.js';
import type { NcmParams } from './params.js';

/** Local copies of species ids and event kinds (hot loops; checked against the shared tables in tests). */
const S_CO = 5;
const S_MN = 6;
const S_NI3 = 3;
const S_NI4 = 4;
const S_O = 9;
const S_VAC_CATION = 8;
const S_VAC_O = 10;
const S_VOID = 0;
const K_APB_MIGRATION = 6;
const K_LI_HOP = 8;
const K_NI0_FORMATION = 9;
const K_NONE = 0;
const K_O2_ADSORPTION = 2;
const K_O2_RELEASE = 1;
const K_SURFACE_CATION_DIFFUSION = 7;
const K_TM_MIGRATION = 5;
const K_VO_MIGRATION = 3;


/** What a rate evaluation needs (shared with the model). */
export interface RateContext {
  readonly lat: NcmLattice;
  readonly species: Uint8Array;
  readonly p: NcmParams;
  readonly bm: BondModel;
  readonly table: Uint8Array;
  readonly pairOnce: Uint8Array;
  lin: OxygenLinearisation;
  /** Reducible Ni charge left in the whole lattice (#Ni³⁺ + 2·#Ni⁴⁺): O2 release needs 4. */
  reducible: number;
  /** Rate-rescaling floor of the fast classes in the current window, eV (see `NcmParams.fastRateCap_Hz`). */
  fastFloor_eV: number;
  /** Floor of in-plane exchanges inside rock salt in the current window, eV (see `NcmParams.rockSaltExchangeCap_Hz`). */
  rockSaltFloor_eV: number;
  /** Scratch for deltaEnergy. */
  readonly chg: Int32Array;
  readonly nxt: Int32Array;
}

/** Event kind of slot (owner s → target t = nb2[slot]); NONE when no event applies now. */
export function slotKind(c: RateContext, slot: number): number {
  const t = c.lat.nb2[slot]!;
  if (t < 0) return K_NONE;
  const s = (slot / NB2) | 0;
  const i = ((c.lat.isAnion[s]! * 2 + c.lat.nb2InPlane[slot]!) * 16 + c.species[s]!) * 16 + c.species[t]!;
  const kind = c.table[i]!;
  if (kind !== 0 && c.pairOnce[kind] && t < s) return K_NONE;
  return kind;
}

/** True when anion site a touches the pore/vacuum (a VOID site or a free face (−1) in its first or second shell). */
export function exposed(c: RateContext, a: number): boolean {
  const { nb1, nb2 } = c.lat;
  for (let k = 0; k < NB1; k++) {
    const x = nb1[a * NB1 + k]!;
    if (x < 0 || c.species[x] === S_VOID) return true;
  }
  for (let k = 0; k < NB2; k++) {
    const x = nb2[a * NB2 + k]!;
    if (x < 0 || c.species[x] === S_VOID) return true;
  }
  return false;
}

/** Number of first-shell neighbours of `site` holding species in `mask` (bit per species id). */
function countNb1(c: RateContext, site: number, mask: number): number {
  let n = 0;
  for (let k = 0; k < NB1; k++) {
    const x = c.lat.nb1[site * NB1 + k]!;
    if (x >= 0 && (mask >> c.species[x]!) & 1) n++;
  }
  return n;
}

/** Count of TM on Li-layer sites among the second shells of s and t (excluding s, t). */
function mixedAround(c: RateContext, s: number, t: number): number {
  let n = 0;
  for (let w = 0; w < 2; w++) {
    const a = w === 0 ? s : t;
    for (let k = 0; k < NB2; k++) {
      const x = c.lat.nb2[a * NB2 + k]!;
      if (x < 0 || x === s || x === t) continue;
      if (c.lat.liLayer[x] && isFrameworkTM(c.species[x]!)) n++;
    }
  }
  return n;
}

/** Vacant cation sites among the second shells of s and t (excluding s, t). */
function vacanciesAround(c: RateContext, s: number, t: number): number {
  let n = 0;
  for (let w = 0; w < 2; w++) {
    const a = w === 0 ? s : t;
    for (let k = 0; k < NB2; k++) {
      const x = c.lat.nb2[a * NB2 + k]!;
      if (x >= 0 && x !== s && x !== t && c.species[x] === S_VAC_CATION) n++;
    }
  }
  return n;
}

/** TM on Li-layer sites among the second shell of `a`, not counting `skip`. */
function mixedNear(c: RateContext, a: number, skip: number): number {
  let n = 0;
  for (let k = 0; k < NB2; k++) {
    const x = c.lat.nb2[a * NB2 + k]!;
    if (x >= 0 && x !== skip && c.lat.liLayer[x] && isFrameworkTM(c.species[x]!)) n++;
  }
  return n;
}

/**
 * Minimum number of TM on Li-layer sites in the second shell of EACH of the two sites (the pair itself
 * excluded) for an in-plane exchange to count as inside rock salt (`NcmParams.rockSaltExchangeCap_Hz`).
 * Ordered layers with 3 % antisites: P ≈ 2e-4 per pair; cation-mixed rim (≈ 40 % TM on Li-layer sites): ≈ 0.4.
 */
export const ROCK_SALT_MIN_MIXED = 2;

/**
 * True when both ends of the in-plane pair (s, t) sit in a cation-mixed (rock-salt-like) environment.
 * Depends only on the species of the other sites, so it is the same before and after the exchange
 * (forward and backward events get the same floor: detailed balance holds).
 */
export function inRockSalt(c: RateContext, s: number, t: number): boolean {
  return mixedNear(c, s, t) >= ROCK_SALT_MIN_MIXED && mixedNear(c, t, s) >= ROCK_SALT_MIN_MIXED;
}

const BIT = (s: number): number => 1 << s;
const O_MASK = BIT(S_O);
const VO_MASK = BIT(S_VAC_O);
const VOID_MASK = BIT(S_VOID);

/** Oxidation-state mobility penalty of a migrating TM, eV. */
function oxPenalty(p: NcmParams, s: number): number {
  return s === S_NI3 ? p.ni3MobilityPenalty_eV : s === S_NI4 ? p.ni4MobilityPenalty_eV : 0;
}

/** E_KRA of a TM migration (owner species so, sites s → t), eV, by species and environment. */
export function tmMigrationBarrier(c: RateContext, s: number, t: number, so: number): number {
  const p = c.p;
  const nearVO = countNb1(c, s, VO_MASK) + countNb1(c, t, VO_MASK) > 0;
  const bulkExtra = p.tmMigrationBulk_barrier_eV - p.tmMigrationNearVO_barrier_eV;
  if (so === S_CO || so === S_MN) return p.tmMigrationCoMn_barrier_eV + (nearVO ? 0 : bulkExtra);
  let e: number;
  if (nearVO) e = p.tmMigrationNearVO_barrier_eV;
  else if (mixedAround(c, s, t) >= 2) e = p.rockSaltCoarsening_barrier_eV;
  else e = p.tmMigrationBulk_barrier_eV;
  return e + oxPenalty(p, so);
}

/** Shared first-shell (anion) neighbours of two NN cations s, t into out[0..2); returns the count. */
export function sharedAnions(lat: NcmLattice, s: number, t: number, out: Int32Array): number {
  let m = 0;
  for (let k = 0; k < NB1 && m < 2; k++) {
    const a = lat.nb1[s * NB1 + k]!;
    if (a < 0) continue;
    for (let q = 0; q < NB1; q++) if (lat.nb1[t * NB1 + q] === a) { out[m++] = a; break; }
  }
  return m;
}

function setRate(out: SlotRate, nu: number, ea: number): void {
  out.nu_Hz = nu;
  out.barrier_eV = ea > 0 ? ea : 0;
}

function swapDE(c: RateContext, s: number, t: number): number {
  return swapDeltaEnergy(c.bm, c.lat, c.species, s, t);
}

function setBothDE(c: RateContext, s: number, t: number, sp: number): number {
  c.chg[0] = s; c.chg[1] = t;
  c.nxt[0] = sp; c.nxt[1] = sp;
  return deltaEnergy(c.bm, c.lat, c.species, c.chg, c.nxt, 2);
}

/** Fill `out` with the Arrhenius data of `slot` (ν = 0 when nothing can happen). Returns the kind. */
export function computeSlotRate(c: RateContext, slot: number, out: SlotRate): number {
  out.nu_Hz = 0;
  out.barrier_eV = 0;
  const kind = slotKind(c, slot);
  if (kind === K_NONE) return kind;
  const s = (slot / NB2) | 0;
  const t = c.lat.nb2[slot]!;
  const p = c.p;
  const nu = p.nu_Hz;
  const sp = c.species;
  switch (kind) {
    case K_O2_RELEASE:
    case K_O2_ADSORPTION: {
      if (!exposed(c, s) || !exposed(c, t)) return K_NONE;
      if (kind === K_O2_RELEASE && c.reducible < 4) return K_NONE;
      const kra = p.o2Release_barrier_eV - 0.5 * p.o2ReleaseReference_deltaE_eV;
      const { h_eV: h, g_eVPerK: g } = c.lin;
      if (kind === K_O2_RELEASE) {
        const dE = setBothDE(c, s, t, S_VAC_O);
        setRate(out, nu * Math.exp(-g / BOLTZMANN_EV_PER_K), kra + 0.5 * dE + h);
      } else {
        const dE = setBothDE(c, s, t, S_O);
        setRate(out, nu * Math.exp(g / BOLTZMANN_EV_PER_K), kra + 0.5 * dE - h);
      }
      return kind;
    }
    case K_VO_MIGRATION: {
      const surf = exposed(c, s) || exposed(c, t);
      const e = surf ? p.vOMigrationSurface_barrier_eV : p.vOMigrationBulk_barrier_eV;
      setRate(out, nu, Math.max(e, c.fastFloor_eV) + 0.5 * swapDE(c, s, t));
      return kind;
    }
    case K_TM_MIGRATION:
      setRate(out, nu, Math.max(tmMigrationBarrier(c, s, t, sp[s]!), c.fastFloor_eV) + 0.5 * swapDE(c, s, t));
      return kind;
    case K_APB_MIGRATION: {
      // In-plane Li ↔ TM exchanges inside rock salt change no layer occupancy: quasi-equilibrated at a lower cap.
      const floor = c.rockSaltFloor_eV > c.fastFloor_eV && inRockSalt(c, s, t) ? c.rockSaltFloor_eV : c.fastFloor_eV;
      setRate(out, nu, Math.max(p.apbMigration_barrier_eV, floor) + 0.5 * swapDE(c, s, t));
      return kind;
    }
    case K_SURFACE_CATION_DIFFUSION: {
      if (countNb1(c, s, O_MASK) < 3 || countNb1(c, t, O_MASK) < 3) return K_NONE;
      setRate(out, nu, Math.max(p.surfaceDiffusion_barrier_eV + oxPenalty(p, sp[s]!), c.fastFloor_eV) + 0.5 * swapDE(c, s, t));
      return kind;
    }
    case K_LI_HOP: {
      const e = vacanciesAround(c, s, t) > 0 ? p.liHopDivacancy_barrier_eV : p.liHopSingle_barrier_eV;
      setRate(out, nu, Math.max(e, p.liHopFloor_eV, c.fastFloor_eV) + 0.5 * swapDE(c, s, t));
      return kind;
    }
    case K_NI0_FORMATION: {
      if (!c.lin.niGateOpen) return K_NONE;
      const m = sharedAnions(c.lat, s, t, c.chg);
      if (m < 2 || sp[c.chg[0]!] !== S_O || sp[c.chg[1]!] !== S_O) return K_NONE;
      const reduced = countNb1(c, s, VO_MASK | VOID_MASK) + countNb1(c, t, VO_MASK | VOID_MASK);
      if (reduced === 0) return K_NONE;
      // Ea = E_KRA + ΔG/2, ΔG = 2(Δμ_O,eff − Ni/NiO line) per O2 (linear in T: hNi + gNi·T).
      setRate(out, nu * Math.exp(-c.lin.gNi_eVPerK / BOLTZMANN_EV_PER_K), p.ni0Formation_barrier_eV + c.lin.hNi_eV);
      return kind;
    }
    default:
      return K_NONE;
  }
}
