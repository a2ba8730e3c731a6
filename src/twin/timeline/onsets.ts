/**
 * Onsets: the ONE table of onset rules (data: stage, observable, region, threshold rule, direction) and
 * the one function that reads onsets off a frame series, pooled over replicas or per replica.
 *
 * A rule fires at the first frame whose change from the first frame (room temperature), in the rule's
 * direction, exceeds a noise-aware threshold, so that counting noise or one replica's spike cannot make
 * an onset:
 * - `binomial` (a fraction k/N of sites, N known): threshold max(minRise, sigmas·σ), σ = √(b̃(1 − b)/N_pool),
 *   b the baseline, b̃ = max(b, 1/N_pool), N_pool = N × replicas: the binomial spread of the baseline
 *   fraction (the kinetics' rule for TM on Li sites: max(3σ, 2 points));
 * - `spread` (any observable): threshold max(minRise, sigmas·SE), SE = √(sd₀² + sdᵢ²)/√R the standard
 *   error of the pooled change from the replica spread (sd) at both frames; with one replica, its frames'
 *   own measurement standard errors in place of sd where it has them, else minRise;
 * - a rule with `baseline` (the image rules), read on ONE series (one imaged replica, a replica's own onset,
 *   or an experimental series through `analyse`): the noise is the series' own frame-to-frame scatter before
 *   the candidate onset frame k: s_B = sample standard deviation of the observable over frames 0…k−1 (the
 *   baseline, at least `baseline` finite frames; with fewer, as without a baseline: the frames' own `sd` where
 *   given, else minRise, as for a short or coarse series such as the fit's 100 °C steps), SE = √2·s_B (the change
 *   of frame k from frame 0, two frames of that noise each), threshold max(minRise, sigmas·SE) for frame k and
 *   the `persist` frames confirming it. This is the whole acquisition noise of the observable (Poisson, scan,
 *   drift, the analysis' per-frame M-row phase and region: common to a frame, so a within-frame scatter
 *   cannot see it), estimated where there is no change yet; a slow drift of the baseline inflates s_B (fewer
 *   onsets, never more). With the frames' doses known (`dose`), the noise scales as shot noise, variance ∝
 *   1/dose: with w_j = D_j/D₀, s_B² = Σ w_j (v_j − m)²/(n − 1) about the weighted mean m is the variance at the
 *   first frame's dose, and SE = s_B·√(1 + D₀/D_i) at a frame i tested (k and its confirming frames; equal doses: √2·s_B). Without doses, the dose is taken as
 *   constant;
 * - `relative`: the same on the change relative to the baseline, (v − b)/|b| (pore area growth).
 * Onsets are interval-censored at the acquisition steps: the true onset lies in (after_C, onset_C].
 *
 * Each rule also names the seed observation it is compared with (`seed`: a stage of SEED_TIMELINE),
 * whether it reads the kinetics or the images (`definition`), and how the seed's temperature is read
 * (`compare`): `onset` (the stage appears at that temperature) or `holds` (the seed still sees the
 * structure intact at that temperature: the rule detects its loss, which must come later). The fidelity
 * table (fidelity.ts) is built from these fields; nothing else restates them.
 */

/** Observables of one frame, flat: e.g. `tmOnLi.rim`, `liMRatio.rim`, `facetAnisotropy`. */
export type Observables = Record<string, number>;

/** How the threshold of a rule is set (see module doc). */
export interface ThresholdRule {
  readonly kind: 'binomial' | 'spread' | 'relative';
  /** Smallest change that counts (in the observable's unit, or a fraction of the baseline for 'relative'). */
  readonly minRise: number;
  /** Noise multiple (σ or SE), e.g. 3. */
  readonly sigmas: number;
  /**
   * Frames in a row the change must exceed its threshold for (default 1): 2 for image rules, so that one
   * noisy frame cannot make an onset (the transformation the seed reads is irreversible). The onset is
   * still the first of them; a run ending on one exceeding frame has no onset yet.
   */
  readonly persist?: number;
  /**
   * One series (R = 1 for the rule's column): the noise from the series' own baseline, the frames before the
   * candidate onset, where there are at least this many (module doc); otherwise, and when absent, the frames' `sd`.
   */
  readonly baseline?: number;
}

