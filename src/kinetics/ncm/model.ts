/**
 * `NcmModel`: the NCM851005 event model as a `KmcModel` for the engine.
 *
 * State: species per parent-lattice site (Uint8Array), event counters, the oxygen linearisation
 * temperature. Caches, rebuilt from the species by `restore`/`resync` and kept current by `execute`:
 * packed neighbour counts per site (`local.ts`, 4 bytes) and a rate-class id per slot (`classes.ts`,
 * 2 bytes). Slots: site × 12 second-shell directions (`events.ts`). Rates: `rates.ts`.
 *
 * An event applies its species changes (plus the redox bookkeeping of `charge.ts`), adds each
 * change's contribution difference to the neighbours' packed counts, then re-derives the class of
 * exactly the slots owned by or pointing at a site whose species or counts changed, and reports
 * those whose class changed. A new thinning window re-evaluates (ν, Ea) per class, never per slot.
 */
import { BOLTZMANN_EV_PER_K, InputError, type Rng } from '../../core/index.js';
import { Species } from '../../lattice/species.js';
import type { AffectedSlots, KmcModel, SlotRate } from '../model.js';
import { NcmRateClasses } from './classes.js';
import { BondModel } from './energy.js';
import { RedoxScratch, redox } from './charge.js';
import { EventKind, buildEventTable, pairOnceKinds } from './events.js';
import { directionTables, neighbour1, neighbour2, neighbourRow, type NcmDirections, type NcmLattice } from './lattice.js';
import { CONTRIBUTIONS, computeLocalCounts, mayBeTarget, mayOwnEvent } from './local.js';
import { linearizeOxygen } from './oxygen.js';
import { checkOxygenEnvironment, type OxygenEnvironment } from '../thermo.js';
import { validateNcmParams, type NcmParams } from './params.js';
import { createClass, kindTableByCode, memoMasks, refreshClasses, refreshIncomingSlots, refreshOwnSlots, siteCode, slotArrhenius, slotClass, slotKind, type RateContext } from './rates.js';

/** Neighbour-list strides (local literals: imported bindings are slow in hot loops under some loaders). */
const NB1 = 6;
const NB2 = 12;

/** Per-site flag bits of the model's scratch byte array. */
const F_TOUCHED = 1; // on the touched list (its packed word saved)
const F_SPECIES = 2; // species changed in this event
const F_REFRESH = 4; // slots re-derived from this site's pass
const F_BFS = 8; // redox breadth-first search (charge.ts)

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
  /** Executed events per kind id (EventKind; names in EVENT_NAMES). */
  byKind: Float64Array;
}

/** Number of per-kind counters (kind ids < 16). */
const KIND_COUNTERS = 16;

