/**
 * The one worker-pool helper: piscina threads running a task module, started the same way from any
 * working directory and under any runner (plain node on compiled `.js`, tsx, vitest).
 *
 * - A task module is named by its URL without extension, next to the caller (`new URL('./task', import.meta.url)`).
 *   The compiled `.js` is preferred; from TypeScript sources the `.ts` file is loaded through tsx, whose loader is
 *   resolved from this package's own location, never from the working directory (`--import tsx` resolves from the
 *   cwd and fails when the user runs the CLI from another folder).
 * - `workerData` is always an object: geotiff's `web-worker` dependency destructures `threads.workerData` in every
 *   worker thread.
 * - Results are placed by the caller (by index), so nothing depends on which thread ran a task or in what order.
 *
 * @example
 *   const pool = createWorkerPool<Task, Float64Array>(new URL('./task', import.meta.url), { workers: 2 });
 *   try { out = await Promise.all(tasks.map((t) => pool.run(t))); } finally { await pool.close(); }
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { InputError } from './errors.js';

/** A pool of worker threads running one task module's default export. */
export interface WorkerPool<T, R> {
  /** Number of threads. */
  readonly workers: number;
  /** Runs one task on a free thread; `transfer` lists ArrayBuffers to move instead of copy. */
  run(task: T, transfer?: readonly ArrayBuffer[]): Promise<R>;
  /** Stops every thread (always call it, e.g. in `finally`). */
  close(): Promise<void>;
}

/** Largest worker count accepted anywhere (`--workers`). */
export const MAX_WORKERS = 256;

/** Throws InputError unless `workers` is an integer 1 … MAX_WORKERS. */
export function checkWorkers(workers: unknown, field = '--workers'): number {
  if (typeof workers !== 'number' || !Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS) {
    throw new InputError(field, workers, `an integer 1 … ${MAX_WORKERS}`);
  }
  return workers;
}

let tsxLoader: string | undefined;
/** File URL of tsx's ESM loader, resolved from this module (not the cwd). */
function tsxLoaderUrl(): string {
  if (tsxLoader) return tsxLoader;
  const resolved = import.meta.resolve('tsx');
  tsxLoader = resolved.startsWith('file:') ? resolved : pathToFileURL(resolved).href;
  return tsxLoader;
}

/**
 * The file a worker loads for a task module URL given without extension, and the Node flags it needs. From TypeScript
 * sources the worker loads pool-worker.mjs, which registers tsx's ESM hooks in its thread and imports the task as ESM
 * (`task`: the task's file URL, passed in workerData). Without it piscina require()s the task through tsx's CommonJS
 * hook, and the transpiled module graph reads every imported binding through a getter: a kinetic Monte Carlo
 * trajectory took 2.5× the CPU time of the main thread's in such a worker, and the same as the main thread with this
 * entry. The entry costs ~0.5 CPU-s more per worker at start (module loading through the ESM hooks).
 */
export function taskModule(task: URL): { filename: string; execArgv?: string[]; task?: string } {
  const base = fileURLToPath(task).replace(/\.(ts|js)$/, '');
  if (existsSync(`${base}.js`)) return { filename: `${base}.js` };
  if (!existsSync(`${base}.ts`)) throw new Error(`worker task module not found: ${base}.js or .ts`);
  // Keep the parent's flags except its own loader registrations, then register tsx by absolute URL.
  const execArgv: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const a = process.execArgv[i]!;
    if ((a === '--import' || a === '--loader' || a === '--require' || a === '-r') && /tsx/.test(process.execArgv[i + 1] ?? '')) { i++; continue; }
    if (/^--(import|loader|require)=.*tsx/.test(a)) continue;
    execArgv.push(a);
  }
  return { filename: fileURLToPath(new URL('./pool-worker.mjs', import.meta.url)), execArgv: [...execArgv, '--import', tsxLoaderUrl()], task: pathToFileURL(`${base}.ts`).href };
}

/** Creates a pool of `workers` threads running the default export of `task` (see module doc). */
export function createWorkerPool<T, R>(task: URL, o: { workers: number; minThreads?: number }): WorkerPool<T, R> {
  const workers = checkWorkers(o.workers);
  const { filename, execArgv, task: entry } = taskModule(task);
  const pool = new Piscina({
    filename,
    minThreads: Math.min(workers, o.minThreads ?? workers),
    maxThreads: workers,
    workerData: entry ? { cathodeTwinTask: entry } : {},
    ...(execArgv ? { execArgv } : {}),
  });
  return {
    workers,
    run: (t, transfer) => pool.run(t, transfer ? { transferList: transfer as ArrayBuffer[] } : undefined) as Promise<R>,
    close: () => pool.destroy(),
  };
}
