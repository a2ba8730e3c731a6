/**
 * `cathode-twin run`: scenario → lamella → KMC (a frame at each acquisition time) → HAADF image
 * per frame → acquisition (fast frames, drift, Poisson, alignment, sum) → profiles, onsets →
 * out/<name>/. Resumable: finished frames and the KMC state are checkpointed per frame.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createProgress, Rng, Stream } from '../../core/index.js';
import type { Lamella } from '../../lattice/index.js';
import { acquire, wavelength_A, type HaadfImage } from '../../multislice/index.js';
import { layerProfile } from '../profile/index.js';
import { doseAt, SCENARIOS_DIR, type Scenario } from '../scenario/index.js';
import type { ReportProfile } from '../report/index.js';
import { detectOnsets } from '../timeline/index.js';
import { PartialRun, runKey, type RunState, type StoredFrame } from './checkpoint.js';
import { imageFrame, type ImagingMode } from './imaging.js';
import { frozenKmc, type KmcStage } from './kmc.js';
import { computeObservables } from './observables.js';
import { regionMasks } from './regions.js';
import { buildScenarioLamella } from './structure.js';
import { seedChecks, SUMMARY_SCHEMA_VERSION, type RunSummary } from './summary.js';
import { writeOutputs } from './write.js';

/** Options of {@link runScenario}. */
export interface RunScenarioOptions {
  /** Output folder; default `<scenario.output.dir>/<scenario.name>` relative to the cwd. */
  outDir?: string;
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Worker threads for imaging (default 1). */
  workers?: number;
  /** Resume a killed run with the same inputs (default false: start over). */
  resume?: boolean;
  quiet?: boolean;
  /** Overrides scenario.imaging.mode. */
  imaging?: ImagingMode;
  /** KMC stage (default: the NCM kinetics when available, else frozen). */
  kmc?: KmcStage;
  /** Replaces the imaging stage (e.g. a cheaper model in tests); default src/multislice per `imaging`. */
  imager?: (lamella: Lamella, species: Uint8Array) => Promise<HaadfImage>;
  /** Stop after this many frames have been finished in this call (tests of resume). */
  stopAfterFrames?: number;
}

