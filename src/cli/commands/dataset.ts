/**
 * `cathode-twin dataset`: labelled synthetic HAADF training data at scale (src/twin/dataset): NumPy bundles (images,
 * noise-free images, sublattice/phase masks, heat maps, column tables), optional per-sample TIFF/PNG/CSV files, a JSONL
 * manifest and a train/validation/test split. Deterministic per bundle, so `--shard i/N` on N machines (Slurm array,
 * Kubernetes indexed Job) gives exactly the bundles of one run; `--merge` joins the shards. Re-running resumes.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { checkSeed, checkWorkers, withCommon, withMicroscope } from '../options.js';
import { InputError, type QuantityKind, createProgress, parseQuantity, parseQuantityList, parseQuantityRange } from '../../core/index.js';
import { ZONE_AXES, parseZone } from '../../lattice/index.js';
import {
  DATASET_FORMATS, DEFAULT_DATASET_CONFIG, type DatasetConfig, type DatasetFormat, PATCH_PHASES, type PatchPhase, type Range, type Shard,
  checkDatasetConfig, generateDataset, mergeDataset, parseShard,
} from '../../twin/dataset/index.js';

export interface DatasetArgs {
  count?: number; out: string; shard: string; seed: number; workers: number; merge: boolean; resume: boolean; json: boolean; quiet: boolean;
  cacheDir?: string;
  [option: string]: unknown;
}

/** Parsed, checked plan. */
export interface DatasetPlan { count: number; shard: Shard; seed: number; config: DatasetConfig; workers: number; cacheDir: string | null }

/** Default calibration cache: $CATHODE_TWIN_CACHE, else $XDG_CACHE_HOME/cathode-twin, else ~/.cache/cathode-twin. */
export function defaultCacheDir(): string {
  return process.env.CATHODE_TWIN_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'cathode-twin');
}

const D = DEFAULT_DATASET_CONFIG;
const fmt = (r: Range, unit = ''): string => (r[0] === r[1] ? `${r[0]}${unit ? ` ${unit}` : ''}` : `${r[0]},${r[1]}${unit ? ` ${unit}` : ''}`);

/** A range "MIN,MAX unit" or one value "V unit" (= MIN = MAX), in canonical units. */
function range(text: unknown, kind: QuantityKind | null, field: string, integer = false): Range {
  const s = String(text ?? '').trim();
  const allowed = `one value or a range MIN,MAX${kind ? ' with a unit' : ''}${integer ? ' (integers)' : ''}`;
  let v: number[];
  try {
    if (kind === null) v = s.split(',').map((p) => { const x = Number(p.trim()); if (p.trim() === '' || !Number.isFinite(x)) throw new InputError(field, text, allowed); return x; });
    else v = s.includes(',') ? parseQuantityList(s, kind, field) : [parseQuantity(s, kind, field)];
  } catch (e) {
    if (e instanceof InputError) throw new InputError(field, text, allowed, e.hint);
    throw e;
  }
  if (v.length === 1) v = [v[0]!, v[0]!];
  if (v.length !== 2) throw new InputError(field, text, allowed);
  return [v[0]!, v[1]!];
}

function number(text: unknown, field: string): number {
  const x = typeof text === 'number' ? text : Number(String(text).trim());
  if (!Number.isFinite(x) || String(text).trim() === '') throw new InputError(field, text, 'a number');
  return x;
}

function list<T extends string>(text: unknown, field: string, allowed: readonly T[]): T[] {
  const items = String(text ?? '').split(',').map((p) => p.trim().replace(/^\[|\]$/g, '')).filter((p) => p !== '');
  for (const it of items) if (!(allowed as readonly string[]).includes(it)) throw new InputError(field, text, `a comma list of ${allowed.join(', ')}`);
  if (items.length === 0) throw new InputError(field, text, `a comma list of ${allowed.join(', ')}`);
  return items as T[];
}

