/**
 * Dataset driver. The unit of work is the bundle (bundle.ts); shard i of N makes the bundles b ≡ i (mod N), so a
 * Slurm array or a Kubernetes indexed Job runs one shard per task and `mergeDataset` joins them; a single-shard run
 * merges itself. Steps: check everything (nothing is written on bad input) → keep the bundles whose sidecar and
 * SHA-256s verify (resume) → run the column calibrations the configuration needs that the disk cache lacks (in
 * parallel) → run the KMC trajectories the kinetics-evolved samples need (kinetic.ts; stored, so shards and resumed
 * runs share them) → make the remaining bundles on worker threads (piscina via src/core/pool) or in process, each
 * written by this thread while the next ones are made (BundleWriter) → write the shard's summary. The bytes of every
 * file are the same for any number of workers and shards.
 *
 * Merged outputs: `dataset.json` (seed, count, configuration, array and class descriptions, the bundles with their
 * SHA-256 and split) and `manifest.jsonl` (one JSON line per sample, in index order, with every parameter).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, type Shard, checkShard, checkWorkers, createWorkerPool, holdHeapGrowth, readJsonFile, writeFileAtomic } from '../../core/index.js';
import { calibrationCacheDir, isCalibrationCached, setCalibrationCacheDir } from '../../multislice/index.js';
import {
  type BundleEntry, type BundleSidecar, BundleGenerator, DATASET_FORMAT, DATASET_VERSION, type MadeBundle, bundleName, configHash, verifyBundle, writeBundle,
} from './bundle.js';
import {
  type CalibrationJob, type KernelJob, calibrationJobs, calibrationOptions, isKernelJobCached, kernelJobs, runCalibrationJob, runKernelJob, widthRange,
} from './calibration.js';
import { COLUMN_FIELDS, HEATMAP_CHANNELS, PHASE_CLASSES, SUBLATTICE_CLASSES } from './labels.js';
import { type DatasetConfig, DEFAULT_DATASET_CONFIG, SPLIT_NAMES, checkDatasetConfig, sampleParams } from './params.js';
import { ensureTrajectory, neededTrajectories, trajectoryCounts } from './kinetic.js';
import type { DatasetTask, DatasetTaskResult } from './task.js';

export { checkShard, parseShard, type Shard } from '../../core/index.js';

/**
 * V8's heap growing percent while a shard is generated (core holdHeapGrowth: limits 4× the live size). A worker
 * (~15 MB live) then ran 6 full collections per 10 bundles instead of 27–34, and V8's helper threads used 0.6–0.8
 * instead of 1.2 CPU-ms per sample in 2-worker runs (bench/RESULTS.md, issue 16, ninth round); same bytes.
 */
export const DATASET_HEAP_GROWTH_PERCENT = 300;

/** Bundles of a set of `count` samples. */
export function bundleCount(count: number, c: DatasetConfig): number {
  return Math.ceil(count / c.bundleSize);
}

/** Bundle indices of a shard, ascending. */
export function shardBundles(count: number, c: DatasetConfig, shard: Shard): number[] {
  const out: number[] = [];
  for (let b = shard.index; b < bundleCount(count, c); b += shard.count) out.push(b);
  return out;
}

/** Options of generateDataset. */
export interface DatasetOptions {
  readonly out: string;
  /** Samples in the set (all shards). */
  readonly count: number;
  readonly seed?: number;
  readonly shard?: Shard;
  readonly config?: DatasetConfig;
  /** Worker threads; default 1 (in process). */
  readonly workers?: number;
  /** Keep verified bundles; default true. */
  readonly resume?: boolean;
  /** Calibration cache directory shared by runs and workers; null: memory only (each thread calibrates). */
  readonly cacheDir?: string | null;
  /** Progress: samples done of the shard's total, and the stage. */
  readonly onProgress?: (done: number, total: number, stage: 'calibration' | 'kinetics' | 'samples') => void;
}

/** A shard's summary (`shard-i-of-N.json`). */
export interface ShardSummary {
  readonly format: string;
  readonly version: number;
  readonly seed: number;
  readonly count: number;
  readonly configHash: string;
  readonly config: DatasetConfig;
  readonly shard: Shard;
  readonly bundles: BundleEntry[];
}

