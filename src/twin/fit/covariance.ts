/**
 * The replicate (simulator) covariance as a function of θ, Σ(u) = D(u)^½ C(u) D(u)^½:
 *
 * - D(u), the variance of each statistic: a kernel-weighted pool of the points' sample variances,
 *     σ²_j(u) = ( Σ_p w_p(u) ν_p s²_pj + ν₀ s̄²_j ) / ( Σ_p w_p(u) ν_p + ν₀ ),  ν₀ = 1,
 *   with an adaptive (balloon) bandwidth, the distance from u to its k_j-th nearest design point, so
 *   the pool is local where refinement put many points (near the posterior, where it matters) and
 *   wide elsewhere; k_j per statistic by the leave-one-point-out likelihood of the sample variances
 *   (ν_p s²_pj / σ²_j ~ χ²_ν: −ν/2·(log σ² + s²/σ²)). A frame whose spread is the acquisition noise
 *   everywhere picks a large k (every degree of freedom counts); a frame whose spread jumps in a
 *   stage's transition picks a small one. (Tried first and measured worse on the first-order
 *   problem: a GP on log s², whose log χ²₁ noise with 2 replicates scattered it ±30 %, and one fixed
 *   bandwidth, which cannot be both sharp at a transition and wide elsewhere.)
 * - C(u), the correlations (a KMC run that starts early stays early over several frames): a
 *   kernel-weighted pool of the standardised replicate scatter matrices of nearby points, shrunk
 *   towards the identity,
 *     C(u) ∝ ( Σ_p w_p(u) E_p + κ·I ) / ( Σ_p w_p(u) ν_p + κ ),  w_p = exp(−|u − u_p|²/2h²),
 *   normalised to a unit diagonal; h and κ maximise the leave-one-point-out Wishart log-likelihood
 *   of the scatters, −ν_p/2·log|C₋p| − ½ tr(C₋p⁻¹ E_p) (grid search).
 *
 * Inputs are whitened residuals (each statistic divided by its pooled replicate sd).
 */
import { choleskyJitter, cholLogDet, solveLower } from './math/linalg.js';

const BANDWIDTHS = [0.03, 0.06, 0.12, 0.25, 0.5, Infinity];
const NEIGHBOURS = [2, 3, 5, 8, 12, 20, 32, Infinity];
const KAPPAS = [1, 4, 16, 64];
/** Smallest whitened variance (the pooled one is 1). */
const VARIANCE_FLOOR = 1e-4;

export class ReplicateCovariance {
  private constructor(
    readonly m: number,
    readonly d: number,
    private readonly u: Float64Array,
    /** Per point: residual vectors standardised by √D(u_p), flattened R_p × m. */
    private readonly std: Float64Array[],
    private readonly nu: Float64Array,
    /** Per point × statistic: sample variance (n × m). */
    private readonly s2: Float64Array,
    /** Pooled variance per statistic. */
    private readonly pooled: Float64Array,
    /** Variance neighbour count k per statistic (Infinity: all points, no kernel). */
    private readonly varNeighbours: Float64Array,
    readonly bandwidth: number,
    readonly kappa: number,
  ) {}

