/**
 * `cathode-twin run`: the forward model (`simulateScenario`: scenario → lamella → KMC replicas →
 * HAADF image per frame → acquisition → observables, profiles, onsets) and then the write step →
 * out/<name>/. Resumable: the forward model's checkpoint records are kept in `<out>/.partial/` until
 * the outputs are written (checkpoint.ts).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OutputStage, checkOutPath, createProgress, inputsHash, lockOutDir, type ExpectedInput } from '../../core/index.js';
import { wavelength_A } from '../../multislice/index.js';
import { SCENARIOS_DIR, type Scenario } from '../scenario/index.js';
import { formatPressure_Pa, formatProtocol } from '../report/index.js';
import { fidelityTable } from '../timeline/index.js';
import { simulateScenario, type Imager, type ImagingMode, type SimulationResult } from '../simulate/index.js';
import { PartialRun, type RunInputs } from './checkpoint.js';
import { seedChecks, SUMMARY_SCHEMA_VERSION, type RunSummary } from './summary.js';
import { writeOutputs, type StoredFrame } from './write.js';

/** Options of {@link runScenario}. */
export interface RunScenarioOptions {
  /** Output folder; default `<scenario.output.dir>/<scenario.name>` relative to the cwd. */
  outDir?: string;
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Overrides scenario.kinetics.replicates (1…64). */
  replicates?: number;
  /** Worker threads for the replicas and imaging (default 1). */
  workers?: number;
  /** Resume a killed run with the same inputs (default false: start over). */
  resume?: boolean;
  quiet?: boolean;
  /** Overrides scenario.imaging.mode. */
  imaging?: ImagingMode;
  /** 'frozen': no kinetics (test double for the imaging and write steps; labelled in summary.json). */
  kinetics?: 'ncm' | 'frozen';
  /** Replaces the imaging stage (e.g. a cheaper model in tests); default src/multislice per `imaging`. */
  imager?: Imager;
  /**
   * Wall-time interval of the kinetics checkpoint, s (default 10): KMC records are saved at the first frame boundary
   * after each interval, so a kill loses at most this plus one frame's kinetics.
   */
  checkpointEvery_s?: number;
  /** Stop after this many frames have been imaged in this call (tests of resume). */
  stopAfterFrames?: number;
}

/** Result of a run. */
export interface RunOutcome {
  outDir: string;
  summary: RunSummary;
  /** The forward model's result (absent when stopped early). */
  result?: SimulationResult;
  /** True when stopped early by stopAfterFrames (resumable). */
  partial: boolean;
}

/** The package version (provenance). */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(SCENARIOS_DIR, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

class Stop extends Error {}

/** Run a scenario end to end (see module doc). */
export async function runScenario(scenario: Scenario, o: RunScenarioOptions = {}): Promise<RunOutcome> {
  const t0 = performance.now();
  const seed = o.seed ?? scenario.seed;
  const mode: ImagingMode = o.imaging ?? scenario.imaging.mode;
  const outDir = resolve(o.outDir ?? join(scenario.output.dir, scenario.name));
  checkOutPath(outDir, 'dir', '--out');
  // One writer per folder; a commit a kill interrupted is finished first, stray temporaries go.
  const lock = lockOutDir(outDir, `run ${scenario.name} --seed ${seed}`);
  try {
    OutputStage.recover(outDir);
    return await runLocked(scenario, o, { t0, seed, mode, outDir });
  } finally {
    lock.release();
  }
}

/** The inputs a run records in its checkpoint and the options that set them. */
function runInputs(scenario: Scenario, o: RunScenarioOptions, seed: number, mode: ImagingMode): { inputs: RunInputs; expected: Record<string, ExpectedInput> } {
  const inputs = {
    scenario: inputsHash(scenario), seed, replicates: o.replicates ?? scenario.kinetics.replicates, imaging: mode,
    kinetics: o.kinetics ?? 'ncm', imager: o.imager ? 'custom' : 'multislice', version: packageVersion(),
  };
  const fields: Record<keyof typeof inputs, [string, unknown]> = {
    scenario: ['scenario', `${scenario.name} (hash ${inputs.scenario})`], seed: ['--seed', seed], replicates: ['--replicates', inputs.replicates],
    imaging: ['--imaging', mode], kinetics: ['kinetics', inputs.kinetics], imager: ['imager', inputs.imager], version: ['--resume', `version ${inputs.version}`],
  };
  const expected = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, { value: v, field: fields[k as keyof typeof inputs][0], shown: fields[k as keyof typeof inputs][1] }]));
  return { inputs, expected };
}

