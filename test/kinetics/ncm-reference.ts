/**
 * A reference NCM event model for tests: the rate rules of the model as they stood at e00e739,
 * evaluated from scratch for every slot (neighbour loops, the general `deltaEnergy` of energy.ts),
 * no caches at all, and an execute that reports every slot within two shells of a changed site.
 * Slow and simple on purpose: the production model (src/kinetics/ncm/model.ts, packed neighbour
 * counts and rate classes) must give the same Arrhenius data for every slot and, driven by the same
 * random numbers, the same trajectory.
 */
import { BOLTZMANN_EV_PER_K, type Rng } from '../../src/core/index.js';
import { Species } from '../../src/lattice/species.js';
import { AffectedSlots, createSlotRate, type KmcModel, type SlotRate } from '../../src/kinetics/model.js';
import { BondModel, deltaEnergy, isFrameworkTM } from '../../src/kinetics/ncm/energy.js';
import { EventKind, buildEventTable, eventTableIndex, pairOnceKinds } from '../../src/kinetics/ncm/events.js';
import { neighbour1, neighbour2, type NcmLattice } from '../../src/kinetics/ncm/lattice.js';
import { linearizeOxygen, type OxygenLinearisation } from '../../src/kinetics/ncm/oxygen.js';
import type { NcmParams } from '../../src/kinetics/ncm/params.js';
import { ROCK_SALT_MIN_MIXED } from '../../src/kinetics/ncm/rates.js';

const K = EventKind;

export class ReferenceNcmModel implements KmcModel {
  readonly slotCount: number;
  readonly slotsPerGroup = 12;
  readonly species: Uint8Array;
  readonly byKind = new Float64Array(16);
  private readonly table = buildEventTable();
  private readonly pairOnce = pairOnceKinds();
  private readonly bm: BondModel;
  private lin!: OxygenLinearisation;
  private fastFloor = 0;
  private rockSaltFloor = 0;
  private reducible = 0;

  constructor(readonly lat: NcmLattice, species: Uint8Array, readonly p: NcmParams, readonly pO2_Pa: number, T_K: number) {
    this.species = Uint8Array.from(species);
    this.slotCount = lat.n * 12;
    this.bm = new BondModel(p);
    this.setTemperature(T_K);
    for (const s of this.species) this.reducible += s === Species.NI3 ? 1 : s === Species.NI4 ? 2 : 0;
  }

  setTemperature(T_K: number): void {
    this.lin = linearizeOxygen(T_K, this.pO2_Pa, this.p.muO_offset_eV);
    this.fastFloor = BOLTZMANN_EV_PER_K * T_K * Math.log(this.p.nu_Hz / this.p.fastRateCap_Hz);
    this.rockSaltFloor = BOLTZMANN_EV_PER_K * T_K * Math.log(this.p.nu_Hz / this.p.rockSaltExchangeCap_Hz);
  }

  beginWindow(T_K: number): boolean {
    if (this.lin.T_K === T_K) return true;
    this.setTemperature(T_K);
    return false; // every slot re-queried
  }

  kind(slot: number): number {
    const lat = this.lat;
    const s = Math.floor(slot / 12);
    const t = neighbour2(lat, s, slot % 12);
    if (t < 0) return K.NONE;
    const an = lat.isAnion[s]!;
    const kind = this.table[eventTableIndex(an, lat.nb2InPlaneByDir[slot % 12]!, an ? 0 : lat.liLayer[s]! ^ lat.liLayer[t]!, this.species[s]!, this.species[t]!)]!;
    return kind !== K.NONE && this.pairOnce[kind] && t < s ? K.NONE : kind;
  }

  /** First-shell sites of `site` holding a species in `mask` (bit per species id). */
  private count1(site: number, mask: number): number {
    let n = 0;
    for (let k = 0; k < 6; k++) {
      const x = neighbour1(this.lat, site, k);
      if (x >= 0 && (mask >> this.species[x]!) & 1) n++;
    }
    return n;
  }

  /** Second-shell sites of `site` other than `skip` where `pred` holds. */
  private count2(site: number, skip: number, pred: (x: number) => boolean): number {
    let n = 0;
    for (let k = 0; k < 12; k++) {
      const x = neighbour2(this.lat, site, k);
      if (x >= 0 && x !== skip && pred(x)) n++;
    }
    return n;
  }

  private exposed(a: number): boolean {
    const lat = this.lat;
    for (let k = 0; k < 6; k++) if (neighbour1(lat, a, k) < 0 || this.species[neighbour1(lat, a, k)] === Species.VOID) return true;
    for (let k = 0; k < 12; k++) if (neighbour2(lat, a, k) < 0 || this.species[neighbour2(lat, a, k)] === Species.VOID) return true;
    return false;
  }

  private mixed = (x: number): boolean => this.lat.liLayer[x] === 1 && isFrameworkTM(this.species[x]!);

