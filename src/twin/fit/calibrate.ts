/**
 * Calibration of the emulated likelihood's scale by the coverage property, on simulations the fit
 * already has (no new forward run).
 *
 * An emulated likelihood is over-confident when the emulator's mean is wrong by more than it admits
 * in a way that is smooth in θ (its slope, not only its level: a wrong slope sharpens or shifts the
 * likelihood without raising Σz² anywhere), when the replicate covariance is estimated from few
 * replicates, or when the observation's imaging differs from the forward model's. None of these shows
 * in the per-point emulator variance. What does show is the frequentist behaviour of the posterior on
 * data whose truth is known: a replicate simulation at a design point θ_i is an observation with known
 * parameters. For such a pseudo-observation y_ik the likelihood-ratio statistic
 *
 *   Λ_ik = 2 [ max_θ ℓ(θ; y_ik) − ℓ(θ_i; y_ik) ]
 *
 * is ≈ χ²_d when the likelihood is right (Wilks); a likelihood that is too sharp by a factor w (in its
 * curvature) gives Λ ≈ w·χ²_d. So w = max(1, mean Λ / d) restores the coverage of the posterior's
 * intervals, and the fit uses the tempered log-likelihood ℓ/w (likelihood.ts): its likelihood-ratio
 * statistic is exactly Λ/w, whose mean over these pseudo-observations is then d (or less, where w = 1).
 * Λ is therefore computed on the untempered ℓ. This is the
 * coverage-property recalibration of ABC posteriors (Prangle, Blum, Popovic & Sisson, Aust. N. Z. J.
 * Stat. 56, 309 (2014); Rodrigues, Prangle & Sisson, Comput. Stat. Data Anal. 118, 112 (2018)) and the
 * learning-rate calibration of generalised posteriors (Syring & Martin, Biometrika 106, 479 (2019)),
 * done with the likelihood-ratio statistic so that a handful of pseudo-observations suffices; the
 * tempered likelihood is the "magnitude adjustment" of composite likelihoods (Ribatet, Cooley & Davison,
 * Stat. Sinica 22, 813 (2012)) and the generalised posterior of Bissiri, Holmes & Walker (J. R. Stat.
 * Soc. B 78, 1103 (2016)).
 *
 * - ℓ(·; y_ik) is computed with the emulator built WITHOUT point i (all its replicates), so that the
 *   pseudo-observation is new data to it, as the real observation is (the emulator with one point
 *   fewer is a little worse than the fit's: the calibration errs on the wide side). Its GPs' hyper-
 *   parameters are fitted again: the error of a refitted kernel is part of the emulator's error
 *   (measured: keeping the full fit's hyperparameters gave w = 1.45 instead of 2.97 on recovery case
 *   A's 70 simulations, and intervals that missed the truth again).
 * - Only points where the real observation's likelihood is high enter (the posterior's region, where
 *   the intervals are read): the `points` best design points by ℓ(θ_i; y_obs), at least d + 2.
 * - The maximisation is Nelder–Mead from the better of θ_i and the best point of a fixed lattice scan
 *   (no random numbers: same bytes everywhere). At most 4 replicates per point are used.
 * - Observed onsets (the timeline mode) are interval data on the observation's own grid, which a
 *   replicate does not have: there the scale stays 1 and the diagnostics say so.
 */
import { Emulator, type TrainingSet } from './emulator.js';
import { EmulatedLikelihood, type Observation } from './likelihood.js';
import { nelderMead } from './math/optimize.js';

export interface ScaleCalibration {
  /** w (≥ 1): the fit's log-likelihood is divided by it (the tempered likelihood ℓ/w, likelihood.ts). */
  scale: number;
  /** Mean of the likelihood-ratio statistics over the pseudo-observations (χ²_d mean: d). */
  meanLr: number;
  /** Number of pseudo-observations and of design points they came from. */
  pseudoObservations: number;
  points: number;
  /** Why not calibrated (scale 1), if so. */
  skipped?: string;
}

