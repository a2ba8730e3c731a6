import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError, Rng } from '../../src/core/index.js';
import { compareSeries, resampleTo, sampleShifted } from '../../src/twin/compare/index.js';
import { readSeries, type FrameSeries } from '../../src/twin/series/index.js';

const hmm = fileURLToPath(new URL('../../../shared/data/experimental/statstem/example_HMM_input_extracted_arrays.npz', import.meta.url));

// A layered HAADF model (fraction of the beam): a square periodic cell L = 3·P (P = c/3 = 4.7333 Å, NCM851005), M layers
// at y = jP, Li layers at (j + ½)P, six columns per layer along x; Gaussian columns σ 0.5 Å (band-limited to < 1e-9 at
// the sampled Nyquist frequencies, so Fourier resampling and shifting are exact to float precision).
const P = 14.2 / 3, L = 14.2, SIGMA = 0.5;
function model(amplM: number, amplLi: number): (x: number, y: number) => number {
  return (x, y) => {
    let s = 0.002;
    for (let j = 0; j < 6; j++) for (let i = 0; i < 6; i++) {
      const cx = (i * L) / 6, cy = (j * P) / 2, a = j % 2 === 0 ? amplM : amplLi;
      for (const ox of [-L, 0, L]) for (const oy of [-L, 0, L]) {
        const dx = ((x % L) + L) % L - cx - ox, dy = ((y % L) + L) % L - cy - oy;
        s += a * Math.exp(-(dx * dx + dy * dy) / (2 * SIGMA * SIGMA));
      }
    }
    return s;
  };
}
const simSeries = (f: (x: number, y: number) => number, n = 144): FrameSeries => {
  const p = L / n, d = new Float32Array(n * n);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) d[y * n + x] = f(x * p, y * p);
  return { frames: [d], width: n, height: n, pixelSize_A: p, meta: [{}], source: { files: ['sim'], format: 'tiff' } };
};
const EXP_PX = L / 60, W = 96;
const SHIFTS: [number, number][] = [[1.3, -0.7], [2.45, -1.2], [3.8, -1.9]];
function experiment(f: (x: number, y: number) => number, dose_ePerA2: number, seed: number): FrameSeries {
  const e = dose_ePerA2 * EXP_PX * EXP_PX;
  const frames = SHIFTS.map(([dx, dy], k) => {
    const rng = Rng.stream(seed, k), d = new Float32Array(W * W);
    for (let y = 0; y < W; y++) for (let x = 0; x < W; x++) d[y * W + x] = rng.poisson(e * f((x - dx) * EXP_PX, (y - dy) * EXP_PX));
    return d;
  });
  return { frames, width: W, height: W, pixelSize_A: EXP_PX, meta: SHIFTS.map((_, k) => ({ dose_ePerA2, time_s: 10 * k })), source: { files: ['exp'], format: 'tiff' } };
}

describe('compare: resampling and shifting the simulation', () => {
  it('Fourier resampling and shifting of a band-limited periodic cell reproduce the analytic image at the shifted pixels (< 1e-5 of the peak)', () => {
    const f = model(0.06, 0.006);
    const sim = simSeries(f);
    const r = resampleTo(sim.frames[0]!, 144, 144, sim.pixelSize_A!, EXP_PX);
    expect([r.width, r.height]).toEqual([60, 60]);
    const s = sampleShifted(r, 80, 70, 2.3, -0.6);
    let err = 0;
    for (let y = 0; y < 70; y++) for (let x = 0; x < 80; x++) err = Math.max(err, Math.abs(s[y * 80 + x]! - f((x - 2.3) * EXP_PX, (y + 0.6) * EXP_PX)));
    expect(err).toBeLessThan(1e-5 * 0.06);
  });
});

