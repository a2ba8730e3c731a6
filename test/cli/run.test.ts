import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTiff } from '../../src/twin/imageio/index.js';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/cathode-twin.js');
const dir = mkdtempSync(join(tmpdir(), 'cli-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], cwd = dir) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: '1' }, timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cathode-twin run (end to end, tiny scenario)', () => {
  it('runs the built-in tiny scenario (2 imaging workers) and writes TIFF, PNGs, CSV, summary and report with the expected contents', async () => {
    const out = join(dir, 'tiny');
    const r = cli(['run', 'tiny', '--out', out, '--json', '--workers', '2']);
    expect(r.stderr).not.toMatch(/Error|invalid/);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout) as { outDir: string; frames: number; files: string[]; onsets: unknown[]; timings_s: Record<string, number> };
    expect(res.outDir).toBe(out);
    expect(res.frames).toBe(4);
    const tif = await readTiff(join(out, 'frames.tif'));
    expect(tif.pages.length).toBe(4);
    expect(tif.pixelSize_A).toBeGreaterThan(0);
    const mean = tif.pages[0]!.reduce((a, b) => a + b, 0) / tif.pages[0]!.length;
    // HAADF signal of a 2 nm NCM lamella: a small fraction of the beam on average.
    expect(mean).toBeGreaterThan(1e-4);
    expect(mean).toBeLessThan(0.5);
    const csv = readFileSync(join(out, 'observables.csv'), 'utf8').trim().split('\n');
    expect(csv.length).toBe(5);
    expect(csv[0]).toMatch(/^frame,time_s,temperature_K,temperature_C,dose_ePerA2,events,/);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.schemaVersion).toBe(3);
    expect(summary.scenario.name).toBe('tiny');
    expect(summary.stages.imaging).toBe('incoherent');
    expect(summary.frames.map((f: { temperature_C: number }) => f.temperature_C)).toEqual([25, 125, 225, 325]);
    expect(readdirSync(join(out, 'frames')).filter((f) => f.endsWith('.png')).length).toBe(4);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg class="chart"');
    expect(html).toContain('Timeline: seed study vs simulation');
    for (const f of res.files) expect(existsSync(join(out, f))).toBe(true);
  });

  it('a run killed (SIGKILL) while writing frame 2 leaves no output file, and --resume (1 worker) finishes it with the same bytes as the uninterrupted 2-worker run', () => {
    const out = join(dir, 'killed');
    // CATHODE_TWIN_KILL_BEFORE_COMMIT=2: the process kills itself after writing frame 2's files, before committing it.
    const k = spawnSync(process.execPath, [BIN, 'run', 'tiny', '--out', out, '--quiet'], { cwd: dir, env: { ...process.env, CI: '1', CATHODE_TWIN_KILL_BEFORE_COMMIT: '2' }, timeout: 300_000 });
    expect(k.signal).toBe('SIGKILL');
    // No output file: the partial run, and the dead run's lock (the resume takes it over).
    expect(readdirSync(out).sort()).toEqual(['.cathode-twin.lock', '.partial']);
    // The KMC records and the records of image frames 0 and 1 are committed; frame 2's is not.
    expect(readdirSync(join(out, '.partial')).filter((f) => /-image-f\d+\.bin$/.test(f)).sort()).toEqual([expect.stringMatching(/-image-f000\.bin$/), expect.stringMatching(/-image-f001\.bin$/)]);
    const r = cli(['run', 'tiny', '--out', out, '--resume', '--quiet']);
    expect(r.code).toBe(0);
    expect(Buffer.compare(readFileSync(join(out, 'frames.tif')), readFileSync(join(dir, 'tiny', 'frames.tif')))).toBe(0);
    expect(readFileSync(join(out, 'observables.csv'), 'utf8')).toBe(readFileSync(join(dir, 'tiny', 'observables.csv'), 'utf8'));
    expect(existsSync(join(out, '.partial'))).toBe(false);
    expect(existsSync(join(out, '.cathode-twin.lock'))).toBe(false);
  });

  it('a bad scenario file exits with code 2, names the field, and writes nothing', () => {
    const bad = join(dir, 'bad.yaml');
    const text = readFileSync(join(ROOT, 'scenarios/tiny.yaml'), 'utf8').replace('hold: 5 min', 'hold: 5 eV');
    writeFileSync(bad, text);
    const r = cli(['run', bad, '--out', join(dir, 'bad-out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/protocol\.hold/);
    expect(r.stderr).toMatch(/5 eV/);
    expect(existsSync(join(dir, 'bad-out'))).toBe(false);
  });

  it('an unknown built-in scenario name and a bad --seed are input errors', () => {
    expect(cli(['run', 'no-such-scenario']).stderr).toMatch(/scenario/);
    const r = cli(['run', 'tiny', '--seed', '-3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--seed/);
  });
});
