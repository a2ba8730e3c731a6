/**
 * The fit's results as data: posterior.json (schema 1, the contract), the posterior samples,
 * the predicted curves with their bands against the measured ones, and a posterior-predictive check.
 * Pure: writing is outputs.ts.
 */
import { Rng, Stream } from '../../core/index.js';
import { ONSET_RULES } from '../timeline/index.js';
import type { ScaleCalibration } from './calibrate.js';
import type { FitResult } from './driver.js';
import { statName } from './forward.js';
import { observedStatistics, whitenObserved } from './likelihood.js';
import { normalCdf } from './math/normal.js';
import { correlations, onsetSummaries, quantileSorted, summariseParameters, thinSamples, type OnsetSummary, type ParameterSummary } from './posterior.js';
import type { PreparedFit } from './problem.js';

export const POSTERIOR_SCHEMA_VERSION = 1;

/** One predicted curve point: the measured value and the posterior-predictive band. */
export interface CurvePoint {
  statistic: string;
  frame: number;
  temperature_C: number;
  observed: number | null;
  /** Posterior-predictive (parameter + replicate + emulator uncertainty) 5 %, 50 %, 95 %. */
  p05: number;
  p50: number;
  p95: number;
  /** Posterior of the expected value (parameter + emulator uncertainty only) 5 %, 95 %. */
  mean05: number;
  mean95: number;
  /** Replicate (simulator + acquisition) sd of the statistic, posterior median: the observation's own spread. */
  replicateSd: number;
}

export interface PosteriorJson {
  schemaVersion: number;
  mode: 'series' | 'timeline';
  parameters: Record<string, ParameterSummary & { source?: string }>;
  onsets: Record<string, OnsetSummary & { definition: 'kmc' | 'image'; rule: string; observed?: { after_C: number | null; onset_C: number | null; comparedWith: string } }>;
  simulations: number;
  diagnostics: Record<string, unknown>;
  correlations: Record<string, Record<string, number>>;
  identifiability: string[];
  notes: string[];
  inputs: Record<string, unknown>;
  method: string;
}

/** Identifiability statements for the fitted set (MODEL.md §6; the issue). */
export function identifiability(names: readonly string[], corr: Record<string, Record<string, number>>): string[] {
  const out: string[] = [];
  if (names.includes('nu')) out.push('ν is fitted: Ea and ν compensate for one heating programme (0.1 eV ≈ one decade of ν ≈ 30 K at the onset), so the barriers and log ν are strongly correlated and neither is pinned by one series alone; read the correlations.');
  else out.push('ν is held at its table value (1e13 1/s; prior 1e12–1e14): for one heating programme Ea and ν compensate (0.1 eV ≈ one decade of ν ≈ 30 K), so the fitted barriers are conditional on ν; a shift of ν by a decade moves them by ≈ kT ln 10 ≈ 0.09 eV at 450 K.');
  for (const a of names) for (const b of names) {
    if (a >= b) continue;
    const r = corr[a]?.[b] ?? 0;
    if (Math.abs(r) >= 0.7) out.push(`${a} and ${b} are ${r > 0 ? 'positively' : 'negatively'} correlated (r = ${r.toFixed(2)}): the data constrain a combination of them better than either alone.`);
  }
  return out;
}

/** Posterior-predictive curves per statistic and frame (series mode). */
export function predictedCurves(r: FitResult, prep: PreparedFit, seed: number, draws = 600): CurvePoint[] {
  const em = r.emulator;
  const m = em.m;
  if (m === 0) return [];
  const rng = Rng.stream(seed, Stream.FIT_PREDICTIVE, 2);
  const thin = thinSamples(r.mcmc.samples, draws);
  const pred: number[][] = Array.from({ length: m }, () => []);
  const means: number[][] = Array.from({ length: m }, () => []);
  const repSd: number[][] = Array.from({ length: m }, () => []);
  for (const u of thin) {
    const p = em.predict(u, { covariance: false });
    for (let j = 0; j < m; j++) {
      const sdMean = Math.sqrt(p.emulatorVariance[j]!);
      const mu = p.mean[j]! + sdMean * rng.normal();
      means[j]!.push(mu);
      repSd[j]!.push(Math.sqrt(p.replicateVariance[j]!));
      pred[j]!.push(mu + Math.sqrt(p.replicateVariance[j]!) * rng.normal());
    }
  }
  const idx = new Map(em.statNames.map((n, j) => [n, j]));
  const out: CurvePoint[] = [];
  for (const s of prep.spec.statistics) {
    prep.frameTemperatures_C.forEach((T, k) => {
      const j = idx.get(statName(s, k));
      if (j === undefined) return;
      const a = Float64Array.from(pred[j]!).sort();
      const b = Float64Array.from(means[j]!).sort();
      const sd = Float64Array.from(repSd[j]!).sort();
      const obs = prep.observed.stats[statName(s, k)];
      out.push({ statistic: s, frame: k, temperature_C: +T.toFixed(3), observed: obs !== undefined && Number.isFinite(obs) ? obs : null, p05: quantileSorted(a, 0.05), p50: quantileSorted(a, 0.5), p95: quantileSorted(a, 0.95), mean05: quantileSorted(b, 0.05), mean95: quantileSorted(b, 0.95), replicateSd: quantileSorted(sd, 0.5) });
    });
  }
  return out;
}

