import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/index.js';
import { computeObservables, fromSiteLattice, isLocalRockSalt } from '../../src/kinetics/ncm/index.js';
import { Species } from '../../src/lattice/index.js';
import { setCalibrationCacheDir } from '../../src/multislice/index.js';
import { decodeNpz } from '../../src/twin/series/npy.js';
import {
  COLUMN_FIELD_COUNT, DEFAULT_DATASET_CONFIG, type DatasetConfig, Phase, classifyPhases, generateDataset, mergeDataset, neededTrajectories, trajectorySpec,
} from '../../src/twin/dataset/index.js';
import { buildScenarioLamella } from '../../src/twin/simulate/index.js';
import { loadKineticModules, trajectoryScenario } from '../../src/twin/dataset/kinetic.js';
import { CACHE_DIR, SMALL, tmp } from './dataset-fixtures.js';
import { gunzipSync } from 'node:zlib';

// One small trajectory (26 Å lamella, 12 Å thick, the seed staircase to 500 °C: Li-site TM, rock salt, Ni⁰ + Li2O),
// every sample a frame of it.
const C: DatasetConfig = {
  ...SMALL, size_px: 48, bundleSize: 3, samplesPerSpecimen: 1, kineticShare: 1, split: [1, 0, 0],
  kinetics: { ...DEFAULT_DATASET_CONFIG.kinetics, protocols: ['seed'], lamellaSize_A: 26, thickness_A: 12, poreRadius_A: [5, 5.2], apbProbability: 0 },
};

/**
 * Dataset seed. Its one trajectory draws the prior's μ_O offset at −1.30 eV (and the Ni⁰ barrier at 2.76 eV), below
 * the Ni/NiO line by 500 °C, so the seed protocol reaches Ni⁰ and the Ni/Li2O label check has columns to check
 * (asserted below: a draw that does not reach Ni⁰ fails the test rather than passing it vacuously).
 */
const SEED = 10;