/** Result of a run. */
export interface RunOutcome {
  outDir: string;
  summary: RunSummary;
  /** True when stopped early by stopAfterFrames (resumable). */
  partial: boolean;
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(SCENARIOS_DIR, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** c/3: spacing of successive M layers across the layers, Å. */
const layerPeriod = (c_A: number) => c_A / 3;

/** Run a scenario end to end (see module doc). */
export async function runScenario(scenario: Scenario, o: RunScenarioOptions = {}): Promise<RunOutcome> {
  const t0 = performance.now();
  const seed = o.seed ?? scenario.seed;
  const mode: ImagingMode = o.imaging ?? scenario.imaging.mode;
  const kmc = o.kmc ?? (await defaultKmc());
  const outDir = resolve(o.outDir ?? join(scenario.output.dir, scenario.name));
  const partial = new PartialRun(outDir);
  const key = runKey({ scenario, seed, mode, kmc: kmc.name, imager: o.imager ? 'custom' : 'multislice', version: packageVersion() });
  let state: RunState | undefined = o.resume ? partial.load(key) : undefined;
  if (!state) {
    partial.clear();
    state = { key, framesDone: 0, events: 0, timings_s: { structure: 0, kmc: 0, imaging: 0, acquisition: 0, writing: 0 } };
  }
  const T = state.timings_s as Record<'structure' | 'kmc' | 'imaging' | 'acquisition' | 'writing' | 'total', number>;
  const ts = performance.now();
  const lamella = buildScenarioLamella(scenario, seed);
  T.structure = (T.structure ?? 0) + (performance.now() - ts) / 1000;

  const frames_s = scenario.protocol.acquisitionTimes_s;
  const frames: StoredFrame[] = [];
  const images: Float32Array[] = [];
  for (let i = 0; i < state.framesDone; i++) {
    const f = partial.loadFrame(i);
    frames.push(f.frame);
    images.push(f.image);
  }
  const progress = createProgress({ label: `run ${scenario.name}`, total: frames_s.length, quiet: o.quiet, fields: ['T_C'] });
  progress.update(state.framesDone, { T_C: '' });
  let kmcBar: ReturnType<typeof createProgress> | undefined;
  let stopped = false;
  let finishedThisCall = 0;
  let inFrame_s = 0;
  const tk = performance.now();
  const st = state;
  class Stop extends Error {}
  try {
    await kmc.run({
      lamella,
      scenario,
      seed,
      frames_s,
      startFrame: st.framesDone,
      checkpoint: st.framesDone > 0 ? partial.loadKmc() : undefined,
      onProgress: (fraction, T_K, events) => {
        kmcBar ??= createProgress({ label: 'KMC', total: 1000, quiet: o.quiet, fields: ['T_C', 'events'] });
        kmcBar.update(Math.round(fraction * 1000), { T_C: (T_K - 273.15).toFixed(0), events });
      },
      onFrame: async (kf, checkpoint) => {
        if (kmcBar) {
          kmcBar.stop();
          kmcBar = undefined;
        }
        const tf = performance.now();
        const { observables, contrast } = computeObservables(lamella, kf.species, st.contrast0);
        if (kf.index === 0) st.contrast0 = contrast;
        Object.assign(observables, kf.observables ?? {});
        const ti = performance.now();
        const img = o.imager ? await o.imager(lamella, kf.species) : await imageFrame(lamella, kf.species, scenario, mode, seed, o.workers ?? 1);
        T.imaging += (performance.now() - ti) / 1000;
        const ta = performance.now();
        const dose = doseAt(scenario.imaging, kf.temperature_K);
        const im = scenario.imaging;
        const acq = acquire(img.data, img.width, img.height, img.sampling_A, img.samplingY_A, {
          dose_ePerA2: dose, frames: im.frames, driftWalk_APerFrame: im.drift_A, lineJitter_A: im.jitter_A, rng: Rng.stream(seed, Stream.RUN_ACQUISITION, kf.index),
        });
        T.acquisition += (performance.now() - ta) / 1000;
        const frame: StoredFrame = {
          index: kf.index,
          time_s: kf.time_s,
          temperature_K: kf.temperature_K,
          dose_ePerA2: dose,
          events: kf.events,
          observables,
          width: img.width,
          height: img.height,
          sampling_A: img.sampling_A,
          samplingY_A: img.samplingY_A,
          origin_A: [img.origin_A[0], img.origin_A[1]],
          drift_px: acq.trueShifts_px,
          measured_px: acq.alignShifts_px,
        };
        const tw = performance.now();
        partial.saveFrame(frame, acq.fraction);
        partial.saveKmc(checkpoint());
        // Fault injection for the kill-and-resume test: die after writing this frame's files but before the commit.
        if (process.env.CATHODE_TWIN_KILL_BEFORE_COMMIT === String(kf.index)) process.kill(process.pid, 'SIGKILL');
        st.framesDone = kf.index + 1;
        st.events = kf.events;
        partial.commit(st);
        T.writing += (performance.now() - tw) / 1000;
        frames.push(frame);
        images.push(acq.fraction);
        progress.update(st.framesDone, { T_C: (kf.temperature_K - 273.15).toFixed(0) });
        inFrame_s += (performance.now() - tf) / 1000;
        finishedThisCall++;
        if (o.stopAfterFrames !== undefined && finishedThisCall >= o.stopAfterFrames && st.framesDone < frames_s.length) throw new Stop();
      },
    });
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    stopped = true;
  } finally {
    T.kmc += (performance.now() - tk) / 1000 - inFrame_s;
    progress.stop();
  }
  if (stopped) {
    partial.commit(st);
    return { outDir, summary: undefined as unknown as RunSummary, partial: true };
  }

  // Image-derived observables: Li-site/M-site ratio across the layers per region.
  const tw = performance.now();
  const f0 = frames[0]!;
  const masks = regionMasks(lamella, { width: f0.width, height: f0.height, sampling_A: f0.sampling_A, samplingY_A: f0.samplingY_A, origin_A: f0.origin_A });
  const period = layerPeriod(lamella.lattice.metric.c_A);
  const phase: Record<string, number> = {};
  const profiles: ReportProfile[] = [];
  const profileFrames = pickProfileFrames(frames.map((f) => f.temperature_K));
  frames.forEach((f, i) => {
    for (const region of ['rim', 'apb', 'bulk'] as const) {
      const mask = masks[region];
      if (!mask.some((v) => v)) continue;
      const p = layerProfile(images[i]!, f.width, f.height, { mask }, { sampling_A: f.samplingY_A, period_A: period, mPhase_A: phase[region] });
      phase[region] ??= p.mPhase_A;
      f.observables[`liMRatio.${region}`] = p.ratio;
      if (profileFrames.has(i) && region !== 'bulk') profiles.push({ region, temperature_K: f.temperature_K, y_A: p.y_A, intensity: p.intensity, mPhase_A: p.mPhase_A, period_A: period, liSite: p.liSite, mSite: p.mSite });
    }
  });
  const temps = frames.map((f) => f.temperature_K);
  const onsets = detectOnsets(temps, frames.map((f) => f.observables));
  const checks = seedChecks(onsets);
  const notes: string[] = [];
  if (kmc === frozenKmc) notes.push('KMC stage: frozen (no kinetics available in this build): the structure does not evolve, so no onsets are expected.');
  for (const c of checks) if (c.pass === false) notes.push(`Missed: ${c.text}: ${c.note}.`);
  const im = scenario.imaging;
  const summary: RunSummary = {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    name: scenario.name,
    createdAt: new Date().toISOString(),
    seed,
    stages: { kmc: kmc.name, imaging: mode, acquisition: `${im.frames} fast frames, drift ${im.drift_A} Å/frame, jitter ${im.jitter_A} Å, Poisson, cross-correlation alignment` },
    scenario,
    frames: frames.map((f) => ({ index: f.index, time_s: f.time_s, temperature_K: f.temperature_K, temperature_C: +(f.temperature_K - 273.15).toFixed(3), dose_ePerA2: f.dose_ePerA2, events: f.events, measuredDrift_px: f.measured_px })),
    image: { width: f0.width, height: f0.height, sampling_A: f0.sampling_A, samplingY_A: f0.samplingY_A, units: 'fraction of incident beam' },
    onsets,
    checks,
    notes,
    timings_s: T,
    versions: { 'cathode-twin': packageVersion(), node: process.version, summarySchema: String(SUMMARY_SCHEMA_VERSION), scenarioSchema: String(scenario.schemaVersion) },
    files: [],
  };
  const s = scenario.structure;
  const report = {
    title: scenario.name,
    description: scenario.description,
    parameters: [
      ['material', `${s.material}, Li${s.lithium}, ${(s.niOnLi * 100).toFixed(1)} % Ni on Li sites, ${s.cycles} cycles`],
      ['lamella', `[${s.zone}], ${(s.width_A / 10).toFixed(1)} × ${(s.height_A / 10).toFixed(1)} nm, ${(s.thickness_A / 10).toFixed(1)} nm thick${s.pore ? `, pore r = ${(s.pore.radius_A / 10).toFixed(2)} nm (${s.pore.shape})` : ''}${s.apb ? `, APB (${s.apb.plane}) at the ${s.apb.position}` : ''}`],
      ['protocol', `${scenario.protocol.type}: ${Object.entries(scenario.protocol.params).map(([k, v]) => `${k} = ${Array.isArray(v) ? v.join(',') : typeof v === 'number' ? +v.toPrecision(6) : v}`).join(', ')}`],
      ['environment', scenario.environment.pO2_Pa !== undefined ? `pO2 = ${scenario.environment.pO2_Pa} Pa, μ_O offset ${scenario.environment.muOOffset_eV ?? 'model default'} eV` : `pH2O/pH2 = ${scenario.environment.pH2O_Pa}/${scenario.environment.pH2_Pa} Pa`],
      ['imaging', `${mode}, ${im.energy_eV / 1e3} kV (λ = ${wavelength_A(im.energy_eV).toFixed(5)} Å), ${im.semiangle_mrad} mrad, HAADF ${im.detectorInner_mrad}–${im.detectorOuter_mrad} mrad, ${im.sampling_A} Å/px, dose ${im.dose_ePerA2} e/Å²${im.doseSchedule.map((d) => ` (${d.dose_ePerA2} from ${+(d.from_K - 273.15).toFixed(1)} °C)`).join('')}`],
      ['stages', `KMC: ${kmc.name}; events ${st.events}`],
    ] as [string, string][],
    temperatures_K: temps,
    observables: frames.map((f) => f.observables),
    profiles,
    onsets,
    checks,
    notes,
    timings_s: T,
    provenance: { ...summary.versions, seed },
  };
  T.writing += (performance.now() - tw) / 1000;
  const tw2 = performance.now();
  await writeOutputs(outDir, frames, images, summary, report);
  T.writing += (performance.now() - tw2) / 1000;
  T.total = (performance.now() - t0) / 1000;
  partial.clear();
  return { outDir, summary, partial: false };
}

/** Frames whose profiles go into the report: RT, and those nearest 175, 225, 300, 500 °C. */
function pickProfileFrames(temps_K: readonly number[]): Set<number> {
  const out = new Set<number>([0]);
  for (const c of [175, 225, 300, 500]) {
    let best = -1;
    let d = Infinity;
    temps_K.forEach((t, i) => {
      const e = Math.abs(t - 273.15 - c);
      if (e < d) {
        d = e;
        best = i;
      }
    });
    if (best >= 0 && d <= 20) out.add(best);
  }
  return out;
}

/** The NCM kinetics adapter when src/kinetics provides one, else the frozen stage. */
async function defaultKmc(): Promise<KmcStage> {
  const m = (await import('./ncmKmc.js').catch(() => undefined)) as { ncmKmc?: () => KmcStage | undefined } | undefined;
  return m?.ncmKmc?.() ?? frozenKmc;
}
