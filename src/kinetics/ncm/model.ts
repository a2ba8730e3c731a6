/**
 * `NcmModel`: the NCM851005 event model as a `KmcModel` for the engine. State: species per
 * parent-lattice site (Uint8Array), event counters, and the oxygen linearisation temperature.
 * Slots: site × 12 second-shell directions (`events.ts`). Rates: `rates.ts`. Execution applies the
 * event, the redox bookkeeping (`charge.ts`), and reports exactly the slots within interaction range.
 */
import { BOLTZMANN_EV_PER_K, InputError, type Rng } from '../../core/index.js';
import type { AffectedSlots, KmcModel, SlotRate } from '../model.js';
import { BondModel } from './energy.js';
import { RedoxScratch, redox } from './charge.js';
import { buildEventTable, pairOnceKinds } from './events.js';
import { buildNb2Reverse, type NcmLattice } from './lattice.js';

/** Neighbour-list strides (local literals: imported bindings are slow in hot loops under some loaders). */
const NB1 = 6;
const NB2 = 12;
import { linearizeOxygen } from './oxygen.js';
import { checkOxygenEnvironment, type OxygenEnvironment } from '../thermo.js';
import { validateNcmParams, type NcmParams } from './params.js';
import { computeSlotRate, sharedAnions, slotKind, type RateContext } from './rates.js';

/** Local copies of species ids and event kinds (hot loops; checked against the shared tables in tests). */
const S_LI = 1;
const S_NI3 = 3;
const S_NI4 = 4;
const S_LI_LI2O = 11;
const S_NI0 = 7;
const S_O = 9;
const S_VAC_O = 10;
const K_NI0_FORMATION = 9;
const K_NONE = 0;
const K_O2_ADSORPTION = 2;
const K_O2_RELEASE = 1;
const K_VO_MIGRATION = 3;
/** Kinds whose Arrhenius data depend on the window temperature (μ_O linearisation or the fast floor). */
const T_DEPENDENT = new Uint8Array(16);
for (const k of [1, 2, 3, 5, 6, 7, 8, 9]) T_DEPENDENT[k] = 1;


/** Options of `NcmModel`. */
export interface NcmModelOptions {
  readonly lattice: NcmLattice;
  /** Initial species (copied). */
  readonly species: Uint8Array;
  readonly params: NcmParams;
  /** Nominal O2 pressure, Pa (> 0); or give `oxygen`. */
  readonly pO2_Pa?: number;
  /**
   * The gas setting μ_O (thermo.ts: an O2 pressure or the reducing H2O/H2 buffer), instead of `pO2_Pa`.
   * The μ_O offset is `params.muO_offset_eV` (an environment's own offset_eV is ignored).
   */
  readonly oxygen?: OxygenEnvironment;
  /** Initial linearisation temperature, K (default 298.15). */
  readonly temperature_K?: number;
}

/** Counters kept in the state (and snapshots). */
export interface NcmCounters {
  /** O2 molecules released (O2 release + Ni⁰ formation). */
  o2Released: number;
  /** O2 molecules re-adsorbed. */
  o2Adsorbed: number;
  /** Executed events per kind id. */
  byKind: Float64Array;
}

export class NcmModel implements KmcModel {
  readonly slotCount: number;
  /** A site's 12 slots form one selector block (BlockSelector: a tree over sites, a scan over directions). */
  readonly slotsPerGroup = NB2;
  readonly lattice: NcmLattice;
  readonly params: NcmParams;
  /** The gas setting μ_O (an O2 pressure or an H2O/H2 buffer; the offset is params.muO_offset_eV). */
  readonly oxygen: OxygenEnvironment;
  /** Current species per site (owned by the model; read-only for observers). */
  readonly species: Uint8Array;
  readonly counters: NcmCounters = { o2Released: 0, o2Adsorbed: 0, byKind: new Float64Array(16) };
  private readonly ctx: RateContext;
  private readonly rev: Int32Array;
  private readonly scratch: RedoxScratch;
  private readonly redoxOut = new Int32Array(4);
  private readonly stampOf: Uint32Array;
  private stamp = 0;
  private readonly changed = new Int32Array(16);
  private nChanged = 0;
  /** Sites whose Ni charge state changed: only their own slots and the slots pointing at them depend on it. */
  private readonly lightChanged = new Int32Array(16);
  private nLight = 0;
  private redoxDelta = 0;

