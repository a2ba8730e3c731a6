/**
 * MCMC convergence diagnostics (Gelman et al., Bayesian Data Analysis, 3rd ed., §11.4–11.5):
 * split-R̂ (each chain cut in halves; R̂ = √(var⁺/W)) and the effective sample size from the
 * multi-chain autocorrelation ρ_t = 1 − (W − mean within-chain autocovariance_t)/var⁺, summed over
 * Geyer's initial positive and monotone sequence (Geyer, Stat. Sci. 7, 473 (1992)).
 */

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
}

function variance(a: ArrayLike<number>, mu = mean(a)): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - mu) ** 2;
  return s / (a.length - 1);
}

/** W (mean within-chain variance) and var⁺ for equal-length chains. */
function varianceParts(chains: readonly Float64Array[]): { W: number; varPlus: number; n: number } {
  const n = Math.min(...chains.map((c) => c.length));
  const cs = chains.map((c) => c.subarray(0, n));
  const means = cs.map((c) => mean(c));
  const W = mean(cs.map((c, i) => variance(c, means[i])));
  const B = cs.length > 1 ? n * variance(means) : 0;
  return { W, varPlus: ((n - 1) / n) * W + B / n, n };
}

/** Split-R̂ of one scalar over chains (≥ 1 chain, ≥ 4 draws each). 1 means converged; > 1.01 is a warning. */
export function splitRhat(chains: readonly Float64Array[]): number {
  const halves: Float64Array[] = [];
  for (const c of chains) {
    const h = Math.floor(c.length / 2);
    halves.push(c.subarray(0, h), c.subarray(c.length - h));
  }
  const { W, varPlus } = varianceParts(halves);
  if (!(W > 0)) return varPlus > 0 ? Infinity : 1;
  return Math.sqrt(varPlus / W);
}

/** Autocovariance of x at lags 0 … maxLag (biased estimator, divides by n). */
function autocovariance(x: Float64Array, maxLag: number): Float64Array {
  const n = x.length;
  const mu = mean(x);
  const out = new Float64Array(maxLag + 1);
  for (let t = 0; t <= maxLag; t++) {
    let s = 0;
    for (let i = 0; i + t < n; i++) s += (x[i]! - mu) * (x[i + t]! - mu);
    out[t] = s / n;
  }
  return out;
}

/** Effective sample size of one scalar over all chains (BDA3 eq. 11.8 with Geyer's truncation). */
export function effectiveSampleSize(chains: readonly Float64Array[]): number {
  const { varPlus, n } = varianceParts(chains);
  const m = chains.length;
  if (!(varPlus > 0)) return m * n;
  const maxLag = Math.min(n - 1, 2000);
  const acs = chains.map((c) => autocovariance(c.subarray(0, n), maxLag));
  const W = mean(chains.map((c) => variance(c.subarray(0, n))));
  const rho = (t: number) => 1 - (W - mean(acs.map((a) => a[t]!))) / varPlus;
  // Geyer: sum pairs Γ_k = ρ_2k + ρ_2k+1 while positive, made monotone.
  let sum = 0;
  let prev = Infinity;
  for (let k = 0; 2 * k + 1 <= maxLag; k++) {
    let g = rho(2 * k) + rho(2 * k + 1);
    if (!(g > 0)) break;
    g = Math.min(g, prev);
    prev = g;
    sum += g;
  }
  const tau = -1 + 2 * sum;
  return (m * n) / Math.max(tau, 1 / Math.log10(Math.max(10, m * n)));
}
