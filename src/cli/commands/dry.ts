/**
 * `cathode-twin dry [RECIPE] --out D`: drying-damage maps over hold temperature × time × atmosphere with
 * credible intervals (src/twin/dry). RECIPE is a scenario file with a `drying:` section or a built-in
 * name (default `dry-ncm851005`); flags override its grid, atmospheres, draws and threshold.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { parse as parseYaml } from 'yaml';
import { checkOutPath, InputError, parseQuantity, parseShard, splitQuantityList } from '../../core/index.js';
import { DEFAULT_DRY_RECIPE, dryParameterTable, dryRecipeFromObject, readDryRecipe, runDry } from '../../twin/dry/index.js';
import { checkSeed, checkWorkers, withCommon } from '../options.js';

interface DryArgs {
  recipe?: string;
  out: string;
  posterior?: string;
  draws?: number;
  temperatures?: string;
  times?: string;
  atmosphere?: string[];
  threshold?: string;
  shard?: string;
  merge: boolean;
  seed?: number;
  workers: number;
  quiet: boolean;
  json: boolean;
}

/** Recipe fields each flag overrides (errors inside them are reported under the flag's name). */
const FLAG_FIELDS: Record<string, string> = { temperatures: 'drying.temperatures', times: 'drying.times', atmosphere: 'drying.atmospheres', draws: 'drying.uncertainty.draws', threshold: 'drying.damage.threshold', seed: 'seed' };

/** The recipe's raw mapping with the flags applied. */
function withFlags(raw: Record<string, unknown>, a: DryArgs): Record<string, unknown> {
  const r = structuredClone(raw);
  const drying = (r.drying ??= {}) as Record<string, unknown>;
  // The values as given ("600 degC"), so that the recipe's checks show them.
  if (a.temperatures !== undefined) drying.temperatures = splitQuantityList(a.temperatures, 'temperature', '--temperatures');
  if (a.times !== undefined) drying.times = splitQuantityList(a.times, 'time', '--times');
  if (a.threshold !== undefined) {
    parseQuantity(a.threshold, 'length', '--threshold'); // a length with a unit; the recipe checks its range, showing it as given
    drying.damage = { ...((drying.damage as object) ?? {}), threshold: a.threshold };
  }
  if (a.draws !== undefined) {
    if (!Number.isInteger(a.draws) || a.draws < 1 || a.draws > 4096) throw new InputError('--draws', a.draws, 'an integer 1 … 4096');
    drying.uncertainty = { ...((drying.uncertainty as object) ?? {}), draws: a.draws };
  }
  if (a.atmosphere !== undefined && a.atmosphere.length > 0) {
    drying.atmospheres = a.atmosphere.map((text, i) => {
      let v: unknown;
      try {
        v = parseYaml(text);
      } catch (e) {
        throw new InputError(`--atmosphere[${i}]`, text, 'a YAML flow mapping, e.g. "{name: oven, gas: air, pressure: 100 Pa}"', (e as Error).message.split('\n')[0]);
      }
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new InputError(`--atmosphere[${i}]`, text, 'a YAML flow mapping, e.g. "{name: glovebox, gas: Ar, pressure: 1 atm, oxygenFraction: 1 ppm}"');
      return v;
    });
  }
  if (a.seed !== undefined) r.seed = a.seed;
  return r;
}