/** One stage's rule. */
export interface OnsetRule {
  readonly stage: string;
  /** Observable (without region), e.g. 'tmOnLi'. */
  readonly observable: string;
  /** Region of the observable ('rim', 'apb', 'bulk', 'all'); absent for frame-wide observables. */
  readonly region?: string;
  readonly threshold: ThresholdRule;
  /** 'up': the observable rises; 'down': it falls; 'either': it moves either way (a position). */
  readonly direction: 'up' | 'down' | 'either';
  /** The seed observation (SEED_TIMELINE stage) this rule is compared with. */
  readonly seed: string;
  /** 'kmc': read off the kinetics' observables; 'image': read off the (noisy) images. */
  readonly definition: 'kmc' | 'image';
  /** 'onset': the seed sees the stage appear at its temperature; 'holds': it still sees it intact there (module doc). */
  readonly compare: 'onset' | 'holds';
  /** The rule in words (summary.json, report). */
  readonly text: string;
}

/** The flat column a rule reads: `observable.region` or `observable`. */
export const ruleColumn = (r: OnsetRule): string => (r.region ? `${r.observable}.${r.region}` : r.observable);

const binomial = (minRise: number): ThresholdRule => ({ kind: 'binomial', minRise, sigmas: 3 });
const spread = (minRise: number): ThresholdRule => ({ kind: 'spread', minRise, sigmas: 3 });
/**
 * Image rules: 3 SE, and confirmed by the next frame (a single noisy frame is no onset); on one series the SE
 * from its baseline where it has 4 frames or more (25–70 °C in the seed's 15 °C staircase: from 85 °C on).
 */
const imageSpread = (minRise: number): ThresholdRule => ({ kind: 'spread', minRise, sigmas: 3, persist: 2, baseline: IMAGE_BASELINE_FRAMES });
/** Fewest baseline frames an image rule reads one series' noise from (4: 3 degrees of freedom). */
export const IMAGE_BASELINE_FRAMES = 4;

