// The inference core on problems whose posterior is known (≈ 25 s on 2 cores): a Gaussian linear model
// (closed-form posterior) and first-order kinetics under the seed staircase (MODEL.md §4; exact
// likelihood by an HMM over the converted count), the Ea–ν compensation, and interval-censored onsets.
import { describe, expect, it } from 'vitest';
import { BOLTZMANN_EV_PER_K } from '../../../src/core/index.js';
import {
  firstOrderExactLogLik, firstOrderExactQuantiles, firstOrderStatNames, integratedHazard, linearGaussianCov, ParameterSpace, runFit, SEED_STAIRCASE, simulateFirstOrder, simulateLinearGaussian,
  staircaseFrames, summariseParameters, type FirstOrderSpec, type LinearGaussianSpec,
} from '../../../src/twin/fit/index.js';
import { choleskyJitter, cholSolve } from '../../../src/twin/fit/math/linalg.js';
import { tempDirs } from './tmp.js';

const tmp = tempDirs('fit-analytic-');
const quick = { burnIn: 800, iterations: 2500, roundBurnIn: 400, roundIterations: 800 };

describe('first-order kinetics under the seed staircase (MODEL.md §4 table)', () => {
  it('the integrated hazard reproduces the 10 % onsets 1.2 eV → 100 °C … 2.4 eV → 448 °C within 2 °C (onset_map.py)', () => {
    const { time_s, temperature_C, program } = staircaseFrames(SEED_STAIRCASE);
    // Fine frames: every 5 s of the programme; onset = first time Λ ≥ −ln 0.9.
    const fine = Array.from({ length: Math.floor(program.duration_s / 5) }, (_, i) => 5 * i);
    for (const [Ea, T] of [[1.2, 100], [1.4, 159], [1.6, 218], [1.8, 277], [2.0, 335], [2.2, 392], [2.4, 448]] as const) {
      const L = integratedHazard(program, fine, Ea, 1e13);
      const i = L.findIndex((v) => v >= -Math.log(0.9));
      expect(Math.abs(program.temperature_K(fine[i]!) - 273.15 - T), `Ea ${Ea}`).toBeLessThan(2);
    }
    expect(time_s.length).toBe(temperature_C.length);
  });
});

describe('fit on a Gaussian linear model', () => {
  it('recovers the closed-form posterior mean and sd (flat prior wider than the likelihood)', async () => {
    const spec: LinearGaussianSpec = {
      kind: 'linear-gaussian', names: ['a', 'b'], rho: 0.5,
      A: [[1, 0], [0.8, 0.3], [0.5, 0.6], [0.2, 1], [0, 1.2], [0.3, -0.4]],
      b: [0, 0.1, 0, -0.1, 0.2, 0], sd: [0.05, 0.05, 0.06, 0.05, 0.07, 0.05],
    };
    const space = new ParameterSpace([
      { name: 'a', unit: '1', default: 0.5, prior: [0, 1], scale: 'linear' },
      { name: 'b', unit: '1', default: 0.5, prior: [0, 1], scale: 'linear' },
    ]);
    const truth = { a: 0.62, b: 0.37 };
    const obs = simulateLinearGaussian(spec, truth, 2024).stats;
    const names = Object.keys(obs);
    // The emulator + likelihood + MCMC core against the closed form, without the coverage calibration
    // (calibrate.ts): the calibration deliberately adds the emulator's own error to the posterior (here
    // it measures w = 1.10–1.17 at 40 simulations, by a scratch run of this test) and moves the refinement points with
    // it, so the median is no longer the exact one within 0.5 sd. The calibration is tested in
    // calibrate.test.ts and stays on in the first-order tests below (exact HMM posteriors, ±40 % widths).
    const r = await runFit({ space, simulator: spec, statNames: names, stages: [], observation: { stats: obs } }, { outDir: tmp(), seed: 3, budget: 40, quiet: true, mcmc: quick, calibrate: false });
    if (r.status !== 'done') throw new Error(r.status);
    // Exact: cov = (AᵀΣ⁻¹A)⁻¹, mean = cov AᵀΣ⁻¹(y − b).
    const m = names.length;
    const { L } = choleskyJitter(linearGaussianCov(spec), m);
    const y = names.map((n, j) => obs[n]! - spec.b[j]!);
    const SiA = [0, 1].map((c) => cholSolve(L, m, spec.A.map((row) => row[c]!)));
    const F = [[0, 0], [0, 0]] as number[][];
    const g = [0, 0];
    for (let a = 0; a < 2; a++) {
      for (let c = 0; c < 2; c++) for (let j = 0; j < m; j++) F[a]![c]! += spec.A[j]![c]! * SiA[a]![j]!;
      for (let j = 0; j < m; j++) g[a]! += SiA[a]![j]! * y[j]!;
    }
    const det = F[0]![0]! * F[1]![1]! - F[0]![1]! * F[1]![0]!;
    const cov = [[F[1]![1]! / det, -F[0]![1]! / det], [-F[1]![0]! / det, F[0]![0]! / det]];
    const mean = [cov[0]![0]! * g[0]! + cov[0]![1]! * g[1]!, cov[1]![0]! * g[0]! + cov[1]![1]! * g[1]!];
    const s = summariseParameters(space, r.result.mcmc.samples);
    ['a', 'b'].forEach((n, i) => {
      const sd = Math.sqrt(cov[i]![i]!);
      // Tolerances: the replicate covariance is estimated from ~30 degrees of freedom, whose sampling error
      // moves the posterior by O(1/√30) ≈ 0.2 of a z-score per statistic: median within 0.5 sd of the exact
      // mean; 90 % width within ±35 % of 2·1.645·sd.
      expect(Math.abs(s[n]!.median - mean[i]!) / sd, `${n} median`).toBeLessThan(0.5);
      expect((s[n]!.ci90[1] - s[n]!.ci90[0]) / (2 * 1.645 * sd), `${n} width`).toBeGreaterThan(0.65);
      expect((s[n]!.ci90[1] - s[n]!.ci90[0]) / (2 * 1.645 * sd), `${n} width`).toBeLessThan(1.35);
    });
    expect(Math.max(...r.result.mcmc.rhat)).toBeLessThan(1.02);
  });
});

