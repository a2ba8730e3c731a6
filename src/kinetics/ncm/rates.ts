/**
 * Arrhenius data of the NCM event slots: which event the pair (owner → target) allows, its
 * environment-dependent E_KRA, and Ea = E_KRA + ΔE/2 from the bond model (clamped ≥ 0).
 *
 * Every input beyond the two sites' species is a packed neighbour count (`local.ts`), so a slot's
 * data reduce to a pattern code (kind + environment variant) and the ΔE of the pair, interned as a
 * rate class (`classes.ts`): `slotClass` is O(1) per slot, and the window-dependent parts (the μ_O
 * linearisation, the rate-rescaling floors, the Ni/NiO gate) are applied per class in `fillClass`.
 * ΔE here is the closed form of `deltaEnergy` (energy.ts) over those counts (same value up to
 * float rounding; test/kinetics/ncm-model.test.ts checks it against `deltaEnergy` pair by pair).
 * A cation exchange's class depends on nothing else than the kind-table index and the two packed
 * words, so it is memoised on them, masked to the bits it reads (`NcmRateClasses.memo`,
 * `memoMasks`): most re-derivations after an event are one table probe, taken inline in the refresh
 * passes (test/kinetics/ncm-equivalence.test.ts compares every slot with a reference evaluator that
 * has no caches; test/kinetics/ncm-memo.test.ts checks the masks).
 */
import { BOLTZMANN_EV_PER_K } from '../../core/index.js';
import { Species } from '../../lattice/species.js';
import type { AffectedSlots, SlotRate } from '../model.js';
import { BondModel, isFrameworkTM } from './energy.js';
import { ANION_ADSORPTION, ANION_HOP, ANION_RELEASE, KEY_OUT, anionPairKey, cationSwapKey, cationSwapKeyMasks, keyDeltaEnergy } from './delta.js';
import { EventKind, eventTableIndex } from './events.js';
import { neighbour1, neighbour2, neighbourRow, type NcmDirections, type NcmLattice } from './lattice.js';
import { A_EXP, C_O1, C_TMLI2, C_VAC2, C_VO1, C_VOID1, M3, M4, M5 } from './local.js';
import { MEMO_SIZE, type NcmRateClasses } from './classes.js';
import type { OxygenLinearisation } from './oxygen.js';
import type { NcmParams } from './params.js';

/** Neighbour-list strides (local literals: imported bindings are slow in hot loops under some loaders). */
const NB1 = 6;
const NB2 = 12;

/** Module constants for the hot paths, taken from the shared tables (no literal ids). */
const S_LI = Species.LI, S_NI2 = Species.NI2, S_NI3 = Species.NI3, S_NI4 = Species.NI4, S_VAC_CATION = Species.VAC_CATION, S_O = Species.O;
const K_NONE = EventKind.NONE, K_O2_RELEASE = EventKind.O2_RELEASE, K_O2_ADSORPTION = EventKind.O2_ADSORPTION, K_VO_MIGRATION = EventKind.VO_MIGRATION;
const K_TM_MIGRATION = EventKind.TM_MIGRATION, K_APB_MIGRATION = EventKind.APB_MIGRATION, K_SURFACE_CATION_DIFFUSION = EventKind.SURFACE_CATION_DIFFUSION;
const K_LI_HOP = EventKind.LI_HOP, K_NI0_FORMATION = EventKind.NI0_FORMATION, K_IN_PLANE_EXCHANGE = EventKind.IN_PLANE_EXCHANGE;

/** Framework TM flag per species. */
const TM = new Uint8Array(16);
for (let s = 0; s < 16; s++) TM[s] = isFrameworkTM(s) ? 1 : 0;

/**
 * Minimum number of TM on Li-layer sites in the second shell of EACH of the two sites (the pair itself
 * excluded) for an in-plane exchange to count as inside rock salt (`NcmParams.rockSaltExchangeCap_Hz`).
 * Ordered layers with 3 % antisites: P ≈ 2e-4 per pair; cation-mixed rim (≈ 40 % TM on Li-layer sites): ≈ 0.4.
 */
