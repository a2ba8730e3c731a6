import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOLTZMANN_EV_PER_K, InputError, Rng } from '../../src/core/index.js';
import { KmcEngine, TemperatureProgram, checkArrhenius } from '../../src/kinetics/index.js';
import type { KmcModel } from '../../src/kinetics/index.js';
import { DecayModel, DyadicModel, TwoStateModel, WindowDecayModel, ksStatistic, simpson } from './models.js';

const kB = BOLTZMANN_EV_PER_K;
// Kolmogorov–Smirnov critical value at α = 0.01 for large n: 1.628 / √n.
const ksCritical = (n: number) => 1.628 / Math.sqrt(n);

describe('KmcEngine: statistics of the rejection-free algorithm', () => {
  it('a two-state system reaches its Boltzmann occupancy p_B = 1/(1 + exp(ΔE/kT)) within 4σ', () => {
    const T = 300;
    const dE = 0.05;
    const kra = kB * T * Math.log(1e13); // ~1 hop/s per unit
    const model = new TwoStateModel(4000, 1e13, kra, dE);
    const frames = Array.from({ length: 91 }, (_, k) => 20 + 2 * k);
    const engine = new KmcEngine(model, TemperatureProgram.hold({ temperature_K: T, duration_s: 200 }), { rng: Rng.stream(5), frames_s: frames });
    const samples: number[] = [];
    engine.run({ onFrame: (_f, m) => samples.push((m as TwoStateModel).fractionB()) });
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    const pB = 1 / (1 + Math.exp(dE / (kB * T)));
    const sigma = Math.sqrt((pB * (1 - pB)) / 4000 / samples.length);
    expect(samples.length).toBe(91);
    expect(Math.abs(mean - pB)).toBeLessThan(4 * sigma);
  });

  it('waiting times at constant T have mean 1/R_tot (within 4σ) and pass a KS test for the exponential (α = 0.01)', () => {
    const T = 300;
    const Ea = 0.75;
    const n = 50;
    const R = n * 1e13 * Math.exp(-Ea / (kB * T));
    const engine = new KmcEngine(new TwoStateModel(n, 1e13, Ea, 0), TemperatureProgram.hold({ temperature_K: T, duration_s: 8000 / R }), { rng: Rng.stream(9), frames_s: [] });
    const waits: number[] = [];
    let last = 0;
    engine.run({ onEvent: (_s, t) => (waits.push(t - last), (last = t)) });
    const mean = waits.reduce((a, b) => a + b, 0) / waits.length;
    expect(waits.length).toBeGreaterThan(7000);
    expect(Math.abs(mean * R - 1)).toBeLessThan(4 / Math.sqrt(waits.length));
    expect(ksStatistic(waits, (x) => 1 - Math.exp(-R * x))).toBeLessThan(ksCritical(waits.length));
  });

  it.each([
    ['heating', 300, 360],
    ['cooling', 360, 300],
  ])('under a %s ramp, event times rescaled by the integrated hazard Λ(t) are unit exponentials (time-rescaling theorem, KS α = 0.01)', (_name, start_K, end_K) => {
    const n = 200;
    const Ea = 0.9;
    const prog = TemperatureProgram.ramp({ start_K, end_K, rate_KPerS: 0.1 });
    const engine = new KmcEngine(new TwoStateModel(n, 1e13, Ea, 0), prog, { rng: Rng.stream(13), frames_s: [] });
    const hazard = (t: number) => n * 1e13 * Math.exp(-Ea / (kB * prog.temperature_K(t)));
    const rescaled: number[] = [];
    let last = 0;
    engine.run({ onEvent: (_s, t) => (rescaled.push(simpson(hazard, last, t, 8)), (last = t)) });
    expect(rescaled.length).toBeGreaterThan(2000);
    expect(ksStatistic(rescaled, (x) => 1 - Math.exp(-x))).toBeLessThan(ksCritical(rescaled.length));
    // and the count of events matches Λ(end) within 4σ (Poisson)
    const total = simpson(hazard, 0, prog.duration_s, 2000);
    expect(Math.abs(rescaled.length - total)).toBeLessThan(4 * Math.sqrt(total));
  });

  it('a rate cap (stiffness hook) is honoured exactly under a ramp: events follow the hazard n·min(k(T), cap) (time-rescaling KS, α = 0.01)', () => {
    const n = 100;
    const Ea = 0.9;
    const cap = 0.05; // k(T) = ν e^(−Ea/kT) crosses the cap near 317 K on this 300 → 370 K ramp
    const prog = TemperatureProgram.ramp({ start_K: 300, end_K: 370, rate_KPerS: 0.1 });
    const engine = new KmcEngine(new TwoStateModel(n, 1e13, Ea, 0, false, cap), prog, { rng: Rng.stream(17), frames_s: [] });
    const hazard = (t: number) => n * Math.min(1e13 * Math.exp(-Ea / (kB * prog.temperature_K(t))), cap);
    const rescaled: number[] = [];
    let last = 0;
    let late = 0;
    engine.run({
      onEvent: (_s, t) => {
        rescaled.push(simpson(hazard, last, t, 16));
        last = t;
        if (prog.temperature_K(t) > 345) late++;
      },
    });
    expect(ksStatistic(rescaled, (x) => 1 - Math.exp(-x))).toBeLessThan(ksCritical(rescaled.length));
    // above the crossing the event rate is flat at n·cap = 5 /s: 250 s of ramp above 345 K
    expect(Math.abs(late - 5 * 250)).toBeLessThan(4 * Math.sqrt(5 * 250));
  });
});