/** The rules of the seed stages (observables from src/kinetics/ncm and, for `*Image`, the images). */
export const ONSET_RULES: readonly OnsetRule[] = Object.freeze([
  { stage: 'liSiteRim', seed: 'liSiteRim', definition: 'kmc', compare: 'onset', observable: 'tmOnLi', region: 'rim', threshold: binomial(0.02), direction: 'up', text: 'TM on Li-layer sites in the pore-rim shell rises above RT by max(3σ binomial, 0.02) (fraction of rim Li-layer sites)' },
  { stage: 'liSiteRimImage', seed: 'liSiteRim', definition: 'image', compare: 'onset', observable: 'liMRatio', region: 'rim', threshold: imageSpread(0.01), direction: 'up', text: 'image: Li-site/M-site intensity across the layers at the pore rim (the column analysis of each noisy frame: its rim region and M-row phase; pooled over the imaged replicas) rises above RT by max(0.01, 3 SE) in two frames in a row: SE from the imaged replicas\' spread, or on one series √2 × its own scatter over the frames before the onset (at least 4)' },
  { stage: 'poreGrowth', seed: 'poreGrowth', definition: 'kmc', compare: 'onset', observable: 'poreArea_A2', threshold: { kind: 'relative', minRise: 0.05, sigmas: 3 }, direction: 'up', text: 'projected pore area grows by max(5 %, 3 SE) above RT (relative)' },
  { stage: 'facets', seed: 'facets', definition: 'kmc', compare: 'onset', observable: 'roughness003_A', threshold: spread(1), direction: 'up', text: 'facet anisotropy: the {003} pore boundary roughens (RMS position along c rises by max(1 Å, 3 SE) above RT) while the other facets stay sharp (seed: {003} densified and rough, sharp non-(003) facets)' },
  { stage: 'liSiteApbImage', seed: 'facets', definition: 'image', compare: 'onset', observable: 'liMRatio', region: 'apb', threshold: imageSpread(0.01), direction: 'up', text: 'image: Li-site/M-site intensity across the layers in the APB zone (its own antiphase domain, near the pore; column analysis, pooled) rises above RT by max(0.01, 3 SE) in two frames in a row (SE as for the rim)' },
  { stage: 'liSiteApb', seed: 'facets', definition: 'kmc', compare: 'onset', observable: 'tmOnLi', region: 'apb', threshold: binomial(0.02), direction: 'up', text: 'TM on Li-layer sites in the APB zone rises above RT by max(3σ binomial, 0.02)' },
  { stage: 'rockSaltRim', seed: 'rockSaltRim', definition: 'kmc', compare: 'onset', observable: 'rockSalt', region: 'rim', threshold: spread(0.3), direction: 'up', text: 'rock-salt order parameter 1 − (x_M − x_L)/(x_M + x_L) of the rim shell rises by max(0.3, 3 SE) above RT' },
  { stage: 'apbLoss', seed: 'apbStable', definition: 'kmc', compare: 'holds', observable: 'apb.x_A', threshold: spread(2.5), direction: 'either', text: 'APB lost: the centroid of the in-plane Li–TM pairs in the APB zone moves across the layers by max(2.5 Å ≈ one cation row, 3 SE) from RT (the seed sees the APB in place up to ~275 °C)' },
  { stage: 'tmDepleted', seed: 'tmDepleted', definition: 'kmc', compare: 'onset', observable: 'tmDepletion', region: 'rim', threshold: spread(0.05), direction: 'up', text: 'TM deficit of the rim shell against the bulk (TM per cation site) rises by max(0.05, 3 SE)' },
  { stage: 'tmEnriched', seed: 'tmEnriched', definition: 'kmc', compare: 'onset', observable: 'tmEnrichment', region: 'boundary', threshold: spread(0.05), direction: 'up', text: 'TM excess of the pore boundary (the cation sites touching the pore in that frame) over the bulk (TM per cation site) rises by max(0.05, 3 SE) above RT' },
  { stage: 'rockSaltGrain', seed: 'rockSaltGrain', definition: 'kmc', compare: 'onset', observable: 'rockSalt', region: 'bulk', threshold: spread(0.3), direction: 'up', text: 'rock-salt order parameter of the bulk rises by max(0.3, 3 SE) above RT' },
  { stage: 'ni0Li2O', seed: 'ni0Li2O', definition: 'kmc', compare: 'onset', observable: 'ni0', region: 'all', threshold: binomial(0.01), direction: 'up', text: 'Ni⁰ fraction of all cation sites rises above RT by max(3σ binomial, 0.01)' },
] satisfies OnsetRule[]);

/** A frame series to read onsets from: pooled means, and what the noise estimate needs. */
export interface OnsetSeries {
  temperatures_K: readonly number[];
  /** Observables per frame (pooled means, or one replica's values). */
  values: readonly Observables[];
  /** Replica standard deviation per frame and observable (absent or 0: one replica). */
  sd?: readonly Observables[];
  /** Denominator (sites of one replica) of each fraction observable, for 'binomial' rules. */
  counts?: Readonly<Record<string, number>>;
  /** Replicas pooled in `values` (default 1). */
  replicas?: number;
  /** Replicas pooled per column where it differs from `replicas` (image observables: the imaged replicas). */
  replicasByColumn?: Readonly<Record<string, number>>;
  /** Electron dose of each frame, e/Å², where known (one series' baseline noise scales with it, module doc). */
  dose?: readonly number[];
}

/** A detected onset. */
export interface Onset {
  stage: string;
  rule: string;
  observable: string;
  /** Temperature of the first frame meeting the rule, °C (null: not reached or observable absent). */
  onset_C: number | null;
  /** Temperature of the frame before it, °C (the onset lies in (after_C, onset_C]). */
  after_C: number | null;
  /** Threshold of the change at the onset frame (in the observable's unit; relative for 'relative'). */
  threshold?: number;
  /** Why no onset: 'not reached' or 'observable not computed'. */
  note?: string;
  /**
   * A rule with `baseline` read on one series: how many finite frames before the onset frame its noise was
   * measured over. Fewer than the rule's `baseline`: the threshold came from the frames' own `sd` or, without
   * them, from minRise alone (a provisional onset; `analyse` warns).
   */
  baselineFrames?: number;
  /** Onset of each replica read with the same rule, °C (null: not reached); present when replicas were run. */
  perReplica_C?: (number | null)[];
  /**
   * How many of `perReplica_C`'s nulls are replicas without the observable (not imaged, or a baseline frame
   * the analysis could not read), not replicas that did not reach the stage; absent when none.
   */
  perReplicaNotComputed?: number;
}

