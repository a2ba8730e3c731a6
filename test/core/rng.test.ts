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
  it('state round-trips for checkpoints', () => {
    const r = Rng.stream(9);
    r.nextU32();
    const s = r.getState();
    const x = r.uniform();
    expect(Rng.fromState(s).uniform()).toBe(x);
  });
});
