import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/index.js';
import { type DatasetArgs, datasetPlan, runDataset } from '../../src/cli/commands/dataset.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'ct-dataset-cli-'));
const args = (out: string, extra: Partial<DatasetArgs> = {}): DatasetArgs => ({
  count: 3, out, shard: '0/1', seed: 3, size: '24 px', pixel: '0.3 Å', zones: '210', thicknesses: '15 Å', defoci: '0 Å', dose: '2000,100000 e/Å^2',
  workers: 1, merge: false, resume: true, json: true, quiet: true, ...extra,
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
    expect(fieldOf(() => datasetPlan(args(d, { size: '4 px' })))).toBe('--size');
    expect(fieldOf(() => datasetPlan(args(d, { shard: '3/3' })))).toBe('--shard');
    expect(fieldOf(() => datasetPlan(args(d, { zones: '210,111' })))).toBe('--zones');
    expect(fieldOf(() => datasetPlan(args(d, { thicknesses: '1 K' })))).toBe('--thicknesses');
    expect(fieldOf(() => datasetPlan(args(d, { dose: '100 e/Å^2' })))).toBe('--dose');
    expect(fieldOf(() => datasetPlan(args(d, { pixel: '-1 Å' })))).toBe('--pixel');
    expect(readdirSync(d)).toEqual([]);
  });

  it('runs two shards and merges them into one manifest listing every sample with its files', async () => {
    const d = tmp();
    let printed = '';
    await runDataset(args(d, { shard: '0/2' }), (s) => (printed += s));
    await runDataset(args(d, { shard: '1/2' }), (s) => (printed += s));
    const lines = printed.trim().split('\n').map((l) => JSON.parse(l) as { samples: number; generated: number });
    expect(lines.map((l) => l.samples)).toEqual([2, 1]);
    await runDataset(args(d, { merge: true }), () => {});
    const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8')) as { seed: number; count: number; samples: { index: number; files: Record<string, string> }[] };
    expect(m.seed).toBe(3);
    expect(m.samples.map((s) => s.index)).toEqual([0, 1, 2]);
    for (const s of m.samples) for (const f of Object.keys(s.files)) expect(existsSync(join(d, f))).toBe(true);
    const again = await runDataset(args(d, { shard: '1/2' }), () => {});
    expect(again.reused).toBe(1);
  }, 60_000);
});
