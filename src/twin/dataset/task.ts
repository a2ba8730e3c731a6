/**
 * Piscina task of the dataset driver: a column calibration or a defocus value's probe kernels (into the shared disk
 * cache), a KMC trajectory (into the
 * output's trajectories/) or a whole bundle (written by
 * the worker itself: generating, encoding, hashing and writing stay on the worker threads). Each thread keeps its
 * workspace, calibrations and specimens between tasks.
 */
import { setCalibrationCacheDir } from '../../multislice/index.js';
import { type BundleSidecar, BundleGenerator, type BundleTask } from './bundle.js';
import { type CalibrationJob, type KernelJob, runCalibrationJob, runKernelJob } from './calibration.js';
import { ensureTrajectory } from './kinetic.js';
import type { DatasetConfig, SplitName } from './params.js';

/** One unit of work. */
export type DatasetTask =
  | { kind: 'calibrate'; config: DatasetConfig; job: CalibrationJob; cacheDir: string | null }
  | { kind: 'kernels'; config: DatasetConfig; job: KernelJob; cacheDir: string }
  | { kind: 'trajectory'; out: string; seed: number; split: SplitName; index: number; config: DatasetConfig }
  | { kind: 'bundle'; task: BundleTask };

export type DatasetTaskResult = BundleSidecar | boolean | null;

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
  return generator.generate(t.task);
}