describe('compare: experimental series against a simulation', () => {
  const f = model(0.06, 0.006);
  const sim = simSeries(f);
  const exp = experiment(f, 2e4, 1);

  it('recovers each frame\'s drift to 0.1 px, and the experiment\'s own trajectory relative to its first frame', () => {
    const c = compareSeries(exp, sim);
    expect(c.normalisation).toBe('counts');
    c.frames.forEach((r, k) => {
      expect(Math.abs(r.shiftX_px - SHIFTS[k]![0])).toBeLessThan(0.1);
      expect(Math.abs(r.shiftY_px - SHIFTS[k]![1])).toBeLessThan(0.1);
      expect(Math.abs(r.driftX_px - (SHIFTS[k]![0] - SHIFTS[0]![0]))).toBeLessThan(0.1);
      expect(Math.abs(r.driftY_px - (SHIFTS[k]![1] - SHIFTS[0]![1]))).toBeLessThan(0.1);
      expect(r.shiftX_A).toBeCloseTo(r.shiftX_px * EXP_PX, 12);
    });
  });

  it('gives Poisson χ²/pixel ≈ 1 (±0.1; σ ≈ √(2/9216) ≈ 0.015) when the experiment is a Poisson draw of the simulation, and ≫ 1 for a wrong (rock-salt-like) model', () => {
    const good = compareSeries(exp, sim);
    for (const r of good.frames) { expect(Math.abs(r.chi2Reduced - 1)).toBeLessThan(0.1); expect(Math.abs(r.dispersion - 1)).toBeLessThan(0.1); }
    const wrong = compareSeries(exp, simSeries(model(0.033, 0.033)));
    for (const r of wrong.frames) expect(r.chi2Reduced).toBeGreaterThan(3);
    for (const r of good.frames) expect(r.ncc).toBeGreaterThan(wrong.frames[r.frame]!.ncc);
  });

  it('measures the Li/M layer ratio of experiment and simulation alike (layered: ≪ 1; rock-salt-like model: ≈ 1)', () => {
    const good = compareSeries(exp, sim);
    for (const r of good.frames) {
      expect(r.liMRatioExp).toBeLessThan(0.4);
      expect(Math.abs(r.liMRatioExp - r.liMRatioSim)).toBeLessThan(0.05);
    }
    const rs = compareSeries(exp, simSeries(model(0.033, 0.033)));
    for (const r of rs.frames) expect(Math.abs(r.liMRatioSim - 1)).toBeLessThan(0.05);
  });

  it('normalises by z-score when the scale is unknown: NCC (affine-invariant) is unchanged and registration still holds', () => {
    const counts = compareSeries(exp, sim);
    const scaled: FrameSeries = { ...exp, frames: exp.frames.map((fr) => Float32Array.from(fr, (v) => 3.7 * v + 120)), meta: exp.meta.map(() => ({})) };
    const z = compareSeries(scaled, sim);
    expect(z.normalisation).toBe('zscore');
    z.frames.forEach((r, k) => {
      expect(r.ncc).toBeCloseTo(counts.frames[k]!.ncc, 4);
      expect(Number.isNaN(r.chi2Reduced)).toBe(true);
      expect(Math.abs(r.shiftX_px - SHIFTS[k]![0])).toBeLessThan(0.1);
    });
  });

  it('pairs frames by time when the counts differ, and names the option when they cannot be paired or a pixel size is missing', () => {
    const two: FrameSeries = { ...sim, frames: [sim.frames[0]!, sim.frames[0]!], meta: [{ time_s: 0 }, { time_s: 25 }] };
    expect(compareSeries(exp, two).frames.map((r) => r.simFrame)).toEqual([0, 0, 1]);
    const untimed: FrameSeries = { ...two, meta: [{}, {}] };
    expect(() => compareSeries(exp, untimed)).toThrow(InputError);
    expect(() => compareSeries(exp, untimed)).toThrow(/--simulation/);
    const noPx: FrameSeries = { ...exp, pixelSize_A: undefined } as FrameSeries;
    const noSimPx: FrameSeries = { ...sim, pixelSize_A: undefined } as FrameSeries;
    expect(() => compareSeries(noPx, noSimPx)).toThrow(/--pixel-size/);
  });
});

describe('compare: real data (StatSTEM HMM example)', () => {
  it.skipIf(!existsSync(hmm))('registers the 5 experimental frames against StatSTEM\'s fitted models with zero drift (< 0.05 px), NCC > 0.6, and Poisson shot noise (dispersion 1 ± 0.05 at 15.625 e⁻/px/frame)', async () => {
    const exp0 = await readSeries(hmm);
    const model = await readSeries(hmm, { npzArray: 'arr_1' });
    // Pixel size unknown in the export: 1 Å/px, so a dose of 15.625 e⁻/Å² is 15.625 e⁻ per pixel (0.064 of the beam per count).
    const exp: FrameSeries = { ...exp0, pixelSize_A: 1, meta: exp0.meta.map(() => ({ dose_ePerA2: 15.625 })) };
    const c = compareSeries(exp, { ...model, pixelSize_A: 1 }, { normalisation: 'fraction', periodic: false });
    expect(c.frames.map((f) => f.simFrame)).toEqual([0, 1, 2, 3, 4]);
    for (const f of c.frames) {
      expect(Math.hypot(f.shiftX_px, f.shiftY_px)).toBeLessThan(0.05);
      expect(f.ncc).toBeGreaterThan(0.6);
      // The frames are Poisson draws of the models: residual variance / mean count = 1 within 5 % (130 321 pixels, mean 0.15 e⁻/px;
      // Pearson χ²/pixel reads ≈ 0.6–0.7 here because pixels with λ ≈ 0.004 make it heavy-tailed).
      expect(Math.abs(f.dispersion - 1)).toBeLessThan(0.05);
    }
  });
});