function trajectory(model: KmcModel, prog: TemperatureProgram, selector: 'tree' | 'linear', seed: number): number[] {
  const slots: number[] = [];
  new KmcEngine(model, prog, { rng: Rng.stream(seed), selector }).run({ onEvent: (s, t) => slots.push(s, t) });
  return slots;
}

describe('KmcEngine: selectors, determinism, checkpoints', () => {
  it('sum tree and linear selector give the same trajectory from the same random numbers (exactly summable rates, hold)', () => {
    const levels = Array.from({ length: 97 }, (_, i) => (i * 7) % 8);
    const prog = TemperatureProgram.hold({ temperature_K: 300, duration_s: 200 });
    const a = trajectory(new DyadicModel(levels), prog, 'tree', 4);
    const b = trajectory(new DyadicModel(levels), prog, 'linear', 4);
    expect(a.length).toBeGreaterThan(1000);
    expect(a).toEqual(b);
  });

  it('sum tree and linear selector give the same event sequence for Arrhenius rates under the seed staircase (with thinning), times equal to 1e-9', () => {
    const prog = TemperatureProgram.staircase({ start_K: 298.15, end_K: 400, step_K: 15, rate_KPerS: 0.1, hold_s: 300 });
    const mk = () => new TwoStateModel(64, 1e13, 1.1, 0.1, true);
    const a = trajectory(mk(), prog, 'tree', 8);
    const b = trajectory(mk(), prog, 'linear', 8);
    expect(a.length).toBeGreaterThan(1000);
    expect(a.length).toBe(b.length);
    // identical event sequence; times agree to rounding (the two selectors sum R_tot in different orders)
    for (let k = 0; k < a.length; k += 2) {
      expect(a[k]).toBe(b[k]);
      expect(Math.abs(a[k + 1]! - b[k + 1]!)).toBeLessThan(1e-9 * a[k + 1]!);
    }
  });

  it('rate classes change nothing: the same trajectory with and without them, also past the 65 535-class limit (fallback to direct evaluation)', () => {
    const prog = TemperatureProgram.staircase({ start_K: 298.15, end_K: 400, step_K: 15, rate_KPerS: 0.1, hold_s: 300 });
    const run = (rateClasses: boolean) => {
      const slots: number[] = [];
      new KmcEngine(new TwoStateModel(64, 1e13, 1.1, 0.1, true), prog, { rng: Rng.stream(8), rateClasses }).run({ onEvent: (s, t) => slots.push(s, t) });
      return slots;
    };
    const a = run(true);
    expect(a.length).toBeGreaterThan(1000);
    expect(a).toEqual(run(false));
    // 70 000 distinct barriers: the class table overflows on the first sweep
    const barriers = Float64Array.from({ length: 70_000 }, (_, i) => 0.9 + i * 1e-6);
    const ramp = TemperatureProgram.ramp({ start_K: 300, end_K: 310, rate_KPerS: 0.5 });
    const runDecay = (rateClasses: boolean) => {
      const slots: number[] = [];
      new KmcEngine(new DecayModel(1e13, barriers), ramp, { rng: Rng.stream(3), rateClasses, window_K: 5 }).run({ onEvent: (s, t) => slots.push(s, t) });
      return slots;
    };
    const d = runDecay(true);
    expect(d.length).toBeGreaterThan(100);
    expect(d).toEqual(runDecay(false));
  });

  it('beginWindow: T-dependent Arrhenius data give the same trajectory whether the model lists its changed slots, asks for a full re-query, or classes are off', () => {
    const prog = TemperatureProgram.staircase({ start_K: 298.15, end_K: 420, step_K: 15, rate_KPerS: 0.1, hold_s: 300 });
    const run = (report: boolean, rateClasses: boolean) => {
      const slots: number[] = [];
      const m = new WindowDecayModel(3000, 1.0, 5e-4, report);
      const e = new KmcEngine(m, prog, { rng: Rng.stream(12), rateClasses });
      e.run({ onEvent: (s, t) => slots.push(s, t), stopAt_s: prog.duration_s / 2 });
      e.run({ maxEvents: 1 });
      for (let s = 0; s < m.slotCount; s++) expect(e.storedRate_Hz(s)).toBe(e.freshRate_Hz(s));
      e.run({ onEvent: (s, t) => slots.push(s, t) });
      return slots;
    };
    const a = run(true, true);
    expect(a.length).toBeGreaterThan(200);
    expect(run(false, true)).toEqual(a);
    expect(run(true, false)).toEqual(a);
  });

  it('resuming from a mid-run checkpoint (in memory or the file written during the run) gives the same final state bytes as an uninterrupted run', () => {
    const prog = TemperatureProgram.staircase({ start_K: 298.15, end_K: 420, step_K: 15, rate_KPerS: 0.1, hold_s: 300 });
    const mk = () => new TwoStateModel(300, 1e13, 1.15, 0.08, true);
    const dir = mkdtempSync(join(tmpdir(), 'kmc-ck-'));
    const ckPath = join(dir, 'run.ckpt');

    const full = mk();
    const framesFull: number[] = [];
    const e1 = new KmcEngine(full, prog, { rng: Rng.stream(77) });
    const r1 = e1.run({ onFrame: (f, m) => framesFull.push(f.events, (m as TwoStateModel).fractionB()), checkpoint: { path: ckPath, everyWindows: 37 } });
    expect(r1.finished).toBe(true);
    expect(r1.events).toBeGreaterThan(5000);

    // stop mid-way (inside a ramp), checkpoint, resume into a fresh model
    const part = mk();
    const framesPart: number[] = [];
    const e2 = new KmcEngine(part, prog, { rng: Rng.stream(77) });
    const onFrame = (f: { events: number }, m: KmcModel) => framesPart.push(f.events, (m as TwoStateModel).fractionB());
    const r2 = e2.run({ onFrame, stopAt_s: 0.43 * prog.duration_s });
    expect(r2.finished).toBe(false);
    const bytes = e2.checkpoint();
    const resumedModel = mk();
    const e3 = KmcEngine.resume(resumedModel, prog, bytes, {});
    const r3 = e3.run({ onFrame });
    expect(r3.finished).toBe(true);
    expect(r3.events).toBe(r1.events);
    expect(Buffer.from(resumedModel.snapshot()).equals(Buffer.from(full.snapshot()))).toBe(true);
    expect(e3.rngState).toEqual(e1.rngState);
    expect(framesPart).toEqual(framesFull);

    // the last checkpoint file written by the uninterrupted run (as after kill -9) also finishes identically
    const fromFile = mk();
    const e4 = KmcEngine.resume(fromFile, prog, new Uint8Array(readFileSync(ckPath)), {});
    expect(e4.time_s).toBeGreaterThan(0);
    e4.run();
    expect(Buffer.from(fromFile.snapshot()).equals(Buffer.from(full.snapshot()))).toBe(true);
  });

  it('refuses a checkpoint of another program, and bytes that are not a checkpoint, with an InputError', () => {
    const prog = TemperatureProgram.hold({ temperature_K: 300, duration_s: 10 });
    const e = new KmcEngine(new DecayModel(1e13, new Float64Array(4).fill(0.8)), prog, { rng: Rng.stream(1) });
    const ck = e.checkpoint();
    const other = TemperatureProgram.hold({ temperature_K: 300, duration_s: 20 });
    expect(() => KmcEngine.resume(new DecayModel(1e13, new Float64Array(4)), other, ck, {})).toThrow(/checkpoint/);
    expect(() => KmcEngine.resume(new DecayModel(1e13, new Float64Array(4)), prog, Uint8Array.of(1, 2, 3), {})).toThrow(InputError);
  });

  it('rejects a negative barrier, ν ≤ 0 (parameters) or ν < 0 (model output) and bad frame times with an InputError naming the field', () => {
    const prog = TemperatureProgram.hold({ temperature_K: 300, duration_s: 10 });
    const neg = new KmcEngine(new DecayModel(1e13, Float64Array.of(0.5, -0.1)), prog, { rng: Rng.stream(1) });
    expect(() => neg.run()).toThrow(/slot 1\.barrier_eV/);
    const nu = new KmcEngine(new DecayModel(-1, Float64Array.of(0.5)), prog, { rng: Rng.stream(1) });
    expect(() => nu.run()).toThrow(/slot 0\.nu_Hz/);
    // user-given event parameters: ν ≤ 0 or a negative barrier, checked where models read them
    expect(() => checkArrhenius(0, 1.45, 'events.o2Release')).toThrow(/events\.o2Release\.nu_Hz/);
    expect(() => checkArrhenius(-1e13, 1.45, 'events.o2Release')).toThrow(InputError);
    expect(() => checkArrhenius(1e13, -0.2, 'events.vo')).toThrow(/events\.vo\.barrier_eV/);
    expect(() => checkArrhenius(1e13, NaN, 'events.vo')).toThrow(/events\.vo\.barrier_eV/);
    expect(() => checkArrhenius(1e13, 1.2, 'events.vo')).not.toThrow();
    expect(() => new KmcEngine(new DecayModel(1, Float64Array.of(1)), prog, { rng: Rng.stream(1), frames_s: [5, 2] })).toThrow(/frames_s\[1\]/);
    expect(() => new KmcEngine(new DecayModel(1, Float64Array.of(1)), prog, { rng: Rng.stream(1), frames_s: [11] })).toThrow(/frames_s\[0\]/);
    expect(() => new KmcEngine(new DecayModel(1, Float64Array.of(1)), prog, { rng: Rng.stream(1), window_K: 0 })).toThrow(/window_K/);
  });
});