/**
 * Posterior-predictive check: the whitened residual of the observation d²(θ) = Σ z² (z = L⁻¹(y − μ(θ)),
 * Σ(θ) = LLᵀ the statistics' predictive covariance), against its law under the model (≈ χ² with as many
 * degrees of freedom as statistics; Wilson–Hilferty upper tail):
 * - `pValue`, at the posterior median (the figure the warning uses): a small p says the model, at its
 *   central parameters, does not reproduce the series;
 * - `pValueBest`, at the most probable posterior sample;
 * - `posteriorPValue`, the posterior-predictive p-value of the discrepancy d²(y, θ) (Gelman, Meng & Stern,
 *   Stat. Sin. 6, 733 (1996)): P(d²(y_rep, θ) ≥ d²(y_obs, θ)) over θ from the posterior, i.e. the mean of
 *   the upper tail over (up to 200, evenly thinned) posterior draws.
 */
export function predictiveCheck(r: FitResult): { statistics: number; d2: number; pValue: number; pValueBest: number; posteriorPValue: number; draws: number } | undefined {
  const em = r.emulator;
  const obs = r.likelihood.observation.stats;
  if (!obs || em.m === 0) return undefined;
  const d = em.d;
  const { idx, y } = observedStatistics(em, obs);
  const n = idx.length;
  const d2At = (u: ArrayLike<number>): number => whitenObserved(em.predict(u), em.m, idx, y).z.reduce((acc, v) => acc + v * v, 0);
  // Wilson–Hilferty normal approximation of the χ²_n upper tail.
  const upper = (x: number) => 1 - normalCdf((Math.cbrt(x / n) - (1 - 2 / (9 * n))) / Math.sqrt(2 / (9 * n)));
  const med = Float64Array.from({ length: d }, (_, i) => quantileSorted(Float64Array.from(r.mcmc.samples, (s) => s[i]!).sort(), 0.5));
  const d2 = d2At(med);
  let best = 0;
  r.mcmc.logPost.forEach((v, i) => (v > r.mcmc.logPost[best]! ? (best = i) : 0));
  const thin = thinSamples(r.mcmc.samples, 200);
  const ppp = thin.reduce((acc, u) => acc + upper(d2At(u)), 0) / Math.max(1, thin.length);
  return { statistics: n, d2: +d2.toFixed(3), pValue: +upper(d2).toPrecision(3), pValueBest: +upper(d2At(r.mcmc.samples[best]!)).toPrecision(3), posteriorPValue: +ppp.toPrecision(3), draws: thin.length };
}

