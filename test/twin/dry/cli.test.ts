// `cathode-twin dry` end to end on a tiny recipe: same bytes for any worker or shard count, resume
// (finished trajectories reused), bad input with a named field and nothing written. Runtime ~8 s (2 worker
// threads start once; one CLI process for the exit status).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { inputErrorOfAsync } from '../../input-error.js';
import { describe, expect, it } from 'vitest';
import dry from '../../../src/cli/commands/dry.js';
import { InputError } from '../../../src/core/index.js';
import { dryParameterTable, loadDryRecipe, runDry } from '../../../src/twin/dry/index.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const CLI = ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'dry'];

/** The tiny recipe (also the kill test's, test/reliability/kill.test.ts). */
const RECIPE = readFileSync(join(import.meta.dirname, 'fixtures', 'tiny-recipe.yaml'), 'utf8');

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under dir (lock and bookkeeping files aside), by relative path. */
function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) {
        if (n !== 'shards') walk(p);
      } else if (!n.startsWith('.') && n !== 'dry-run.json') out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

describe('cathode-twin dry', () => {
  const work = mkdtempSync(join(tmpdir(), 'ct-dry-'));
  const recipe = join(work, 'recipe.yaml');
  writeFileSync(recipe, RECIPE);

  it('gives the same bytes with 2 workers as two shards and a merge; a shard\'s trajectories are reused by a later full run', async () => {
    const r = loadDryRecipe(recipe);
    const table = dryParameterTable();
    const a = join(work, 'a'), b = join(work, 'b'), c = join(work, 'c');
    const ra = await runDry(r, { outDir: a, table, workers: 2, quiet: true });
    expect([ra.total, ra.computed, ra.reused]).toEqual([2 * 2 * 3, 12, 0]);
    expect(ra.summary!.uncertainty.source).toBe('prior');
    for (const index of [0, 1]) await runDry(r, { outDir: b, table, shard: { index, count: 2 }, quiet: true });
    expect(existsSync(join(b, 'map.csv'))).toBe(false);
    await runDry(r, { outDir: b, table, merge: true, quiet: true });
    expect(existsSync(join(b, 'shards')), 'the shard locks\' folders are gone once released').toBe(false);
    const fa = files(a), fb = files(b);
    expect([...fb.keys()]).toEqual([...fa.keys()]);
    for (const [k, v] of fa) expect(Buffer.compare(v, fb.get(k)!), k).toBe(0);
    expect([...fa.keys()].filter((k) => k.startsWith('trajectories/')).length).toBe(12);
    expect(fa.get('map.csv')!.toString().split('\n')[0]).toMatch(/^atmosphere,temperature_C,time_h,rimRockSaltDepth_A_median,rimRockSaltDepth_A_lo90,rimRockSaltDepth_A_hi90,/);
    // Resume: half the trajectories already there (as after kill -9 or one shard): --merge is refused, a full run
    // computes only the rest and writes the same bytes.
    for (const k of [...fa.keys()].filter((k) => k.startsWith('trajectories/')).filter((_, i) => i % 2 === 0)) {
      mkdirSync(dirname(join(c, k)), { recursive: true });
      copyFileSync(join(a, k), join(c, k));
    }
    await expect(runDry(r, { outDir: c, table, merge: true, quiet: true })).rejects.toThrow(/--merge.*6 of 12 missing/);
    const rc = await runDry(r, { outDir: c, table, quiet: true });
    expect([rc.computed, rc.reused]).toEqual([6, 6]);
    const fc = files(c);
    for (const [k, v] of fa) expect(Buffer.compare(v, fc.get(k)!), k).toBe(0);
  });

  it('with --posterior, draws come from the fit\'s samples (issue 12 contract), the rest stay at their defaults, and the report says so', async () => {
    const post = join(work, 'fit');
    mkdirSync(post, { recursive: true });
    writeFileSync(join(post, 'posterior.json'), JSON.stringify({ schemaVersion: 1, parameters: { o2Release: { unit: 'eV', median: 1.5, ci90: [1.45, 1.55], prior: [1.2, 1.8] }, muOOffset: { unit: 'eV', median: -1, ci90: [-1.1, -0.9], prior: [-1.5, 0] } } }));
    writeFileSync(join(post, 'posterior-samples.csv'), 'o2Release,muOOffset\n1.45,-1.1\n1.5,-1.0\n1.55,-0.9\n1.5,-1.0\n');
    const r = loadDryRecipe(recipe);
    const small = { ...r, temperatures_K: [r.temperatures_K[0]!], atmospheres: [r.atmospheres[0]!], draws: 2 };
    const out = await runDry(small, { outDir: join(work, 'post'), table: dryParameterTable(), posterior: join(post, 'posterior.json'), quiet: true });
    expect(out.summary!.uncertainty.source).toBe('posterior');
    expect(out.summary!.uncertainty.parameters).toEqual(['o2Release', 'muOOffset']);
    const t = JSON.parse(readFileSync(join(out.outDir, 'trajectories/column/393.15K/draw-0000.json'), 'utf8')) as { values: Record<string, number>; offset_eV: number };
    expect(Object.keys(t.values).sort()).toEqual(['muOOffset', 'o2Release']);
    expect(t.offset_eV).toBe(t.values.muOOffset); // the column's atmosphere takes the fitted offset
    expect(readFileSync(join(out.outDir, 'report.html'), 'utf8')).toMatch(/posterior samples/);
  });

  /** Calls the command's handler in this process; returns its InputError. */
  const refused = (args: Record<string, unknown>): Promise<InputError> =>
    inputErrorOfAsync(() => (dry.handler as (a: unknown) => Promise<void>)({ recipe, workers: 1, merge: false, quiet: true, json: false, _: [], $0: 'x', ...args }));

  it('refuses, naming the field and writing nothing: a temperature above the validated range, a pressure of 0, pO2 with pH2O/pH2, a time grid that does not increase', async () => {
    const out = join(work, 'never');
    const hot = await refused({ out, temperatures: '120,600 degC' });
    expect(hot.field).toBe('--temperatures (drying.temperatures[1])');
    expect(hot.message).toMatch(/above the model's validated range/);
    expect((await refused({ out, atmosphere: ['{name: oven, gas: air, pressure: 0 Pa}'] })).field).toBe('--atmosphere (drying.atmospheres[0].pressure)');
    const both = await refused({ out, atmosphere: ['{name: mixed, pO2: 1 Pa, pH2: 5000 Pa, pH2O: 10 Pa}'] });
    expect(both.field).toBe('--atmosphere (drying.atmospheres[0].pO2)');
    expect(both.allowed).toMatch(/either pO2 or pH2O\/pH2/);
    expect((await refused({ out, times: '1,2,1.5 h' })).field).toBe('--times (drying.times[2])');
    expect((await refused({ out, shard: '2/2' })).field).toBe('--shard');
    expect(existsSync(out)).toBe(false);
    // Through the CLI: exit status 2, one line naming the field.
    const r = cli([recipe, '--out', out, '--times', '2,1 h']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--times \(drying\.times\[1\]\)/);
    expect(existsSync(out)).toBe(false);
  });
});
