// The fit's pieces around the forward model (≈ 1 s): latent onsets read through the one rule table,
// the per-frame statistics, the starting lattice from the layer fringe, and interval-censored likelihood
// terms.
import { describe, expect, it } from 'vitest';
import { findZoneLattice, frameStatistics, latentOnsets, seriesZoneLattices, statName, zoneLattice } from '../../../src/twin/fit/index.js';
import { detectOnsets, ONSET_RULES } from '../../../src/twin/timeline/index.js';
import { logStudentInterval, logNormalInterval } from '../../../src/twin/fit/math/normal.js';

const K0 = 273.15;

describe('latent onsets', () => {
  const temps = [25, 40, 55, 70, 85].map((c) => c + K0);
  const rule = ONSET_RULES.find((r) => r.stage === 'liSiteRimImage')!; // spread rule: max(minRise, 3 SE), held for `persist` frames
  const m = rule.threshold.minRise;
  it('lie in (after_C, onset_C] of the rule table\'s discrete onset, where the interpolated change meets the threshold', () => {
    // Changes 0.2m, 0.4m, 2m, 4m from RT (m = the rule's minRise; two imaged replicas, no spread: the threshold is m).
    const values = [0, 0.2, 0.4, 2, 4].map((k) => ({ 'liMRatio.rim': 0.1 + k * m }));
    const series = { temperatures_K: temps, values, replicas: 2 };
    const d = detectOnsets(series, [rule])[0]!;
    const l = latentOnsets(series, [rule]).liSiteRimImage!;
    expect(l.onset_C).toBe(d.onset_C);
    expect(l.after_C).toBe(d.after_C);
    expect(d.onset_C).toBe(70);
    // The change crosses m between 55 °C (0.4m) and 70 °C (2m): 55 + 15·(0.6/1.6), also for a rule held two frames.
    expect(l.latent_C).toBeCloseTo(55 + (15 * 0.6) / 1.6, 6);
    expect(l.censored).toBe(false);
  });

  it('one series: the threshold is fixed by the baseline frames before the onset frame (3·√2·s = 0.012 here), and the crossing is read against it', () => {
    // frames 0–4 (25–85 °C) 0.100, 0.104, 0.096, 0.100, 0.100: s = √(32e-6/4); change 0.02 at 100 °C, 0.03 at 115 °C
    const t8 = [25, 40, 55, 70, 85, 100, 115, 130].map((c) => c + K0);
    const values = [0.1, 0.104, 0.096, 0.1, 0.1, 0.12, 0.13, 0.13].map((x) => ({ 'liMRatio.rim': x }));
    const d = detectOnsets({ temperatures_K: t8, values }, [rule])[0]!;
    const l = latentOnsets({ temperatures_K: t8, values }, [rule]).liSiteRimImage!;
    expect(d.onset_C).toBe(100);
    expect(l).toMatchObject({ onset_C: 100, after_C: 85, censored: false });
    // 0 → 0.02 between 85 and 100 °C crosses 0.012 at 85 + 15·0.6 = 94 °C
    expect(l.latent_C).toBeCloseTo(94, 6);
  });

  it('a stage not reached is censored one step past the last frame; an observable not computed is left out', () => {
    const values = temps.map(() => ({ 'liMRatio.rim': 0.1 }));
    const l = latentOnsets({ temperatures_K: temps, values }, [rule, ONSET_RULES.find((r) => r.stage === 'ni0Li2O')!]);
    expect(l.liSiteRimImage).toEqual({ onset_C: null, after_C: 85, latent_C: 100, censored: true });
    expect(l.ni0Li2O).toBeUndefined();
  });
});