  /**
   * Builds from design points (unit cube, n × d) and per point its replicate residual vectors (each of
   * length m, whitened, the point's replicate mean subtracted).
   */
  static fit(u: Float64Array, d: number, residuals: readonly (readonly Float64Array[])[]): ReplicateCovariance {
    const n = residuals.length;
    const m = residuals.find((r) => r.length > 0)?.[0]?.length ?? 0;
    const nu = Float64Array.from(residuals, (r) => Math.max(0, r.length - 1));
    const withRep = residuals.map((_, p) => p).filter((p) => nu[p]! > 0);
    const s2 = new Float64Array(n * m);
    const pooled = new Float64Array(m);
    let nuTot = 0;
    residuals.forEach((rs, p) => {
      if (nu[p] === 0) return;
      nuTot += nu[p]!;
      for (const r of rs) for (let j = 0; j < m; j++) s2[p * m + j]! += r[j]! ** 2 / nu[p]!;
      for (let j = 0; j < m; j++) pooled[j]! += nu[p]! * s2[p * m + j]!;
    });
    for (let j = 0; j < m; j++) pooled[j] = Math.max(VARIANCE_FLOOR, nuTot > 0 ? pooled[j]! / nuTot : 1);
    const varNeighbours = new Float64Array(m).fill(Infinity);
    if (withRep.length >= 4) {
      const knn = withRep.map((p) => sortedDistances(u, d, nu, u.subarray(p * d, (p + 1) * d), p));
      for (let j = 0; j < m; j++) {
        let best = -Infinity;
        for (const k of NEIGHBOURS) {
          let ll = 0;
          withRep.forEach((p, i) => {
            const v = pooledVariance(u, d, s2, nu, pooled, m, j, bandwidthOf(knn[i]!, k), u.subarray(p * d, (p + 1) * d), p).v;
            ll += -0.5 * nu[p]! * (Math.log(v) + s2[p * m + j]! / v);
          });
          if (ll > best + 1e-9) {
            best = ll;
            varNeighbours[j] = k;
          }
        }
      }
    }
    const base = new ReplicateCovariance(m, d, u, [], nu, s2, pooled, varNeighbours, Infinity, KAPPAS[0]!);
    const std = residuals.map((rs, p) => {
      const sd = Float64Array.from(base.variances(u.subarray(p * d, (p + 1) * d)), Math.sqrt);
      const f = new Float64Array(rs.length * m);
      rs.forEach((r, i) => {
        for (let j = 0; j < m; j++) f[i * m + j] = r[j]! / sd[j]!;
      });
      return f;
    });
    let best = { h: Infinity, k: KAPPAS[KAPPAS.length - 1]!, ll: -Infinity };
    if (withRep.length >= 3 && m > 1) {
      for (const h of BANDWIDTHS) {
        for (const k of KAPPAS) {
          const c = new ReplicateCovariance(m, d, u, std, nu, s2, pooled, varNeighbours, h, k);
          let ll = 0;
          for (let p = 0; p < n; p++) if (nu[p]! > 0) ll += c.wishartLogLik(p);
          if (ll > best.ll) best = { h, k, ll };
        }
      }
    }
    return new ReplicateCovariance(m, d, u, std, nu, s2, pooled, varNeighbours, best.h, best.k);
  }

  /** D(u): the (whitened) replicate variance of each statistic. */
  variances(x: ArrayLike<number>): Float64Array {
    const knn = sortedDistances(this.u, this.d, this.nu, x, -1);
    return Float64Array.from({ length: this.m }, (_, j) => pooledVariance(this.u, this.d, this.s2, this.nu, this.pooled, this.m, j, bandwidthOf(knn, this.varNeighbours[j]!), x, -1).v);
  }

  /**
   * D(u) with the degrees of freedom behind each variance (Σ_p w_p ν_p + ν₀): a variance estimated from ν
   * degrees of freedom makes the predictive law of a new observation a Student t with ν degrees of freedom.
   */
  variancesWithDof(x: ArrayLike<number>): { v: Float64Array; dof: Float64Array } {
    const knn = sortedDistances(this.u, this.d, this.nu, x, -1);
    const v = new Float64Array(this.m);
    const dof = new Float64Array(this.m);
    for (let j = 0; j < this.m; j++) {
      const r = pooledVariance(this.u, this.d, this.s2, this.nu, this.pooled, this.m, j, bandwidthOf(knn, this.varNeighbours[j]!), x, -1);
      v[j] = r.v;
      dof[j] = r.dof;
    }
    return { v, dof };
  }

