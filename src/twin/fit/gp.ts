/**
 * Gaussian-process regression (Rasmussen & Williams, Gaussian Processes for Machine Learning, MIT
 * Press 2006) for emulating one scalar output of a stochastic simulator over the unit cube:
 *
 * - kernel: Matérn 5/2 with one length scale per input (ARD), signal variance σ²;
 * - mean: a constant or linear trend h(x)ᵀβ with β integrated out under a flat prior (universal
 *   kriging; R&W §2.7): the predictive variance includes the trend's uncertainty;
 * - noise: heteroscedastic and known per point (the variance of a replicate mean, `noise`), plus a
 *   fitted homoscedastic nugget for what the known part misses;
 * - hyperparameters (log ℓ, log σ², log nugget) maximise the restricted marginal likelihood
 *   (R&W eq. 2.45 with the trend integrated out) by Nelder–Mead from fixed starts (deterministic).
 *
 * Outputs are standardised internally; predictions come back in the caller's units.
 */
import { cholesky, choleskyJitter, cholLogDet, cholSolve, solveLower } from './math/linalg.js';
import { nelderMead } from './math/optimize.js';

export interface GpData {
  /** Inputs, row-major n × d, in the unit cube. */
  readonly x: Float64Array;
  readonly n: number;
  readonly d: number;
  /** Outputs (n). */
  readonly y: ArrayLike<number>;
  /** Known noise variance of each output (n), in the output's units²; 0 for exact values. */
  readonly noise?: ArrayLike<number>;
}

export interface GpOptions {
  /** Mean trend (default 'linear'). */
  trend?: 'constant' | 'linear';
  /** Fixed hyperparameters instead of fitting (tests). */
  hyper?: GpHyper;
  /** Length-scale bounds in unit-cube units (default [0.05, 20]). */
  lengthscaleBounds?: [number, number];
  /** Fit the extra nugget (default true). */
  fitNugget?: boolean;
  /** Calibrate the predictive variance by leave-one-out (default true). */
  calibrate?: boolean;
}

/** Hyperparameters in the standardised output units. */
export interface GpHyper {
  lengthscale: number[];
  signal: number;
  nugget: number;
}

const SQRT5 = Math.sqrt(5);

/** Matérn 5/2 correlation at scaled distance r. */
function matern52(r: number): number {
  const s = SQRT5 * r;
  return (1 + s + (s * s) / 3) * Math.exp(-s);
}

/** A fitted GP; `predict` gives the latent mean and variance (noise excluded). */
export class Gp {
  private constructor(
    readonly d: number,
    private readonly X: Float64Array,
    private readonly n: number,
    readonly hyper: GpHyper,
    private readonly trend: 'constant' | 'linear',
    private readonly yMean: number,
    private readonly yScale: number,
    private readonly L: Float64Array,
    private readonly alpha: Float64Array,
    private readonly beta: Float64Array,
    private readonly G: Float64Array,
    private readonly LA: Float64Array,
    private readonly q: number,
    /** Restricted log marginal likelihood at the optimum (standardised units). */
    readonly logMarginal: number,
    /**
     * Factor (≥ 1) on the latent predictive variance from leave-one-out cross-validation: the LOO
     * residuals of the design, standardised by their predictive sd, must have unit mean square
     * (R&W §5.4.2 closed form). A stationary kernel that is too smooth where the output is sharp
     * would otherwise claim more certainty than it has.
     */
    readonly varianceFactor: number,
  ) {}

