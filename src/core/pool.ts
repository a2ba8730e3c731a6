/**
 * The one worker-pool helper: piscina threads running a task module, started the same way from any
 * working directory and under any runner (plain node on compiled `.js`, tsx, vitest).
 *
 * - A task module is named by its URL without extension, next to the caller (`new URL('./task', import.meta.url)`).
 *   The compiled `.js` is preferred. From TypeScript sources the task and the modules it imports are bundled into
 *   plain ES modules (taskBundle: esbuild, cached by the SHA-256 of the sources), which a worker loads without a
 *   loader; where that fails the `.ts` file is loaded through tsx, whose loader is resolved from this package's own
 *   location, never from the working directory (`--import tsx` resolves from the cwd and fails when the user runs the
 *   CLI from another folder).
 * - `workerData` is always an object: geotiff's `web-worker` dependency destructures `threads.workerData` in every
 *   worker thread.
 * - Results are placed by the caller (by index), so nothing depends on which thread ran a task or in what order.
 *
 * @example
 *   const pool = createWorkerPool<Task, Float64Array>(new URL('./task', import.meta.url), { workers: 2 });
 *   try { out = await Promise.all(tasks.map((t) => pool.run(t))); } finally { await pool.close(); }
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { writeFileAtomicSync } from './atomic.js';
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
 * sources: the task's bundle (taskBundle) with the parent's flags less its tsx registrations; where there is none,
 * pool-worker.mjs, which registers tsx's ESM hooks in its thread and imports the task as ESM (`task`: the task's file
 * URL, passed in workerData). Without it piscina require()s the task through tsx's CommonJS hook, and the transpiled
 * module graph reads every imported binding through a getter: a kinetic Monte Carlo trajectory took 2.5× the CPU time
 * of the main thread's in such a worker, and the same as the main thread with this entry. Through tsx a worker costs
 * ~0.75 CPU-s more to start than from the bundle (its own hooks thread, a transform per module; see taskBundle).
 */
export function taskModule(task: URL): { filename: string; execArgv?: string[]; task?: string } {
  const base = fileURLToPath(task).replace(/\.(ts|js)$/, '');
  if (existsSync(`${base}.js`)) return { filename: `${base}.js` };
  if (!existsSync(`${base}.ts`)) throw new Error(`worker task module not found: ${base}.js or .ts`);
  // Keep the parent's flags except its own loader registrations.
  const execArgv: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const a = process.execArgv[i]!;
    if ((a === '--import' || a === '--loader' || a === '--require' || a === '-r') && /tsx/.test(process.execArgv[i + 1] ?? '')) { i++; continue; }
    if (/^--(import|loader|require)=.*tsx/.test(a)) continue;
    execArgv.push(a);
  }
  const bundle = taskBundle(`${base}.ts`);
  if (bundle) return { filename: bundle, execArgv };
  return { filename: fileURLToPath(new URL('./pool-worker.mjs', import.meta.url)), execArgv: [...execArgv, '--import', tsxLoaderUrl()], task: pathToFileURL(`${base}.ts`).href };
}

/** Format tag of the task bundles (bump when the recipe in pool-bundle.mjs or here changes). */
const TASK_BUNDLE_FORMAT = 'cathode-twin task bundle v1';
/** SHA-256 of the bundle format and of every input's path and bytes (undefined when one is missing). */
function inputsDigest(inputs: readonly string[]): string | undefined {
  const h = createHash('sha256').update(`${TASK_BUNDLE_FORMAT}\n`);
  for (const f of inputs) {
    if (!existsSync(f)) return undefined;
    h.update(`${f}\n`).update(readFileSync(f)).update('\n');
  }
  return h.digest('hex');
}

/**
 * The bundle of the TypeScript task module `file` (path of its `task.mjs`), or undefined where it cannot be had (no
 * writable node_modules, no esbuild, a build error, or CATHODE_TWIN_TASK_BUNDLE=0): the callers then load the task
 * through tsx.
 *
 * Why: a worker that loads the sources through tsx registers tsx's ESM hooks, which run in a hooks thread of its own,
 * and transforms each of the ~200 modules of a task there. Measured on the dataset task (2-core VM, 1 worker, start-up
 * and first bundle of 64 samples at 256²): 3.1–3.3 CPU-s through tsx, 2.4–2.5 from the bundle.
 *
 * The bundle is built by pool-bundle.mjs (a child process, ~0.5 s) into this package's node_modules/.cache/cathode-
 * twin/tasks/<digest>/, where `<digest>` is the SHA-256 of every file that went in (inputsDigest); a manifest per task
 * file lists those files. Each pool hashes them again (~200 files of the dataset task: 20–50 ms) and rebuilds when any
 * changed. Each module keeps its source file's `import.meta.url` and the packages are imported as from the sources,
 * so the worker runs the same code: same results, same bytes.
 */
export function taskBundle(file: string): string | undefined {
  if (process.env.CATHODE_TWIN_TASK_BUNDLE === '0') return undefined;
  try {
    return findOrBuildBundle(file);
  } catch {
    return undefined;
  }
}

function findOrBuildBundle(file: string): string {
  const dir = fileURLToPath(new URL('../../node_modules/.cache/cathode-twin/tasks/', import.meta.url));
  const manifestPath = join(dir, `${createHash('sha256').update(file).digest('hex').slice(0, 24)}.json`);
  const bundleOf = (digest: string): string => join(dir, digest.slice(0, 32), 'task.mjs');
  if (existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as { format?: string; file?: string; inputs?: string[]; digest?: string };
    if (m.format === TASK_BUNDLE_FORMAT && m.file === file && Array.isArray(m.inputs) && m.digest && inputsDigest(m.inputs) === m.digest && existsSync(bundleOf(m.digest))) {
      const now = new Date();
      for (const p of [dirname(bundleOf(m.digest)), manifestPath]) utimesSync(p, now, now); // in use: not pruned
      return bundleOf(m.digest);
    }
  }
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    const { inputs } = JSON.parse(execFileSync(process.execPath, [fileURLToPath(new URL('./pool-bundle.mjs', import.meta.url)), file, tmp], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as { inputs: string[] };
    const digest = inputsDigest(inputs);
    if (!digest) throw new Error('an input of the task bundle went missing');
    const final = join(dir, digest.slice(0, 32));
    if (!existsSync(final)) {
      try {
        renameSync(tmp, final);
      } catch (e) {
        if (!existsSync(final)) throw e; // another process got there first: same digest, same bundle
      }
    }
    writeFileAtomicSync(manifestPath, JSON.stringify({ format: TASK_BUNDLE_FORMAT, file, inputs, digest }));
    pruneTaskBundles(dir);
    return bundleOf(digest);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Removes the bundles and manifests no pool has used for a week (a bundle never changes once written; edited sources
 * get a new one, and a manifest whose bundle is gone is rebuilt), and builds a killed process left behind.
 */
function pruneTaskBundles(dir: string): void {
  const old = Date.now() - 7 * 86400e3;
  for (const d of readdirSync(dir)) {
    const p = join(dir, d);
    try {
      if (/^[0-9a-f]{32}$|^[0-9a-f]{24}\.json$|^tmp-/.test(d) && statSync(p).mtimeMs < old) rmSync(p, { recursive: true, force: true });
    } catch {
      // gone meanwhile
    }
  }
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
