// Gaussian-process emulator, design and MCMC: invariants and known answers (≈ 2 s).
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/index.js';
import { maximinLhs, minDistance } from '../../../src/twin/fit/design.js';
import { effectiveSampleSize, splitRhat } from '../../../src/twin/fit/diagnostics.js';
import { Gp } from '../../../src/twin/fit/gp.js';
import { runMcmc } from '../../../src/twin/fit/mcmc.js';
import { ParameterSpace } from '../../../src/twin/fit/space.js';

describe('maximin Latin hypercube', () => {
  it('puts exactly one point in each of the n slices of every axis, the same for the same seed', () => {
    const a = maximinLhs(12, 3, Rng.stream(5));
    for (let j = 0; j < 3; j++) {
      const slices = Array.from({ length: 12 }, (_, i) => Math.floor(a.u[i * 3 + j]! * 12)).sort((x, y) => x - y);
      expect(slices).toEqual(Array.from({ length: 12 }, (_, i) => i));
    }
    expect(Array.from(maximinLhs(12, 3, Rng.stream(5)).u)).toEqual(Array.from(a.u));
    // Maximin selection beats a single random hypercube on its own criterion.
    expect(minDistance(a.u, 12, 3)).toBeGreaterThanOrEqual(minDistance(maximinLhs(12, 3, Rng.stream(5), 1).u, 12, 3));
  });
});

describe('parameter space', () => {
  it('maps log-scale priors so that the unit cube is uniform in log ν, and back', () => {
    const s = new ParameterSpace([{ name: 'nu', unit: 'Hz', default: 1e13, prior: [1e12, 1e14], scale: 'log' }]);
    expect(s.value(0, 0.5)).toBeCloseTo(1e13, -1);
    expect(s.unit(0, 1e12)).toBeCloseTo(0, 12);
    expect(s.unit(0, 1e14)).toBeCloseTo(1, 12);
  });
});

describe('Gp', () => {
  it('interpolates noise-free data and is exact (zero variance) at the design points', () => {
    const n = 10;
    const x = Float64Array.from({ length: n }, (_, i) => i / (n - 1));
    const g = Gp.fit({ x, n, d: 1, y: Array.from(x, (v) => Math.sin(5 * v)) }, { fitNugget: false });
    for (let i = 0; i < n; i++) {
      const p = g.predict([x[i]!]);
      expect(p.mean).toBeCloseTo(Math.sin(5 * x[i]!), 5);
      expect(p.variance).toBeLessThan(1e-6);
    }
    expect(Math.abs(g.predict([0.37]).mean - Math.sin(5 * 0.37))).toBeLessThan(0.02);
  });

  it('with a linear trend, reproduces a linear function exactly and extrapolates it', () => {
    const rng = Rng.stream(3);
    const n = 12;
    const x = Float64Array.from({ length: 2 * n }, () => rng.uniform());
    const f = (a: number, b: number) => 2 + 3 * a - 1.5 * b;
    const g = Gp.fit({ x, n, d: 2, y: Array.from({ length: n }, (_, i) => f(x[2 * i]!, x[2 * i + 1]!)) });
    expect(g.predict([1.3, -0.2]).mean).toBeCloseTo(f(1.3, -0.2), 4);
  });

  it('with known heteroscedastic noise, its 95 % bands cover the true function at ≥ 90 % of test points', () => {
    const rng = Rng.stream(11);
    const n = 40;
    const x = Float64Array.from({ length: n }, () => rng.uniform());
    const sd = Array.from(x, (v) => 0.05 + 0.3 * v);
    const f = (v: number) => Math.tanh(6 * (v - 0.5));
    const y = Array.from(x, (v, i) => f(v) + sd[i]! * rng.normal());
    const g = Gp.fit({ x, n, d: 1, y, noise: sd.map((s) => s * s) });
    let inside = 0;
    const T = 50;
    for (let t = 0; t < T; t++) {
      const v = (t + 0.5) / T;
      const p = g.predict([v]);
      if (Math.abs(p.mean - f(v)) <= 1.96 * Math.sqrt(p.variance)) inside++;
    }
    expect(inside / T).toBeGreaterThanOrEqual(0.9);
    expect(g.varianceFactor).toBeGreaterThanOrEqual(1);
  });

  it('joint predictions agree with pointwise ones on the diagonal', () => {
    const n = 8;
    const x = Float64Array.from({ length: n }, (_, i) => i / n);
    const g = Gp.fit({ x, n, d: 1, y: Array.from(x, (v) => v * v), noise: Array(n).fill(1e-3) });
    const pts = Float64Array.from([0.1, 0.55, 0.9]);
    const j = g.predictJoint(pts, 3);
    pts.forEach((v, i) => {
      const p = g.predict([v]);
      expect(j.mean[i]).toBeCloseTo(p.mean, 10);
      expect(j.cov[i * 3 + i]).toBeCloseTo(p.variance, 10);
    });
  });
});

describe('adaptive Metropolis and diagnostics', () => {
  it('samples a correlated Gaussian inside the cube: mean and sd within Monte Carlo error, R̂ < 1.01', () => {
    const mu = [0.4, 0.6];
    const sd = [0.05, 0.08];
    const rho = 0.8;
    const lp = (u: Float64Array) => {
      const a = (u[0]! - mu[0]!) / sd[0]!;
      const b = (u[1]! - mu[1]!) / sd[1]!;
      return -(a * a - 2 * rho * a * b + b * b) / (2 * (1 - rho * rho));
    };
    const r = runMcmc(lp, 2, { seed: 1, burnIn: 1500, iterations: 6000, thin: 2 });
    const m0 = r.samples.reduce((s, x) => s + x[0]!, 0) / r.samples.length;
    const v0 = r.samples.reduce((s, x) => s + (x[0]! - m0) ** 2, 0) / r.samples.length;
    // Monte Carlo error of the mean: sd/√ESS.
    expect(Math.abs(m0 - mu[0]!)).toBeLessThan(4 * (sd[0]! / Math.sqrt(r.ess[0]!)));
    expect(Math.abs(Math.sqrt(v0) - sd[0]!) / sd[0]!).toBeLessThan(0.08);
    for (const rh of r.rhat) expect(rh).toBeLessThan(1.01);
    for (const e of r.ess) expect(e).toBeGreaterThan(500);
    r.acceptance.forEach((a) => expect(a).toBeGreaterThan(0.15));
  });

  it('split-R̂ flags chains stuck in different places, and ESS of independent draws is their number', () => {
    const rng = Rng.stream(2);
    const a = Float64Array.from({ length: 500 }, () => rng.normal());
    const b = Float64Array.from({ length: 500 }, () => 3 + rng.normal());
    expect(splitRhat([a, b])).toBeGreaterThan(1.5);
    const c = Float64Array.from({ length: 500 }, () => rng.normal());
    expect(splitRhat([a, c])).toBeLessThan(1.02);
    const ess = effectiveSampleSize([a, c]);
    expect(ess).toBeGreaterThan(700);
    expect(ess).toBeLessThan(1400);
  });
});
