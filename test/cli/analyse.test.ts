/**
 * `cathode-twin analyse` end to end on a small synthetic counted series (two sublattices on a 4 Å square lattice, a
 * low-mass-thickness patch, drift, a CSV sidecar of temperatures and doses), and every kind of bad input: a named-field
 * error and nothing written. ≈ 6 s (one spawned CLI, one 2-worker pool).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError, Rng } from '../../src/core/index.js';
import { type AnalyseArgs, runAnalyse } from '../../src/cli/commands/analyse.js';
import { writeTiffFloat32 } from '../../src/twin/imageio/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tmp = (): string => mkdtempSync(join(tmpdir(), 'ct-analyse-'));
const px = 0.2, W = 128, dose = 2e4;

/** Fraction of the beam at (x, y) Å: A columns (0.06) at the cell corners, B (0.025) at the centres, σ 0.4 Å, 4 Å cell. */
function crystal(x: number, y: number): number {
  let v = 0.001;
  const a = 4, c0x = Math.floor(x / a), c0y = Math.floor(y / a);
  for (let i = c0x - 1; i <= c0x + 2; i++) for (let j = c0y - 1; j <= c0y + 2; j++) {
    const damp = Math.hypot(i * a - 12.8, j * a - 12.8) < 5 ? 0.25 : 1; // a thin patch (low mass-thickness) in the middle
    v += damp * 0.06 * Math.exp(-((x - i * a) ** 2 + (y - j * a) ** 2) / 0.32);
    v += damp * 0.025 * Math.exp(-((x - (i + 0.5) * a) ** 2 + (y - (j + 0.5) * a) ** 2) / 0.32);
  }
  return v;
}

async function series(d: string, opts: { frames?: number; size?: number; sidecar?: boolean; nan?: boolean; pixel?: boolean } = {}): Promise<string> {
  const n = opts.size ?? W, F = opts.frames ?? 2;
  const frames = Array.from({ length: F }, (_, k) => {
    const r = Rng.stream(3, k), f = new Float32Array(n * n);
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) f[y * n + x] = opts.nan ? NaN : r.poisson(dose * px * px * crystal((x - 0.5 * k) * px, (y - 0.3 * k) * px));
    return f;
  });
  const file = join(d, 'exp.tif');
  await writeTiffFloat32(file, frames, n, n, opts.pixel === false ? {} : { pixelSize_A: px, unit: 'A' });
  if (opts.sidecar !== false) writeFileSync(join(d, 'exp.csv'), ['frame,temperature [degC],time [s],dose_ePerA2', ...frames.map((_, k) => `${k},${25 + 150 * k},${60 * k},${dose}`)].join('\n') + '\n');
  return file;
}

const args = (series: string, out: string, extra: Partial<AnalyseArgs> = {}): AnalyseArgs => ({
  series: [series], out, normalise: 'auto', gain: 1, offset: 0, rim: '6 Å', apb: '5 Å', background: 'constant', workers: 1, quiet: true, json: true, ...extra,
});

async function fieldOf(a: AnalyseArgs): Promise<string> {
  try { await runAnalyse(a, () => {}); } catch (e) { if (e instanceof InputError) return e.field; throw e; }
  return 'no error';
}