export interface CalibrateOptions {
  /** Design points used (the best by the observation's likelihood; default max(d + 2, 6)). */
  points?: number;
  /** Upper bound on the scale (default 100). */
  maxScale?: number;
}

/** Golden-ratio (Kronecker) lattice in the unit cube: deterministic, low-discrepancy. */
function latticePoint(i: number, d: number): Float64Array {
  const alphas = [0.6180339887498949, 0.4142135623730950, 0.7320508075688772, 0.2360679774997897, 0.6457513110645906, 0.3166247903554];
  return Float64Array.from({ length: d }, (_, j) => ((i + 0.5) * alphas[j % alphas.length]! + j * 0.1234) % 1);
}

/** max_u ℓ(u) over the unit cube (see module doc): a lattice scan, then Nelder–Mead from the better of the scan's best and `start`. */
function maximise(ll: (u: Float64Array) => number, d: number, start: ArrayLike<number>): number {
  let x0: Float64Array = Float64Array.from(start);
  let best = ll(x0);
  const scan = Math.max(16, 8 * d);
  for (let i = 0; i < scan; i++) {
    const u = latticePoint(i, d);
    const v = ll(u);
    if (v > best) {
      best = v;
      x0 = u;
    }
  }
  const r = nelderMead((u) => -ll(u), x0, { step: new Array(d).fill(0.05), lo: new Array(d).fill(0), hi: new Array(d).fill(1), maxEvaluations: 60 * d, tolerance: 1e-6 });
  return Math.max(best, -r.f);
}

/**
 * The scale w of the emulated likelihood (module doc) for the fit's training set and observation;
 * `full` is the emulator built on all points.
 */
export function calibrateScale(ts: TrainingSet, full: Emulator, observation: Observation, o: CalibrateOptions = {}): ScaleCalibration {
  const d = ts.d;
  const obsStats = observation.stats ?? {};
  const used = ts.statNames.filter((n) => Number.isFinite(obsStats[n]));
  if ((observation.onsets?.length ?? 0) > 0 || used.length === 0) {
    return { scale: 1, meanLr: NaN, pseudoObservations: 0, points: 0, skipped: 'observed onsets (interval data on the observation\'s grid): no pseudo-observations' };
  }
  const nPts = Math.min(ts.points.length, o.points ?? Math.max(d + 2, 6));
  if (ts.points.length < 3) return { scale: 1, meanLr: NaN, pseudoObservations: 0, points: 0, skipped: 'fewer than 3 design points' };
  const real = new EmulatedLikelihood(full, observation);
  const ranked = ts.points.map((p, i) => ({ i, ll: real.untemperedLogLik(p.u) })).sort((a, b) => b.ll - a.ll || a.i - b.i).slice(0, nPts);
  let sum = 0;
  let count = 0;
  for (const { i } of ranked) {
    const p = ts.points[i]!;
    const loo = Emulator.build({ ...ts, points: ts.points.filter((_, j) => j !== i) });
    // At most 4 replicates per point (an anchor has 8): the points, not the replicates, carry the emulator's error.
    for (const rep of p.stats.slice(0, 4)) {
      const stats: Record<string, number> = {};
      ts.statNames.forEach((n, j) => {
        if (used.includes(n) && Number.isFinite(rep[j]!)) stats[n] = rep[j]!;
      });
      const lik = new EmulatedLikelihood(loo, { stats });
      // Λ on the untempered ℓ (module doc).
      const ll = (u: ArrayLike<number>) => lik.untemperedLogLik(u);
      const at = ll(p.u);
      if (!Number.isFinite(at)) continue;
      const mx = maximise(ll, d, p.u);
      sum += Math.max(0, 2 * (mx - at));
      count++;
    }
  }
  if (count === 0) return { scale: 1, meanLr: NaN, pseudoObservations: 0, points: ranked.length, skipped: 'no finite pseudo-observation' };
  const meanLr = sum / count;
  const scale = Math.min(o.maxScale ?? 100, Math.max(1, meanLr / d));
  return { scale, meanLr, pseudoObservations: count, points: ranked.length };
}
