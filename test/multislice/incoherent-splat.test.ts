import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type HaadfOptions, FAR_RADIUS_A, buildColumnModel, calibrateColumn, calibrationCacheFile, calibrationKey, clearCalibrationCache, clearKernelCache,
  gaussianBlur, probeKernels, probeKernelsCached, renderIncoherent, setCalibrationCacheDir, SplatRenderer, warmProbeKernels,
} from '../../src/multislice/index.js';
import { nearSimd } from '../../src/multislice/incoherent/splat-simd.js';
import { lno210 } from './structures.js';

const OPTS: HaadfOptions = { energy_eV: 200e3, semiangle_mrad: 15.07, detector: { inner_mrad: 70, outer_mrad: 180 }, sampling_A: 0.045, sliceThickness_A: 2.5 };
const LAMBDA_200KV_A = 0.025079;

/** J1 by its power series (|x| ≤ 25: terms fall below 1e-16 of the sum; Abramowitz & Stegun 9.1.10). */
function besselJ1(x: number): number {
  let term = x / 2, sum = term;
  for (let k = 1; k < 80; k++) { term *= -(x * x) / (4 * k * (k + 1)); sum += term; }
  return sum;
}

describe('radial probe kernels (fast incoherent renderer)', () => {
  it('an aberration-free probe gives the Airy disk π k_α² [2J₁(v)/v]², v = 2π k_α r (within 0.5 % of the peak to 3 Å)', () => {
    const k = probeKernels({ energy_eV: 200e3, semiangle_mrad: 15.07, aberrations: {} });
    const ka = 15.07e-3 / LAMBDA_200KV_A;
    const rs = [0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3];
    const got = k.radial(0, rs);
    const peak = Math.PI * ka * ka;
    rs.forEach((r, i) => {
      const v = 2 * Math.PI * ka * r;
      const airy = v === 0 ? peak : peak * (2 * besselJ1(v) / v) ** 2;
      expect(Math.abs(got[i]! - airy) / peak, `r = ${r} Å`).toBeLessThan(5e-3);
    });
  });

  it('from the disk cache are the fresh kernels bit for bit (near tables and radii, far spectrum, uniform level); a stale file is ignored; ~1 s', () => {
    const optics = { energy_eV: 200e3, semiangle_mrad: 15.07, aberrations: { defocus: -12 } };
    const sig: [number, number] = [0.3, 0.32];
    setCalibrationCacheDir(null);
    clearKernelCache();
    const fresh = probeKernels(optics);
    const dir = mkdtempSync(join(tmpdir(), 'kernel-cache-'));
    try {
      setCalibrationCacheDir(dir);
      clearKernelCache();
      expect(probeKernelsCached(optics, sig)).toBe(false);
      expect(warmProbeKernels(optics, sig)).toBe(true);
      expect(probeKernelsCached(optics, sig)).toBe(true);
      expect(probeKernelsCached(optics, [0.3, 0.4])).toBe(false);
      clearKernelCache();
      const cached = probeKernels(optics);
      expect(cached.beyond).toBe(fresh.beyond);
      // 0.31 Å is in the stored range, 0.45 Å is not (computed from the cached spectrum).
      for (const s of [0.3, 0.31, 0.45]) {
        const a = cached.near(s), b = fresh.near(s);
        expect(Array.from(a.table)).toEqual(Array.from(b.table));
        for (const r of [1, 0.3, 1e-2, 1e-4, 1e-7]) expect(a.radiusFor(r)).toBe(b.radiusFor(r));
      }
      expect(Array.from(cached.far(48, 64).spectrum)).toEqual(Array.from(fresh.far(48, 64).spectrum));
      expect(Array.from(cached.radial(0.3, [0, 0.7, 2.2]))).toEqual(Array.from(fresh.radial(0.3, [0, 0.7, 2.2])));
      // A file of another optics under this one's name (a damaged or foreign cache) is ignored.
      const other = { ...optics, aberrations: { defocus: 12 } };
      const mine = readdirSync(dir).filter((f) => f.endsWith('.bin')).sort();
      warmProbeKernels(other, sig);
      const theirs = readdirSync(dir).filter((f) => f.endsWith('.bin') && !mine.includes(f)).sort();
      expect(mine.length).toBe(2);
      expect(theirs.length).toBe(2);
      clearKernelCache();
      for (const [i, f] of mine.entries()) writeFileSync(join(dir, f), readFileSync(join(dir, theirs[i]!)));
      expect(probeKernelsCached(optics, sig)).toBe(false);
      const again = probeKernels(optics);
      expect(Array.from(again.near(0.31).table)).toEqual(Array.from(fresh.near(0.31).table));
      expect(again.beyond).toBe(fresh.beyond);
    } finally {
      setCalibrationCacheDir(null);
      clearKernelCache();
    }
  });

  it('integrate to 1: ∫2πr K_s dr to FAR_RADIUS_A plus the uniform level beyond it (s = 0.35 Å, defocus 20 Å)', () => {
    const k = probeKernels({ energy_eV: 200e3, semiangle_mrad: 15.07, aberrations: { defocus: 20 } });
    const dr = 0.005, n = Math.round(FAR_RADIUS_A / dr);
    const r = Float64Array.from({ length: n + 1 }, (_, i) => i * dr);
    const K = k.radial(0.35, r);
    let s = 0;
    for (let i = 1; i <= n; i++) s += 0.5 * dr * 2 * Math.PI * (r[i - 1]! * K[i - 1]! + r[i]! * K[i]!);
    expect(Math.abs(s + k.beyond - 1)).toBeLessThan(2e-3);
    expect(k.beyond).toBeGreaterThan(0.002);
    expect(k.beyond).toBeLessThan(0.02);
  });
});

