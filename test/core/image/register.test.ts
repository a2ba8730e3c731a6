import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { fourierShift, registerPhaseCorrelation, shiftBilinear } from '../../../src/core/image/index.js';
import { createFft2d } from '../../../src/core/fft/index.js';
import { perfectLattice, randomColumns } from './fixtures.js';

describe('registration by upsampled-DFT cross-correlation (Guizar-Sicairos, Thurman & Fienup, Opt. Lett. 33, 156 (2008))', () => {
  it('recovers integer shifts to the refinement grid (1/20 px), with full whitening (classic phase correlation) and without', () => {
    const a = randomColumns(64, 32, 1);
    const b = fourierShift(a, 64, 32, 5, -3);
    for (const whitening of [0, 1]) {
      const r = registerPhaseCorrelation(a, b, 64, 32, { window: false, whitening });
      expect(Math.abs(r.dx_px - 5)).toBeLessThanOrEqual(0.05);
      expect(Math.abs(r.dy_px + 3)).toBeLessThanOrEqual(0.05);
      // Full whitening weighs float32 round-off at empty frequencies like signal, so its peak is lower.
      expect(r.peak).toBeGreaterThan(whitening === 0 ? 0.99 : 0.5);
    }
  });

  it('recovers sub-pixel shifts to within 0.05 px (upsample 20) on a band-limited periodic image', () => {
    const a = randomColumns(64, 64, 2);
    for (const [dx, dy] of [[0.3, -1.7], [2.45, 0.6], [-4.15, 3.35]] as const) {
      const r = registerPhaseCorrelation(a, fourierShift(a, 64, 64, dx, dy), 64, 64, { window: false });
      expect(Math.abs(r.dx_px - dx)).toBeLessThanOrEqual(0.05);
      expect(Math.abs(r.dy_px - dy)).toBeLessThanOrEqual(0.05);
    }
  });

  it('with Poisson noise (≈100 counts/px), a Hann window and a size the FFT does not take (70×66: central 64×64 used), stays within 0.15 px', () => {
    const a = randomColumns(70, 66, 3);
    const rng = Rng.stream(9);
    const b = shiftBilinear(a, 70, 66, 1.4, -0.8);
    const noisy = (img: Float32Array) => img.map((v) => rng.poisson(100 * v) / 100);
    const r = registerPhaseCorrelation(noisy(a), noisy(b), 70, 66);
    expect(Math.abs(r.dx_px - 1.4)).toBeLessThan(0.15);
    expect(Math.abs(r.dy_px + 0.8)).toBeLessThan(0.15);
  });

  it('the Hann window does not bias large shifts: 5.4 px on a clamped-edge (non-periodic) 64×64 image is found to 0.05 px (a fixed window alone pulls it ≈ 2 % towards zero)', () => {
    const a = randomColumns(64, 64, 6);
    for (const d of [5.4, -3.7]) {
      const r = registerPhaseCorrelation(a, shiftBilinear(a, 64, 64, d, -0.5 * d), 64, 64);
      expect(Math.abs(r.dx_px - d)).toBeLessThan(0.05);
      expect(Math.abs(r.dy_px + 0.5 * d)).toBeLessThan(0.05);
    }
  });

  it('on a perfect lattice (period 8 px) a shift of 9.3 px is only known modulo the period: the unrestricted peak is the nearest alias (1.3 px), the search disc around a prediction (9, 0) finds 9.3', () => {
    const a = perfectLattice(64, 64, 8, 1.2);
    const b = fourierShift(a, 64, 64, 9.3, 0);
    const free = registerPhaseCorrelation(a, b, 64, 64, { window: false });
    expect(Math.abs(free.dx_px - 1.3)).toBeLessThan(0.05);
    const guided = registerPhaseCorrelation(a, b, 64, 64, { window: false, search: { center_px: [9, 0], radius_px: 1.5 } });
    expect(Math.abs(guided.dx_px - 9.3)).toBeLessThan(0.05);
    expect(Math.abs(guided.dy_px)).toBeLessThan(0.05);
  });

  it('prefer: among near-equal lattice aliases the peak nearest the prediction is taken (9.3 px with prediction (10, 0)); a non-periodic image keeps its single peak whatever the prediction', () => {
    const a = perfectLattice(64, 64, 8, 1.2);
    const guided = registerPhaseCorrelation(a, fourierShift(a, 64, 64, 9.3, 0), 64, 64, { prefer: { center_px: [10, 0] } });
    expect(Math.abs(guided.dx_px - 9.3)).toBeLessThan(0.05);
    const c = randomColumns(64, 64, 8);
    const r = registerPhaseCorrelation(c, fourierShift(c, 64, 64, 2.2, -1.1), 64, 64, { prefer: { center_px: [-20, 20] } });
    expect(Math.abs(r.dx_px - 2.2)).toBeLessThan(0.05);
    expect(Math.abs(r.dy_px + 1.1)).toBeLessThan(0.05);
    expect(() => registerPhaseCorrelation(c, c, 64, 64, { prefer: { center_px: [0, 0], tolerance: 1 } })).toThrow(/prefer\.tolerance/);
  });

  it('rejects images whose length is not width × height, or smaller than 8×8, naming the field', () => {
    expect(() => registerPhaseCorrelation(new Float32Array(10), new Float32Array(12), 3, 4)).toThrow(/images/);
    expect(() => registerPhaseCorrelation(new Float32Array(16), new Float32Array(16), 4, 4)).toThrow(/width×height/);
  });
});

