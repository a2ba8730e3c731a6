import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/index.js';
import { type DatasetArgs, datasetPlan, runDataset } from '../../src/cli/commands/dataset.js';
import { CACHE_DIR } from '../twin/dataset-fixtures.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'ct-dataset-cli-'));
const DEFAULTS: Record<string, string> = {
  size: '24 px', pixel: '0.25,0.3 Å', rotation: '0,360', zones: '210', thickness: '15 Å', niFraction: '0.6,0.9', mixing: '0,0.1', liContent: '0.5,1',
  poreProbability: '0.5', poreRadius: '3,5 Å', apbProbability: '0.3', patches: '1', patchRadius: '3,5 Å', patchPhases: 'rocksalt,NiO,Ni,Li2O',
  samplesPerSpecimen: '1', kineticShare: '0', kineticProtocols: 'seed,drying', kineticLamella: '80 Å', kineticThickness: '40 Å', samplesPerTrajectory: '4096',
  kineticPoreRadius: '10,20 Å', kineticApbProbability: '0.5', driftWalk: '0.1 Å', hum: '0,0.05 Å', humPeriod: '8,64', gain: '1', offset: '0', readNoise: '0',
  calibrationSampling: '0.045 Å',
  energy: '200 kV', semiangle: '15.07 mrad', detector: '70-180 mrad', cs: '0 Å', defocus: '0 Å', defocusNodeStep: '15 Å', sourceSize: '0.25,0.45 Å',
  phonons: '0', dose: '2000,100000 e/Å^2', frames: '1', drift: '0.3 Å', jitter: '0,0.08 Å', scanDistortion: '0.02', prismShare: '0', heatmapSigma: '0.35 Å',
  bundleSize: '2', split: '0.8,0.1,0.1', format: 'npz',
};
const args = (out: string, extra: Record<string, unknown> = {}): DatasetArgs => ({
  count: 3, out, shard: '0/1', seed: 3, workers: 1, merge: false, resume: true, json: true, quiet: true, cacheDir: CACHE_DIR, ...DEFAULTS, ...extra,
});
const fieldOf = (f: () => unknown): string => {
  try { f(); } catch (e) { if (e instanceof InputError) return e.field; throw e; }
  return 'no error';
};

describe('cathode-twin dataset', () => {
  it('bad input names the option and writes nothing', () => {
    const d = tmp();
    expect(fieldOf(() => datasetPlan(args(d, { count: 0 })))).toBe('--count');
    expect(fieldOf(() => datasetPlan(args(d, { count: undefined })))).toBe('--count');
    expect(fieldOf(() => datasetPlan(args(d, { size: '64 nm' })))).toBe('--size');
    expect(fieldOf(() => datasetPlan(args(d, { size: '0 px' })))).toBe('--size');
    expect(fieldOf(() => datasetPlan(args(d, { shard: '3/3' })))).toBe('--shard');
    expect(fieldOf(() => datasetPlan(args(d, { zones: '210,111' })))).toBe('--zones');
    expect(fieldOf(() => datasetPlan(args(d, { patchPhases: 'rocksalt,spinel' })))).toBe('--patch-phases');
    expect(fieldOf(() => datasetPlan(args(d, { thickness: '1 K' })))).toBe('--thickness');
    expect(fieldOf(() => datasetPlan(args(d, { thickness: '40,20 Å' })))).toBe('--thickness');
    expect(fieldOf(() => datasetPlan(args(d, { pixel: '0.3,0.2 Å' })))).toBe('--pixel');
    expect(fieldOf(() => datasetPlan(args(d, { dose: '1e5,1e3 e/Å^2' })))).toBe('--dose');
    expect(fieldOf(() => datasetPlan(args(d, { frames: '4,1' })))).toBe('--frames');
    expect(fieldOf(() => datasetPlan(args(d, { format: 'npz,hdf5' })))).toBe('--format');
    expect(fieldOf(() => datasetPlan(args(d, { pixel: '-1 Å' })))).toBe('--pixel');
    expect(fieldOf(() => datasetPlan(args(d, { kineticShare: '0.5', kineticPoreRadius: '10,40 Å' })))).toBe('--kinetic-pore-radius');
    expect(fieldOf(() => datasetPlan(args(d, { kineticProtocols: 'seed,anneal' })))).toBe('--kinetic-protocols');
    expect(readdirSync(d)).toEqual([]);
  });

  it('runs two shards and merges them into dataset.json and manifest.jsonl listing every sample; a re-run keeps the bundle', async () => {
    const d = tmp();
    let printed = '';
    await runDataset(args(d, { shard: '0/2' }), (s) => (printed += s));
    await runDataset(args(d, { shard: '1/2' }), (s) => (printed += s));
    const lines = printed.trim().split('\n').map((l) => JSON.parse(l) as { samples: number; bundles: number });
    expect(lines.map((l) => l.samples)).toEqual([2, 1]);
    expect(existsSync(join(d, 'dataset.json'))).toBe(false);
    await runDataset(args(d, { merge: true }), () => {});
    const ds = JSON.parse(readFileSync(join(d, 'dataset.json'), 'utf8')) as { seed: number; count: number; bundles: { file: string }[] };
    expect(ds.seed).toBe(3);
    expect(ds.bundles.map((b) => b.file)).toEqual(['bundles/b000000.npz', 'bundles/b000001.npz']);
    const rows = readFileSync(join(d, 'manifest.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { index: number; bundle: string });
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2]);
    for (const r of rows) expect(existsSync(join(d, r.bundle))).toBe(true);
    const again = await runDataset(args(d, { shard: '1/2' }), () => {});
    expect(again.reusedBundles).toBe(1);
  }, 60_000);
});