/** Result of generateDataset. */
export interface DatasetResult {
  readonly shard: Shard;
  readonly samples: number;
  readonly bundles: number;
  readonly reusedBundles: number;
  readonly calibrations: { needed: number; computed: number };
  /** KMC trajectories run by this call (kinetics-evolved samples; stored under trajectories/). */
  readonly trajectoriesComputed: number;
  readonly summaryPath: string;
  /** Set when this run merged the set (single shard): dataset.json. */
  readonly datasetPath?: string;
}

export const shardSummaryName = (s: Shard): string => `shard-${s.index}-of-${s.count}.json`;

/**
 * The probe-kernel jobs (calibration.ts kernelJobs) of the defocus values that the samples of `bundles` draw and that
 * the disk cache lacks (none without a disk cache: each thread then builds what it uses). Large shards take every
 * defocus value of the grid without drawing the samples.
 */
function neededKernelJobs(seed: number, count: number, c: DatasetConfig, bundles: readonly number[], cacheDir: string | null): KernelJob[] {
  if (cacheDir === null || bundles.length === 0) return [];
  const all = kernelJobs(c, widthRange(calibrationJobs(c).map((j) => runCalibrationJob(c, j))));
  let jobs = all;
  if (bundles.length * c.bundleSize < 16 * all.length) {
    const used = new Set<number>();
    for (const b of bundles) for (let k = b * c.bundleSize; k < Math.min(count, (b + 1) * c.bundleSize); k++) used.add(sampleParams(seed, k, c, count).defocus_A);
    jobs = all.filter((j) => used.has(j.defocus_A));
  }
  return jobs.filter((j) => !isKernelJobCached(c, j));
}

/** Checks every input of a run (InputError naming the option; nothing is written). */
export function checkDatasetOptions(o: DatasetOptions): { seed: number; shard: Shard; config: DatasetConfig; workers: number } {
  if (!Number.isInteger(o.count) || o.count < 1 || o.count > 1e9) throw new InputError('--count', o.count, 'an integer 1…1e9');
  const seed = o.seed ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InputError('--seed', seed, 'an integer 0 … 2^53−1');
  const workers = checkWorkers(o.workers ?? 1);
  const shard = checkShard(o.shard ?? { index: 0, count: 1 });
  const config = o.config ?? DEFAULT_DATASET_CONFIG;
  checkDatasetConfig(config);
  if (typeof o.out !== 'string' || o.out === '') throw new InputError('--out', o.out, 'an output directory');
  return { seed, shard, config, workers };
}