  /** Fits a GP to data (see module doc). */
  static fit(data: GpData, o: GpOptions = {}): Gp {
    const { n, d } = data;
    const trend = o.trend ?? 'linear';
    const q = trend === 'linear' && n > d + 2 ? d + 1 : 1;
    let m = 0;
    for (let i = 0; i < n; i++) m += data.y[i]!;
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (data.y[i]! - m) ** 2;
    v /= Math.max(1, n - 1);
    let meanNoise = 0;
    for (let i = 0; i < n; i++) meanNoise += data.noise?.[i] ?? 0;
    meanNoise /= n;
    const scale = Math.sqrt(Math.max(v, meanNoise, 1e-300)) || 1;
    const y = Float64Array.from({ length: n }, (_, i) => (data.y[i]! - m) / scale);
    const noise = Float64Array.from({ length: n }, (_, i) => (data.noise?.[i] ?? 0) / (scale * scale));
    const H = trendMatrix(data.x, n, d, q);
    let hyper = o.hyper;
    if (!hyper) {
      const [lmin, lmax] = o.lengthscaleBounds ?? [0.05, 20];
      const fitNugget = o.fitNugget ?? true;
      const lo = [...Array(d).fill(Math.log(lmin)), Math.log(1e-4), Math.log(1e-8)];
      const hi = [...Array(d).fill(Math.log(lmax)), Math.log(1e2), fitNugget ? Math.log(1) : Math.log(1e-8)];
      const obj = (t: Float64Array) => {
        const h: GpHyper = { lengthscale: Array.from(t.subarray(0, d), Math.exp), signal: Math.exp(t[d]!), nugget: Math.exp(t[d + 1]!) };
        const r = restricted(data.x, n, d, y, noise, H, q, h);
        return r ? -r.logLik : Infinity;
      };
      let best: { x: Float64Array; f: number } | undefined;
      for (const ls of [0.3, 1.5]) {
        for (const sig of [1, 0.1]) {
          const x0 = [...Array(d).fill(Math.log(ls)), Math.log(sig), Math.log(fitNugget ? 1e-3 : 1e-8)];
          const res = nelderMead(obj, x0, { step: Array(d + 2).fill(0.7), lo, hi, maxEvaluations: 120 * (d + 2), tolerance: 1e-7 });
          if (!best || res.f < best.f) best = res;
        }
      }
      const t = best!.x;
      hyper = { lengthscale: Array.from(t.subarray(0, d), Math.exp), signal: Math.exp(t[d]!), nugget: Math.exp(t[d + 1]!) };
    }
    const r = restricted(data.x, n, d, y, noise, H, q, hyper, true);
    if (!r) throw new Error('Gp.fit: covariance not positive definite');
    const factor = o.calibrate === false ? 1 : looFactor(r.L, n, r.alpha, noise, hyper);
    return new Gp(d, Float64Array.from(data.x), n, hyper, trend, m, scale, r.L, r.alpha, r.beta, r.G, r.LA, q, r.logLik, factor);
  }

  /** Latent mean and variance at x (caller's units). */
  predict(x: ArrayLike<number>): { mean: number; variance: number } {
    const { k, h } = this.cross(x);
    const vv = solveLower(this.L, this.n, k);
    let mean = 0;
    for (let j = 0; j < this.q; j++) mean += h[j]! * this.beta[j]!;
    for (let i = 0; i < this.n; i++) mean += k[i]! * this.alpha[i]!;
    let var0 = this.hyper.signal;
    for (let i = 0; i < this.n; i++) var0 -= vv[i]! ** 2;
    const u = this.trendResidual(h, vv);
    const w = solveLower(this.LA, this.q, u);
    for (let j = 0; j < this.q; j++) var0 += w[j]! ** 2;
    return { mean: this.yMean + this.yScale * mean, variance: this.varianceFactor * Math.max(0, var0) * this.yScale * this.yScale };
  }

  /** Latent means and the joint covariance (row-major c × c) at c points (row-major c × d). */
  predictJoint(points: Float64Array, c: number): { mean: Float64Array; cov: Float64Array } {
    const V: Float64Array[] = [];
    const U: Float64Array[] = [];
    const mean = new Float64Array(c);
    for (let a = 0; a < c; a++) {
      const x = points.subarray(a * this.d, (a + 1) * this.d);
      const { k, h } = this.cross(x);
      const vv = solveLower(this.L, this.n, k);
      let m = 0;
      for (let j = 0; j < this.q; j++) m += h[j]! * this.beta[j]!;
      for (let i = 0; i < this.n; i++) m += k[i]! * this.alpha[i]!;
      mean[a] = this.yMean + this.yScale * m;
      V.push(vv);
      U.push(solveLower(this.LA, this.q, this.trendResidual(h, vv)));
    }
    const cov = new Float64Array(c * c);
    const s2 = this.varianceFactor * this.yScale * this.yScale;
    for (let a = 0; a < c; a++) {
      for (let b = a; b < c; b++) {
        let v = this.hyper.signal * this.corr(points.subarray(a * this.d, (a + 1) * this.d), points.subarray(b * this.d, (b + 1) * this.d));
        for (let i = 0; i < this.n; i++) v -= V[a]![i]! * V[b]![i]!;
        for (let j = 0; j < this.q; j++) v += U[a]![j]! * U[b]![j]!;
        cov[a * c + b] = cov[b * c + a] = v * s2;
      }
    }
    return { mean, cov };
  }

  /** The fitted nugget in the caller's units² (the noise the known per-point variance missed). */
  get nuggetVariance(): number {
    return this.hyper.nugget * this.yScale * this.yScale;
  }

  private corr(a: ArrayLike<number>, b: ArrayLike<number>): number {
    let r2 = 0;
    for (let j = 0; j < this.d; j++) r2 += ((a[j]! - b[j]!) / this.hyper.lengthscale[j]!) ** 2;
    return matern52(Math.sqrt(r2));
  }

