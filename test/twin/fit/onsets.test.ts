// The fitted series' own onsets (posterior.ts `onsetSummaries`): for a parameter point θ, the latent onset
// of the lamella that made the series, given its statistics y, is the Gaussian conditional
//   o | y ~ N(μ_o + c_oyᵀ Σ_yy⁻¹ (y − μ_y), σ²_o − c_oyᵀ Σ_yy⁻¹ c_oy)
// of one simulated observation under the emulator. Checked on a synthetic simulator whose statistics
// carry the realised onset (a run that starts early shows it in its curve, as the KMC rim does):
// - the draws reproduce that conditional (mean and sd, recomputed here from Emulator.predict);
// - calibration: over fresh replicates at a known θ (6 emulators × 60 replicates pooled), the series' 90 %
//   interval covers each replicate's own onset at least at the nominal rate less 3 binomial sd (0.85), and
//   is at most twice as wide as the oracle's (the simulator known); the repeat-experiment interval covers
//   at the nominal rate (0.85–0.95) with the oracle's width within 15 %;
// - with no observed statistics the two are the same draws. ≈ 20 s.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/index.js';
import { Emulator, type TrainingSet } from '../../../src/twin/fit/emulator.js';
import { choleskyJitter, solveLower } from '../../../src/twin/fit/math/linalg.js';
import { onsetSummaries } from '../../../src/twin/fit/posterior.js';

const a = [1, 0.6, -0.4, 0.8];
const k = [0.9, 0.5, 0, 0.7]; // how strongly statistic j carries the realised onset's deviation
const names = a.map((_, j) => `s${j}`);
const ONSET_SD = 12;
const NOISE_SD = 0.05;
const onsetMean = (u: number) => 150 + 100 * u;

/** One simulation at u: a realised onset and statistics that carry its standardised deviation. */
function simulate(u: number, rng: Rng): { s: number[]; o: number } {
  const e = rng.normal();
  return { o: onsetMean(u) + ONSET_SD * e, s: a.map((aj, j) => aj * u + 0.2 * k[j]! * e + NOISE_SD * rng.normal()) };
}

/** 12 points, 10 replicates each. */
function training(seed: number): TrainingSet {
  const rng = Rng.stream(seed);
  const points = Array.from({ length: 12 }, (_, i) => {
    const u = (i + 0.5) / 12;
    const reps = Array.from({ length: 10 }, () => simulate(u, rng));
    return { u: [u], stats: reps.map((r) => r.s), onsets: reps.map((r) => [r.o]) };
  });
  return { d: 1, statNames: names, stages: ['onset'], points };
}

const frames = Array.from({ length: 30 }, (_, i) => 100 + 15 * i);
const obsOf = (s: number[]) => Object.fromEntries(s.map((v, j) => [names[j]!, v]));

