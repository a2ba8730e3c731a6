import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError, Rng } from '../../src/core/index.js';
import { fromSiteLattice } from '../../src/kinetics/ncm/index.js';
import { Species, buildLamella } from '../../src/lattice/index.js';
import { setCalibrationCacheDir } from '../../src/multislice/index.js';
import { decodeNpz } from '../../src/twin/series/npy.js';
import {
  COLUMN_FIELD_COUNT, DatasetCalibrations, type DatasetConfig, Phase, SampleWorkspace, bundleSplit, checkDatasetConfig, classifyPhases, columnGeometry,
  frameSource, generateDataset, isKineticSample, mergeDataset, parseShard, sampleParams, specimenParams, syntheticSource, toHalf,
} from '../../src/twin/dataset/index.js';
import { CACHE_DIR, SMALL, peak, targets, tmp } from './dataset-fixtures.js';

const filesOf = (root: string): Map<string, Buffer> => {
  const m = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const f of readdirSync(join(root, d), { withFileTypes: true })) {
      const rel = d ? `${d}/${f.name}` : f.name;
      if (f.isDirectory()) walk(rel);
      else if (!/^shard-/.test(f.name)) m.set(rel, readFileSync(join(root, rel)));
    }
  };
  walk('');
  return m;
};
const fieldOf = (f: () => unknown): string => {
  try { f(); } catch (e) { if (e instanceof InputError) return e.field; throw e; }
  return 'no error';
};

beforeAll(() => setCalibrationCacheDir(CACHE_DIR));

describe('dataset configuration and draws', () => {
  it('draws are pure functions of (seed, index); shares and splits follow their low-discrepancy sequences', () => {
    expect(sampleParams(5, 17, SMALL, 100)).toEqual(sampleParams(5, 17, SMALL, 100));
    expect(sampleParams(5, 17, SMALL, 100)).not.toEqual(sampleParams(5, 18, SMALL, 100));
    expect(specimenParams(5, 3, SMALL)).toEqual(specimenParams(5, 3, SMALL));
    // Kinetic share 0.3 over 1000 samples: the golden-ratio sequence keeps the count within 2 of 300.
    let k = 0;
    for (let i = 0; i < 1000; i++) if (isKineticSample(9, i, 0.3)) k++;
    expect(Math.abs(k - 300)).toBeLessThanOrEqual(2);
    const counts = { train: 0, val: 0, test: 0 };
    for (let b = 0; b < 200; b++) counts[bundleSplit(9, b, [0.8, 0.1, 0.1])]++;
    expect(Math.abs(counts.train - 160)).toBeLessThanOrEqual(2);
    expect(Math.abs(counts.val - 20)).toBeLessThanOrEqual(2);
  });

  it('bad input names the field: inverted ranges, size 0, unknown zone or phase, bundle not a multiple of the specimen views', () => {
    expect(fieldOf(() => checkDatasetConfig({ ...SMALL, pixel_A: [0.3, 0.2] }))).toBe('--pixel');
    expect(fieldOf(() => checkDatasetConfig({ ...SMALL, dose_ePerA2: [1e5, 1e3] }))).toBe('--dose');
    expect(fieldOf(() => checkDatasetConfig({ ...SMALL, defocus_A: [10, -10] }))).toBe('--defocus');
    expect(fieldOf(() => checkDatasetConfig({ ...SMALL, size_px: 0 }))).toBe('--size');
    expect(fieldOf(() => checkDatasetConfig({ ...SMALL, zones: ['210', '111' as '210'] }))).toBe('--zones');
    expect(fieldOf(() => checkDatasetConfig({ ...SMALL, patchPhases: ['spinel' as 'NiO'] }))).toBe('--patch-phases');
    expect(fieldOf(() => checkDatasetConfig({ ...SMALL, bundleSize: 3, samplesPerSpecimen: 2 }))).toBe('--bundle-size');
    expect(fieldOf(() => checkDatasetConfig({ ...SMALL, split: [0.5, 0.1, 0.1] }))).toBe('--split');
    for (const bad of ['2/2', '1', '-1/3', 'a/b', '0/0']) expect(fieldOf(() => parseShard(bad))).toBe('--shard');
  });

  it('bad input to a run writes nothing (shard out of range, inverted range)', async () => {
    const d = join(tmp(), 'out');
    await expect(generateDataset({ out: d, count: 4, config: SMALL, shard: { index: 3, count: 3 }, cacheDir: CACHE_DIR })).rejects.toThrow(/--shard/);
    await expect(generateDataset({ out: d, count: 4, config: { ...SMALL, thickness_A: [20, 10] }, cacheDir: CACHE_DIR })).rejects.toThrow(/--thickness/);
    await expect(generateDataset({ out: d, count: 0, config: SMALL, cacheDir: CACHE_DIR })).rejects.toThrow(/--count/);
    expect(existsSync(d)).toBe(false);
  });
});

