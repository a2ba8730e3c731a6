/**
 * The emulator of a stochastic simulator's summary statistics: for any parameter point θ (unit cube)
 * it predicts the distribution of one simulated observation,
 *
 *   y(θ) ~ N( μ(θ),  Σ_rep(θ) + Σ_emu(θ) + Σ_trunc ),
 *
 * the "emulated synthetic likelihood" of Wilkinson (AISTATS 2014) with the output-basis emulation of
 * Higdon et al. (JASA 103, 570 (2008)):
 *
 * - Statistics are whitened by their pooled replicate spread σ_j, then the replicate means at the
 *   design points are reduced to k principal components; one GP per component score (gp.ts: Matérn
 *   5/2, linear trend, LOO-calibrated variance), its known noise the replicate-mean variance there
 *   (heteroscedastic).
 * - Σ_rep(θ), the simulator's own scatter (covariance.ts): per-statistic variances emulated from
 *   the replicates' log sample variances, correlations pooled from nearby points' replicates.
 * - Σ_emu is the component GPs' predictive variance (plus their fitted nuggets) mapped back through
 *   the basis; Σ_trunc the design variance the kept components miss (diagonal, noise share removed).
 *
 * Latent onset temperatures (one scalar per stage) are emulated alongside: a GP for the mean, and
 * their replicate variance from the same smoothed covariance.
 */
import { ReplicateCovariance } from './covariance.js';
import { Gp } from './gp.js';
import { symmetricEigen } from './math/linalg.js';

/** One design point with its replicate outputs. */
export interface TrainingPoint {
  /** Unit-cube coordinates (d). */
  readonly u: ArrayLike<number>;
  /** Replicates × statistics. */
  readonly stats: readonly (readonly number[])[];
  /** Replicates × stages (latent onset temperatures, °C); may be empty. */
  readonly onsets?: readonly (readonly number[])[];
}

export interface TrainingSet {
  readonly d: number;
  readonly statNames: readonly string[];
  readonly stages: readonly string[];
  readonly points: readonly TrainingPoint[];
}

/** Predictive distribution of one simulated observation at θ. */
export interface Prediction {
  /** Mean of each statistic (m). */
  mean: Float64Array;
  /** Covariance (m × m, row-major): replicate + emulator + truncation (empty when not asked for). */
  cov: Float64Array;
  /** Emulator part of the variance per statistic (m). */
  emulatorVariance: Float64Array;
  /** Replicate part of the variance per statistic (m). */
  replicateVariance: Float64Array;
  /** Degrees of freedom behind each replicate variance (m): the likelihood's Student-t tails. */
  replicateDof: Float64Array;
  /** Per stage: latent onset mean (°C), emulator variance, replicate variance. */
  onsets: { mean: number; emulatorVariance: number; replicateVariance: number; replicateDof: number }[];
  /**
   * Replicate cross-covariance of each stage's latent onset with each statistic (stages × m, row-major,
   * °C × the statistic's unit; empty when the covariance was not asked for): one simulation's onset and
   * its frames' statistics scatter together (a run whose rim starts early also shows it in its rim
   * curve). The emulator errors of the onset GP and of the statistics' GPs are independent, so this is
   * the whole cross-covariance of one simulated observation.
   */
  onsetStatCov: Float64Array;
}

export interface EmulatorOptions {
  /** Largest number of mean components (default 20). */
  maxComponents?: number;
  /** Fraction of the whitened design variance the mean components must explain (default 0.9999). */
  explained?: number;
}

export class Emulator {
  private constructor(
    readonly statNames: readonly string[],
    readonly stages: readonly string[],
    readonly d: number,
    /** Centre and whitening scale of [stats…, onsets…]. */
    private readonly center: Float64Array,
    private readonly scale: Float64Array,
    /** Mean basis: k unit vectors of length m. */
    private readonly basis: Float64Array[],
    private readonly meanGps: Gp[],
    private readonly trunc: Float64Array,
    private readonly rep: ReplicateCovariance,
    private readonly onsetGps: Gp[],
    /** Diagnostics. */
    readonly info: { components: number; explained: number; bandwidth: number; kappa: number; designPoints: number; replicates: number },
  ) {}