describe('image shifts and the FFT', () => {
  it('core 2D transform (src/core/fft) on a 16×8 image: a delta transforms to a constant, Parseval Σ|F|² = nx·ny·Σ|f|² holds, and the inverse round-trips (float32, 1e-5)', () => {
    const t = createFft2d(16, 8);
    const re = new Float32Array(128), im = new Float32Array(128);
    re[0] = 1;
    t.forward(re, im);
    expect(Math.max(...re.map((v) => Math.abs(v - 1))), 'delta → 1').toBeLessThan(1e-6);
    const f = randomColumns(16, 8, 5);
    const fr = Float32Array.from(f), fi = new Float32Array(128);
    t.forward(fr, fi);
    const e0 = f.reduce((s, v) => s + v * v, 0), e1 = fr.reduce((s, v, i) => s + v * v + fi[i]! ** 2, 0);
    expect(e1 / (128 * e0)).toBeCloseTo(1, 5);
    t.inverse(fr, fi);
    expect(Math.max(...fr.map((v, i) => Math.abs(v - f[i]!)))).toBeLessThan(1e-5);
    expect(() => fourierShift(new Float32Array(14 * 8), 14, 8, 1, 0)).toThrow(RangeError); // 14 = 2·7: not 2^a·3^b·5^c
  });

  it('the Fourier shift conserves the image sum and round-trips (1e-4)', () => {
    const a = randomColumns(32, 32, 4);
    const b = fourierShift(fourierShift(a, 32, 32, 1.3, 0.7), 32, 32, -1.3, -0.7);
    expect(b.reduce((s, v) => s + v, 0)).toBeCloseTo(a.reduce((s, v) => s + v, 0), 2);
    expect(Math.max(...b.map((v, i) => Math.abs(v - a[i]!)))).toBeLessThan(1e-4);
  });

  it('the bilinear shift: an integer periodic shift is an exact roll; clamped edges repeat the edge pixel; a half-pixel shift averages neighbours', () => {
    const a = Float32Array.from({ length: 12 }, (_, i) => i * i); // 4 × 3
    const rolled = shiftBilinear(a, 4, 3, 1, 2, { periodic: true });
    for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) expect(rolled[y * 4 + x]).toBe(a[((y + 1) % 3) * 4 + ((x + 3) % 4)]);
    const clamped = shiftBilinear(a, 4, 3, 2, 0);
    expect([...clamped.subarray(0, 4)]).toEqual([0, 0, 0, 1]);
    expect(shiftBilinear(a, 4, 3, 0.5, 0)[1]).toBeCloseTo(0.5 * (a[0]! + a[1]!), 6);
  });
});