const command: CommandModule<object, DryArgs> = {
  command: 'dry [recipe]',
  describe: 'Drying-damage maps (hold temperature × time × atmosphere) with credible intervals',
  builder: (y: Argv) =>
    withCommon(y, {
      out: { demand: true, describe: 'output folder: map.csv, safe-window.csv, sensitivity.csv, summary.json, report.html, trajectories/' },
      seed: { describe: "random seed (integer; default: the recipe's); same seed → same bytes for any --workers and shard count" },
      workers: {},
      quiet: {},
      json: { describe: 'print the summary as JSON on stdout' },
    })
      .positional('recipe', { type: 'string', describe: `recipe: a scenario file with a drying: section, or a built-in name (default ${DEFAULT_DRY_RECIPE})` })
      .option('posterior', { type: 'string', describe: 'posterior.json of `cathode-twin fit` (its samples CSV beside it); default: the priors of the parameter table' })
      .option('draws', { type: 'number', describe: "parameter draws (default: the recipe's, 32)" })
      .option('temperatures', { type: 'string', describe: 'main-hold temperatures, increasing, with a unit, e.g. "120,180,240,300 degC" (validated range 0–500 °C)' })
      .option('times', { type: 'string', describe: 'hold times read out, increasing, with a unit, e.g. "0.5,1,2,4,8,12 h"' })
      .option('atmosphere', { type: 'string', array: true, describe: 'an atmosphere as a YAML mapping (repeat for several; replaces the recipe\'s), e.g. "{name: glovebox, gas: Ar, pressure: 1 atm, oxygenFraction: 1 ppm}", "{name: H2, pressure: 1 atm, hydrogenFraction: 5 %, dewPoint: -40 degC}"; muOOffset: 0 eV by default, "fitted" for the microscope column' })
      .option('threshold', { type: 'string', describe: 'safe-window threshold on the rim rock-salt depth, e.g. "5 Å" (default: the recipe\'s, 5 Å)' })
      .option('shard', { type: 'string', describe: 'run only shard i of N (i/N), e.g. one Slurm array task; then run once with --merge' })
      .option('merge', { type: 'boolean', default: false, describe: 'only combine the trajectories of all shards into the map (every one must exist)' })
      .example('$0 dry --out out/dry', 'the shipped recipe (NCM851005: microscope, 100 Pa air oven, Ar glovebox, 5 % H2) over the priors')
      .example('$0 dry scenarios/dry-ncm851005.yaml --posterior fit/posterior.json --out out/dry --workers 2', 'credible intervals from a fit')
      .example('$0 dry --out out/dry --shard 3/8 && $0 dry --out out/dry --merge', 'one shard of eight (Slurm: --shard $SLURM_ARRAY_TASK_ID/8), then the merge') as unknown as Argv<DryArgs>,
  handler: async (a: ArgumentsCamelCase<DryArgs>) => {
    checkSeed(a.seed);
    checkWorkers(a.workers);
    const shard = a.shard !== undefined ? parseShard(a.shard) : undefined;
    if (a.merge && shard) throw new InputError('--merge', true, '--merge without --shard (it combines every shard)');
    const out = checkOutPath(a.out, 'dir');
    const { raw, source } = readDryRecipe(a.recipe);
    const given = Object.keys(FLAG_FIELDS).filter((k) => (a as unknown as Record<string, unknown>)[k] !== undefined && !(Array.isArray((a as unknown as Record<string, unknown>)[k]) && ((a as unknown as Record<string, unknown>)[k] as unknown[]).length === 0));
    let recipe;
    try {
      recipe = dryRecipeFromObject(withFlags(raw, a), source);
    } catch (e) {
      if (e instanceof InputError) {
        const flag = given.find((k) => e.field === FLAG_FIELDS[k] || e.field.startsWith(`${FLAG_FIELDS[k]}.`) || e.field.startsWith(`${FLAG_FIELDS[k]}[`));
        if (flag) throw new InputError(`--${flag} (${e.field})`, e.value, e.allowed, e.hint);
      }
      throw e;
    }
    const r = await runDry(recipe, {
      outDir: out,
      table: dryParameterTable(),
      ...(a.posterior !== undefined ? { posterior: a.posterior } : {}),
      workers: a.workers,
      ...(shard ? { shard } : {}),
      merge: a.merge,
      quiet: a.quiet || a.json,
      command: `dry ${a.recipe ?? DEFAULT_DRY_RECIPE}${shard ? ` --shard ${shard.index}/${shard.count}` : ''}${a.merge ? ' --merge' : ''}`,
    });
    if (a.json) {
      process.stdout.write(`${JSON.stringify({ outDir: r.outDir, computed: r.computed, reused: r.reused, total: r.total, present: r.present, wall_s: +r.wall_s.toFixed(2), summary: r.summary ?? null })}\n`);
      return;
    }
    if (a.quiet) return;
    const lines: string[] = [];
    if (!r.summary) {
      lines.push(`${shard ? `shard ${shard.index}/${shard.count}: ` : ''}${r.computed} trajectories computed, ${r.reused} already done; ${r.present} of ${r.total} in ${r.outDir}/trajectories.`);
      lines.push(r.present < r.total ? `When every shard has run: cathode-twin dry ${a.recipe ?? ''} --out ${a.out} --merge` : `All present: cathode-twin dry ${a.recipe ?? ''} --out ${a.out} --merge`);
    } else {
      const s = r.summary;
      lines.push(`wrote ${r.outDir}/ (${r.files.join(', ')}; ${r.total} trajectories, ${r.computed} computed now) in ${r.wall_s.toFixed(1)} s`);
      lines.push(`${s.threshold.quantity} after ${s.headline[0]?.time_h} h, median [90 %] (${s.threshold.unit}); draws: ${s.uncertainty.source}`);
      for (const h of s.headline) lines.push(`  ${h.atmosphere.padEnd(24)} ${String(h.temperature_C).padStart(6)} °C  ${h.median ?? '—'} [${h.lo90 ?? '—'}, ${h.hi90 ?? '—'}]`);
      for (const d of s.dominance) lines.push(`  ${d.atmosphere}: ${d.text}`);
    }
    process.stderr.write(`${lines.join('\n')}\n`);
  },
};

export default command;