const C = (T_K: number) => +(T_K - 273.15).toFixed(3);

/**
 * Sample standard deviation of `values[0…k−1][col]` over its finite entries (one series' baseline noise,
 * module doc), or null with fewer than `min` of them (min ≥ 2). With `dose` (e/Å² per frame), each frame
 * weighted by D_j/D₀: the standard deviation at the first frame's dose.
 */
export function baselineSd(values: readonly Observables[], col: string, k: number, min: number, dose?: readonly number[]): number | null {
  const v: number[] = [], w: number[] = [];
  for (let j = 0; j < k && j < values.length; j++) {
    const x = values[j]![col];
    if (x !== undefined && Number.isFinite(x)) { v.push(x); w.push(dose ? dose[j]! / dose[0]! : 1); }
  }
  if (v.length < Math.max(2, min)) return null;
  const sw = w.reduce((a, b) => a + b, 0);
  const m = v.reduce((a, b, j) => a + w[j]! * b, 0) / sw;
  return Math.sqrt(v.reduce((a, b, j) => a + w[j]! * (b - m) * (b - m), 0) / (v.length - 1));
}

/** Finite entries of `values[0…k−1][col]`. */
function finiteBefore(values: readonly Observables[], col: string, k: number): number {
  let n = 0;
  for (let j = 0; j < k && j < values.length; j++) if (Number.isFinite(values[j]![col])) n++;
  return n;
}

/** `s.dose` when every frame has a finite positive dose, else undefined (taken as constant). */
function knownDose(s: OnsetSeries): readonly number[] | undefined {
  const d = s.dose;
  return d && d.length >= s.values.length && d.every((x) => Number.isFinite(x) && x > 0) ? d : undefined;
}

/** Threshold of a rule at frame i whose onset candidate is frame k (k ≤ i; see module doc). */
function thresholdAt(r: OnsetRule, s: OnsetSeries, col: string, base: number, i: number, k: number): number {
  const t = r.threshold;
  const R = s.replicasByColumn?.[col] ?? s.replicas ?? 1;
  const dose = knownDose(s);
  const sB = readsBaseline(r, s) ? baselineSd(s.values, col, k, t.baseline!, dose) : null;
  if (sB !== null) {
    const se = sB * Math.sqrt(1 + (dose ? dose[0]! / dose[i]! : 1));
    return t.kind === 'relative' ? Math.max(t.minRise, base !== 0 ? (t.sigmas * se) / Math.abs(base) : 0) : Math.max(t.minRise, t.sigmas * se);
  }
  if (t.kind === 'binomial') {
    const n = s.counts?.[col];
    if (!(n !== undefined && n > 0)) return t.minRise;
    const N = n * R;
    const b = Math.min(1, Math.max(0, base));
    const sigma = Math.sqrt((Math.max(b, 1 / N) * (1 - b)) / N);
    return Math.max(t.minRise, t.sigmas * sigma);
  }
  const sd0 = s.sd?.[0]?.[col] ?? 0;
  const sdi = s.sd?.[i]?.[col] ?? 0;
  const se = Number.isFinite(sd0) && Number.isFinite(sdi) ? Math.sqrt(sd0 * sd0 + sdi * sdi) / Math.sqrt(R) : 0;
  if (t.kind === 'relative') return Math.max(t.minRise, base !== 0 ? (t.sigmas * se) / Math.abs(base) : 0);
  return Math.max(t.minRise, t.sigmas * se);
}

/**
 * The threshold `detectOnsets` applies to frame i of `s` when frame k is the candidate onset (k ≤ i; the rule's
 * unit, relative for 'relative'), or null where the series lacks the observable at its first frame.
 */
