/**
 * Kill-safe output folders: `run`, `kmc`, `dataset`, `fit` and `dry` killed with SIGKILL at 5 moments drawn from a seed (sorted
 * fractions of the uninterrupted job's duration; each process killed at the next one, counted from when it took the
 * folder's lock), then resumed, leave a folder byte-identical to an uninterrupted run's (for `run`, over a folder
 * that already held an earlier result with another seed), apart from the documented timing fields
 * (summary.json `createdAt` and `timings_s`, the report's "Wall time" line; fit: each simulation's `wall_s` and
 * posterior.json `diagnostics.simulationWall_s`, their sum), with no stray file (no temporaries, no
 * staging folder, no partial run, no lock), and, for `fit` and `dry`, no finished simulation or trajectory redone (each
 * one's file keeps its inode and modification time through the resumes). A second `run` on a locked folder exits 2
 * naming the holder. A SIGTERM to a multislice `run` imaging in process ends it within seconds (exit 143, lock released,
 * KMC records kept), not after the frame. Tiny sizes; ~40–60 s on 2 cores for run, kmc and dataset (18 short processes), fit and dry: see
 * their timing in the note.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { Rng } from '../../src/core/index.js';
import { ROOT } from './samples.js';

const BIN = join(ROOT, 'bin/cathode-twin.js');
const work = mkdtempSync(join(tmpdir(), 'ct-kill-'));

/** A small scenario: 3 × 2.5 × 1 nm lamella, 4 frames, coarse incoherent imaging (one fast frame). */
const SCENARIO = readFileSync(join(ROOT, 'scenarios/tiny.yaml'), 'utf8')
  .replace('thickness: 2 nm', 'thickness: 1 nm')
  .replace('sampling: 0.4 Å', 'sampling: 1 Å')
  .replace('frames: 2', 'frames: 1')
  .replace('name: tiny', 'name: kill');
const scenario = join(work, 'kill.yaml');
writeFileSync(scenario, SCENARIO);

/**
 * A tiny fit: one observed onset (a KMC-defined stage: the kill scenario's 1 Å frames are too coarse for the image
 * analysis) inside its 25–325 °C staircase, one parameter, 16 simulations.
 */
const timeline = join(work, 'kill-timeline.yaml');
writeFileSync(timeline, 'timeline:\n  - { stage: rockSaltRim, after: 125 degC, onset: 225 degC }\n');
const FIT = (o: string) => ['fit', '--timeline', timeline, '--scenario', scenario, '--params', 'o2Release', '--budget', '16', '--predictive', '0', '--seed', '3', '--out', o, '--quiet'];

/**
 * A tiny drying study: the dry CLI test's recipe, hotter and longer so that each of its 12 trajectories (2 atmospheres
 * × 250, 300 °C × 3 draws) takes ~0.5 s, longer than a process's warm-up inside the lock.
 */
const recipe = join(ROOT, 'test/twin/dry/fixtures/tiny-recipe.yaml');
const DRY = (o: string) => ['dry', recipe, '--draws', '3', '--temperatures', '250,300 degC', '--times', '1,2 h', '--out', o, '--quiet'];

/** A small dataset: 4 samples of 48 px in 2 bundles, one zone, thickness and defocus; calibrations cached for all runs. */
const DATASET = [
  'dataset', '--count', '4', '--size', '48 px', '--zones', '100', '--thickness', '20 Å', '--defocus', '0 Å', '--phonons', '1', '--ni-fraction', '0.8',
  '--pore-radius', '5,8 Å', '--patch-radius', '5,8 Å', '--patch-phases', 'NiO', '--kinetic-share', '0', '--bundle-size', '2', '--samples-per-specimen', '1',
  '--cache-dir', join(work, 'calibrations'), '--quiet',
];

interface Job {
  readonly verb: string;
  /** Arguments of a fresh start and of a resume. */
  readonly args: (out: string) => string[];
  readonly resume: (out: string) => string[];
  /** Arguments of an earlier run whose result already fills the folder (the new one must replace it wholly). */
  readonly before?: (out: string) => string[];
  /** A warm-up run (in process, into a scratch folder) filling caches that later runs reuse, so the timing is theirs. */
  readonly warm?: (out: string) => string[];
  /** Files each holding one finished unit of work (a simulation, a trajectory): once there, a resume must not redo them. */
  readonly units?: RegExp;
}

const JOBS: Job[] = [
  { verb: 'kmc', args: (o) => ['kmc', '--scenario', scenario, '--out', o, '--quiet', '--checkpoint-every', '0'], resume: (o) => ['kmc', '--scenario', scenario, '--out', o, '--quiet', '--checkpoint-every', '0', '--resume'] },
  { verb: 'run', args: (o) => ['run', scenario, '--out', o, '--quiet'], resume: (o) => ['run', scenario, '--out', o, '--quiet', '--resume'], before: (o) => ['run', scenario, '--out', o, '--quiet', '--seed', '8'] },
  { verb: 'dataset', args: (o) => [...DATASET, '--out', o], resume: (o) => [...DATASET, '--out', o], warm: (o) => [...DATASET, '--out', o] },
  { verb: 'fit', args: FIT, resume: FIT, units: /^\.fit\/sims\/r\d+-p\d+-k\d+\.json$/ },
  { verb: 'dry', args: DRY, resume: DRY, units: /^trajectories\/.+\.json$/ },
];

