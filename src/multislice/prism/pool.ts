/**
 * Spreads PRISM work over piscina threads: S-matrix beams first, then probe positions (or runs everything in
 * process for one worker). Every beam and probe is computed identically wherever it runs, and results are
 * placed by index, so images are identical for any worker count.
 */
import { createWorkerPool } from '../../core/pool.js';
import type { ReconstructJob } from './reconstruct.js';
import type { SMatrixJob } from './smatrix.js';
import { type PrismTask, runPrismTask } from './task.js';
import type { PreparedMultislice } from '../prepare.js';
import type { TransmissionStack } from '../engine.js';

/** Runs PRISM stages in process or on workers. */
export interface PrismRunner {
  /** Configuration c's transmission stack, its slices spread over the workers (same bytes as prep.buildStack(c)). */
  buildStack(prep: PreparedMultislice, config: number): Promise<TransmissionStack>;
  /** Computes every beam of the job into its shared S-matrix. */
  beams(job: SMatrixJob, onChunk?: (nDone: number) => void): Promise<void>;
  /** Signals [position][detector] for the positions (x, y interleaved, Å). */
  probes(job: ReconstructJob, positions_A: Float64Array, onChunk?: (nDone: number) => void): Promise<Float64Array>;
  close(): Promise<void>;
}

/** A runner with `workers` threads (1 = in process). */
export function createPrismRunner(workers: number): PrismRunner {
  const pool = workers > 1
    ? createWorkerPool<PrismTask, Float64Array>(new URL('./task', import.meta.url), { workers })
    : undefined;
  const run = (t: PrismTask): Promise<Float64Array> => (pool ? pool.run(t) : Promise.resolve(runPrismTask(t)));
  return {
    async buildStack(prep, config) {
      if (!pool) return prep.buildStack(config);
      const job = prep.stackJob(config);
      const ns = job.nSlices, per = Math.max(1, Math.ceil(ns / (2 * workers)));
      const jobs: Promise<unknown>[] = [];
      for (let s0 = 0; s0 < ns; s0 += per) jobs.push(run({ kind: 'slices', job, s0, s1: Math.min(ns, s0 + per) }));
      await Promise.all(jobs);
      return { re: job.re, im: job.im };
    },
    async beams(job, onChunk) {
      const nb = job.beams.qx.length;
      const chunk = pool ? Math.max(1, Math.ceil(nb / (workers * 8))) : 1;
      const jobs: Promise<void>[] = [];
      for (let b0 = 0; b0 < nb; b0 += chunk) {
        const b1 = Math.min(nb, b0 + chunk);
        jobs.push(run({ kind: 'beams', job, b0, b1 }).then(() => onChunk?.(b1 - b0)));
        if (!pool) await jobs[jobs.length - 1];
      }
      await Promise.all(jobs);
    },
    async probes(job, positions_A, onChunk) {
      const np = positions_A.length / 2, nd = job.masks.length;
      const out = new Float64Array(np * nd);
      const chunk = pool ? Math.max(1, Math.ceil(np / (workers * 16))) : 64;
      const jobs: Promise<void>[] = [];
      for (let p0 = 0; p0 < np; p0 += chunk) {
        const p1 = Math.min(np, p0 + chunk);
        const pos = pool ? positions_A.slice(2 * p0, 2 * p1) : positions_A.subarray(2 * p0, 2 * p1);
        jobs.push(run({ kind: 'probes', job, positions_A: pos }).then((r) => { out.set(r, p0 * nd); onChunk?.(p1 - p0); }));
        if (!pool) await jobs[jobs.length - 1];
      }
      await Promise.all(jobs);
      return out;
    },
    async close() { await pool?.close(); },
  };
}