describe('fit on first-order kinetics', () => {
  const sc = { ...SEED_STAIRCASE, end_K: 273.15 + 325 };
  const spec: FirstOrderSpec = { kind: 'first-order', sites: 100, noise: 0.03, threshold: 0.1, staircase: sc, fixed: { nu: 1e13 } };
  const names = firstOrderStatNames(sc);

  it('matches the exact (HMM) posterior of Ea: median within 0.5 exact-interval widths, 90 % width within ±40 %', async () => {
    const space = new ParameterSpace([{ name: 'Ea', unit: 'eV', default: 1.45, prior: [1.2, 1.8], scale: 'linear' }]);
    const truth = 1.52;
    const obs = simulateFirstOrder(spec, { Ea: truth }, 12345);
    const r = await runFit({ space, simulator: spec, statNames: names, stages: ['onset'], observation: { stats: obs.stats } }, { outDir: tmp(), seed: 1, budget: 40, quiet: true, mcmc: quick });
    if (r.status !== 'done') throw new Error(r.status);
    const q = firstOrderExactQuantiles(spec, names.map((n) => obs.stats[n]!), 1.45, 1.6);
    const s = summariseParameters(space, r.result.mcmc.samples).Ea!;
    const width = q[2]! - q[0]!;
    expect(Math.abs(s.median - q[1]!) / width).toBeLessThan(0.5);
    expect((s.ci90[1] - s.ci90[0]) / width).toBeGreaterThan(0.6);
    expect((s.ci90[1] - s.ci90[0]) / width).toBeLessThan(1.4);
  });

  it('with ν fitted too, matches the exact 2D posterior: Ea and log ν strongly correlated (the compensation), Ea marginal as exact', async () => {
    const space = new ParameterSpace([
      { name: 'Ea', unit: 'eV', default: 1.45, prior: [1.2, 1.8], scale: 'linear' },
      { name: 'nu', unit: '1/s', default: 1e13, prior: [1e12, 1e14], scale: 'log' },
    ]);
    const free: FirstOrderSpec = { ...spec, fixed: {} };
    const obs = simulateFirstOrder(free, { Ea: 1.5, nu: 1e13 }, 777);
    const r = await runFit({ space, simulator: free, statNames: names, stages: ['onset'], observation: { stats: obs.stats } }, { outDir: tmp(), seed: 2, budget: 56, quiet: true, mcmc: quick });
    if (r.status !== 'done') throw new Error(r.status);
    // Exact posterior on a grid over (Ea, log10 ν) (flat prior on both).
    const meas = names.map((n) => obs.stats[n]!);
    const cells: { e: number; l: number; w: number }[] = [];
    for (let l = 12; l <= 14.0001; l += 0.05) for (let e = 1.3; e <= 1.7; e += 0.004) cells.push({ e, l, w: firstOrderExactLogLik(free, { Ea: e, nu: 10 ** l }, meas) });
    const mx = Math.max(...cells.map((c) => c.w));
    cells.forEach((c) => (c.w = Math.exp(c.w - mx)));
    const Z = cells.reduce((a, c) => a + c.w, 0);
    const moments = (pts: { e: number; l: number; w: number }[], tot: number) => {
      const me = pts.reduce((a, c) => a + c.w * c.e, 0) / tot;
      const ml = pts.reduce((a, c) => a + c.w * c.l, 0) / tot;
      const ve = pts.reduce((a, c) => a + c.w * (c.e - me) ** 2, 0) / tot;
      const vl = pts.reduce((a, c) => a + c.w * (c.l - ml) ** 2, 0) / tot;
      const cv = pts.reduce((a, c) => a + c.w * (c.e - me) * (c.l - ml), 0) / tot;
      return { me, sdE: Math.sqrt(ve), rho: cv / Math.sqrt(ve * vl), slope: cv / vl };
    };
    const exact = moments(cells, Z);
    const fit = moments(r.result.mcmc.samples.map((u) => ({ e: space.value(0, u[0]!), l: Math.log10(space.value(1, u[1]!)), w: 1 })), r.result.mcmc.samples.length);
    // The compensation: along the ridge ΔEa ≈ k_B·T·ln 10 per decade of ν (0.092 eV at the ~190 °C onset).
    expect(exact.rho).toBeGreaterThan(0.9);
    expect(fit.rho).toBeGreaterThan(exact.rho - 0.1);
    expect(fit.slope / (BOLTZMANN_EV_PER_K * (273.15 + 190) * Math.LN10)).toBeGreaterThan(0.7);
    expect(fit.slope / (BOLTZMANN_EV_PER_K * (273.15 + 190) * Math.LN10)).toBeLessThan(1.3);
    // Ea's marginal: sd within ±40 % of the exact one; mean within 0.75 exact sd. Along the ridge only the
    // weak information in the transition's width (∝ k_B T²/Ea) and the prior's ends on ν place the mass,
    // and 56 simulations estimate that tilt less well than the ridge itself (1D above: 0.5 sd).
    expect(Math.abs(fit.me - exact.me) / exact.sdE).toBeLessThan(0.75);
    expect(fit.sdE / exact.sdE).toBeGreaterThan(0.6);
    expect(fit.sdE / exact.sdE).toBeLessThan(1.4);
  });

  it('from onsets alone (interval-censored at the frames), the posterior of Ea covers the truth and is wider than from the curves', async () => {
    const space = new ParameterSpace([{ name: 'Ea', unit: 'eV', default: 1.45, prior: [1.2, 1.8], scale: 'linear' }]);
    const truth = 1.6;
    const o = simulateFirstOrder(spec, { Ea: truth }, 99).onsets.onset!;
    const r = await runFit({ space, simulator: spec, statNames: [], stages: ['onset'], observation: { onsets: [{ stage: 'onset', after_C: o.after_C, onset_C: o.onset_C }] } }, { outDir: tmp(), seed: 5, budget: 32, quiet: true, mcmc: quick });
    if (r.status !== 'done') throw new Error(r.status);
    const s = summariseParameters(space, r.result.mcmc.samples).Ea!;
    expect(s.ci90[0]).toBeLessThanOrEqual(truth);
    expect(s.ci90[1]).toBeGreaterThanOrEqual(truth);
    // One 15 K step is ≈ 0.05 eV (30 K per 0.1 eV): the interval cannot be much narrower than that.
    expect(s.ci90[1] - s.ci90[0]).toBeGreaterThan(0.035);
    expect(s.ci90[1] - s.ci90[0]).toBeLessThan(0.2);
  });
});
