/**
 * The likelihood of an observation under the emulator (log scale, up to a constant):
 *
 * - summary statistics: y_obs ~ μ(θ) + L·t, Σ = L·Lᵀ = Σ_rep(θ) + Σ_emu(θ) + Σ_trunc, component a of the
 *   whitened residual Student-t with ν_a = the degrees of freedom behind statistic a's replicate
 *   variance (a variance estimated from ν degrees of freedom makes the predictive law of a new
 *   observation a t_ν, not a normal: the Bayesian predictive under unknown variance; with many
 *   replicates it tends to the Gaussian synthetic likelihood). Statistics missing in the observation
 *   (NaN) are left out.
 * - onsets, interval-censored: the onset was seen at a frame, so it lies in (previous frame, this frame]
 *   (the 15 °C staircase of the seed); an onset not seen by the last frame lies in (last frame, ∞).
 *   P = F((b − μ)/s) − F((a − μ)/s) with μ, s² the emulated latent onset's mean and replicate +
 *   emulator variance, F the t_ν CDF of its replicate variance's degrees of freedom.
 *
 * - scale w (≥ 1, calibrate.ts): the whole log-likelihood above is tempered, ℓ_w(θ) = ℓ(θ)/w (the
 *   likelihood raised to the power 1/w): the Student-t terms, the −½ log det Σ(θ) normaliser and the
 *   onsets' interval terms alike. This is the generalised (Gibbs) posterior π(θ) ∝ p(θ)·L(θ)^{1/w} of
 *   Bissiri, Holmes & Walker (J. R. Stat. Soc. B 78, 1103 (2016)) with its learning rate 1/w calibrated
 *   by the coverage property (Syring & Martin, Biometrika 106, 479 (2019)). Multiplying Σ(θ) by w
 *   instead, as this module did before, is not a tempering: the normaliser −½ log det Σ(θ), which
 *   depends on θ through the emulator's and the replicates' predictive variance, stayed at full weight
 *   while the residual term was divided by w. Tempering also makes the calibration exact: the
 *   likelihood-ratio statistic of ℓ/w is Λ/w, so its mean over the pseudo-observations is d by
 *   construction (calibrate.ts computes Λ on the untempered ℓ).
 *
 * The prior is uniform in the unit cube (see space.ts), so the log-posterior is this plus 0 inside
 * and −∞ outside.
 */
import { InputError } from '../../core/index.js';
import type { Emulator, Prediction } from './emulator.js';
import { choleskyJitter, cholLogDet, solveLower } from './math/linalg.js';
import { logStudentInterval, logStudentT } from './math/normal.js';

/** An observed onset: the stage started in (after_C, onset_C]; onset_C null: not by after_C. */
export interface OnsetInterval {
  stage: string;
  /** Lower end (exclusive), °C; null: −∞ (before the first frame). */
  after_C: number | null;
  /** Upper end (inclusive), °C; null: +∞ (not reached in the observed range). */
  onset_C: number | null;
}

/** What was observed: statistics (by name) and/or onset intervals. */
export interface Observation {
  stats?: Readonly<Record<string, number>>;
  onsets?: readonly OnsetInterval[];
}

/** The emulator's statistics (their indices) that `stats` observes with a finite value, and those values. */
export function observedStatistics(em: Emulator, stats: Readonly<Record<string, number>>): { idx: number[]; y: Float64Array } {
  const idx = em.statNames.map((n, j) => (Number.isFinite(stats[n]) ? j : -1)).filter((j) => j >= 0);
  return { idx, y: Float64Array.from(idx, (j) => stats[em.statNames[j]!]!) };
}

/**
 * The observation's residual whitened by the predictive covariance of the observed statistics: Σ = LLᵀ
 * (Σ = p.cov restricted to `idx`, Cholesky with jitter) and z = L⁻¹(y − μ). The one place the likelihood,
 * the predictive check and the series' own onsets (posterior.ts) whiten an observation.
 */
export function whitenObserved(p: Prediction, m: number, idx: readonly number[], y: ArrayLike<number>): { L: Float64Array; z: Float64Array } {
  const n = idx.length;
  const S = new Float64Array(n * n);
  const r = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    const ja = idx[a]!;
    r[a] = y[a]! - p.mean[ja]!;
    for (let b = 0; b < n; b++) S[a * n + b] = p.cov[ja * m + idx[b]!]!;
  }
  const { L } = choleskyJitter(S, n);
  return { L, z: solveLower(L, n, r) };
}

export class EmulatedLikelihood {
  private readonly statIdx: number[];
  private readonly y: Float64Array;
  private readonly onsetIdx: { k: number; a: number; b: number }[];

  /**
   * `scale` w ≥ 1: the log-likelihood is divided by it (module doc), from the coverage calibration
   * (calibrate.ts); 1: the untempered likelihood.
   */
  constructor(readonly emulator: Emulator, readonly observation: Observation, readonly scale = 1) {
    if (!(scale >= 1) || !Number.isFinite(scale)) throw new Error(`EmulatedLikelihood: scale ${scale} (must be finite and ≥ 1)`);
    const { idx, y } = observedStatistics(emulator, observation.stats ?? {});
    this.statIdx = idx;
    this.y = y;
    this.onsetIdx = (observation.onsets ?? []).map((o) => {
      const k = emulator.stages.indexOf(o.stage);
      if (k < 0) throw new InputError(`onsets.${o.stage}`, o.stage, `a stage the forward model reports: ${emulator.stages.join(', ')}`);
      return { k, a: o.after_C ?? -Infinity, b: o.onset_C ?? Infinity };
    });
    if (this.statIdx.length === 0 && this.onsetIdx.length === 0) throw new Error('EmulatedLikelihood: the observation has no statistic or onset the emulator knows');
  }

  /** Number of statistics and onsets used. */
  get terms(): { stats: number; onsets: number } {
    return { stats: this.statIdx.length, onsets: this.onsetIdx.length };
  }

  /** The tempered log-likelihood ℓ(u)/w at unit-cube point u (−∞ outside the cube); w = 1: ℓ itself, the same bits. */
  logLik(u: ArrayLike<number>): number {
    // ℓ/1 is ℓ exactly (IEEE division), so w = 1 is the untempered likelihood bit for bit.
    return this.untemperedLogLik(u) / this.scale;
  }

  /** The untempered log-likelihood ℓ(u) at unit-cube point u (−∞ outside the cube). */
  untemperedLogLik(u: ArrayLike<number>): number {
    for (let i = 0; i < this.emulator.d; i++) if (!(u[i]! >= 0 && u[i]! <= 1)) return -Infinity;
    const p = this.emulator.predict(u, { covariance: this.statIdx.length > 0 });
    let ll = 0;
    const n = this.statIdx.length;
    if (n > 0) {
      const { L, z } = whitenObserved(p, this.emulator.m, this.statIdx, this.y);
      // Component a of L⁻¹r is statistic a's residual net of its predecessors': it takes a's degrees of freedom.
      for (let a = 0; a < n; a++) ll += logStudentT(z[a]!, p.replicateDof[this.statIdx[a]!]!);
      ll -= 0.5 * cholLogDet(L, n);
    }
    for (const o of this.onsetIdx) {
      const e = p.onsets[o.k]!;
      ll += logStudentInterval(o.a, o.b, e.mean, Math.sqrt(e.emulatorVariance + e.replicateVariance), e.replicateDof);
    }
    return ll;
  }
}