describe('splat renderer', () => {
  const atoms = lno210(10, 6, 0, 2); // 28.8 × 28.4 Å, 30 Å thick
  const model = buildColumnModel(atoms, OPTS);
  const kernels = probeKernels(OPTS);
  const [Lx, Ly] = atoms.cell_A;
  /** The model's columns, periodic images out to ±2 cells, with kernel blur s = √(w² + source²). */
  const columns = (source_A: number) => {
    const xs: number[] = [], ys: number[] = [], ss: number[] = [], ks: number[] = [];
    const near = [...new Set(Array.from(model.width_A, (w) => Math.hypot(w, source_A)))].map((s) => kernels.near(s));
    for (let c = 0; c < model.cols.n; c++) {
      const s = Math.hypot(model.width_A[c]!, source_A);
      const kk = near.findIndex((nk) => Math.abs(nk.sigma_A - s) <= 0.0025 + 1e-12);
      for (let a = -2; a <= 2; a++) for (let b = -2; b <= 2; b++) { xs.push(model.cols.x_A[c]! + a * Lx); ys.push(model.cols.y_A[c]! + b * Ly); ss.push(model.crossSection_A2[c]!); ks.push(kk); }
    }
    return { cols: { n: xs.length, x_A: Float64Array.from(xs), y_A: Float64Array.from(ys), sigma_A2: Float64Array.from(ss), kernel: Uint16Array.from(ks) }, near };
  };
  const W = 64, px = 0.25, x0 = 3, y0 = 2;
  const scan = { width: W, height: W, origin_A: [x0, y0] as [number, number], stepI_A: [px, 0] as [number, number], stepJ_A: [0, px] as [number, number] };

  it('agrees with the exact sum Σσ K_s(|r − r_c|) to 1 % r.m.s. and with the FFT renderer (renderIncoherent + source blur) to 1.5 % (LiNiO2 [210], source 0.3 Å)', () => {
    const src = 0.3;
    const { cols, near } = columns(src);
    const out = new Float64Array(W * W);
    new SplatRenderer().render(cols, near, kernels, scan, out);
    // Exact reference on every 7th pixel: direct sums with fine radial tables to 50 Å.
    const uniq = [...new Set(near.map((n) => n.sigma_A))];
    const tables = uniq.map((s) => kernels.radial(s, Float64Array.from({ length: 25001 }, (_, i) => i * 0.002)));
    let d2 = 0, m = 0, n = 0;
    for (let q = 0; q < W * W; q += 7) {
      const x = x0 + (q % W) * px, y = y0 + Math.floor(q / W) * px;
      let v = 0;
      for (let c = 0; c < cols.n; c++) {
        const d = Math.hypot(cols.x_A[c]! - x, cols.y_A[c]! - y);
        if (d >= 49.9) continue;
        const t = tables[uniq.indexOf(near[cols.kernel[c]!]!.sigma_A)]!, u = d / 0.002, a = Math.floor(u);
        v += cols.sigma_A2[c]! * (t[a]! + (u - a) * (t[a + 1]! - t[a]!));
      }
      d2 += (out[q]! - v) ** 2; m += v; n++;
    }
    expect(Math.sqrt(d2 / n) / (m / n)).toBeLessThan(0.01);
    // The FFT renderer of the periodic cell, blurred by the source; compared away from the blur's clamped edges.
    const ref = gaussianBlur(Float32Array.from(renderIncoherent(model, atoms.cell_A, OPTS, W, W, x0, y0, px, px)), W, W, src / px, src / px, false);
    let e2 = 0, mr = 0, nr = 0;
    for (let j = 8; j < W - 8; j++) for (let i = 8; i < W - 8; i++) { const q = j * W + i; e2 += (out[q]! - ref[q]!) ** 2; mr += ref[q]!; nr++; }
    expect(Math.sqrt(e2 / nr) / (mr / nr)).toBeLessThan(0.015);
  });

  it('the WebAssembly SIMD near kernel gives the TypeScript loop\'s image bit for bit (row offsets, shear, odd widths; ~0.1 s)', () => {
    // Node ≥ 16.4 has WebAssembly SIMD: the kernel must assemble and validate here (else this test compares nothing).
    expect(nearSimd()).toBeDefined();
    const { cols, near } = columns(0.3);
    for (const [w, h, shear] of [[W, W, 0], [37, 23, 0.013]] as const) {
      const off = new Float64Array(2 * h);
      for (let j = 0; j < h; j++) { off[2 * j] = 0.05 * Math.sin(j / 3) + 0.002 * j; off[2 * j + 1] = -0.001 * j; }
      const sc = { width: w, height: h, origin_A: [x0 - 0.11, y0 + 0.07] as [number, number], stepI_A: [px * 1.013, 0] as [number, number], stepJ_A: [px * shear, px * 0.991] as [number, number], rowOffset_A: off };
      const a = new Float64Array(w * h), b = new Float64Array(w * h);
      new SplatRenderer(true).render(cols, near, kernels, sc, a);
      new SplatRenderer(false).render(cols, near, kernels, sc, b);
      let same = 0;
      for (let i = 0; i < w * h; i++) if (Object.is(a[i], b[i])) same++;
      expect(same, `${w} × ${h}`).toBe(w * h);
    }
  });

  it('a scan offset equals moving the columns the other way; a rotated scan of rotated columns gives the same image', () => {
    const { cols, near } = columns(0.3);
    const r = new SplatRenderer();
    const o = new Float64Array(W * W), a = new Float64Array(W * W), b = new Float64Array(W * W), c = new Float64Array(W * W);
    r.render(cols, near, kernels, scan, o);
    const off = new Float64Array(2 * W);
    for (let j = 0; j < W; j++) { off[2 * j] = 0.37; off[2 * j + 1] = -0.21; }
    r.render(cols, near, kernels, { ...scan, rowOffset_A: off }, a);
    const moved = { ...cols, x_A: cols.x_A.map((x) => x - 0.37), y_A: cols.y_A.map((y) => y + 0.21) };
    r.render(moved, near, kernels, scan, b);
    const th = 0.7, co = Math.cos(th), si = Math.sin(th);
    const rot = { ...cols, x_A: cols.x_A.map((x, i) => co * x - si * cols.y_A[i]!), y_A: cols.y_A.map((y, i) => si * cols.x_A[i]! + co * y) };
    r.render(rot, near, kernels, { width: W, height: W, origin_A: [co * x0 - si * y0, si * x0 + co * y0], stepI_A: [co * px, si * px], stepJ_A: [-si * px, co * px] }, c);
    let max = 0, dab = 0, dac = 0;
    for (let i = 0; i < W * W; i++) { max = Math.max(max, o[i]!); dab = Math.max(dab, Math.abs(a[i]! - b[i]!)); dac = Math.max(dac, Math.abs(o[i]! - c[i]!)); }
    expect(dab / max).toBeLessThan(1e-3); // the far part's coarse grid moves with the scan box: below its interpolation error
    expect(dac / max).toBeLessThan(2e-3);
  });
});

