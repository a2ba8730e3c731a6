/**
 * Sequential refinement near the posterior (BOLFI-like; Gutmann & Corander, JMLR 17, 1 (2016);
 * batch rules after Järvenpää et al., Bayesian Anal. 14, 595 (2019)): the next simulations go where
 * the current posterior has mass AND the emulator is least sure, measured in likelihood units (a
 * component's GP variance relative to the replicate noise it competes with).
 *
 * Candidates are posterior samples (so the posterior density weights the choice). A batch is picked
 * greedily: after each pick the GPs' predictive covariances over the candidates are updated as if
 * that point had been simulated (a GP's variance update needs no output value), so one batch spreads
 * over the uncertain region instead of piling up at one point. Deterministic given the samples.
 */
import type { Emulator } from './emulator.js';

/** Picks `batch` new design points (unit cube) from posterior samples. */
export function acquireBatch(em: Emulator, samples: readonly Float64Array[], existing: readonly ArrayLike<number>[], batch: number, replicates: number, maxCandidates = 240): Float64Array[] {
  const d = em.d;
  // Evenly thinned candidates, duplicates (MCMC repeats) removed.
  const step = Math.max(1, Math.floor(samples.length / maxCandidates));
  const cand: Float64Array[] = [];
  for (let i = 0; i < samples.length && cand.length < maxCandidates; i += step) {
    const s = samples[i]!;
    if (!cand.some((c) => dist(c, s) < 1e-9)) cand.push(s);
  }
  const C = cand.length;
  if (C === 0) return [];
  const X = new Float64Array(C * d);
  cand.forEach((c, i) => X.set(c, i * d));
  const gps = em.acquisitionGps(replicates).map((g) => {
    const { cov } = g.gp.predictJoint(X, C);
    const w = Float64Array.from(cand, (c) => g.weight(c));
    return { cov, noise: g.noise, w };
  });
  const picked: Float64Array[] = [];
  const taken = new Uint8Array(C);
  for (let b = 0; b < batch; b++) {
    let best = -1;
    let bestScore = -Infinity;
    for (let i = 0; i < C; i++) {
      if (taken[i]) continue;
      if (existing.some((e) => dist(e, cand[i]!) < 1e-3) || picked.some((p) => dist(p, cand[i]!) < 1e-3)) continue;
      let score = 0;
      for (const g of gps) score += g.w[i]! * Math.max(0, g.cov[i * C + i]!);
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    if (best < 0) break;
    taken[best] = 1;
    picked.push(cand[best]!);
    // Fantasised update: cov(a, b) −= cov(a, s) cov(s, b) / (cov(s, s) + noise).
    for (const g of gps) {
      const s = best;
      const den = g.cov[s * C + s]! + g.noise;
      if (!(den > 0)) continue;
      const col = Float64Array.from({ length: C }, (_, a) => g.cov[a * C + s]!);
      for (let a = 0; a < C; a++) {
        const f = col[a]! / den;
        if (f === 0) continue;
        for (let c = 0; c < C; c++) g.cov[a * C + c]! -= f * col[c]!;
      }
    }
  }
  return picked;
}

function dist(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}
