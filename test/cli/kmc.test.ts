import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSpecies } from '../../src/kinetics/ncm/frames.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = ['--import', 'tsx', join(ROOT, 'src/cli/main.ts')];

const SCENARIO = `name: kmc-test
description: small lamella for the kmc CLI test
seed: 11
structure:
  zone: "210"
  width: 2.6 nm
  height: 2.4 nm
  thickness: 1.6 nm
  pore: { radius: 0.6 nm, shape: ellipsoid, aspect: 1.2 }
  apb: { plane: "1 -2 0", position: pore-edge }
protocol:
  type: staircase
  start: 25 degC
  end: 275 degC
  rate: 1 degC/s
  step: 50 degC
  hold: 2 min
environment:
  pO2: 1.2e-5 Pa
`;

function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...CLI, 'kmc', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every output file's bytes, by relative path (checkpoint excluded). */
function outputs(dir: string): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  for (const f of ['observables.csv', 'kmc-summary.json']) m.set(f, readFileSync(join(dir, f)));
  for (const f of readdirSync(join(dir, 'frames')).sort()) m.set(`frames/${f}`, readFileSync(join(dir, 'frames', f)));
  return m;
}

describe('cathode-twin kmc', () => {
  const work = mkdtempSync(join(tmpdir(), 'ct-kmc-'));
  const scenario = join(work, 'scenario.yaml');
  writeFileSync(scenario, SCENARIO);

  it('writes frames, observables and a summary; --json prints the summary with the wall time', () => {
    const out = join(work, 'a');
    const r = runCli(['--scenario', scenario, '--out', out, '--json', '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { frames: { species: string[] }[]; sites: number; wall_s: number; events: number; eventsByKind: Record<string, number>; onsets: { stage: string }[] };
    expect(s.frames.length).toBe(6); // t = 0 and the end of each of the 5 holds
    expect(s.wall_s).toBeGreaterThan(0);
    expect(s.events).toBeGreaterThan(0);
    expect(Object.values(s.eventsByKind).reduce((a, b) => a + b, 0)).toBe(s.events);
    expect(s.onsets.map((o) => o.stage)).toContain('liSiteRim');
    const sp = decodeSpecies(readFileSync(join(out, s.frames[5]!.species[0]!)));
    expect(sp.length).toBe(s.sites);
    const csv = readFileSync(join(out, 'observables.csv'), 'utf8').trim().split('\n');
    expect(csv.length).toBe(7);
    expect(csv[0]).toMatch(/^frame,time_s,temperature_K,temperature_C,events,/);
    expect(csv[0]).toContain('tmOnLi.rim');
    expect(existsSync(join(out, '.partial'))).toBe(false);
  });

  it('after kill -9 mid-run, --resume gives byte-identical outputs to an uninterrupted run with the same seed', async () => {
    const ref = join(work, 'a');
    const out = join(work, 'b');
    const child = spawn(process.execPath, [...CLI, 'kmc', '--scenario', scenario, '--out', out, '--quiet', '--checkpoint-every', '0'], { cwd: ROOT, stdio: 'ignore', env: { ...process.env, CI: '1' } });
    // Kill once checkpoint records up to at least frame 1 exist (mid-way through the 6 frames).
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => {
        const records = existsSync(join(out, '.partial')) ? readdirSync(join(out, '.partial')).filter((f) => f.endsWith('.bin')).length : 0;
        if (records >= 2) {
          clearInterval(t);
          child.kill('SIGKILL');
          resolve();
        }
      }, 20);
      child.on('exit', () => {
        clearInterval(t);
        resolve();
      });
      setTimeout(() => reject(new Error('no checkpoint within 60 s')), 60_000);
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(join(out, 'kmc-summary.json')), 'the run was killed before it finished').toBe(false);
    const r = runCli(['--scenario', scenario, '--out', out, '--quiet', '--resume']);
    expect(r.status, r.stderr).toBe(0);
    const a = outputs(ref), b = outputs(out);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [k, v] of a) expect(b.get(k)!.equals(v), k).toBe(true);
  });

  it('bad input names the option: --resume without a checkpoint, an unknown barrier', () => {
    const r1 = runCli(['--scenario', scenario, '--out', join(work, 'none'), '--resume', '--quiet']);
    expect(r1.status).toBe(2);
    expect(r1.stderr).toMatch(/--resume/);
    expect(existsSync(join(work, 'none'))).toBe(false);
    const bad = join(work, 'bad.yaml');
    writeFileSync(bad, `${SCENARIO}kinetics:\n  barriers: { o2Relase: 1.5 eV }\n`);
    const r3 = runCli(['--scenario', bad, '--out', join(work, 'd'), '--quiet']);
    expect(r3.status).toBe(2);
    expect(r3.stderr).toMatch(/o2Relase/);
    expect(existsSync(join(work, 'd'))).toBe(false);
  });
});
