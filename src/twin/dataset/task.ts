/**
 * Piscina task of the dataset driver: a column calibration or a defocus value's probe kernels (into the shared disk
 * cache), a KMC trajectory (into the
 * output's trajectories/) or a whole bundle: generated, encoded and hashed on the worker, then its archive moved (not
 * copied) to the driver, which writes it while the worker makes the next one, and hands the buffer back with a later
 * task. Each thread keeps its workspace, calibrations and specimens between tasks.
 */
import { transferResult } from '../../core/index.js';
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
  /** `buffer`: a buffer to lay the archive out in (moved here by the driver), else the worker allocates one. */
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
  const m = await generator.make(t.task, t.buffer);
  return transferResult({ sidecar: m.sidecar, zip: m.zip }, [m.zip.buffer as ArrayBuffer]);
}