export class NcmModel implements KmcModel {
  readonly slotCount: number;
  /** A site's 12 slots form one selector block (a tree over sites, a scan over directions). */
  readonly slotsPerGroup = NB2;
  readonly lattice: NcmLattice;
  readonly params: NcmParams;
  /** The gas setting μ_O (an O2 pressure or an H2O/H2 buffer; the offset is params.muO_offset_eV). */
  readonly oxygen: OxygenEnvironment;
  /**
   * Current species per site (owned by the model; read-only for observers). A caller that writes
   * into it directly must call `resync()` before the model is used again.
   */
  readonly species: Uint8Array;
  readonly counters: NcmCounters = { o2Released: 0, o2Adsorbed: 0, byKind: new Float64Array(KIND_COUNTERS) };
  /** Rate class per slot and Arrhenius data per class (the engine selects on these). */
  readonly slotClasses: NcmRateClasses;
  private readonly ctx: RateContext;
  private readonly dirs: NcmDirections;
  private readonly local: Uint32Array;
  /** Species | Li-layer flag << 4 per site (rates.ts `siteCode`). */
  private readonly code: Uint8Array;
  private readonly flags: Uint8Array;
  private readonly scratch: RedoxScratch;
  private readonly redoxOut = new Int32Array(4);
  /** Sites touched by the current event and their packed words before it. */
  private touched = new Int32Array(64);
  private saved = new Uint32Array(64);
  private nTouched = 0;
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
    this.dirs = directionTables(lat);
    this.local = new Uint32Array(lat.n);
    this.code = new Uint8Array(lat.n);
    this.flags = new Uint8Array(lat.n);
    this.scratch = new RedoxScratch(lat.n, this.flags, F_BFS);
    const table = buildEventTable();
    const kindByCode = kindTableByCode(table);
    this.slotClasses = new NcmRateClasses(this.slotCount, memoMasks(kindByCode));
    const T0 = o.temperature_K ?? 298.15;
    const ctx: RateContext = {
      lat,
      dirs: this.dirs,
      species: this.species,
      local: this.local,
      code: this.code,
      kindByCode,
      p: this.params,
      bm: new BondModel(this.params),
      table,
      pairOnce: pairOnceKinds(),
      classes: this.slotClasses,
      create: (id: number) => createClass(ctx, id),
      lin: linearizeOxygen(T0, this.oxygen, this.params.muO_offset_eV),
      fastFloor_eV: 0,
      rockSaltFloor_eV: 0,
      reducible: 0,
    };
    this.ctx = ctx;
    this.setTemperature(T0);
    this.resync();
  }

  /** Temperature at which Δμ_O,eff is linearised and the Ni gate evaluated, K. */
  get linearisationTemperature_K(): number {
    return this.ctx.lin.T_K;
  }

  /** Bytes held in typed arrays by the model (species, packed counts, flags, slot classes, scratch); the lattice view is not included. */
  get byteLength(): number {
    return this.species.byteLength + this.local.byteLength + this.code.byteLength + this.flags.byteLength + this.slotClasses.byteLength + this.scratch.byteLength(true) + this.touched.byteLength + this.saved.byteLength + this.counters.byKind.byteLength;
  }

  /**
   * Re-linearise the oxygen terms and the rate-rescaling floors at `T_K` and re-evaluate every rate
   * class. Slot classes do not change; their rates do (an engine re-reads them at its next window).
   */
  setTemperature(T_K: number): void {
    const ctx = this.ctx;
    ctx.lin = linearizeOxygen(T_K, this.oxygen, this.params.muO_offset_eV);
    ctx.fastFloor_eV = BOLTZMANN_EV_PER_K * T_K * Math.log(this.params.nu_Hz / this.params.fastRateCap_Hz);
    ctx.rockSaltFloor_eV = BOLTZMANN_EV_PER_K * T_K * Math.log(this.params.nu_Hz / this.params.rockSaltExchangeCap_Hz);
    refreshClasses(ctx);
  }

  /**
   * Engine hook at each window whose T_max changed: linearise Δμ_O,eff and set the rate-rescaling
   * floors at `maxTemperature_K`, the temperature the engine evaluates the window's rates at (so the
   * linearisation error is ≤ ½|μ''|ΔT² within the window and the rate caps hold at T_max exactly).
   * Only per-class data change; returns false when they did (an engine without class support then
   * re-queries every slot), true when T_max is unchanged.
   */
  beginWindow(maxTemperature_K: number, _changed: AffectedSlots): boolean {
    if (this.ctx.lin.T_K === maxTemperature_K) return true;
    this.setTemperature(maxTemperature_K);
    return false;
  }

  slotRate(slot: number, out: SlotRate): void {
    slotArrhenius(this.ctx, slot, out);
  }

  /** Event kind a slot would fire now (NONE = 0), gates aside. */
  kindOf(slot: number): number {
    return slotKind(this.ctx, slot);
  }

  /**
   * Rebuild every cache (packed counts, reducible charge, slot classes) from `species`: after the
   * caller edited `species` directly. O(n).
   */
  resync(): void {
    const ctx = this.ctx;
    ctx.reducible = countReducible(this.species);
    computeLocalCounts(this.lattice, this.dirs, this.species, this.local);
    const liLayer = this.lattice.liLayer;
    for (let x = 0; x < this.lattice.n; x++) this.code[x] = siteCode(this.species[x]!, liLayer[x]!);
    this.slotClasses.reset();
    for (let s = 0; s < this.lattice.n; s++) {
      for (let k = 0; k < NB2; k++) {
        const c = slotClass(ctx, s, k, 0);
        this.slotClasses.ids[s * NB2 + k] = c; // (re-read: interning may widen the id array)
      }
    }
  }

  execute(slot: number, _rng: Rng, affected: AffectedSlots): void {
    const sp = this.species;
    const lat = this.lattice;
    const s = (slot / NB2) | 0;
    const t = neighbour2(lat, s, slot - s * NB2);
    const kind = slotKind(this.ctx, slot);
    this.nTouched = 0;
    switch (kind) {
      case EventKind.O2_RELEASE:
        this.set(s, Species.VAC_O);
        this.set(t, Species.VAC_O);
        this.redoxAround(s, -1);
        this.redoxAround(t, -1);
        this.counters.o2Released++;
        break;
      case EventKind.O2_ADSORPTION:
        this.set(s, Species.O);
        this.set(t, Species.O);
        this.redoxAround(s, 1);
        this.redoxAround(t, 1);
        this.counters.o2Adsorbed++;
        break;
      case EventKind.VO_MIGRATION:
        this.set(s, Species.VAC_O);
        this.set(t, Species.O);
        // The two electrons of the vacancy follow it: oxidise next to the old site, reduce next to the new.
        this.redoxAround(t, 1);
        this.redoxAround(s, -1);
        break;
      case EventKind.NI0_FORMATION: {
        const k = slot - s * NB2;
        const o1 = neighbour1(lat, s, this.dirs.shared[2 * k]!);
        const o2 = neighbour1(lat, s, this.dirs.shared[2 * k + 1]!);
        this.set(s, Species.NI0);
        this.set(t, Species.NI0);
        this.set(o1, Species.VAC_O);
        this.set(o2, Species.VAC_O);
        let li = 0;
        for (let w = 0; w < 2; w++) {
          const c = w === 0 ? s : t;
          for (let q = 0; q < NB2 && li < 2; q++) {
            const x = neighbour2(lat, c, q);
            if (x >= 0 && sp[x] === Species.LI) {
              this.set(x, Species.LI_LI2O);
              li++;
            }
          }
        }
        this.counters.o2Released++;
        break;
      }
      case EventKind.NONE:
        throw new Error(`NcmModel.execute: slot ${slot} has no event`);
      default: {
        const a = sp[s]!;
        this.set(s, sp[t]!);
        this.set(t, a);
      }
    }
    this.counters.byKind[kind]!++;
    const ctx = this.ctx;
    const before = ctx.reducible >= 4;
    ctx.reducible += this.redoxDelta;
    this.redoxDelta = 0;
    this.refresh(affected, before !== ctx.reducible >= 4);
  }

  /** Put species σ on site x, updating the neighbours' packed counts (x and changed neighbours are recorded). */
  private set(x: number, sigma: number): void {
    const old = this.species[x]!;
    this.species[x] = sigma;
    this.speciesChanged(x, old);
  }

  /** Record that site x changed from species `old` to its current one, and update its neighbours' counts. */
  private speciesChanged(x: number, old: number): void {
    const lat = this.lattice, local = this.local, sp = this.species;
    this.touch(x);
    this.flags[x] = this.flags[x]! | F_SPECIES;
    const now = sp[x]!;
    this.code[x] = siteCode(now, lat.liLayer[x]!);
    const { cationToAnion, cationToCation, anionToCation, anionToAnion } = CONTRIBUTIONS;
    let d1: number, d2in: number, d2out: number;
    if (lat.isAnion[x]) {
      d1 = anionToCation[now]! - anionToCation[old]!;
      d2in = d2out = anionToAnion[now]! - anionToAnion[old]!;
    } else {
      const l = lat.liLayer[x]!;
      d1 = cationToAnion[now * 2 + l]! - cationToAnion[old * 2 + l]!;
      d2out = cationToCation[(now * 2 + l) * 2]! - cationToCation[(old * 2 + l) * 2]!;
      d2in = cationToCation[(now * 2 + l) * 2 + 1]! - cationToCation[(old * 2 + l) * 2 + 1]!;
    }
    const off = lat.nbOffset, row = neighbourRow(lat, x);
    if (d1 !== 0) {
      for (let k = 0; k < NB1; k++) {
        const y = x + off[row + k]!;
        if (y >= 0) {
          this.touch(y);
          local[y] = local[y]! + d1;
        }
      }
    }
    if (d2in !== 0 || d2out !== 0) {
      const ip = this.dirs.inPlane;
      for (let k = 0; k < NB2; k++) {
        const y = x + off[row + NB1 + k]!;
        if (y >= 0) {
          this.touch(y);
          local[y] = local[y]! + (ip[k] === 1 ? d2in : d2out);
        }
      }
    }
  }

  /** Put y on the touched list (once per event), saving its packed word. */
  private touch(y: number): void {
    if ((this.flags[y]! & F_TOUCHED) !== 0) return;
    this.flags[y] = this.flags[y]! | F_TOUCHED;
    if (this.nTouched === this.touched.length) {
      const g = new Int32Array(2 * this.touched.length), h = new Uint32Array(2 * this.touched.length);
      g.set(this.touched);
      h.set(this.saved);
      this.touched = g;
      this.saved = h;
    }
    this.saved[this.nTouched] = this.local[y]!;
    this.touched[this.nTouched++] = y;
  }

  /** Redox next to `origin`: the Ni whose charge changed are recorded as species changes. */
  private redoxAround(origin: number, dir: -1 | 1): void {
    const m = redox(this.lattice, this.species, origin, 2, dir, this.scratch, this.redoxOut);
    this.redoxDelta += dir * m;
    for (let q = 0; q < m; q++) {
      const c = this.redoxOut[q]!;
      this.speciesChanged(c, this.species[c]! - dir);
    }
  }

  /**
   * Re-derive the class of every slot owned by or pointing at a site whose species or packed counts
   * changed (each slot once), push those whose class changed, and clear the per-event flags. With
   * `allAnions`, O2 release switched on or off everywhere (the reducible charge crossed 4): every
   * anion site's own slots are re-derived too (rare).
   */
  private refresh(affected: AffectedSlots, allAnions: boolean): void {
    const lat = this.lattice, flags = this.flags, local = this.local;
    const ctx = this.ctx;
    const touched = this.touched, saved = this.saved, n = this.nTouched;
    for (let q = 0; q < n; q++) {
      const y = touched[q]!;
      if ((flags[y]! & F_SPECIES) !== 0 || local[y] !== saved[q]) flags[y] = flags[y]! | F_REFRESH;
    }
    const sp = this.species, isAnion = lat.isAnion;
    for (let q = 0; q < n; q++) {
      const y = touched[q]!;
      const fy = flags[y]!;
      if ((fy & F_REFRESH) === 0) continue;
      // A site whose species is unchanged skips the passes it can take part in neither before nor now.
      const an = isAnion[y]!, sy = sp[y]!, w0 = saved[q]!, w1 = local[y]!, moved = (fy & F_SPECIES) !== 0;
      if (moved || mayOwnEvent(an, sy, w1) || mayOwnEvent(an, sy, w0)) refreshOwnSlots(ctx, y, flags, F_SPECIES, affected);
      // owners flagged F_REFRESH are covered by their own pass (or can own no event, before or now)
      if (moved || mayBeTarget(an, sy, w1) || mayBeTarget(an, sy, w0)) refreshIncomingSlots(ctx, y, flags, F_REFRESH, moved, affected);
    }
    for (let q = 0; q < n; q++) flags[touched[q]!] = 0;
    this.nTouched = 0;
    if (allAnions) for (let a = 0; a < lat.n; a++) if (lat.isAnion[a]) refreshOwnSlots(ctx, a, flags, F_SPECIES, affected);
  }

  snapshot(): Uint8Array {
    const n = this.species.length;
    const out = new Uint8Array(n + 8 * (3 + KIND_COUNTERS));
    out.set(this.species, 0);
    const f = new Float64Array(3 + KIND_COUNTERS);
    f[0] = this.ctx.lin.T_K;
    f[1] = this.counters.o2Released;
    f[2] = this.counters.o2Adsorbed;
    f.set(this.counters.byKind, 3);
    out.set(new Uint8Array(f.buffer), n);
    return out;
  }

  restore(bytes: Uint8Array): void {
    const n = this.species.length;
    const size = n + 8 * (3 + KIND_COUNTERS);
    if (bytes.length !== size) throw new InputError('checkpoint.model', `${bytes.length} bytes`, `an NCM model snapshot of ${size} bytes (same lattice)`);
    this.species.set(bytes.subarray(0, n));
    const f = new Float64Array(bytes.slice(n).buffer);
    this.setTemperature(f[0]!);
    this.counters.o2Released = f[1]!;
    this.counters.o2Adsorbed = f[2]!;
    this.counters.byKind.set(f.subarray(3, 3 + KIND_COUNTERS));
    this.resync();
  }
}

/** #Ni³⁺ + 2·#Ni⁴⁺: the charge O2 release can still reduce. */
function countReducible(species: Uint8Array): number {
  let r = 0;
  for (let i = 0; i < species.length; i++) r += species[i] === Species.NI3 ? 1 : species[i] === Species.NI4 ? 2 : 0;
  return r;
}
