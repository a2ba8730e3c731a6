// The fit's numerical kernels against tabulated values and exact identities (≈ 0.3 s).
import { describe, expect, it } from 'vitest';
import { cholesky, cholLogDet, cholSolve, symmetricEigen } from '../../../src/twin/fit/math/linalg.js';
import { digamma, erfc, logNormalCdf, logNormalInterval, normalCdf, normalQuantile, trigamma } from '../../../src/twin/fit/math/normal.js';
import { nelderMead } from '../../../src/twin/fit/math/optimize.js';

describe('normal distribution', () => {
  it('erfc matches tabulated values to 1e-13 relative (Abramowitz & Stegun Table 7.1; DLMF 7.2)', () => {
    const table: [number, number][] = [
      [0, 1],
      [0.5, 0.4795001221869535],
      [1, 0.1572992070502851],
      [2, 0.004677734981047266],
      [3, 2.209049699858544e-5],
      [5, 1.537459794428035e-12],
      [10, 2.088487583762545e-45],
      [-1, 1.842700792949715],
    ];
    for (const [x, v] of table) expect(Math.abs(erfc(x) - v) / v, `erfc(${x})`).toBeLessThan(1e-13);
  });

  it('Φ and Φ⁻¹ are inverse to 1e-12, out to p = 1e-300', () => {
    for (const p of [1e-300, 1e-20, 1e-6, 0.01, 0.05, 0.3, 0.5, 0.8, 0.95, 0.999999]) {
      const z = normalQuantile(p);
      expect(Math.abs(Math.exp(logNormalCdf(z)) - p) / p, `p = ${p}`).toBeLessThan(1e-12);
    }
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 12);
  });

  it('the log-probability of an interval stays finite deep in either tail and equals Φ(b) − Φ(a) where that is accurate', () => {
    expect(logNormalInterval(-1, 2, 0, 1)).toBeCloseTo(Math.log(normalCdf(2) - normalCdf(-1)), 12);
    expect(logNormalInterval(3, 4, 0, 1)).toBeCloseTo(Math.log(normalCdf(4) - normalCdf(3)), 10);
    // P(39 < X ≤ 40) ≈ φ(39)/39 for a standard normal: log ≈ −39²/2 − log(39·√(2π)).
    const deep = logNormalInterval(39, 40, 0, 1);
    expect(deep).toBeCloseTo(-0.5 * 39 * 39 - Math.log(39 * Math.sqrt(2 * Math.PI)), 1);
    expect(logNormalInterval(1, Infinity, 0, 1)).toBeCloseTo(Math.log(normalCdf(-1)), 12);
    expect(logNormalInterval(-Infinity, -50, 0, 1)).toBeGreaterThan(-1260);
  });

  it('digamma and trigamma match their closed forms (ψ(1) = −γ, ψ(½) = −γ − 2 ln 2, ψ′(1) = π²/6, ψ′(½) = π²/2)', () => {
    const gamma = 0.5772156649015329;
    expect(digamma(1)).toBeCloseTo(-gamma, 12);
    expect(digamma(0.5)).toBeCloseTo(-gamma - 2 * Math.LN2, 12);
    expect(trigamma(1)).toBeCloseTo(Math.PI ** 2 / 6, 11);
    expect(trigamma(0.5)).toBeCloseTo(Math.PI ** 2 / 2, 10);
  });
});

describe('dense linear algebra', () => {
  const A = Float64Array.from([4, 12, -16, 12, 37, -43, -16, -43, 98]);
  it('Cholesky of the textbook SPD matrix gives L = [[2,0,0],[6,1,0],[−8,5,3]] and log det = ln 36 (det = (2·1·3)²)', () => {
    const L = cholesky(A, 3)!;
    expect(Array.from(L)).toEqual([2, 0, 0, 6, 1, 0, -8, 5, 3]);
    expect(cholLogDet(L, 3)).toBeCloseTo(Math.log(36), 12);
    const x = cholSolve(L, 3, [1, 2, 3]);
    const back = [0, 1, 2].map((i) => A[i * 3]! * x[0]! + A[i * 3 + 1]! * x[1]! + A[i * 3 + 2]! * x[2]!);
    back.forEach((v, i) => expect(v).toBeCloseTo(i + 1, 10));
    expect(cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toBeNull();
  });

  it('Jacobi eigen-decomposition reconstructs the matrix, eigenvalues descending', () => {
    const { values, vectors } = symmetricEigen(A, 3);
    expect(values[0]).toBeGreaterThan(values[1]!);
    expect(values[1]).toBeGreaterThan(values[2]!);
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += vectors[a * 3 + k]! * values[k]! * vectors[b * 3 + k]!;
      expect(s).toBeCloseTo(A[a * 3 + b]!, 9);
    }
    expect(values.reduce((x, y) => x + y, 0)).toBeCloseTo(4 + 37 + 98, 9);
  });
});

describe('Nelder–Mead', () => {
  it('finds the Rosenbrock minimum (1, 1) inside bounds', () => {
    const r = nelderMead((x) => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2, [-1.2, 1], { step: [0.5, 0.5], lo: [-5, -5], hi: [5, 5], maxEvaluations: 4000, tolerance: 1e-14 });
    expect(r.x[0]).toBeCloseTo(1, 3);
    expect(r.x[1]).toBeCloseTo(1, 3);
  });
});
