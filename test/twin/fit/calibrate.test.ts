// Coverage calibration of the likelihood's scale (calibrate.ts): on a model the emulator describes
// exactly, the likelihood-ratio statistic of its pseudo-observations has the χ²_d mean (Wilks) and
// the scale stays near 1; onset-only observations are left alone (≈ 3 s on 2 cores; that the scale
// restores coverage where the emulator is over-confident is a property over cases: the calibration
// bench, and test/twin/fit/analytic.test.ts checks it does not widen exact posteriors beyond ±40 %).
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/index.js';
import { calibrateScale } from '../../../src/twin/fit/calibrate.js';
import { Emulator, type TrainingSet } from '../../../src/twin/fit/emulator.js';

const a = [1, 0.6, -0.4, 0.8, 0.2];
const c = [0.3, -0.5, 0.2, 0, 0.4];
const sd = 0.05;
const names = a.map((_, j) => `s${j}`);
const mean = (u: number) => a.map((aj, j) => aj * u + c[j]! * u * u);

/** 10 points on a grid, 3 replicates each with noise sd. */
function training(seed: number): TrainingSet {
  const rng = Rng.stream(seed);
  const points = Array.from({ length: 10 }, (_, i) => {
    const u = (i + 0.5) / 10;
    return { u: [u], stats: Array.from({ length: 3 }, () => mean(u).map((m) => m + sd * rng.normal())) };
  });
  return { d: 1, statNames: names, stages: [], points };
}

describe('coverage calibration of the likelihood scale', () => {
  const obs = (u: number, seed: number) => {
    const rng = Rng.stream(seed);
    return { stats: Object.fromEntries(mean(u).map((m, j) => [names[j]!, m + sd * rng.normal()])) };
  };

  it('keeps the scale near 1 where the emulator is right (mean likelihood-ratio statistic ≈ d = 1)', () => {
    for (const seed of [1, 2]) {
      const ts = training(seed);
      const r = calibrateScale(ts, Emulator.build(ts), obs(0.42, 100 + seed));
      expect(r.pseudoObservations).toBe(18);
      // 18 pseudo-observations: the mean of 18 χ²_1 lies in [0.4, 1.8] with probability ≈ 0.99.
      expect(r.meanLr, `seed ${seed}`).toBeGreaterThan(0.3);
      expect(r.meanLr, `seed ${seed}`).toBeLessThan(1.8);
      expect(r.scale).toBeGreaterThanOrEqual(1);
      expect(r.scale).toBeLessThan(1.8);
    }
  });

  it('leaves onset-only (timeline) observations at scale 1, and says why', () => {
    const ts = training(1);
    const r = calibrateScale(ts, Emulator.build(ts), { onsets: [{ stage: 'x', after_C: 100, onset_C: 115 }] });
    expect(r.scale).toBe(1);
    expect(r.skipped).toMatch(/onsets/);
  });
});