  /** C(u): correlation matrix (row-major m × m); `exclude` leaves one design point out. */
  correlation(x: ArrayLike<number>, exclude = -1): Float64Array {
    const m = this.m;
    const S = new Float64Array(m * m);
    for (let j = 0; j < m; j++) S[j * m + j] = this.kappa;
    for (let p = 0; p < this.std.length; p++) {
      if (p === exclude || this.nu[p] === 0) continue;
      let w = 1;
      if (Number.isFinite(this.bandwidth)) {
        let r2 = 0;
        for (let i = 0; i < this.d; i++) r2 += (x[i]! - this.u[p * this.d + i]!) ** 2;
        w = Math.exp(-r2 / (2 * this.bandwidth * this.bandwidth));
        if (w < 1e-8) continue;
      }
      const f = this.std[p]!;
      const R = f.length / m;
      for (let r = 0; r < R; r++) {
        const o = r * m;
        for (let a = 0; a < m; a++) {
          const ea = w * f[o + a]!;
          if (ea === 0) continue;
          for (let b = 0; b <= a; b++) S[a * m + b]! += ea * f[o + b]!;
        }
      }
    }
    const dg = Float64Array.from({ length: m }, (_, j) => Math.sqrt(S[j * m + j]!));
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < a; b++) {
        const v = S[a * m + b]! / (dg[a]! * dg[b]!);
        S[a * m + b] = v;
        S[b * m + a] = v;
      }
      S[a * m + a] = 1;
    }
    return S;
  }

  /** Σ(u) = D^½ C D^½ (row-major m × m). */
  at(x: ArrayLike<number>, variances = this.variances(x)): Float64Array {
    const m = this.m;
    const sd = Float64Array.from(variances, Math.sqrt);
    const C = this.correlation(x);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) C[a * m + b]! *= sd[a]! * sd[b]!;
    return C;
  }

  /** Leave-one-out Wishart log-likelihood of point p's standardised scatter under C₋p (up to a constant). */
  private wishartLogLik(p: number): number {
    const m = this.m;
    const { L } = choleskyJitter(this.correlation(this.u.subarray(p * this.d, (p + 1) * this.d), p), m);
    const f = this.std[p]!;
    const R = f.length / m;
    let tr = 0;
    for (let r = 0; r < R; r++) {
      const z = solveLower(L, m, f.subarray(r * m, (r + 1) * m));
      for (let j = 0; j < m; j++) tr += z[j]! ** 2;
    }
    return -0.5 * this.nu[p]! * cholLogDet(L, m) - 0.5 * tr;
  }
}

/** σ²_j(x) of the module doc (point `exclude` left out). */
function pooledVariance(u: Float64Array, d: number, s2: Float64Array, nu: Float64Array, pooled: Float64Array, m: number, j: number, h: number, x: ArrayLike<number>, exclude: number): { v: number; dof: number } {
  let num = pooled[j]!;
  let den = 1;
  const n = nu.length;
  for (let p = 0; p < n; p++) {
    if (p === exclude || nu[p] === 0) continue;
    let w = 1;
    if (Number.isFinite(h)) {
      let r2 = 0;
      for (let i = 0; i < d; i++) r2 += (x[i]! - u[p * d + i]!) ** 2;
      w = Math.exp(-r2 / (2 * h * h));
      if (w < 1e-8) continue;
    }
    num += w * nu[p]! * s2[p * m + j]!;
    den += w * nu[p]!;
  }
  return { v: Math.max(VARIANCE_FLOOR, num / den), dof: den };
}

/** Sorted distances from x to the design points with replicates (point `exclude` left out). */
function sortedDistances(u: Float64Array, d: number, nu: Float64Array, x: ArrayLike<number>, exclude: number): Float64Array {
  const out: number[] = [];
  for (let p = 0; p < nu.length; p++) {
    if (p === exclude || nu[p] === 0) continue;
    let r2 = 0;
    for (let i = 0; i < d; i++) r2 += (x[i]! - u[p * d + i]!) ** 2;
    out.push(Math.sqrt(r2));
  }
  return Float64Array.from(out).sort();
}

/** Balloon bandwidth: the distance to the k-th nearest point (∞ for k = ∞ or beyond the design), floored. */
function bandwidthOf(sorted: Float64Array, k: number): number {
  if (!Number.isFinite(k) || k > sorted.length) return Infinity;
  return Math.max(sorted[k - 1]!, 1e-3);
}
