/**
 * Dataset driver: the samples of one shard (index ≡ i mod N), generated in process or on piscina worker threads,
 * resumable (verified samples are kept), and a manifest per shard; `mergeManifests` joins the shards' manifests
 * into `manifest.json` after checking they describe the same set and cover every index exactly once.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, readJsonFile, writeFileAtomic } from '../../core/index.js';
import { createWorkerPool } from '../../core/pool.js';
import { checkDatasetConfig, type DatasetConfig, DEFAULT_DATASET_CONFIG } from './params.js';
import { generateSample, type Sample } from './sample.js';
import type { SampleTask } from './task.js';
import { type SampleEntry, verifySample, writeSample } from './write.js';

/** A shard: this is shard `index` of `count` (0 ≤ index < count). */
export interface Shard { readonly index: number; readonly count: number }

/** Parses "i/N" (InputError on field `--shard`). */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const i = m ? Number(m[1]) : NaN, n = m ? Number(m[2]) : NaN;
  if (!m || !(n >= 1) || !(i < n)) throw new InputError('--shard', text, '"i/N" with 0 ≤ i < N, e.g. "0/4" (Slurm: $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT)');
  return { index: i, count: n };
}

/** Sample indices of a shard, ascending. */
export function shardIndices(count: number, shard: Shard): number[] {
  const out: number[] = [];
  for (let k = shard.index; k < count; k += shard.count) out.push(k);
  return out;
}

/** Options of generateDataset. */
export interface DatasetOptions {
  /** Output directory. */
  readonly out: string;
  /** Total samples in the set (all shards). */
  readonly count: number;
  /** Seed of the set; default 0. */
  readonly seed?: number;
  /** Shard; default 0/1. */
  readonly shard?: Shard;
  /** Parameter ranges; default DEFAULT_DATASET_CONFIG. */
  readonly config?: DatasetConfig;
  /** Worker threads; default 1 (in process). */
  readonly workers?: number;
  /** Keep verified existing samples; default true. */
  readonly resume?: boolean;
  /** Called after each sample. */
  readonly onSample?: (done: number, total: number) => void;
}

/** A shard manifest. */
export interface Manifest {
  readonly format: 'cathode-twin dataset';
  readonly version: 1;
  readonly seed: number;
  readonly count: number;
  readonly shard: Shard;
  readonly config: DatasetConfig;
  readonly samples: SampleEntry[];
}

/** Manifest file name of a shard. */
export function manifestName(shard: Shard): string {
  return `manifest-shard-${shard.index}-of-${shard.count}.json`;
}

/** Generates (or resumes) one shard; writes its manifest last. Returns the manifest and how many samples were reused. */
export async function generateDataset(o: DatasetOptions): Promise<{ manifest: Manifest; reused: number; path: string }> {
  if (!Number.isInteger(o.count) || o.count < 1 || o.count > 1e9) throw new InputError('--count', o.count, 'an integer 1…1e9');
  const seed = o.seed ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InputError('--seed', seed, 'an integer ≥ 0');
  const workers = o.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) throw new InputError('--workers', workers, 'an integer 1…256');
  const shard = o.shard ?? { index: 0, count: 1 };
  const config = o.config ?? DEFAULT_DATASET_CONFIG;
  checkDatasetConfig(config);
  const idx = shardIndices(o.count, shard);
  const entries: (SampleEntry | undefined)[] = idx.map((index) => ((o.resume ?? true) ? verifySample(o.out, index, seed, config) : undefined));
  const reused = entries.filter((e) => e !== undefined).length;
  const todo: SampleTask[] = idx.flatMap((index, k) => (entries[k] ? [] : [{ seed, index, config }]));
  let done = reused;
  o.onSample?.(done, idx.length);
  const put = async (s: Sample): Promise<void> => {
    entries[idx.indexOf(s.params.index)] = await writeSample(o.out, s);
    o.onSample?.(++done, idx.length);
  };
  if (workers <= 1 || todo.length <= 1) {
    for (const t of todo) await put(await generateSample(t.seed, t.index, t.config));
  } else {
    const pool = createWorkerPool<SampleTask, Sample>(new URL('./task', import.meta.url), { workers, minThreads: todo.length });
    try {
      await Promise.all(todo.map(async (t) => put(await pool.run(t))));
    } finally {
      await pool.close();
    }
  }
  const manifest: Manifest = { format: 'cathode-twin dataset', version: 1, seed, count: o.count, shard, config, samples: entries.map((e) => e!) };
  const path = join(o.out, manifestName(shard));
  await writeFileAtomic(path, JSON.stringify(manifest, null, 1) + '\n');
  return { manifest, reused, path };
}

/** A parsed shard manifest after checking the fields merging relies on (InputError naming the file otherwise). */
function checkedManifest(j: unknown, name: string): Manifest {
  const m = j as Partial<Manifest> | null;
  const ok = m !== null && typeof m === 'object' && Number.isSafeInteger(m.seed) && Number.isSafeInteger(m.count) && m.count! >= 1 && m.count! <= 1e9
    && Array.isArray(m.samples) && m.samples.every((s) => s !== null && typeof s === 'object' && Number.isSafeInteger(s.index) && s.index >= 0);
  if (!ok) throw new InputError(`manifest ${name}`, typeof j, 'a shard manifest written by cathode-twin dataset (seed, count, config, samples[].index)', 'the file is damaged: run that shard again');
  return m as Manifest;
}

/**
 * Merges every `manifest-shard-*-of-*.json` in `dir` into `manifest.json` (shard {0, 1}). Throws InputError when the
 * manifests disagree on seed, count or config, or when an index is missing or duplicated.
 */
export async function mergeManifests(dir: string): Promise<{ manifest: Manifest; shards: number; path: string }> {
  const names = existsSync(dir) ? readdirSync(dir).filter((f) => /^manifest-shard-\d+-of-\d+\.json$/.test(f)).sort() : [];
  if (names.length === 0) throw new InputError('--out', dir, 'a directory holding manifest-shard-i-of-N.json files (run the shards first)');
  const ms = names.map((n) => checkedManifest(readJsonFile(join(dir, n), `manifest ${n}`, 'a dataset shard manifest'), n));
  const first = ms[0]!;
  for (const [k, m] of ms.entries()) {
    if (m.seed !== first.seed || m.count !== first.count || JSON.stringify(m.config) !== JSON.stringify(first.config)) {
      throw new InputError(`manifest ${names[k]}`, `seed ${m.seed}, count ${m.count}`, `the same seed, count and config as ${names[0]} (seed ${first.seed}, count ${first.count})`);
    }
  }
  const byIndex = new Map<number, SampleEntry>();
  for (const m of ms) for (const s of m.samples) {
    if (byIndex.has(s.index)) throw new InputError('manifests', `sample ${s.index}`, 'each sample in exactly one shard manifest');
    byIndex.set(s.index, s);
  }
  const missing: number[] = [];
  for (let i = 0; i < first.count && missing.length < 10; i++) if (!byIndex.has(i)) missing.push(i);
  if (missing.length) throw new InputError('manifests', `missing samples ${missing.join(', ')}${missing.length === 10 ? ', …' : ''}`, `all ${first.count} samples (run the missing shards)`);
  const samples = [...byIndex.values()].sort((a, b) => a.index - b.index);
  const manifest: Manifest = { ...first, shard: { index: 0, count: 1 }, samples };
  const path = join(dir, 'manifest.json');
  await writeFileAtomic(path, JSON.stringify(manifest, null, 1) + '\n');
  return { manifest, shards: names.length, path };
}
