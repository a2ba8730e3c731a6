/**
 * Piscina task of the dataset driver: a column calibration or a defocus value's probe kernels (into the shared disk
 * cache), a KMC trajectory (into the
 * output's trajectories/) or a whole bundle: generated, encoded and hashed on the worker into a buffer over a
 * SharedArrayBuffer, which the driver then writes while the worker makes the next one, and hands out again with a
 * later task. Shared, not transferred: an 80 MiB buffer moved into a thread counts as new external memory there and
 * set off a garbage collection per task (measured: 88 against 17 collections, 548 against 78 ms, over 24 tasks).
 * Each thread keeps its workspace, calibrations and specimens between tasks.
 */
import { setCalibrationCacheDir } from '../../multislice/index.js';
import { BundleGenerator, type BundleTask, type MadeBundle } from './bundle.js';
import { type CalibrationJob, type KernelJob, runCalibrationJob, runKernelJob } from './calibration.js';
import { ensureTrajectory } from './kinetic.js';
import type { DatasetConfig, SplitName } from './params.js';

/** One unit of work. */
export type DatasetTask =
  | { kind: 'calibrate'; config: DatasetConfig; job: CalibrationJob; cacheDir: string | null }
  | { kind: 'kernels'; config: DatasetConfig; job: KernelJob; cacheDir: string }
  | { kind: 'trajectory'; out: string; seed: number; split: SplitName; index: number; config: DatasetConfig }
  /** `buffer`: a buffer over a SharedArrayBuffer to lay the archive out in, else the worker makes one. */
  | { kind: 'bundle'; task: BundleTask; buffer?: Uint8Array };

export type DatasetTaskResult = Pick<MadeBundle, 'sidecar' | 'zip'> | boolean | null;

let generator: BundleGenerator | undefined;

/** Runs the task. */
export default async function datasetTask(t: DatasetTask): Promise<DatasetTaskResult> {
  if (t.kind === 'calibrate') {
    setCalibrationCacheDir(t.cacheDir);
    runCalibrationJob(t.config, t.job);
    return null;
  }
  if (t.kind === 'kernels') {
    setCalibrationCacheDir(t.cacheDir);
    return runKernelJob(t.config, t.job);
  }
  if (t.kind === 'trajectory') return ensureTrajectory(t.out, t.seed, t.split, t.index, t.config);
  setCalibrationCacheDir(t.task.cacheDir);
  generator ??= new BundleGenerator();
  const m = await generator.make(t.task, t.buffer, true);
  return { sidecar: m.sidecar, zip: m.zip };
}
