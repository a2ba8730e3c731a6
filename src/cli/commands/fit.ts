/**
 * `cathode-twin fit`: learn barriers, the μ_O offset and onset temperatures from an image series (or a
 * timeline of observed onsets) with honest uncertainty, by simulation-based inference on the one forward
 * model (src/twin/fit).
 *
 * Everything is read and checked before anything is written: bad input exits with an InputError naming
 * the option (status 2) and leaves --out untouched. The fit's state lives in <out>/.fit (one file per
 * finished simulation), so a killed fit resumes where it stopped; --shard i/N runs one slice of the
 * current round (Slurm array task, Kubernetes indexed Job) and --merge checks the round, plans the next
 * or writes the posterior.
 */
import { existsSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { checkSeed, checkWorkers, withCommon } from '../options.js';
import { checkOutPath, createProgress, InputError, lockOutDir, OutputStage, parseQuantity, parseShard as parseCoreShard } from '../../core/index.js';
import { zoneCell } from '../../twin/analyse/index.js';
import { INTENSITY_MODES, normaliseIntensity, readSeries, type IntensityMode } from '../../twin/series/index.js';
import {
  allocateBudget, analyseObservedSeries, defaultBudget, DEFAULT_FIT_PARAMS, FIT_STATISTICS, fitSpace, frameTimes, loadFitScenario, parsePriorRange, readTimeline, runFit, seriesProblem, seriesTemperatures_K, timelineProblem,
  trainingSet, writeFitOutputs, type FitAnalysisOptions, type FitSettings, type PreparedFit,
} from '../../twin/fit/index.js';

export interface FitArgs {
  series?: string[];
  sidecar?: string;
  'pixel-size'?: string;
  normalise: string;
  scenario?: string;
  params?: string;
  prior?: string[];
  budget?: number;
  replicates?: number;
  'refine-replicates': number;
  predictive: number;
  timeline?: string;
  statistics?: string;
  zone: string;
  rim: string;
  apb: string;
  shard?: string;
  merge: boolean;
  out: string;
  seed?: number;
  workers: number;
  quiet: boolean;
  json: boolean;
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** "i/N" → {index, count} (core parseShard, one parser for every verb); InputError `--shard` otherwise. */
export function parseShard(v: string | undefined): { index: number; count: number } | undefined {
  return v === undefined ? undefined : parseCoreShard(v);
}

/** Everything a fit needs, read and checked (nothing written yet). */
export interface PreparedFitCommand {
  prep: PreparedFit;
  space: ReturnType<typeof fitSpace>;
  settings: FitSettings;
  inputs: Record<string, unknown>;
  scenarioName: string;
  seriesInfo?: { width: number; height: number; pixelSize_A?: number };
}

/** Reads and checks the inputs of a fit (InputError naming the option on bad input); writes nothing. */
export async function prepareFitCommand(a: FitArgs): Promise<PreparedFitCommand> {
  // 1. Options (nothing read yet).
  const out = checkOutPath(a.out, 'dir');
  const seed = checkSeed(a.seed) ?? 0;
  const workers = checkWorkers(a.workers);
  const shard = parseShard(a.shard);
  if (shard && a.merge) throw new InputError('--merge', true, 'either --shard i/N or --merge, not both');
  if (a.timeline !== undefined && a.series !== undefined) throw new InputError('--timeline', a.timeline, 'either --series (an image series) or --timeline (observed onsets), not both');
  if (a.timeline === undefined && (!a.series || a.series.length === 0)) throw new InputError('--series', a.series, 'an image series (a run\'s frames.tif, a TIFF/DM/EMD/HSPY/MRC/NPY stack, or a folder of frames), or --timeline F');
  if (!Number.isInteger(a.predictive) || a.predictive < 0 || a.predictive > 64) throw new InputError('--predictive', a.predictive, 'an integer 0 … 64 (forward runs for the posterior-predictive frames)');
  zoneCell(a.zone);
  const rim_A = parseQuantity(a.rim, 'length', '--rim');
  const apb_A = parseQuantity(a.apb, 'length', '--apb');
  const mode = a.normalise as IntensityMode;
  if (!INTENSITY_MODES.includes(mode)) throw new InputError('--normalise', a.normalise, INTENSITY_MODES.join(', '));
  // 2. Scenario, parameters, priors, budget.
  const { scenario, fit: section, path: scenarioPath } = loadFitScenario(a.scenario);
  const names = a.params !== undefined ? a.params.split(',').map((s) => s.trim()).filter(Boolean) : (section.params ?? [...DEFAULT_FIT_PARAMS]);
  const priors: Record<string, [number, number]> = { ...(section.priors ?? {}) };
  for (const [i, p] of (a.prior ?? []).entries()) {
    const m = /^([A-Za-z][A-Za-z0-9_]*)\s*=\s*(.+)$/.exec(p);
    if (!m) throw new InputError(`--prior[${i}]`, p, 'name=low:high, e.g. o2Release=1.3:1.6 or muOOffset="-1.3:-0.8 eV"');
    priors[m[1]!] = parsePriorRange(m[1]!, m[2]!, `--prior ${m[1]}`);
  }
  const space = fitSpace(names, priors);
  const budget = a.budget ?? section.budget ?? defaultBudget(space.dim);
  const replicates = a.replicates ?? section.replicates ?? 2;
  allocateBudget(budget, space.dim, replicates, a['refine-replicates']);
  const statistics = a.statistics !== undefined ? a.statistics.split(',').map((s) => s.trim()).filter(Boolean) : (section.statistics ?? [...FIT_STATISTICS]);
  const analysisOptions: FitAnalysisOptions = { zone: a.zone, rim_A, apb_A };
  // 3. The observation.
  let prep: PreparedFit;
  let seriesInfo: { width: number; height: number; pixelSize_A?: number } | undefined;
  const quiet = a.quiet || a.json;
  if (a.timeline !== undefined) {
    prep = timelineProblem({ scenario, space, timeline: readTimeline(a.timeline), analysisOptions });
  } else {
    const first = a.series![0]!;
    const beside = first.replace(/[^/\\]+$/, 'frames.json');
    const sidecar = a.sidecar ?? (existsSync(beside) && /frames\.tiff?$/i.test(first) ? beside : undefined);
    const pixel = a['pixel-size'] === undefined ? undefined : parseQuantity(a['pixel-size'], 'length', '--pixel-size');
    const series = await readSeries(a.series!.length === 1 ? first : a.series!, { field: '--series', ...(sidecar ? { sidecar } : {}), ...(pixel !== undefined ? { pixelSize_A: pixel } : {}) });
    if (!series.pixelSize_A) throw new InputError('--pixel-size', undefined, `the pixel size: ${first} carries no calibration and no sidecar gives one; pass e.g. --pixel-size "0.25 Å"`);
    frameTimes(scenario, seriesTemperatures_K(series.meta)); // temperatures present, ascending and covered by the protocol: checked before the analysis
    const norm = normaliseIntensity(series, { mode, gain: 1, offset: 0 });
    if (norm.intensity !== 'fraction') throw new InputError('--normalise', a.normalise, 'an intensity in fraction of the beam (fraction, counts with doses, or detector): the simulated frames are, and the pore and its rim need the vacuum level', norm.notes.join('; '));
    const progress = createProgress({ label: 'analyse series', total: series.frames.length, quiet });
    let observed;
    try {
      observed = analyseObservedSeries(norm.frames, series.width, series.height,
        { pixelX_A: series.pixelSize_A, pixelY_A: series.pixelSizeY_A ?? series.pixelSize_A, intensity: norm.intensity, ...(norm.vacuumLevel !== undefined ? { vacuumLevel: norm.vacuumLevel } : {}) },
        { zone: a.zone, rim_A, apb_A }, (d) => progress.update(d));
    } finally {
      progress.stop();
    }
    prep = seriesProblem({ scenario, space, meta: series.meta, observables: observed.observables, analysisOptions, statistics });
    prep.notes.push(...norm.notes, ...observed.notes, ...(series.warnings ?? []).map((w) => `series: ${w}`));
    seriesInfo = { width: series.width, height: series.height, pixelSize_A: series.pixelSize_A };
  }
  const inputs = {
    series: a.series ?? null, sidecar: a.sidecar ?? null, timeline: a.timeline ?? null, scenario: scenarioPath, params: space.names, priors: Object.fromEntries(space.parameters.map((p) => [p.name, p.prior])),
    budget, replicates, refineReplicates: a['refine-replicates'], statistics: prep.spec.statistics, seed, version: packageVersion(),
  };
  const settings: FitSettings = { outDir: out, seed, budget, replicates, refineReplicates: a['refine-replicates'], workers, quiet, ...(shard ? { shard } : {}), merge: a.merge };
  return { prep, space, settings, inputs, scenarioName: scenario.name, ...(seriesInfo ? { seriesInfo } : {}) };
}

/** The fit's work; returns the JSON result (see the handler for what is printed). */
export async function runFitCommand(a: FitArgs, print: (s: string) => void = (s) => process.stdout.write(s)): Promise<Record<string, unknown>> {
  const { prep, space, settings, inputs, scenarioName, seriesInfo } = await prepareFitCommand(a);
  const { outDir: out, seed, workers } = settings;
  const shard = settings.shard;
  // Shards only add simulation files, each under its own named lock (a second process of the same shard is
  // refused, other shards share the folder); everything else holds the folder's lock.
  if (shard) {
    const shardLock = lockOutDir(out, `fit --shard ${shard.index}/${shard.count}`, '--out', { name: `fit-shard-${shard.index}-of-${shard.count}` });
    try {
      const r = await runFit(prep.problem, settings);
      const res = { status: r.status, ...(r.status === 'shard-done' ? { round: r.round, simulations: r.ran, simulatedThisCall: r.simulatedThisCall } : {}) };
      print(a.json ? `${JSON.stringify(res)}\n` : `fit shard ${shard.index}/${shard.count}: ${JSON.stringify(res)}\n`);
      return res;
    } finally {
      shardLock.release();
    }
  }
  const lock = lockOutDir(out, `fit ${a.timeline !== undefined ? `--timeline ${a.timeline}` : `--series ${a.series!.join(' ')}`}`);
  try {
    const r = await runFit(prep.problem, settings);
    if (r.status === 'next-round') {
      const res = { status: r.status, round: r.round, simulations: r.simulations, next: 'run the shards again (same inputs), then --merge' };
      print(a.json ? `${JSON.stringify(res)}\n` : `fit: round ${r.round} planned (${r.simulations} simulations): run the shards again with the same inputs, then --merge\n`);
      return res;
    }
    if (r.status !== 'done') return { status: r.status };
    const dropped = trainingSet(prep.problem, r.result.records, space.dim).dropped;
    const stage = OutputStage.open(out, 'fit'); // fit's own set: never replaces another verb's files (e.g. a run's)
    const title = `cathode-twin fit: ${a.timeline !== undefined ? `timeline ${a.timeline}` : a.series!.join(', ')} (${scenarioName})`;
    const { posterior, files } = await writeFitOutputs(stage, r.result, prep, { seed, inputs, dropped, predictiveDraws: a.predictive, workers: workers ?? 1, ...(seriesInfo ? { series: seriesInfo } : {}), title });
    stage.commit();
    const res = { status: 'done', out, simulations: posterior.simulations, parameters: posterior.parameters, onsets: posterior.onsets, diagnostics: { converged: (posterior.diagnostics as { converged: boolean }).converged, warnings: (posterior.diagnostics as { warnings: string[] }).warnings }, files };
    if (a.json) print(`${JSON.stringify(res, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`);
    else {
      const lines = [`wrote ${out}/ (${files.join(', ')}) from ${posterior.simulations} simulations`];
      for (const [n, p] of Object.entries(posterior.parameters)) lines.push(`  ${n.padEnd(20)} ${+p.median.toPrecision(4)} ${p.unit}  90 %: ${+p.ci90[0].toPrecision(4)} – ${+p.ci90[1].toPrecision(4)}  (default ${p.default}${p.supportsDefault ? ', supported' : ', outside'})`);
      for (const st of ['liSiteRim', 'liSiteRimImage']) {
        const o = posterior.onsets[st];
        if (o) lines.push(`  onset ${st.padEnd(14)} ${o.median_C ?? '—'} °C  90 %: ${o.ci90_C[0] ?? '—'} – ${o.ci90_C[1] ?? '>'} °C${o.conditionedOn.statistics > 0 ? ` (this series); a repeat experiment: ${o.repeat.median_C ?? '—'} °C, 90 %: ${o.repeat.ci90_C[0] ?? '—'} – ${o.repeat.ci90_C[1] ?? '>'} °C` : ''}`);
      }
      for (const w of (posterior.diagnostics as { warnings: string[] }).warnings) lines.push(`  warning: ${w}`);
      if (!a.quiet) process.stderr.write(`${lines.join('\n')}\n`);
    }
    return res;
  } finally {
    lock.release();
  }
}

const command: CommandModule<object, FitArgs> = {
  command: 'fit',
  describe: 'Fit barriers, the μ_O offset and onsets to an image series (or observed onsets) with honest uncertainty',
  builder: (y: Argv) =>
    withCommon(y, {
      out: { demand: true, describe: 'output folder: posterior.json, posterior-samples.csv, predicted-curves.csv, predictive-frames.tif, report.html (state in .fit/)' },
      seed: { default: 0, describe: 'random seed (integer 0 … 2^53−1): same seed and inputs → same posterior for any --workers or --shard split' },
      workers: { describe: 'worker threads for the forward simulations (results do not depend on the count)' },
      quiet: {},
      json: {},
    })
      .option('series', { type: 'string', array: true, describe: 'the image series: a run\'s frames.tif, a TIFF/DM/EMD/HSPY/MRC/NPY stack, a folder of frames, or several frame files' })
      .option('sidecar', { type: 'string', describe: 'JSON/CSV per frame: temperature (required), time, dose (default: frames.json beside a run\'s frames.tif)' })
      .option('pixel-size', { type: 'string', describe: 'pixel size [Å] when the files carry none, e.g. "0.25 Å"' })
      .option('normalise', { type: 'string', default: 'auto', choices: [...INTENSITY_MODES], describe: 'intensity → fraction of the beam, as in `analyse`' })
      .option('scenario', { type: 'string', describe: 'the experiment: structure, protocol, environment, imaging (dose), as a scenario file or built-in name; an optional fit: section sets params/priors/budget (default: seed-insitu-heating)' })
      .option('params', { type: 'string', describe: `fitted parameters, comma-separated names of the parameter table (default ${DEFAULT_FIT_PARAMS.join(',')}); ν ("nu") stays at 1e13 1/s unless named (Ea and ν compensate)` })
      .option('prior', { type: 'string', array: true, describe: 'narrow a prior: name=low:high in the parameter\'s unit (eV, 1/s), e.g. o2Release=1.3:1.6; inside the table\'s prior' })
      .option('budget', { type: 'number', describe: 'forward simulations in all (default 28 + 24 per parameter: 52, 76, 100 for 1, 2, 3 parameters; at least (4·d + 2 design points, ≥ 8) × replicates)' })
      .option('replicates', { type: 'number', describe: 'replicate runs per design point (default 2)' })
      .option('refine-replicates', { type: 'number', default: 4, describe: 'replicate runs per refinement point near the posterior' })
      .option('predictive', { type: 'number', default: 4, describe: 'forward runs at posterior draws averaged into predictive-frames.tif (0: none)' })
      .option('timeline', { type: 'string', describe: 'fit to observed onsets instead: a YAML/JSON/CSV table (stage, after, onset), or "seed" for the seed study\'s published timeline' })
      .option('statistics', { type: 'string', describe: `per-frame observables of the analysis used as statistics (default ${FIT_STATISTICS.join(',')})` })
      .option('zone', { type: 'string', default: '210', describe: 'zone axis of the series (layered [210])' })
      .option('rim', { type: 'string', default: '6 Å', describe: 'pore-rim shell width of the analysis [Å]' })
      .option('apb', { type: 'string', default: '5 Å', describe: 'APB-zone half-width of the analysis [Å]' })
      .option('shard', { type: 'string', describe: 'run slice i of N of the current round and stop (Slurm array / Kubernetes indexed Job; --out on shared storage)' })
      .option('merge', { type: 'boolean', default: false, describe: 'after the shards of a round: plan the next round, or write the posterior' })
      .example('$0 fit --series out/run/frames.tif --scenario my-lamella.yaml --params o2Release,tmMigrationNearVO,muOOffset --workers 2 --out out/fit', 'fit three parameters to a series')
      .example('$0 fit --timeline seed --scenario seed-insitu-heating --out out/fit-seed', 'which defaults the seed\'s published timeline supports') as unknown as Argv<FitArgs>,
  handler: async (argv: ArgumentsCamelCase<FitArgs>) => {
    await runFitCommand(argv);
  },
};

export default command;