export const ROCK_SALT_MIN_MIXED = 2;

/** TM-migration environment variants (pattern code). */
const ENV_NEAR_VO = 0, ENV_ROCK_SALT = 1, ENV_BULK = 2;
/** Owner classes of a TM migration (pattern code): Ni²⁺, Ni³⁺, Ni⁴⁺, Co or Mn. */
const OWNER_NI2 = 0, OWNER_NI3 = 1, OWNER_NI4 = 2, OWNER_CO_MN = 3;

/** What a rate evaluation needs (shared with the model). */
export interface RateContext {
  readonly lat: NcmLattice;
  readonly dirs: NcmDirections;
  readonly species: Uint8Array;
  /** Packed neighbour counts per site (local.ts). */
  readonly local: Uint32Array;
  /** Site code per site: species | Li-layer flag << 4 (`siteCode`), kept with the species. */
  readonly code: Uint8Array;
  /** Event kind by ((sublattice·2 + in-plane)·32 + owner code)·32 + target code (`kindTableByCode`). */
  readonly kindByCode: Uint8Array;
  readonly p: NcmParams;
  readonly bm: BondModel;
  readonly table: Uint8Array;
  readonly pairOnce: Uint8Array;
  readonly classes: NcmRateClasses;
  /** Sets a new class's ΔE and Arrhenius data (bound once to this context). */
  readonly create: (id: number) => void;
  lin: OxygenLinearisation;
  /** Reducible Ni charge left in the whole lattice (#Ni³⁺ + 2·#Ni⁴⁺): O2 release needs 4. */
  reducible: number;
  /** Rate-rescaling floor of the fast classes in the current window, eV (see `NcmParams.fastRateCap_Hz`). */
  fastFloor_eV: number;
  /** Floor of in-plane exchanges inside rock salt in the current window, eV (see `NcmParams.rockSaltExchangeCap_Hz`). */
  rockSaltFloor_eV: number;
}

/** Event kind of slot = s·12 + k (owner s → target t, its second-shell neighbour k); NONE when no event applies now. */
export function slotKind(c: RateContext, slot: number): number {
  const s = (slot / NB2) | 0;
  const lat = c.lat;
  const t = neighbour2(lat, s, slot - s * NB2);
  if (t < 0) return K_NONE;
  const an = lat.isAnion[s]!;
  const across = an === 1 ? 0 : lat.liLayer[s]! ^ lat.liLayer[t]!;
  const kind = c.table[eventTableIndex(an, c.dirs.inPlane[slot % NB2]!, across, c.species[s]!, c.species[t]!)]!;
  if (kind !== 0 && c.pairOnce[kind] === 1 && t < s) return K_NONE;
  return kind;
}

/** Site code: species | Li-layer flag << 4 (one byte tells the event table both). */
export function siteCode(species: number, liLayer: number): number {
  return species | (liLayer << 4);
}

/** The event table re-indexed by site codes: the layer relation of a cation pair is read from the two codes. */
export function kindTableByCode(table: Uint8Array): Uint8Array {
  const out = new Uint8Array(2 * 2 * 32 * 32);
  for (let an = 0; an < 2; an++) for (let ip = 0; ip < 2; ip++) for (let ca = 0; ca < 32; ca++) for (let cb = 0; cb < 32; cb++) {
    const across = an === 1 ? 0 : (ca >> 4) ^ (cb >> 4);
    out[((an * 2 + ip) * 32 + ca) * 32 + cb] = table[eventTableIndex(an, ip, across, ca & 15, cb & 15)]!;
  }
  return out;
}

/**
 * Class id of the slot of site s in direction k in the current state (0: no event now), given its
 * id so far (`current`, returned unchanged without an interning probe when its pattern is the same).
 * O(1): species and packed counts of the two sites, a few table lookups, at most one probe.
 */
