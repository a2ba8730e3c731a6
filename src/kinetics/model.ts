/**
 * The narrow contracts between the KMC engine and a physical model (SPPARKS's app/solve split).
 *
 * A model owns its state (species per site, charges, …) and a fixed number of **event slots**
 * (e.g. `site × direction`). For each slot it reports Arrhenius data in the current state; the
 * engine evaluates `k(T) = ν·exp(−Ea / k_B T)` (optionally capped) at whatever temperature the
 * program demands, so time-dependent temperature is handled exactly by the engine (thinning),
 * never by the model. Events are data: the model applies one and says which slots changed.
 *
 * @example
 *   class Decay implements KmcModel {
 *     readonly slotCount = 1;
 *     alive = true;
 *     slotRate(slot: number, out: SlotRate) { out.nu_Hz = this.alive ? 1e13 : 0; out.barrier_eV = 1.45; }
 *     execute(slot: number, rng: Rng, affected: AffectedSlots) { this.alive = false; affected.push(slot); }
 *     snapshot() { return Uint8Array.of(this.alive ? 1 : 0); }
 *     restore(b: Uint8Array) { this.alive = b[0] === 1; }
 *   }
 */
import { BOLTZMANN_EV_PER_K, InputError } from '../core/index.js';
import type { Rng } from '../core/index.js';

/**
 * Arrhenius data of one event slot, filled in by `KmcModel.slotRate`. The engine resets
 * `cap_Hz` to `Infinity` before every call, so a model that does not cap rates ignores it.
 */
export interface SlotRate {
  /** Attempt frequency ν, 1/s. `0` means "no event possible in this slot now". Must be ≥ 0, finite. */
  nu_Hz: number;
  /** Barrier Ea, eV (≥ 0; for a kinetically resolved barrier Ea = E_KRA + ΔE/2, clamped at 0 by the model). */
  barrier_eV: number;
  /**
   * Optional rate ceiling, 1/s (default Infinity): `k = min(ν·exp(−Ea/kT), cap_Hz)`. The stiffness
   * hook for event classes that are orders of magnitude faster than the physics of interest (Li hops):
   * the capped rate stays monotone in T, so thinning stays exact for the capped process.
   */
  cap_Hz: number;
}

/** A fresh `SlotRate` (ν = 0, Ea = 0, no cap). */
export function createSlotRate(): SlotRate {
  return { nu_Hz: 0, barrier_eV: 0, cap_Hz: Infinity };
}

/**
 * Validate user-given Arrhenius parameters of an event (ν > 0 finite, Ea ≥ 0 finite); InputError
 * naming `field.nu_Hz` / `field.barrier_eV` otherwise. Models call it when they read parameters.
 */
export function checkArrhenius(nu_Hz: number, barrier_eV: number, field: string): void {
  if (!(nu_Hz > 0) || !Number.isFinite(nu_Hz)) throw new InputError(`${field}.nu_Hz`, nu_Hz, 'an attempt frequency > 0, finite (1/s)');
  if (!(barrier_eV >= 0) || !Number.isFinite(barrier_eV)) throw new InputError(`${field}.barrier_eV`, barrier_eV, 'a barrier ≥ 0, finite (eV)');
}

/**
 * Rate of a slot at `temperature_K`: `min(ν·exp(−Ea / k_B T), cap)`, 1/s. At T = 0 K the rate is 0
 * unless Ea = 0 (then ν). Pure; the one place the engine turns Arrhenius data into a rate.
 */
export function arrheniusRate_Hz(r: SlotRate, temperature_K: number): number {
  if (r.nu_Hz === 0) return 0;
  const k = r.barrier_eV === 0 ? r.nu_Hz : r.nu_Hz * Math.exp(-r.barrier_eV / (BOLTZMANN_EV_PER_K * temperature_K));
  return k < r.cap_Hz ? k : r.cap_Hz;
}

/**
 * A growable list of slot indices (Int32Array backing store, no allocation once grown).
 * `KmcModel.execute` pushes the slots whose rates must be recomputed; duplicates are allowed
 * (recomputing a slot twice is harmless).
 */
export class AffectedSlots {
  /** Backing store; valid entries are `ids[0 .. count)`. */
  ids: Int32Array;
  /** Number of valid entries. */
  count = 0;
  constructor(capacity = 256) {
    this.ids = new Int32Array(Math.max(1, capacity));
  }
  /** Append a slot index. */
  push(slot: number): void {
    if (this.count === this.ids.length) {
      const grown = new Int32Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.count++] = slot;
  }
  /** Forget all entries (keeps the storage). */
  clear(): void {
    this.count = 0;
  }
}

/**
 * Rate classes kept by the model itself (kmos-style pattern classes): a class id per slot and the
 * Arrhenius data per class in the current window. A model that has them lets the engine skip the
 * per-slot `slotRate` calls: an event costs one class lookup per changed slot, a new window one
 * exp per class. Arrays may be replaced when they grow, so read them through the table each time.
 */