async function runLocked(scenario: Scenario, o: RunScenarioOptions, c: { t0: number; seed: number; mode: ImagingMode; outDir: string }): Promise<RunOutcome> {
  const { t0, seed, mode, outDir } = c;
  const partial = new PartialRun(outDir);
  const { inputs, expected } = runInputs(scenario, o, seed, mode);
  const records = o.resume ? partial.load(expected) : undefined;
  if (!records) partial.start(inputs);
  let imaged = 0;
  const killAt = process.env.CATHODE_TWIN_KILL_BEFORE_COMMIT;
  let kmcBar: ReturnType<typeof createProgress> | undefined;
  let imgBar: ReturnType<typeof createProgress> | undefined;
  let result: SimulationResult;
  try {
    result = await simulateScenario(scenario, {
      seed,
      ...(o.replicates !== undefined ? { replicates: o.replicates } : {}),
      workers: o.workers ?? 1,
      images: 'acquired',
      imaging: mode,
      ...(o.imager ? { imager: o.imager } : {}),
      ...(o.kinetics ? { kinetics: o.kinetics } : {}),
      keepSpecies: false,
      ...(records ? { resumeFrom: records } : {}),
      checkpoint: {
        everyFrames: 1,
        everyWall_s: o.checkpointEvery_s ?? 10,
        save: (bytes, index, info) => {
          const image = info.kind === 'image';
          // Fault injection for the kill-and-resume test: die before committing the record of image frame N.
          if (image && killAt !== undefined && imaged === Number(killAt)) process.kill(process.pid, 'SIGKILL');
          partial.save(bytes, index, info);
          if (image && ++imaged >= (o.stopAfterFrames ?? Infinity)) throw new Stop();
        },
      },
      onProgress: (p) => {
        if (p.stage === 'kmc') {
          kmcBar ??= createProgress({ label: 'KMC', total: 1000, quiet: o.quiet, fields: ['T_C', 'events'] });
          kmcBar.update(Math.round(p.fraction * 1000), { T_C: p.temperature_K !== undefined ? (p.temperature_K - 273.15).toFixed(0) : '', events: p.events ?? 0 });
        } else {
          kmcBar?.stop();
          kmcBar = undefined;
          imgBar ??= createProgress({ label: `run ${scenario.name}`, total: scenario.protocol.acquisitionTimes_s.length, quiet: o.quiet, fields: [] });
          imgBar.update(p.frames ?? 0, {});
        }
      },
    });
  } catch (e) {
    if (e instanceof Stop) return { outDir, summary: undefined as unknown as RunSummary, partial: true };
    throw e;
  } finally {
    kmcBar?.stop();
    imgBar?.stop();
  }
  const tw = performance.now();
  const { summary, report, frames, images } = assemble(result, mode);
  // summary.json gets the time up to the write step; the returned summary the whole of it.
  summary.timings_s.writing = (performance.now() - tw) / 1000;
  summary.timings_s.total = (performance.now() - t0) / 1000;
  // Staged: the files appear together by rename, so a kill never mixes this result with an earlier one.
  const stage = OutputStage.open(outDir);
  await writeOutputs(stage.stagingDir, frames, images, summary, report);
  stage.commit();
  summary.timings_s.writing = (performance.now() - tw) / 1000;
  summary.timings_s.total = (performance.now() - t0) / 1000;
  partial.clear();
  return { outDir, summary, result, partial: false };
}

