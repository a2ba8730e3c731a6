import { describe, expect, it } from 'vitest';
import {
  type HaadfOptions, focalSpreadQuadrature, fourierResample, gaussianBlur, nyquistStep_A, simulateProbeSignal, wavelength_A,
} from '../../src/multislice/index.js';
import { singleAtom } from './structures.js';

describe('scan geometry and post-processing', () => {
  it('uses the probe Nyquist step λ/(4α): 0.416 Å at 200 kV, 15.07 mrad (probe intensity band-limited to 2α/λ)', () => {
    expect(nyquistStep_A(wavelength_A(200e3), 15.07)).toBeCloseTo(0.4161, 3);
  });

  it('Fourier-interpolates a band-limited periodic image exactly (to float32) onto a finer grid', () => {
    const nx = 16, ny = 8, mx = 40, my = 24;
    const f = (x: number, y: number): number => 1 + 0.5 * Math.cos(2 * Math.PI * 3 * x + 0.3) + 0.25 * Math.sin(2 * Math.PI * (2 * x + 3 * y));
    const img = new Float32Array(nx * ny);
    for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) img[j * nx + i] = f(i / nx, j / ny);
    const out = fourierResample(img, nx, ny, mx, my);
    let worst = 0;
    for (let j = 0; j < my; j++) for (let i = 0; i < mx; i++) worst = Math.max(worst, Math.abs(out[j * mx + i]! - f(i / mx, j / my)));
    expect(worst).toBeLessThan(1e-5);
  });

  it('blurs with a normalised Gaussian: total signal conserved (periodic), peak lowered, σ² of a point = σ_src²', () => {
    const n = 64, img = new Float32Array(n * n);
    img[32 * n + 32] = 1;
    const out = gaussianBlur(img, n, n, 3, 3, true);
    let s = 0, m2 = 0;
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) { s += out[j * n + i]!; m2 += out[j * n + i]! * (i - 32) ** 2; }
    expect(s).toBeCloseTo(1, 5);
    expect(m2 / s).toBeCloseTo(9, 1);
    expect(out[32 * n + 32]!).toBeLessThan(0.02);
  });

  it('has Gauss–Hermite focal-spread weights summing to 1 with second moment σ² (exact for polynomials to degree 9)', () => {
    const q = focalSpreadQuadrature(40);
    expect(q.reduce((s, p) => s + p.weight, 0)).toBeCloseTo(1, 12);
    expect(q.reduce((s, p) => s + p.weight * p.dC10_A ** 2, 0)).toBeCloseTo(1600, 6);
    expect(q.reduce((s, p) => s + p.weight * p.dC10_A ** 4, 0)).toBeCloseTo(3 * 1600 ** 2, 0);
    expect(focalSpreadQuadrature(0)).toEqual([{ dC10_A: 0, weight: 1 }]);
  });

  it('averages the signal over the focal-spread defoci: equal to the weighted mean of runs at those defoci, and lower on an atom than at focus', async () => {
    const o: HaadfOptions = { energy_eV: 200e3, semiangle_mrad: 20, detector: { inner_mrad: 70, outer_mrad: 180 }, sampling_A: 0.045, sliceThickness_A: 2 };
    const atom = singleAtom(79, 5.76, 2);
    const spread = (await simulateProbeSignal(atom, { ...o, focalSpread_A: 50 }, 2.88, 2.88)).signal;
    let manual = 0;
    for (const { dC10_A, weight } of focalSpreadQuadrature(50)) manual += weight * (await simulateProbeSignal(atom, { ...o, aberrations: { C10: dC10_A } }, 2.88, 2.88)).signal;
    expect(Math.abs(spread / manual - 1)).toBeLessThan(1e-6);
    const focus = (await simulateProbeSignal(atom, o, 2.88, 2.88)).signal;
    expect(spread).toBeLessThan(focus);
  });
});