export function slotClass(c: RateContext, s: number, k: number, current: number): number {
  const t = neighbour2(c.lat, s, k);
  if (t < 0) return 0;
  const cs = c.code[s]!, ct = c.code[t]!, an = c.lat.isAnion[s]!;
  const kind = c.kindByCode[((an * 2 + c.dirs.inPlane[k]!) * 32 + cs) * 32 + ct]!;
  return kind === K_NONE ? 0 : pairClass(c, s, t, k, cs, ct, an, kind, current);
}

/**
 * `slotClass` for every slot owned by site y: writes changed ids, pushes their slots into `changed`.
 * `movedBit` is the flag in `flags` of a site whose species changed in this event. A slot whose kind
 * is NONE now and whose two sites both lack it had kind NONE before too, so its id is 0 already (a
 * slot of kind NONE always has id 0): it is skipped without reading the id.
 */
export function refreshOwnSlots(c: RateContext, y: number, flags: Uint8Array, movedBit: number, changed: AffectedSlots): void {
  const lat = c.lat, code = c.code, cl = c.classes, kbc = c.kindByCode, inPlane = c.dirs.inPlane, local = c.local;
  const cy = code[y]!, an = lat.isAnion[y]!;
  const off = lat.nbOffset, row = neighbourRow(lat, y) + NB1;
  const yMoved = flags[y]! & movedBit;
  for (let k = 0; k < NB2; k++) {
    const t = y + off[row + k]!;
    if (t < 0) continue;
    const ct = code[t]!;
    // the kind is looked up here: most pairs have none, and pairClass is too large to inline
    const kind = kbc[((an * 2 + inPlane[k]!) * 32 + cy) * 32 + ct]!;
    if (kind === K_NONE && (yMoved | (flags[t]! & movedBit)) === 0) continue;
    const slot = y * NB2 + k;
    const cur = cl.ids[slot]!;
    let id = 0;
    if (kind !== K_NONE) {
      // a cation exchange's memo hit is taken here, without a call to pairClass
      id = SWAP_KIND[kind] === 1 ? memoLookup(cl, ((an * 2 + inPlane[k]!) * 32 + cy) * 32 + ct, local[y]!, local[t]!) : -1;
      if (id < 0) id = pairClass(c, y, t, k, cy, ct, an, kind, cur);
    }
    if (id !== cur) {
      cl.ids[slot] = id; // (cl.ids re-read: interning may widen the array)
      changed.push(slot);
    }
  }
}

/**
 * `slotClass` for every slot pointing at site y (owner x = y's neighbour along k, direction
 * opposite[k]), except from owners flagged with `skipBit` in `flags` (their own pass covers them;
 * every site whose species changed must carry it). With `yMoved` false (y's species unchanged), a
 * slot whose kind is NONE now had kind NONE before, so its id is 0 already and is not read.
 */
export function refreshIncomingSlots(c: RateContext, y: number, flags: Uint8Array, skipBit: number, yMoved: boolean, changed: AffectedSlots): void {
  const lat = c.lat, code = c.code, cl = c.classes, opp = c.dirs.opposite, kbc = c.kindByCode, inPlane = c.dirs.inPlane, local = c.local;
  const cy = code[y]!, an = lat.isAnion[y]!;
  const off = lat.nbOffset, row = neighbourRow(lat, y) + NB1;
  for (let k = 0; k < NB2; k++) {
    const x = y + off[row + k]!;
    if (x < 0 || (flags[x]! & skipBit) !== 0) continue;
    const j = opp[k]!;
    const cx = code[x]!;
    const kind = kbc[((an * 2 + inPlane[j]!) * 32 + cx) * 32 + cy]!;
    if (kind === K_NONE && !yMoved) continue;
    const slot = x * NB2 + j;
    const cur = cl.ids[slot]!;
    let id = 0;
    if (kind !== K_NONE) {
      id = SWAP_KIND[kind] === 1 ? memoLookup(cl, ((an * 2 + inPlane[j]!) * 32 + cx) * 32 + cy, local[x]!, local[y]!) : -1;
      if (id < 0) id = pairClass(c, x, y, j, cx, cy, an, kind, cur);
    }
    if (id !== cur) {
      cl.ids[slot] = id;
      changed.push(slot);
    }
  }
}

