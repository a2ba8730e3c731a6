import { describe, expect, it } from 'vitest';
import { Rng, logFactorial } from '../../src/core/index.js';
import { poissonChi2 } from './poisson-stats.js';

describe('Rng: seeded streams', () => {
  it('same seed and stream give the same sequence; different streams differ', () => {
    const a = Rng.stream(42, 3), b = Rng.stream(42, 3), c = Rng.stream(42, 4);
    const sa = Array.from({ length: 8 }, () => a.nextU32());
    expect(Array.from({ length: 8 }, () => b.nextU32())).toEqual(sa);
    expect(Array.from({ length: 8 }, () => c.nextU32())).not.toEqual(sa);
  });
  it('uniform() has mean 1/2 and variance 1/12 (n = 2e5, 5σ bounds)', () => {
    const r = Rng.stream(1);
    const n = 200_000;
    let s = 0, s2 = 0;
    for (let i = 0; i < n; i++) { const u = r.uniform(); s += u; s2 += u * u; expect(u >= 0 && u < 1).toBe(true); }
    const m = s / n;
    expect(Math.abs(m - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(s2 / n - m * m - 1 / 12)).toBeLessThan(0.002);
  });
  it('poisson() has mean and variance λ (10⁵ draws, within 5 standard errors) for λ = 0.3, 4, 12, 25 (inversion), 30, 80, 250 (PTRS)', () => {
    const r = Rng.stream(1, 3);
    for (const lam of [0.3, 4, 12, 25, 30, 80, 250]) {
      const n = 100_000;
      let s = 0, s2 = 0;
      for (let i = 0; i < n; i++) { const k = r.poisson(lam); s += k; s2 += k * k; }
      const mean = s / n, variance = s2 / n - mean * mean;
      expect(Math.abs(mean - lam), `λ ${lam}`).toBeLessThan(5 * Math.sqrt(lam / n));
      expect(Math.abs(variance - lam), `λ ${lam}`).toBeLessThan(5 * Math.sqrt((lam * (1 + 3 * lam) - lam * lam) / n));
    }
  });
  it('poisson() follows the Poisson pmf: χ² below its 0.999 quantile for λ = 0.7, 2.49, 6, 9.5, 15, 22, 29.9 (inversion), 30, 45 (PTRS) (2·10⁵ draws each; bins with ≥ 20 expected, tails pooled)', () => {
    for (const lam of [0.7, 2.49, 6, 9.5, 15, 22, 29.9, 30, 45]) {
      const r = Rng.stream(4, Math.round(lam * 100));
      const { chi2, limit } = poissonChi2(lam, 200_000, () => r.poisson(lam), logFactorial);
      expect(chi2, `λ ${lam}`).toBeLessThan(limit);
    }
  });
  it('poisson() gives 0 at λ = 0 and throws for a negative or non-finite λ', () => {
    const r = Rng.stream(2);
    expect(r.poisson(0)).toBe(0);
    for (const bad of [-1, NaN, Infinity]) expect(() => r.poisson(bad)).toThrow(/Rng.poisson: lambda must be finite/);
  });
  it('state round-trips for checkpoints', () => {
    const r = Rng.stream(9);
    r.nextU32();
    const s = r.getState();
    const x = r.uniform();
    expect(Rng.fromState(s).uniform()).toBe(x);
  });
});