describe('frame statistics', () => {
  it('are changes from the first frame, relative for pore area as the rule table reads it', () => {
    const obs = [{ 'liMRatio.rim': 0.1, poreArea_A2: 50 }, { 'liMRatio.rim': 0.15, poreArea_A2: 75 }, { 'liMRatio.rim': 0.3, poreArea_A2: 100 }];
    const s = frameStatistics(obs, ['liMRatio.rim', 'poreArea_A2']);
    expect(Object.keys(s).sort()).toEqual([statName('liMRatio.rim', 1), statName('liMRatio.rim', 2), statName('poreArea_A2', 1), statName('poreArea_A2', 2)].sort());
    expect(s[statName('liMRatio.rim', 2)]).toBeCloseTo(0.2, 12);
    expect(s[statName('poreArea_A2', 1)]).toBeCloseTo(0.5, 12);
    expect(s[statName('poreArea_A2', 2)]).toBeCloseTo(1, 12);
  });
});

describe('starting lattice', () => {
  it('orients the [210] cell (a/2 × c/3) by the layer fringe, for any in-plane rotation', () => {
    const W = 160;
    const H = 160;
    const px = 0.25;
    for (const deg of [0, 23, -61]) {
      const t = (deg * Math.PI) / 180;
      const n = [Math.sin(t), Math.cos(t)]; // layer normal (image coordinates)
      const c3 = 14.2 / 3;
      const img = Float32Array.from({ length: W * H }, (_, i) => {
        const x = (i % W) * px;
        const y = Math.floor(i / W) * px;
        const u = x * n[0]! + y * n[1]!;
        const v = -x * n[1]! + y * n[0]!;
        return 1 + Math.cos((2 * Math.PI * u) / c3) + 0.3 * Math.cos((2 * Math.PI * v) / 1.436);
      });
      const L = zoneLattice(img, W, H, { pixelX_A: px }, '210');
      const len2 = Math.hypot(L.a2[0], L.a2[1]);
      expect(len2).toBeCloseTo(c3, 1);
      expect(Math.abs((L.a2[0] * n[0]! + L.a2[1] * n[1]!) / len2)).toBeGreaterThan(0.995);
      expect(Math.abs(L.a1[0] * L.a2[0] + L.a1[1] * L.a2[1])).toBeLessThan(1e-9);
      // In a series, a frame whose layer fringe is gone (here: only the in-plane a/2 rows, as in rock
      // salt) keeps the previous frame's orientation; a first frame without one is a named error.
      const flat = Float32Array.from({ length: W * H }, (_, i) => {
        const x = (i % W) * px;
        const y = Math.floor(i / W) * px;
        return 1 + 0.3 * Math.cos((2 * Math.PI * (-x * n[1]! + y * n[0]!)) / 1.436);
      });
      expect(findZoneLattice(flat, W, H, { pixelX_A: px }, '210')).toBeUndefined();
      const s = seriesZoneLattices([img, flat, img], W, H, { pixelX_A: px }, '210');
      expect(s.kept).toEqual([1]);
      expect(s.lattices[1]).toEqual(L);
      expect(() => seriesZoneLattices([flat, img], W, H, { pixelX_A: px }, '210')).toThrow(/layer fringe/);
    }
  });
});

describe('interval-censored onset terms', () => {
  it('tend to the normal case for many degrees of freedom and are heavier-tailed for few', () => {
    expect(logStudentInterval(160, 175, 170, 5, 1e7)).toBeCloseTo(logNormalInterval(160, 175, 170, 5), 6);
    expect(logStudentInterval(160, 175, 170, 5, 200)).toBeCloseTo(logNormalInterval(160, 175, 170, 5), 2);
    // An observed interval far from the prediction is more probable under t₃ than under the normal.
    expect(logStudentInterval(220, 235, 170, 5, 3)).toBeGreaterThan(logNormalInterval(220, 235, 170, 5) + 10);
    // Right-censored: P(T > 200) for mean 170, sd 10 (normal: 1 − Φ(3)).
    expect(Math.exp(logStudentInterval(200, Infinity, 170, 10, Infinity))).toBeCloseTo(0.0013499, 6);
  });
});
