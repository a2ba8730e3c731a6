/**
 * Reference problems with a known posterior, for testing and benchmarking the inference core on the
 * same code path as the KMC forward model (same store, workers, emulator, MCMC):
 *
 * - `linear-gaussian`: y = A·θ + b + ε, ε ~ N(0, Σ) with Σ_jk = sd_j·sd_k·ρ^|j−k| (frames correlated
 *   like a trajectory). With a flat prior wider than the likelihood, the posterior is
 *   N((AᵀΣ⁻¹A)⁻¹AᵀΣ⁻¹(y − b), (AᵀΣ⁻¹A)⁻¹).
 * - `first-order`: N sites convert by first-order kinetics k = ν·exp(−Ea/k_BT) under a temperature
 *   staircase (kinetics' TemperatureProgram); a frame at the end of every hold "measures" the
 *   converted fraction with Gaussian noise of sd `noise` (the acquisition). Simulated exactly: each
 *   site converts when the integrated hazard Λ(t) passes its own Exp(1) threshold. The onset is the
 *   first frame whose measured fraction reaches `threshold` (MODEL.md §4: 10 %; ν = 1e13 gives
 *   100 °C at 1.2 eV … 448 °C at 2.4 eV). Its exact likelihood is an HMM over the converted count
 *   (`firstOrderExactLogLik`), so the posterior is known on a grid. Ea and ν compensate: at the
 *   onset, Δ log10 ν ≈ ΔEa / (k_B T ln 10) ≈ 0.09 eV per decade at 450 K.
 */
import { BOLTZMANN_EV_PER_K, Rng, ZERO_CELSIUS_K } from '../../core/index.js';
import { TemperatureProgram } from '../../kinetics/index.js';
import type { SimOnset, SimOutput } from './types.js';

export interface LinearGaussianSpec {
  readonly kind: 'linear-gaussian';
  /** m × d design matrix (rows: statistics; columns: the parameters, in `names` order). */
  readonly A: readonly (readonly number[])[];
  readonly b: readonly number[];
  readonly sd: readonly number[];
  readonly rho: number;
  /** Parameter names, in column order. */
  readonly names: readonly string[];
}

export interface StaircaseSpec {
  readonly start_K: number;
  readonly end_K: number;
  readonly step_K: number;
  readonly rate_KPerS: number;
  readonly hold_s: number;
}

export interface FirstOrderSpec {
  readonly kind: 'first-order';
  readonly sites: number;
  /** sd of the measured converted fraction per frame. */
  readonly noise: number;
  /** Onset threshold on the measured fraction (MODEL.md: 0.1). */
  readonly threshold: number;
  readonly staircase: StaircaseSpec;
  /** Values of parameters not fitted: `Ea` (eV), `nu` (Hz). */
  readonly fixed: Readonly<{ Ea?: number; nu?: number }>;
}

/** The seed staircase (MODEL.md §4): 25 °C, ramp 0.1 K/s by 15 K, hold 300 s, to 500 °C. */
export const SEED_STAIRCASE: StaircaseSpec = Object.freeze({ start_K: 298.15, end_K: 773.15, step_K: 15, rate_KPerS: 0.1, hold_s: 300 });

/** Σ for the linear-Gaussian problem (row-major m × m). */
export function linearGaussianCov(s: LinearGaussianSpec): Float64Array {
  const m = s.b.length;
  const S = new Float64Array(m * m);
  for (let j = 0; j < m; j++) for (let k = 0; k < m; k++) S[j * m + k] = s.sd[j]! * s.sd[k]! * s.rho ** Math.abs(j - k);
  return S;
}