/** The write step's inputs from a forward result with acquired images. */
function assemble(r: SimulationResult, mode: ImagingMode) {
  const s = r.scenario;
  const frames: StoredFrame[] = [];
  const images: Float32Array[] = [];
  for (const f of r.frames) {
    const a = f.image!.acquired!;
    frames.push({
      index: f.index, time_s: f.time_s, temperature_K: f.temperature_K, dose_ePerA2: a.dose_ePerA2, events: f.events.reduce((x, y) => x + y, 0),
      observables: f.observables, ...(r.replicates > 1 ? { spread: f.spread } : {}),
      width: a.width, height: a.height, sampling_A: a.sampling_A, samplingY_A: a.samplingY_A, origin_A: a.origin_A, drift_px: a.drift_px, measured_px: a.measured_px,
    });
    images.push(a.data);
  }
  const checks = seedChecks(r.onsets, s.checks.targets);
  const fidelity = fidelityTable(r.onsets);
  const notes: string[] = [];
  if (r.stages.kinetics.startsWith('frozen')) notes.push('KMC stage: frozen (a test double): the structure does not evolve, so no onsets are expected.');
  if (r.replicates > 1) notes.push(`${r.replicates} KMC replicas pooled frame by frame (mean; the CSV gives the replica standard deviation as name.sd); onsets read from the pooled curves, each replica's onset in summary.json.`);
  for (const c of checks) if (c.pass === false) notes.push(`Missed: ${c.text}: ${c.note}.`);
  const im = s.imaging;
  const f0 = frames[0]!;
  const versions = { 'cathode-twin': packageVersion(), node: process.version, summarySchema: String(SUMMARY_SCHEMA_VERSION), scenarioSchema: String(s.schemaVersion) };
  const timings_s: Record<string, number> = { ...r.timings_s };
  const summary: RunSummary = {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    name: s.name,
    createdAt: new Date().toISOString(),
    seed: r.seed,
    replicates: r.replicates,
    stages: { kmc: r.stages.kinetics, imaging: r.stages.imaging, acquisition: `${im.frames} fast frames, drift ${im.drift_A} Å/frame, jitter ${im.jitter_A} Å, Poisson, cross-correlation alignment` },
    scenario: s,
    params: r.params,
    environment: r.environment,
    frames: frames.map((f) => ({ index: f.index, time_s: f.time_s, temperature_K: f.temperature_K, temperature_C: +(f.temperature_K - 273.15).toFixed(3), dose_ePerA2: f.dose_ePerA2, events: f.events, measuredDrift_px: f.measured_px })),
    image: { width: f0.width, height: f0.height, sampling_A: f0.sampling_A, samplingY_A: f0.samplingY_A, units: 'fraction of incident beam' },
    onsets: r.onsets,
    fidelity,
    checks,
    events: r.events,
    notes,
    timings_s,
    versions,
    files: [],
  };
  const st = s.structure;
  const env = r.environment;
  const report = {
    title: s.name,
    description: s.description,
    parameters: [
      ['material', `${st.material}, Li${st.lithium}, ${(st.niOnLi * 100).toFixed(1)} % Ni on Li sites`],
      ['lamella', `[${st.zone}], ${(st.width_A / 10).toFixed(1)} × ${(st.height_A / 10).toFixed(1)} nm, ${(st.thickness_A / 10).toFixed(1)} nm thick${st.pore ? `, pore r = ${(st.pore.radius_A / 10).toFixed(2)} nm (${st.pore.shape})` : ''}${st.apb ? `, APB (${st.apb.plane}) at the ${st.apb.position}` : ''}`],
      ['protocol', formatProtocol(s.protocol.type, s.protocol.params)],
      ['environment', `${env.pO2_Pa !== undefined ? `p(O₂) = ${formatPressure_Pa(env.pO2_Pa)}` : `p(H₂O) = ${formatPressure_Pa(env.pH2O_Pa!)}, p(H₂) = ${formatPressure_Pa(env.pH2_Pa!)}`}, μ_O offset ${env.offset_eV} eV`],
      ['imaging', `${mode}, ${im.energy_eV / 1e3} kV (λ = ${wavelength_A(im.energy_eV).toFixed(5)} Å), probe ${im.semiangle_mrad} mrad, HAADF ${im.detectorInner_mrad}–${im.detectorOuter_mrad} mrad, ${im.sampling_A} Å/px, dose ${im.dose_ePerA2} e/Å²${im.doseSchedule.map((d) => ` (${d.dose_ePerA2} e/Å² from ${+(d.from_K - 273.15).toFixed(1)} °C)`).join('')}`],
      ['stages', `KMC: ${r.stages.kinetics}, ${r.replicates} replica(s); events ${r.events.total}`],
    ] as [string, string][],
    temperatures_K: frames.map((f) => f.temperature_K),
    observables: frames.map((f) => f.observables),
    profiles: r.profiles,
    onsets: r.onsets,
    fidelity,
    checks,
    notes,
    timings_s,
    provenance: { ...versions, seed: r.seed },
  };
  return { summary, report, frames, images };
}
