/**
 * The seed's whole timeline from the default model (issue 14): the seed scenario through the forward
 * model (`simulateScenario`), R replicas pooled frame by frame, onsets by the one rule table, and the
 * fidelity table (src/twin/timeline/fidelity.ts) as Markdown (stdout) and JSON (`--json F`).
 *
 *   nice npx tsx bench/timeline.ts --replicates 8 --workers 2 [--size full|ci] [--images acquired|none]
 *       [--image-replicas N] [--seed N] [--end "500 degC"] [--json out.json]
 *
 * `--size ci`: the CI lamella of test/twin/scenarios.ts (4.8 × 4.8 nm, 2.8 nm deep, pore r = 1.2 nm);
 * `full`: the shipped seed scenario (8 × 6 nm, 6 nm deep, pore r = 1.6 nm). With `--images acquired`
 * the first N replicas are imaged (incoherent mode, the seed's dose and noise; default 1) and the image
 * rules are read too, off the column analysis of each frame pooled over the imaged replicas.
 */
import { writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { readFileSync } from 'node:fs';
import { SCENARIOS_DIR, parseScenario } from '../src/twin/scenario/index.js';
import { simulateScenario } from '../src/twin/simulate/index.js';
import { fidelityTable, type FidelityRow } from '../src/twin/timeline/index.js';

const CI_EDITS: Record<string, string> = { 'structure.width': '4.8 nm', 'structure.height': '4.8 nm', 'structure.thickness': '2.8 nm', 'structure.pore.radius': '1.2 nm', 'regions.bulk': '10 Å' };

function arg(name: string, def?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}

/** The seed scenario at `size` (full: as shipped; ci: the CI lamella), optionally ending at `end`. */
export function scenario(size: string, end?: string) {
  const doc = parse(readFileSync(`${SCENARIOS_DIR}/seed-insitu-heating.yaml`, 'utf8')) as Record<string, Record<string, unknown>>;
  const edits = { ...(size === 'ci' ? CI_EDITS : {}), ...(end ? { 'protocol.end': end } : {}) };
  for (const [path, value] of Object.entries(edits)) {
    const keys = path.split('.');
    let o: Record<string, unknown> = doc;
    for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
    o[keys.at(-1)!] = value;
  }
  return parseScenario(stringify(doc));
}

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${+v.toFixed(1)}`);

/** The table as Markdown. */
export function fidelityMarkdown(rows: readonly FidelityRow[]): string {
  const head = '| seed stage | seed °C | rule (stage) | onset °C (pooled) | replicas: median [min–max] (reached/R; image rules: of the imaged) | within ±15 K |\n|---|---|---|---|---|---|';
  const body = rows.map((r) => {
    const sp = r.spread ? `${fmt(r.spread.median_C)} [${fmt(r.spread.min_C)}–${fmt(r.spread.max_C)}] (${r.spread.reached}/${r.spread.replicas})` : '—';
    return `| ${r.seedStage} | ${r.seed_C} | ${r.stage ? `${r.stage} (${r.definition}${r.compare === 'holds' ? ', holds' : ''})` : '—'} | ${r.onset_C !== null ? fmt(r.onset_C) : r.status} | ${sp} | ${r.withinStep === null ? 'n/a' : r.withinStep ? 'yes' : 'no'}: ${r.status} |`;
  });
  return [head, ...body].join('\n');
}

/**
 * `--noise-seeds N`: the image rules on N seeds (one imaged replica each, the seed's dose and noise) of
 * the `--size` lamella (default ci) to `--end` (default 130 °C): any image onset below 100 °C is a noise artefact.
 */
async function noiseSeeds(n: number): Promise<void> {
  const s = scenario(arg('size', 'ci')!, arg('end', '130 degC'));
  const lines: string[] = [];
  let early = 0;
  for (let k = 0; k < n; k++) {
    const seed = s.seed + k;
    const r = await simulateScenario(s, { seed, replicates: 1, images: 'acquired', keepSpecies: false });
    const img = r.onsets.filter((o) => o.stage.endsWith('Image'));
    for (const o of img) if (o.onset_C !== null && o.onset_C < 100) early++;
    lines.push(`| ${seed} | ${img.map((o) => `${o.stage} ${o.onset_C ?? 'none'}`).join(', ')} |`);
  }
  process.stdout.write(`image onsets on ${n} seeds (${arg('size', 'ci')} lamella to ${arg('end', '130 degC')}, 1 imaged replica each): ${early} below 100 °C\n\n| seed | image onsets (°C) |\n|---|---|\n${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  if (arg('noise-seeds')) return noiseSeeds(Number(arg('noise-seeds')));
  const size = arg('size', 'full')!;
  const replicates = Number(arg('replicates', '8'));
  const workers = Number(arg('workers', '2'));
  const images = (arg('images', 'none') as 'none' | 'acquired');
  const imageReplicas = Number(arg('image-replicas', '1'));
  // --param name=value[,name=value]: parameter-table overrides (sensitivity checks; the table's defaults otherwise)
  const params = Object.fromEntries((arg('param') ?? '').split(',').filter(Boolean).map((kv) => { const [k, v] = kv.split('='); return [k!, Number(v)]; }));
  const s = scenario(size, arg('end'));
  const seed = arg('seed') !== undefined ? Number(arg('seed')) : s.seed;
  const t0 = performance.now();
  const r = await simulateScenario(s, { replicates, workers, images, seed, keepSpecies: false, params, ...(images !== 'none' ? { imageReplicas } : {}) });
  const wall_s = (performance.now() - t0) / 1000;
  const rows = fidelityTable(r.onsets);
  process.stdout.write(`size ${size}, ${replicates} replicas pooled, seed ${seed}, images ${images}${images !== 'none' ? ` (${imageReplicas} imaged)` : ''}${Object.keys(params).length ? `, params ${JSON.stringify(params)}` : ''}; wall ${wall_s.toFixed(0)} s (KMC ${(r.timings_s.kmc ?? 0).toFixed(0)} s)\n\n${fidelityMarkdown(rows)}\n`);
  const out = arg('json');
  if (out) writeFileSync(out, JSON.stringify({ size, replicates, seed, images, wall_s, onsets: r.onsets, fidelity: rows, temperatures_C: r.frames.map((f) => f.temperature_K - 273.15), observables: r.frames.map((f) => f.observables), sd: r.frames.map((f) => f.spread) }, null, 1));
}

if (process.argv[1]?.endsWith('timeline.ts')) await main();