/** One draw of the linear-Gaussian problem. */
export function simulateLinearGaussian(s: LinearGaussianSpec, values: Readonly<Record<string, number>>, seed: number): SimOutput {
  const m = s.b.length;
  const rng = Rng.stream(seed);
  // AR(1) noise: e_j = ρ e_{j−1} + √(1−ρ²) z_j, scaled by sd_j.
  const stats: Record<string, number> = {};
  let e = 0;
  for (let j = 0; j < m; j++) {
    const z = rng.normal();
    e = j === 0 ? z : s.rho * e + Math.sqrt(1 - s.rho * s.rho) * z;
    let y = s.b[j]! + s.sd[j]! * e;
    s.names.forEach((nm, i) => (y += s.A[j]![i]! * values[nm]!));
    stats[`y${j}`] = y;
  }
  return { stats, onsets: {} };
}

/** Acquisition times (s) and temperatures (°C) of the staircase frames: t = 0 and every hold end. */
export function staircaseFrames(sc: StaircaseSpec): { time_s: number[]; temperature_C: number[]; program: TemperatureProgram } {
  const program = TemperatureProgram.staircase(sc);
  const time_s = program.acquisitionTimes_s();
  return { time_s, temperature_C: time_s.map((t) => program.temperature_K(t) - ZERO_CELSIUS_K), program };
}

/** Integrated hazard Λ(t_k) = ∫₀^t_k ν exp(−Ea/k_BT) dt at each frame (holds exact, ramps by Simpson, 64 panels). */
export function integratedHazard(program: TemperatureProgram, times_s: readonly number[], Ea_eV: number, nu_Hz: number): Float64Array {
  const k = (T: number) => nu_Hz * Math.exp(-Ea_eV / (BOLTZMANN_EV_PER_K * T));
  const pieceIntegral = (i: number, upTo_s: number) => {
    const p = program.pieces[i]!;
    const len = Math.min(upTo_s, p.duration_s);
    if (len <= 0) return 0;
    if (p.kind === 'hold') return k(p.temperatureAt_K(0)) * len;
    const n = 64;
    const h = len / n;
    let s = k(p.temperatureAt_K(0)) + k(p.temperatureAt_K(len));
    for (let j = 1; j < n; j++) s += (j % 2 ? 4 : 2) * k(p.temperatureAt_K(j * h));
    return (s * h) / 3;
  };
  const out = new Float64Array(times_s.length);
  times_s.forEach((t, f) => {
    let s = 0;
    for (let i = 0; i < program.pieces.length; i++) {
      const t0 = program.starts_s[i]!;
      if (t0 >= t) break;
      s += pieceIntegral(i, t - t0);
    }
    out[f] = s;
  });
  return out;
}

/** Names of the first-order problem's statistics (one per frame). */
export function firstOrderStatNames(sc: StaircaseSpec): string[] {
  return staircaseFrames(sc).time_s.map((_, f) => `conversion.f${String(f).padStart(2, '0')}`);
}

/** One draw of the first-order problem (see module doc). */
export function simulateFirstOrder(s: FirstOrderSpec, values: Readonly<Record<string, number>>, seed: number): SimOutput {
  const Ea = values.Ea ?? s.fixed.Ea;
  const nu = values.nu ?? s.fixed.nu ?? 1e13;
  if (Ea === undefined) throw new Error('first-order: Ea is neither fitted nor fixed');
  const { time_s, temperature_C, program } = staircaseFrames(s.staircase);
  const lambda = integratedHazard(program, time_s, Ea, nu);
  const rng = Rng.stream(seed);
  const thresholds = Float64Array.from({ length: s.sites }, () => rng.exponential()).sort();
  const names = firstOrderStatNames(s.staircase);
  const stats: Record<string, number> = {};
  const measured: number[] = [];
  let c = 0;
  lambda.forEach((L, f) => {
    while (c < thresholds.length && thresholds[c]! <= L) c++;
    const x = c / s.sites + s.noise * rng.normal();
    measured.push(x);
    stats[names[f]!] = x;
  });
  return { stats, onsets: { onset: latentOnset(temperature_C, measured, s.threshold, s.staircase.step_K) } };
}

/**
 * Exact log-likelihood of measured fractions under the first-order problem: forward algorithm over
 * the converted count c (transition Binomial(N − c, 1 − exp(−ΔΛ)), emission N(x; c/N, noise²)).
 */
