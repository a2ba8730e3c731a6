/**
 * Shards of a job (`--shard i/N`): one slice of a deterministic job per process, for Slurm job arrays
 * (`$SLURM_ARRAY_TASK_ID/N`) and Kubernetes indexed Jobs (`$JOB_COMPLETION_INDEX/N`). One parser and one check
 * for every verb that shards (dataset, fit, dry).
 */
import { InputError } from './errors.js';

/** Shard `index` of `count` (0 ≤ index < count). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Most shards of one job. */
export const MAX_SHARDS = 100_000;

const ALLOWED = `i/N with integers 0 ≤ i < N ≤ ${MAX_SHARDS}, e.g. "3/16" (Slurm: $SLURM_ARRAY_TASK_ID/N, Kubernetes: $JOB_COMPLETION_INDEX/N)`;

/** Parses "i/N" (InputError naming `field` otherwise). */
export function parseShard(text: string, field = '--shard'): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(String(text));
  if (!m) throw new InputError(field, text, ALLOWED);
  return checkShard({ index: Number(m[1]), count: Number(m[2]) }, field);
}

/** Checks a shard given in code (InputError naming `field`). */
export function checkShard(s: Shard, field = '--shard'): Shard {
  if (!Number.isInteger(s.count) || s.count < 1 || s.count > MAX_SHARDS || !Number.isInteger(s.index) || s.index < 0 || s.index >= s.count) {
    throw new InputError(field, `${s.index}/${s.count}`, ALLOWED);
  }
  return s;
}
