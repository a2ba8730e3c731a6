// The first-order limit of the drying read-out (issue 13): one event type, no interactions.
// Every cation site of a free-standing lamella transforms once with k(T) = ν·exp(−Ea/kT); the dry
// pipeline (recipe programme on TemperatureProgram, the kinetics engine, frames at the hold times,
// the transformed fraction of the near-surface volume, the map's quantiles and the safe window's
// crossing) must give the analytic first-order solution f(t) = 1 − exp(−∫k(T(t')) dt'). Runtime ~5 s.
import { beforeAll, describe, expect, it } from 'vitest';
import { BOLTZMANN_EV_PER_K, Rng } from '../../../src/core/index.js';
import { KmcEngine, type AffectedSlots, type KmcModel, type SlotRate } from '../../../src/kinetics/index.js';
import { buildLamella, type Lamella } from '../../../src/lattice/index.js';
import { Species } from '../../../src/lattice/species.js';
import { priorDraws } from '../../../src/twin/dry/draws.js';
import type { DryForward } from '../../../src/twin/dry/forward.js';
import { buildMap, safeWindow } from '../../../src/twin/dry/map.js';
import { dryProgramme } from '../../../src/twin/dry/programme.js';
import { dryRecipeFromObject } from '../../../src/twin/dry/recipe.js';
import { runTrajectory, type TrajectoryResult } from '../../../src/twin/dry/trajectory.js';
import { fromSiteLattice } from '../../../src/kinetics/ncm/index.js';

const NU = 1e13;
const EA = 1.45;

/** One event type, no interactions: slot i (a cation site) transforms once. */
class OneEvent implements KmcModel {
  readonly done: Uint8Array;
  constructor(readonly sites: Int32Array, n: number) {
    this.done = new Uint8Array(n);
  }
  get slotCount(): number {
    return this.sites.length;
  }
  slotRate(slot: number, out: SlotRate): void {
    out.nu_Hz = this.done[this.sites[slot]!] ? 0 : NU;
    out.barrier_eV = EA;
  }
  execute(slot: number, _rng: Rng, affected: AffectedSlots): void {
    this.done[this.sites[slot]!] = 1;
    affected.push(slot);
  }
  snapshot(): Uint8Array {
    return this.done.slice();
  }
  restore(b: Uint8Array): void {
    this.done.set(b);
  }
}

let cache: { lamella: Lamella; lattice: ReturnType<typeof fromSiteLattice> } | undefined;
const firstOrder: DryForward = (i, onStart, onFrame) => {
  if (!cache) {
    const lamella = buildLamella({ size_A: [100, 80], thickness_A: 40, pore: null, apb: null, pbc: [true, true, false], seed: 5 });
    cache = { lamella, lattice: fromSiteLattice(lamella.lattice) };
  }
  const { lamella, lattice } = cache;
  const species0 = lamella.lattice.species;
  onStart({ lattice, box: { cell_A: lamella.lattice.cell_A, pbc: lamella.lattice.pbc }, species0 });
  const sites = Int32Array.from({ length: lattice.n }, (_, s) => s).filter((s) => !lattice.isAnion[s] && species0[s] !== Species.VOID);
  const model = new OneEvent(sites, lattice.n);
  const engine = new KmcEngine(model, i.programme.program, { rng: Rng.stream(i.seed, 0x1e4), frames_s: i.programme.frames_s, rateClasses: true });
  const r = engine.run({ onFrame: (f) => onFrame({ index: f.index, time_s: f.time_s, temperature_K: f.temperature_K, species: species0, transformed: model.done.slice() }) });
  return { events: r.events };
};