/** The posterior.json object (see the output contract). */
export function posteriorJson(r: FitResult, prep: PreparedFit, o: { seed: number; inputs: Record<string, unknown>; dropped: readonly string[]; predictiveSimulations: number }): PosteriorJson {
  const space = r.space;
  const params = summariseParameters(space, r.mcmc.samples);
  const withSource: PosteriorJson['parameters'] = {};
  for (const p of space.parameters) withSource[p.name] = { ...params[p.name]!, ...(p.source ? { source: p.source } : {}) };
  const corr = correlations(space, r.mcmc.samples);
  const onsetPred = onsetSummaries(r.emulator, r.mcmc.samples, prep.frameTemperatures_C, o.seed, r.likelihood.observation.stats ?? {});
  const onsets: PosteriorJson['onsets'] = {};
  for (const rule of ONSET_RULES) {
    const s = onsetPred[rule.stage];
    if (!s) continue;
    onsets[rule.stage] = { ...s, definition: rule.stage.endsWith('Image') ? 'image' : 'kmc', rule: rule.text };
  }
  for (const ob of prep.observed.onsets) {
    const sim = prep.stageMap[ob.stage] ?? ob.stage;
    const target = onsets[sim];
    if (target) target.observed = { after_C: ob.after_C, onset_C: ob.onset_C, comparedWith: sim };
  }
  const rhat = Object.fromEntries(space.names.map((n, i) => [n, +r.mcmc.rhat[i]!.toFixed(4)]));
  const ess = Object.fromEntries(space.names.map((n, i) => [n, Math.round(r.mcmc.ess[i]!)]));
  const converged = r.mcmc.rhat.every((x) => x < 1.01) && r.mcmc.ess.every((x) => x >= 400);
  const check = predictiveCheck(r);
  const warnings: string[] = [];
  if (!converged) warnings.push(`MCMC not converged by the usual criteria (R̂ < 1.01, ESS ≥ 400): R̂ ${r.mcmc.rhat.map((x) => x.toFixed(3)).join(', ')}, ESS ${r.mcmc.ess.map((x) => Math.round(x)).join(', ')}`);
  if (check && check.pValue < 0.01) warnings.push(`posterior-predictive check: the series is unlikely under the fitted model (d² = ${check.d2} on ${check.statistics} statistics, p = ${check.pValue}); the posterior describes the best the model can do, not a good fit`);
  for (const [name, s] of Object.entries(params)) {
    const [lo, hi] = s.prior;
    const span = s.scale === 'log' ? Math.log(hi / lo) : hi - lo;
    const at = (v: number) => (s.scale === 'log' ? Math.log(v / lo) / span : (v - lo) / span);
    if (at(s.ci90[0]) < 0.02 || at(s.ci90[1]) > 0.98) warnings.push(`${name}: the 90 % interval reaches the prior's edge (${lo}–${hi} ${s.unit}); the prior, not the data, bounds it there`);
  }
  return {
    schemaVersion: POSTERIOR_SCHEMA_VERSION,
    mode: prep.problem.statNames.length > 0 ? 'series' : 'timeline',
    parameters: withSource,
    onsets,
    simulations: r.records.length,
    diagnostics: {
      converged,
      rhat,
      ess,
      acceptance: r.mcmc.acceptance.map((a) => +a.toFixed(3)),
      samples: r.mcmc.samples.length,
      chains: r.mcmc.chains.length,
      rounds: r.roundInfo.map((x) => ({ round: x.round, designPoints: x.points, simulations: x.simulations, emulator: x.emulator, rhat: x.rhat?.map((v) => +v.toFixed(4)), ...(x.calibration ? { likelihoodScale: roundCalibration(x.calibration) } : {}) })),
      // The likelihood's scale w from the coverage calibration (calibrate.ts): the fit's log-likelihood is ℓ/w
      // (likelihood.ts, a tempered/generalised posterior); 1 = the untempered emulated likelihood.
      likelihood: { ...r.likelihood.terms, scale: +r.likelihood.scale.toFixed(4), scaleMode: 'tempered-log-likelihood', ...(r.roundInfo.at(-1)?.calibration ? { scaleCalibration: roundCalibration(r.roundInfo.at(-1)!.calibration!) } : {}) },
      droppedStatistics: o.dropped,
      predictiveCheck: check ?? null,
      predictiveSimulations: o.predictiveSimulations,
      simulationWall_s: +r.records.reduce((a, x) => a + x.wall_s, 0).toFixed(1),
      warnings,
    },
    correlations: corr,
    identifiability: identifiability(space.names, corr),
    notes: prep.notes,
    inputs: o.inputs,
    method: 'Emulated synthetic likelihood: maximin Latin-hypercube design over the prior with replicate forward runs, GP emulators (Matérn 5/2, universal kriging, LOO-calibrated) of the principal components of the per-frame statistics and of each latent onset, replicate covariance by adaptive-bandwidth pooling (Student-t tails from its degrees of freedom), adaptive-Metropolis MCMC (4 chains, split-R̂, ESS), BOLFI-like batch refinement near the posterior.',
  };
}

/** posterior-samples.csv: one row per kept MCMC sample (chain, draw, values in the parameters' units, the tempered log-likelihood ℓ/w the chain sampled). */
export function samplesCsv(r: FitResult): string {
  const names = r.space.names;
  const rows = [['chain', 'draw', ...names.map((n, i) => `${n}_${r.space.parameters[i]!.unit.replace('/', 'per')}`), 'logLikelihood'].join(',')];
  let k = 0;
  r.mcmc.chains.forEach((ch, c) => ch.forEach((u, i) => {
    rows.push([c, i, ...names.map((_, j) => +r.space.value(j, u[j]!).toPrecision(10)), +r.mcmc.logPost[k++]!.toPrecision(8)].join(','));
  }));
  return `${rows.join('\n')}\n`;
}

/** predicted-curves.csv from `predictedCurves`. */
export function curvesCsv(points: readonly CurvePoint[]): string {
  const f = (v: number | null) => (v === null || !Number.isFinite(v) ? '' : String(+v.toPrecision(6)));
  return `${['statistic', 'frame', 'temperature_C', 'observed', 'p05', 'p50', 'p95', 'mean05', 'mean95', 'replicateSd'].join(',')}\n${points.map((p) => [p.statistic, p.frame, p.temperature_C, f(p.observed), f(p.p05), f(p.p50), f(p.p95), f(p.mean05), f(p.mean95), f(p.replicateSd)].join(',')).join('\n')}\n`;
}

/** A scale calibration with its numbers rounded for posterior.json. */
function roundCalibration(c: ScaleCalibration): ScaleCalibration {
  return { ...c, scale: +c.scale.toFixed(4), meanLr: Number.isFinite(c.meanLr) ? +c.meanLr.toFixed(4) : c.meanLr };
}
