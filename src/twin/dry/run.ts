/**
 * `cathode-twin dry`: recipe → draws → one trajectory per (atmosphere, temperature, draw) → map.
 *
 * - Tasks are enumerated in a fixed order (atmosphere, temperature, draw); shard i/N takes every N-th
 *   one from i, so shards balance hot and cold rows.
 * - Each finished trajectory is written atomically (`writeFileAtomic`) under `trajectories/`, with the
 *   hash of its inputs; a re-run (after kill -9, or another shard's run) reuses every file whose hash
 *   matches and computes the rest. Results do not depend on the worker or shard count. `dry-run.json` records the
 *   study (recipe, seed, draw source and the hash of every trajectory's inputs): a folder holding another study's
 *   trajectories is refused (`--out`), so a resume or a shard with other inputs never mixes two studies.
 * - Without `--shard` (or with `--merge`) the map, the safe window, the sensitivity and report.html are
 *   written once every trajectory exists, committed together (`OutputStage`: a folder never mixes two
 *   results). Nothing is written before the inputs validate.
 * - Locks (`lockOutDir`): a whole run or a merge holds the output folder; shard i/N holds
 *   `shards/i-of-N/` inside it, so the shards of one job array can share the folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createProgress, createWorkerPool, InputError, inputsHash, lockOutDir, OutputStage, writeFileAtomic } from '../../core/index.js';
import { posteriorDraws, priorDraws, type DrawDimension, type DrawSet } from './draws.js';
import { buildMap, dominance, mapCsv, safeWindow, safeWindowCsv, sensitivityCsv, type DryMap, type SafeWindow, type Dominance } from './map.js';
import type { DryRecipe } from './recipe.js';
import { renderDryReport } from './report.js';
import { drySummary, type DrySummary } from './summary.js';
import type { DryWorkerTask } from './task.js';
import { runTrajectory, trajectoryHash, trajectoryPath, type TrajectoryResult, type TrajectoryTask } from './trajectory.js';

/** How the run gets the parameter table (injected so the twin does not hard-wire a table version). */
export interface DryParameterTable {
  /** The prior rows (all with a prior, or the named ones; unknown or prior-less names are InputErrors). */
  space(names?: readonly string[]): DrawDimension[];
  /** Unit of a parameter by public name, undefined if not in the table. */
  unit(name: string): string | undefined;
  /** Default column μ_O offset, eV (for `muOOffset: fitted` when the draws do not vary it). */
  readonly defaultOffset_eV: number;
}

/** Options of `runDry`. */
export interface DryRunOptions {
  readonly outDir: string;
  readonly table: DryParameterTable;
  /** posterior.json of a fit; without it the prior of the table. */
  readonly posterior?: string;
  readonly workers?: number;
  readonly shard?: { readonly index: number; readonly count: number };
  /** Only aggregate (every trajectory must exist). */
  readonly merge?: boolean;
  readonly quiet?: boolean;
  /** Code version in every trajectory hash (default: package.json version). */
  readonly codeVersion?: string;
  /** The command line, recorded in the lock (default "dry <recipe>"). */
  readonly command?: string;
}

/** Result of `runDry`. */
export interface DryOutcome {
  readonly outDir: string;
  /** Trajectories of this shard computed now / found done. */
  readonly computed: number;
  readonly reused: number;
  /** Tasks in the whole run, and how many exist on disk now. */
  readonly total: number;
  readonly present: number;
  /** Set when the map was written. */
  readonly summary?: DrySummary;
  readonly map?: DryMap;
  readonly files: readonly string[];
  readonly wall_s: number;
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The draws of a run. */
export function dryDraws(recipe: DryRecipe, table: DryParameterTable, posterior?: string): DrawSet {
  if (posterior !== undefined) return posteriorDraws(resolve(posterior), recipe.draws, recipe.seed, recipe.poreRadius, (n) => table.unit(n));
  const dims = table.space(recipe.parameters === 'all' ? undefined : recipe.parameters);
  return priorDraws(dims, recipe.draws, recipe.seed, recipe.poreRadius);
}

/** All tasks of a recipe in their fixed order. */
export function dryTasks(recipe: DryRecipe, draws: number): TrajectoryTask[] {
  const out: TrajectoryTask[] = [];
  recipe.atmospheres.forEach((_, a) => recipe.temperatures_K.forEach((_, t) => {
    for (let d = 0; d < draws; d++) out.push({ atmosphere: a, temperature: t, draw: d });
  }));
  return out;
}

function readResult(path: string): TrajectoryResult | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as TrajectoryResult;
  } catch {
    return undefined;
  }
}

