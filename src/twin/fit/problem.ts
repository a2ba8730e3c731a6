/**
 * From an experiment to a fit problem: the scenario (the experiment), the fitted parameters with their
 * priors, and the observation — either an image series (statistics from `analyseSeries`, the same
 * analysis the simulated frames get) or a timeline of observed onset intervals.
 *
 * Series mode: the frames' temperatures place them on the scenario's programme (the end of the hold at
 * each temperature: `timesAtTemperatures`); their doses set the simulated acquisition's dose frame by
 * frame. The likelihood uses the per-frame statistics; onsets are a deterministic function of the same
 * frames, so they are predicted (all stages, KMC- and image-defined) but not counted twice.
 */
import { InputError } from '../../core/index.js';
import { temperatureAt, timesAtTemperatures, type Scenario } from '../scenario/index.js';
import type { FrameMeta } from '../series/index.js';
import { ONSET_RULES } from '../timeline/index.js';
import type { FitProblem } from './driver.js';
import { FIT_STATISTICS, frameStatistics, type FitAnalysisOptions, type ScenarioSpec } from './forward.js';
import type { OnsetInterval } from './likelihood.js';
import type { ParameterSpace } from './space.js';
import { simulatedStage } from './timeline.js';

const K0 = 273.15;

/** A prepared fit: the problem, the frame grid onsets are reported on, and notes for the report. */
export interface PreparedFit {
  problem: FitProblem;
  spec: ScenarioSpec;
  /** Temperatures of the frames the onsets are reported on, °C. */
  frameTemperatures_C: number[];
  /** The observation in the same names: per-frame statistics (series) or intervals (timeline). */
  observed: { stats: Record<string, number>; onsets: OnsetInterval[] };
  /** Observed timeline stage → simulated stage (timeline mode). */
  stageMap: Record<string, string>;
  notes: string[];
}

/** Frame temperatures (K) of a series, or an InputError naming the sidecar when one is missing. */
export function seriesTemperatures_K(meta: readonly FrameMeta[]): number[] {
  const missing = meta.map((m, i) => (m.temperature_K !== undefined && Number.isFinite(m.temperature_K) ? -1 : i)).filter((i) => i >= 0);
  if (missing.length > 0) {
    throw new InputError('--sidecar', missing.length === meta.length ? 'no temperatures' : `no temperature for frame(s) ${missing.slice(0, 5).join(', ')}`, 'a temperature for every frame (a sidecar with "temperature" per frame, or a run\'s frames.json): the fit places frames on the heating programme by temperature');
  }
  const T = meta.map((m) => m.temperature_K!);
  for (let i = 1; i < T.length; i++) if (!(T[i]! > T[i - 1]!)) throw new InputError('--sidecar', `frame ${i} at ${+(T[i]! - K0).toFixed(2)} °C after ${+(T[i - 1]! - K0).toFixed(2)} °C`, 'frames in order of increasing temperature (a heating series)');
  return T;
}

/** Frame times on the scenario's programme for the series' temperatures (InputError `scenario.protocol` when not covered). */
export function frameTimes(scenario: Scenario, temps_K: readonly number[]): number[] {
  try {
    return timesAtTemperatures(scenario.protocol, temps_K, 'series temperature');
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const seg = scenario.protocol.segments;
    const span = seg.length ? `${+(Math.min(...seg.map((s) => Math.min(s.T0_K, s.T1_K))) - K0).toFixed(1)} … ${+(Math.max(...seg.map((s) => Math.max(s.T0_K, s.T1_K))) - K0).toFixed(1)} °C` : 'its range';
    throw new InputError('scenario.protocol', `${e.field} ${typeof e.value === 'number' ? `${+(e.value - K0).toFixed(2)} °C` : String(e.value)}`, `a protocol covering every frame's temperature (it spans ${span})`, 'extend protocol.end or drop the frames above it');
  }
}

/** The scenario with the series' per-frame doses as its dose schedule (frames by increasing temperature). */
export function withSeriesDoses(s: Scenario, temps_K: readonly number[], doses: readonly number[]): Scenario {
  const schedule = doses.map((d, k) => ({ from_K: temps_K[k]! - 1e-3, dose_ePerA2: d })).filter((e, k) => k === 0 || e.dose_ePerA2 !== doses[k - 1]);
  return { ...s, imaging: { ...s.imaging, dose_ePerA2: doses[0]!, doseSchedule: schedule.slice(1) } };
}

