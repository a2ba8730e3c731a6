import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { fourierShift, registerPhaseCorrelation, shiftBilinear } from '../../src/twin/register/index.js';

/** A band-limited "atomic columns" image: Gaussian blobs on a 2D lattice (periodic). */
function columns(w: number, h: number, seed: number): Float32Array {
  const r = Rng.stream(seed);
  const img = new Float32Array(w * h);
  const pts = Array.from({ length: 40 }, () => [r.uniform() * w, r.uniform() * h, 0.5 + r.uniform()] as const);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let v = 0;
    for (const [px, py, a] of pts) {
      let dx = Math.abs(x - px);
      let dy = Math.abs(y - py);
      dx = Math.min(dx, w - dx);
      dy = Math.min(dy, h - dy);
      v += a * Math.exp(-(dx * dx + dy * dy) / (2 * 2.5 * 2.5));
    }
    img[y * w + x] = v;
  }
  return img;
}

describe('cross-correlation registration with upsampled-DFT refinement (Guizar-Sicairos et al., Opt. Lett. 33, 156 (2008))', () => {
  it('recovers integer shifts to the refinement grid (1/20 px), with full whitening (classic phase correlation) and without', () => {
    const a = columns(64, 48, 1);
    const b = fourierShift(a, 64, 48, 5, -3);
    for (const whitening of [0, 1]) {
      const r = registerPhaseCorrelation(a, b, 64, 48, { window: false, whitening });
      expect(Math.abs(r.dx_px - 5)).toBeLessThanOrEqual(0.05);
      expect(Math.abs(r.dy_px + 3)).toBeLessThanOrEqual(0.05);
      // Full whitening weighs float32 round-off at empty frequencies like signal, so its peak is lower.
      expect(r.peak).toBeGreaterThan(whitening === 0 ? 0.99 : 0.5);
    }
  });

  it('recovers sub-pixel shifts to within 0.05 px (upsample 20) on a periodic image', () => {
    const a = columns(64, 64, 2);
    for (const [dx, dy] of [[0.3, -1.7], [2.45, 0.6], [-4.15, 3.35]] as const) {
      const b = fourierShift(a, 64, 64, dx, dy);
      const r = registerPhaseCorrelation(a, b, 64, 64, { window: false });
      expect(Math.abs(r.dx_px - dx)).toBeLessThanOrEqual(0.05);
      expect(Math.abs(r.dy_px - dy)).toBeLessThanOrEqual(0.05);
    }
  });

  it('with Poisson noise (≈100 counts/px) and a Hann window, on a non-FFT size (70×66), stays within 0.15 px', () => {
    const a = columns(70, 66, 3);
    const rng = Rng.stream(9);
    const b = shiftBilinear(a, 70, 66, 1.4, -0.8);
    const noisy = (img: Float32Array) => img.map((v) => rng.poisson(100 * v) / 100);
    const r = registerPhaseCorrelation(noisy(a), noisy(b), 70, 66);
    expect(Math.abs(r.dx_px - 1.4)).toBeLessThan(0.15);
    expect(Math.abs(r.dy_px + 0.8)).toBeLessThan(0.15);
  });

  it('the Fourier shift conserves the image sum and round-trips', () => {
    const a = columns(32, 32, 4);
    const b = fourierShift(fourierShift(a, 32, 32, 1.3, 0.7), 32, 32, -1.3, -0.7);
    let s0 = 0;
    let s1 = 0;
    let err = 0;
    for (let i = 0; i < a.length; i++) {
      s0 += a[i]!;
      s1 += b[i]!;
      err = Math.max(err, Math.abs(a[i]! - b[i]!));
    }
    expect(s1).toBeCloseTo(s0, 2);
    expect(err).toBeLessThan(1e-4);
  });
});