describe('calibration disk cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ct-cal-cache-'));
  afterAll(() => setCalibrationCacheDir(null));
  it('stores a calibration by its key, returns the same float64 values from disk, and ignores a file written for another key', () => {
    setCalibrationCacheDir(dir);
    const o = { ...OPTS, sliceThickness_A: 2 };
    const a = calibrateColumn(28, 2.87, 3, o);
    const file = join(dir, calibrationCacheFile(calibrationKey([28, 28, 28], 2.87, o)));
    expect(existsSync(file)).toBe(true);
    clearCalibrationCache();
    const b = calibrateColumn(28, 2.87, 3, o);
    expect(Array.from(b.crossSection_A2)).toEqual(Array.from(a.crossSection_A2));
    expect(Array.from(b.width_A)).toEqual(Array.from(a.width_A));
    // A foreign file under this name (another key) is ignored: the calibration is recomputed and the file rewritten.
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { key: string; crossSection_A2: number[] };
    writeFileSync(file, JSON.stringify({ ...stored, key: 'another key', crossSection_A2: [1, 2, 3] }));
    clearCalibrationCache();
    const c = calibrateColumn(28, 2.87, 3, o);
    expect(Array.from(c.crossSection_A2)).toEqual(Array.from(a.crossSection_A2));
    expect((JSON.parse(readFileSync(file, 'utf8')) as { key: string }).key).toBe(stored.key);
  });
});
