/**
 * Piscina task: generate one sample in a worker thread (each worker keeps its own calibration cache). Files are
 * encoded, hashed and written by the main thread (write.ts), so resuming, manifests and atomic writes live in one place.
 */
import type { DatasetConfig } from './params.js';
import { generateSample, type Sample } from './sample.js';

/** One unit of work. */
export interface SampleTask {
  seed: number;
  index: number;
  config: DatasetConfig;
}

/** Generates the task's sample. */
export default function sampleTask(t: SampleTask): Promise<Sample> {
  return generateSample(t.seed, t.index, t.config);
}
