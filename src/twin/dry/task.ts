/**
 * Worker task (createWorkerPool): one trajectory. The recipe travels as its raw mapping and is
 * validated once per worker thread.
 */
import { canonicalJson } from '../../core/index.js';
import { dryRecipeFromObject, type DryRecipe } from './recipe.js';
import { runTrajectory, type TrajectoryResult, type TrajectoryTask } from './trajectory.js';
import type { Draw } from './draws.js';

/** What a worker receives. */
export interface DryWorkerTask {
  readonly raw: Record<string, unknown>;
  readonly task: TrajectoryTask;
  readonly draw: Draw;
  readonly defaultOffset_eV: number;
  readonly codeVersion: string;
}

let cached: { key: string; recipe: DryRecipe } | undefined;

export default async function run(t: DryWorkerTask): Promise<TrajectoryResult> {
  const key = canonicalJson(t.raw);
  if (cached?.key !== key) cached = { key, recipe: dryRecipeFromObject(t.raw) };
  return runTrajectory(cached.recipe, t.task, t.draw, t.defaultOffset_eV, t.codeVersion);
}
