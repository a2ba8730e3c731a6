// The emulated likelihood's scale w is a tempering (likelihood.ts; Bissiri, Holmes & Walker, JRSSB 78,
// 1103 (2016); Syring & Martin, Biometrika 106, 479 (2019)): the fit's log-likelihood is ℓ(θ)/w, every
// term of ℓ divided by w — the Student-t terms of the whitened residual, the −½ log det Σ(θ) normaliser
// and the interval-censored onsets. Checked against ℓ recomputed here from the emulator's predictive
// distribution, on an emulator whose predictive variance depends strongly on θ (replicate sd 0.02 → 0.10
// across the cube), so that a scale applied to the covariance instead (which leaves −½ log det Σ(θ) at
// full weight) fails. ≈ 1 s.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/index.js';
import { Emulator, type TrainingSet } from '../../../src/twin/fit/emulator.js';
import { EmulatedLikelihood, type Observation } from '../../../src/twin/fit/likelihood.js';
import { cholesky } from '../../../src/twin/fit/math/linalg.js';
import { logStudentInterval, logStudentT } from '../../../src/twin/fit/math/normal.js';

const a = [1, 0.6, -0.4, 0.8, 0.2];
const c = [0.3, -0.5, 0.2, 0, 0.4];
const names = a.map((_, j) => `s${j}`);
const mean = (u: number) => a.map((aj, j) => aj * u + c[j]! * u * u);
const sd = (u: number) => 0.02 + 0.08 * u;
const onset = (u: number) => 150 + 100 * u;

/** 10 points on a grid, 4 replicates each: statistics with θ-dependent noise sd(u), one latent onset (sd 6 °C). */
function training(seed: number): TrainingSet {
  const rng = Rng.stream(seed);
  const points = Array.from({ length: 10 }, (_, i) => {
    const u = (i + 0.5) / 10;
    const reps = Array.from({ length: 4 }, () => ({ s: mean(u).map((m) => m + sd(u) * rng.normal()), o: [onset(u) + 6 * rng.normal()] }));
    return { u: [u], stats: reps.map((r) => r.s), onsets: reps.map((r) => r.o) };
  });
  return { d: 1, statNames: names, stages: ['onset'], points };
}

/** ℓ(u) and its −½ log det Σ part, recomputed from the emulator's prediction (the module doc's definition). */
function reference(em: Emulator, obs: Observation, u: number): { ll: number; halfLogDet: number } {
  const p = em.predict([u]);
  const n = em.m;
  const L = cholesky(Float64Array.from(p.cov), n);
  if (!L) throw new Error('Σ not positive definite');
  const r = names.map((nm, j) => obs.stats![nm]! - p.mean[j]!);
  let ll = 0;
  let halfLogDet = 0;
  for (let i = 0; i < n; i++) {
    let s = r[i]!;
    for (let k = 0; k < i; k++) s -= L[i * n + k]! * r[k]!;
    r[i] = s / L[i * n + i]!;
    ll += logStudentT(r[i]!, p.replicateDof[i]!);
    halfLogDet += Math.log(L[i * n + i]!);
  }
  ll -= halfLogDet;
  const o = obs.onsets![0]!;
  const e = p.onsets[0]!;
  ll += logStudentInterval(o.after_C ?? -Infinity, o.onset_C ?? Infinity, e.mean, Math.sqrt(e.emulatorVariance + e.replicateVariance), e.replicateDof);
  return { ll, halfLogDet };
}

