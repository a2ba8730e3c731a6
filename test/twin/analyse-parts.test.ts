/**
 * Parts of the image analysis against exact or analytic references: the Euclidean distance transform (brute force),
 * the Fourier lattice of a rotated lattice, rigid registration with rotation and shift, the inset profile in any orientation,
 * layered frames whose columns are not resolved along the layers, and the overlay picture. ≈ 2 s.
 */
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/index.js';
import { analyseFrame, distanceTransform, estimateLattice, overlayPng, registerRigid, rotateImage } from '../../src/twin/analyse/index.js';
import { layerProfile } from '../../src/twin/profile/index.js';

describe('analyse parts', () => {
  it('distance transform: exact Euclidean distances with anisotropic pixels (brute force on random masks)', () => {
    const W = 37, H = 23, rng = Rng.stream(2, 7);
    for (let t = 0; t < 6; t++) {
      const m = Uint8Array.from({ length: W * H }, () => (rng.uniform() < 0.03 * (t + 1) ? 1 : 0));
      const d = distanceTransform(m, W, H, 0.7, 1.3);
      for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
        let b = Infinity;
        for (let j = 0; j < H; j++) for (let i = 0; i < W; i++) if (m[j * W + i]) b = Math.min(b, Math.hypot((x - i) * 0.7, (y - j) * 1.3));
        expect(d[y * W + x]).toBeCloseTo(b, 4);
      }
    }
    expect(distanceTransform(new Uint8Array(12), 4, 3, 1, 1).every((v) => v === Infinity)).toBe(true);
  });

  const lattice = (a: number, b: number, th: number, W: number, shift: [number, number] = [0, 0]) => {
    const f = new Float32Array(W * W);
    for (let y = 0; y < W; y++) for (let x = 0; x < W; x++) {
      const X = x - shift[0], Y = y - shift[1];
      const u = Math.cos(th) * X + Math.sin(th) * Y, v = -Math.sin(th) * X + Math.cos(th) * Y;
      // A rectangular cell a × b with a second, weaker site at (½, ½).
      f[y * W + x] = Math.exp(-(((u / a - Math.round(u / a)) * a) ** 2 + ((v / b - Math.round(v / b)) * b) ** 2) / 4)
        + 0.4 * Math.exp(-(((u / a - 0.5 - Math.round(u / a - 0.5)) * a) ** 2 + ((v / b - 0.5 - Math.round(v / b - 0.5)) * b) ** 2) / 4);
    }
    return f;
  };

  it('Fourier lattice: the cell of a rotated rectangular lattice (lengths to 0.5 %, angle to 0.2°)', () => {
    for (const th of [0, 0.3, 1.1]) {
      const L = estimateLattice(lattice(9, 14, th, 160), 160, 160);
      const l = [Math.hypot(...L.a1), Math.hypot(...L.a2)].sort((p, q) => p - q);
      expect(l[0]! / 9).toBeCloseTo(1, 2);
      expect(l[1]! / 14).toBeCloseTo(1, 2);
      const ang = Math.atan2(L.a1[1], L.a1[0]);
      const d = ((ang - th) % (Math.PI / 2) + Math.PI / 2) % (Math.PI / 2);
      expect(Math.min(d, Math.PI / 2 - d)).toBeLessThan(0.0035);
    }
  });

  it('rigid registration: recovers a 7° rotation about the centre followed by a (2.3, −1.4) px shift (0.1 px)', () => {
    const W = 160;
    // A non-periodic reference (a crystal with a round thin patch) so that the shift has one answer.
    const ref = Float32Array.from(lattice(9, 14, 0.2, W), (v, i) => v * (Math.hypot((i % W) - 70, Math.floor(i / W) - 90) < 25 ? 0.4 : 1));
    const th = (7 * Math.PI) / 180, d: [number, number] = [2.3, -1.4];
    const rot = rotateImage(ref, W, W, th);
    const mov = new Float32Array(W * W);
    for (let y = 0; y < W; y++) for (let x = 0; x < W; x++) {
      const sx = x - d[0], sy = y - d[1], ix = Math.floor(sx), iy = Math.floor(sy), tx = sx - ix, ty = sy - iy;
      const at = (i: number, j: number): number => rot[Math.min(W - 1, Math.max(0, j)) * W + Math.min(W - 1, Math.max(0, i))]!;
      mov[y * W + x] = (at(ix, iy) * (1 - tx) + at(ix + 1, iy) * tx) * (1 - ty) + (at(ix, iy + 1) * (1 - tx) + at(ix + 1, iy + 1) * tx) * ty;
    }
    const la = estimateLattice(ref, W, W), lb = estimateLattice(mov, W, W);
    const r = registerRigid(ref, mov, W, W, { ref: [la.a1, la.a2], moving: [lb.a1, lb.a2] });
    expect(r.rotation_deg).toBeCloseTo(7, 1);
    expect(Math.abs(r.dx_px - d[0])).toBeLessThan(0.1);
    expect(Math.abs(r.dy_px - d[1])).toBeLessThan(0.1);
  });

  it('inset profile in any orientation: layers rotated by 30° give the ratio of the unrotated layers (±3 %)', () => {
    const W = 200, s = 0.1, d = 4.733;
    const img = (th: number): Float32Array => Float32Array.from({ length: W * W }, (_, i) => {
      const x = ((i % W) + 0.5) * s, y = (Math.floor(i / W) + 0.5) * s;
      const u = -Math.sin(th) * x + Math.cos(th) * y;
      let v = 0.01;
      for (let n = -30; n < 30; n++) v += Math.exp(-((u - n * d) ** 2) / 0.5) + 0.2 * Math.exp(-((u - (n + 0.5) * d) ** 2) / 0.5);
      return v;
    });
    const r0 = layerProfile(img(0), W, W, {}, { sampling_A: s, period_A: d }).ratio;
    const th = Math.PI / 6;
    const r30 = layerProfile(img(th), W, W, {}, { sampling_A: s, period_A: d, normal: [-Math.sin(th), Math.cos(th)] }).ratio;
    expect(Math.abs(r30 / r0 - 1)).toBeLessThan(0.03);
    // Along the wrong direction the layers average out: no contrast.
    expect(layerProfile(img(th), W, W, {}, { sampling_A: s, period_A: d }).ratio).toBeGreaterThan(0.8);
  });

  it('a layered frame whose columns are not resolved along the layers: layer fringe only, said so, ratios and regions still read', () => {
    const W = 96, s = 0.4, d = 14.2 / 3, rng = Rng.stream(4, 1);
    const f = Float32Array.from({ length: W * W }, (_, i) => {
      const y = Math.floor(i / W) * s;
      let v = 0.002;
      for (let n = -2; n < 40; n++) v += 0.02 * Math.exp(-((y - n * d) ** 2) / 0.5) + 0.004 * Math.exp(-((y - (n + 0.5) * d) ** 2) / 0.5);
      return rng.poisson(v * 5000 * s * s) / (5000 * s * s);
    });
    const a = analyseFrame({ data: f, width: W, height: W }, { pixelX_A: s, intensity: 'fraction' }, { zone: '210' });
    expect(a.columns.n).toBe(0);
    expect(a.warnings.join()).toMatch(/not resolved/);
    expect(a.lattice.length2_A).toBeCloseTo(d, 1);
    expect(a.observables['liMRatio.bulk']).toBeGreaterThan(0.1);
    expect(a.observables['liMRatio.bulk']).toBeLessThan(0.45);
    expect(overlayPng(a, f).length).toBeGreaterThan(100);
  });

  it('overlay: an RGB picture magnified (up to 4×, towards 900 px) with columns, outlines, legend and scale bar', () => {
    const W = 120, f = lattice(9, 14, 0.1, W);
    const a = analyseFrame({ data: f, width: W, height: W }, { pixelX_A: 0.2, intensity: 'relative' });
    const png = decode(overlayPng(a, f));
    expect([png.width, png.height, png.channels]).toEqual([480, 480, 3]);
    // Sublattice A (red) and B (blue) dots are drawn.
    let red = 0, blue = 0;
    for (let i = 0; i < png.width * png.height; i++) {
      const [r, g, b] = [png.data[3 * i]!, png.data[3 * i + 1]!, png.data[3 * i + 2]!];
      if (r === 0xe4 && g === 0x1a && b === 0x1c) red++;
      if (r === 0x37 && g === 0x7e && b === 0xb8) blue++;
    }
    expect(red).toBeGreaterThan(100);
    expect(blue).toBeGreaterThan(100);
  });
});