  /** Builds the emulator from replicate simulations (see module doc). */
  static build(ts: TrainingSet, o: EmulatorOptions = {}): Emulator {
    const m = ts.statNames.length;
    const s = ts.stages.length;
    const M = m + s;
    const d = ts.d;
    const pts = ts.points;
    const n = pts.length;
    const X = new Float64Array(n * d);
    pts.forEach((p, i) => {
      for (let j = 0; j < d; j++) X[i * d + j] = p.u[j]!;
    });
    // Rows: [stats…, onsets…] per replicate.
    const rows = pts.map((p) => p.stats.map((r, k) => [...r, ...(p.onsets?.[k] ?? [])]));
    const R = pts.map((p) => p.stats.length);
    const means = rows.map((rs) => meanRows(rs, M));
    const center = new Float64Array(M);
    for (const mu of means) for (let j = 0; j < M; j++) center[j]! += mu[j]! / n;
    const pooled = new Float64Array(M);
    let nuTot = 0;
    rows.forEach((rs, i) => {
      nuTot += rs.length - 1;
      for (const r of rs) for (let j = 0; j < M; j++) pooled[j]! += (r[j]! - means[i]![j]!) ** 2;
    });
    const spread = new Float64Array(M);
    for (const mu of means) for (let j = 0; j < M; j++) spread[j]! += (mu[j]! - center[j]!) ** 2 / Math.max(1, n - 1);
    const scale = Float64Array.from(pooled, (v, j) => Math.sqrt(Math.max(nuTot > 0 ? v / nuTot : 0, 1e-6 * spread[j]!, 1e-24)));
    // Replicate covariance, whitened.
    const resid = rows.map((rs, i) => rs.map((r) => Float64Array.from(r, (x, j) => (x - means[i]![j]!) / scale[j]!)));
    const rep = ReplicateCovariance.fit(X, d, resid);
    const repAt = pts.map((p) => rep.at(p.u));
    // Mean components of the statistics (whitened).
    const Z = means.map((mu) => Float64Array.from({ length: m }, (_, j) => (mu[j]! - center[j]!) / scale[j]!));
    const pc = m > 0 ? principal(Z, m, o.explained ?? 0.9999, Math.min(o.maxComponents ?? 20, Math.max(1, n - d - 2))) : { basis: [], explained: 1 };
    const meanGps = pc.basis.map((phi) => {
      const y = Z.map((z) => dotv(z, phi, m));
      const noise = repAt.map((S, i) => quad(S, M, phi, m) / R[i]!);
      return Gp.fit({ x: X, n, d, y, noise }, { trend: 'linear' });
    });
    // Truncation variance per statistic (noise share removed).
    const trunc = new Float64Array(m);
    const lev = new Float64Array(m);
    for (const phi of pc.basis) for (let j = 0; j < m; j++) lev[j]! += phi[j]! ** 2;
    Z.forEach((z, i) => {
      const rec = new Float64Array(m);
      for (const phi of pc.basis) {
        const w = dotv(z, phi, m);
        for (let j = 0; j < m; j++) rec[j]! += w * phi[j]!;
      }
      for (let j = 0; j < m; j++) trunc[j]! += ((z[j]! - rec[j]!) ** 2 - (repAt[i]![j * M + j]! / R[i]!) * (1 - lev[j]!)) / n;
    });
    for (let j = 0; j < m; j++) trunc[j] = Math.max(0, trunc[j]!);
    // Onset means (whitened), one GP per stage.
    const onsetGps = ts.stages.map((_, k) => {
      const j = m + k;
      const y = means.map((mu) => (mu[j]! - center[j]!) / scale[j]!);
      return Gp.fit({ x: X, n, d, y, noise: repAt.map((S, i) => S[j * M + j]! / R[i]!) }, { trend: 'linear' });
    });
    return new Emulator(ts.statNames, ts.stages, d, center, scale, pc.basis, meanGps, trunc, rep, onsetGps, {
      components: pc.basis.length, explained: pc.explained, bandwidth: rep.bandwidth, kappa: rep.kappa, designPoints: n, replicates: R.reduce((a, b) => a + b, 0) / n,
    });
  }

  /** Number of statistics. */
  get m(): number {
    return this.statNames.length;
  }

