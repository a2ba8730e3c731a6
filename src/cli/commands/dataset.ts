/**
 * `cathode-twin dataset`: labelled synthetic HAADF training data (src/twin/dataset). Deterministic per sample, so
 * `--shard i/N` on N machines (Slurm array, Kubernetes indexed job) gives exactly the samples of one run; each shard
 * writes its manifest; `--merge` joins them. Re-running resumes: verified samples are kept.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { checkSeed, checkWorkers, withCommon, withMicroscope } from '../options.js';
import { constants as bufferConstants } from 'node:buffer';
import { InputError, checkOutPath, createProgress, guardDisk, guardSize, lockOutDir, parseQuantity, parseQuantityList } from '../../core/index.js';

const MAX_STRING_LENGTH = bufferConstants.MAX_STRING_LENGTH;
import { DEFAULT_DATASET_CONFIG, type DatasetConfig, checkDatasetConfig } from '../../twin/dataset/params.js';
import { generateDataset, mergeManifests, parseShard, type Shard } from '../../twin/dataset/generate.js';

export interface DatasetArgs {
  count?: number; out: string; shard: string; seed: number; size: string; pixel: string; zones: string; thicknesses: string; defoci: string;
  dose: string; workers: number; merge: boolean; resume: boolean; json: boolean; quiet: boolean;
}

/** Parsed, checked plan. */
export interface DatasetPlan { count: number; shard: Shard; seed: number; config: DatasetConfig; workers: number }

/** Parses and checks the arguments (InputError naming the option); nothing is written. */
export function datasetPlan(a: DatasetArgs): DatasetPlan {
  checkOutPath(a.out, 'dir', '--out');
  if (a.count === undefined || !Number.isInteger(a.count) || a.count < 1 || a.count > 1e9) throw new InputError('--count', a.count ?? '(missing)', 'an integer 1…1e9');
  checkSeed(a.seed);
  checkWorkers(a.workers);
  const m = /^\s*(\d+)\s*(px|pixels?)?\s*$/.exec(a.size);
  if (!m) throw new InputError('--size', a.size, 'an image side in pixels, e.g. "64 px"');
  const pixel_A = parseQuantity(a.pixel, 'length', '--pixel');
  const zones = a.zones.split(',').map((z) => z.trim().replace(/^\[|\]$/g, ''));
  for (const z of zones) if (z !== '210' && z !== '100' && z !== '110') throw new InputError('--zones', a.zones, 'a comma list of 210, 100, 110');
  const thicknesses_A = parseQuantityList(a.thicknesses, 'length', '--thicknesses');
  const defoci_A = parseQuantityList(a.defoci, 'length', '--defoci');
  const dose = parseQuantityList(a.dose, 'dose', '--dose', 2);
  const config: DatasetConfig = {
    ...DEFAULT_DATASET_CONFIG, size_px: Number(m[1]), pixel_A, zones: zones as DatasetConfig['zones'], thicknesses_A, defoci_A, dose_ePerA2: [dose[0]!, dose[1]!],
  };
  try {
    checkDatasetConfig(config);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`--${e.field}`, e.value, e.allowed, e.hint);
    throw e;
  }
  const shard = parseShard(a.shard);
  guardDatasetSize(a, config, shard);
  return { count: a.count, shard, seed: a.seed, config, workers: a.workers };
}

/** Sizes first: the shard's manifest (one JSON text, ≈ 1 kB per sample), the driver's memory and the disk. */
function guardDatasetSize(a: DatasetArgs, config: DatasetConfig, shard: Shard): void {
  const n = Math.ceil((a.count! - shard.index) / shard.count);
  const split = (max: number): string => `split the set with --shard i/N, N ≥ ${Math.ceil(a.count! / Math.max(1, max))}`;
  guardSize({ field: '--count', value: a.count, what: 'samples in one shard', count: n, heapBytesEach: 2048, maxCount: Math.floor(MAX_STRING_LENGTH / 1024), maxReason: 'the shard manifest, one JSON text of at most 512 MiB', fit: split });
  guardDisk({ field: '--count', value: a.count, what: 'samples in this shard', count: n, bytesEach: 10 * config.size_px ** 2 + 12_000, path: a.out });
}