describe('kinetics-evolved samples', () => {
  let out = '';
  beforeAll(async () => {
    setCalibrationCacheDir(CACHE_DIR);
    out = tmp();
    await generateDataset({ out, count: 6, seed: SEED, config: C, cacheDir: CACHE_DIR });
  }, 120_000);

  it('give the same bytes on 2 shards (each reusing the stored trajectory) as in one run', async () => {
    const b = tmp();
    cpSync(join(out, 'trajectories'), join(b, 'trajectories'), { recursive: true });
    for (let i = 0; i < 2; i++) await generateDataset({ out: b, count: 6, seed: SEED, config: C, shard: { index: i, count: 2 }, cacheDir: CACHE_DIR });
    const m = await mergeDataset(b);
    expect(m.samples).toBe(6);
    for (const f of ['bundles/b000000.npz', 'bundles/b000001.npz', 'manifest.jsonl', 'dataset.json']) expect(readFileSync(join(b, f)).equals(readFileSync(join(out, f))), f).toBe(true);
  }, 60_000);

  it('a damaged trajectory body (its header intact) is a one-line error naming the file, not a zlib stack (issue 17)', async () => {
    const b = tmp();
    cpSync(join(out, 'trajectories'), join(b, 'trajectories'), { recursive: true });
    const f = join(b, 'trajectories', readdirSync(join(b, 'trajectories'))[0]!);
    const bytes = readFileSync(f);
    const body = 4 + bytes.readUInt32LE(0);
    for (let i = body + 10; i < bytes.length; i += 7) bytes[i] = bytes[i]! ^ 0x5a;
    writeFileSync(f, bytes);
    const err = await generateDataset({ out: b, count: 6, seed: SEED, config: C, shard: { index: 0, count: 2 }, cacheDir: CACHE_DIR }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).field).toBe('trajectories');
    expect((err as InputError).message).toMatch(/delete it and rerun the same command/);
    expect((err as InputError).message.split('\n')).toHaveLength(1);
  }, 60_000);

  it('draw each trajectory from the prior and serve many samples per trajectory (one KMC run for the set)', () => {
    const need = neededTrajectories(SEED, 6, C, [0, 1]);
    expect(need).toEqual([{ split: 'train', index: 0 }]);
    const s = trajectorySpec(SEED, need[0]!.split, 0, C);
    expect(s.params.o2Release).toBeGreaterThanOrEqual(1.2);
    expect(s.params.o2Release).toBeLessThanOrEqual(1.8);
    expect(s.params.nu).toBeGreaterThanOrEqual(1e12);
    expect(s.params.nu).toBeLessThanOrEqual(1e14);
    const rows = readFileSync(join(out, 'manifest.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; structure: { frame: { temperature_K: number } } });
    expect(rows.every((r) => r.kind === 'kinetic')).toBe(true);
    expect(new Set(rows.map((r) => r.structure.frame.temperature_K)).size).toBeGreaterThan(1);
  });

  it('phase labels agree with the frame occupancy: the rock-salt window rule is the kinetics\' own (same fraction as its observable), Ni and Li2O labels sit on Ni⁰ and Li2O columns', async () => {
    await loadKineticModules(); // trajectoryScenario's scenario loader (loaded by the runs above too)
    // Every frame of the stored trajectory: the share of disordered windows equals the kinetics' rockSaltFraction.
    const need = neededTrajectories(SEED, 6, C, [0, 1])[0]!;
    const spec = trajectorySpec(SEED, need.split, 0, C);
    expect(spec.params.muOOffset, 'the draw SEED was chosen for (doc of SEED)').toBeLessThan(-1.2);
    const L = buildScenarioLamella(trajectoryScenario(spec).structure, spec.seed).lattice;
    const view = fromSiteLattice(L);
    const b = readFileSync(join(out, `trajectories/${need.split}-00000.bin`));
    const all = new Uint8Array(gunzipSync(b.subarray(4 + b.readUInt32LE(0))));
    const frames = all.length / L.n;
    let sawRockSalt = false, sawNi = false;
    for (let f = 0; f < frames; f++) {
      const sp = all.subarray(f * L.n, (f + 1) * L.n);
      const obs = computeObservables(view, sp, new Uint8Array(L.n).fill(255)).regions.all!;
      let cat = 0, dis = 0;
      for (let s = 0; s < L.n; s++) if (L.sublattice[s] === 0 && sp[s] !== Species.VOID) { cat++; if (isLocalRockSalt(view, sp, s)) dis++; }
      expect(dis / cat, `frame ${f}`).toBeCloseTo(obs.rockSaltFraction, 12);
      const ph = classifyPhases(L, sp, view);
      for (let s = 0; s < L.n; s++) {
        if (sp[s] === Species.NI0) expect(ph[s]).toBe(Phase.NI);
        if (sp[s] === Species.LI_LI2O) expect(ph[s]).toBe(Phase.LI2O);
        if (ph[s] === Phase.ROCKSALT || ph[s] === Phase.NIO) sawRockSalt = true;
        if (ph[s] === Phase.NI) sawNi = true;
      }
    }
    expect(sawRockSalt).toBe(true);
    expect(sawNi).toBe(true);
    // In the bundle: every column labelled Ni holds Ni⁰ or is an emptied O column; Li2O columns hold Li in Li2O or O;
    // every column whose atoms are all Ni⁰ is labelled Ni; mask pixels under a column carry its phase.
    const W = C.size_px;
    let checked = 0;
    for (const bundle of ['b000000', 'b000001']) {
    const z = decodeNpz(readFileSync(join(out, `bundles/${bundle}.npz`)));
    const cols = z.get('columns')!.data, masks = z.get('masks')!.data, off = z.get('columns_offset')!.data;
    for (let i = 0; i < 3; i++) for (let r = off[i]!; r < off[i + 1]!; r++) {
      const o = r * COLUMN_FIELD_COUNT, phase = cols[o + 5]!, role = cols[o + 4]!, atoms = cols[o + 8]!, ni0 = cols[o + 14]!, li2o = cols[o + 15]!;
      if (phase === Phase.NI) expect(role === 2 ? true : ni0 > 0).toBe(true);
      if (phase === Phase.LI2O && role !== 2) expect(li2o).toBeGreaterThan(0);
      if (atoms > 0 && ni0 === atoms) expect(phase).toBe(Phase.NI);
      const px = Math.round(cols[o]!), py = Math.round(cols[o + 1]!);
      if (px >= 0 && py >= 0 && px < W && py < W && atoms > 0) { expect(masks[(2 * i + 1) * W * W + py * W + px]).toBe(phase); checked++; }
    }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
