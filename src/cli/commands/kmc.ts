/**
 * `cathode-twin kmc [--scenario F] --out DIR`: the kinetics of a scenario alone, through the same
 * forward model as `run` (`simulateScenario` without images), so both give the same observables per
 * frame for the same scenario and seed. Writes, atomically, `DIR/frames/frame-NNNN[-rRR].ncmf` (gzip
 * species per parent-lattice site; one per replica), `frame-NNNN.json` (time, temperature, pooled
 * observables, replica spread and per-replica values), `DIR/observables.csv` (the same columns as
 * `run`'s, without the image ones) and `DIR/kmc-summary.json`. Checkpoint records go to
 * `DIR/.partial/` every `--checkpoint-every` s of wall time (at frame boundaries); `--resume` continues
 * a killed run to the same bytes. `--json` prints the summary (plus wall time) on stdout.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { checkSeed, checkWorkers, withCommon } from '../options.js';
import { InputError, OutputStage, checkOutPath, createProgress, inputsHash, lockOutDir, writeFileAtomicSync } from '../../core/index.js';
import { encodeSpecies } from '../../kinetics/ncm/index.js';
import { PartialRun, observablesCsv, packageVersion } from '../../twin/run/index.js';
import { loadScenario } from '../../twin/scenario/index.js';
import { simulateScenario } from '../../twin/simulate/index.js';

interface KmcArgs {
  scenario?: string;
  out: string;
  json: boolean;
  resume: boolean;
  seed?: number;
  replicates?: number;
  workers: number;
  quiet: boolean;
  checkpointEvery: number;
}

const pad = (i: number, w = 4): string => String(i).padStart(w, '0');

const command: CommandModule<object, KmcArgs> = {
  command: 'kmc',
  describe: 'Run the NCM kinetic Monte Carlo of a scenario (frames + observables, no images)',
  builder: (y: Argv) =>
    withCommon(y, { out: { demand: true, describe: 'output directory' }, json: { describe: 'print the summary as JSON on stdout' }, seed: { describe: 'random seed (default: the scenario seed)' }, workers: { describe: 'worker threads for the replicas (results do not depend on the count)' }, quiet: {} })
      .option('scenario', { type: 'string', describe: 'scenario file or built-in name (default: the seed scenario)' })
      .option('replicates', { type: 'number', describe: "independent KMC replicas pooled frame by frame, 1 … 64 (default: the scenario's kinetics.replicates)" })
      .option('resume', { type: 'boolean', default: false, describe: 'continue a killed run from DIR/.partial (same result as an uninterrupted run)' })
      .option('checkpoint-every', { type: 'number', default: 30, describe: 'checkpoint interval, s of wall time (taken at frame boundaries)' }) as unknown as Argv<KmcArgs>,
  handler: async (a: ArgumentsCamelCase<KmcArgs>) => {
    checkSeed(a.seed);
    checkWorkers(a.workers);
    if (!(a.checkpointEvery >= 0)) throw new InputError('--checkpoint-every', a.checkpointEvery, 'seconds ≥ 0');
    if (a.replicates !== undefined && !(Number.isInteger(a.replicates) && a.replicates >= 1 && a.replicates <= 64)) throw new InputError('--replicates', a.replicates, 'an integer 1 … 64');
    checkOutPath(a.out, 'dir', '--out');
    const t0 = performance.now();
    let summary: Record<string, unknown> = {};
    let kineticsWall_s = 0, nFrames = 0, nEvents = 0, nReplicas = 0;
    const scenario = loadScenario(a.scenario);
    const seed = a.seed ?? scenario.seed;
    const replicates = a.replicates ?? scenario.kinetics.replicates;
    // One writer per folder; a commit a kill interrupted is finished first, stray temporaries go.
    const lock = lockOutDir(a.out, `kmc --scenario ${a.scenario ?? scenario.name} --seed ${seed}`);
    try {
      OutputStage.recover(a.out);
      const partial = new PartialRun(a.out);
      const inputs = { verb: 'kmc', scenario: inputsHash(scenario), seed, replicates, version: packageVersion() };
      let records: Uint8Array[] | undefined;
      if (a.resume) {
        records = partial.load({
          verb: { value: 'kmc', field: '--out', shown: a.out }, scenario: { value: inputs.scenario, field: '--scenario', shown: `${a.scenario ?? scenario.name} (hash ${inputs.scenario})` },
          seed: { value: seed, field: '--seed' }, replicates: { value: replicates, field: '--replicates' }, version: { value: inputs.version, field: '--resume', shown: `version ${inputs.version}` },
        });
        if (!records) throw new InputError('--resume', partial.dir, 'a partial run in --out (run once without --resume first)');
      } else partial.start(inputs);
      const progress = createProgress({ label: 'kmc', total: 1000, quiet: a.quiet, fields: ['T_C', 'events_per_s'] });
      const r = await simulateScenario(scenario, {
        seed,
        ...(a.replicates !== undefined ? { replicates: a.replicates } : {}),
        workers: a.workers,
        images: 'none',
        ...(records ? { resumeFrom: records } : {}),
        checkpoint: { everyFrames: 1, everyWall_s: a.checkpointEvery, save: (bytes, i, info) => partial.save(bytes, i, info) },
        onProgress: (p) => {
          const wall = (performance.now() - t0) / 1000;
          progress.update(Math.round(p.fraction * 1000), { T_C: p.temperature_K !== undefined ? (p.temperature_K - 273.15).toFixed(1) : '', events_per_s: wall > 0 && p.events !== undefined ? Math.round(p.events / wall) : 0 });
        },
      });
      progress.stop();
      // The write step, staged: the files appear together by rename (a kill never mixes two results).
      const stage = OutputStage.open(a.out, 'kmc'); // kmc's own set: never replaces another verb's files
      const out = stage.stagingDir;
      mkdirSync(join(out, 'frames'), { recursive: true });
      const R = r.replicates;
      const speciesFile = (i: number, rep: number) => `frames/frame-${pad(i)}${R > 1 ? `-r${pad(rep, 2)}` : ''}.ncmf`;
      for (const f of r.frames) {
        f.species!.forEach((sp, rep) => writeFileAtomicSync(join(out, speciesFile(f.index, rep)), encodeSpecies(sp)));
        const meta = { index: f.index, time_s: f.time_s, temperature_K: f.temperature_K, events: f.events, observables: f.observables, ...(R > 1 ? { spread: f.spread, perReplica: f.perReplica } : {}) };
        writeFileAtomicSync(join(out, 'frames', `frame-${pad(f.index)}.json`), `${JSON.stringify(meta)}\n`);
      }
      const csv = observablesCsv(r.frames.map((f) => ({ index: f.index, time_s: f.time_s, temperature_K: f.temperature_K, events: f.events.reduce((x, y) => x + y, 0), observables: f.observables, ...(R > 1 ? { spread: f.spread } : {}) })));
      writeFileAtomicSync(join(out, 'observables.csv'), csv);
      summary = {
        schema: 'cathode-twin/kmc-summary', version: 2, scenario: scenario.name, seed, replicates: R, sites: r.lamella.lattice.n,
        environment: r.environment, params: r.params, events: r.events.total, eventsPerReplica: r.events.perReplica, o2Released: r.events.o2Released, o2Adsorbed: r.events.o2Adsorbed,
        eventsByKind: r.events.byKind, onsets: r.onsets,
        frames: r.frames.map((f) => ({ index: f.index, time_s: f.time_s, temperature_K: f.temperature_K, events: f.events, species: f.species!.map((_s, rep) => speciesFile(f.index, rep)) })),
      };
      writeFileAtomicSync(join(out, 'kmc-summary.json'), `${JSON.stringify(summary, null, 1)}\n`);
      stage.commit();
      partial.clear();
      kineticsWall_s = r.timings_s.kmc ?? 0;
      nFrames = r.frames.length;
      nEvents = r.events.total;
      nReplicas = R;
    } finally {
      lock.release();
    }
    const wall_s = (performance.now() - t0) / 1000;
    if (a.json) process.stdout.write(`${JSON.stringify({ ...summary, wall_s, kineticsWall_s })}\n`);
    else if (!a.quiet) process.stderr.write(`[kmc] ${nFrames} frames × ${nReplicas} replica(s), ${nEvents} events in ${wall_s.toFixed(1)} s → ${a.out}\n`);
  },
};

export default command;