describe("the series' own onsets: conditioned on the series' statistics", () => {
  const em = Emulator.build(training(11));
  const u = 0.4;
  const samples = Array.from({ length: 4000 }, () => Float64Array.of(u));

  it('draws follow the conditional recomputed from the emulator (centre and scale within 0.1 sd)', () => {
    const rep = simulate(u, Rng.stream(5));
    const y = rep.s;
    const p = em.predict([u]);
    const n = em.m;
    const { L } = choleskyJitter(Float64Array.from(p.cov), n);
    const z = solveLower(L, n, y.map((v, j) => v - p.mean[j]!));
    const v = solveLower(L, n, Array.from(p.onsetStatCov.subarray(0, n)));
    let shift = 0;
    let expl = 0;
    for (let j = 0; j < n; j++) {
      shift += v[j]! * z[j]!;
      expl += v[j]! ** 2;
    }
    const o = p.onsets[0]!;
    const mean = o.mean + shift;
    const sd = Math.sqrt(o.emulatorVariance + o.replicateVariance - expl);
    const r = onsetSummaries(em, samples, frames, 3, obsOf(y), 4000).onset!;
    expect(r.conditionedOn.statistics).toBe(n);
    expect(Math.abs(r.latentMedian_C - mean)).toBeLessThan(0.1 * sd);
    const sdHat = (r.latentCi90_C[1] - r.latentCi90_C[0]) / (2 * 1.6449);
    expect(Math.abs(sdHat / sd - 1)).toBeLessThan(0.1);
    // The statistics carry the onset here, so conditioning must explain a real share of its variance.
    expect(sd).toBeLessThan(0.8 * Math.sqrt(o.emulatorVariance + o.replicateVariance));
  });

  it("covers each fresh replicate's own onset (≥ 0.85 pooled over 6 emulators × 60 replicates) within twice the oracle's width; a repeat experiment's interval is nominal", () => {
    // Each emulator is trained on its own simulations: its replicate variance is an estimate (≈ 17–95
    // degrees of freedom here); pooling over emulators averages that estimate's error, as the calibration
    // over synthetic cases does.
    const rng = Rng.stream(99);
    const few = samples.slice(0, 400);
    let inSeries = 0;
    let inRepeat = 0;
    let wSeries = 0;
    let wRepeat = 0;
    const E = 6;
    const R = 60;
    const N = E * R;
    for (let e = 0; e < E; e++) {
      const emE = Emulator.build(training(21 + e));
      for (let t = 0; t < R; t++) {
        const rep = simulate(u, rng);
        const r = onsetSummaries(emE, few, frames, 1000 + t, obsOf(rep.s), 400).onset!;
        if (r.latentCi90_C[0] <= rep.o && rep.o <= r.latentCi90_C[1]) inSeries++;
        if (r.repeat.latentCi90_C[0] <= rep.o && rep.o <= r.repeat.latentCi90_C[1]) inRepeat++;
        wSeries += (r.latentCi90_C[1] - r.latentCi90_C[0]) / N;
        wRepeat += (r.repeat.latentCi90_C[1] - r.repeat.latentCi90_C[0]) / N;
      }
    }
    // The oracle: with the simulator known, o | y has sd ONSET_SD / √(1 + Σ_j (0.2 k_j / NOISE_SD)²)
    // (≈ 2.4 °C, a 90 % width of ≈ 7.8 °C) and a new lamella's onset sd ONSET_SD (width ≈ 39.5 °C).
    const oracleSeries = 2 * 1.6449 * ONSET_SD / Math.sqrt(1 + k.reduce((acc, kj) => acc + (0.2 * kj / NOISE_SD) ** 2, 0));
    const oracleRepeat = 2 * 1.6449 * ONSET_SD;
    // Not over-confident: at least the nominal rate less 3 binomial sd (0.85). The series' intervals may be
    // conservative (the emulated cross-covariance is shrunk towards none, covariance.ts, and the onset GP's
    // own error is kept), but at most twice the oracle's width; the repeat experiment's is nominal (≤ 0.95).
    expect(inSeries / N).toBeGreaterThanOrEqual(0.85);
    expect(wSeries).toBeGreaterThan(0.8 * oracleSeries);
    expect(wSeries).toBeLessThan(2 * oracleSeries);
    expect(inRepeat / N).toBeGreaterThanOrEqual(0.85);
    expect(inRepeat / N).toBeLessThanOrEqual(0.95);
    expect(Math.abs(wRepeat / oracleRepeat - 1)).toBeLessThan(0.15);
  });

  it('without observed statistics the series figures are the repeat draws, and the repeat draws ignore the conditioning', () => {
    const none = onsetSummaries(em, samples, frames, 3).onset!;
    expect(none.conditionedOn.statistics).toBe(0);
    expect(none.latentCi90_C).toEqual(none.repeat.latentCi90_C);
    expect(none.median_C).toBe(none.repeat.median_C);
    const withStats = onsetSummaries(em, samples, frames, 3, obsOf(simulate(u, Rng.stream(6)).s)).onset!;
    expect(withStats.repeat).toEqual(none.repeat);
  });
});
