/**
 * The likelihood of an observation under the emulator (log scale, up to a constant):
 *
 * - summary statistics: multivariate Gaussian N(y_obs; μ(θ), Σ_rep(θ) + Σ_emu(θ) + Σ_trunc), statistics
 *   missing in the observation (NaN) left out;
 * - onsets, interval-censored: the onset was seen at a frame, so it lies in (previous frame, this frame]
 *   (the 15 °C staircase of the seed); an onset not seen by the last frame lies in (last frame, ∞).
 *   P = Φ((b − μ)/s) − Φ((a − μ)/s) with μ, s² the emulated latent onset's mean and
 *   replicate + emulator variance.
 *
 * The prior is uniform in the unit cube (see space.ts), so the log-posterior is this plus 0 inside
 * and −∞ outside.
 */
import { InputError } from '../../core/index.js';
import type { Emulator } from './emulator.js';
import { choleskyJitter, cholLogDet, solveLower } from './math/linalg.js';
import { logNormalInterval } from './math/normal.js';

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

export class EmulatedLikelihood {
  private readonly statIdx: number[];
  private readonly y: Float64Array;
  private readonly onsetIdx: { k: number; a: number; b: number }[];

  constructor(readonly emulator: Emulator, readonly observation: Observation) {
    const stats = observation.stats ?? {};
    this.statIdx = [];
    const y: number[] = [];
    emulator.statNames.forEach((name, j) => {
      const v = stats[name];
      if (v !== undefined && Number.isFinite(v)) {
        this.statIdx.push(j);
        y.push(v);
      }
    });
    this.y = Float64Array.from(y);
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

  /** log-likelihood at unit-cube point u (−∞ outside the cube). */
  logLik(u: ArrayLike<number>): number {
    for (let i = 0; i < this.emulator.d; i++) if (!(u[i]! >= 0 && u[i]! <= 1)) return -Infinity;
    const p = this.emulator.predict(u, { covariance: this.statIdx.length > 0 });
    let ll = 0;
    const n = this.statIdx.length;
    if (n > 0) {
      const m = this.emulator.m;
      const S = new Float64Array(n * n);
      const r = new Float64Array(n);
      for (let a = 0; a < n; a++) {
        const ja = this.statIdx[a]!;
        r[a] = this.y[a]! - p.mean[ja]!;
        for (let b = 0; b < n; b++) S[a * n + b] = p.cov[ja * m + this.statIdx[b]!]!;
      }
      const { L } = choleskyJitter(S, n);
      const z = solveLower(L, n, r);
      let q = 0;
      for (let a = 0; a < n; a++) q += z[a]! ** 2;
      ll += -0.5 * q - 0.5 * cholLogDet(L, n) - 0.5 * n * Math.log(2 * Math.PI);
    }
    for (const o of this.onsetIdx) {
      const e = p.onsets[o.k]!;
      ll += logNormalInterval(o.a, o.b, e.mean, Math.sqrt(e.emulatorVariance + e.replicateVariance));
    }
    return ll;
  }
}