describe('dataset primitives', () => {
  it('half floats round to the nearest representable value (IEEE 754 binary16)', () => {
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(0.5)).toBe(0x3800);
    expect(toHalf(0)).toBe(0);
    expect(toHalf(65504)).toBe(0x7bff);
    expect(toHalf(1e-7)).toBe(2); // subnormal: 1e-7 / 2^-24 = 1.68 → 2
    expect(toHalf(1 + 1 / 1024)).toBe(0x3c01);
  });

  it('phases from occupancy: Ni⁰ → Ni, Li in Li2O → Li2O, a shuffled patch → rock salt, an all-Ni²⁺ patch → NiO; O follows its cations', () => {
    const lam = buildLamella({ zone: '210', size_A: 20, thickness_A: 20, pore: null, apb: null, composition: 'Ni0.8Co0.1Mn0.1', seed: 3 });
    const L = lam.lattice;
    const view = fromSiteLattice(L);
    const layered = classifyPhases(L, L.species, view);
    let lay = 0, cat = 0;
    for (let t = 0; t < L.n; t++) if (L.sublattice[t] === 0) { cat++; if (layered[t] === Phase.LAYERED) lay++; }
    expect(lay / cat).toBeGreaterThan(0.99);
    // Disorder every cation: a random shuffle over both layers; then all Ni²⁺; then Ni⁰ and Li2O.
    const sp = L.species.slice();
    const cats = [...Array(L.n).keys()].filter((t) => L.sublattice[t] === 0);
    const r = Rng.stream(4, 5);
    const vals = cats.map((t) => sp[t]!);
    for (let i = vals.length - 1; i > 0; i--) { const j = r.int(i + 1); [vals[i], vals[j]] = [vals[j]!, vals[i]!]; }
    cats.forEach((t, i) => { sp[t] = vals[i]!; });
    const rs = classifyPhases(L, sp, view);
    expect(cats.filter((t) => rs[t] === Phase.ROCKSALT).length / cats.length).toBeGreaterThan(0.75);
    for (const t of cats) sp[t] = Species.NI2;
    const nio = classifyPhases(L, sp, view);
    expect(cats.every((t) => nio[t] === Phase.NIO)).toBe(true);
    for (let t = 0; t < L.n; t++) if (L.sublattice[t] === 1) expect(nio[t]).toBe(Phase.NIO);
    sp[cats[0]!] = Species.NI0;
    sp[cats[1]!] = Species.LI_LI2O;
    const mixed = classifyPhases(L, sp, view);
    expect(mixed[cats[0]!]).toBe(Phase.NI);
    expect(mixed[cats[1]!]).toBe(Phase.LI2O);
  });
});

