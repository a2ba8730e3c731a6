/**
 * Onset temperatures of the seed's stages from a simulated series of frames. Each stage has one
 * explicit rule: an observable crossing a threshold above its room-temperature value. Onsets are
 * interval-censored at the acquisition steps: the true onset lies in (previous frame, onset frame].
 */

/** Observables of one frame, flat: e.g. `tmOnLi.rim`, `liMRatio.rim`, `facetAnisotropy`. */
export type Observables = Record<string, number>;

/** One stage's rule. */
export interface OnsetRule {
  stage: string;
  /** The observable tested. */
  observable: string;
  /** Threshold on (value − value at the first frame) (or on the value itself when `absolute`). */
  threshold: number;
  absolute?: boolean;
  /** The rule in words (written into summary.json and the report). */
  text: string;
}

/** The rules used for the seed stages (observables from src/kinetics/ncm and the images). */
export const ONSET_RULES: readonly OnsetRule[] = Object.freeze([
  { stage: 'liSiteRim', observable: 'tmOnLi.rim', threshold: 0.05, text: 'TM on Li-layer sites in the pore-rim shell rises ≥ 0.05 (fraction of rim Li sites) above its RT value' },
  { stage: 'liSiteRimImage', observable: 'liMRatio.rim', threshold: 0.05, text: 'image: Li-site/M-site HAADF intensity ratio across the layers at the pore rim rises ≥ 0.05 above RT (noisy frames)' },
  { stage: 'poreGrowth', observable: 'poreArea_A2', threshold: 0.05, text: 'projected pore area grows ≥ 5 % above RT (relative)' },
  { stage: 'facets', observable: 'roughness003_A', threshold: 1, text: 'facet anisotropy: the {003} pore boundary roughens (RMS position along c rises ≥ 1 Å above RT) while the other facets stay sharp (the seed: {003} densified and rough, sharp non-(003) facets)' },
  { stage: 'liSiteApbImage', observable: 'liMRatio.apb', threshold: 0.05, text: 'image: Li-site/M-site HAADF intensity ratio in the APB zone (its own antiphase domain, near the pore) rises ≥ 0.05 above RT (noisy frames)' },
  { stage: 'liSiteApb', observable: 'tmOnLi.apb', threshold: 0.05, text: 'TM on Li-layer sites in the APB zone rises ≥ 0.05 above RT' },
  { stage: 'rockSaltRim', observable: 'rockSalt.rim', threshold: 0.3, text: 'rock-salt order parameter of the rim shell rises ≥ 0.3 above RT' },
  { stage: 'tmDepleted', observable: 'tmDepletion.rim', threshold: 0.05, text: 'TM deficit of the rim shell vs the bulk rises ≥ 0.05' },
  { stage: 'rockSaltGrain', observable: 'rockSalt.bulk', threshold: 0.3, text: 'rock-salt order parameter of the bulk rises ≥ 0.3 above RT' },
  { stage: 'ni0Li2O', observable: 'ni0.all', threshold: 0.01, text: 'Ni⁰ fraction of all cations rises ≥ 0.01 above RT' },
]);

/** Relative-threshold observables (threshold is a fraction of the RT value). */
const RELATIVE = new Set(['poreArea_A2']);

/** A detected onset. */
export interface Onset {
  stage: string;
  rule: string;
  observable: string;
  /** Temperature of the first frame meeting the rule, °C (null: not reached or observable absent). */
  onset_C: number | null;
  /** Temperature of the frame before it, °C (the onset lies in (after_C, onset_C]). */
  after_C: number | null;
  /** Why no onset: 'not reached' or 'observable not computed'. */
  note?: string;
}

/** Apply the rules to frames (temperatures in K, observables per frame). */
export function detectOnsets(temperatures_K: readonly number[], observables: readonly Observables[], rules: readonly OnsetRule[] = ONSET_RULES): Onset[] {
  return rules.map((r) => {
    const base = observables[0]?.[r.observable];
    const out: Onset = { stage: r.stage, rule: r.text, observable: r.observable, onset_C: null, after_C: null };
    if (base === undefined || !Number.isFinite(base)) return { ...out, note: 'observable not computed' };
    for (let i = 1; i < observables.length; i++) {
      const v = observables[i]![r.observable];
      if (v === undefined || !Number.isFinite(v)) continue;
      const rise = r.absolute ? v : RELATIVE.has(r.observable) ? (base > 0 ? (v - base) / base : 0) : v - base;
      if (rise >= r.threshold) {
        return { ...out, onset_C: +(temperatures_K[i]! - 273.15).toFixed(3), after_C: +(temperatures_K[i - 1]! - 273.15).toFixed(3) };
      }
    }
    return { ...out, note: 'not reached' };
  });
}