/** Parses and checks the arguments (InputError naming the option); nothing is written. */
export function datasetPlan(a: DatasetArgs): DatasetPlan {
  if (a.count === undefined || !Number.isInteger(a.count) || a.count < 1 || a.count > 1e9) throw new InputError('--count', a.count, 'an integer 1…1e9');
  checkSeed(a.seed);
  checkWorkers(a.workers);
  const shard = parseShard(a.shard);
  const g = (k: string): unknown => a[k];
  const size = /^\s*(\d+)\s*(px|pixels?)?\s*$/.exec(String(g('size')));
  if (!size) throw new InputError('--size', g('size'), 'an image side in pixels, e.g. "256 px"');
  const zones = String(g('zones')).split(',').map((z) => z.trim().replace(/^\[|\]$/g, '')).filter((z) => z !== '');
  if (zones.length === 0) throw new InputError('--zones', g('zones'), `a comma list of ${ZONE_AXES.join(', ')}`);
  for (const z of zones) parseZone(z, '--zones');
  const det = parseQuantityRange(String(g('detector')), 'angle', '--detector');
  const split = String(g('split')).split(',').map((p) => Number(p.trim()));
  const config: DatasetConfig = {
    ...D,
    size_px: Number(size[1]),
    pixel_A: range(g('pixel'), 'length', '--pixel'),
    rotation_deg: range(g('rotation'), null, '--rotation'),
    zones: zones as DatasetConfig['zones'],
    thickness_A: range(g('thickness'), 'length', '--thickness'),
    niFraction: range(g('niFraction'), null, '--ni-fraction'),
    mixing: range(g('mixing'), null, '--mixing'),
    liContent: range(g('liContent'), null, '--li-content'),
    poreProbability: number(g('poreProbability'), '--pore-probability'),
    poreRadius_A: range(g('poreRadius'), 'length', '--pore-radius'),
    apbProbability: number(g('apbProbability'), '--apb-probability'),
    patchesPerSpecimen: number(g('patches'), '--patches'),
    patchRadius_A: range(g('patchRadius'), 'length', '--patch-radius'),
    patchPhases: list<PatchPhase>(g('patchPhases'), '--patch-phases', PATCH_PHASES),
    samplesPerSpecimen: number(g('samplesPerSpecimen'), '--samples-per-specimen'),
    kineticShare: number(g('kineticShare'), '--kinetic-share'),
    kinetics: {
      ...D.kinetics,
      protocols: list<'seed' | 'drying'>(g('kineticProtocols'), '--kinetic-protocols', ['seed', 'drying']),
      lamellaSize_A: parseQuantity(String(g('kineticLamella')), 'length', '--kinetic-lamella'),
      thickness_A: parseQuantity(String(g('kineticThickness')), 'length', '--kinetic-thickness'),
      samplesPerTrajectory: number(g('samplesPerTrajectory'), '--samples-per-trajectory'),
      poreRadius_A: range(g('kineticPoreRadius'), 'length', '--kinetic-pore-radius'),
      apbProbability: number(g('kineticApbProbability'), '--kinetic-apb-probability'),
    },
    energy_eV: parseQuantity(String(g('energy')), 'voltage', '--energy'),
    semiangle_mrad: parseQuantity(String(g('semiangle')), 'angle', '--semiangle'),
    detector_mrad: det,
    Cs_A: parseQuantity(String(g('cs')), 'length', '--cs'),
    defocus_A: range(g('defocus'), 'length', '--defocus'),
    defocusNodeStep_A: parseQuantity(String(g('defocusNodeStep')), 'length', '--defocus-node-step'),
    sourceSize_A: range(g('sourceSize'), 'length', '--source-size'),
    phonons: number(g('phonons'), '--phonons'),
    dose_ePerA2: range(g('dose'), 'dose', '--dose'),
    frames: range(g('frames'), null, '--frames', true),
    drift_APerFrame: parseQuantity(String(g('drift')), 'length', '--drift'),
    driftWalk_APerFrame: parseQuantity(String(g('driftWalk')), 'length', '--drift-walk'),
    hum_A: range(g('hum'), 'length', '--hum'),
    humPeriod_lines: range(g('humPeriod'), null, '--hum-period'),
    gain: number(g('gain'), '--gain'),
    offset: number(g('offset'), '--offset'),
    readNoise: number(g('readNoise'), '--read-noise'),
    calibrationSampling_A: parseQuantity(String(g('calibrationSampling')), 'length', '--calibration-sampling'),
    lineJitter_A: range(g('jitter'), 'length', '--jitter'),
    scanDistortion: number(g('scanDistortion'), '--scan-distortion'),
    prismShare: number(g('prismShare'), '--prism-share'),
    heatmapSigma_A: parseQuantity(String(g('heatmapSigma')), 'length', '--heatmap-sigma'),
    bundleSize: number(g('bundleSize'), '--bundle-size'),
    split: split as unknown as DatasetConfig['split'],
    formats: list<DatasetFormat>(g('format'), '--format', DATASET_FORMATS),
  };
  checkDatasetConfig(config);
  const cd = a.cacheDir ?? defaultCacheDir();
  return { count: a.count, shard, seed: a.seed, config, workers: a.workers, cacheDir: cd === 'none' ? null : cd };
}