describe('dataset labels', () => {
  // Isolated Ni columns (≥ 4 Å apart, every other cation Li) in the [210] lattice, so each bright column's peak is
  // well defined; rotation, scan scale/shear, drift and hum on, line jitter off (no label can follow it).
  const c: DatasetConfig = { ...SMALL, size_px: 96, thickness_A: [15, 15], lineJitter_A: [0, 0], hum_A: [0.05, 0.05] };
  let cal: DatasetCalibrations;
  let src: ReturnType<typeof frameSource>;
  beforeAll(() => {
    cal = new DatasetCalibrations(c);
    const L = buildLamella({ zone: '210', size_A: 40, thickness_A: 15, pore: null, apb: null, composition: 'Ni1' }).lattice;
    const g = columnGeometry(L);
    const sel: number[] = [];
    const [Lx, Ly] = g.cell_A;
    for (let k = 0; k < g.n; k++) {
      if (g.role[k] !== 1) continue;
      if (sel.every((q) => { let dx = g.x_A[k]! - g.x_A[q]!, dy = g.y_A[k]! - g.y_A[q]!; dx -= Lx * Math.round(dx / Lx); dy -= Ly * Math.round(dy / Ly); return Math.hypot(dx, dy) >= 4; })) sel.push(k);
    }
    const species = L.species.slice();
    for (let t = 0; t < L.n; t++) if (L.sublattice[t] === 0) species[t] = Species.LI;
    for (const k of sel) for (let q = g.start[k]!; q < g.start[k + 1]!; q++) species[g.sites[q]!] = Species.NI3;
    src = frameSource(L, species, new Uint8Array(L.n).fill(Phase.LAYERED), cal, { kind: 'test' }, g);
  });

  it('align with the rendered columns: r.m.s. ≤ 0.1 px at rotations 0–135° and pixel sizes 0.15–0.4 Å (noise-free image, sub-pixel peaks)', () => {
    const W = c.size_px, t = targets(W), ws = new SampleWorkspace();
    for (const px of [0.15, 0.25, 0.4]) for (const rot of [0, 30, 75, 135]) {
      const p = { ...sampleParams(1, 3, c), pixel_A: px, rotation_deg: rot, scale: [0.02, -0.015] as const, shear: 0.01 };
      const r = ws.generate(p, src, cal, c, t);
      let s2 = 0, n = 0;
      for (let q = 0; q < r.columns; q++) {
        const o = q * COLUMN_FIELD_COUNT;
        if (t.columns[o + 13] === 0) continue; // Ni columns only
        const x = t.columns[o]!, y = t.columns[o + 1]!;
        if (x < 3 || y < 3 || x > W - 4 || y > W - 4) continue;
        const [fx, fy] = peak(t.ideal, W, x, y);
        s2 += (fx - x) ** 2 + (fy - y) ** 2;
        n++;
      }
      expect(n, `${px} Å, ${rot}°`).toBeGreaterThanOrEqual(4);
      expect(Math.sqrt(s2 / n), `${px} Å, ${rot}°`).toBeLessThanOrEqual(0.1);
    }
  });

  it('masks and heat maps sit on the labelled columns; the acquired image keeps the noise-free mean (Poisson)', () => {
    const W = c.size_px, t = targets(W), ws = new SampleWorkspace();
    const p = { ...sampleParams(2, 0, c), pixel_A: 0.25 };
    const r = ws.generate(p, src, cal, c, t);
    let checked = 0;
    for (let q = 0; q < r.columns; q++) {
      const o = q * COLUMN_FIELD_COUNT;
      const i = Math.round(t.columns[o]!), j = Math.round(t.columns[o + 1]!), role = t.columns[o + 4]!;
      if (i < 0 || j < 0 || i >= W || j >= W || t.columns[o + 8] === 0) continue;
      // The nearest pixel to a column is within 0.18 Å of it, inside its 0.45 Å disk and at ≥ exp(−0.18²/2σ²) of its heat peak.
      expect(t.sublattice[j * W + i]).toBe(1 + role);
      expect(t.phase[j * W + i]).toBe(Phase.LAYERED);
      const h = t.heatmaps[role * W * W + j * W + i]!;
      expect(h).toBeGreaterThanOrEqual(0x3800); // ≥ 0.5 as a half float
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
    const e = r.electronsPerPixel * W * W;
    const mi = t.ideal.reduce((a, b) => a + b, 0) / (W * W), ma = t.image.reduce((a, b) => a + b, 0) / (W * W);
    expect(Math.abs(ma - mi)).toBeLessThan(5 * Math.sqrt(mi / e));
  });

  it('phase labels of a synthetic specimen mark its product-phase patches (exact by construction)', () => {
    const cfg: DatasetConfig = { ...SMALL, size_px: 48, patchesPerSpecimen: 3, patchPhases: ['NiO', 'Ni', 'Li2O'], patchRadius_A: [6, 6], poreProbability: 0 };
    const cal2 = new DatasetCalibrations(cfg);
    let seen = 0;
    for (let id = 0; id < 6 && seen < 2; id++) {
      const s = syntheticSource(7, id, cal2);
      const f = s.frame;
      for (let k = 0; k < f.geometry.n; k++) {
        if (f.phase[k] === Phase.NI) expect(f.ni0[k]).toBe(f.atoms[k]! - 0); // a Ni column holds only Ni⁰ (its O left)
        if (f.phase[k] === Phase.LI2O && f.geometry.role[k] !== 2) expect(f.li2o[k]).toBe(f.atoms[k]);
      }
      if ([Phase.NIO, Phase.NI, Phase.LI2O].some((ph) => f.phase.includes(ph))) seen++;
    }
    expect(seen).toBe(2);
  });
});

describe('dataset runs', () => {
  it('3 shards merged give the same bytes as one run (bundles, sample files, dataset.json, manifest.jsonl), and 2 workers the same as 1', async () => {
    const cfg: DatasetConfig = { ...SMALL, formats: ['npz', 'files'] };
    const a = tmp(), b = tmp(), w = tmp();
    await generateDataset({ out: a, count: 5, seed: 7, config: cfg, cacheDir: CACHE_DIR });
    for (let i = 0; i < 3; i++) await generateDataset({ out: b, count: 5, seed: 7, config: cfg, shard: { index: i, count: 3 }, cacheDir: CACHE_DIR });
    expect(existsSync(join(b, 'dataset.json'))).toBe(false);
    await mergeDataset(b);
    await generateDataset({ out: w, count: 5, seed: 7, config: cfg, workers: 2, cacheDir: CACHE_DIR });
    const fa = filesOf(a), fb = filesOf(b), fw = filesOf(w);
    expect(fa.size).toBe(3 * 2 + 5 * 7 + 2);
    expect([...fb.keys()].sort()).toEqual([...fa.keys()].sort());
    expect([...fw.keys()].sort()).toEqual([...fa.keys()].sort());
    for (const [k, v] of fa) { expect(fb.get(k)!.equals(v), k).toBe(true); expect(fw.get(k)!.equals(v), k).toBe(true); }
    // A different seed gives different images.
    const o = tmp();
    await generateDataset({ out: o, count: 2, seed: 8, config: SMALL, cacheDir: CACHE_DIR });
    expect(readFileSync(join(o, 'bundles/b000000.npz')).equals(fa.get('bundles/b000000.npz')!)).toBe(false);
  }, 120_000);

  it('bundles read back with the project reader and (where installed) NumPy; the manifest has a row per sample', async () => {
    const d = tmp();
    await generateDataset({ out: d, count: 3, seed: 2, config: SMALL, cacheDir: CACHE_DIR });
    const z = decodeNpz(readFileSync(join(d, 'bundles/b000000.npz')));
    const W = SMALL.size_px;
    expect(z.get('images')!.shape).toEqual([2, W, W]);
    expect(z.get('masks')!.shape).toEqual([2, 2, W, W]);
    expect(z.get('heatmaps')!.shape).toEqual([2, 3, W, W]);
    expect(z.get('heatmaps')!.dtype).toBe('<f2');
    const off = z.get('columns_offset')!.data;
    expect(z.get('columns')!.shape).toEqual([off[2], COLUMN_FIELD_COUNT]);
    const rows = readFileSync(join(d, 'manifest.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { index: number; split: string; bundle: string; view: { pixel_A: number } });
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(Math.fround(rows[1]!.view.pixel_A)).toBe(z.get('pixel_A')!.data[1]);
    const py = spawnSync('python3', ['-c', [
      'import json, sys, numpy as np',
      `z = np.load(${JSON.stringify(join(d, 'bundles/b000000.npz'))})`,
      'print(json.dumps({k: [str(z[k].dtype), list(z[k].shape)] for k in z.files}))',
      'print(float(z["images"].astype(np.float64).sum()), float(z["heatmaps"].astype(np.float64).sum()))',
    ].join('\n')], { encoding: 'utf8' });
    if (py.status !== 0) {
      console.warn(`NumPy read-back skipped: python3 with numpy not available here (${(py.stderr || String(py.error)).trim().split('\n').pop()})`);
      return;
    }
    const [shapes, sums] = py.stdout.trim().split('\n');
    expect(JSON.parse(shapes!)).toEqual({
      images: ['float32', [2, W, W]], ideal: ['float32', [2, W, W]], masks: ['uint8', [2, 2, W, W]], heatmaps: ['float16', [2, 3, W, W]], index: ['int64', [2]],
      pixel_A: ['float32', [2]], columns_offset: ['int64', [3]], columns: ['float32', [off[2], COLUMN_FIELD_COUNT]],
    });
    const [si, sh] = sums!.split(' ').map(Number);
    expect(si).toBeCloseTo(z.get('images')!.data.reduce((x, y) => x + y, 0), 6);
    expect(sh).toBeCloseTo(z.get('heatmaps')!.data.reduce((x, y) => x + y, 0), 3);
  }, 60_000);

  it('resumes: verified bundles are kept, a tampered bundle is remade to the same bytes; a merge with a missing shard is refused', async () => {
    const d = tmp();
    await generateDataset({ out: d, count: 4, seed: 2, config: SMALL, cacheDir: CACHE_DIR });
    const before = filesOf(d);
    writeFileSync(join(d, 'bundles/b000001.npz'), 'tampered');
    const r = await generateDataset({ out: d, count: 4, seed: 2, config: SMALL, cacheDir: CACHE_DIR });
    expect(r.reusedBundles).toBe(1);
    const after = filesOf(d);
    for (const [k, v] of before) expect(after.get(k)!.equals(v), k).toBe(true);
    const e = tmp();
    await generateDataset({ out: e, count: 4, seed: 2, config: SMALL, shard: { index: 0, count: 2 }, cacheDir: CACHE_DIR });
    await expect(mergeDataset(e)).rejects.toThrow(/missing bundles 1/);
    await expect(mergeDataset(tmp())).rejects.toThrow(InputError);
    expect(existsSync(join(e, 'dataset.json'))).toBe(false);
  }, 60_000);
});
