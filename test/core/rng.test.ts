import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/index.js';

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
  it('poisson() mean and variance equal lambda for small and large lambda', () => {
    for (const lambda of [3.5, 250]) {
      const r = Rng.stream(7, Math.round(lambda));
      const n = 50_000;
      let s = 0, s2 = 0;
      for (let i = 0; i < n; i++) { const k = r.poisson(lambda); s += k; s2 += k * k; }
      const m = s / n, v = s2 / n - m * m;
      expect(Math.abs(m - lambda)).toBeLessThan(5 * Math.sqrt(lambda / n));
      expect(Math.abs(v / lambda - 1)).toBeLessThan(0.05);
    }
  });
  it('poisson() below λ = 30 (CDF inversion) follows the Poisson pmf: pooled χ² per λ below the p = 1e-6 critical value', () => {
    // n = 1e5 deviates per λ; bins k with expected count ≥ 5, the tails pooled into the end bins; critical value by
    // Wilson–Hilferty (z = 4.75 ↔ p ≈ 1e-6). ~30 ms.
    for (const lambda of [0.05, 1.3, 4.7, 12, 29.9]) {
      const r = Rng.stream(11, Math.round(100 * lambda));
      const n = 100_000;
      const counts = new Map<number, number>();
      let s = 0;
      for (let i = 0; i < n; i++) { const k = r.poisson(lambda); s += k; counts.set(k, (counts.get(k) ?? 0) + 1); }
      const pmf: number[] = [];
      let p = Math.exp(-lambda);
      for (let k = 0; k < 200; k++) { pmf.push(p); p *= lambda / (k + 1); }
      let lo = 0, hi = pmf.length - 1;
      while (n * pmf[lo]! < 5) lo++;
      while (n * pmf[hi]! < 5) hi--;
      let chi2 = 0;
      for (let k = lo; k <= hi; k++) {
        let e = pmf[k]!, o = counts.get(k) ?? 0;
        if (k === lo) for (let j = 0; j < lo; j++) { e += pmf[j]!; o += counts.get(j) ?? 0; }
        if (k === hi) for (let j = hi + 1; j < 200; j++) { e += pmf[j]!; o += counts.get(j) ?? 0; }
        chi2 += (o - n * e) ** 2 / (n * e);
      }
      const dof = Math.max(1, hi - lo), a = 2 / (9 * dof);
      expect(chi2).toBeLessThan(dof * (1 - a + 4.75 * Math.sqrt(a)) ** 3);
      expect(Math.abs(s / n - lambda)).toBeLessThan(5 * Math.sqrt(lambda / n));
    }
  });
  it('poisson() below λ = 30 draws one 32-bit uniform per deviate (inversion), so a stream stays aligned', () => {
    const a = Rng.stream(5), b = Rng.stream(5);
    for (let i = 0; i < 100; i++) { a.poisson(0.1 + (i % 29)); b.nextU32(); }
    expect(a.nextU32()).toBe(b.nextU32());
  });
  it('state round-trips for checkpoints', () => {
    const r = Rng.stream(9);
    r.nextU32();
    const s = r.getState();
    const x = r.uniform();
    expect(Rng.fromState(s).uniform()).toBe(x);
  });
});
