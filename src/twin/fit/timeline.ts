/**
 * Observed onset timelines (`fit --timeline F`): per stage, the interval the onset lies in, censored at
 * the temperature steps of the experiment: seen first at T after a frame at T_prev → (T_prev, T];
 * not seen by T → (T, ∞). Stage names are those of `run`'s summary.json. A file is YAML or JSON
 * (a list of { stage, onset, after } with unit strings, or `timeline:` holding that list) or CSV
 * (stage,after_C,onset_C; an empty onset_C: not reached by after_C).
 *
 * `seed` is the published timeline of the seed study (MODEL.md §1, src/twin/timeline SEED_TIMELINE),
 * each observation read as seen at its stated temperature after a frame one 15 °C step earlier. The
 * paper's temperatures are rounded ("~225 °C"), so these intervals are approximate to a step.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { InputError, parseQuantity } from '../../core/index.js';
import { ONSET_RULES, SEED_TIMELINE } from '../timeline/index.js';
import type { OnsetInterval } from './likelihood.js';

const K0 = 273.15;

/** Stages of the rule table (what a timeline may name). */
export function timelineStages(): string[] {
  return ONSET_RULES.map((r) => r.stage);
}

/**
 * The seed's published timeline as intervals: each stage seen at its temperature after a frame 15 °C
 * earlier; "Li-site intensity reaches the APB only now" (~225 °C) gives liSiteApb.
 */
export function seedTimeline(step_C = 15): OnsetInterval[] {
  const known = new Set(timelineStages());
  const out: OnsetInterval[] = [];
  for (const r of SEED_TIMELINE) if (known.has(r.stage)) out.push({ stage: r.stage, after_C: r.temperature_C - step_C, onset_C: r.temperature_C });
  const facets = SEED_TIMELINE.find((r) => r.stage === 'facets');
  if (facets && known.has('liSiteApb')) out.push({ stage: 'liSiteApb', after_C: facets.temperature_C - step_C, onset_C: facets.temperature_C });
  return out;
}

function temperatureC(v: unknown, field: string): number | null {
  if (v === null || v === undefined || v === '' || v === 'none' || v === 'not reached') return null;
  if (typeof v === 'number') return v;
  return parseQuantity(String(v), 'temperature', field) - K0;
}

/** Checks and orders a list of intervals (InputError naming `field[i]`). */
export function checkTimeline(rows: readonly OnsetInterval[], field: string): OnsetInterval[] {
  const known = timelineStages();
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    if (!known.includes(r.stage)) throw new InputError(`${field}[${i}].stage`, r.stage, `a stage of run's summary.json: ${known.join(', ')}`);
    if (seen.has(r.stage)) throw new InputError(`${field}[${i}].stage`, r.stage, 'each stage once');
    seen.add(r.stage);
    if (r.after_C === null && r.onset_C === null) throw new InputError(`${field}[${i}]`, r, 'an onset temperature, or the last temperature it was not seen at');
    if (r.after_C !== null && r.onset_C !== null && !(r.onset_C > r.after_C)) throw new InputError(`${field}[${i}].onset`, r.onset_C, `a temperature above "after" (${r.after_C} °C)`);
  });
  if (rows.length === 0) throw new InputError(field, '[]', 'at least one observed onset');
  return [...rows];
}

/** Reads `--timeline`: `seed` or a YAML/JSON/CSV file (see module doc). */
export function readTimeline(arg: string, field = '--timeline'): OnsetInterval[] {
  if (arg === 'seed') return checkTimeline(seedTimeline(), field);
  let text: string;
  try {
    text = readFileSync(arg, 'utf8');
  } catch {
    throw new InputError(field, arg, 'a readable YAML/JSON/CSV file of observed onsets, or "seed" for the seed study\'s published timeline');
  }
  if (/\.csv$/i.test(arg)) {
    const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    const head = lines[0]?.split(',').map((h) => h.trim()) ?? [];
    const col = (n: string) => head.indexOf(n);
    if (col('stage') < 0 || (col('onset_C') < 0 && col('after_C') < 0)) throw new InputError(`${field} (header)`, lines[0], 'columns stage, after_C, onset_C');
    return checkTimeline(lines.slice(1).map((l, i) => {
      const c = l.split(',').map((x) => x.trim());
      const num = (k: number) => (k < 0 || c[k] === '' || c[k] === undefined ? null : Number(c[k]));
      const r: OnsetInterval = { stage: c[col('stage')]!, after_C: num(col('after_C')), onset_C: num(col('onset_C')) };
      for (const v of [r.after_C, r.onset_C]) if (v !== null && !Number.isFinite(v)) throw new InputError(`${field}[${i}]`, l, 'numbers in °C');
      return r;
    }), field);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new InputError(field, arg, 'well-formed YAML/JSON', (e as Error).message.split('\n')[0]);
  }
  const list = Array.isArray(raw) ? raw : (raw as { timeline?: unknown } | null)?.timeline;
  if (!Array.isArray(list)) throw new InputError(field, arg, 'a list of { stage, onset, after } (or timeline: [ … ])');
  return checkTimeline(list.map((x, i) => {
    const o = (x ?? {}) as Record<string, unknown>;
    return { stage: String(o.stage), after_C: temperatureC(o.after, `${field}[${i}].after`), onset_C: temperatureC(o.onset, `${field}[${i}].onset`) };
  }), field);
}

/**
 * The simulated stage an observed one is compared with: the image-defined rule where the table has one
 * (the seed read its rim and APB onsets off images: liSiteRim → liSiteRimImage), else the stage itself.
 */
export function simulatedStage(stage: string): string {
  return ONSET_RULES.some((r) => r.stage === `${stage}Image`) ? `${stage}Image` : stage;
}
