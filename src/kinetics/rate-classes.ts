/**
 * Rate classes: the distinct Arrhenius triples (ν, Ea, cap) of a model, interned in a hash table,
 * with their rates at the engine's current window temperature. A slot then needs only a class id
 * (Uint16, 2 bytes), a window change costs one exp per class instead of one model call per slot,
 * and an update costs a hash lookup instead of an exp. Class 0 is "no event" (ν = 0).
 * Lattice models with bond counting have few distinct barriers (vacancy-fcc: ≤ 13), so the table
 * stays small; past `MAX_CLASSES` the owner falls back to direct evaluation.
 */
import { InputError } from '../core/index.js';
import { arrheniusRate_Hz, checkArrhenius } from './model.js';
import type { SlotRate } from './model.js';

/** Largest number of classes (ids fit a Uint16Array; 0xffff is reserved for "stale"). */
export const MAX_CLASSES = 65535;

export class RateClasses {
  /** Number of classes (class 0 = no event). */
  count = 1;
  nu_Hz = new Float64Array(64);
  barrier_eV = new Float64Array(64);
  cap_Hz = new Float64Array(64).fill(Infinity);
  /** Rate of each class at `temperature_K`, 1/s. */
  rate_Hz = new Float64Array(64);
  /** Temperature of `rate_Hz`, K. */
  temperature_K = NaN;
  private table = new Int32Array(256); // class id + 1, 0 = empty
  private readonly key = new Float64Array(3);
  private readonly words = new Uint32Array(this.key.buffer);
  private readonly probe: SlotRate = { nu_Hz: 0, barrier_eV: 0, cap_Hz: Infinity };

  /** Class id of `r` (interned on first sight, validated then; `slot` names it in errors), or −1 when the table is full. */
  idOf(r: SlotRate, slot: number): number {
    if (r.nu_Hz === 0) return 0;
    const t = this.table;
    const mask = t.length - 1;
    for (let j = this.hash(r) & mask; ; j = (j + 1) & mask) {
      const e = t[j]!;
      if (e === 0) return this.insert(r, j, slot);
      const id = e - 1;
      if (this.barrier_eV[id] === r.barrier_eV && this.nu_Hz[id] === r.nu_Hz && this.cap_Hz[id] === r.cap_Hz) return id;
    }
  }

  private hash(r: SlotRate): number {
    const k = this.key;
    k[0] = r.nu_Hz;
    k[1] = r.barrier_eV;
    k[2] = r.cap_Hz;
    const w = this.words;
    let h = Math.imul(w[0]! ^ Math.imul(w[1]!, 0x9e3779b1), 0x85ebca6b);
    h = Math.imul(h ^ w[2]! ^ Math.imul(w[3]!, 0xc2b2ae35), 0x27d4eb2f);
    h = Math.imul(h ^ w[4]! ^ Math.imul(w[5]!, 0x165667b1), 0x9e3779b1);
    return h ^ (h >>> 15);
  }

  private insert(r: SlotRate, j: number, slot: number): number {
    if (this.count >= MAX_CLASSES) return -1;
    checkArrhenius(r.nu_Hz, r.barrier_eV, `model slot ${slot}`);
    if (!(r.cap_Hz >= 0)) throw new InputError(`model slot ${slot}.cap_Hz`, r.cap_Hz, 'a rate cap ≥ 0 (1/s)');
    const id = this.count++;
    if (id >= this.nu_Hz.length) this.grow();
    this.nu_Hz[id] = r.nu_Hz;
    this.barrier_eV[id] = r.barrier_eV;
    this.cap_Hz[id] = r.cap_Hz;
    this.rate_Hz[id] = Number.isNaN(this.temperature_K) ? 0 : arrheniusRate_Hz(r, this.temperature_K);
    this.table[j] = id + 1;
    if (2 * this.count > this.table.length) this.rehash();
    return id;
  }

  /** Rate of class `id` at `temperature_K` (fresh exp; used for thinning acceptance). */
  rateAt_Hz(id: number, temperature_K: number): number {
    if (id === 0) return 0;
    const p = this.probe;
    p.nu_Hz = this.nu_Hz[id]!;
    p.barrier_eV = this.barrier_eV[id]!;
    p.cap_Hz = this.cap_Hz[id]!;
    return arrheniusRate_Hz(p, temperature_K);
  }

  /** Re-evaluate every class at `temperature_K`. */
  setTemperature(temperature_K: number): void {
    this.temperature_K = temperature_K;
    this.rate_Hz[0] = 0;
    for (let id = 1; id < this.count; id++) this.rate_Hz[id] = this.rateAt_Hz(id, temperature_K);
  }

  /** Bytes held in typed arrays. */
  get byteLength(): number {
    return this.nu_Hz.byteLength * 4 + this.table.byteLength;
  }

  private grow(): void {
    const n = this.nu_Hz.length * 2;
    const g = (a: Float64Array, fill = 0) => {
      const b = new Float64Array(n).fill(fill);
      b.set(a);
      return b;
    };
    this.nu_Hz = g(this.nu_Hz);
    this.barrier_eV = g(this.barrier_eV);
    this.cap_Hz = g(this.cap_Hz, Infinity);
    this.rate_Hz = g(this.rate_Hz);
  }

  private rehash(): void {
    const t = new Int32Array(this.table.length * 2);
    const mask = t.length - 1;
    const r: SlotRate = { nu_Hz: 0, barrier_eV: 0, cap_Hz: Infinity };
    for (let id = 1; id < this.count; id++) {
      r.nu_Hz = this.nu_Hz[id]!;
      r.barrier_eV = this.barrier_eV[id]!;
      r.cap_Hz = this.cap_Hz[id]!;
      let j = this.hash(r) & mask;
      while (t[j] !== 0) j = (j + 1) & mask;
      t[j] = id + 1;
    }
    this.table = t;
  }
}
