/**
 * src/core/pool.ts: a TypeScript task runs in its workers from a bundle (taskBundle) that keeps every module's own
 * `import.meta.url` (paths next to a source file resolve as from the sources) and loads no tsx; an edited source
 * gets a new bundle; CATHODE_TWIN_TASK_BUNDLE=0 falls back to tsx with the same results.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkerPool, taskBundle, taskModule } from '../../src/core/pool.js';
import { SCENARIOS_DIR } from '../../src/twin/scenario/load.js';

type Seen = { twice: number; url: string; scenariosDir: string; stack: string; execArgv: string[] };
const TASK = new URL('./pool-task', import.meta.url);
const CACHE = '/node_modules/.cache/cathode-twin/tasks/';

async function runOnce<T, R>(task: URL, arg: T): Promise<R> {
  const pool = createWorkerPool<T, R>(task, { workers: 1 });
  try {
    return await pool.run(arg);
  } finally {
    await pool.close();
  }
}

describe('worker pool: task modules from TypeScript sources', () => {
  afterEach(() => { delete process.env.CATHODE_TWIN_TASK_BUNDLE; });

  it('runs the task from its bundle with the sources\' import.meta.url and no tsx in the worker', async () => {
    const m = taskModule(TASK);
    expect(m.filename).toContain(CACHE);
    expect(m.filename.endsWith('/task.mjs')).toBe(true);
    expect(m.task).toBeUndefined();
    expect((m.execArgv ?? []).some((a) => /tsx/.test(a))).toBe(false);
    const r = await runOnce<number, Seen>(TASK, 21);
    expect(r.twice).toBe(42);
    // import.meta.url of the task and of an imported module (scenario/load.ts's SCENARIOS_DIR) are the sources' own.
    expect(r.url).toBe(pathToFileURL(fileURLToPath(TASK) + '.ts').href);
    expect(r.scenariosDir).toBe(SCENARIOS_DIR);
    expect(r.stack).toContain(CACHE);
    expect(r.execArgv.some((a) => /tsx/.test(a))).toBe(false);
  });

  it('falls back to tsx with CATHODE_TWIN_TASK_BUNDLE=0, with the same results', async () => {
    process.env.CATHODE_TWIN_TASK_BUNDLE = '0';
    const m = taskModule(TASK);
    expect(m.filename.endsWith('pool-worker.mjs')).toBe(true);
    const r = await runOnce<number, Seen>(TASK, 21);
    expect(r.twice).toBe(42);
    expect(r.url).toBe(pathToFileURL(fileURLToPath(TASK) + '.ts').href);
    expect(r.scenariosDir).toBe(SCENARIOS_DIR);
    expect(r.stack).not.toContain(CACHE);
  });

  it('builds a new bundle when a source changes, and reuses it while none does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pool-bundle-'));
    try {
      const file = join(dir, 'task.ts');
      writeFileSync(file, 'export default function t(): number { return 1; }\n');
      const a = taskBundle(file);
      expect(a).toContain(CACHE);
      expect(taskBundle(file)).toBe(a);
      expect(await runOnce<null, number>(pathToFileURL(join(dir, 'task')), null)).toBe(1);
      writeFileSync(file, 'export default function t(): number { return 2; }\n');
      const b = taskBundle(file);
      expect(b).toContain(CACHE);
      expect(b).not.toBe(a);
      expect(await runOnce<null, number>(pathToFileURL(join(dir, 'task')), null)).toBe(2);
      for (const x of [a!, b!]) rmSync(dirname(x), { recursive: true, force: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
