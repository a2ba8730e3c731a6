/** Piscina task: generate and write one sample (or verify it when resuming). Each worker keeps its own calibration cache. */
import type { DatasetConfig } from './params.js';
import { generateSample } from './sample.js';
import { type SampleEntry, verifySample, writeSample } from './write.js';

/** One unit of work. */
export interface SampleTask {
  root: string;
  seed: number;
  index: number;
  config: DatasetConfig;
  resume: boolean;
}

/** Result: the entry and whether it was reused from disk. */
export interface SampleTaskResult {
  entry: SampleEntry;
  reused: boolean;
}

/** Runs one task. */
export async function runSampleTask(t: SampleTask): Promise<SampleTaskResult> {
  if (t.resume) {
    const e = verifySample(t.root, t.index, t.seed);
    if (e) return { entry: e, reused: true };
  }
  const s = await generateSample(t.seed, t.index, t.config);
  return { entry: await writeSample(t.root, s), reused: false };
}

export default runSampleTask;