/** Run (a shard of) a drying study; see module doc. */
export async function runDry(recipe: DryRecipe, o: DryRunOptions): Promise<DryOutcome> {
  const t0 = performance.now();
  const outDir = resolve(o.outDir);
  const codeVersion = o.codeVersion ?? packageVersion();
  const drawSet = dryDraws(recipe, o.table, o.posterior);
  const tasks = dryTasks(recipe, drawSet.draws.length);
  const shard = o.shard ?? { index: 0, count: 1 };
  const mine = tasks.filter((_, i) => i % shard.count === shard.index);

  // The folder must be this study's (or new): never mix another study's trajectories in (a resume or another shard
  // with other inputs is refused). The study is the set of its trajectories' input hashes: a change that only
  // touches the read-out (threshold) reuses them, anything a trajectory depends on is another study.
  const study = inputsHash(tasks.map((t) => trajectoryHash(recipe, t, drawSet.draws[t.draw]!, o.table.defaultOffset_eV, codeVersion)));
  const manifestPath = join(outDir, 'dry-run.json');
  if (existsSync(manifestPath)) {
    const old = readResult(manifestPath) as unknown as { recipe: string; seed: number; draws: string; study?: string } | undefined;
    if (!old || old.recipe !== recipe.name || old.seed !== recipe.seed || old.draws !== drawSet.source || (old.study !== undefined && old.study !== study)) {
      const what = !old ? 'an unreadable dry-run.json' : old.recipe !== recipe.name || old.seed !== recipe.seed || old.draws !== drawSet.source ? `recipe ${old.recipe}, seed ${old.seed}, ${old.draws} draws` : `recipe ${old.recipe} run with other inputs: another grid, atmospheres, draws, structure or code version`;
      throw new InputError('--out', o.outDir, `a new folder, or one holding this study's run (same recipe, inputs and draws; it holds ${what})`, 'choose another --out, or delete it to start over');
    }
  }
  const sharded = shard.count > 1 && !o.merge;
  const lock = lockOutDir(sharded ? join(outDir, 'shards', `${shard.index}-of-${shard.count}`) : outDir, o.command ?? `dry ${recipe.name}`);
  try {
    return await runLocked(recipe, o, { t0, outDir, codeVersion, drawSet, tasks, shard, mine, sharded, study });
  } finally {
    lock.release();
  }
}

