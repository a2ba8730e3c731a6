/**
 * Pearson χ² of Poisson draws against the pmf (tests of Rng.poisson and the dataset's detector noise): n
 * draws of `draw()`, bins k with n·pmf(k) ≥ 20, the lower and upper tails pooled into one bin each (pmf from
 * exp(−λ + k·log λ − log k!)). `limit` is the 0.999 quantile of χ² with (bins − 1) degrees of freedom by the
 * Wilson–Hilferty approximation ν(1 − 2/(9ν) + z·√(2/(9ν)))³, z = 3.0902 (within 1 % of the exact quantile for
 * ν ≥ 5): a correct sampler fails one call in 1000.
 */
export function poissonChi2(lam: number, n: number, draw: () => number, logFactorial: (k: number) => number): { chi2: number; limit: number; dof: number } {
  const pmf = (k: number): number => Math.exp(-lam + k * Math.log(lam) - logFactorial(k));
  // Bins kLo … kHi, each expecting ≥ 20; below kLo and above kHi pooled.
  const mode = Math.floor(lam);
  let kLo = mode, kHi = mode;
  while (kLo > 0 && n * pmf(kLo - 1) >= 20) kLo--;
  while (n * pmf(kHi + 1) >= 20) kHi++;
  const obs = new Float64Array(kHi - kLo + 3);
  for (let i = 0; i < n; i++) {
    const k = draw();
    obs[k < kLo ? 0 : k > kHi ? kHi - kLo + 2 : k - kLo + 1]!++;
  }
  let below = 0;
  for (let k = 0; k < kLo; k++) below += pmf(k);
  let inside = 0;
  const expected: number[] = [n * below];
  for (let k = kLo; k <= kHi; k++) { expected.push(n * pmf(k)); inside += pmf(k); }
  expected.push(n * Math.max(0, 1 - below - inside));
  let chi2 = 0, bins = 0;
  expected.forEach((e, b) => {
    if (e < 1e-9) { if (obs[b]! > 0) chi2 = Infinity; return; }
    chi2 += (obs[b]! - e) ** 2 / e;
    bins++;
  });
  const dof = bins - 1, a = 2 / (9 * dof);
  return { chi2, limit: dof * (1 - a + 3.0902 * Math.sqrt(a)) ** 3, dof };
}
