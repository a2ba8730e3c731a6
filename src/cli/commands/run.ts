/**
 * `cathode-twin run [scenario]`: the main job. A synthetic in situ heating experiment end to end:
 * scenario → lamella → KMC → a HAADF image per acquisition → acquisition noise → out/<name>/
 * (frames.tif, PNGs, contact sheet, GIF, observables.csv, summary.json, report.html).
 * Without an argument it runs the built-in seed scenario (scenarios/seed-insitu-heating.yaml).
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { InputError, checkOutPath } from '../../core/index.js';
import { checkSeed, checkWorkers, withCommon } from '../options.js';
import { loadScenario } from '../../twin/scenario/index.js';
import { runScenario } from '../../twin/run/index.js';
import { SEED_STEP_C } from '../../twin/timeline/index.js';

interface RunArgs {
  scenario?: string;
  out?: string;
  seed?: number;
  replicates?: number;
  workers: number;
  resume: boolean;
  quiet: boolean;
  json: boolean;
  imaging?: string;
  checkpointEvery: number;
}

const command: CommandModule<object, RunArgs> = {
  command: 'run [scenario]',
  describe: 'Run a heating experiment end to end (default: the seed in situ heating of NCM851005)',
  builder: (y: Argv) =>
    withCommon(y, { out: { describe: 'output folder (default: <scenario output.dir>/<name>)' }, seed: { describe: "random seed (integer; default: the scenario's)" }, workers: { describe: 'worker threads for the KMC replicas and imaging (results do not depend on the count)' }, quiet: {}, json: { describe: 'print the summary as JSON on stdout' } })
      .positional('scenario', { type: 'string', describe: 'scenario file (YAML/JSON) or built-in name: seed-insitu-heating (default), drying-100Pa-300C-12h, charged-state, tiny' })
      .option('replicates', { type: 'number', describe: "independent KMC replicas pooled frame by frame, 1 … 64 (default: the scenario's kinetics.replicates)" })
      .option('imaging', { type: 'string', choices: ['incoherent', 'multislice'], describe: "imaging mode (default: the scenario's, incoherent: probe ⊗ calibrated column cross-sections)" })
      .option('resume', { type: 'boolean', default: false, describe: 'resume a killed run with the same inputs from its last finished frame' })
      .option('checkpoint-every', { type: 'number', default: 10, describe: 'kinetics checkpoint interval, s of wall time (taken at frame boundaries: a kill loses at most this plus one frame)' })
      .example('$0 run', 'the seed experiment → out/seed-insitu-heating/')
      .example('$0 run scenarios/drying-100Pa-300C-12h.yaml --workers 2', 'a drying-recipe preview') as unknown as Argv<RunArgs>,
  handler: async (a: ArgumentsCamelCase<RunArgs>) => {
    checkSeed(a.seed);
    checkWorkers(a.workers);
    if (!(a.checkpointEvery >= 0)) throw new InputError('--checkpoint-every', a.checkpointEvery, 'seconds ≥ 0');
    if (a.out !== undefined) checkOutPath(a.out, 'dir', '--out');
    const scenario = loadScenario(a.scenario);
    if (a.replicates !== undefined && !(Number.isInteger(a.replicates) && a.replicates >= 1 && a.replicates <= 64)) throw new InputError('--replicates', a.replicates, 'an integer 1 … 64');
    const r = await runScenario(scenario, {
      ...(a.out !== undefined ? { outDir: a.out } : {}),
      ...(a.seed !== undefined ? { seed: a.seed } : {}),
      ...(a.replicates !== undefined ? { replicates: a.replicates } : {}),
      workers: a.workers,
      resume: a.resume,
      checkpointEvery_s: a.checkpointEvery,
      quiet: a.quiet || a.json,
      ...(a.imaging ? { imaging: a.imaging as 'incoherent' | 'multislice' } : {}),
    });
    const s = r.summary;
    if (a.json) {
      process.stdout.write(`${JSON.stringify({ outDir: r.outDir, name: s.name, seed: s.seed, replicates: s.replicates, frames: s.frames.length, onsets: s.onsets, checks: s.checks, events: s.events, timings_s: s.timings_s, files: s.files })}\n`);
      return;
    }
    const lines = [`wrote ${r.outDir}/ (${s.files.length} files: ${s.files.filter((f) => !f.startsWith('frames/')).join(', ')}, ${s.frames.length} frame PNGs)`];
    for (const o of s.onsets) lines.push(`  ${o.stage.padEnd(15)} ${o.onset_C === null ? `— (${o.note})` : `${o.onset_C} °C (after ${o.after_C} °C)`}`);
    for (const c of s.checks) lines.push(`  [${c.pass === true ? 'ok' : c.pass === false ? 'MISS' : 'n/a'}] ${c.text}: ${c.note}`);
    // The seed's timeline against the rule table (summary.json `fidelity`): each stage within one step, or by how much not.
    const within = s.fidelity.filter((f) => f.withinStep === true).length;
    lines.push(`  seed timeline: ${within} of ${s.fidelity.length} rows within one ${SEED_STEP_C} °C step (fidelity table in summary.json and report.html)`);
    for (const f of s.fidelity) lines.push(`    ${`~${f.seed_C} °C`.padEnd(8)} ${(f.stage ?? f.seedStage).padEnd(15)} ${f.status}`);
    lines.push(`  wall time: ${Object.entries(s.timings_s).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')}`);
    if (!a.quiet) process.stderr.write(`${lines.join('\n')}\n`);
  },
};

export default command;
