/**
 * The standard normal distribution to full double precision: Φ, log Φ, the log-probability of an
 * interval (the interval-censored onset likelihood), the quantile function, and the digamma/trigamma
 * functions used for the sampling distribution of log sample variances.
 *
 * erfc: series for |x| < 2, Lentz continued fraction above (Abramowitz & Stegun 7.1.5 and 7.1.14);
 * relative error < 1e-14 on the whole line (tested against tabulated values).
 */

const SQRT2 = Math.SQRT2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** erf(x) by its Maclaurin series (A&S 7.1.5): accurate for |x| < 2. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= -x2 / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** exp(x²)·erfc(x) for x ≥ 2 by the continued fraction (A&S 7.1.14), modified Lentz. */
function erfcxCf(x: number): number {
  // erfc(x) = exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
  const tiny = 1e-300;
  let f = x;
  let C = x;
  let D = 0;
  for (let n = 1; n < 500; n++) {
    const an = n / 2;
    D = x + an * D;
    D = D === 0 ? tiny : D;
    C = x + an / C;
    C = C === 0 ? tiny : C;
    D = 1 / D;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 / (Math.sqrt(Math.PI) * f);
}

/** Complementary error function. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) return 1 - erfSeries(x);
  if (x > 27) return 0;
  return Math.exp(-x * x) * erfcxCf(x);
}

/** log erfc(x), finite far into the upper tail. */
function logErfc(x: number): number {
  if (x < 2) return Math.log(erfc(x));
  return -x * x + Math.log(erfcxCf(x));
}

/** Standard normal CDF Φ(z). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / SQRT2);
}

/** log Φ(z), accurate for very negative z. */
export function logNormalCdf(z: number): number {
  if (z > 5) return Math.log1p(-0.5 * erfc(z / SQRT2));
  return Math.log(0.5) + logErfc(-z / SQRT2);
}

/** log N(x; mean, sd²). */
export function logNormalPdf(x: number, mean: number, sd: number): number {
  const z = (x - mean) / sd;
  return -0.5 * z * z - Math.log(sd) - LOG_SQRT_2PI;
}

/**
 * log P(a < X ≤ b) for X ~ N(mean, sd²); a may be −∞, b may be +∞ (right-censored). Computed on
 * the side of the distribution where the interval lies, so it stays finite far into the tails.
 */
export function logNormalInterval(a: number, b: number, mean: number, sd: number): number {
  const za = (a - mean) / sd;
  const zb = (b - mean) / sd;
  if (!(zb > za)) return -Infinity;
  if (za > 0) {
    // Upper tail: P = Φ(−za) − Φ(−zb).
    const la = logNormalCdf(-za);
    const lb = zb === Infinity ? -Infinity : logNormalCdf(-zb);
    return la + Math.log1p(-Math.exp(lb - la));
  }
  if (zb < 0) {
    const lb = logNormalCdf(zb);
    const la = za === -Infinity ? -Infinity : logNormalCdf(za);
    return lb + Math.log1p(-Math.exp(la - lb));
  }
  // Interval straddles the mean: both tails are small.
  return Math.log(1 - normalCdf(za) - (zb === Infinity ? 0 : normalCdf(-zb)));
}

/** Standard normal quantile Φ⁻¹(p), p in (0, 1): Newton iterations on log Φ from a logistic start. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return NaN;
  }
  if (p > 0.5) return -normalQuantile(1 - p);
  const lp = Math.log(p);
  // Start: tail asymptote for small p, logistic approximation otherwise.
  let z = p < 1e-3 ? -Math.sqrt(-2 * lp - Math.log(-2 * lp * 2 * Math.PI)) : Math.log(p / (1 - p)) / 1.702;
  for (let it = 0; it < 60; it++) {
    const f = logNormalCdf(z) - lp;
    // d/dz log Φ(z) = φ(z)/Φ(z)
    const g = Math.exp(-0.5 * z * z - LOG_SQRT_2PI - logNormalCdf(z));
    const step = f / g;
    z -= Math.max(-2, Math.min(2, step));
    if (Math.abs(step) < 1e-14 * Math.max(1, Math.abs(z))) break;
  }
  return z;
}

/** Digamma ψ(x), x > 0 (recurrence to x ≥ 10, then the asymptotic series; error < 1e-13). */
export function digamma(x: number): number {
  let r = 0;
  while (x < 10) {
    r -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  return r + Math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))));
}

/** Trigamma ψ′(x), x > 0 (recurrence to x ≥ 10, then the asymptotic series). */
export function trigamma(x: number): number {
  let r = 0;
  while (x < 10) {
    r += 1 / (x * x);
    x += 1;
  }
  const f = 1 / (x * x);
  return r + 1 / x + f / 2 + (f / x) * (1 / 6 - f * (1 / 30 - f * (1 / 42 - f / 30)));
}

/** log Γ(x), x > 0 (Lanczos, g = 7, 9 terms; relative error < 1e-14). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** log density of Student's t with ν degrees of freedom (unit scale) at z. */
export function logStudentT(z: number, nu: number): number {
  return logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(nu * Math.PI) - ((nu + 1) / 2) * Math.log1p((z * z) / nu);
}

/** Regularised incomplete beta I_x(a, b) (continued fraction, modified Lentz; Numerical Recipes §6.4 form). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lbt = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = Math.abs(d) < tiny ? tiny : d;
  d = 1 / d;
  let f = d;
  for (let m = 1; m < 500; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = 1 + aa / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    f *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = 1 + aa / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return (Math.exp(lbt) * f) / a;
}

/** Upper tail P(T > t) of Student's t with ν degrees of freedom. */
export function studentTUpper(t: number, nu: number): number {
  const x = nu / (nu + t * t);
  const half = 0.5 * incompleteBeta(x, nu / 2, 0.5);
  return t >= 0 ? half : 1 - half;
}

/**
 * log P(a < X ≤ b) for X = mean + sd·T, T Student-t with ν degrees of freedom (ν = ∞: the normal case);
 * evaluated on the side of the distribution where the interval lies.
 */
export function logStudentInterval(a: number, b: number, mean: number, sd: number, nu: number): number {
  if (!Number.isFinite(nu) || nu > 1e6) return logNormalInterval(a, b, mean, sd);
  const za = (a - mean) / sd;
  const zb = (b - mean) / sd;
  if (!(zb > za)) return -Infinity;
  const upper = (z: number) => (z === Infinity ? 0 : z === -Infinity ? 1 : studentTUpper(z, nu));
  if (za > 0) return Math.log(upper(za) - upper(zb));
  if (zb < 0) return Math.log(upper(-zb) - upper(-za));
  return Math.log(1 - upper(zb) - upper(-za));
}