export interface SlotClassTable {
  /** Class id per slot (length `slotCount`); 0 means "no event" (ν = 0). */
  readonly ids: Uint16Array | Uint32Array;
  /** Number of classes (ids are < count). */
  readonly count: number;
  /** Per class: ν (1/s, ≥ 0), Ea (eV, ≥ 0) and rate cap (1/s) in the current window. */
  readonly nu_Hz: Float64Array;
  readonly barrier_eV: Float64Array;
  readonly cap_Hz: Float64Array;
  /**
   * Optional: keep the slot ids in `ids` from now on (same length and element size, already holding every slot's
   * current id). The engine's class-mode selector uses it to place the ids beside its tree in one WebAssembly memory
   * (selector-wasm.ts); it may call it again with a new array whenever that memory grows. A table whose ids outgrow
   * 16 bits calls `widen(ids)` instead of copying them itself, and keeps the Uint32Array it returns (the same ids,
   * widened where they are, so that no second copy of them is made).
   */
  adoptIds?(ids: Uint16Array | Uint32Array, widen: (ids: Uint16Array) => Uint32Array): void;
}

/**
 * What a physical model provides to the engine (SPPARKS `app_lattice`: site_propensity / site_event).
 *
 * Contract:
 * - `slotCount` is fixed for the life of the model (use ν = 0 for slots with no event now).
 * - `slotRate(slot, out)` is a pure function of the model state (no RNG, no side effects).
 * - `execute(slot, rng, affected)` applies the event, may draw from `rng` (the only randomness),
 *   and pushes every slot whose `slotRate` may have changed, and no others far away: only those
 *   within the event's interaction range (the executed slot itself included if it changed).
 * - `snapshot()` returns bytes from which `restore()` recreates the exact state: the engine's
 *   checkpoints and the resume-equals-uninterrupted guarantee rely on it.
 */
export interface KmcModel {
  /** Number of event slots (fixed). */
  readonly slotCount: number;
  /**
   * Optional block size G: slots [bG, (b+1)G) belong together (e.g. one site's hop directions) and
   * usually change together. The engine's default selector then sums blocks before the tree
   * (`BlockSelector`); results are the same, events are cheaper. Default 1.
   */
  readonly slotsPerGroup?: number;
  /**
   * Optional rate classes (`SlotClassTable`). When present, the engine's default selector works on
   * them, and the contract tightens: `execute` pushes exactly the slots whose class id changed (after
   * writing the new ids), `beginWindow` changes only per-class data (never slot ids), and
   * `slotRate(slot)` equals the data of class `ids[slot]`. `restore` may renumber the classes: an
   * engine picks them up at its next window start (as `KmcEngine.resume` does), not mid-window.
   */
  readonly slotClasses?: SlotClassTable;
  /** Fill `out` with the Arrhenius data of `slot` in the current state (engine has reset `out.cap_Hz`). */
  slotRate(slot: number, out: SlotRate): void;
  /** Apply the event of `slot`; push slots whose rates must be recomputed into `affected`. */
  execute(slot: number, rng: Rng, affected: AffectedSlots): void;
  /**
   * Optional hook, called at the start of a thinning window whenever the window's T_max differs from
   * the previous one, before the engine re-evaluates rates at `maxTemperature_K`. For models whose
   * Arrhenius data depend weakly on T (e.g. Δμ_O(T) linearised per window). Return `true` after
   * pushing into `changed` every slot whose Arrhenius data this call changed (the engine then
   * re-queries only those); return nothing/false to make the engine re-query every slot.
   * Must be deterministic, and its effect restorable by `restore` (or a pure function of T).
   */
  beginWindow?(maxTemperature_K: number, changed: AffectedSlots): boolean | void;
  /** Byte snapshot of the whole model state (for checkpoints and determinism tests). */
  snapshot(): Uint8Array;
  /** Restore a state produced by `snapshot()` of a model built with the same parameters. */
  restore(bytes: Uint8Array): void;
}

/**
 * Rejection-free event selection over a fixed number of non-negative rates (SPPARKS `solve.h`).
 * `select(u)` with `u` uniform in [0, total()) returns the first index whose cumulative rate
 * exceeds `u`; implementations agree index-for-index on the same `u` and rates (exactly so for
 * rates whose partial sums are exact in float64, e.g. dyadic rationals).
 */
export interface EventSelector {
  /** Number of entries. */
  readonly size: number;
  /**
   * (Re)initialise from `rates` (`rates.length` becomes the size). O(N). An implementation may adopt
   * the array instead of copying it (BlockSelector does, to save 8 bytes per slot): the caller must
   * not write to it afterwards except to pass it to `init` again.
   */
  init(rates: Float64Array): void;
  /** Set entry `index` to `rate` (≥ 0, finite). */
  update(index: number, rate: number): void;
  /** Current rate of entry `index`. */
  rate(index: number): number;
  /** Sum of all rates. */
  total(): number;
  /** Index i with cumsum(i−1) ≤ u < cumsum(i), for u in [0, total()); never an entry of rate 0. */
  select(u: number): number;
}