/** The command's work; returns the JSON result. */
export async function runDataset(a: DatasetArgs, print: (s: string) => void = (s) => process.stdout.write(s)): Promise<Record<string, unknown>> {
  if (a.merge) {
    const m = await mergeDataset(a.out);
    const r = { dataset: m.datasetPath, manifest: m.manifestPath, shards: m.shards, samples: m.samples };
    print(a.json ? `${JSON.stringify(r)}\n` : `merged ${m.shards} shard summaries → ${m.datasetPath}, ${m.manifestPath} (${m.samples} samples)\n`);
    return r;
  }
  const plan = datasetPlan(a);
  const quiet = a.quiet || a.json;
  let bar: ReturnType<typeof createProgress> | undefined, stage = '';
  const t0 = performance.now();
  const r = await generateDataset({
    out: a.out, count: plan.count, seed: plan.seed, shard: plan.shard, config: plan.config, workers: plan.workers, resume: a.resume, cacheDir: plan.cacheDir,
    onProgress: (d, t, s) => {
      if (s !== stage) {
        bar?.stop();
        stage = s;
        bar = t > 0 ? createProgress({ label: s === 'calibration' ? 'column calibrations (multislice, cached)' : s === 'kinetics' ? 'KMC trajectories (forward model)' : `dataset shard ${plan.shard.index}/${plan.shard.count}`, total: t, quiet }) : undefined;
      }
      bar?.update(d);
    },
  });
  bar?.stop();
  const seconds = (performance.now() - t0) / 1e3;
  const generated = r.samples - r.reusedBundles * plan.config.bundleSize;
  const out = { ...r, seconds, samplesPerSecond: Math.max(0, generated) / seconds };
  print(a.json ? `${JSON.stringify(out)}\n` : `shard ${plan.shard.index}/${plan.shard.count}: ${r.bundles} bundles, ${r.samples} samples (${r.reusedBundles} bundles verified and kept; ${r.calibrations.computed} column calibrations computed) in ${seconds.toFixed(1)} s → ${r.datasetPath ?? r.summaryPath}\n`);
  return out;
}