  constructor(o: NcmModelOptions) {
    const lat = o.lattice;
    if (o.species.length !== lat.n) throw new InputError('species', o.species.length, `a species array of length ${lat.n} (the lattice's site count)`);
    this.lattice = lat;
    this.params = validateNcmParams(o.params);
    if (o.oxygen !== undefined && o.pO2_Pa !== undefined) throw new InputError('pO2_Pa', o.pO2_Pa, 'either pO2_Pa or oxygen, not both');
    if (o.oxygen === undefined && !(o.pO2_Pa! > 0 && Number.isFinite(o.pO2_Pa))) throw new InputError('pO2_Pa', o.pO2_Pa, 'a pressure > 0 Pa');
    this.oxygen = checkOxygenEnvironment(o.oxygen ?? { pO2_Pa: o.pO2_Pa! }, 'oxygen');
    this.species = Uint8Array.from(o.species);
    this.slotCount = lat.n * NB2;
    this.rev = buildNb2Reverse(lat);
    this.scratch = new RedoxScratch(lat.n);
    this.stampOf = new Uint32Array(this.slotCount);
    this.ctx = {
      lat,
      species: this.species,
      p: this.params,
      bm: new BondModel(this.params),
      table: buildEventTable(),
      pairOnce: pairOnceKinds(),
      lin: linearizeOxygen(o.temperature_K ?? 298.15, this.oxygen, this.params.muO_offset_eV),
      fastFloor_eV: 0,
      rockSaltFloor_eV: 0,
      reducible: 0,
      chg: new Int32Array(8),
      nxt: new Int32Array(8),
    };
    this.setTemperature(o.temperature_K ?? 298.15);
    this.ctx.reducible = countReducible(this.species);
  }

  /** Temperature at which Δμ_O,eff is linearised and the Ni gate evaluated, K. */
  get linearisationTemperature_K(): number {
    return this.ctx.lin.T_K;
  }

  /**
   * Re-linearise the oxygen terms at `T_K`. Changes the rates of O2 and Ni⁰ slots: call only where the
   * engine rebuilds all rates (the start of a ramp window), as `runKmc` does.
   */
  setTemperature(T_K: number): void {
    this.ctx.lin = linearizeOxygen(T_K, this.oxygen, this.params.muO_offset_eV);
    this.ctx.fastFloor_eV = BOLTZMANN_EV_PER_K * T_K * Math.log(this.params.nu_Hz / this.params.fastRateCap_Hz);
    this.ctx.rockSaltFloor_eV = BOLTZMANN_EV_PER_K * T_K * Math.log(this.params.nu_Hz / this.params.rockSaltExchangeCap_Hz);
  }

  /**
   * Engine hook at each window whose T_max changed: linearise Δμ_O,eff and set the fast-class floor
   * at `maxTemperature_K`, the temperature the engine evaluates the window's rates at (so the
   * linearisation error is ≤ ½|μ''|ΔT² within the window and the rate caps hold at T_max exactly).
   * Pushes the slots whose Arrhenius data depend on T: O2 release/adsorption and Ni⁰ slots (μ_O terms)
   * and the rate-rescaled classes (floor ∝ T); every other slot keeps its class.
   */
  beginWindow(maxTemperature_K: number, changed: AffectedSlots): boolean {
    const prev = this.ctx.lin.T_K;
    this.setTemperature(maxTemperature_K);
    if (prev === maxTemperature_K) return true;
    const n = this.slotCount;
    const ctx = this.ctx;
    for (let slot = 0; slot < n; slot++) {
      const k = slotKind(ctx, slot);
      if (k !== K_NONE && T_DEPENDENT[k] === 1) changed.push(slot);
    }
    return true;
  }

  slotRate(slot: number, out: SlotRate): void {
    computeSlotRate(this.ctx, slot, out);
  }

  /** Event kind a slot would fire now (NONE = 0). */
  kindOf(slot: number): number {
    return slotKind(this.ctx, slot);
  }

  execute(slot: number, _rng: Rng, affected: AffectedSlots): void {
    const ctx = this.ctx;
    const sp = this.species;
    const lat = this.lattice;
    const s = (slot / NB2) | 0;
    const t = lat.nb2[slot]!;
    const kind = slotKind(ctx, slot);
    this.nChanged = 0;
    this.nLight = 0;
    const note = this.note;
    switch (kind) {
      case K_O2_RELEASE:
        sp[s] = S_VAC_O;
        sp[t] = S_VAC_O;
        note(s); note(t);
        this.redoxAround(s, -1, note);
        this.redoxAround(t, -1, note);
        this.counters.o2Released++;
        break;
      case K_O2_ADSORPTION:
        sp[s] = S_O;
        sp[t] = S_O;
        note(s); note(t);
        this.redoxAround(s, 1, note);
        this.redoxAround(t, 1, note);
        this.counters.o2Adsorbed++;
        break;
      case K_VO_MIGRATION: {
        sp[s] = S_VAC_O;
        sp[t] = S_O;
        note(s); note(t);
        // The two electrons of the vacancy follow it: oxidise next to the old site, reduce next to the new.
        this.redoxAround(t, 1, note);
        this.redoxAround(s, -1, note);
        break;
      }
      case K_NI0_FORMATION: {
        const shared = new Int32Array(2);
        sharedAnions(lat, s, t, shared);
        sp[s] = S_NI0;
        sp[t] = S_NI0;
        sp[shared[0]!] = S_VAC_O;
        sp[shared[1]!] = S_VAC_O;
        note(s); note(t); note(shared[0]!); note(shared[1]!);
        let li = 0;
        for (const c of [s, t]) {
          for (let k = 0; k < NB2 && li < 2; k++) {
            const x = lat.nb2[c * NB2 + k]!;
            if (x >= 0 && sp[x] === S_LI) {
              sp[x] = S_LI_LI2O;
              note(x);
              li++;
            }
          }
        }
        this.counters.o2Released++;
        break;
      }
      case K_NONE:
        throw new Error(`NcmModel.execute: slot ${slot} has no event`);
      default: {
        const a = sp[s]!;
        sp[s] = sp[t]!;
        sp[t] = a;
        note(s); note(t);
      }
    }
    this.counters.byKind[kind]!++;
    const before = this.ctx.reducible >= 4;
    this.ctx.reducible = this.ctx.reducible + this.redoxDelta;
    this.redoxDelta = 0;
    if (before !== this.ctx.reducible >= 4) {
      // O2 release switches on or off everywhere: refresh every anion slot (rare).
      for (let a = 0; a < lat.n; a++) if (lat.isAnion[a]) for (let k = 0; k < NB2; k++) affected.push(a * NB2 + k);
    }
    this.pushAffected(affected);
  }

