import { describe, expect, it } from 'vitest';
import {
  aberrationPhase_rad, buildProbe, createCpuBackend, fresnelPropagator, makeGrid, resolveAberrations, wavelength_A,
} from '../../src/multislice/index.js';
import { InputError } from '../../src/core/index.js';

const lambda = wavelength_A(200e3);
const norm = (re: Float32Array, im: Float32Array): number => { let s = 0; for (let i = 0; i < re.length; i++) s += re[i]! ** 2 + im[i]! ** 2; return s; };

describe('STEM probe', () => {
  const grid = makeGrid([12.8, 12.8], 0.05);
  const optics = { wavelength_A: lambda, semiangle_mrad: 15.07, aberrations: { defocus: 30, Cs: 1e4 } };

  // Float32 planes: each FFT round trip of the current fft.js wrapper drifts the norm by ≈ −1e-7 (measured), so
  // 50 Å is propagated in 5 steps of 10 Å (5 round trips) to stay inside the ±1e-6 float32 budget.
  it('is normalised to Σ|ψ|² = 1 (±1e-6) and stays 1 (±1e-6) through 50 Å of vacuum propagation (abTEM assert_is_normalized)', () => {
    const psi = buildProbe(grid, optics, 3.21, 7.77);
    expect(Math.abs(norm(psi.re, psi.im) - 1)).toBeLessThan(1e-6);
    const be = createCpuBackend();
    const P = fresnelPropagator(grid, lambda, 10);
    for (let s = 0; s < 5; s++) be.propagate(psi, P);
    expect(Math.abs(norm(psi.re, psi.im) - 1)).toBeLessThan(1e-6);
  });

  it('keeps a plane wave at norm 1 (±1e-6) through vacuum propagation', () => {
    const n = grid.nx * grid.ny;
    const psi = { nx: grid.nx, ny: grid.ny, re: new Float32Array(n).fill(1 / Math.sqrt(n)), im: new Float32Array(n) };
    const be = createCpuBackend();
    const P = fresnelPropagator(grid, lambda, 2);
    for (let s = 0; s < 25; s++) be.propagate(psi, P);
    expect(Math.abs(norm(psi.re, psi.im) - 1)).toBeLessThan(1e-6);
  });

  it('peaks at its requested sub-pixel position (intensity centroid within 0.01 Å) for an aberration-free probe', () => {
    const psi = buildProbe(grid, { wavelength_A: lambda, semiangle_mrad: 20 }, 6.43, 5.117);
    let sx = 0, sy = 0, s = 0;
    for (let y = 0; y < grid.ny; y++) for (let x = 0; x < grid.nx; x++) {
      const i = psi.re[y * grid.nx + x]! ** 2 + psi.im[y * grid.nx + x]! ** 2;
      const dx = x * grid.samplingX_A - 6.43, dy = y * grid.samplingY_A - 5.117;
      if (Math.hypot(dx, dy) < 1.5) { sx += i * dx; sy += i * dy; s += i; }
    }
    expect(Math.abs(sx / s)).toBeLessThan(0.01);
    expect(Math.abs(sy / s)).toBeLessThan(0.01);
  });

  it('has FWHM ≈ 0.61λ/α·(1.03/1.22) for an ideal aperture: 0.84 ± 0.08 Å at 200 kV, 15.07 mrad (Airy disc, Kirkland 2010 §3.3)', () => {
    const psi = buildProbe(grid, { wavelength_A: lambda, semiangle_mrad: 15.07 }, 6.4, 6.4);
    const row = Math.round(6.4 / grid.samplingY_A) * grid.nx;
    const c = Math.round(6.4 / grid.samplingX_A);
    const peak = psi.re[row + c]! ** 2 + psi.im[row + c]! ** 2;
    let k = 0;
    while (psi.re[row + c + k]! ** 2 + psi.im[row + c + k]! ** 2 > peak / 2) k++;
    const fwhm = 2 * k * grid.samplingX_A;
    // Airy FWHM = 1.029 λ/(2α) = 0.856 Å; pixel quantisation 0.05 Å.
    expect(Math.abs(fwhm - (1.029 * lambda) / (2 * 0.01507))).toBeLessThan(0.08);
  });

  it('uses Krivanek χ = (2π/λ)(C10 θ²/2 + C30 θ⁴/4 + …) with defocus = −C10 and Cs = C30 as aliases', () => {
    const ab = resolveAberrations({ defocus: 50, Cs: 1.2e7 });
    expect(ab).toEqual({ C10: -50, C30: 1.2e7 });
    const th = 0.01;
    expect(aberrationPhase_rad(th, 0.3, lambda, ab)).toBeCloseTo(((2 * Math.PI) / lambda) * (-50 * th ** 2 / 2 + 1.2e7 * th ** 4 / 4), 9);
    // two-fold astigmatism depends on azimuth as cos 2(φ − φ12)
    const a12 = { C12: 20, phi12: 0.2 };
    expect(aberrationPhase_rad(th, 0.2, lambda, a12)).toBeCloseTo(((2 * Math.PI) / lambda) * 20 * th ** 2 / 2, 9);
    expect(aberrationPhase_rad(th, 0.2 + Math.PI / 2, lambda, a12)).toBeCloseTo(-((2 * Math.PI) / lambda) * 20 * th ** 2 / 2, 9);
  });

  it('rejects conflicting aliases and unknown aberration names naming the field', () => {
    expect(() => resolveAberrations({ defocus: 10, C10: 5 })).toThrow(InputError);
    expect(() => resolveAberrations({ C99: 1 } as never)).toThrow(/aberrations\.C99/);
  });
});
