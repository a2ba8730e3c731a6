/**
 * Small analytic models for engine tests (not test files themselves).
 */
import type { Rng } from '../../src/core/index.js';
import type { AffectedSlots, KmcModel, SlotRate } from '../../src/kinetics/index.js';

/** Independent first-order decays: slot i is alive until its event fires once. */
export class DecayModel implements KmcModel {
  readonly alive: Uint8Array;
  constructor(
    readonly nu_Hz: number,
    /** Barrier per slot, eV. */
    readonly barriers_eV: Float64Array,
  ) {
    this.alive = new Uint8Array(barriers_eV.length).fill(1);
  }
  get slotCount(): number {
    return this.alive.length;
  }
  slotRate(slot: number, out: SlotRate): void {
    out.nu_Hz = this.alive[slot] ? this.nu_Hz : 0;
    out.barrier_eV = this.barriers_eV[slot]!;
  }
  execute(slot: number, _rng: Rng, affected: AffectedSlots): void {
    this.alive[slot] = 0;
    affected.push(slot);
  }
  snapshot(): Uint8Array {
    return this.alive.slice();
  }
  restore(bytes: Uint8Array): void {
    this.alive.set(bytes);
  }
}

/**
 * Independent two-state units A ⇌ B with energies 0 and dE_eV; kinetically resolved barriers
 * Ea(A→B) = E_KRA + dE/2, Ea(B→A) = E_KRA − dE/2, so detailed balance holds at every T.
 * One slot per unit (its rate depends on its state). When `kicks` is set, each event also draws
 * a random number and flips a random other unit's "colour" bit (exercises RNG use inside execute).
 */
export class TwoStateModel implements KmcModel {
  readonly state: Uint8Array;
  constructor(
    n: number,
    readonly nu_Hz: number,
    readonly kra_eV: number,
    readonly dE_eV: number,
    readonly kicks = false,
    /** Rate cap of every slot, 1/s (the stiffness hook; default none). */
    readonly cap_Hz = Infinity,
  ) {
    this.state = new Uint8Array(n);
  }
  get slotCount(): number {
    return this.state.length;
  }
  slotRate(slot: number, out: SlotRate): void {
    out.nu_Hz = this.nu_Hz;
    out.barrier_eV = this.kra_eV + ((this.state[slot]! & 1) === 0 ? 0.5 : -0.5) * this.dE_eV;
    out.cap_Hz = this.cap_Hz;
  }
  execute(slot: number, rng: Rng, affected: AffectedSlots): void {
    this.state[slot]! ^= 1;
    affected.push(slot);
    if (this.kicks) this.state[rng.int(this.state.length)]! ^= 2;
  }
  fractionB(): number {
    let s = 0;
    for (let i = 0; i < this.state.length; i++) s += this.state[i]! & 1;
    return s / this.state.length;
  }
  snapshot(): Uint8Array {
    return this.state.slice();
  }
  restore(bytes: Uint8Array): void {
    this.state.set(bytes);
  }
}

/** Slots with fixed dyadic rates (2^k, zero barrier): sums exact in float64. Events permute rates. */
export class DyadicModel implements KmcModel {
  readonly level: Uint8Array;
  constructor(levels: number[]) {
    this.level = Uint8Array.from(levels);
  }
  get slotCount(): number {
    return this.level.length;
  }
  slotRate(slot: number, out: SlotRate): void {
    const l = this.level[slot]!;
    out.nu_Hz = l === 0 ? 0 : 2 ** (l - 4);
    out.barrier_eV = 0;
  }
  execute(slot: number, rng: Rng, affected: AffectedSlots): void {
    const j = rng.int(this.level.length);
    const a = this.level[slot]!;
    this.level[slot] = this.level[j]!;
    this.level[j] = (a % 7) + (j % 2);
    affected.push(slot);
    affected.push(j);
  }
  snapshot(): Uint8Array {
    return this.level.slice();
  }
  restore(bytes: Uint8Array): void {
    this.level.set(bytes);
  }
}

/** Integral of f over [a, b] by composite Simpson with n (even) intervals. */
export function simpson(f: (x: number) => number, a: number, b: number, n = 200): number {
  const h = (b - a) / n;
  let s = f(a) + f(b);
  for (let k = 1; k < n; k++) s += (k % 2 ? 4 : 2) * f(a + k * h);
  return (s * h) / 3;
}

/** One-sample Kolmogorov–Smirnov statistic D of `xs` against the CDF `F`. */
export function ksStatistic(xs: number[], F: (x: number) => number): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  let d = 0;
  s.forEach((x, i) => {
    const f = F(x);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  });
  return d;
}

/**
 * Decays whose barrier depends on the window temperature, Ea = E0 + α·(T_w − 300 K), set in
 * `beginWindow` (as a model linearising Δμ_O(T) per window would). `report` selects whether
 * beginWindow lists the changed slots (true) or asks for a full re-query (false).
 */
export class WindowDecayModel implements KmcModel {
  readonly alive: Uint8Array;
  T_w = 300;
  constructor(
    n: number,
    readonly E0_eV: number,
    readonly alpha_eVPerK: number,
    readonly report: boolean,
  ) {
    this.alive = new Uint8Array(n).fill(1);
  }
  get slotCount(): number {
    return this.alive.length;
  }
  beginWindow(T: number, changed: AffectedSlots): boolean {
    this.T_w = T;
    if (!this.report) return false;
    for (let i = 0; i < this.alive.length; i++) if (this.alive[i]) changed.push(i);
    return true;
  }
  slotRate(slot: number, out: SlotRate): void {
    out.nu_Hz = this.alive[slot] ? 1e13 : 0;
    out.barrier_eV = this.E0_eV + this.alpha_eVPerK * (this.T_w - 300);
  }
  execute(slot: number, _rng: Rng, affected: AffectedSlots): void {
    this.alive[slot] = 0;
    affected.push(slot);
  }
  snapshot(): Uint8Array {
    const out = new Uint8Array(this.alive.length + 8);
    out.set(this.alive);
    new DataView(out.buffer).setFloat64(this.alive.length, this.T_w, true);
    return out;
  }
  restore(bytes: Uint8Array): void {
    this.alive.set(bytes.subarray(0, this.alive.length));
    this.T_w = new DataView(bytes.buffer, bytes.byteOffset).getFloat64(this.alive.length, true);
  }
}