  private cross(x: ArrayLike<number>): { k: Float64Array; h: Float64Array } {
    const k = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) k[i] = this.hyper.signal * this.corr(x, this.X.subarray(i * this.d, (i + 1) * this.d));
    const h = new Float64Array(this.q);
    h[0] = 1;
    if (this.trend === 'linear') for (let j = 1; j < this.q; j++) h[j] = x[j - 1]!;
    return { k, h };
  }

  /** h − Gᵀv with G = L⁻¹H (n × q). */
  private trendResidual(h: Float64Array, vv: Float64Array): Float64Array {
    const u = Float64Array.from(h);
    for (let j = 0; j < this.q; j++) {
      let s = 0;
      for (let i = 0; i < this.n; i++) s += this.G[i * this.q + j]! * vv[i]!;
      u[j]! -= s;
    }
    return u;
  }
}

/**
 * LOO calibration factor f ≥ 1: mean over design points of r_i² / (f·v_i + noise_i + nugget) = 1, with
 * r_i = α_i/[K⁻¹]_ii the LOO residual and v_i = 1/[K⁻¹]_ii − noise_i − nugget its latent variance.
 */
function looFactor(L: Float64Array, n: number, alpha: Float64Array, noise: Float64Array, h: GpHyper): number {
  if (n < 4) return 1;
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = new Float64Array(n);
    e[i] = 1;
    const v = solveLower(L, n, e);
    let s = 0;
    for (let k = 0; k < n; k++) s += v[k]! ** 2;
    diag[i] = s;
  }
  const r2 = Float64Array.from(alpha, (a, i) => (a / diag[i]!) ** 2);
  const lat = Float64Array.from(diag, (k, i) => Math.max(0, 1 / k - noise[i]! - h.nugget));
  const ms = (f: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += r2[i]! / (f * lat[i]! + noise[i]! + h.nugget);
    return s / n;
  };
  if (ms(1) <= 1) return 1;
  let lo = 1;
  let hi = 1e4;
  if (ms(hi) > 1) return hi;
  for (let it = 0; it < 60; it++) {
    const mid = Math.sqrt(lo * hi);
    if (ms(mid) > 1) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Trend design matrix H (n × q): [1, x] or [1]. */
function trendMatrix(x: Float64Array, n: number, d: number, q: number): Float64Array {
  const H = new Float64Array(n * q);
  for (let i = 0; i < n; i++) {
    H[i * q] = 1;
    for (let j = 1; j < q; j++) H[i * q + j] = x[i * d + j - 1]!;
  }
  return H;
}

/** Restricted log-likelihood (trend integrated out) and the factors prediction needs. */
function restricted(x: Float64Array, n: number, d: number, y: Float64Array, noise: Float64Array, H: Float64Array, q: number, h: GpHyper, jitter = false) {
  const K = new Float64Array(n * n);
  const inv = h.lengthscale.map((l) => 1 / l);
  for (let a = 0; a < n; a++) {
    K[a * n + a] = h.signal + noise[a]! + h.nugget;
    for (let b = 0; b < a; b++) {
      let r2 = 0;
      for (let j = 0; j < d; j++) r2 += ((x[a * d + j]! - x[b * d + j]!) * inv[j]!) ** 2;
      K[a * n + b] = K[b * n + a] = h.signal * matern52(Math.sqrt(r2));
    }
  }
  const L = jitter ? choleskyJitter(K, n).L : cholesky(K, n);
  if (!L) return undefined;
  // G = L⁻¹H, A = GᵀG, β = A⁻¹ Gᵀ (L⁻¹y)
  const G = new Float64Array(n * q);
  for (let j = 0; j < q; j++) {
    const col = solveLower(L, n, Float64Array.from({ length: n }, (_, i) => H[i * q + j]!));
    for (let i = 0; i < n; i++) G[i * q + j] = col[i]!;
  }
  const z = solveLower(L, n, y);
  const A = new Float64Array(q * q);
  const gz = new Float64Array(q);
  for (let a = 0; a < q; a++) {
    for (let i = 0; i < n; i++) gz[a]! += G[i * q + a]! * z[i]!;
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += G[i * q + a]! * G[i * q + b]!;
      A[a * q + b] = A[b * q + a] = s;
    }
  }
  const LA = jitter ? choleskyJitter(A, q).L : cholesky(A, q);
  if (!LA) return undefined;
  const beta = cholSolve(LA, q, gz);
  const r = Float64Array.from(y, (yi, i) => {
    let s = yi;
    for (let j = 0; j < q; j++) s -= H[i * q + j]! * beta[j]!;
    return s;
  });
  const alpha = cholSolve(L, n, r);
  let quad = 0;
  for (let i = 0; i < n; i++) quad += r[i]! * alpha[i]!;
  const logLik = -0.5 * quad - 0.5 * cholLogDet(L, n) - 0.5 * cholLogDet(LA, q) - 0.5 * (n - q) * Math.log(2 * Math.PI);
  return { logLik, L, alpha, beta, G, LA };
}
