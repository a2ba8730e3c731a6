import { describe, expect, it } from 'vitest';
import { InputError, Rng } from '../../src/core/index.js';
import { KmcEngine, TemperatureProgram, VacancyFccModel } from '../../src/kinetics/index.js';

function hold(m: VacancyFccModel, reducedT: number, duration_s: number): TemperatureProgram {
  return TemperatureProgram.hold({ temperature_K: m.temperatureFor_K(reducedT), duration_s });
}

describe('vacancy-fcc (SPPARKS vacancy-hop benchmark model)', () => {
  it('gives every site 12 distinct neighbours, symmetric (j ∈ N(i) ⇔ i ∈ N(j)), opposite directions d and d^1 inverse', () => {
    for (const L of [2, 3, 5]) {
      const m = new VacancyFccModel({ cells: L });
      const nb = new Int32Array(12);
      for (let i = 0; i < m.nSites; i++) {
        m.neighbours(i, nb);
        expect(new Set(nb).size).toBe(12);
        for (let d = 0; d < 12; d++) {
          expect(m.neighbour(i, d)).toBe(nb[d]);
          expect(m.neighbour(nb[d]!, d ^ 1)).toBe(i);
        }
      }
    }
  });

  it('keeps every stored rate equal to a fresh recomputation after 20 000 hops (the affected set misses nothing), conserves vacancies, keeps neighbour counts exact', () => {
    for (const L of [3, 7]) {
      const m = new VacancyFccModel({ cells: L, vacancyFraction: 0.03, seed: L });
      const vacancies = () => m.state.reduce((a, b) => a + (b >> 4), 0);
      expect(vacancies()).toBe(m.nVacancies);
      const e = new KmcEngine(m, hold(m, 10, 1e12), { rng: Rng.stream(L), frames_s: [] });
      for (let round = 0; round < 4; round++) {
        e.run({ maxEvents: 5000 });
        for (let s = 0; s < m.slotCount; s++) expect(e.storedRate_Hz(s)).toBe(e.freshRate_Hz(s));
      }
      expect(vacancies()).toBe(m.nVacancies);
      const nb = new Int32Array(12);
      for (let i = 0; i < m.nSites; i++) {
        m.neighbours(i, nb);
        let c = 0;
        for (const j of nb) if (m.isVacant(j)) c++;
        expect(m.vacantNeighbourCount(i)).toBe(c);
      }
      m.vacancySite.forEach((s, v) => expect(m.vacancyAt[s]).toBe(v));
    }
  });

  it('keeps every stored rate equal to a fresh recomputation across window changes on a ramp (rate classes gathered, stale slots re-queried)', () => {
    const m = new VacancyFccModel({ cells: 5, vacancyFraction: 0.03, seed: 2 });
    const prog = TemperatureProgram.ramp({ start_K: m.temperatureFor_K(2), end_K: m.temperatureFor_K(12), rate_KPerS: m.temperatureFor_K(10) / 200 });
    const e = new KmcEngine(m, prog, { rng: Rng.stream(4), window_K: 3, frames_s: [], rateClasses: true });
    for (const f of [0.2, 0.5, 0.8]) {
      e.run({ stopAt_s: f * prog.duration_s });
      e.run({ maxEvents: 1 }); // enter the next window: rates now at its T_max
      for (let s = 0; s < m.slotCount; s++) expect(e.storedRate_Hz(s)).toBe(e.freshRate_Hz(s));
    }
    expect(e.events).toBeGreaterThan(1000);
  });

  it('samples the Boltzmann distribution exp(−2E/T): two vacancies in 108 sites are adjacent a fraction 648e^(2/T)/(648e^(2/T)+5130) of the time (T = 2, ±0.015)', () => {
    const m = new VacancyFccModel({ cells: 3, vacancyFraction: 2 / 108, seed: 5 });
    expect(m.nVacancies).toBe(2);
    const T = 2;
    const e = new KmcEngine(m, hold(m, T, 12_000), { rng: Rng.stream(21), frames_s: [] });
    const nb = new Int32Array(12);
    const adjacent = () => {
      m.neighbours(m.vacancySite[0]!, nb);
      return nb.includes(m.vacancySite[1]!);
    };
    let last = 0;
    let tAdj = 0;
    let adj = adjacent();
    e.run({
      onEvent: (_s, t) => {
        if (adj) tAdj += t - last;
        last = t;
        adj = adjacent();
      },
    });
    if (adj) tAdj += 12_000 - last;
    const w = 648 * Math.exp(2 / T);
    expect(e.events).toBeGreaterThan(100_000);
    expect(Math.abs(tAdj / 12_000 - w / (w + 5130))).toBeLessThan(0.015);
    // and clearly not the non-interacting value 648/5778 = 0.112
    expect(tAdj / 12_000).toBeGreaterThan(0.2);
  });

  it('resumes from a mid-ramp checkpoint to the same final lattice bytes as an uninterrupted run', () => {
    const mk = () => new VacancyFccModel({ cells: 6, seed: 3 });
    const m0 = mk();
    const prog = TemperatureProgram.ramp({ start_K: m0.temperatureFor_K(2), end_K: m0.temperatureFor_K(12), rate_KPerS: (m0.temperatureFor_K(10) / 300) });
    const e1 = new KmcEngine(m0, prog, { rng: Rng.stream(8), window_K: 5 });
    e1.run();
    const m1 = mk();
    const e2 = new KmcEngine(m1, prog, { rng: Rng.stream(8), window_K: 5 });
    e2.run({ stopAt_s: prog.duration_s / 2 });
    const m2 = mk();
    KmcEngine.resume(m2, prog, e2.checkpoint(), { window_K: 5 }).run();
    expect(e1.events).toBeGreaterThan(1000);
    expect(Buffer.from(m2.snapshot()).equals(Buffer.from(m0.snapshot()))).toBe(true);
  });

  it('rejects bad sizes and fractions with an InputError naming the field', () => {
    expect(() => new VacancyFccModel({ cells: 1 })).toThrow(/vacancyFcc\.cells/);
    expect(() => new VacancyFccModel({ cells: 4, vacancyFraction: 0 })).toThrow(/vacancyFcc\.vacancyFraction/);
    expect(() => new VacancyFccModel({ cells: 4, bond_eV: -1 })).toThrow(InputError);
  });
});
