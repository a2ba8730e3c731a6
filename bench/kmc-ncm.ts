/**
 * NCM kinetics measurements for bench/kmc.bench.ts. Each job runs in a child process on a given
 * source tree (`root`): this checkout, or the baseline as a temporary git worktree of an anchor
 * revision (`baselineTree`), so both are timed alike, one process each, and a failure of one does
 * not stop the table.
 *
 * Jobs:
 * - hold: `measureKmc({ model: 'seed' })` of that tree (periodic box with a pore and an APB, 175 °C):
 *   events/s (wall and CPU) and bytes/site (lattice view + model + selector);
 * - protocol: the seed protocol (25 → 500 °C, 0.1 °C/s, 15 °C steps, 5 min holds, 1.2e-5 Pa) on a
 *   periodic lamella W × H × T nm with the seed scenario's pore (1.6 nm at 8 nm width, aspect 1.3,
 *   depth 0.6 of the thickness) and APB ((1 -2 0) at the pore edge) scaled with the width;
 * - run: `cathode-twin run` of the default seed scenario, its KMC stage time.
 *
 * Child entry: `node --import tsx bench/kmc-ncm.ts <root> '<job json>'` prints one JSON line.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type NcmJob =
  | { kind: 'hold'; sites: number; events: number }
  | { kind: 'protocol'; size_nm: readonly [number, number, number]; seed: number; end_K?: number }
  | { kind: 'run' };

export interface NcmJobResult {
  ok: boolean;
  error?: string;
  sites?: number;
  events?: number;
  wall_s?: number;
  cpu_s?: number;
  eventsPerSecond?: number;
  eventsPerCpuSecond?: number;
  bytesPerSite?: number;
  /** Peak resident memory of the child process per site, bytes. */
  maxRssPerSite?: number;
  byKind?: Record<string, number>;
  onsets_C?: Record<string, number | null>;
  /** sha256 of the final species (protocol). */
  speciesHash?: string;
  kmcStage_s?: number;
}

const here = dirname(fileURLToPath(import.meta.url));
/** This checkout's root. */
export const ROOT = resolve(here, '..');

/** Run `job` on the tree at `root` in a child process (node --import tsx); resolves with its JSON result. */
export function runNcmJob(root: string, job: NcmJob, timeout_s: number): Promise<NcmJobResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'kmc-ncm.ts'), root, JSON.stringify(job)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout_s * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) done(JSON.parse(line) as NcmJobResult);
      else done({ ok: false, error: signal === 'SIGKILL' ? `timed out after ${timeout_s} s` : (err.trim().split('\n').pop() ?? `exit ${code}`) });
    });
  });
}

/**
 * A worktree of `rev` in a temporary folder (with this checkout's node_modules linked in), or an
 * error string when git cannot make one. `dispose()` removes it.
 */
