/**
 * Posterior summaries: per parameter the median and the central 90 % interval (5 %, 95 % quantiles)
 * in physical units, where the default sits in the posterior (its CDF value; "supported" when it lies
 * inside the 90 % interval), the correlation matrix of the fitted parameters (on the scale their prior
 * is uniform on: linear, or log for log-scale ones), and the onsets, reported continuous and on the
 * frame grid (the first frame at or above it: the definition `run`'s summary uses), two ways:
 *
 * - **the fitted series' own onsets** (`onsetSummaries`' main figures): for posterior draws θ, the
 *   latent onset of the lamella that made the series, given its observed statistics y. One simulation's
 *   onset and its frames' statistics scatter together (a run whose rim starts early shows it in its rim
 *   curve), so with (o, y) jointly Gaussian under the emulator at θ,
 *     o | y, θ ~ N( μ_o + c_oyᵀ Σ_yy⁻¹ (y − μ_y),  σ²_o − c_oyᵀ Σ_yy⁻¹ c_oy ),
 *   c_oy the replicate cross-covariance (Emulator.predict's `onsetStatCov`), Σ_yy the statistics'
 *   predictive covariance (replicate + emulator + truncation, the likelihood's), σ²_o the onset's
 *   replicate + emulator variance. It is what the series says about when its own stages began. Σ_yy
 *   contains the replicate covariance, so the conditional variance never exceeds σ²_o, and it keeps the
 *   onset GP's emulator variance in full (that error is independent of the statistics').
 * - **a repeat experiment** (`repeat`): the posterior predictive of a new lamella's onset under the same
 *   programme, o ~ N(μ_o, σ²_o): wider, since a new lamella scatters afresh.
 *
 * With no observed statistics (a timeline fit: the observation is the onset intervals themselves) the two
 * are the same draws. Both are drawn normal. (Student's t with the onset's replicate degrees of freedom, the
 * law of the likelihood's interval-censored onset terms, was tried: on recovery case B, whose local pooled
 * degrees of freedom are few, it widened the rim interval from 30 to 60 °C, while the normal draws' rim
 * intervals already covered the truth in 10 of 10 calibration cases: bench/RESULTS.md.)
 */
import { Rng, Stream } from '../../core/index.js';
import { observedStatistics, whitenObserved } from './likelihood.js';
import { solveLower } from './math/linalg.js';
import type { Emulator } from './emulator.js';
import type { ParameterSpace } from './space.js';

export interface ParameterSummary {
  unit: string;
  median: number;
  ci90: [number, number];
  prior: [number, number];
  scale: 'linear' | 'log';
  default: number;
  /** Posterior probability below the default (0.5 = the default is the median). */
  defaultQuantile: number;
  /** The default lies inside the 90 % interval. */
  supportsDefault: boolean;
}

/** An onset's distribution on the frame grid and continuous. */
export interface OnsetQuantiles {
  /** Median of the onset on the frame grid, °C. */
  median_C: number | null;
  /** 90 % interval on the frame grid, °C (null end: beyond the last frame). */
  ci90_C: [number | null, number | null];
  /** Continuous latent onset: median and 90 % interval, °C. */
  latentMedian_C: number;
  latentCi90_C: [number, number];
  /** Posterior probability that the stage is reached within the frames. */
  reached: number;
}

/**
 * Main figures: the fitted series' own onset (conditioned on its statistics, `conditionedOn`); `repeat`:
 * a new lamella's (the posterior predictive). See the module doc.
 */
export interface OnsetSummary extends OnsetQuantiles {
  /** What the main figures are conditioned on besides θ: the series' statistics (how many), or nothing. */
  conditionedOn: { statistics: number };
  /** The posterior predictive onset of a repeat experiment (a new lamella, same programme). */
  repeat: OnsetQuantiles;
}

/** Quantile q of sorted values (linear interpolation). */
export function quantileSorted(s: ArrayLike<number>, q: number): number {
  if (s.length === 0) return NaN;
  const pos = Math.min(1, Math.max(0, q)) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/** Median, 90 % interval and the default's place, per parameter. */
export function summariseParameters(space: ParameterSpace, samples: readonly Float64Array[]): Record<string, ParameterSummary> {
  const out: Record<string, ParameterSummary> = {};
  space.parameters.forEach((p, i) => {
    const v = Float64Array.from(samples, (s) => space.value(i, s[i]!)).sort();
    let below = 0;
    for (const x of v) if (x < p.default) below++;
    const lo = quantileSorted(v, 0.05);
    const hi = quantileSorted(v, 0.95);
    out[p.name] = {
      unit: p.unit,
      median: quantileSorted(v, 0.5),
      ci90: [lo, hi],
      prior: [p.prior[0], p.prior[1]],
      scale: p.scale,
      default: p.default,
      defaultQuantile: below / v.length,
      supportsDefault: p.default >= lo && p.default <= hi,
    };
  });
  return out;
}

/** Pearson correlations of the parameters (unit-cube coordinates = the prior's scale), as a nested map. */
export function correlations(space: ParameterSpace, samples: readonly Float64Array[]): Record<string, Record<string, number>> {
  const d = space.dim;
  const n = samples.length;
  const mean = new Float64Array(d);
  for (const s of samples) for (let i = 0; i < d; i++) mean[i]! += s[i]! / n;
  const C = new Float64Array(d * d);
  for (const s of samples) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) C[a * d + b]! += ((s[a]! - mean[a]!) * (s[b]! - mean[b]!)) / n;
  const out: Record<string, Record<string, number>> = {};
  space.parameters.forEach((pa, a) => {
    out[pa.name] = {};
    space.parameters.forEach((pb, b) => {
      const den = Math.sqrt(C[a * d + a]! * C[b * d + b]!);
      out[pa.name]![pb.name] = den > 0 ? +(C[a * d + b]! / den).toFixed(4) : a === b ? 1 : 0;
    });
  });
  return out;
}

