/**
 * Posterior summaries: per parameter the median and the central 90 % interval (5 %, 95 % quantiles)
 * in physical units, where the default sits in the posterior (its CDF value; "supported" when it lies
 * inside the 90 % interval), the correlation matrix of the fitted parameters (on the scale their prior
 * is uniform on: linear, or log for log-scale ones), and posterior-predictive onsets: for posterior
 * draws θ, a latent onset ~ N(μ(θ), emulator + replicate variance), reported continuous and on the
 * frame grid (the first frame at or above it: the definition `run`'s summary uses).
 */
import { Rng, Stream } from '../../core/index.js';
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

export interface OnsetSummary {
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

/** Posterior-predictive onsets per emulated stage (see module doc). */
export function predictiveOnsets(em: Emulator, samples: readonly Float64Array[], frameTemperatures_C: readonly number[], seed: number, draws = 2000): Record<string, OnsetSummary> {
  const rng = Rng.stream(seed, Stream.FIT_PREDICTIVE, 1);
  const thin = thinSamples(samples, draws);
  const latent: number[][] = em.stages.map(() => []);
  for (const u of thin) {
    const p = em.predict(u, { covariance: false });
    p.onsets.forEach((o, k) => latent[k]!.push(o.mean + Math.sqrt(o.emulatorVariance + o.replicateVariance) * rng.normal()));
  }
  const temps = [...frameTemperatures_C].sort((a, b) => a - b);
  const last = temps[temps.length - 1] ?? Infinity;
  const toGrid = (t: number): number => {
    for (const g of temps) if (g >= t) return g;
    return Infinity;
  };
  const out: Record<string, OnsetSummary> = {};
  em.stages.forEach((st, k) => {
    const l = Float64Array.from(latent[k]!).sort();
    const g = Float64Array.from(l, toGrid).sort();
    const q = (a: Float64Array, x: number) => a[Math.min(a.length - 1, Math.floor(x * a.length))]!;
    const fin = (x: number) => (Number.isFinite(x) ? x : null);
    out[st] = {
      median_C: fin(q(g, 0.5)),
      ci90_C: [fin(q(g, 0.05)), fin(q(g, 0.95))],
      latentMedian_C: +quantileSorted(l, 0.5).toFixed(2),
      latentCi90_C: [+quantileSorted(l, 0.05).toFixed(2), +quantileSorted(l, 0.95).toFixed(2)],
      reached: l.filter((x) => x <= last).length / l.length,
    };
  });
  return out;
}
