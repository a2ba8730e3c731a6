// Statistics over draws, map.csv, the safe window and the sensitivity; runtime < 0.1 s.
import { describe, expect, it } from 'vitest';
import { buildMap, dominance, mapCsv, safeWindow } from '../../../src/twin/dry/map.js';
import { priorDraws } from '../../../src/twin/dry/draws.js';
import { loadDryRecipe } from '../../../src/twin/dry/recipe.js';
import { renderDryReport } from '../../../src/twin/dry/report.js';
import { drySummary } from '../../../src/twin/dry/summary.js';
import { quantile, spearman, spearmanNoise, summarise } from '../../../src/twin/dry/stats.js';
import type { TrajectoryResult } from '../../../src/twin/dry/trajectory.js';

describe('statistics', () => {
  it('quantiles are type 7 (R default): quantile(1:10, 0.05) = 1.45, median 5.5, 0.95 → 9.55; NaN left out', () => {
    const v = [3, 1, 2, 10, 9, NaN, 4, 5, 6, 7, 8];
    expect(quantile(v, 0.05)).toBeCloseTo(1.45, 12);
    expect(summarise(v)).toEqual({ median: 5.5, lo90: expect.closeTo(1.45, 12), hi90: expect.closeTo(9.55, 12) });
    expect(Number.isNaN(quantile([NaN], 0.5))).toBe(true);
  });

  it('Spearman ρ: 1 for any monotone map, −1 reversed, average ranks for ties (R: cor(c(1,2,2,3), c(1,3,2,4), method="spearman") = 0.9486833), NaN for a constant side', () => {
    expect(spearman([1, 2, 3, 4, 5], [1, 8, 27, 64, 125])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(0.9486833, 6);
    expect(Number.isNaN(spearman([1, 2, 3], [0, 0, 0]))).toBe(true);
    expect(spearmanNoise(32)).toBeCloseTo(1.96 / Math.sqrt(31), 12);
  });
});

/** Synthetic trajectories: depth = a·(T − 100 K)·t_h·x, x the drawn parameter. */
function fake(): TrajectoryResult[] {
  const out: TrajectoryResult[] = [];
  const temps = [400, 450, 500, 550];
  const times = [3600, 7200];
  for (const atm of ['a', 'b']) {
    for (const T of temps) {
      for (let d = 0; d < 8; d++) {
        const x = 0.5 + d / 8;
        const scale = atm === 'a' ? 0.01 : 0.001;
        out.push({
          schemaVersion: 1, inputsHash: 'h', atmosphere: atm, temperature_K: T, draw: d, seed: d, values: { x, y: (d * 37) % 8 }, poreRadius_A: 10,
          offset_eV: 0, deltaMuO_eV: -1, niNiOCrossed: atm === 'b' && T > 500, times_s: times,
          damage: { rimRockSaltDepth_A: times.map((t) => scale * (T - 100) * (t / 3600) * x), oxygenLoss_molPct: times.map(() => null) },
          initial: { rimRockSaltDepth_A: 0 }, cooled: null, capacity_A: { rimRockSaltDepth_A: 10 }, events: 1,
        });
      }
    }
  }
  return out;
}

describe('map', () => {
  const m = buildMap(fake(), { atmospheres: ['a', 'b'], temperatures_K: [400, 450, 500, 550], times_s: [3600, 7200], draws: 8, parameters: ['x', 'y'], threshold: 'rimRockSaltDepth_A' });

  it('map.csv has the issue\'s columns: atmosphere, temperature_C, time_h, then median/lo90/hi90 per quantity; one row per atmosphere × temperature × time', () => {
    const lines = mapCsv(m).trimEnd().split('\n');
    expect(lines[0]).toBe('atmosphere,temperature_C,time_h,rimRockSaltDepth_A_median,rimRockSaltDepth_A_lo90,rimRockSaltDepth_A_hi90,oxygenLoss_molPct_median,oxygenLoss_molPct_lo90,oxygenLoss_molPct_hi90,niNiOLineCrossed_fraction');
    expect(lines.length).toBe(1 + 2 * 4 * 2);
    expect(lines[1]!.startsWith('a,126.85,1,')).toBe(true);
    // Median over x = 0.5 … 1.375 (8 draws) of 0.01·300·1·x.
    const med = 0.01 * 300 * quantile(Array.from({ length: 8 }, (_, d) => 0.5 + d / 8), 0.5);
    expect(Number(lines[1]!.split(',')[3])).toBeCloseTo(med, 5);
    expect(lines[lines.length - 1]!.endsWith(',1')).toBe(true); // b at 550 K crosses Ni/NiO in every draw
  });

  it('the safe window is the highest grid T below the threshold for the median and the upper 90 % bound, with the interpolated crossing', () => {
    const w = safeWindow(m, 'rimRockSaltDepth_A', 3.5);
    const a1 = w.find((x) => x.atmosphere === 'a' && x.time_s === 3600)!;
    // median at 1 h: 0.01·(T−100)·0.9375 → 2.81 (400), 3.28 (450), 3.75 (500): safe to 450 K, crossing between 450 and 500.
    expect(a1.highestSafeMedian_K).toBe(450);
    expect(a1.crossingMedian_K).toBeGreaterThan(450);
    expect(a1.crossingMedian_K).toBeLessThan(500);
    // upper 90 % bound of x over the 8 draws is 1.33125 → 3.99 Å already at 400 K: below the grid.
    expect(Number.isNaN(a1.highestSafeHi90_K)).toBe(true);
    const b2 = w.find((x) => x.atmosphere === 'b' && x.time_s === 7200)!;
    expect(b2.allSafeMedian).toBe(true);
    expect(b2.highestSafeMedian_K).toBe(550);
    const b1 = w.find((x) => x.atmosphere === 'b' && x.time_s === 3600)!;
    expect(b1.allSafeHi90).toBe(true);
  });

  it('flags cells whose median depth reaches 80 % of the lamella\'s capacity as lamella-limited', () => {
    const cell = (atm: string, T: number, t: number) => m.cells.find((c) => c.atmosphere === atm && c.temperature_K === T && c.time_s === t)!;
    // median 0.01·(T − 100)·t_h·0.9375: 8.44 Å at 550 K, 2 h (≥ 8 Å of 10 Å); 4.22 Å at 550 K, 1 h.
    expect(cell('a', 550, 7200).limited.rimRockSaltDepth_A).toBe(true);
    expect(cell('a', 550, 3600).limited.rimRockSaltDepth_A).toBe(false);
    expect(m.rows[0]!.capacity_A.rimRockSaltDepth_A).toBe(10);
  });

  it('names the parameter the damage hinges on (x, ρ = 1) and not the unrelated one', () => {
    const d = dominance(m, 'rimRockSaltDepth_A', 'Å');
    expect(d[0]!.ranking[0]!.name).toBe('x');
    expect(d[0]!.ranking[0]!.meanAbsRho).toBeCloseTo(1, 12);
    expect(d[0]!.text).toMatch(/^x dominates/);
    expect(m.rows[0]!.sensitivity.x).toBeCloseTo(1, 12);
    expect(Math.abs(m.rows[0]!.sensitivity.y!)).toBeLessThan(0.9);
  });

  it('renders a self-contained report: a heat map per atmosphere with the threshold contours of the median and the upper bound, the safe window, no scripts', () => {
    const r = loadDryRecipe();
    const w = safeWindow(m, 'rimRockSaltDepth_A', 3.5);
    const d = dominance(m, 'rimRockSaltDepth_A', 'Å');
    const s = drySummary({ ...r, threshold: { quantity: 'rimRockSaltDepth_A', value: 3.5 } }, priorDraws([], 8, 1, r.poreRadius), m, w, d, 'test');
    const html = renderDryReport(s, m, w, d);
    expect(html.match(/<svg class="heatmap"/g)?.length).toBe(2);
    expect(html).toMatch(/class="threshold" d="M/);
    expect(html).toMatch(/stroke-dasharray="5 3"><title>upper 90 % bound = 3.5 Å/);
    expect(html).toMatch(/Safe window/);
    expect(html).not.toMatch(/<script|(src|href)="https?:/);
    expect(s.headline.length).toBe(8);
    expect(s.dominance[0]!.text).toMatch(/^x dominates/);
  });
});