/** The command's work; returns the JSON result. */
export async function runDataset(a: DatasetArgs, print: (s: string) => void = (s) => process.stdout.write(s)): Promise<Record<string, unknown>> {
  if (a.merge) {
    checkOutPath(a.out, 'dir', '--out');
    const lock = lockOutDir(a.out, 'dataset --merge', '--out', { name: 'merge' });
    try {
      const { manifest, shards, path } = await mergeManifests(a.out);
      const r = { manifest: path, shards, samples: manifest.samples.length, seed: manifest.seed };
      print(a.json ? `${JSON.stringify(r)}\n` : `merged ${shards} shard manifests → ${path} (${r.samples} samples)\n`);
      return r;
    } finally {
      lock.release();
    }
  }
  const plan = datasetPlan(a);
  // Shards share the folder: one lock per shard (a second writer of the same shard is refused).
  const lock = lockOutDir(a.out, `dataset --count ${plan.count} --shard ${plan.shard.index}/${plan.shard.count} --seed ${plan.seed}`, '--out', { name: `shard-${plan.shard.index}-of-${plan.shard.count}` });
  try {
    return await runShard(a, plan, print);
  } finally {
    lock.release();
  }
}

async function runShard(a: DatasetArgs, plan: DatasetPlan, print: (s: string) => void): Promise<Record<string, unknown>> {
  const progress = createProgress({ label: `dataset shard ${plan.shard.index}/${plan.shard.count}`, total: 1, quiet: a.quiet || a.json });
  const t0 = performance.now();
  const { manifest, reused, path } = await generateDataset({
    out: a.out, count: plan.count, seed: plan.seed, shard: plan.shard, config: plan.config, workers: plan.workers, resume: a.resume,
    onSample: (d, t) => progress.update(d / t),
  });
  progress.stop();
  const seconds = (performance.now() - t0) / 1e3;
  const generated = manifest.samples.length - reused;
  const r = { manifest: path, shard: plan.shard, samples: manifest.samples.length, generated, reused, seconds, samplesPerSecond: generated / seconds };
  print(a.json ? `${JSON.stringify(r)}\n` : `wrote ${generated} samples (${reused} verified and kept) of shard ${plan.shard.index}/${plan.shard.count} in ${seconds.toFixed(1)} s → ${path}\n`);
  return r;
}

const command: CommandModule<object, DatasetArgs> = {
  command: 'dataset',
  describe: 'Generate labelled synthetic HAADF training data (images, column labels, sublattice/phase masks, metadata), shardable and resumable',
  builder: (y: Argv) =>
    withCommon(y, { out: { demand: true, describe: 'output directory (samples/, manifest-shard-i-of-N.json, manifest.json)' }, seed: { default: 0, describe: 'seed of the set (sample k uses its own stream of the seed)' }, workers: {}, quiet: {}, json: {} })
      .option('count', { type: 'number', describe: 'total samples in the set (all shards)' })
      .option('shard', { type: 'string', default: '0/1', describe: 'this shard "i/N": samples with index ≡ i (mod N)' })
      .option('size', { type: 'string', default: '64 px', describe: 'image side [px]' })
      .option('pixel', { type: 'string', default: '0.25 Å', describe: 'pixel size [Å]' })
      .option('zones', { type: 'string', default: '210,100,110', describe: 'zone axes drawn from' })
      .option('thicknesses', { type: 'string', default: '30,50 Å', describe: 'lamella thicknesses drawn from [Å] (each costs one calibration per element)' })
      .option('defoci', { type: 'string', default: '-20,0,20 Å', describe: 'defocus values drawn from [Å]' })
      .option('dose', { type: 'string', default: '2000,100000 e/Å^2', describe: 'dose range MIN,MAX (log-uniform) [e⁻/Å²]' })
      .option('merge', { type: 'boolean', default: false, describe: 'merge the shard manifests in --out into manifest.json' })
      .option('resume', { type: 'boolean', default: true, describe: 'keep samples whose files exist and match their recorded SHA-256 (--no-resume regenerates)' }) as unknown as Argv<DatasetArgs>,
  handler: async (argv: ArgumentsCamelCase<DatasetArgs>) => {
    await runDataset(argv);
  },
};

export default command;
