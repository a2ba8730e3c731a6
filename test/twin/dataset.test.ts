import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/index.js';
import { Species } from '../../src/lattice/index.js';
import {
  DEFAULT_DATASET_CONFIG, type DatasetConfig, Phase, buildSampleStructure, fieldColumns, generateDataset, generateSample, mergeManifests, parseShard, sampleParams, shardIndices,
} from '../../src/twin/dataset/index.js';

// Small, single-calibration configuration: one zone, one thickness, one defocus (the column calibration is cached per process).
const cfg: DatasetConfig = { ...DEFAULT_DATASET_CONFIG, size_px: 24, pixel_A: 0.3, zones: ['210'], thicknesses_A: [15], defoci_A: [0] };
const tmp = (): string => mkdtempSync(join(tmpdir(), 'ct-dataset-'));
const filesOf = (root: string): Map<string, Buffer> => {
  const m = new Map<string, Buffer>();
  for (const f of readdirSync(join(root, 'samples')).sort()) m.set(f, readFileSync(join(root, 'samples', f)));
  return m;
};

describe('dataset sample parameters', () => {
  it('are a pure function of (seed, index): any sample can be drawn alone, and different indices differ', () => {
    expect(sampleParams(5, 17, cfg)).toEqual(sampleParams(5, 17, cfg));
    expect(sampleParams(5, 17, cfg)).not.toEqual(sampleParams(5, 18, cfg));
    expect(sampleParams(5, 17, cfg)).not.toEqual(sampleParams(6, 17, cfg));
  });

  it('shards partition the indices: i/N holds exactly the indices ≡ i (mod N)', () => {
    const all = [0, 1, 2].flatMap((i) => shardIndices(10, { index: i, count: 3 })).sort((a, b) => a - b);
    expect(all).toEqual([...Array(10).keys()]);
    expect(parseShard(' 2 / 5 ')).toEqual({ index: 2, count: 5 });
    for (const bad of ['2/2', '1', '-1/3', 'a/b', '0/0']) expect(() => parseShard(bad)).toThrow(/--shard/);
  });
});

describe('dataset structures', () => {
  const base = sampleParams(3, 0, cfg);
  const common = { ...base, pore: null, apb: false, mixing: 0, liContent: 1 };

  it('a NiO patch holds only Ni²⁺ on its cation sites and labels them NiO; outside, the layered order is intact', () => {
    const p = { ...common, patch: { phase: 'NiO' as const, radius_A: 4, centre_A: [base.lamellaSize_A / 2, base.lamellaSize_A / 2] as const } };
    const { lamella, phase } = buildSampleStructure(p);
    const L = lamella.lattice;
    let inside = 0;
    for (let t = 0; t < L.n; t++) {
      if (L.sublattice[t] !== 0) continue;
      if (phase[t] === Phase.NIO) { inside++; expect(L.species[t]).toBe(Species.NI2); }
      else if (L.role[t] === 0) expect(L.species[t]).toBe(Species.LI); // lithiated, unmixed Li layer outside the patch
    }
    expect(inside).toBeGreaterThan(10);
  });

  it('a rock-salt patch conserves the cation composition and puts TM on Li-layer sites (cation disorder)', () => {
    const p = { ...common, patch: { phase: 'rocksalt' as const, radius_A: 5, centre_A: [base.lamellaSize_A / 2, base.lamellaSize_A / 2] as const } };
    const pristine = buildSampleStructure({ ...common, patch: null }).lamella.lattice;
    const { lamella, phase } = buildSampleStructure(p);
    const count = (sp: Uint8Array): number[] => { const c = new Array(12).fill(0) as number[]; for (const s of sp) c[s]!++; return c; };
    expect(count(lamella.lattice.species)).toEqual(count(pristine.species));
    let tmOnLiLayer = 0;
    for (let t = 0; t < pristine.n; t++) if (phase[t] === Phase.ROCKSALT && lamella.lattice.role[t] === 0 && lamella.lattice.species[t] !== Species.LI) tmOnLiLayer++;
    expect(tmOnLiLayer).toBeGreaterThan(5);
  });
});

describe('dataset column labels', () => {
  it('count every column of the periodic cell exactly once whatever the field origin (periodic wrap), and conserve the atoms', () => {
    const { lamella, phase } = buildSampleStructure({ ...sampleParams(3, 0, cfg), pore: null, patch: null });
    const L = lamella.lattice, [Lx, Ly] = L.cell_A;
    const a = fieldColumns(L, L.species, phase, 0, 0, Lx, Ly);
    const b = fieldColumns(L, L.species, phase, Lx / 3, Ly / 5, Lx, Ly);
    expect(b.n).toBe(a.n);
    const atoms = (c: typeof a): number => { let t = 0; for (let k = 0; k < c.n; k++) t += c.li[k]! + c.ni[k]! + c.co[k]! + c.mn[k]! + c.o[k]!; return t; };
    let occupiedSites = 0;
    for (const s of L.species) if (s !== Species.VOID && s !== Species.VAC_CATION && s !== Species.VAC_O) occupiedSites++;
    expect(atoms(a)).toBe(occupiedSites);
    expect(atoms(b)).toBe(occupiedSites);
  });
});