const command: CommandModule<object, DatasetArgs> = {
  command: 'dataset',
  describe: 'Generate labelled synthetic HAADF training data (NumPy bundles, optional per-sample files, JSONL manifest, train/val/test split), shardable and resumable',
  builder: (y: Argv) => {
    const o = (name: string, def: string, describe: string) => ({ [name]: { type: 'string' as const, default: def, describe } });
    let b = withMicroscope(withCommon(y, {
      out: { demand: true, describe: 'output directory (bundles/, samples/, dataset.json, manifest.jsonl, shard-i-of-N.json)' },
      seed: { default: 0, describe: 'seed of the set' }, workers: {}, quiet: {}, json: {},
    }))
      .option('count', { type: 'number', describe: 'samples in the set (all shards)' })
      .option('shard', { type: 'string', default: '0/1', describe: 'this shard "i/N": the bundles b ≡ i (mod N)' })
      .option('merge', { type: 'boolean', default: false, describe: 'merge the shard summaries in --out into dataset.json and manifest.jsonl' })
      .option('resume', { type: 'boolean', default: true, describe: 'keep bundles whose files match their recorded SHA-256 (--no-resume remakes them)' })
      .option('cache-dir', { type: 'string', describe: `column-calibration cache shared by runs and workers (default ${'$CATHODE_TWIN_CACHE'} or ~/.cache/cathode-twin; "none": memory only)` });
    const opts = {
      ...o('size', `${D.size_px} px`, 'image side [px]'),
      ...o('pixel', `${fmt(D.pixel_A, 'Å')}`, 'pixel size range MIN,MAX [Å] (uniform)'),
      ...o('rotation', fmt(D.rotation_deg), 'in-plane rotation range [degrees] (uniform)'),
      ...o('zones', D.zones.join(','), `zone axes (${ZONE_AXES.join(', ')})`),
      ...o('thickness', fmt(D.thickness_A, 'Å'), 'lamella thickness range [Å]'),
      ...o('ni-fraction', fmt(D.niFraction), 'Ni share of the TM sites, range'),
      ...o('mixing', fmt(D.mixing), 'Li/Ni mixing (Ni on Li-layer sites), range'),
      ...o('li-content', fmt(D.liContent), 'Li content of the Li layers, range'),
      ...o('pore-probability', String(D.poreProbability), 'probability of a nanopore per specimen'),
      ...o('pore-radius', fmt(D.poreRadius_A, 'Å'), 'pore radius range [Å]'),
      ...o('apb-probability', String(D.apbProbability), 'probability of an APB per [210] specimen'),
      ...o('patches', String(D.patchesPerSpecimen), 'mean product-phase patches per specimen (Poisson)'),
      ...o('patch-radius', fmt(D.patchRadius_A, 'Å'), 'patch radius range [Å]'),
      ...o('patch-phases', D.patchPhases.join(','), `patch phases (${PATCH_PHASES.join(', ')})`),
      ...o('samples-per-specimen', String(D.samplesPerSpecimen), 'views cut from one synthetic specimen (rotations, crops, optics, noise)'),
      ...o('kinetic-share', String(D.kineticShare), 'share of kinetics-evolved samples (frames of forward-model trajectories), 0…1'),
      ...o('kinetic-protocols', D.kinetics.protocols.join(','), 'temperature programmes of the trajectories: seed (staircase to 500 °C), drying'),
      ...o('kinetic-lamella', `${D.kinetics.lamellaSize_A} Å`, 'lateral size of a trajectory lamella [Å]'),
      ...o('kinetic-thickness', `${D.kinetics.thickness_A} Å`, 'thickness of a trajectory lamella [Å]'),
      ...o('samples-per-trajectory', String(D.kinetics.samplesPerTrajectory), 'samples served by one KMC trajectory (its cost is paid once)'),
      ...o('kinetic-pore-radius', fmt(D.kinetics.poreRadius_A, 'Å'), 'pore radius range of a trajectory lamella [Å]'),
      ...o('kinetic-apb-probability', String(D.kinetics.apbProbability), 'probability of an APB at the pore edge per trajectory'),
      ...o('cs', `${D.Cs_A} Å`, 'spherical aberration Cs = C30 [Å]'),
      ...o('defocus', fmt(D.defocus_A, 'Å'), 'defocus range [Å] (1 Å grid; positive = underfocus)'),
      ...o('defocus-node-step', `${D.defocusNodeStep_A} Å`, 'largest step between calibrated defocus nodes [Å] (cross-sections interpolated between them)'),
      ...o('source-size', fmt(D.sourceSize_A, 'Å'), 'Gaussian source size σ range [Å]'),
      ...o('phonons', String(D.phonons), 'frozen-phonon configurations of the column calibrations and the PRISM share (0 = static)'),
      ...o('dose', fmt(D.dose_ePerA2, 'e/Å^2'), 'total dose range [e⁻/Å²] (log-uniform)'),
      ...o('frames', fmt(D.frames), 'fast frames per image, integer range (registered and summed)'),
      ...o('drift', `${D.drift_APerFrame} Å`, 'r.m.s. linear drift per frame and axis [Å]'),
      ...o('drift-walk', `${D.driftWalk_APerFrame} Å`, 'largest random-walk drift r.m.s. per frame [Å]'),
      ...o('jitter', fmt(D.lineJitter_A, 'Å'), 'scan-line jitter r.m.s. range [Å]'),
      ...o('hum', fmt(D.hum_A, 'Å'), 'line-synchronous oscillation (mains pick-up) amplitude range [Å]'),
      ...o('hum-period', fmt(D.humPeriod_lines), 'hum period range [scan lines]'),
      ...o('gain', String(D.gain), 'detector gain [counts per electron]'),
      ...o('offset', String(D.offset), 'detector offset [counts per frame]'),
      ...o('read-noise', String(D.readNoise), 'Gaussian read noise [counts r.m.s. per frame]'),
      ...o('calibration-sampling', `${D.calibrationSampling_A} Å`, 'wave sampling of the column calibrations and the PRISM share [Å] (≤ 0.045 Å resolves 180 mrad at 200 kV)'),
      ...o('scan-distortion', String(D.scanDistortion), 'largest relative scan scale error and shear (0.02 = 2 %)'),
      ...o('prism-share', String(D.prismShare), 'share of samples imaged by PRISM instead of the fast incoherent model (slow), 0…1'),
      ...o('heatmap-sigma', `${D.heatmapSigma_A} Å`, 'σ of the Gaussian heat-map peaks [Å]'),
      ...o('bundle-size', String(D.bundleSize), 'samples per .npz bundle (a multiple of --samples-per-specimen)'),
      ...o('split', D.split.join(','), 'train,val,test shares (assigned per bundle)'),
      ...o('format', D.formats.join(','), `outputs: ${DATASET_FORMATS.join(', ')} (files: TIFF/PNG/CSV/JSON per sample, slower)`),
    };
    for (const [k, v] of Object.entries(opts)) b = b.option(k, v);
    return b as unknown as Argv<DatasetArgs>;
  },
  handler: async (argv: ArgumentsCamelCase<DatasetArgs>) => {
    await runDataset(argv);
  },
};

export default command;