/** Generates (or resumes) one shard; a single-shard run also writes dataset.json and manifest.jsonl. */
export async function generateDataset(o: DatasetOptions): Promise<DatasetResult> {
  const { seed, shard, config, workers } = checkDatasetOptions(o);
  const cacheDir = o.cacheDir === undefined ? calibrationCacheDir() : o.cacheDir;
  const bundles = shardBundles(o.count, config, shard);
  const total = bundles.reduce((a, b) => a + Math.min(config.bundleSize, o.count - b * config.bundleSize), 0);
  const entries = new Map<number, BundleEntry>();
  if (o.resume ?? true) for (const b of bundles) {
    const s = verifyBundle(o.out, seed, o.count, config, b);
    if (s) entries.set(b, entryOf(s));
  }
  const reusedBundles = entries.size;
  const todo = bundles.filter((b) => !entries.has(b));
  let done = [...entries.values()].reduce((a, e) => a + e.samples, 0);
  const record = (s: BundleSidecar): void => {
    entries.set(s.bundle, entryOf(s));
    done += s.samples;
    o.onProgress?.(done, total, 'samples');
  };
  // Calibrations the disk cache lacks (each is a multislice run of one column, seconds): run them first, in parallel.
  const previous = calibrationCacheDir();
  setCalibrationCacheDir(cacheDir);
  let jobs: CalibrationJob[] = [];
  let computedTrajectories = 0;
  // Fewer full collections while the samples are made, in this thread and the workers (core heap.ts).
  const releaseHeap = holdHeapGrowth(DATASET_HEAP_GROWTH_PERCENT);
  try {
    jobs = todo.length > 0 ? calibrationJobs(config).filter((j) => !isCalibrationCached(j.zPerSite, j.spacing_A, calibrationOptions(config, j.defocus_A))) : [];
    o.onProgress?.(0, jobs.length, 'calibration');
    const trajectories = neededTrajectories(seed, o.count, config, todo);
    const useWorkers = workers > 1 && (jobs.length > 1 || todo.length > 1 || trajectories.length > 1);
    if (!useWorkers) {
      let k = 0;
      for (const j of jobs) { runCalibrationJob(config, j); o.onProgress?.(++k, jobs.length, 'calibration'); }
      for (const j of neededKernelJobs(seed, o.count, config, todo, cacheDir)) runKernelJob(config, j);
      k = 0;
      o.onProgress?.(0, trajectories.length, 'kinetics');
      for (const t of trajectories) { if (await ensureTrajectory(o.out, seed, t.split, t.index, config)) computedTrajectories++; o.onProgress?.(++k, trajectories.length, 'kinetics'); }
      const gen = new BundleGenerator();
      o.onProgress?.(done, total, 'samples');
      // One bundle is written while the next is made (two archive buffers in turn).
      const writer = new BundleWriter(o.out, 1, record);
      try {
        for (const b of todo) {
          const m = await gen.make({ out: o.out, seed, count: o.count, config, bundle: b, cacheDir }, writer.spare.pop());
          await writer.add(m, m.buffer);
        }
      } finally {
        await writer.drain();
      }
    } else {
      const pool = createWorkerPool<DatasetTask, DatasetTaskResult>(new URL('./task', import.meta.url), { workers });
      try {
        let k = 0;
        // Without a shared disk cache every worker would calibrate for itself: run them here then.
        if (cacheDir === null) for (const j of jobs) { runCalibrationJob(config, j); o.onProgress?.(++k, jobs.length, 'calibration'); }
        else await Promise.all(jobs.map(async (j) => { await pool.run({ kind: 'calibrate', config, job: j, cacheDir }); o.onProgress?.(++k, jobs.length, 'calibration'); }));
        // Probe kernels into the disk cache, in parallel: each worker then loads them instead of building them all.
        await Promise.all(neededKernelJobs(seed, o.count, config, todo, cacheDir).map((job) => pool.run({ kind: 'kernels', config, job, cacheDir: cacheDir! })));
        k = 0;
        o.onProgress?.(0, trajectories.length, 'kinetics');
        await Promise.all(trajectories.map(async (t) => {
          if (await pool.run({ kind: 'trajectory', out: o.out, seed, split: t.split, index: t.index, config })) computedTrajectories++;
          o.onProgress?.(++k, trajectories.length, 'kinetics');
        }));
        o.onProgress?.(done, total, 'samples');
        // One lane per worker and one more, so that a task is always queued for the next free worker: a finished
        // bundle's archive (in a SharedArrayBuffer: task.ts) is written here (at most `workers` writes at once) while
        // the workers make the next bundles, and its buffer goes out again with a later task (at most 2 × workers + 1
        // archives in memory).
        const writer = new BundleWriter(o.out, workers, record);
        let next = 0, running = 0;
        const lane = async (): Promise<void> => {
          while (next < todo.length) {
            const b = todo[next++]!;
            // A task sent while every worker is busy only waits in the queue: it waits for the buffer of an archive
            // being written instead, where there is one, rather than have a worker make a new buffer (~80 MiB of fresh
            // memory, ~0.25 CPU-s of page faults each): 2 workers × 16 bundles made 4–5 buffers before, 3–4 now.
            let buffer = writer.spare.pop();
            while (!buffer && running >= workers && writer.writing > 0) {
              await writer.written();
              buffer = writer.spare.pop();
            }
            running++;
            let r: Pick<MadeBundle, 'sidecar' | 'zip'>;
            try {
              r = await pool.run({ kind: 'bundle', task: { out: o.out, seed, count: o.count, config, bundle: b, cacheDir }, buffer }) as Pick<MadeBundle, 'sidecar' | 'zip'>;
            } finally {
              running--;
            }
            await writer.add(r, new Uint8Array(r.zip.buffer));
          }
        };
        try {
          await Promise.all(Array.from({ length: Math.min(workers + 1, todo.length) }, lane));
        } finally {
          await writer.drain();
        }
      } finally {
        await pool.close();
      }
    }
  } finally {
    setCalibrationCacheDir(previous);
    releaseHeap();
  }
  const summary: ShardSummary = {
    format: DATASET_FORMAT, version: DATASET_VERSION, seed, count: o.count, configHash: configHash(config), config, shard,
    bundles: bundles.map((b) => entries.get(b)!),
  };
  const summaryPath = join(o.out, shardSummaryName(shard));
  await writeFileAtomic(summaryPath, `${JSON.stringify(summary, null, 1)}\n`);
  const result = {
    shard, samples: total, bundles: bundles.length, reusedBundles, calibrations: { needed: calibrationJobs(config).length, computed: jobs.length },
    trajectoriesComputed: computedTrajectories, summaryPath,
  };
  if (shard.count === 1) {
    const m = await mergeDataset(o.out);
    return { ...result, datasetPath: m.datasetPath };
  }
  return result;
}