describe('the likelihood scale w tempers the whole log-likelihood: ℓ_w = ℓ/w', () => {
  const ts = training(7);
  const em = Emulator.build(ts);
  const rng = Rng.stream(8);
  const obs: Observation = { stats: Object.fromEntries(mean(0.45).map((m, j) => [names[j]!, m + sd(0.45) * rng.normal()])), onsets: [{ stage: 'onset', after_C: 185, onset_C: 200 }] };
  const us = [0.05, 0.2, 0.38, 0.45, 0.6, 0.83, 0.97];

  it('w = 1 is the untempered ℓ, bit for bit, and matches ℓ recomputed from the prediction (1e-9 relative)', () => {
    const one = new EmulatedLikelihood(em, obs);
    for (const u of us) {
      const ref = reference(em, obs, u).ll;
      expect(Object.is(one.logLik([u]), one.untemperedLogLik([u])), `u ${u}`).toBe(true);
      expect(Math.abs(one.logLik([u]) - ref), `u ${u}`).toBeLessThan(1e-9 * Math.max(1, Math.abs(ref)));
    }
  });

  it('w > 1: every term, the log det included, divided by w (1e-9 relative to the recomputed ℓ/w), exactly ℓ/w in floating point', () => {
    for (const w of [1.7, 3.2, 12]) {
      const lik = new EmulatedLikelihood(em, obs, w);
      expect(lik.scale).toBe(w);
      for (const u of us) {
        const ref = reference(em, obs, u).ll;
        expect(lik.logLik([u]), `w ${w}, u ${u}`).toBe(lik.untemperedLogLik([u]) / w);
        expect(Math.abs(lik.logLik([u]) - ref / w), `w ${w}, u ${u}`).toBeLessThan(1e-9 * Math.max(1, Math.abs(ref)));
      }
    }
  });

  it('the test discriminates: ½ log det Σ(θ) spans > 3 nats over the points, so scaling Σ by w (log det at full weight) is not ℓ/w + const', () => {
    const hl = us.map((u) => reference(em, obs, u).halfLogDet);
    expect(Math.max(...hl) - Math.min(...hl)).toBeGreaterThan(3);
    // The former definition: Σ → wΣ (whitened residual /√w, + ½ n log w), onset sd × √w.
    const w = 3.2;
    const covScaled = (u: number) => {
      const p = em.predict([u]);
      const n = em.m;
      const L = cholesky(Float64Array.from(p.cov, (v) => v * w), n)!;
      const r = names.map((nm, j) => obs.stats![nm]! - p.mean[j]!);
      let ll = 0;
      for (let i = 0; i < n; i++) {
        let s = r[i]!;
        for (let k = 0; k < i; k++) s -= L[i * n + k]! * r[k]!;
        r[i] = s / L[i * n + i]!;
        ll += logStudentT(r[i]!, p.replicateDof[i]!) - Math.log(L[i * n + i]!);
      }
      const e = p.onsets[0]!;
      return ll + logStudentInterval(185, 200, e.mean, Math.sqrt(w * (e.emulatorVariance + e.replicateVariance)), e.replicateDof);
    };
    const lik = new EmulatedLikelihood(em, obs, w);
    const diff = us.map((u) => lik.logLik([u]) - covScaled(u));
    expect(Math.max(...diff) - Math.min(...diff)).toBeGreaterThan(1);
  });

  it('the maximiser of ℓ_w is that of ℓ, and its likelihood-ratio statistic is Λ/w (what calibrate.ts assumes)', () => {
    const w = 3.2;
    const lik = new EmulatedLikelihood(em, obs, w);
    const grid = Array.from({ length: 201 }, (_, i) => i / 200);
    const l1 = grid.map((u) => lik.untemperedLogLik([u]));
    const lw = grid.map((u) => lik.logLik([u]));
    const i1 = l1.indexOf(Math.max(...l1));
    expect(lw.indexOf(Math.max(...lw))).toBe(i1);
    const at = grid.indexOf(0.45);
    const lam = 2 * (l1[i1]! - l1[at]!);
    expect(Math.abs(2 * (lw[i1]! - lw[at]!) - lam / w)).toBeLessThan(1e-9 * Math.max(1, lam));
  });

  it('rejects w < 1 and non-finite w, naming the value', () => {
    expect(() => new EmulatedLikelihood(em, obs, 0.5)).toThrow(/scale 0\.5/);
    expect(() => new EmulatedLikelihood(em, obs, Infinity)).toThrow(/scale Infinity/);
  });
});