const recipe = dryRecipeFromObject({
  name: 'first-order',
  seed: 11,
  structure: { width: '10 nm', height: '8 nm', thickness: '4 nm', surfaces: 'free' },
  drying: {
    programme: { start: '25 degC', heatingRate: '5 degC/min', coolingRate: '5 degC/min' },
    temperatures: { from: '120 degC', to: '170 degC', step: '5 degC' },
    times: ['0.25 h', '0.5 h', '1 h', '2 h', '4 h'],
    atmospheres: [{ name: 'any', pO2: '1 Pa' }],
    damage: { nearSurface: '20 nm', threshold: { quantity: 'nearSurfaceTransformed_pct', value: 10 } },
    uncertainty: { draws: 3 },
  },
});

/** Analytic hazard Λ(t) = ∫ ν exp(−Ea/kT(t')) dt' on the programme (Simpson, 1 s steps on ramps; exact on holds). */
function hazard(hold_K: number, t_s: number): number {
  const p = dryProgramme(recipe.programme, hold_K, recipe.times_s);
  const k = (T: number) => NU * Math.exp(-EA / (BOLTZMANN_EV_PER_K * T));
  const n = Math.ceil(p.holdStart_s);
  let s = 0;
  for (let j = 0; j < n; j++) {
    const a = (p.holdStart_s * j) / n, b = (p.holdStart_s * (j + 1)) / n;
    s += ((b - a) / 6) * (k(p.program.temperature_K(a)) + 4 * k(p.program.temperature_K((a + b) / 2)) + k(p.program.temperature_K(b)));
  }
  return s + k(hold_K) * t_s;
}
const exact = (hold_K: number, t_s: number) => 1 - Math.exp(-hazard(hold_K, t_s));

describe('first-order limit: one event type, no interactions', () => {
  const results: TrajectoryResult[] = [];
  beforeAll(async () => {
    const draws = priorDraws([], 3, recipe.seed, recipe.poreRadius);
    for (let t = 0; t < recipe.temperatures_K.length; t++) {
      for (const d of draws.draws) results.push(await runTrajectory(recipe, { atmosphere: 0, temperature: t, draw: d.index }, d, 0, 'test', firstOrder));
    }
  });

  it('the transformed fraction against hold time matches 1 − exp(−∫k dt) within 5 % (relative, f ≥ 10 %; 0.5 points below), pooled over 3 × 16 000 sites', () => {
    let checked = 0;
    recipe.temperatures_K.forEach((T, t) => {
      const rs = results.filter((r) => r.temperature_K === T);
      recipe.times_s.forEach((h, k) => {
        const sim = rs.reduce((a, r) => a + r.damage.nearSurfaceTransformed_pct![k]!, 0) / rs.length / 100;
        const f = exact(T, h);
        if (f >= 0.1) {
          expect(Math.abs(sim / f - 1), `${T - 273.15} °C, ${h / 3600} h: ${sim} vs ${f}`).toBeLessThan(0.05);
          checked++;
        } else expect(Math.abs(sim - f), `${T - 273.15} °C, ${h / 3600} h: ${sim} vs ${f}`).toBeLessThan(0.005);
      });
      void t;
    });
    expect(checked).toBeGreaterThan(10);
  });

  it('the onset (10 % after a 1 h hold) read from the map\'s safe window lies within 2 °C of the analytic one', () => {
    const m = buildMap(results, { atmospheres: ['any'], temperatures_K: recipe.temperatures_K, times_s: recipe.times_s, draws: 3, parameters: [], threshold: 'nearSurfaceTransformed_pct' });
    const w = safeWindow(m, 'nearSurfaceTransformed_pct', 10).find((x) => x.time_s === 3600)!;
    // Analytic: bisection on exact(T, 1 h) = 0.1.
    let lo = 373.15, hi = 473.15;
    for (let k = 0; k < 60; k++) {
      const mid = (lo + hi) / 2;
      if (exact(mid, 3600) < 0.1) lo = mid;
      else hi = mid;
    }
    expect(Number.isFinite(w.crossingMedian_K)).toBe(true);
    expect(Math.abs(w.crossingMedian_K - lo), `map ${w.crossingMedian_K - 273.15} °C vs exact ${lo - 273.15} °C`).toBeLessThan(2);
  });
});