  private sharedAnions(s: number, t: number): number[] {
    const out: number[] = [];
    for (let k = 0; k < 6 && out.length < 2; k++) {
      const a = neighbour1(this.lat, s, k);
      if (a >= 0 && [0, 1, 2, 3, 4, 5].some((r) => neighbour1(this.lat, t, r) === a)) out.push(a);
    }
    return out;
  }

  slotRate(slot: number, out: SlotRate): void {
    out.nu_Hz = 0;
    out.barrier_eV = 0;
    const kind = this.kind(slot);
    if (kind === K.NONE) return;
    const s = Math.floor(slot / 12), t = neighbour2(this.lat, s, slot % 12);
    const p = this.p, sp = this.species, nu = p.nu_Hz;
    const swap = () => deltaEnergy(this.bm, this.lat, sp, [s, t], [sp[t]!, sp[s]!], 2);
    const set = (n: number, ea: number) => { out.nu_Hz = n; out.barrier_eV = ea > 0 ? ea : 0; };
    const penalty = (x: number) => (x === Species.NI3 ? p.ni3MobilityPenalty_eV : x === Species.NI4 ? p.ni4MobilityPenalty_eV : 0);
    switch (kind) {
      case K.O2_RELEASE:
      case K.O2_ADSORPTION: {
        if (!this.exposed(s) || !this.exposed(t)) return;
        if (kind === K.O2_RELEASE && this.reducible < 4) return;
        const kra = p.o2Release_barrier_eV - 0.5 * p.o2ReleaseReference_deltaE_eV;
        const to = kind === K.O2_RELEASE ? Species.VAC_O : Species.O;
        const dE = deltaEnergy(this.bm, this.lat, sp, [s, t], [to, to], 2);
        const { h_eV: h, g_eVPerK: g } = this.lin;
        if (kind === K.O2_RELEASE) set(nu * Math.exp(-g / BOLTZMANN_EV_PER_K), kra + 0.5 * dE + h);
        else set(nu * Math.exp(g / BOLTZMANN_EV_PER_K), kra + 0.5 * dE - h);
        return;
      }
      case K.VO_MIGRATION: {
        const e = this.exposed(s) || this.exposed(t) ? p.vOMigrationSurface_barrier_eV : p.vOMigrationBulk_barrier_eV;
        set(nu, Math.max(e, this.fastFloor) + 0.5 * swap());
        return;
      }
      case K.TM_MIGRATION: {
        const so = sp[s]!;
        const nearVO = this.count1(s, 1 << Species.VAC_O) + this.count1(t, 1 << Species.VAC_O) > 0;
        let e: number;
        if (so === Species.CO || so === Species.MN) e = p.tmMigrationCoMn_barrier_eV + (nearVO ? 0 : p.tmMigrationBulk_barrier_eV - p.tmMigrationNearVO_barrier_eV);
        else {
          const around = this.count2(s, t, this.mixed) + this.count2(t, s, this.mixed);
          e = (nearVO ? p.tmMigrationNearVO_barrier_eV : around >= 2 ? p.rockSaltCoarsening_barrier_eV : p.tmMigrationBulk_barrier_eV) + penalty(so);
        }
        set(nu, Math.max(e, this.fastFloor) + 0.5 * swap());
        return;
      }
      case K.APB_MIGRATION:
      case K.IN_PLANE_EXCHANGE: {
        const rs = this.count2(s, t, this.mixed) >= ROCK_SALT_MIN_MIXED && this.count2(t, s, this.mixed) >= ROCK_SALT_MIN_MIXED;
        const floor = this.rockSaltFloor > this.fastFloor && rs ? this.rockSaltFloor : this.fastFloor;
        set(nu, Math.max(kind === K.IN_PLANE_EXCHANGE ? p.inPlaneExchange_barrier_eV : p.apbMigration_barrier_eV, floor) + 0.5 * swap());
        return;
      }
      case K.SURFACE_CATION_DIFFUSION:
        if (this.count1(s, 1 << Species.O) < 3 || this.count1(t, 1 << Species.O) < 3) return;
        set(nu, Math.max(p.surfaceDiffusion_barrier_eV + penalty(sp[s]!), this.fastFloor) + 0.5 * swap());
        return;
      case K.LI_HOP: {
        const vac = (x: number) => sp[x] === Species.VAC_CATION;
        const e = this.count2(s, t, vac) + this.count2(t, s, vac) > 0 ? p.liHopDivacancy_barrier_eV : p.liHopSingle_barrier_eV;
        set(nu, Math.max(e, p.liHopFloor_eV, this.fastFloor) + 0.5 * swap());
        return;
      }
      case K.NI0_FORMATION: {
        if (!this.lin.niGateOpen) return;
        const shared = this.sharedAnions(s, t);
        if (shared.length < 2 || sp[shared[0]!] !== Species.O || sp[shared[1]!] !== Species.O) return;
        const reduced = (1 << Species.VAC_O) | (1 << Species.VOID);
        if (this.count1(s, reduced) + this.count1(t, reduced) === 0) return;
        set(nu * Math.exp(-this.lin.gNi_eVPerK / BOLTZMANN_EV_PER_K), p.ni0Formation_barrier_eV + this.lin.hNi_eV);
        return;
      }
    }
  }