  /** Predictive distribution of one simulated observation at u (see module doc). */
  predict(u: ArrayLike<number>, o: { covariance?: boolean } = {}): Prediction {
    const m = this.m;
    const M = m + this.stages.length;
    const mean = this.center.slice(0, m);
    const wVar: number[] = [];
    this.meanGps.forEach((g, c) => {
      const p = g.predict(u);
      wVar.push(p.variance + g.nuggetVariance);
      const phi = this.basis[c]!;
      for (let j = 0; j < m; j++) mean[j]! += this.scale[j]! * phi[j]! * p.mean;
    });
    const full = o.covariance !== false && m > 0;
    const vd = this.rep.variancesWithDof(u);
    const S = full ? this.rep.at(u, vd.v) : undefined;
    const dg = vd.v;
    const replicateDof = vd.dof.slice(0, m);
    const replicateVariance = Float64Array.from({ length: m }, (_, j) => dg[j]! * this.scale[j]! ** 2);
    const emulatorVariance = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      let v = 0;
      for (let c = 0; c < wVar.length; c++) v += this.basis[c]![j]! ** 2 * wVar[c]!;
      emulatorVariance[j] = v * this.scale[j]! ** 2;
    }
    let cov = new Float64Array(0);
    if (S) {
      cov = new Float64Array(m * m);
      for (let a = 0; a < m; a++) {
        for (let b = 0; b <= a; b++) {
          let v = S[a * M + b]!;
          for (let c = 0; c < wVar.length; c++) v += this.basis[c]![a]! * this.basis[c]![b]! * wVar[c]!;
          if (a === b) v += this.trunc[a]!;
          cov[a * m + b] = cov[b * m + a] = v * this.scale[a]! * this.scale[b]!;
        }
      }
    }
    const onsets = this.onsetGps.map((g, k) => {
      const j = m + k;
      const p = g.predict(u);
      const sc = this.scale[j]!;
      return { mean: this.center[j]! + sc * p.mean, emulatorVariance: (p.variance + g.nuggetVariance) * sc * sc, replicateVariance: dg[j]! * sc * sc, replicateDof: vd.dof[j]! };
    });
    const s = this.stages.length;
    const onsetStatCov = S ? new Float64Array(s * m) : new Float64Array(0);
    if (S) {
      for (let k = 0; k < s; k++) {
        const j = m + k;
        for (let a = 0; a < m; a++) onsetStatCov[k * m + a] = S[j * M + a]! * this.scale[j]! * this.scale[a]!;
      }
    }
    return { mean, cov, emulatorVariance, replicateVariance, replicateDof, onsets, onsetStatCov };
  }

  /**
   * The GPs whose uncertainty drives acquisition, each with the variance of one new replicate-mean
   * observation and a weight that turns its variance into likelihood units (whitened units: 1).
   */
  acquisitionGps(replicates: number): { gp: Gp; noise: number; weight: (u: ArrayLike<number>) => number }[] {
    const m = this.m;
    const out: { gp: Gp; noise: number; weight: (u: ArrayLike<number>) => number }[] = [];
    this.meanGps.forEach((gp) => out.push({ gp, noise: 1 / replicates + gp.nuggetVariance, weight: () => 1 }));
    this.onsetGps.forEach((gp, k) => {
      const j = m + k;
      out.push({ gp, noise: 1 / replicates + gp.nuggetVariance, weight: (u) => 1 / Math.max(this.rep.variances(u)[j]!, 1e-6) });
    });
    return out;
  }
}

/** φᵀ S[0:m, 0:m] φ for S of leading dimension M. */
function quad(S: Float64Array, M: number, phi: Float64Array, m: number): number {
  let s = 0;
  for (let a = 0; a < m; a++) {
    if (phi[a] === 0) continue;
    for (let b = 0; b < m; b++) s += phi[a]! * S[a * M + b]! * phi[b]!;
  }
  return s;
}

function meanRows(rows: readonly (readonly number[])[], m: number): Float64Array {
  const out = new Float64Array(m);
  for (const r of rows) for (let j = 0; j < m; j++) out[j]! += r[j]! / rows.length;
  return out;
}




function dotv(a: ArrayLike<number>, b: ArrayLike<number>, m: number): number {
  let s = 0;
  for (let j = 0; j < m; j++) s += a[j]! * b[j]!;
  return s;
}

/** Leading principal directions of the rows (already centred): enough to explain `explained`, at most `max`. */
function principal(rows: readonly Float64Array[], m: number, explained: number, max: number): { basis: Float64Array[]; explained: number } {
  const C = new Float64Array(m * m);
  for (const r of rows) for (let a = 0; a < m; a++) for (let b = 0; b <= a; b++) C[a * m + b]! += r[a]! * r[b]!;
  for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) C[b * m + a] = C[a * m + b]!;
  const { values, vectors } = symmetricEigen(C, m);
  let total = 0;
  for (const v of values) total += Math.max(0, v);
  const basis: Float64Array[] = [];
  let acc = 0;
  for (let c = 0; c < m && basis.length < max; c++) {
    if (total <= 0 || values[c]! <= 1e-12 * total) break;
    basis.push(Float64Array.from({ length: m }, (_, j) => vectors[j * m + c]!));
    acc += values[c]!;
    if (acc / total >= explained) break;
  }
  if (basis.length === 0) basis.push(Float64Array.from({ length: m }, (_, j) => vectors[j * m]!));
  return { basis, explained: total > 0 ? acc / total : 1 };
}