export function firstOrderExactLogLik(s: FirstOrderSpec, values: Readonly<Record<string, number>>, measured: readonly number[]): number {
  const Ea = values.Ea ?? s.fixed.Ea!;
  const nu = values.nu ?? s.fixed.nu ?? 1e13;
  const { time_s, program } = staircaseFrames(s.staircase);
  const lambda = integratedHazard(program, time_s, Ea, nu);
  const N = s.sites;
  const logFact = new Float64Array(N + 1);
  for (let i = 2; i <= N; i++) logFact[i] = logFact[i - 1]! + Math.log(i);
  let alpha = new Float64Array(N + 1);
  alpha[0] = 1;
  let logScale = 0;
  let prevL = 0;
  for (let f = 0; f < lambda.length; f++) {
    const q = -Math.expm1(-(lambda[f]! - prevL));
    prevL = lambda[f]!;
    const next = new Float64Array(N + 1);
    const lq = Math.log(q);
    const l1q = Math.log1p(-q);
    for (let c = 0; c <= N; c++) {
      const a = alpha[c]!;
      if (a === 0) continue;
      const rem = N - c;
      if (q === 0) {
        next[c]! += a;
        continue;
      }
      for (let j = 0; j <= rem; j++) {
        const lp = logFact[rem]! - logFact[j]! - logFact[rem - j]! + (j ? j * lq : 0) + (rem - j ? (rem - j) * l1q : 0);
        if (lp < -745) continue;
        next[c + j]! += a * Math.exp(lp);
      }
    }
    let sum = 0;
    for (let c = 0; c <= N; c++) {
      const z = (measured[f]! - c / N) / s.noise;
      next[c]! *= Math.exp(-0.5 * z * z) / (s.noise * Math.sqrt(2 * Math.PI));
      sum += next[c]!;
    }
    if (!(sum > 0)) return -Infinity;
    for (let c = 0; c <= N; c++) next[c]! /= sum;
    logScale += Math.log(sum);
    alpha = next;
  }
  return logScale;
}

/**
 * The toy's onset (its own rule, not a project stage): the first frame whose measured fraction reaches
 * `threshold`, with the latent onset interpolated linearly between that frame and the one before.
 */
function latentOnset(temperature_C: readonly number[], x: readonly number[], threshold: number, step_K: number): SimOnset {
  for (let k = 1; k < x.length; k++) {
    if (!(x[k]! >= threshold)) continue;
    const T0 = temperature_C[k - 1]!;
    const T1 = temperature_C[k]!;
    const x0 = Math.min(x[k - 1]!, threshold);
    const f = x[k]! > x0 ? (threshold - x0) / (x[k]! - x0) : 1;
    return { onset_C: T1, after_C: T0, latent_C: T0 + Math.max(1e-6, Math.min(1, f)) * (T1 - T0), censored: false };
  }
  const last = temperature_C[temperature_C.length - 1] ?? 0;
  return { onset_C: null, after_C: last, latent_C: last + step_K, censored: true };
}

/**
 * Quantiles of the exact posterior of Ea (flat prior on [lo, hi], ν as in the spec) given measured
 * fractions: the HMM likelihood on a grid of `step` eV, normalised. For tests and benchmarks.
 */
export function firstOrderExactQuantiles(s: FirstOrderSpec, measured: readonly number[], lo: number, hi: number, probs: readonly number[] = [0.05, 0.5, 0.95], step = 0.0005): number[] {
  const grid: number[] = [];
  const lp: number[] = [];
  for (let e = lo; e <= hi + 1e-12; e += step) {
    grid.push(e);
    lp.push(firstOrderExactLogLik(s, { Ea: e }, measured));
  }
  const mx = Math.max(...lp);
  const w = lp.map((l) => Math.exp(l - mx));
  const Z = w.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  let c = 0;
  grid.forEach((e, i) => {
    c += w[i]! / Z;
    probs.forEach((p, k) => {
      if (out[k] === undefined && c >= p) out[k] = e;
    });
  });
  return probs.map((_, k) => out[k] ?? grid[grid.length - 1]!);
}
