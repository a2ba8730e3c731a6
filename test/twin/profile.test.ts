import { describe, expect, it } from 'vitest';
import { layerProfile } from '../../src/twin/profile/index.js';

/** Synthetic [210]-like image: horizontal M layers (amplitude aM) every d Å, Li layers (aLi) between. */
function layers(w: number, h: number, s: number, d: number, aM: number, aLi: number, phase: number): Float32Array {
  const img = new Float32Array(w * h);
  const g = (u: number) => Math.exp(-(u * u) / (2 * 0.5 * 0.5));
  for (let y = 0; y < h; y++) {
    const yA = (y + 0.5) * s;
    let v = 0.01;
    for (let n = -2; n < (h * s) / d + 2; n++) {
      v += aM * g(yA - (phase + n * d)) + aLi * g(yA - (phase + (n + 0.5) * d));
    }
    for (let x = 0; x < w; x++) img[y * w + x] = v;
  }
  return img;
}

describe('layer profile across the layers (the seed insets)', () => {
  const s = 0.1;
  const d = 4.733; // c/3 of NCM851005, Å

  it('finds the M-layer phase and gives Li/M ≈ aLi/aM for well separated layers', () => {
    const img = layers(40, 300, s, d, 1, 0.1, 1.7);
    const p = layerProfile(img, 40, 300, {}, { sampling_A: s, period_A: d });
    expect(p.mPhase_A).toBeCloseTo(1.7, 1);
    expect(p.ratio).toBeGreaterThan(0.08);
    expect(p.ratio).toBeLessThan(0.16);
    expect(p.pixels).toBe(40 * 300);
  });

  it('Li-site intensity rises toward the M-site intensity as TM fill the Li layers (ratio → 1 for rock salt)', () => {
    const ratios = [0.05, 0.3, 0.6, 1].map((f) => layerProfile(layers(20, 200, s, d, 1, f, 0.8), 20, 200, {}, { sampling_A: s, period_A: d, mPhase_A: 0.8 }).ratio);
    for (let i = 1; i < ratios.length; i++) expect(ratios[i]!).toBeGreaterThan(ratios[i - 1]!);
    expect(Math.abs(ratios[3]! - 1)).toBeLessThan(0.02); // equal layers: only pixel-grid sampling differs
  });

  it('uses only the region (rectangle in Å and mask)', () => {
    const w = 40;
    const h = 200;
    const img = layers(w, h, s, d, 1, 0.1, 0.8);
    for (let y = 0; y < h; y++) for (let x = 20; x < w; x++) img[y * w + x] = 5; // right half saturated
    const left = layerProfile(img, w, h, { x1_A: 2.0 }, { sampling_A: s, period_A: d });
    expect(left.ratio).toBeLessThan(0.2);
    const mask = new Uint8Array(w * h);
    for (let i = 0; i < w * h; i++) mask[i] = i % w >= 20 ? 1 : 0;
    expect(layerProfile(img, w, h, { mask }, { sampling_A: s, period_A: d }).ratio).toBeCloseTo(1, 6);
  });
});