/**
 * Class of the pair slot s → t (direction k; site codes cs, ct; sublattice an; its event kind, not
 * NONE). A cation exchange's class is a function of the kind-table index and the two packed words
 * only: it is memoised (`NcmRateClasses.memo`).
 */
function pairClass(c: RateContext, s: number, t: number, k: number, cs: number, ct: number, an: number, kind: number, current: number): number {
  if (c.pairOnce[kind] === 1 && t < s) return 0;
  const ip = c.dirs.inPlane[k]!;
  const ws = c.local[s]!, wt = c.local[t]!;
  if (SWAP_KIND[kind] === 1) {
    const idx = ((an * 2 + ip) * 32 + cs) * 32 + ct;
    const hit = memoLookup(c.classes, idx, ws, wt);
    if (hit >= 0) return hit;
    const id = swapClass(c, kind, cs, ct, ip, ws, wt, current);
    memoStore(c.classes, idx, ws, wt, id);
    return id;
  }
  let code: number;
  switch (kind) {
    case K_O2_RELEASE:
    case K_O2_ADSORPTION:
      if (((ws >>> A_EXP) & M5) === 0 || ((wt >>> A_EXP) & M5) === 0) return 0;
      if (kind === K_O2_RELEASE && c.reducible < 4) return 0;
      code = kind;
      anionPairKey(kind === K_O2_RELEASE ? ANION_RELEASE : ANION_ADSORPTION, ws, wt);
      break;
    case K_VO_MIGRATION:
      code = kind + (((ws >>> A_EXP) & M5) !== 0 || ((wt >>> A_EXP) & M5) !== 0 ? 16 : 0);
      anionPairKey(ANION_HOP, ws, wt);
      break;
    case K_NI0_FORMATION: {
      const q1 = c.dirs.shared[2 * k]!, q2 = c.dirs.shared[2 * k + 1]!;
      if (q1 === 255) return 0;
      const sp = c.species;
      const o1 = neighbour1(c.lat, s, q1), o2 = neighbour1(c.lat, s, q2);
      if (o1 < 0 || o2 < 0 || sp[o1] !== S_O || sp[o2] !== S_O) return 0;
      if (((ws >>> C_VO1) & M3) + ((ws >>> C_VOID1) & M3) + ((wt >>> C_VO1) & M3) + ((wt >>> C_VOID1) & M3) === 0) return 0;
      code = kind;
      KEY_OUT[0] = 0;
      break;
    }
    default:
      return 0;
  }
  return internClass(c, code, current);
}

/** Id of class (code, KEY_OUT[0]): `current` when it is that class already, else interned. */
function internClass(c: RateContext, code: number, current: number): number {
  const cl = c.classes;
  if (current !== 0 && cl.key[current] === KEY_OUT[0] && cl.code[current] === code) return current;
  return cl.intern(code, KEY_OUT, c.create);
}

/** Kinds whose class is a function of (kind-table index, ws, wt) alone: the cation exchanges (memoised). */
const SWAP_KIND = new Uint8Array(16);
for (const kd of [K_TM_MIGRATION, K_APB_MIGRATION, K_IN_PLANE_EXCHANGE, K_SURFACE_CATION_DIFFUSION, K_LI_HOP]) SWAP_KIND[kd] = 1;
/** Mask of a memo entry index (MEMO_SIZE a power of two). */
const MEMO_MASK = MEMO_SIZE - 1;

