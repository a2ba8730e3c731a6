import { describe, expect, it } from 'vitest';
import { BOLTZMANN_EV_PER_K, Rng } from '../../src/core/index.js';
import { KmcEngine, TemperatureProgram } from '../../src/kinetics/index.js';
import { DecayModel } from './models.js';

// MODEL.md §4 onset table: first-order event, ν = 1e13 1/s, 10 % conversion under the seed staircase
// (from 25 °C: ramp 0.1 K/s for 15 K, hold 300 s, repeat to 500 °C); /work/shared/design/calc/onset_map.py.
const TABLE: [number, number][] = [[1.2, 100], [1.4, 159], [1.6, 218], [1.8, 277], [2.0, 335], [2.2, 392], [2.4, 448]];
const NU = 1e13;
const seed = (): TemperatureProgram =>
  TemperatureProgram.staircase({ start_K: 298.15, end_K: 773.15, step_K: 15, rate_KPerS: 0.1, hold_s: 300 });

/** Our own reference: integrate the hazard Λ(t) = ∫ ν exp(−Ea/kT(t)) dt (trapezoid, 0.05 s) to −ln 0.9. */
function exactOnset_C(prog: TemperatureProgram, Ea: number): number {
  return prog.temperature_K(exactOnsetTime_s(prog, Ea)) - 273.15;
}

/** Time (s) at which Λ(t) reaches −ln 0.9 (NaN if never). */
function exactOnsetTime_s(prog: TemperatureProgram, Ea: number): number {
  const k = (t: number) => NU * Math.exp(-Ea / (BOLTZMANN_EV_PER_K * prog.temperature_K(t)));
  const target = -Math.log(0.9);
  const dt = 0.05;
  let s = 0;
  for (let t = 0; t < prog.duration_s; t += dt) {
    const ds = 0.5 * (k(t) + k(t + dt)) * dt;
    if (s + ds >= target) return t + (dt * (target - s)) / ds;
    s += ds;
  }
  return NaN;
}

describe('onsets under the seed staircase (exact time-dependent temperature)', () => {
  const prog = seed();

  it('our numerical integration reproduces the MODEL.md onset table within 1 °C', () => {
    for (const [Ea, T_C] of TABLE) expect(Math.abs(exactOnset_C(prog, Ea) - T_C)).toBeLessThan(1);
  });

  it('the thinning engine reaches 10 % conversion at 100/159/218/277/335/392/448 °C for 1.2…2.4 eV within 2 °C (40 000 replicas per barrier)', () => {
    // 40 000 replicas: σ(fraction) = 0.15 %, i.e. σ(T) ≈ 0.5 °C on the ramps; 2 °C is > 3σ.
    // One run per barrier, stopped 15 min of program time after the reference onset.
    const M = 40_000;
    let events = 0;
    let candidates = 0;
    TABLE.forEach(([Ea, T_C], c) => {
      const engine = new KmcEngine(new DecayModel(NU, new Float64Array(M).fill(Ea)), prog, { rng: Rng.stream(2024, c), rateClasses: true });
      let converted = 0;
      let onset = NaN;
      engine.run({
        onEvent: (_slot, t) => {
          if (++converted === Math.ceil(0.1 * M)) onset = prog.temperature_K(t) - 273.15;
        },
        stopAt_s: exactOnsetTime_s(prog, Ea) + 900,
      });
      expect(Math.abs(onset - T_C), `Ea = ${Ea} eV: onset ${onset} °C`).toBeLessThan(2);
      expect(Math.abs(onset - exactOnset_C(prog, Ea)), `Ea = ${Ea} eV vs own integration`).toBeLessThan(2);
      events += engine.events;
      candidates += engine.candidates;
    });
    // thinning keeps acceptance high with 1 K windows
    expect(events / candidates).toBeGreaterThan(0.9);
  });

  it('is exact whatever the window size: 15 K windows (one per ramp) give the same onsets as 1 K windows, only with more rejections', () => {
    const M = 30_000;
    const picks = [TABLE[1]!, TABLE[3]!, TABLE[5]!];
    const barriers = new Float64Array(picks.length * M);
    picks.forEach(([Ea], c) => barriers.fill(Ea, c * M, (c + 1) * M));
    const engine = new KmcEngine(new DecayModel(NU, barriers), prog, { rng: Rng.stream(99), window_K: 15, rateClasses: true });
    const converted = new Int32Array(picks.length);
    const onset = picks.map(() => NaN);
    engine.run({
      onEvent: (slot, t) => {
        const c = Math.floor(slot / M);
        if (++converted[c]! === Math.ceil(0.1 * M)) onset[c] = prog.temperature_K(t) - 273.15;
      },
    });
    picks.forEach(([Ea], c) => expect(Math.abs(onset[c]! - exactOnset_C(prog, Ea)), `Ea = ${Ea} eV: onset ${onset[c]} °C`).toBeLessThan(2));
    expect(engine.events / engine.candidates).toBeLessThan(0.9); // acceptance drops (> 0.9 with 1 K windows), accuracy does not
  });

  it('a start-of-interval rate scheme (waiting time drawn with k(T) at the last event) misses the onsets', () => {
    // The naive scheme, implemented only here: dt = Exp(1) / R(T(t_last event)), applied in full.
    const naiveOnset = (Ea: number, M: number, rng: Rng): number => {
      let t = 0;
      let alive = M;
      const target = Math.ceil(0.1 * M);
      for (;;) {
        const R = alive * NU * Math.exp(-Ea / (BOLTZMANN_EV_PER_K * prog.temperature_K(t)));
        t += rng.exponential() / R;
        if (t >= prog.duration_s) return NaN;
        alive--;
        if (M - alive >= target) return prog.temperature_K(t) - 273.15;
      }
    };
    const rng = Rng.stream(11);
    // Isolated events (one event per replica): the first wait is drawn at 25 °C, ~1e8 s or more:
    // not one replica in 2000 converts before the program ends, for any barrier.
    for (const [Ea] of TABLE) {
      let done = 0;
      for (let r = 0; r < 2000; r++) if (!Number.isNaN(naiveOnset(Ea, 1, rng))) done++;
      expect(done / 2000, `Ea = ${Ea} eV`).toBeLessThan(0.1);
    }
    // Even pooling 40 000 events in one system (rates refreshed at every event), every barrier
    // from 1.4 eV up misses its onset by more than 2 °C (or never reaches it).
    for (const [Ea, T_C] of TABLE.slice(1)) {
      const T = naiveOnset(Ea, 40_000, rng);
      expect(Number.isNaN(T) || Math.abs(T - T_C) > 2, `Ea = ${Ea} eV: naive onset ${T} °C`).toBe(true);
    }
  });
});