describe('cathode-twin analyse', () => {
  it('writes analysis.json, columns.csv, frames.csv, profiles.csv, overlays, residuals and report.html for a counted series with a CSV sidecar', async () => {
    const d = tmp();
    const file = await series(d);
    const out = join(d, 'out');
    let printed = '';
    const r = await runAnalyse(args(file, out, { sidecar: join(d, 'exp.csv') }), (s) => { printed += s; });
    const j = JSON.parse(printed) as { frames: number; intensity: string; lattice_A: number[]; onsets: { stage: string; note?: string }[] };
    expect(j.frames).toBe(2);
    expect(j.intensity).toBe('counts'); // whole numbers with a dose per frame
    expect([...j.lattice_A].sort()).toEqual([expect.closeTo(4, 1), expect.closeTo(4, 1)]);
    // Onsets by run's rule table: the image-side rules are read, the KMC-only ones are said not computed.
    expect(j.onsets.map((o) => o.stage)).toContain('liSiteRimImage');
    expect(j.onsets.find((o) => o.stage === 'liSiteRim')!.note).toBe('observable not computed');
    for (const f of ['analysis.json', 'columns.csv', 'frames.csv', 'profiles.csv', 'report.html', 'overlays/frame-000.png', 'overlays/frame-001.png', 'residuals/frame-001.png']) expect(existsSync(join(out, f)), f).toBe(true);
    const a = JSON.parse(readFileSync(join(out, 'analysis.json'), 'utf8')) as { schemaVersion: number; frames: { sublattices: { name: string; detected: number }[]; registration: { dx_px: number; dy_px: number }; regions: { area_A2: Record<string, number> } }[]; provenance: { pixelSource: string } };
    expect(a.schemaVersion).toBe(1);
    expect(a.provenance.pixelSource).toBe('file');
    expect(a.frames[0]!.sublattices.map((s) => s.name)).toEqual(['A', 'B']);
    expect(a.frames[0]!.sublattices[0]!.detected).toBeGreaterThan(20);
    // Drift (0.5, 0.3) px within 0.1 px: two 128² frames at ≈ 50 e⁻ per column peak (the series test's tolerance too).
    expect(Math.abs(a.frames[1]!.registration.dx_px - 0.5)).toBeLessThan(0.1);
    expect(Math.abs(a.frames[1]!.registration.dy_px - 0.3)).toBeLessThan(0.1);
    expect(a.frames[0]!.regions.area_A2.pore).toBeGreaterThan(20); // the thin patch (r = 5 Å)
    const csv = readFileSync(join(out, 'columns.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('frame,x_A,y_A,sublattice,region,intensity,width_A,residual,sigma_pos_A,significance,detected,edge,maximum');
    expect(readFileSync(join(out, 'frames.csv'), 'utf8').split('\n')[2]).toMatch(/^1,175,60,/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/Onsets/);
    expect(r.files).toContain('analysis.json');
    // Same bytes on 2 worker threads (frames analysed in parallel, results placed by index).
    const out2 = join(d, 'out2');
    await runAnalyse(args(file, out2, { sidecar: join(d, 'exp.csv'), workers: 2 }), () => {});
    for (const f of ['columns.csv', 'frames.csv', 'profiles.csv']) expect(readFileSync(join(out2, f), 'utf8'), f).toBe(readFileSync(join(out, f), 'utf8'));
  });

  it('gives a named-field error and writes nothing for every kind of bad input', async () => {
    const d = tmp();
    const good = await series(d, { frames: 1, sidecar: false });
    const out = join(d, 'never');
    writeFileSync(join(d, 'notes.txt'), 'hello');
    writeFileSync(join(d, 'junk.tif'), 'II*\0garbage');
    expect(await fieldOf(args(join(d, 'notes.txt'), out))).toBe('--series'); // wrong format
    expect(await fieldOf(args(join(d, 'junk.tif'), out))).toBe('--series'); // unreadable file
    const d2 = tmp();
    expect(await fieldOf(args(await series(d2, { frames: 1, sidecar: false, pixel: false }), out))).toBe('--pixel-size'); // no calibration
    expect(await fieldOf(args(good, out, { onsets: true }))).toBe('--sidecar'); // onsets asked, no temperatures
    const d3 = tmp();
    expect(await fieldOf(args(await series(d3, { frames: 1, size: 12, sidecar: false }), out))).toMatch(/^--series \(frame 0/); // too small
    const d4 = tmp();
    expect(await fieldOf(args(await series(d4, { frames: 1, sidecar: false, nan: true }), out))).toMatch(/^--series \(frame 0/); // all NaN
    const d5 = tmp();
    const flat = join(d5, 'flat.tif');
    const r = Rng.stream(1, 1);
    await writeTiffFloat32(flat, [Float32Array.from({ length: 64 * 64 }, () => r.poisson(50))], 64, 64, { pixelSize_A: 0.2, unit: 'A' });
    expect(await fieldOf(args(flat, out))).toMatch(/^--series \(frame 0/); // no lattice: noise only
    expect(await fieldOf(args(good, out, { zone: '999' }))).toBe('--zone');
    expect(await fieldOf(args(good, out, { 'pixel-size': '-1 Å' }))).toBe('--pixel-size');
    expect(await fieldOf(args(good, out, { normalise: 'detector' }))).toBe('--detector-scan');
    expect(await fieldOf(args(good, out, { workers: 0 }))).toBe('--workers');
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 with one line naming the option (spawned CLI), and an explicit --pixel-size wins over the file with a warning', async () => {
    const d = tmp();
    writeFileSync(join(d, 'notes.txt'), 'hello');
    const bad = spawnSync(process.execPath, [join(ROOT, 'bin/cathode-twin.js'), 'analyse', '--series', join(d, 'notes.txt'), '--out', join(d, 'o')], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, CI: '1' } });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--series/);
    expect(existsSync(join(d, 'o'))).toBe(false);
    const file = await series(d, { frames: 1, sidecar: false });
    let printed = '';
    await runAnalyse(args(file, join(d, 'o2'), { 'pixel-size': '0.21 Å' }), (s) => { printed += s; });
    const j = JSON.parse(printed) as { pixelSize_A: number; warnings: string[] };
    expect(j.pixelSize_A).toBeCloseTo(0.21, 12);
    expect(j.warnings.join()).toMatch(/--pixel-size 0.21 Å overrides the pixel size of the file/);
  });
});