/** Evenly spaced subset of at most `max` samples (deterministic thinning). */
export function thinSamples<T>(samples: readonly T[], max: number): T[] {
  if (samples.length <= max) return [...samples];
  const step = samples.length / max;
  return Array.from({ length: max }, (_, i) => samples[Math.floor(i * step)]!);
}

/**
 * Onsets per emulated stage (see module doc): the series' own, conditioned on `observedStats` (by
 * statistic name; non-finite values are left out), and a repeat experiment's. The repeat draws use the
 * stream the predictive onsets always used, so they do not depend on the conditioning.
 */
export function onsetSummaries(em: Emulator, samples: readonly Float64Array[], frameTemperatures_C: readonly number[], seed: number, observedStats: Readonly<Record<string, number>> = {}, draws = 2000): Record<string, OnsetSummary> {
  const rngRepeat = Rng.stream(seed, Stream.FIT_PREDICTIVE, 1);
  const rngSeries = Rng.stream(seed, Stream.FIT_PREDICTIVE, 4);
  const thin = thinSamples(samples, draws);
  const { idx, y } = observedStatistics(em, observedStats);
  const n = idx.length;
  const m = em.m;
  const repeat: number[][] = em.stages.map(() => []);
  const series: number[][] = em.stages.map(() => []);
  const c = new Float64Array(n);
  for (const u of thin) {
    const p = em.predict(u, { covariance: n > 0 });
    p.onsets.forEach((o, k) => repeat[k]!.push(o.mean + Math.sqrt(o.emulatorVariance + o.replicateVariance) * rngRepeat.normal()));
    if (n === 0) {
      p.onsets.forEach((_, k) => series[k]!.push(repeat[k]![repeat[k]!.length - 1]!));
      continue;
    }
    const { L, z } = whitenObserved(p, m, idx, y);
    p.onsets.forEach((o, k) => {
      for (let a = 0; a < n; a++) c[a] = p.onsetStatCov[k * m + idx[a]!]!;
      const v = solveLower(L, n, c);
      let shift = 0;
      let explained = 0;
      for (let a = 0; a < n; a++) {
        shift += v[a]! * z[a]!;
        explained += v[a]! * v[a]!;
      }
      const variance = Math.max(0, o.emulatorVariance + o.replicateVariance - explained);
      series[k]!.push(o.mean + shift + Math.sqrt(variance) * rngSeries.normal());
    });
  }
  const temps = [...frameTemperatures_C].sort((a, b) => a - b);
  const out: Record<string, OnsetSummary> = {};
  em.stages.forEach((st, k) => {
    out[st] = { ...onsetQuantiles(series[k]!, temps), conditionedOn: { statistics: n }, repeat: onsetQuantiles(repeat[k]!, temps) };
  });
  return out;
}

/** Grid and continuous quantiles of latent onset draws; `temps` the frame temperatures, ascending. */
function onsetQuantiles(draws: readonly number[], temps: readonly number[]): OnsetQuantiles {
  const last = temps[temps.length - 1] ?? Infinity;
  const toGrid = (t: number): number => {
    for (const g of temps) if (g >= t) return g;
    return Infinity;
  };
  const l = Float64Array.from(draws).sort();
  const g = Float64Array.from(l, toGrid).sort();
  const q = (a: Float64Array, x: number) => a[Math.min(a.length - 1, Math.floor(x * a.length))]!;
  const fin = (x: number) => (Number.isFinite(x) ? x : null);
  return {
    median_C: fin(q(g, 0.5)),
    ci90_C: [fin(q(g, 0.05)), fin(q(g, 0.95))],
    latentMedian_C: +quantileSorted(l, 0.5).toFixed(2),
    latentCi90_C: [+quantileSorted(l, 0.05).toFixed(2), +quantileSorted(l, 0.95).toFixed(2)],
    reached: l.filter((x) => x <= last).length / l.length,
  };
}