describe('dataset generation', () => {
  it('labels agree with the image: M-layer (Ni, Co, Mn) column disks are brighter than Li-layer disks and than the background (Z-contrast, I ∝ Z^~1.7)', async () => {
    const s = await generateSample(11, 0, { ...cfg, patchProbability: 0, poreProbability: 0 });
    const sum = [0, 0, 0, 0], n = [0, 0, 0, 0];
    for (let k = 0; k < s.ideal.length; k++) { sum[s.sublatticeMask[k]!]! += s.ideal[k]!; n[s.sublatticeMask[k]!]!++; }
    const mean = sum.map((v, i) => v / n[i]!);
    expect(n[1]).toBeGreaterThan(0);
    expect(n[2]).toBeGreaterThan(0);
    // Ni (Z 28) vs Li (Z 3): the incoherent Z^1.7 ratio is ≈ 40; demand a factor 2 at the disk pixels (probe tails overlap).
    expect(mean[2]!).toBeGreaterThan(2 * mean[1]!);
    expect(mean[2]!).toBeGreaterThan(2 * mean[0]!);
    // The brightest ideal pixel lies within 1 Å of a labelled M-layer column.
    let best = 0;
    for (let k = 1; k < s.ideal.length; k++) if (s.ideal[k]! > s.ideal[best]!) best = k;
    const bx = (best % s.width) * s.pixel_A, by = Math.floor(best / s.width) * s.pixel_A;
    let dmin = Infinity;
    for (let c = 0; c < s.columns.n; c++) if (s.columns.sublattice[c] === 1) dmin = Math.min(dmin, Math.hypot(s.columns.x_A[c]! - bx, s.columns.y_A[c]! - by));
    expect(dmin).toBeLessThan(1);
    // Column counts add up: every column's species total equals its occupied sites (occupancy × non-void sites).
    for (let c = 0; c < s.columns.n; c++) {
      const tot = s.columns.li[c]! + s.columns.ni[c]! + s.columns.co[c]! + s.columns.mn[c]! + s.columns.o[c]!;
      expect(tot).toBeLessThanOrEqual(s.columns.sites[c]!);
    }
    // Acquired image: mean counts scale with dose (fraction of beam preserved on average within 5 σ of Poisson noise).
    const mi = s.ideal.reduce((a, b) => a + b, 0) / s.ideal.length, ma = s.image.reduce((a, b) => a + b, 0) / s.image.length;
    const e = s.params.dose_ePerA2 * s.pixel_A ** 2 * s.ideal.length;
    expect(Math.abs(ma - mi)).toBeLessThan(5 * Math.sqrt(mi / e) + 0.02 * mi);
  });

  it('the same seed gives the same bytes; shards 0/2 ∪ 1/2 give exactly the unsharded files; --merge rebuilds the manifest', async () => {
    const a = tmp(), b = tmp(), c = tmp();
    await generateDataset({ out: a, count: 4, seed: 7, config: cfg });
    await generateDataset({ out: b, count: 4, seed: 7, config: cfg, resume: false });
    await generateDataset({ out: c, count: 4, seed: 7, config: cfg, shard: { index: 0, count: 2 } });
    await generateDataset({ out: c, count: 4, seed: 7, config: cfg, shard: { index: 1, count: 2 } });
    const fa = filesOf(a), fb = filesOf(b), fc = filesOf(c);
    expect(fa.size).toBe(4 * 6);
    expect([...fb.keys()]).toEqual([...fa.keys()]);
    expect([...fc.keys()]).toEqual([...fa.keys()]);
    for (const [k, v] of fa) { expect(fb.get(k)!.equals(v)).toBe(true); expect(fc.get(k)!.equals(v)).toBe(true); }
    const other = tmp();
    await generateDataset({ out: other, count: 1, seed: 8, config: cfg });
    expect(readFileSync(join(other, 'samples', 's000000.tif')).equals(fa.get('s000000.tif')!)).toBe(false);
    const merged = await mergeManifests(c);
    const whole = JSON.parse(readFileSync(join(a, 'manifest-shard-0-of-1.json'), 'utf8')) as { samples: unknown[] };
    expect(merged.shards).toBe(2);
    expect(merged.manifest.samples).toEqual(whole.samples);
  });

  it('resumes: verified samples are kept, a sample whose file was altered is regenerated to the same bytes, a changed config regenerates all', async () => {
    const d = tmp();
    await generateDataset({ out: d, count: 3, seed: 2, config: cfg });
    const before = filesOf(d);
    writeFileSync(join(d, 'samples', 's000001.columns.csv'), 'tampered\n');
    const r = await generateDataset({ out: d, count: 3, seed: 2, config: cfg });
    expect(r.reused).toBe(2);
    const after = filesOf(d);
    for (const [k, v] of before) expect(after.get(k)!.equals(v)).toBe(true);
    // A different configuration (dose range) invalidates every sample.
    const changed = await generateDataset({ out: d, count: 3, seed: 2, config: { ...cfg, dose_ePerA2: [3e3, 1e5] } });
    expect(changed.reused).toBe(0);
  });

  it('gives the same bytes on 2 worker threads as in process', async () => {
    const a = tmp(), b = tmp();
    await generateDataset({ out: a, count: 2, seed: 4, config: cfg });
    await generateDataset({ out: b, count: 2, seed: 4, config: cfg, workers: 2 });
    const fa = filesOf(a), fb = filesOf(b);
    for (const [k, v] of fa) expect(fb.get(k)!.equals(v)).toBe(true);
  }, 120_000);

  it('refuses a merge whose shards are incomplete or disagree, naming what is missing', async () => {
    const d = tmp();
    await generateDataset({ out: d, count: 3, seed: 1, config: cfg, shard: { index: 0, count: 2 } });
    await expect(mergeManifests(d)).rejects.toThrow(/missing samples 1/);
    await expect(mergeManifests(tmp())).rejects.toThrow(InputError);
    expect(existsSync(join(d, 'manifest.json'))).toBe(false);
  });
});