/**
 * Writes made bundles (writeBundle) in the background while the next ones are made: at most `depth` writes in flight,
 * each holding its archive's buffer until done; then the buffer goes to `spare` (for a later bundle) and `done` records
 * the bundle. A failed write is thrown by the next add() or by drain().
 */
class BundleWriter {
  readonly spare: Uint8Array[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;
  constructor(private readonly out: string, private readonly depth: number, private readonly done: (s: BundleSidecar) => void) {}

  /** Starts writing `m` (waits first while `depth` writes are in flight); `buffer` is the archive's whole buffer. */
  async add(m: Pick<MadeBundle, 'sidecar' | 'zip'>, buffer: Uint8Array): Promise<void> {
    while (this.inFlight.size >= this.depth) await Promise.race(this.inFlight);
    this.check();
    const w: Promise<void> = writeBundle(this.out, m).then(
      () => { this.inFlight.delete(w); this.spare.push(buffer); this.done(m.sidecar); },
      (error: unknown) => { this.inFlight.delete(w); this.failure ??= { error }; },
    );
    this.inFlight.add(w);
  }

  /** Writes in flight. */
  get writing(): number {
    return this.inFlight.size;
  }

  /** Resolves when a write in flight ends (its buffer is then in `spare`, unless it failed). */
  async written(): Promise<void> {
    if (this.inFlight.size > 0) await Promise.race(this.inFlight);
  }

  /** Waits for every write; throws the first failure. */
  async drain(): Promise<void> {
    await Promise.all(this.inFlight);
    this.check();
  }

  private check(): void {
    if (this.failure) throw this.failure.error;
  }
}

/** A parsed shard summary after checking the fields merging relies on (InputError naming the file otherwise). */
function checkedSummary(j: unknown, name: string): ShardSummary {
  const m = j as Partial<ShardSummary> | null;
  const ok = m !== null && typeof m === 'object' && typeof m.format === 'string' && Number.isSafeInteger(m.seed) && Number.isSafeInteger(m.count) && m.count! >= 1
    && typeof m.configHash === 'string' && m.config !== null && typeof m.config === 'object'
    && Array.isArray(m.bundles) && m.bundles.every((e) => e !== null && typeof e === 'object' && Number.isSafeInteger(e.bundle) && e.bundle >= 0 && typeof e.sha256 === 'string');
  if (!ok) throw new InputError(`shard summary ${name}`, typeof j, 'a shard summary written by cathode-twin dataset (format, seed, count, config, bundles)', 'the file is damaged: run that shard again');
  return m as ShardSummary;
}

function entryOf(s: BundleSidecar): BundleEntry {
  return { bundle: s.bundle, file: s.file, sha256: s.sha256, samples: s.samples, first: s.first, split: s.split, files: s.files };
}

/**
 * Merges the shard summaries in `dir` into dataset.json and manifest.jsonl. InputError when the summaries disagree
 * (seed, count, configuration), when a bundle is missing or listed twice, or when a bundle's sidecar is missing.
 */
export async function mergeDataset(dir: string): Promise<{ datasetPath: string; manifestPath: string; shards: number; samples: number }> {
  const names = existsSync(dir) ? readdirSync(dir).filter((f) => /^shard-\d+-of-\d+\.json$/.test(f)).sort() : [];
  if (names.length === 0) throw new InputError('--out', dir, 'a directory holding shard-i-of-N.json files (run the shards first)');
  const ss = names.map((n) => checkedSummary(readJsonFile(join(dir, n), `shard summary ${n}`, 'a dataset shard summary'), n));
  const first = ss[0]!;
  for (const [k, s] of ss.entries()) {
    if (s.format !== DATASET_FORMAT || s.seed !== first.seed || s.count !== first.count || s.configHash !== first.configHash) {
      throw new InputError(`shard summary ${names[k]}`, `seed ${s.seed}, count ${s.count}, config ${s.configHash}`, `the seed, count and configuration of ${names[0]} (seed ${first.seed}, count ${first.count}, config ${first.configHash})`);
    }
  }
  const byIndex = new Map<number, BundleEntry>();
  for (const s of ss) for (const e of s.bundles) {
    const seen = byIndex.get(e.bundle);
    // The same bundle listed by summaries of two shardings of one set (same bytes) is fine; different bytes are not.
    if (seen && seen.sha256 === e.sha256) continue;
    if (seen) throw new InputError('shard summaries', `bundle ${e.bundle}`, 'one content per bundle (summaries of different runs are mixed in this directory)');
    byIndex.set(e.bundle, e);
  }
  const nb = bundleCount(first.count, first.config);
  const missing: number[] = [];
  for (let b = 0; b < nb && missing.length < 10; b++) if (!byIndex.has(b)) missing.push(b);
  if (missing.length) throw new InputError('shards', `missing bundles ${missing.join(', ')}${missing.length === 10 ? ', …' : ''}`, `all ${nb} bundles (run the missing shards)`);
  const lines: string[] = [];
  for (let b = 0; b < nb; b++) {
    const path = join(dir, `${bundleName(b)}.json`);
    if (!existsSync(path)) throw new InputError('shards', `bundle ${b}`, `its sidecar ${bundleName(b)}.json (re-run the shard that makes it)`);
    const s = readJsonFile(path, `bundle sidecar ${bundleName(b)}.json`, 'a bundle sidecar') as BundleSidecar;
    if (!s || typeof s !== 'object' || !Array.isArray(s.rows) || !s.rows.every((r) => typeof r === 'string')) throw new InputError(`bundle sidecar ${bundleName(b)}.json`, typeof s, 'a sidecar written by cathode-twin dataset (rows)', 'the file is damaged: re-run the shard that makes it');
    if (s.sha256 !== byIndex.get(b)!.sha256) throw new InputError('shards', `bundle ${b}`, 'a sidecar matching its shard summary (re-run the shard that makes it)');
    lines.push(...s.rows);
  }
  const bundles = [...byIndex.values()].sort((a, b) => a.bundle - b.bundle);
  const c = first.config;
  const splits = Object.fromEntries(SPLIT_NAMES.map((s) => {
    const bs = bundles.filter((e) => e.split === s);
    return [s, { bundles: bs.map((e) => e.file), samples: bs.reduce((a, e) => a + e.samples, 0) }];
  }));
  const dataset = {
    format: DATASET_FORMAT, version: DATASET_VERSION, seed: first.seed, count: first.count, configHash: first.configHash, config: c,
    image: { size_px: c.size_px, units: 'fraction of the incident beam', pixel: 'per sample (pixel_A array; view.pixel_A in the manifest)' },
    arrays: {
      images: 'float32 (N, H, W): acquired image (Poisson, detector), fraction of the incident beam',
      ideal: 'float32 (N, H, W): noise-free image of the same scan',
      masks: 'uint8 (N, 2, H, W): [0] sublattice class, [1] phase class',
      heatmaps: 'float16 (N, 3, H, W): Gaussian column heat maps, channels as heatmapChannels',
      index: 'int64 (N,): sample index', pixel_A: 'float32 (N,): nominal pixel size, Å',
      columns_offset: 'int64 (N + 1,): rows of sample i in columns', columns: 'float32 (M, 17): column table, fields as columnFields',
    },
    classes: { sublattice: SUBLATTICE_CLASSES, phase: PHASE_CLASSES, heatmapChannels: HEATMAP_CHANNELS },
    kinetics: { share: c.kineticShare, trajectoriesPerSplit: trajectoryCounts(c, first.count), files: 'trajectories/<split>-<index>.bin (JSON header + gzip species per frame)' },
    columnFields: COLUMN_FIELDS,
    splits,
    bundles,
  };
  const datasetPath = join(dir, 'dataset.json'), manifestPath = join(dir, 'manifest.jsonl');
  await writeFileAtomic(manifestPath, lines.join('\n') + '\n');
  await writeFileAtomic(datasetPath, `${JSON.stringify(dataset, null, 1)}\n`);
  return { datasetPath, manifestPath, shards: names.length, samples: lines.length };
}
