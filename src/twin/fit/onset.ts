/**
 * Latent (continuous) onsets, read with the project's ONE onset rule table (src/twin/timeline
 * `detectOnsets`), never a copy of it: the discrete onset is the rule's (first frame meeting it, the
 * onset in (after_C, onset_C]); the latent onset is where the rule would first fire if the series were
 * interpolated linearly between that frame and the one before, found by bisection calling
 * `detectOnsets` on the two-frame series (first frame, interpolated frame). So latent ∈ (after_C,
 * onset_C] exactly when the rule fires at onset_C, and the emulator sees a continuous quantity.
 * A rule that must hold for several frames in a row (`threshold.persist`, the image rules' guard against
 * a single noisy frame) has already been confirmed by the discrete onset; the crossing inside the step is
 * read with the same rule, threshold and statistics, without asking a two-frame series to persist.
 * A rule that reads one series' noise from its baseline at k (`threshold.baseline`: enough frames before the
 * onset frame k) has its threshold fixed by those frames (`ruleThreshold` at k): the two-frame series carries it as
 * the interpolated frame's SE (sd₀ = 0, sdₖ = threshold / sigmas, so max(minRise, sigmas·sdₖ) is that threshold).
 */
import { detectOnsets, readsBaseline, ruleColumn, ruleThreshold, type Observables, type OnsetRule, type OnsetSeries } from '../timeline/index.js';
import type { SimOnset } from './types.js';

const C = (T_K: number) => T_K - 273.15;

/** Continuous onsets of `rules` on a series (see module doc); censored stages sit one step past the last frame. */
export function latentOnsets(s: OnsetSeries, rules: readonly OnsetRule[]): Record<string, SimOnset> {
  const found = detectOnsets(s, rules);
  const T = s.temperatures_K;
  const F = T.length;
  const step_K = F > 1 ? (T[F - 1]! - T[0]!) / (F - 1) : 15;
  const out: Record<string, SimOnset> = {};
  rules.forEach((rule, r) => {
    const o = found[r]!;
    if (o.onset_C === null) {
      if (o.note === 'observable not computed') return;
      out[rule.stage] = { onset_C: null, after_C: F ? +C(T[F - 1]!).toFixed(3) : null, latent_C: C(T[F - 1]! + step_K), censored: true };
      return;
    }
    const k = T.findIndex((t) => Math.abs(C(t) - o.onset_C!) < 1e-3);
    if (k < 1) {
      out[rule.stage] = { onset_C: o.onset_C, after_C: o.after_C, latent_C: o.onset_C, censored: false };
      return;
    }
    const col = ruleColumn(rule);
    const fromBaseline = readsBaseline(rule, s, k);
    const { baseline: _b, ...threshold } = rule.threshold;
    void _b;
    const crossing: OnsetRule = fromBaseline || (rule.threshold.persist && rule.threshold.persist > 1) ? { ...rule, threshold: { ...threshold, persist: 1 } } : rule;
    // a baseline rule's threshold at k, as the SE of the interpolated frame (module doc)
    const thrK = fromBaseline ? ruleThreshold(rule, s, k, k)! : 0;
    const base = Math.abs(s.values[0]![col]!);
    const seK = fromBaseline ? (rule.threshold.kind === 'relative' ? thrK * base : thrK) / rule.threshold.sigmas : 0;
    const fires = (t: number): boolean => {
      const lerp = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? b : a + t * (b - a));
      const mid: Observables = { ...s.values[k]!, [col]: lerp(s.values[k - 1]![col], s.values[k]![col])! };
      const sdMid: Observables | undefined = fromBaseline ? { [col]: seK } : s.sd ? { ...s.sd[k]!, [col]: lerp(s.sd[k - 1]?.[col], s.sd[k]?.[col]) ?? 0 } : undefined;
      const sd0: Observables | undefined = fromBaseline ? { [col]: 0 } : s.sd?.[0];
      const two: OnsetSeries = {
        temperatures_K: [T[0]!, T[k - 1]! + t * (T[k]! - T[k - 1]!)],
        values: [s.values[0]!, mid],
        ...(sd0 && sdMid ? { sd: [sd0, sdMid] } : {}),
        ...(s.counts ? { counts: s.counts } : {}),
        ...(s.replicas !== undefined ? { replicas: s.replicas } : {}),
        ...(s.replicasByColumn ? { replicasByColumn: s.replicasByColumn } : {}),
      };
      return detectOnsets(two, [crossing])[0]!.onset_C !== null;
    };
    // fires(0) is false (frame k − 1 did not meet the rule) and fires(1) true (frame k did).
    let lo = 0;
    let hi = 1;
    for (let it = 0; it < 40; it++) {
      const mid = 0.5 * (lo + hi);
      if (fires(mid)) hi = mid;
      else lo = mid;
    }
    out[rule.stage] = { onset_C: o.onset_C, after_C: o.after_C, latent_C: C(T[k - 1]! + hi * (T[k]! - T[k - 1]!)), censored: false };
  });
  return out;
}
