/**
 * The latent (continuous) onset of one stage from a frame series: the first frame whose rise
 * (the stage rule's quantity: value − first-frame value, or a relative rise) reaches the threshold
 * gives the discrete onset (onset_C, after_C) exactly as the project's onset rules do; the latent
 * onset interpolates the rise linearly to the threshold between that frame and the one before.
 */
import type { SimOnset } from './types.js';

/** Latent onset from frame temperatures (°C) and the rule's rise per frame (see module doc). */
export function latentOnset(temperature_C: readonly number[], rise: readonly number[], threshold: number, step_K: number): SimOnset {
  for (let k = 1; k < rise.length; k++) {
    const r = rise[k]!;
    if (!Number.isFinite(r) || r < threshold) continue;
    const T1 = temperature_C[k]!;
    const T0 = temperature_C[k - 1]!;
    const r0 = Number.isFinite(rise[k - 1]!) ? Math.min(rise[k - 1]!, threshold) : threshold;
    const f = r > r0 ? (threshold - r0) / (r - r0) : 1;
    return { onset_C: T1, after_C: T0, latent_C: T0 + Math.max(1e-6, Math.min(1, f)) * (T1 - T0), censored: false };
  }
  const last = temperature_C[temperature_C.length - 1] ?? 0;
  return { onset_C: null, after_C: last, latent_C: last + step_K, censored: true };
}
