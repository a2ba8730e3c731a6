/**
 * The fit's forward simulation of an experiment: `simulateScenario` (the one forward model) at the
 * series' frame times and doses with the fitted parameters as overrides, one KMC replica per call (a fit
 * replicate is a call with its own seed: its own trajectory AND its own acquisition noise), every
 * acquired frame through `analyseFrame` (the same analysis the experimental frames get), and:
 *
 * - statistics `<observable>@f<frame>`: the change of each analysis observable from the first frame
 *   (frameStatistics), read off the acquired frames (never KMC ground truth);
 * - onsets of every stage of the one rule table: the image stages (`*Image`) read off the analysed
 *   frames, the others off the KMC observables (the stage names and definitions of `run`'s
 *   summary.json), each with its latent continuous onset (onset.ts).
 *
 * Every frame, simulated or experimental, starts from the zone cell oriented by its own layer fringe
 * (or the previous frame's where it has faded: lattice.ts `seriesZoneLattices`) and is refined on its
 * columns: one analysis, one set of options, for both sides.
 */
import { analyseFrame, type AnalyseOptions } from '../analyse/index.js';
import type { Scenario } from '../scenario/index.js';
import { simulateScenario, type SimulationResult } from '../simulate/index.js';
import { ONSET_RULES, ruleColumn, type Observables, type OnsetRule } from '../timeline/index.js';
import { seriesZoneLattices } from './lattice.js';
import { latentOnsets } from './onset.js';
import type { SimOnset, SimOutput } from './types.js';

/** Observables of the analysis used as per-frame statistics (default). */
export const FIT_STATISTICS: readonly string[] = Object.freeze(['liMRatio.rim', 'liMRatio.apb', 'liMRatio.bulk', 'poreArea_A2', 'facetAnisotropy']);

/** Analysis options shared by experimental and simulated frames (plain data). */
export interface FitAnalysisOptions {
  readonly zone: string;
  readonly rim_A?: number;
  readonly apb_A?: number;
  readonly background?: 'constant' | 'smooth';
}

/** The scenario forward model as a fit simulator (plain data: it goes to workers and into the fit's key). */
export interface ScenarioSpec {
  readonly kind: 'scenario';
  readonly scenario: Scenario;
  /** Acquisition times of the frames, s (the series'). */
  readonly frameTimes_s: readonly number[];
  /** How many leading frames are imaged and analysed (the rest: KMC observables only). */
  readonly imagedFrames: number;
  readonly analysis: FitAnalysisOptions;
  /** Observables of the analysis used as statistics, per imaged frame. */
  readonly statistics: readonly string[];
}

/** Statistic name of observable `obs` at frame k (its change from the first frame). */
export function statName(obs: string, k: number): string {
  return `${obs}@f${String(k).padStart(2, '0')}`;
}

/**
 * The statistics of a frame series, the same function for experimental and simulated frames: each
 * observable's change from the first (room-temperature) frame at frames 1…F−1, relative where the onset
 * rule table reads that observable relatively (pore area), else a difference. The first frame's own
 * value carries the imaging (dose, drift, fast-frame count, source size: the Li/M ratio of a blurred
 * frame is higher everywhere) but no kinetics, so it is left out: the fit reads what heating changed.
 */
export function frameStatistics(observables: readonly Readonly<Record<string, number>>[], statistics: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  const relative = new Set(ONSET_RULES.filter((r) => r.threshold.kind === 'relative').map(ruleColumn));
  for (const s of statistics) {
    const b = observables[0]?.[s] ?? NaN;
    for (let k = 1; k < observables.length; k++) {
      const v = observables[k]![s] ?? NaN;
      out[statName(s, k)] = relative.has(s) ? (b !== 0 ? (v - b) / Math.abs(b) : NaN) : v - b;
    }
  }
  return out;
}

/** The image stages of the rule table: the rules whose observable the analysis computes from a frame. */
export function imageRules(): OnsetRule[] {
  return ONSET_RULES.filter((r) => r.stage.endsWith('Image'));
}

/** The KMC-defined stages (as in run's summary.json). */
export function kmcRules(): OnsetRule[] {
  return ONSET_RULES.filter((r) => !r.stage.endsWith('Image'));
}

/** One forward simulation for the fit; with `keepFrames` also the acquired frames (posterior predictive). */
export async function simulateForFit(spec: ScenarioSpec, values: Readonly<Record<string, number>>, seed: number, o: { keepFrames?: boolean } = {}): Promise<SimOutput & { frames?: Float32Array[]; width?: number; height?: number }> {
  const nImg = Math.min(spec.imagedFrames, spec.frameTimes_s.length);
  const stats: Record<string, number> = {};
  const imageObs: Observables[] = [];
  const frames: Float32Array[] = [];
  let width = 0;
  let height = 0;
  let temps_K: number[] = [];
  if (nImg > 0) {
    // The frames are analysed below with the fit's own settings: no column analysis inside the forward model.
    const r = await simulateScenario(spec.scenario, { seed, replicates: 1, params: values, frameTimes_s: spec.frameTimes_s.slice(0, nImg), images: 'acquired', keepSpecies: false, imageAnalysis: false });
    const opts: AnalyseOptions = { zone: spec.analysis.zone, ...(spec.analysis.rim_A !== undefined ? { rim_A: spec.analysis.rim_A } : {}), ...(spec.analysis.apb_A !== undefined ? { apb_A: spec.analysis.apb_A } : {}), ...(spec.analysis.background ? { background: spec.analysis.background } : {}) };
    const acquired = r.frames.map((f) => f.image!.acquired!);
    const a0 = acquired[0]!;
    const cal = { pixelX_A: a0.sampling_A, pixelY_A: a0.samplingY_A, intensity: 'fraction' as const };
    width = a0.width;
    height = a0.height;
    const { lattices } = seriesZoneLattices(acquired.map((a) => a.data), width, height, cal, spec.analysis.zone);
    acquired.forEach((a, k) => {
      imageObs.push(analyseFrame({ data: a.data, width, height }, cal, { ...opts, lattice_A: lattices[k]! }).observables);
      if (o.keepFrames) frames.push(a.data);
    });
    temps_K = r.frames.map((f) => f.temperature_K);
    Object.assign(stats, frameStatistics(imageObs, spec.statistics));
    if (nImg === spec.frameTimes_s.length) return { stats, onsets: { ...kmcOnsets(r), ...latentOnsets({ temperatures_K: temps_K, values: imageObs }, imageRules()) }, ...(o.keepFrames ? { frames, width, height } : {}) };
  }
  const all = await simulateScenario(spec.scenario, { seed, replicates: 1, params: values, frameTimes_s: spec.frameTimes_s, images: 'none', keepSpecies: false });
  const onsets: Record<string, SimOnset> = kmcOnsets(all);
  if (nImg > 0) Object.assign(onsets, latentOnsets({ temperatures_K: temps_K, values: imageObs }, imageRules()));
  return { stats, onsets, ...(o.keepFrames ? { frames, width, height } : {}) };
}

/** Latent onsets of the KMC-defined stages of a forward result. */
function kmcOnsets(r: SimulationResult): Record<string, SimOnset> {
  const series = { temperatures_K: r.frames.map((f) => f.temperature_K), values: r.frames.map((f) => f.observables), sd: r.frames.map((f) => f.spread), counts: r.counts, replicas: r.replicates };
  const rules = kmcRules().filter((rule) => r.frames[0]?.observables[ruleColumn(rule)] !== undefined);
  return latentOnsets(series, rules);
}