/** Offset of the memo entry of (ws, wt, kind-table index) in `NcmRateClasses.memo`. */
function memoSlot(ws: number, wt: number, idx: number): number {
  let h = Math.imul(ws ^ Math.imul(wt ^ (wt >>> 15), 0x9e3779b1) ^ Math.imul(idx + 1, 0x85ebca6b), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h & MEMO_MASK) << 2;
}

/**
 * The class id the memo holds for a cation exchange at kind-table index `idx` with packed words ws,
 * wt (masked here to the bits its class reads, `memoMasks`), or −1.
 */
function memoLookup(cl: NcmRateClasses, idx: number, ws: number, wt: number): number {
  const ms = ws & cl.memoMask[2 * idx]!, mt = wt & cl.memoMask[2 * idx + 1]!;
  const memo = cl.memo, at = memoSlot(ms, mt, idx);
  return memo[at + 2] === idx && memo[at] === ms && memo[at + 1] === mt ? memo[at + 3]! : -1;
}

/** Remember class `id` for a cation exchange at kind-table index `idx` with packed words ws, wt (masked here). */
function memoStore(cl: NcmRateClasses, idx: number, ws: number, wt: number, id: number): void {
  const ms = ws & cl.memoMask[2 * idx]!, mt = wt & cl.memoMask[2 * idx + 1]!;
  const memo = cl.memo, at = memoSlot(ms, mt, idx);
  memo[at] = ms;
  memo[at + 1] = mt;
  memo[at + 2] = idx;
  memo[at + 3] = id;
}

/** Class of a cation exchange (owner code cs → target code ct, in-plane flag ip, packed words ws, wt). */
function swapClass(c: RateContext, kind: number, cs: number, ct: number, ip: number, ws: number, wt: number, current: number): number {
  const code = swapPattern(kind, cs, ct, ip, ws, wt);
  return code < 0 ? 0 : internClass(c, code, current);
}

/**
 * Fields of the packed words (the same in both) that `swapPattern` reads beyond the ΔE key, for a
 * cation exchange of kind `kind` whose owner holds species `a`. Keep in step with `swapPattern`:
 * test/kinetics/ncm-memo.test.ts redraws every other bit and changes every field named here.
 */
function swapEnvFields(kind: number, a: number): number {
  switch (kind) {
    case K_TM_MIGRATION:
      // near V_O; TM on Li-layer sites (rock salt) unless the owner is Co or Mn
      return (M3 << C_VO1) | (a === S_NI2 || a === S_NI3 || a === S_NI4 ? M4 << C_TMLI2 : 0);
    case K_APB_MIGRATION:
    case K_IN_PLANE_EXCHANGE:
      return M4 << C_TMLI2;
    case K_SURFACE_CATION_DIFFUSION:
      return M3 << C_O1;
    case K_LI_HOP:
      return M4 << C_VAC2;
    default:
      return -1;
  }
}

/**
 * Pair-class memo masks by kind-table index ((sublattice·2 + in-plane)·32 + owner code)·32 + target
 * code: [2·idx] over the owner's packed word, [2·idx + 1] over the target's. For a cation exchange,
 * the bits `swapPattern` reads (its ΔE key's fields and its environment's), so words that differ
 * elsewhere share a memo entry; −1 (every bit) for the other kinds.
 */
export function memoMasks(kindByCode: Uint8Array): Int32Array {
  const out = new Int32Array(2 * kindByCode.length).fill(-1);
  for (let idx = 0; idx < kindByCode.length; idx++) {
    const kind = kindByCode[idx]!;
    if (SWAP_KIND[kind] !== 1) continue;
    const ip = (idx >> 10) & 1, cs = (idx >> 5) & 31, ct = idx & 31;
    cationSwapKeyMasks(cs & 15, ct & 15, cs >> 4, ct >> 4, ip, out, 2 * idx);
    const env = swapEnvFields(kind, cs & 15);
    out[2 * idx] = out[2 * idx]! | env;
    out[2 * idx + 1] = out[2 * idx + 1]! | env;
  }
  return out;
}

