import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError, Rng } from '../../src/core/index.js';
import { BlockSelector, LinearSelector, SumTreeSelector } from '../../src/kinetics/index.js';

function dyadicRates(rng: Rng, n: number): Float64Array {
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = rng.uniform() < 0.3 ? 0 : 2 ** (rng.int(12) - 6);
  return r;
}

describe('SumTreeSelector, BlockSelector and LinearSelector', () => {
  it('select the same index for the same u and (dyadic, exactly summable) rates, over random updates', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const rng = Rng.stream(seed);
        const rates = dyadicRates(rng, n);
        const tree = new SumTreeSelector(rates);
        const lin = new LinearSelector(rates);
        for (let step = 0; step < 50; step++) {
          expect(tree.total()).toBe(lin.total());
          if (tree.total() > 0) {
            const u = rng.uniform() * tree.total();
            const i = tree.select(u);
            expect(i).toBe(lin.select(u));
            expect(tree.rate(i)).toBeGreaterThan(0);
          }
          const j = rng.int(n);
          const v = rng.uniform() < 0.3 ? 0 : 2 ** (rng.int(12) - 6);
          tree.update(j, v);
          lin.update(j, v);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('BlockSelector (blocks of 12 and of 5) selects the same index as LinearSelector for the same u over random updates', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 1e6 }), fc.constantFrom(5, 12), (n, seed, G) => {
        const rng = Rng.stream(seed);
        const rates = dyadicRates(rng, n);
        const block = new BlockSelector(G);
        block.init(rates.slice());
        const lin = new LinearSelector(rates);
        for (let step = 0; step < 50; step++) {
          expect(block.total()).toBe(lin.total());
          if (lin.total() > 0) {
            const u = rng.uniform() * lin.total();
            expect(block.select(u)).toBe(lin.select(u));
          }
          for (let k = rng.int(4); k >= 0; k--) {
            const j = rng.int(n);
            const v = rng.uniform() < 0.3 ? 0 : 2 ** (rng.int(12) - 6);
            block.update(j, v);
            lin.update(j, v);
          }
          expect(block.rate(n - 1)).toBe(lin.rate(n - 1));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('builds the same tree from leaves filled in place (prepare → init, no copy) as from a copied array', () => {
    const rng = Rng.stream(31);
    const rates = Float64Array.from({ length: 777 }, () => rng.uniform() * 3);
    const copied = new SumTreeSelector(rates);
    const inPlace = new SumTreeSelector();
    const leaves = inPlace.prepare(777);
    leaves.set(rates);
    inPlace.init(leaves);
    expect(inPlace.total()).toBe(copied.total());
    for (let k = 0; k < 200; k++) {
      const u = rng.uniform() * copied.total();
      expect(inPlace.select(u)).toBe(copied.select(u));
    }
    leaves[5] = -1;
    expect(() => inPlace.init(leaves)).toThrow(/selector\.rate/);
  });

  it('picks index i with frequency ∝ rate_i (chi-square, 5 classes, 2e5 draws, p > 0.001)', () => {
    const rates = Float64Array.from([0.1, 2.5, 0, 1.3, 6.1, 0.0001]);
    const tree = new SumTreeSelector(rates);
    const rng = Rng.stream(7);
    const counts = new Float64Array(rates.length);
    const N = 200_000;
    for (let k = 0; k < N; k++) counts[tree.select(rng.uniform() * tree.total())]!++;
    expect(counts[2]).toBe(0);
    let chi2 = 0;
    rates.forEach((r, i) => {
      if (r === 0) return;
      const e = (N * r) / tree.total();
      chi2 += (counts[i]! - e) ** 2 / e;
    });
    // chi-square with 4 degrees of freedom: P(χ² > 18.47) = 0.001
    expect(chi2).toBeLessThan(18.47);
  });

  it('never selects a zero-rate entry, even for u at or beyond the rounded total', () => {
    const rates = Float64Array.from([0.1, 0.2, 0.3, 0, 0, 0, 0, 0]);
    const tree = new SumTreeSelector(rates);
    const lin = new LinearSelector(rates);
    for (const u of [tree.total(), tree.total() * (1 + 1e-15), 1e9]) {
      expect(tree.select(u)).toBe(2);
      expect(lin.select(u)).toBe(2);
    }
  });

  it('stays drift-free: after 1e5 random updates the total equals a fresh summation of the leaves bit for bit', () => {
    const n = 1000;
    const rng = Rng.stream(3);
    const tree = new SumTreeSelector(new Float64Array(n));
    const leaves = new Float64Array(n);
    for (let k = 0; k < 100_000; k++) {
      const j = rng.int(n);
      const v = Math.exp(-30 * rng.uniform()) * 1e13;
      tree.update(j, v);
      leaves[j] = v;
    }
    const fresh = new SumTreeSelector(leaves);
    expect(tree.total()).toBe(fresh.total());
  });

  it('rejects a negative, NaN or infinite rate and an out-of-range index with an InputError', () => {
    const tree = new SumTreeSelector(new Float64Array(4));
    expect(() => tree.update(0, -1)).toThrow(InputError);
    expect(() => tree.update(0, NaN)).toThrow(/selector\.rate/);
    expect(() => tree.update(0, Infinity)).toThrow(/selector\.rate/);
    expect(() => tree.update(4, 1)).toThrow(/selector\.index/);
    expect(() => new LinearSelector(Float64Array.from([1, -2]))).toThrow(/selector\.rate/);
  });
});
