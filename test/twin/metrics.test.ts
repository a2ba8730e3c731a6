import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { ncc, ssim, poissonChi2 } from '../../src/twin/metrics/index.js';

function lattice(w: number, h: number, period = 6): Float32Array {
  const a = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) a[y * w + x] = 1 + Math.cos((2 * Math.PI * x) / period) * Math.cos((2 * Math.PI * y) / period);
  return a;
}

describe('NCC', () => {
  it('is 1 for an image against itself and under any gain/offset, −1 against its negative', () => {
    const a = lattice(32, 24);
    expect(ncc(a, a)).toBeCloseTo(1, 12);
    expect(ncc(a, a.map((v) => 3 * v + 7))).toBeCloseTo(1, 6);
    expect(ncc(a, a.map((v) => -v))).toBeCloseTo(-1, 6);
  });
  it('is ~0 (|r| < 4/√N) between independent noise images', () => {
    const r = Rng.stream(1);
    const n = 64 * 64;
    const a = Float64Array.from({ length: n }, () => r.normal());
    const b = Float64Array.from({ length: n }, () => r.normal());
    expect(Math.abs(ncc(a, b))).toBeLessThan(4 / Math.sqrt(n));
  });
});

describe('SSIM (Wang et al. 2004)', () => {
  it('is exactly 1 for identical images and symmetric in its arguments', () => {
    const a = lattice(32, 24);
    const r = Rng.stream(2);
    const b = a.map((v) => v + 0.2 * r.normal());
    expect(ssim(a, a, 32, 24)).toBeCloseTo(1, 12);
    expect(ssim(a, b, 32, 24)).toBeCloseTo(ssim(b, a, 32, 24), 12);
  });
  it('reduces to (2μxμy + C1)/(μx² + μy² + C1) for two constant images (the contrast-structure term is C2/C2)', () => {
    const w = 16;
    const a = new Float64Array(w * w).fill(0.4);
    const b = new Float64Array(w * w).fill(0.6);
    const L = 1;
    const c1 = (0.01 * L) ** 2;
    expect(ssim(a, b, w, w, { range: L })).toBeCloseTo((2 * 0.4 * 0.6 + c1) / (0.16 + 0.36 + c1), 10);
  });
  it('decreases monotonically as noise is added', () => {
    const a = lattice(48, 48);
    const r = Rng.stream(3);
    const noise = Float64Array.from({ length: a.length }, () => r.normal());
    const s = [0.05, 0.2, 0.8].map((k) => ssim(a, a.map((v, i) => v + k * noise[i]!), 48, 48, { range: 2 }));
    expect(s[0]!).toBeGreaterThan(s[1]!);
    expect(s[1]!).toBeGreaterThan(s[2]!);
    expect(s[0]!).toBeLessThan(1);
  });
});

describe('Poisson χ²', () => {
  it('χ²/N ≈ 1 (within 5σ = 5·√(2/N + 1/(Nλ))) and deviance/N ≈ 1 for true Poisson draws of the model', () => {
    const r = Rng.stream(4);
    const n = 20000;
    const lam = Float64Array.from({ length: n }, (_, i) => 20 + 10 * Math.sin(i / 50));
    const k = lam.map((l) => r.poisson(l));
    const c = poissonChi2(k, lam);
    expect(c.n).toBe(n);
    expect(Math.abs(c.reduced - 1)).toBeLessThan(5 * Math.sqrt(2 / n + 1 / (n * 20)));
    expect(Math.abs(c.deviance / n - 1)).toBeLessThan(0.05);
  });
  it('is 0 for a perfect match and grows when the model is off by 20 %', () => {
    const lam = new Float64Array(100).fill(50);
    expect(poissonChi2(lam, lam).chi2).toBe(0);
    const r = Rng.stream(5);
    const k = lam.map((l) => r.poisson(l));
    expect(poissonChi2(k, lam.map((l) => 1.2 * l)).reduced).toBeGreaterThan(poissonChi2(k, lam).reduced + 1);
  });
});