/** Every file below `dir` (hidden ones included), by relative path. */
function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
      else out.push(`${rel}${e.name}`);
    }
  };
  walk(dir, '');
  return out.sort();
}

/** A file's bytes with the documented timing fields blanked. */
function normalised(dir: string, rel: string): string {
  const b = readFileSync(join(dir, rel));
  if (rel === 'summary.json') {
    const j = JSON.parse(b.toString('utf8')) as Record<string, unknown>;
    delete j.createdAt;
    delete j.timings_s;
    return JSON.stringify(j);
  }
  if (rel === 'report.html') return b.toString('utf8').replace(/Wall time: [^<]*/g, 'Wall time: …');
  if (rel === 'posterior.json') {
    const j = JSON.parse(b.toString('utf8')) as { diagnostics?: Record<string, unknown> };
    delete j.diagnostics?.simulationWall_s;
    return JSON.stringify(j);
  }
  if (/^\.fit\/sims\/.+\.json$/.test(rel)) {
    const j = JSON.parse(b.toString('utf8')) as Record<string, unknown>;
    delete j.wall_s;
    return JSON.stringify(j);
  }
  return b.toString('base64');
}

/** True once process `pid` holds a lock of `out` (a killed process's stale lock does not count). */
const lockTaken = (out: string, pid: number | undefined): boolean => existsSync(out) && readdirSync(out).some((f) => {
  if (!/^\.cathode-twin(\.[\w-]+)?\.lock$/.test(f)) return false;
  try {
    return (JSON.parse(readFileSync(join(out, f), 'utf8')) as { pid: number }).pid === pid;
  } catch {
    return false; // just being taken over
  }
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function start(args: string[]): { child: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: '1' } });
  let err = '';
  child.stderr!.on('data', (d) => (err += String(d)));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return { child, exited, stderr: () => err };
}