  /** Change `count` Ni nearest (breadth-first) to anion `origin` by `dir`; returns the sites changed. */
  private redox(origin: number, dir: -1 | 1): number[] {
    const changed: number[] = [];
    const passes = dir < 0 ? [[Species.NI4, Species.NI3]] : [[Species.NI2], [Species.NI3]];
    for (const targets of passes) {
      if (changed.length === 2) break;
      const seen = new Set<number>();
      const queue: number[] = [];
      for (let k = 0; k < 6; k++) {
        const c = neighbour1(this.lat, origin, k);
        if (c >= 0 && !seen.has(c)) { seen.add(c); queue.push(c); }
      }
      for (let head = 0; head < queue.length && changed.length < 2; head++) {
        const c = queue[head]!;
        if ((targets as number[]).includes(this.species[c]!)) {
          this.species[c] = this.species[c]! + dir;
          changed.push(c);
          if (changed.length === 2) break;
        }
        for (let k = 0; k < 12; k++) {
          const x = neighbour2(this.lat, c, k);
          if (x >= 0 && !seen.has(x)) { seen.add(x); queue.push(x); }
        }
      }
    }
    this.reducible += dir * changed.length;
    return changed;
  }

  execute(slot: number, _rng: Rng, affected: AffectedSlots): void {
    const kind = this.kind(slot);
    const s = Math.floor(slot / 12), t = neighbour2(this.lat, s, slot % 12);
    const sp = this.species;
    const changed = [s, t];
    const before = this.reducible >= 4;
    switch (kind) {
      case K.O2_RELEASE:
        sp[s] = sp[t] = Species.VAC_O;
        changed.push(...this.redox(s, -1), ...this.redox(t, -1));
        break;
      case K.O2_ADSORPTION:
        sp[s] = sp[t] = Species.O;
        changed.push(...this.redox(s, 1), ...this.redox(t, 1));
        break;
      case K.VO_MIGRATION:
        sp[s] = Species.VAC_O;
        sp[t] = Species.O;
        changed.push(...this.redox(t, 1), ...this.redox(s, -1));
        break;
      case K.NI0_FORMATION: {
        const shared = this.sharedAnions(s, t);
        sp[s] = sp[t] = Species.NI0;
        for (const a of shared) sp[a] = Species.VAC_O;
        changed.push(...shared);
        let li = 0;
        for (const c of [s, t]) {
          for (let k = 0; k < 12 && li < 2; k++) {
            const x = neighbour2(this.lat, c, k);
            if (x >= 0 && sp[x] === Species.LI) { sp[x] = Species.LI_LI2O; changed.push(x); li++; }
          }
        }
        break;
      }
      case K.NONE:
        throw new Error(`reference: slot ${slot} has no event`);
      default: {
        const a = sp[s]!;
        sp[s] = sp[t]!;
        sp[t] = a;
      }
    }
    this.byKind[kind]!++;
    // every slot owned by a site within two shells of a change, and every slot pointing at one
    const near = new Set<number>();
    for (const c of changed) {
      near.add(c);
      for (let k = 0; k < 6; k++) if (neighbour1(this.lat, c, k) >= 0) near.add(neighbour1(this.lat, c, k));
      for (let k = 0; k < 12; k++) if (neighbour2(this.lat, c, k) >= 0) near.add(neighbour2(this.lat, c, k));
    }
    const slots = new Set<number>();
    for (const y of near) {
      for (let k = 0; k < 12; k++) {
        slots.add(y * 12 + k);
        const x = neighbour2(this.lat, y, k);
        if (x >= 0) for (let j = 0; j < 12; j++) if (neighbour2(this.lat, x, j) === y) slots.add(x * 12 + j);
      }
    }
    if (before !== this.reducible >= 4) for (let a = 0; a < this.lat.n; a++) if (this.lat.isAnion[a]) for (let k = 0; k < 12; k++) slots.add(a * 12 + k);
    for (const x of slots) affected.push(x);
  }

  snapshot(): Uint8Array {
    return Uint8Array.from(this.species);
  }

  restore(b: Uint8Array): void {
    this.species.set(b);
  }
}

/**
 * Execute `count` events of `model` picked uniformly among its slots with ν > 0 (not by rate: every
 * kind gets exercised), drawing from `rng`; `after(slot, executed)` runs after each (e.g. to apply
 * the same event to a second model). Returns how many were executed (less than `count` only when
 * `maxTries` random slots were not enough).
 */
export function executeRandomEvents(model: KmcModel, rng: Rng, count: number, after?: (slot: number, executed: number) => void, maxTries = 200000): number {
  const out = createSlotRate();
  const aff = new AffectedSlots();
  let executed = 0;
  for (let step = 0; step < maxTries && executed < count; step++) {
    const slot = rng.int(model.slotCount);
    model.slotRate(slot, out);
    if (out.nu_Hz === 0) continue;
    aff.clear();
    model.execute(slot, rng, aff);
    executed++;
    after?.(slot, executed);
  }
  return executed;
}
