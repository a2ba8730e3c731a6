// Monotone damage (issue 13): on the forward model (simulateScenario, the NCM event model), drying damage
// does not fall with hold temperature, with hold time, or with reducing strength (pO2 down; pH2/pH2O up).
// Small grid on a 3 × 2.5 × 2 nm lamella, 4 draws at the default parameters with their own seeds, each
// seed shared across the grid (common random numbers). KMC damage is noisy, so the statement is
// statistical: for every step of a series the mean paired difference (same seed) is ≥ −2 standard errors,
// and over each whole series it rises by more than 2 standard errors. Runtime ~10 s (28 trajectories).
import { beforeAll, describe, expect, it } from 'vitest';
import type { DamageQuantityName } from '../../../src/twin/dry/damage.js';
import { dryRecipeFromObject } from '../../../src/twin/dry/recipe.js';
import { runTrajectory, type TrajectoryResult } from '../../../src/twin/dry/trajectory.js';

const recipe = dryRecipeFromObject({
  name: 'monotone',
  seed: 3,
  structure: { zone: '210', width: '3 nm', height: '2.5 nm', thickness: '2 nm', pore: { radius: '0.7 nm', shape: 'ellipsoid', aspect: 1.2 } },
  drying: {
    programme: { start: '25 degC', heatingRate: '10 degC/min', coolingRate: '10 degC/min' },
    temperatures: ['60 degC', '150 degC', '180 degC', '210 degC'],
    times: ['0.25 h', '0.5 h', '1 h'],
    atmospheres: [
      // A column-like offset so that O2 atmospheres damage at all below 210 °C; the same for all three.
      { name: 'o2-100Pa', pO2: '100 Pa', muOOffset: '-1.05 eV' },
      { name: 'o2-1e-2Pa', pO2: '1e-2 Pa', muOOffset: '-1.05 eV' },
      { name: 'o2-1e-6Pa', pO2: '1e-6 Pa', muOOffset: '-1.05 eV' },
      { name: 'wet-H2', pH2: '1000 Pa', pH2O: '1000 Pa' },
      { name: 'dry-H2', pH2: '1000 Pa', pH2O: '1 Pa' },
    ],
    uncertainty: { draws: 4 },
  },
});
const DRAWS = [0, 1, 2, 3].map((d) => ({ index: d, values: {}, poreRadius_A: 7, seed: 1000 + d }));
const ATM = Object.fromEntries(recipe.atmospheres.map((a, i) => [a.name, i]));
const T = { 60: 0, 150: 1, 180: 2, 210: 3 } as const;

/** The series to check, each in the order damage must not fall. */
const SERIES: { what: string; combos: [string, keyof typeof T][] }[] = [
  { what: 'hold temperature (pO2 1e-6 Pa)', combos: [['o2-1e-6Pa', 150], ['o2-1e-6Pa', 180], ['o2-1e-6Pa', 210]] },
  { what: 'pO2 down (180 °C)', combos: [['o2-100Pa', 180], ['o2-1e-2Pa', 180], ['o2-1e-6Pa', 180]] },
  { what: 'pH2/pH2O up (60 °C)', combos: [['wet-H2', 60], ['dry-H2', 60]] },
];
const QUANTITIES: DamageQuantityName[] = ['rimRockSaltDepth_A', 'oxygenLoss_molPct'];

/** Mean and standard error of paired differences. */
function paired(a: readonly number[], b: readonly number[]): { mean: number; se: number } {
  const d = a.map((x, i) => b[i]! - x);
  const mean = d.reduce((s, x) => s + x, 0) / d.length;
  const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (d.length - 1));
  return { mean, se: sd / Math.sqrt(d.length) };
}

describe('monotone damage on the forward model', () => {
  const results = new Map<string, TrajectoryResult[]>();
  beforeAll(async () => {
    for (const s of SERIES) {
      for (const [atm, t] of s.combos) {
        const key = `${atm}@${t}`;
        if (results.has(key)) continue;
        const rs: TrajectoryResult[] = [];
        for (const d of DRAWS) rs.push(await runTrajectory(recipe, { atmosphere: ATM[atm]!, temperature: T[t], draw: d.index }, d, -1.05, 'test'));
        results.set(key, rs);
      }
    }
  });
  const last = recipe.times_s.length - 1;
  const at = (key: string, q: DamageQuantityName, k = last) => results.get(key)!.map((r) => r.damage[q]![k]!);

  for (const s of SERIES) {
    it(`does not fall with ${s.what}, and rises over the series (rim rock-salt depth, O loss after 1 h)`, () => {
      for (const q of QUANTITIES) {
        const keys = s.combos.map(([a, t]) => `${a}@${t}`);
        for (let i = 1; i < keys.length; i++) {
          const p = paired(at(keys[i - 1]!, q), at(keys[i]!, q));
          expect(p.mean, `${q}: ${keys[i - 1]} → ${keys[i]}: mean Δ ${p.mean.toFixed(3)} ± ${p.se.toFixed(3)}`).toBeGreaterThanOrEqual(-2 * p.se - 1e-12);
        }
        const whole = paired(at(keys[0]!, q), at(keys[keys.length - 1]!, q));
        expect(whole.mean, `${q}: ${keys[0]} → ${keys.at(-1)}: mean Δ ${whole.mean.toFixed(3)} ± ${whole.se.toFixed(3)}`).toBeGreaterThan(2 * whole.se);
      }
    });
  }

  it('does not fall with hold time (0.25 → 0.5 → 1 h, every combination above, paired by seed), and rises from 0.25 to 1 h', () => {
    for (const q of QUANTITIES) {
      const a: number[] = [], b: number[] = [], c: number[] = [];
      for (const key of results.keys()) {
        a.push(...at(key, q, 0));
        b.push(...at(key, q, 1));
        c.push(...at(key, q, 2));
      }
      for (const [x, y, label] of [[a, b, '0.25 → 0.5 h'], [b, c, '0.5 → 1 h']] as const) {
        const p = paired(x, y);
        expect(p.mean, `${q} ${label}: ${p.mean.toFixed(3)} ± ${p.se.toFixed(3)}`).toBeGreaterThanOrEqual(-2 * p.se - 1e-12);
      }
      const whole = paired(a, c);
      expect(whole.mean, `${q} 0.25 → 1 h`).toBeGreaterThan(2 * whole.se);
    }
  });
});