describe('kill -9 at 5 moments drawn from a seed, then resume: the same folder as an uninterrupted run, no stray file', () => {
  for (const [j, job] of JOBS.entries()) {
    it(job.verb, async () => {
      if (job.warm) expect(await runCli(job.warm(join(work, `${job.verb}-warm`)))).toBe(0);
      // The uninterrupted reference, and its duration from taking the lock to the end, to scale the kill moments.
      const ref = join(work, `${job.verb}-ref`);
      const r = start(job.args(ref));
      for (const t = Date.now(); !lockTaken(ref, r.child.pid) && r.child.exitCode === null && Date.now() - t < 60_000;) await sleep(5);
      const t0 = Date.now();
      expect(await r.exited, r.stderr()).toBe(0);
      const duration_ms = Date.now() - t0;
      // 5 moments in one job's duration, sorted; each resumed process is killed at the next one (counted from its lock).
      const rng = Rng.stream(1717, j);
      const drawn = Array.from({ length: 5 }, () => Math.round(rng.uniform() * duration_ms)).sort((a, b) => a - b);
      const out = join(work, `${job.verb}-killed`);
      let finished = false;
      let kills = 0;
      let moments = drawn;
      // Finished units seen after each kill, by inode and modification time: a resume must leave them as they are.
      const units = new Map<string, string>();
      // A job without units that finished after fewer than 3 kills ran faster than the reference did (a load spike
      // during the reference): the sequence is run once more from a clean folder with the moments halved.
      for (let attempt = 0; attempt < 2 && (attempt === 0 || (finished && kills < 3 && !job.units)); attempt++) {
        if (attempt > 0) {
          rmSync(out, { recursive: true, force: true });
          moments = drawn.map((m) => Math.round(m / 2));
          finished = false;
          kills = 0;
        }
        if (job.before) expect(await runCli(job.before(out))).toBe(0);
        const noteUnits = (): void => {
          if (!job.units || !existsSync(out)) return;
          for (const f of files(out).filter((x) => job.units!.test(x))) {
            const st = statSync(join(out, f));
            if (!units.has(f)) units.set(f, `${st.ino}:${st.mtimeMs}`);
          }
        };
        for (let k = 0; k < 5 && !finished; k++) {
          // A resume when a partial run exists; else (killed before its first record) a fresh start, as a user would.
          const fresh = k === 0 || (job.verb === 'kmc' && !existsSync(join(out, '.partial', 'state.json')));
          const p = start(fresh ? job.args(out) : job.resume(out));
          const begin = Date.now();
          while (!lockTaken(out, p.child.pid) && p.child.exitCode === null && Date.now() - begin < 60_000) await sleep(10);
          const at = moments[k]! - (k > 0 ? moments[k - 1]! : 0);
          const code = await Promise.race([p.exited, sleep(at).then(() => 'kill' as const)]);
          if (code === 'kill') {
            p.child.kill('SIGKILL');
            await p.exited;
            kills++;
            noteUnits();
          } else {
            expect(code, p.stderr()).toBe(0);
            finished = true;
          }
        }
        if (!finished && job.units && units.size === 0) {
          // No unit had finished at any of the moments (a loaded machine): one more kill, as soon as the first one exists.
          const p = start(job.resume(out));
          const hasUnit = (): boolean => existsSync(out) && files(out).some((x) => job.units!.test(x));
          while (!hasUnit() && p.child.exitCode === null) await sleep(10);
          if (p.child.exitCode === null) {
            p.child.kill('SIGKILL');
            kills++;
          }
          const code = await p.exited;
          noteUnits();
          if (code === 0) finished = true;
        }
        if (!finished) {
          const p = start(job.verb === 'kmc' && !existsSync(join(out, '.partial', 'state.json')) ? job.args(out) : job.resume(out));
          expect(await p.exited, p.stderr()).toBe(0);
          finished = true;
        }
      }
      const when = `kills at ${moments.join(', ')} ms of a ${Math.round(duration_ms)} ms job`;
      expect(kills, when).toBeGreaterThanOrEqual(3);
      const got = files(out);
      expect(got.filter((f) => /\.tmp-|^\.staging|^\.partial|\.lock$/.test(f)), `stray files (kills at ${moments.join(', ')} ms)`).toEqual([]);
      expect(got).toEqual(files(ref));
      for (const f of got) expect(normalised(out, f), f).toBe(normalised(ref, f));
      for (const [f, id] of units) {
        const st = statSync(join(out, f));
        expect(`${st.ino}:${st.mtimeMs}`, `${f} was redone after a kill`).toBe(id);
      }
      if (job.units) expect(units.size, `finished units seen after the kills (${when})`).toBeGreaterThan(0);
    });
  }

  it('SIGTERM stops a multislice run in the middle of a frame imaged in process (lock released, KMC records kept)', async () => {
    // The kill scenario in multislice mode: its first imaged frame takes many minutes on one thread (0.04 Å grid, frozen
    // phonons), so a SIGTERM sent once imaging has started must be handled between probe chunks, not after the frame.
    const ms = join(work, 'kill-ms.yaml');
    writeFileSync(ms, SCENARIO.replace('mode: incoherent', 'mode: multislice').replace('name: kill', 'name: killms'));
    const out = join(work, 'sigterm-ms');
    const p = start(['run', ms, '--out', out, '--workers', '1']);
    try {
      const begin = Date.now();
      // the log's last KMC line ("[KMC] 100%"): the kinetics are done (0.1 s here) and imaging follows
      while (!/\[KMC\] 100%/.test(p.stderr()) && p.child.exitCode === null && Date.now() - begin < 60_000) await sleep(20);
      expect(p.stderr(), 'the run finished its kinetics').toMatch(/\[KMC\] 100%/);
      await sleep(3000);
      expect(p.child.exitCode, 'still imaging its first frame').toBeNull();
      const t0 = Date.now();
      p.child.kill('SIGTERM');
      const code = await Promise.race([p.exited, sleep(30_000).then(() => 'timeout' as const)]);
      expect(code, `exit after SIGTERM (waited ${Date.now() - t0} ms)`).toBe(143);
      const left = files(out);
      expect(left.filter((f) => f.endsWith('.lock')), 'lock released').toEqual([]);
      expect(left.some((f) => /^\.partial\/record-\d+-kmc-/.test(f)), `KMC records kept for --resume: ${left.join(', ')}`).toBe(true);
    } finally {
      if (p.child.exitCode === null) p.child.kill('SIGKILL');
    }
  });

  it('a second run on a locked folder exits 2 naming the lock and its holder; the holder finishes undisturbed', async () => {
    const out = join(work, 'locked');
    const holder = start(['run', scenario, '--out', out, '--quiet']);
    const begin = Date.now();
    while (!lockTaken(out, holder.child.pid) && holder.child.exitCode === null && Date.now() - begin < 60_000) await sleep(10);
    expect(lockTaken(out, holder.child.pid)).toBe(true);
    let line = '';
    const status = await runCli(['run', scenario, '--out', out, '--quiet'], (s) => (line += s));
    expect(status).toBe(2);
    expect(line).toMatch(new RegExp(`^cathode-twin: invalid input: --out: got ".*locked"; allowed: a folder no other cathode-twin process is writing \\(locked by pid ${holder.child.pid} on .* since .* \\(run kill --seed 7\\); wait for it to finish or choose another --out\\)\\n$`));
    expect(await holder.exited, holder.stderr()).toBe(0);
    expect(statSync(join(out, 'summary.json')).isFile()).toBe(true);
  });
});