/**
 * Pattern code of a cation exchange of kind `kind` (owner code cs → target code ct, in-plane flag
 * ip, packed words ws, wt), with its ΔE key in KEY_OUT[0]; −1 when the pair has no event now.
 */
export function swapPattern(kind: number, cs: number, ct: number, ip: number, ws: number, wt: number): number {
  const a = cs & 15, b = ct & 15, ls = cs >> 4, lt = ct >> 4;
  let code: number;
  switch (kind) {
    case K_TM_MIGRATION: {
      const nearVO = ((ws >>> C_VO1) & M3) + ((wt >>> C_VO1) & M3) > 0;
      const owner = a === S_NI2 ? OWNER_NI2 : a === S_NI3 ? OWNER_NI3 : a === S_NI4 ? OWNER_NI4 : OWNER_CO_MN;
      let env = nearVO ? ENV_NEAR_VO : ENV_BULK;
      // TM on Li-layer sites around the pair (the pair excluded; the target is Li or a vacancy)
      if (!nearVO && owner !== OWNER_CO_MN && ((ws >>> C_TMLI2) & M4) + ((wt >>> C_TMLI2) & M4) - (TM[a]! & ls) - (TM[b]! & lt) >= 2) env = ENV_ROCK_SALT;
      code = kind + 16 * (owner * 3 + env);
      break;
    }
    case K_APB_MIGRATION:
    case K_IN_PLANE_EXCHANGE: {
      // Both ends in a cation-mixed environment (the pair excluded): same before and after the exchange.
      const rs = ((ws >>> C_TMLI2) & M4) - (TM[b]! & lt) >= ROCK_SALT_MIN_MIXED && ((wt >>> C_TMLI2) & M4) - (TM[a]! & ls) >= ROCK_SALT_MIN_MIXED;
      code = kind + (rs ? 16 : 0);
      break;
    }
    case K_SURFACE_CATION_DIFFUSION:
      if (((ws >>> C_O1) & M3) < 3 || ((wt >>> C_O1) & M3) < 3) return -1;
      code = kind + 16 * (a === S_NI3 ? 1 : a === S_NI4 ? 2 : 0);
      break;
    case K_LI_HOP: {
      const vac = ((ws >>> C_VAC2) & M4) + ((wt >>> C_VAC2) & M4) - (b === S_VAC_CATION ? 1 : 0) - (a === S_VAC_CATION ? 1 : 0);
      code = kind + (vac > 0 ? 16 : 0);
      break;
    }
    default:
      return -1;
  }
  cationSwapKey(a, b, ls, lt, ip, ws, wt);
  return code;
}

/** Oxidation-state mobility penalty of a migrating TM, eV. */
function oxPenalty(p: NcmParams, variant: number): number {
  return variant === 1 ? p.ni3MobilityPenalty_eV : variant === 2 ? p.ni4MobilityPenalty_eV : 0;
}

/** E_KRA of a TM migration by pattern variant (owner·3 + environment), eV. */
function tmMigrationBarrier(p: NcmParams, variant: number): number {
  const owner = (variant / 3) | 0, env = variant - 3 * owner;
  if (owner === OWNER_CO_MN) return p.tmMigrationCoMn_barrier_eV + (env === ENV_NEAR_VO ? 0 : p.tmMigrationBulk_barrier_eV - p.tmMigrationNearVO_barrier_eV);
  const e = env === ENV_NEAR_VO ? p.tmMigrationNearVO_barrier_eV : env === ENV_ROCK_SALT ? p.rockSaltCoarsening_barrier_eV : p.tmMigrationBulk_barrier_eV;
  return e + oxPenalty(p, owner);
}

/** A new class: decode its ΔE (eV) from its key, then its Arrhenius data in the current window. */
export function createClass(c: RateContext, id: number): void {
  c.classes.dE_eV[id] = keyDeltaEnergy(c.bm, c.classes.key[id]!);
  fillClass(c, id);
}

