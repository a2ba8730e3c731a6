/** summary.json: schema-versioned record of a run, and the checks against the scenario's targets. */
import type { NcmParams, OxygenEnvironment } from '../../kinetics/index.js';
import type { SeedCheck } from '../report/index.js';
import type { Scenario, ScenarioTarget } from '../scenario/index.js';
import type { FidelityRow, Onset } from '../timeline/index.js';

/**
 * 2: replicates, per-replica onsets, events by kind, parameters and gas used; targets from the scenario.
 * 3: `fidelity` (the seed timeline against the rule table's onsets, src/twin/timeline/fidelity.ts).
 */
export const SUMMARY_SCHEMA_VERSION = 3;

/** The barrier (the parameter table, src/kinetics/ncm/params.ts) that mainly sets each stage, for the notes on missed stages. */
const CONTROLLING: Record<string, string> = {
  liSiteRim: 'O2 release at the pore (1.45 eV) and Ni²⁺ migration next to V_O (1.45 eV)',
  facets: 'surface cation diffusion (1.62 eV)',
  liSiteApb: 'APB migration (1.8 eV)',
  ni0Li2O: 'Ni²⁺ → Ni⁰ + Li2O (2.55 eV) and the μ_O offset (the Ni/NiO line)',
};
const SENSITIVITY = 'for one heating programme, 0.1 eV of barrier ≈ one decade of ν ≈ 30 K of onset (first-order kinetics under the seed staircase; Ea and ν compensate: Kissinger, Anal. Chem. 29, 1702 (1957))';

const C = (T_K: number) => +(T_K - 273.15).toFixed(3);

/** Compare simulated onsets with the scenario's targets (checks.targets: window and/or order). */
export function seedChecks(onsets: readonly Onset[], targets: readonly ScenarioTarget[]): SeedCheck[] {
  const by = new Map(onsets.map((o) => [o.stage, o]));
  const out: SeedCheck[] = [];
  for (const t of targets) {
    const o = by.get(t.stage);
    if (!o || o.note === 'observable not computed') {
      out.push({ stage: t.stage, text: t.text, pass: null, note: 'not computed by this run' });
      continue;
    }
    if (t.after !== undefined) {
      const ref = by.get(t.after);
      if (!ref || ref.onset_C === null) out.push({ stage: t.stage, text: t.text, pass: null, note: `${t.after} onset not reached` });
      else if (o.onset_C === null) out.push({ stage: t.stage, text: t.text, pass: true, note: `${t.after} at ${ref.onset_C} °C; ${t.stage} not reached by the end` });
      else out.push({ stage: t.stage, text: t.text, pass: o.onset_C > ref.onset_C, note: `${t.stage} ${o.onset_C} °C vs ${t.after} ${ref.onset_C} °C (Δ = ${+(o.onset_C - ref.onset_C).toFixed(1)} K)` });
      continue;
    }
    if (t.min_K === undefined && t.max_K === undefined) continue;
    if (o.onset_C === null) {
      out.push({ stage: t.stage, text: t.text, pass: false, note: `not reached by the end of the programme (seen at ${C(t.seen_K)} °C); set mainly by ${CONTROLLING[t.stage] ?? 'its barrier'}` });
      continue;
    }
    const lo = t.min_K !== undefined ? C(t.min_K) : -Infinity;
    const hi = t.max_K !== undefined ? C(t.max_K) : Infinity;
    const pass = o.onset_C >= lo && o.onset_C <= hi;
    const miss = pass ? 0 : o.onset_C < lo ? o.onset_C - lo : o.onset_C - hi;
    const why = pass ? '' : `; misses the window by ${+miss.toFixed(1)} K; set mainly by ${CONTROLLING[t.stage] ?? 'its barrier'}: ${SENSITIVITY}`;
    out.push({ stage: t.stage, text: t.text, pass, note: `onset ${o.onset_C} °C (in (${o.after_C}, ${o.onset_C}] °C)${why}` });
  }
  return out;
}

/** The summary document. */
export interface RunSummary {
  schemaVersion: number;
  name: string;
  createdAt: string;
  seed: number;
  replicates: number;
  stages: { kmc: string; imaging: string; acquisition: string };
  scenario: Scenario;
  /** Model parameters used (table defaults + scenario + overrides). */
  params: NcmParams;
  /** Gas used and the μ_O offset. */
  environment: OxygenEnvironment;
  frames: { index: number; time_s: number; temperature_K: number; temperature_C: number; dose_ePerA2: number; events: number; measuredDrift_px: [number, number][] }[];
  image: { width: number; height: number; sampling_A: number; samplingY_A: number; units: string };
  /** Onsets from the pooled curves, with each replica's onset (perReplica_C). */
  onsets: Onset[];
  /** Each seed stage, its rule, the pooled onset with the replicas' spread, within one 15 °C step or not. */
  fidelity: FidelityRow[];
  checks: SeedCheck[];
  /** Executed events, all replicas: total and per kind. */
  events: { total: number; perReplica: number[]; byKind: Record<string, number>; o2Released: number; o2Adsorbed: number };
  notes: string[];
  timings_s: Record<string, number>;
  versions: Record<string, string>;
  files: string[];
}