export function ruleThreshold(r: OnsetRule, s: OnsetSeries, i: number, k: number = i): number | null {
  const col = ruleColumn(r);
  const base = s.values[0]?.[col];
  return base === undefined || !Number.isFinite(base) ? null : thresholdAt(r, s, col, base, i, k);
}

/**
 * Whether a rule reads its noise from the series' own baseline on `s` (`baseline` set, one replica for its
 * column); with `k`, whether it does at candidate frame k (at least `baseline` finite frames before k).
 */
export function readsBaseline(r: OnsetRule, s: OnsetSeries, k?: number): boolean {
  const t = r.threshold;
  if (t.baseline === undefined || t.kind === 'binomial' || (s.replicasByColumn?.[ruleColumn(r)] ?? s.replicas ?? 1) !== 1) return false;
  return k === undefined || baselineSd(s.values, ruleColumn(r), k, t.baseline) !== null;
}

/** Apply the rules to a series (pooled or one replica). */
export function detectOnsets(s: OnsetSeries, rules: readonly OnsetRule[] = ONSET_RULES): Onset[] {
  return rules.map((r) => {
    const col = ruleColumn(r);
    const base = s.values[0]?.[col];
    const out: Onset = { stage: r.stage, rule: r.text, observable: col, onset_C: null, after_C: null };
    if (base === undefined || !Number.isFinite(base)) return { ...out, note: 'observable not computed' };
    const signed = (d: number) => (r.direction === 'either' ? Math.abs(d) : r.direction === 'up' ? d : -d);
    /** Frame i's threshold if its change exceeds it (candidate onset k), else null. */
    const exceeds = (i: number, k: number): number | null => {
      const v = s.values[i]![col];
      if (v === undefined || !Number.isFinite(v)) return null;
      const change = r.threshold.kind === 'relative' ? (base !== 0 ? signed(v - base) / Math.abs(base) : 0) : signed(v - base);
      const thr = thresholdAt(r, s, col, base, i, k);
      return change > thr ? thr : null;
    };
    const persist = r.threshold.persist ?? 1;
    for (let i = 1; i + persist - 1 < s.values.length; i++) {
      const thr = exceeds(i, i);
      if (thr === null) continue;
      let held = true;
      for (let j = 1; j < persist && held; j++) held = exceeds(i + j, i) !== null;
      if (!held) continue;
      const found: Onset = { ...out, onset_C: C(s.temperatures_K[i]!), after_C: C(s.temperatures_K[i - 1]!), threshold: thr };
      if (readsBaseline(r, s)) found.baselineFrames = finiteBefore(s.values, col, i);
      return found;
    }
    return { ...out, note: 'not reached' };
  });
}

/**
 * Onsets of the pooled series with each replica's own onsets beside them (the same rules, one replica
 * each: `perReplica_C`), so that a replica's image onset is read exactly as a run with that one imaged
 * replica reads it (rules with `baseline`: the replica's own baseline scatter). `replicaNoise[rep][frame]`:
 * a replica's own measurement standard error of its observables where it has one, for the one-replica
 * `spread` rules without `baseline` (threshold max(minRise, 3·√(se₀² + seᵢ²))); without it, their threshold is minRise.
 */
export function detectPooledOnsets(pooled: OnsetSeries, replicas: readonly (readonly Observables[])[], rules: readonly OnsetRule[] = ONSET_RULES, replicaNoise?: readonly (readonly Observables[] | undefined)[]): Onset[] {
  const main = detectOnsets(pooled, rules);
  if (replicas.length <= 1) return main;
  const per = replicas.map((values, rep) => {
    const sd = replicaNoise?.[rep];
    return detectOnsets({ temperatures_K: pooled.temperatures_K, values, ...(sd ? { sd } : {}), ...(pooled.counts ? { counts: pooled.counts } : {}), ...(pooled.dose ? { dose: pooled.dose } : {}), replicas: 1 }, rules);
  });
  return main.map((o, k) => {
    const missing = per.filter((p) => p[k]!.note === 'observable not computed').length;
    return { ...o, perReplica_C: per.map((p) => p[k]!.onset_C), ...(missing > 0 ? { perReplicaNotComputed: missing } : {}) };
  });
}