/** A series fit (see module doc). */
export function seriesProblem(o: {
  scenario: Scenario;
  space: ParameterSpace;
  meta: readonly FrameMeta[];
  /** Analysis observables of each experimental frame (observe.ts). */
  observables: readonly Record<string, number>[];
  analysisOptions: FitAnalysisOptions;
  statistics?: readonly string[];
}): PreparedFit {
  const temps = seriesTemperatures_K(o.meta);
  const times = frameTimes(o.scenario, temps);
  const notes: string[] = [];
  const doses = o.meta.map((m) => m.dose_ePerA2);
  let scenario = o.scenario;
  if (doses.every((d) => d !== undefined && Number.isFinite(d) && d > 0)) scenario = withSeriesDoses(o.scenario, temps, doses as number[]);
  else notes.push(`the series gives no dose for every frame: simulated frames use the scenario's dose (${o.scenario.imaging.dose_ePerA2} e/Å²${o.scenario.imaging.doseSchedule.length ? ' with its schedule' : ''})`);
  const statistics = o.statistics ?? FIT_STATISTICS;
  const spec: ScenarioSpec = { kind: 'scenario', scenario, frameTimes_s: times, imagedFrames: times.length, analysis: o.analysisOptions, statistics };
  const stats = frameStatistics(o.observables, statistics);
  const statNames = Object.keys(stats);
  const stages = ONSET_RULES.map((r) => r.stage);
  return {
    problem: { space: o.space, simulator: spec, statNames, stages, observation: { stats } },
    spec,
    frameTemperatures_C: temps.map((t) => t - K0),
    observed: { stats, onsets: [] },
    stageMap: {},
    notes,
  };
}

/** A timeline fit: the scenario's own frames up to two steps past the highest observed bound. */
export function timelineProblem(o: { scenario: Scenario; space: ParameterSpace; timeline: readonly OnsetInterval[]; analysisOptions: FitAnalysisOptions }): PreparedFit {
  const times = o.scenario.protocol.acquisitionTimes_s;
  const temps = times.map((t) => temperatureAt(o.scenario.protocol, t));
  const step = temps.length > 1 ? (temps[temps.length - 1]! - temps[0]!) / (temps.length - 1) : 15;
  const bounds = o.timeline.flatMap((r) => [r.after_C, r.onset_C]).filter((v): v is number => v !== null);
  const top = Math.max(...bounds) + K0;
  if (temps[temps.length - 1]! < top) throw new InputError('scenario.protocol', `ends at ${+(temps[temps.length - 1]! - K0).toFixed(1)} °C`, `a protocol reaching the timeline's highest temperature (${+(top - K0).toFixed(1)} °C)`);
  let F = temps.findIndex((t) => t >= top + 2 * step - 1e-6);
  F = F < 0 ? temps.length : F + 1;
  const stageMap: Record<string, string> = {};
  const notes: string[] = [];
  for (const r of o.timeline) stageMap[r.stage] = simulatedStage(r.stage);
  const imageBounds = o.timeline.filter((r) => stageMap[r.stage] !== r.stage).flatMap((r) => [r.after_C, r.onset_C]).filter((v): v is number => v !== null);
  let imaged = 0;
  if (imageBounds.length) {
    const topImg = Math.max(...imageBounds) + K0 + 2 * step;
    imaged = temps.findIndex((t) => t >= topImg - 1e-6);
    imaged = imaged < 0 ? F : Math.min(F, imaged + 1);
  }
  for (const r of o.timeline) {
    notes.push(stageMap[r.stage] !== r.stage ? `${r.stage}: compared with the image-defined onset ${stageMap[r.stage]} (simulated frames analysed like the experiment's)` : `${r.stage}: no image-defined rule in the table; compared with the KMC-defined onset (run's rule: ${ONSET_RULES.find((x) => x.stage === r.stage)?.text ?? r.stage})`);
  }
  const spec: ScenarioSpec = { kind: 'scenario', scenario: o.scenario, frameTimes_s: times.slice(0, F), imagedFrames: imaged, analysis: o.analysisOptions, statistics: [] };
  const onsets = o.timeline.map((r) => ({ ...r, stage: stageMap[r.stage]! }));
  const stages = ONSET_RULES.map((r) => r.stage);
  return {
    problem: { space: o.space, simulator: spec, statNames: [], stages, observation: { onsets } },
    spec,
    frameTemperatures_C: temps.slice(0, F).map((t) => t - K0),
    observed: { stats: {}, onsets: [...o.timeline] },
    stageMap,
    notes,
  };
}
