/**
 * The fidelity table: each observation of the seed timeline (SEED_TIMELINE) against the simulated onset
 * of every rule of the one rule table (ONSET_RULES) that names it (`rule.seed`), with the replicas'
 * spread and whether the pooled onset lies within one of the seed's 15 °C steps. A seed observation no
 * rule names is "not modelled"; a rule whose onset the run did not reach is "not reached"; neither
 * gets a number.
 *
 * Reading the seed's temperature (`rule.compare`):
 * - `onset`: within one step when |onset − seed| ≤ 15 K (the seed's and the run's onsets are both
 *   read at acquisition steps, so one step is the resolution of the comparison);
 * - `holds` (the seed still sees the structure at T_seed): met when its loss is not reached, or comes
 *   after T_seed − 15 K (at most one step before the last temperature the seed saw it intact).
 */
import { ONSET_RULES, type Onset, type OnsetRule } from './onsets.js';
import { SEED_STEP_C, SEED_TIMELINE, type SeedObservation } from './seed.js';

/** Replica spread of an onset: how many replicas reached it and their median and range, °C. */
export interface ReplicaSpread {
  /** Replicas that computed the observable (an image rule: the imaged replicas). */
  replicas: number;
  reached: number;
  median_C: number | null;
  min_C: number | null;
  max_C: number | null;
}

/** One row of the fidelity table. */
export interface FidelityRow {
  /** SEED_TIMELINE stage and what the seed saw. */
  seedStage: string;
  seed_C: number;
  observation: string;
  /** The rule's stage (null: no rule: not modelled). */
  stage: string | null;
  definition: 'kmc' | 'image' | null;
  compare: 'onset' | 'holds' | null;
  rule: string | null;
  /** Pooled onset, °C, and the frame before it (the onset lies in (after_C, onset_C]); null: not reached. */
  onset_C: number | null;
  after_C: number | null;
  /** Onset − seed, K (null without an onset). */
  delta_K: number | null;
  spread: ReplicaSpread | null;
  /** Within one seed step (module doc); null where nothing was simulated. */
  withinStep: boolean | null;
  /** 'within one step', 'early by N K', 'late by N K', 'not reached', 'held', 'lost N K early', 'not modelled', 'not computed'. */
  status: string;
}

/**
 * Median and range of the reached per-replica onsets, out of the replicas that computed the observable
 * (`notComputed` of the nulls are replicas without it: `Onset.perReplicaNotComputed`).
 */
export function replicaSpread(perReplica_C: readonly (number | null)[] | undefined, notComputed = 0): ReplicaSpread | null {
  if (!perReplica_C || perReplica_C.length - notComputed <= 0) return null;
  const v = perReplica_C.filter((x): x is number => x !== null).sort((a, b) => a - b);
  const n = v.length;
  const median = n === 0 ? null : n % 2 ? v[(n - 1) / 2]! : (v[n / 2 - 1]! + v[n / 2]!) / 2;
  return { replicas: perReplica_C.length - notComputed, reached: n, median_C: median, min_C: n ? v[0]! : null, max_C: n ? v[n - 1]! : null };
}

function row(obs: SeedObservation, rule: OnsetRule, o: Onset | undefined, step_C: number): FidelityRow {
  const base = { seedStage: obs.stage, seed_C: obs.temperature_C, observation: obs.observation, stage: rule.stage, definition: rule.definition, compare: rule.compare, rule: rule.text };
  if (!o || o.note === 'observable not computed') return { ...base, onset_C: null, after_C: null, delta_K: null, spread: null, withinStep: null, status: 'not computed' };
  const spread = replicaSpread(o.perReplica_C, o.perReplicaNotComputed);
  if (o.onset_C === null) {
    const held = rule.compare === 'holds';
    return { ...base, onset_C: null, after_C: null, delta_K: null, spread, withinStep: held, status: held ? 'held to the end' : 'not reached' };
  }
  const d = +(o.onset_C - obs.temperature_C).toFixed(3);
  if (rule.compare === 'holds') {
    const ok = o.onset_C > obs.temperature_C - step_C;
    return { ...base, onset_C: o.onset_C, after_C: o.after_C, delta_K: d, spread, withinStep: ok, status: ok ? `held (lost at ${o.onset_C} °C)` : `lost ${+(-d).toFixed(1)} K before the seed's last sight` };
  }
  const ok = Math.abs(d) <= step_C + 1e-9;
  return { ...base, onset_C: o.onset_C, after_C: o.after_C, delta_K: d, spread, withinStep: ok, status: ok ? 'within one step' : d < 0 ? `early by ${+(-d).toFixed(1)} K` : `late by ${+d.toFixed(1)} K` };
}

/**
 * The fidelity table of a run's onsets (pooled, with `perReplica_C`): one row per (seed observation,
 * rule naming it), KMC rules first; one "not modelled" row per seed observation no rule names. The
 * initial structure (RT) has no row.
 */
export function fidelityTable(onsets: readonly Onset[], rules: readonly OnsetRule[] = ONSET_RULES, timeline: readonly SeedObservation[] = SEED_TIMELINE, step_C = SEED_STEP_C): FidelityRow[] {
  const by = new Map(onsets.map((o) => [o.stage, o]));
  const out: FidelityRow[] = [];
  for (const obs of timeline) {
    if (obs.stage === 'initial') continue;
    const mine = rules.filter((r) => r.seed === obs.stage).sort((a, b) => (a.definition === b.definition ? 0 : a.definition === 'kmc' ? -1 : 1));
    if (mine.length === 0) {
      out.push({ seedStage: obs.stage, seed_C: obs.temperature_C, observation: obs.observation, stage: null, definition: null, compare: null, rule: null, onset_C: null, after_C: null, delta_K: null, spread: null, withinStep: null, status: 'not modelled' });
      continue;
    }
    for (const r of mine) out.push(row(obs, r, by.get(r.stage), step_C));
  }
  return out;
}