  /** Record a changed site (bound once; no closure per event). */
  private readonly note = (x: number): void => {
    this.changed[this.nChanged++] = x;
  };

  /** Redox next to `origin`; the Ni whose charge changed are recorded as light changes (own and pointing slots only). */
  private redoxAround(origin: number, dir: -1 | 1, _note: (x: number) => void): void {
    const m = redox(this.lattice, this.species, origin, 2, dir, this.scratch, this.redoxOut);
    this.redoxDelta += dir * m;
    for (let q = 0; q < m; q++) this.lightChanged[this.nLight++] = this.redoxOut[q]!;
  }

  /** Slots whose rate depends on a changed site c: owners in N(c), and slots pointing into N(c). */
  private pushAffected(affected: AffectedSlots): void {
    const nb1 = this.lattice.nb1, nb2 = this.lattice.nb2;
    if (++this.stamp === 0xffffffff) {
      this.stampOf.fill(0);
      this.stamp = 1;
    }
    for (let q = 0; q < this.nLight; q++) this.visit(this.lightChanged[q]!, affected);
    for (let q = 0; q < this.nChanged; q++) {
      const c = this.changed[q]!;
      this.visit(c, affected);
      for (let k = 0; k < NB1; k++) {
        const y = nb1[c * NB1 + k]!;
        if (y >= 0) this.visit(y, affected);
      }
      for (let k = 0; k < NB2; k++) {
        const y = nb2[c * NB2 + k]!;
        if (y >= 0) this.visit(y, affected);
      }
    }
  }

  /** Push the 12 slots owned by y and the 12 slots pointing at y (each once per event). */
  private visit(y: number, affected: AffectedSlots): void {
    const nb2 = this.lattice.nb2, rev = this.rev, stampOf = this.stampOf, st = this.stamp;
    for (let k = 0; k < NB2; k++) {
      const own = y * NB2 + k;
      if (stampOf[own] !== st) {
        stampOf[own] = st;
        affected.push(own);
      }
      const x = nb2[own]!;
      const j = rev[own]!;
      if (x >= 0 && j >= 0) {
        const back = x * NB2 + j;
        if (stampOf[back] !== st) {
          stampOf[back] = st;
          affected.push(back);
        }
      }
    }
  }

  snapshot(): Uint8Array {
    const n = this.species.length;
    const out = new Uint8Array(n + 8 * 19);
    out.set(this.species, 0);
    const f = new Float64Array(19);
    f[0] = this.ctx.lin.T_K;
    f[1] = this.counters.o2Released;
    f[2] = this.counters.o2Adsorbed;
    f.set(this.counters.byKind, 3);
    out.set(new Uint8Array(f.buffer), n);
    return out;
  }

  restore(bytes: Uint8Array): void {
    const n = this.species.length;
    if (bytes.length !== n + 8 * 19) throw new InputError('checkpoint.model', `${bytes.length} bytes`, `an NCM model snapshot of ${n + 152} bytes (same lattice)`);
    this.species.set(bytes.subarray(0, n));
    const f = new Float64Array(bytes.slice(n).buffer);
    this.setTemperature(f[0]!);
    this.counters.o2Released = f[1]!;
    this.counters.o2Adsorbed = f[2]!;
    this.counters.byKind.set(f.subarray(3, 19));
    this.ctx.reducible = countReducible(this.species);
  }
}

/** #Ni³⁺ + 2·#Ni⁴⁺: the charge O2 release can still reduce. */
function countReducible(species: Uint8Array): number {
  let r = 0;
  for (let i = 0; i < species.length; i++) r += species[i] === S_NI3 ? 1 : species[i] === S_NI4 ? 2 : 0;
  return r;
}