/** Set the Arrhenius data of class `id` in the current window (ν = 0 where a gate is closed). */
export function fillClass(c: RateContext, id: number): void {
  const cl = c.classes;
  const code = cl.code[id]!;
  const kind = code & 15, variant = code >> 4;
  const dE = cl.dE_eV[id]!;
  const p = c.p;
  let nu = p.nu_Hz, ea: number;
  switch (kind) {
    case K_O2_RELEASE:
    case K_O2_ADSORPTION: {
      const kra = p.o2Release_barrier_eV - 0.5 * p.o2ReleaseReference_deltaE_eV;
      const { h_eV: h, g_eVPerK: g } = c.lin;
      if (kind === K_O2_RELEASE) {
        nu = nu * Math.exp(-g / BOLTZMANN_EV_PER_K);
        ea = kra + 0.5 * dE + h;
      } else {
        nu = nu * Math.exp(g / BOLTZMANN_EV_PER_K);
        ea = kra + 0.5 * dE - h;
      }
      break;
    }
    case K_VO_MIGRATION:
      ea = Math.max(variant === 1 ? p.vOMigrationSurface_barrier_eV : p.vOMigrationBulk_barrier_eV, c.fastFloor_eV) + 0.5 * dE;
      break;
    case K_TM_MIGRATION:
      ea = Math.max(tmMigrationBarrier(p, variant), c.fastFloor_eV) + 0.5 * dE;
      break;
    case K_APB_MIGRATION:
    case K_IN_PLANE_EXCHANGE: {
      // In-plane Li ↔ TM exchanges inside rock salt change no layer occupancy: quasi-equilibrated at a lower cap.
      const floor = c.rockSaltFloor_eV > c.fastFloor_eV && variant === 1 ? c.rockSaltFloor_eV : c.fastFloor_eV;
      ea = Math.max(kind === K_IN_PLANE_EXCHANGE ? p.inPlaneExchange_barrier_eV : p.apbMigration_barrier_eV, floor) + 0.5 * dE;
      break;
    }
    case K_SURFACE_CATION_DIFFUSION:
      ea = Math.max(p.surfaceDiffusion_barrier_eV + oxPenalty(p, variant), c.fastFloor_eV) + 0.5 * dE;
      break;
    case K_LI_HOP:
      ea = Math.max(variant === 1 ? p.liHopDivacancy_barrier_eV : p.liHopSingle_barrier_eV, p.liHopFloor_eV, c.fastFloor_eV) + 0.5 * dE;
      break;
    case K_NI0_FORMATION:
      // Ea = E_KRA + ΔG/2, ΔG = 2(Δμ_O,eff − Ni/NiO line) per O2 (linear in T: hNi + gNi·T); only above the line.
      if (!c.lin.niGateOpen) nu = 0;
      else nu = nu * Math.exp(-c.lin.gNi_eVPerK / BOLTZMANN_EV_PER_K);
      ea = p.ni0Formation_barrier_eV + c.lin.hNi_eV;
      break;
    default:
      nu = 0;
      ea = 0;
  }
  cl.nu_Hz[id] = nu;
  cl.barrier_eV[id] = nu === 0 ? 0 : ea > 0 ? ea : 0;
}

/** Re-evaluate every class at the context's current window (after the linearisation or floors changed). */
export function refreshClasses(c: RateContext): void {
  for (let id = 1; id < c.classes.count; id++) fillClass(c, id);
}

/** Fill `out` with the Arrhenius data of `slot` as the class table holds it (ν = 0 when nothing can happen). */
export function slotArrhenius(c: RateContext, slot: number, out: SlotRate): void {
  const id = c.classes.ids[slot]!;
  const cl = c.classes;
  out.nu_Hz = cl.nu_Hz[id]!;
  out.barrier_eV = cl.barrier_eV[id]!;
}
