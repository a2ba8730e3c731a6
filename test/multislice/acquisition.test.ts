import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/index.js';
import { acquire } from '../../src/multislice/index.js';

/**
 * Synthetic HAADF-like image: Gaussian columns (σ 0.4 Å) on a 2 Å square lattice, 0.2 Å pixels, peak 0.02 + 0.002
 * floor, with column brightness varying across the field (as with thickness or composition) so that the lattice
 * period does not make the registration ambiguous.
 */
function lattice(W: number, H: number, px: number): Float32Array {
  const img = new Float32Array(W * H);
  for (let j = 0; j < H; j++) for (let i = 0; i < W; i++) {
    const x = (i * px) % 2 - 1, y = (j * px) % 2 - 1;
    const cx = Math.floor((i * px) / 2), cy = Math.floor((j * px) / 2);
    const amp = 0.5 + 0.5 * Math.abs(Math.sin(1.7 * cx + 2.3 * cy * cy));
    img[j * W + i] = 0.002 + 0.02 * amp * Math.exp(-(x * x + y * y) / (2 * 0.4 ** 2));
  }
  return img;
}

describe('acquisition model', () => {
  it('records Poisson counts: mean = f·dose·pixel area and variance = mean (±5 %) on a flat image', () => {
    const W = 64, H = 64, f = 0.05;
    const a = acquire(new Float32Array(W * H).fill(f), W, H, 0.2, 0.2, { dose_ePerA2: 5000, seed: 3 }, true);
    const lam = f * 5000 * 0.04; // 10 e⁻ per pixel
    const mean = a.counts.reduce((s, x) => s + x, 0) / a.counts.length;
    const v = a.counts.reduce((s, x) => s + (x - mean) ** 2, 0) / (a.counts.length - 1);
    expect(Math.abs(mean / lam - 1)).toBeLessThan(0.02);
    expect(Math.abs(v / lam - 1)).toBeLessThan(0.05);
    expect(a.electronsPerPixelPerFrame).toBeCloseTo(200, 9);
  });

  it('applies gain and offset so that the fraction estimate stays unbiased', () => {
    const W = 64, H = 64, f = 0.05;
    const a = acquire(new Float32Array(W * H).fill(f), W, H, 0.2, 0.2, { dose_ePerA2: 5000, gain: 7.5, offset: 100, readNoise: 3, frames: 4, seed: 4 }, true);
    const meanCounts = a.counts.reduce((s, x) => s + x, 0) / a.counts.length;
    expect(Math.abs(meanCounts / (4 * 100 + 7.5 * f * 5000 * 0.04) - 1)).toBeLessThan(0.01);
    const meanF = a.fraction.reduce((s, x) => s + x, 0) / a.fraction.length;
    expect(Math.abs(meanF / f - 1)).toBeLessThan(0.02);
  });

  it('finds the drift between fast frames by cross-correlation (±0.3 px) and the aligned sum is sharper than the unaligned one', () => {
    const W = 80, H = 80, px = 0.2;
    const ideal = lattice(W, H, px);
    const o = { dose_ePerA2: 2e5, frames: 6, drift_APerFrame: [0.13, -0.07] as const, driftWalk_APerFrame: 0.03, seed: 9 };
    const al = acquire(ideal, W, H, px, px, o, true);
    for (let f = 1; f < 6; f++) {
      expect(Math.abs(al.alignShifts_px[f]![0] + al.trueOffsets_A[f]![0] / px)).toBeLessThan(0.3); // frame f sees ideal(r + o_f): shift back by −o_f
      expect(Math.abs(al.alignShifts_px[f]![1] + al.trueOffsets_A[f]![1] / px)).toBeLessThan(0.3);
    }
    const un = acquire(ideal, W, H, px, px, { ...o, align: false }, true);
    const contrast = (v: Float32Array): number => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(0.99 * s.length)]! / s[Math.floor(0.5 * s.length)]!; };
    expect(contrast(al.fraction)).toBeGreaterThan(contrast(un.fraction));
  });

  it('is seeded: same seed → same bytes; another seed → different noise', () => {
    const ideal = lattice(32, 32, 0.2);
    const o = { dose_ePerA2: 1000, frames: 3, lineJitter_A: 0.05, seed: 1 };
    const a = acquire(ideal, 32, 32, 0.2, 0.2, o), b = acquire(ideal, 32, 32, 0.2, 0.2, o), c = acquire(ideal, 32, 32, 0.2, 0.2, { ...o, seed: 2 });
    expect(Buffer.from(a.counts.buffer).equals(Buffer.from(b.counts.buffer))).toBe(true);
    expect(Buffer.from(a.counts.buffer).equals(Buffer.from(c.counts.buffer))).toBe(false);
  });

  it('rejects a non-positive dose or frame count naming the field', () => {
    expect(() => acquire(new Float32Array(4), 2, 2, 1, 1, { dose_ePerA2: 0 })).toThrow(InputError);
    expect(() => acquire(new Float32Array(4), 2, 2, 1, 1, { dose_ePerA2: 10, frames: 0 })).toThrow(/frames/);
  });
});