async function runLocked(
  recipe: DryRecipe,
  o: DryRunOptions,
  c: { t0: number; outDir: string; codeVersion: string; drawSet: DrawSet; tasks: TrajectoryTask[]; shard: { index: number; count: number }; mine: TrajectoryTask[]; sharded: boolean; study: string },
): Promise<DryOutcome> {
  const { t0, outDir, codeVersion, drawSet, tasks, shard, mine, sharded, study } = c;
  const hash = (t: TrajectoryTask) => trajectoryHash(recipe, t, drawSet.draws[t.draw]!, o.table.defaultOffset_eV, codeVersion);
  const done = (t: TrajectoryTask) => readResult(join(outDir, trajectoryPath(recipe, t)))?.inputsHash === hash(t);
  const manifestPath = join(outDir, 'dry-run.json');
  const manifest = { recipe: recipe.name, seed: recipe.seed, draws: drawSet.source, study };
  let computed = 0, reused = 0;
  if (!o.merge) {
    const pending = mine.filter((t) => !done(t));
    reused = mine.length - pending.length;
    await writeFileAtomic(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    // Hot rows first (they take longest); order does not change any result.
    pending.sort((a, b) => b.temperature - a.temperature || a.atmosphere - b.atmosphere || a.draw - b.draw);
    const todo = pending;
    const progress = createProgress({ label: `dry ${recipe.name}${shard.count > 1 ? ` shard ${shard.index}/${shard.count}` : ''}`, total: todo.length, quiet: o.quiet, fields: ['T_C', 'atmosphere'] });
    const save = async (t: TrajectoryTask, r: TrajectoryResult) => {
      await writeFileAtomic(join(outDir, trajectoryPath(recipe, t)), `${JSON.stringify(r)}\n`);
      computed++;
      progress.update(computed, { T_C: (r.temperature_K - 273.15).toFixed(0), atmosphere: r.atmosphere });
    };
    try {
      const workers = o.workers ?? 1;
      if (workers <= 1) {
        for (const t of todo) await save(t, await runTrajectory(recipe, t, drawSet.draws[t.draw]!, o.table.defaultOffset_eV, codeVersion));
      } else {
        const pool = createWorkerPool<DryWorkerTask, TrajectoryResult>(new URL('./task', import.meta.url), { workers });
        try {
          // One lane per worker pulls the next task in order (piscina's queue does not keep submission order).
          let next = 0;
          const lane = async () => {
            while (next < todo.length) {
              const t = todo[next++]!;
              await save(t, await pool.run({ raw: recipe.raw, task: t, draw: drawSet.draws[t.draw]!, defaultOffset_eV: o.table.defaultOffset_eV, codeVersion }));
            }
          };
          await Promise.all(Array.from({ length: workers }, lane));
        } finally {
          await pool.close();
        }
      }
    } finally {
      progress.stop();
    }
  }
  const present = tasks.filter(done).length;
  const base = { outDir, computed, reused, total: tasks.length, present };
  if (sharded || present < tasks.length) {
    if (o.merge) throw new InputError('--merge', o.outDir, `every trajectory present (${tasks.length - present} of ${tasks.length} missing: run the missing shards, or without --shard)`);
    return { ...base, files: [], wall_s: (performance.now() - t0) / 1000 };
  }
  const results = tasks.map((t) => readResult(join(outDir, trajectoryPath(recipe, t)))!);
  const map = buildMap(results, {
    atmospheres: recipe.atmospheres.map((a) => a.name),
    temperatures_K: recipe.temperatures_K,
    times_s: recipe.times_s,
    draws: drawSet.draws.length,
    parameters: drawSet.names,
    threshold: recipe.threshold.quantity,
  });
  const q = recipe.threshold.quantity;
  const window: SafeWindow[] = safeWindow(map, q, recipe.threshold.value);
  const unit = map.quantities.find((x) => x.name === q)?.unit ?? '';
  const dom: Dominance[] = dominance(map, q, unit);
  const summary = drySummary(recipe, drawSet, map, window, dom, codeVersion);
  const files: [string, string][] = [
    ['map.csv', mapCsv(map)],
    ['safe-window.csv', safeWindowCsv(window, q, recipe.threshold.value)],
    ['sensitivity.csv', sensitivityCsv(map, q)],
    ['summary.json', `${JSON.stringify(summary, null, 2)}\n`],
    ['report.html', renderDryReport(summary, map, window, dom)],
  ];
  const stage = OutputStage.open(outDir, 'dry'); // dry's own set: never replaces another verb's files in a shared folder
  for (const [name, text] of files) await writeFileAtomic(stage.path(name), text);
  stage.commit();
  return { ...base, summary, map, files: files.map(([n]) => n), wall_s: (performance.now() - t0) / 1000 };
}
