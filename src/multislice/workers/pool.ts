/**
 * Spreads probe positions over piscina worker threads (or runs them in process for one worker).
 * Results are placed by position index, so they are identical for any worker count.
 */
import { createWorkerPool } from '../../core/pool.js';
import type { MultisliceBackend } from '../backend/types.js';
import type { MultisliceSetup, TransmissionStack } from '../engine.js';
import { type ProbeTask, type SlicesTask, runProbeChunk } from './probe-task.js';
import type { PreparedMultislice } from '../prepare.js';

/** Runs probe chunks either in process or on workers. */
export interface ProbeRunner {
  /** Configuration c's transmission stack, its slices spread over the workers (same bytes as prep.buildStack(c)). */
  buildStack(prep: PreparedMultislice, config: number): Promise<TransmissionStack>;
  run(setup: MultisliceSetup, stack: TransmissionStack, positions_A: Float64Array, onChunk?: (nDone: number) => void): Promise<Float64Array>;
  close(): Promise<void>;
}

/** Creates a runner with `workers` threads (1 = in process, using `backend`). */
export function createProbeRunner(workers: number, backend: MultisliceBackend, engine: 'auto' | 'planar' = 'auto'): ProbeRunner {
  if (workers <= 1) {
    return {
      async buildStack(prep, config) { return prep.buildStack(config); },
      async run(setup, stack, positions_A, onChunk) {
        const per = setup.recordAfter.length * setup.masks.length;
        const np = positions_A.length / 2;
        const out = new Float64Array(np * per);
        const chunk = 16;
        for (let p0 = 0; p0 < np; p0 += chunk) {
          const p1 = Math.min(np, p0 + chunk);
          out.set(runProbeChunk({ setup, stack, positions_A: positions_A.subarray(2 * p0, 2 * p1), engine }, backend), p0 * per);
          onChunk?.(p1 - p0);
          // Let the event loop run between chunks: a SIGTERM/SIGINT handler (core/outdir.ts releases the lock and exits)
          // and progress timers would otherwise wait for the whole image, which can take hours in one thread.
          await new Promise<void>((r) => setImmediate(r));
        }
        return out;
      },
      async close() {},
    };
  }
  const pool = createWorkerPool<ProbeTask | SlicesTask, Float64Array>(new URL('./probe-task', import.meta.url), { workers });
  return {
    async buildStack(prep, config) {
      const job = prep.stackJob(config);
      const ns = job.nSlices, per = Math.max(1, Math.ceil(ns / (2 * workers)));
      const jobs: Promise<unknown>[] = [];
      for (let s0 = 0; s0 < ns; s0 += per) jobs.push(pool.run({ kind: 'slices', job, s0, s1: Math.min(ns, s0 + per) }));
      await Promise.all(jobs);
      return { re: job.re, im: job.im };
    },
    async run(setup, stack, positions_A, onChunk) {
      const per = setup.recordAfter.length * setup.masks.length;
      const np = positions_A.length / 2;
      const out = new Float64Array(np * per);
      const chunk = Math.max(1, Math.ceil(np / (workers * 6)));
      const jobs: Promise<void>[] = [];
      for (let p0 = 0; p0 < np; p0 += chunk) {
        const p1 = Math.min(np, p0 + chunk);
        const pos = positions_A.slice(2 * p0, 2 * p1);
        jobs.push(
          pool.run({ setup, stack, positions_A: pos, engine }).then((r) => {
            out.set(r, p0 * per);
            onChunk?.(p1 - p0);
          }),
        );
      }
      await Promise.all(jobs);
      return out;
    },
    async close() {
      await pool.close();
    },
  };
}