export function baselineTree(rev: string): { root: string; dispose: () => void } | string {
  const dir = mkdtempSync(join(tmpdir(), 'kmc-baseline-'));
  const r = spawnSync('git', ['-C', ROOT, 'worktree', 'add', '--detach', dir, rev], { encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return `git worktree add ${rev} failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`;
  }
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return {
    root: dir,
    dispose: () => {
      spawnSync('git', ['-C', ROOT, 'worktree', 'remove', '--force', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// child side

/** The seed scenario's pore and APB scaled to a W × H × T nm periodic lamella. */
export function scaledLamellaOptions(size_nm: readonly [number, number, number]) {
  const [w, h, t] = size_nm.map((x) => x * 10) as [number, number, number];
  const r = 16 * (w / 80); // 1.6 nm at the default 8 nm width
  return {
    size_A: [w, h] as [number, number],
    thickness_A: t,
    mixing: 0.03,
    seed: 1,
    pbc: [true, true, true] as [boolean, boolean, boolean],
    pore: { radius_A: [r * Math.sqrt(1.3), r / Math.sqrt(1.3), (0.6 * t) / 2] as [number, number, number], shape: 'ellipsoid' as const },
    apb: { plane: '1 -2 0' },
  };
}

/** The seed staircase (25 → end, 0.1 K/s ramps of 15 K, 5 min holds) on either tree: e00e739 had `seedProgram`, today it is the kinetics' TemperatureProgram. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function seedStaircase(k: any, end_K: number): unknown {
  return k.seedProgram ? k.seedProgram(end_K) : k.TemperatureProgram.staircase({ start_K: 298.15, end_K, step_K: 15, rate_KPerS: 0.1, hold_s: 300 });
}

/**
 * TM-on-Li onsets per region, rounded °C: e00e739's `tmOnLiOnset_K` on the baseline; today the one onset-rule table
 * (src/twin/timeline, rule 'liSiteRim'/'liSiteApb' and the same binomial rule for the bulk).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function tmOnLiOnsets_C(root: string, k: any, frames: { temperature_K: number; observables: unknown }[]): Promise<Record<string, number | null>> {
  const out: Record<string, number | null> = {};
  if (k.tmOnLiOnset_K) {
    for (const region of ['rim', 'apb', 'bulk']) {
      const x = k.tmOnLiOnset_K(frames, region) as number | null;
      out[region] = x === null ? null : Math.round(x - 273.15);
    }
    return out;
  }
  const t = await import(pathToFileURL(join(root, 'src', 'twin', 'timeline', 'index.ts')).href);
  const flat = frames.map((f) => k.flattenObservables(f.observables));
  const rule = t.ONSET_RULES.find((r: { stage: string }) => r.stage === 'liSiteRim');
  const rules = ['rim', 'apb', 'bulk'].map((region) => ({ ...rule, stage: region, region }));
  const onsets = t.detectOnsets({ temperatures_K: frames.map((f) => f.temperature_K), values: flat.map((x: { values: unknown }) => x.values), counts: flat[0]?.counts }, rules) as { stage: string; onset_C: number | null }[];
  for (const o of onsets) out[o.stage] = o.onset_C === null ? null : Math.round(o.onset_C);
  return out;
}

async function child(root: string, job: NcmJob): Promise<NcmJobResult> {
  const src = (p: string) => pathToFileURL(join(root, 'src', p)).href;
  if (job.kind === 'run') {
    const out = mkdtempSync(join(tmpdir(), 'kmc-run-'));
    try {
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'run', '--out', out, '--quiet', '--json'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
      if (r.status !== 0) return { ok: false, error: r.stderr.trim().split('\n').pop() ?? `exit ${r.status}` };
      const s = JSON.parse(r.stdout.trim().split('\n').pop()!) as { timings_s: Record<string, number> };
      return { ok: true, kmcStage_s: s.timings_s.kmc };
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  const k = await import(src('kinetics/index.ts'));
  if (job.kind === 'hold') {
    const r = await k.measureKmc({ model: 'seed', sites: job.sites, events: job.events });
    return { ok: true, sites: r.sites, events: r.events, wall_s: r.wall_s, cpu_s: r.cpu_s, eventsPerSecond: r.eventsPerSecond, eventsPerCpuSecond: r.eventsPerCpuSecond, bytesPerSite: r.bytesPerSite };
  }
  const lat = await import(src('lattice/index.ts'));
  const lam = lat.buildLamella(scaledLamellaOptions(job.size_nm));
  const lattice = k.fromSiteLattice(lam.lattice);
  const frames: { temperature_K: number; observables: unknown }[] = [];
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const tr = k.runKmc({
    lattice, species: lam.lattice.species, params: k.DEFAULT_NCM_PARAMS, program: seedStaircase(k, job.end_K ?? 773.15), pO2_Pa: 1.2e-5, seed: job.seed, keepFrames: false,
    onFrame: (f: { temperature_K: number; observables: unknown }) => frames.push({ temperature_K: f.temperature_K, observables: f.observables }),
  });
  const wall_s = (performance.now() - t0) / 1000;
  const cu = process.cpuUsage(c0);
  const cpu_s = (cu.user + cu.system) / 1e6;
  const byKind: Record<string, number> = {};
  (k.EVENT_NAMES as string[]).forEach((name, i) => { if (i > 0 && tr.counters.byKind[i]) byKind[name] = tr.counters.byKind[i]; });
  const onsets_C = await tmOnLiOnsets_C(root, k, frames);
  return {
    ok: true, sites: lattice.n, events: tr.events, wall_s, cpu_s, eventsPerSecond: tr.events / wall_s, eventsPerCpuSecond: tr.events / cpu_s,
    maxRssPerSite: (process.resourceUsage().maxRSS * 1024) / lattice.n, byKind, onsets_C,
    speciesHash: createHash('sha256').update(tr.species).digest('hex').slice(0, 16),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [root, job] = [process.argv[2]!, JSON.parse(process.argv[3]!) as NcmJob];
  child(root, job).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (e: Error) => {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    },
  );
}
