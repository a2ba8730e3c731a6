/**
 * MCMC on the emulated posterior: adaptive Metropolis (Haario, Saksman & Tamminen, Bernoulli 7, 223
 * (2001)) with several chains, then convergence diagnostics (diagnostics.ts).
 *
 * - Proposal N(x, s_d·Σ + ε·I), s_d = 2.38²/d (Gelman, Roberts & Gilks 1996), Σ the chain's running
 *   covariance, adapted during burn-in only and then frozen, so the kept samples come from a fixed
 *   Metropolis kernel (exactly invariant for the target).
 * - The prior is uniform on the unit cube: proposals outside it are rejected.
 * - Each chain has its own RNG stream (Stream.FIT_MCMC, tag, chain): results never depend on how
 *   chains are scheduled.
 */
import { Rng, Stream } from '../../core/index.js';
import { choleskyJitter } from './math/linalg.js';
import { splitRhat, effectiveSampleSize } from './diagnostics.js';

export interface McmcOptions {
  seed: number;
  /** Stream tag (e.g. the refinement round) so that rounds draw from different streams. */
  tag?: number;
  chains?: number;
  /** Burn-in iterations per chain (adaptation happens here). */
  burnIn?: number;
  /** Kept iterations per chain (before thinning). */
  iterations?: number;
  /** Keep every `thin`-th sample. */
  thin?: number;
  /** Starting points (unit cube), one per chain; default: the best of a coarse scan. */
  starts?: Float64Array[];
}

export interface McmcResult {
  /** Kept samples, chain-major: samples[c][i] is a unit-cube point. */
  chains: Float64Array[][];
  /** All kept samples pooled (chain order). */
  samples: Float64Array[];
  /** Log-posterior of each pooled sample. */
  logPost: Float64Array;
  /** Acceptance rate per chain after burn-in. */
  acceptance: number[];
  /** Split-R̂ per dimension. */
  rhat: number[];
  /** Effective sample size per dimension (all chains). */
  ess: number[];
}

/** Starting points: the `chains` best of a seeded uniform scan of the cube, kept apart from each other. */
export function scanStarts(logPost: (u: Float64Array) => number, d: number, chains: number, rng: Rng, scan = 400): Float64Array[] {
  const pts: { u: Float64Array; lp: number }[] = [];
  for (let i = 0; i < scan; i++) {
    const u = Float64Array.from({ length: d }, () => rng.uniform());
    pts.push({ u, lp: logPost(u) });
  }
  pts.sort((a, b) => b.lp - a.lp);
  const out: Float64Array[] = [];
  for (const p of pts) {
    if (out.length >= chains) break;
    if (!Number.isFinite(p.lp)) break;
    if (out.every((q) => dist(q, p.u) > 0.05)) out.push(p.u);
  }
  while (out.length < chains) out.push(pts[out.length]!.u);
  return out;
}

function dist(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

/** Runs adaptive-Metropolis chains on `logPost` over the unit cube of dimension d. */
export function runMcmc(logPost: (u: Float64Array) => number, d: number, o: McmcOptions): McmcResult {
  const C = o.chains ?? 4;
  const burn = o.burnIn ?? 2000;
  const iters = o.iterations ?? 4000;
  const thin = o.thin ?? 4;
  const tag = o.tag ?? 0;
  const starts = o.starts ?? scanStarts(logPost, d, C, Rng.stream(o.seed, Stream.FIT_MCMC, tag, 0xffff));
  const chains: Float64Array[][] = [];
  const lps: number[][] = [];
  const acceptance: number[] = [];
  const sd = (2.38 * 2.38) / d;
  for (let c = 0; c < C; c++) {
    const rng = Rng.stream(o.seed, Stream.FIT_MCMC, tag, c);
    let x = Float64Array.from(starts[c % starts.length]!);
    let lp = logPost(x);
    // Running mean and covariance (Welford) for the adaptation.
    const mean = Float64Array.from(x);
    const cov = new Float64Array(d * d);
    for (let i = 0; i < d; i++) cov[i * d + i] = 0.01;
    let L = proposalFactor(cov, d, sd);
    let count = 1;
    const kept: Float64Array[] = [];
    const keptLp: number[] = [];
    let acc = 0;
    for (let it = 0; it < burn + iters; it++) {
      const z = Float64Array.from({ length: d }, () => rng.normal());
      const y = new Float64Array(d);
      for (let i = 0; i < d; i++) {
        let s = x[i]!;
        for (let k = 0; k <= i; k++) s += L[i * d + k]! * z[k]!;
        y[i] = s;
      }
      const lpy = inCube(y) ? logPost(y) : -Infinity;
      const accept = lpy - lp >= 0 || Math.log(rng.uniformOpen()) < lpy - lp;
      if (accept) {
        x = y;
        lp = lpy;
        if (it >= burn) acc++;
      }
      if (it < burn) {
        count++;
        const delta = Float64Array.from(x, (xi, i) => xi - mean[i]!);
        for (let i = 0; i < d; i++) mean[i]! += delta[i]! / count;
        for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) cov[i * d + k]! += (delta[i]! * (x[k]! - mean[k]!) - cov[i * d + k]!) / count;
        if (it >= 200 && it % 50 === 0) L = proposalFactor(cov, d, sd);
      } else if ((it - burn) % thin === 0) {
        kept.push(Float64Array.from(x));
        keptLp.push(lp);
      }
    }
    chains.push(kept);
    lps.push(keptLp);
    acceptance.push(acc / iters);
  }
  const samples = chains.flat();
  const rhat: number[] = [];
  const ess: number[] = [];
  for (let i = 0; i < d; i++) {
    const per = chains.map((ch) => Float64Array.from(ch, (s) => s[i]!));
    rhat.push(splitRhat(per));
    ess.push(effectiveSampleSize(per));
  }
  return { chains, samples, logPost: Float64Array.from(lps.flat()), acceptance, rhat, ess };
}

function inCube(u: Float64Array): boolean {
  for (let i = 0; i < u.length; i++) if (!(u[i]! >= 0 && u[i]! <= 1)) return false;
  return true;
}

/** Cholesky factor of s_d·Σ + ε·I (ε = 1e-6 keeps the proposal non-degenerate). */
function proposalFactor(cov: Float64Array, d: number, sd: number): Float64Array {
  const a = Float64Array.from(cov, (v) => v * sd);
  for (let i = 0; i < d; i++) a[i * d + i]! += 1e-6 * sd;
  return choleskyJitter(a, d).L;
}
