/**
 * Throughput of `cathode-twin dataset` at 256² (samples/s), on 1 and 2 worker threads, with and without
 * kinetics-evolved samples, against a baseline revision run in the same session on the same machine.
 *
 * - Baseline DATASET_BENCH_BASELINE (git revision; default cf4dc11, the generator the issue measured: 0.23 samples/s
 *   at 64 px): `git archive <rev> src scenarios` is unpacked into .tmp/bench-baseline-<rev>/ (inside the repository, so its
 *   imports resolve node_modules). A revision with today's API (DEFAULT_DATASET_CONFIG.bundleSize, e.g. `main`) runs
 *   exactly the new rows' configurations, each right before the new one (same calibration cache), and the ratios are
 *   row by row. The old per-sample generator (cf4dc11) runs at 256 px, 0.25 Å, zone [210], 30 Å, defocus 0 (its
 *   fastest setting); every worker calibrates in memory on its first sample, so its steady rate starts when each
 *   worker has finished one sample.
 * - New: the fast mode (npz bundles only) at 256 px with the default ranges (pixel 0.2–0.3 Å, rotations, defocus,
 *   source size, dose, drift, distortion, pores, patches), zone [210], 30 Å, static-lattice calibrations and the probe
 *   kernels of every defocus value in the disk cache, and the workers' task bundle (src/core/pool.ts), warmed before the
 *   timed runs (the warm-up time is printed).
 *   Steady rate: from the first finished bundle on (with w workers, from the w-th).
 * - Kinetic: the same with DATASET_BENCH_KINETIC_SHARE (default 0.5) of kinetics-evolved samples from trajectories of a
 *   40 × 40 × 20 Å lamella through the seed staircase; the KMC trajectories (one per split present) are paid inside the
 *   timed run (overall rate) and excluded from the steady rate (bundles start once they are done).
 * - CPU: process CPU time (all threads) per sample over the whole run, a figure the machine's load disturbs less than
 *   wall time (it includes the trajectories' KMC in the kinetic rows).
 *
 * Environment: DATASET_BENCH_COUNT (new, default 512), DATASET_BENCH_BASELINE_COUNT (old per-sample generator,
 * default 6), DATASET_BENCH_WORKERS (default "1,2"), DATASET_BENCH_BASELINE (git revision; "none" skips it),
 * DATASET_BENCH_KINETIC_SHARE (0 skips the kinetic rows), DATASET_BENCH_PRISM (image side in px of the opt-in
 * PRISM-vs-incoherent agreement run; default 0 = skipped), DATASET_BENCH_DEFOCUS=1 (opt-in: calibrated σ and w
 * against defocus, and their interpolation error). `npm run bench -- dataset`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { taskModule } from '../src/core/index.js';
import { calibrateColumn, setCalibrationCacheDir } from '../src/multislice/index.js';
import { DEFAULT_DATASET_CONFIG, type DatasetConfig, calibrationOptions, generateDataset } from '../src/twin/dataset/index.js';
import { calibrationJobs, kernelJobs, runCalibrationJob, runKernelJob, widthRange } from '../src/twin/dataset/calibration.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Row { label: string; workers: number; samples: number; wall_s: number; overall: number; steady: number; cpu_ms: number; baseline?: boolean }

async function timed(label: string, workers: number, count: number, warmMarks: number, run: (onMark: () => void) => Promise<void>): Promise<Row> {
  const marks: number[] = [];
  const t0 = performance.now(), c0 = process.cpuUsage();
  await run(() => marks.push(performance.now()));
  const wall = (performance.now() - t0) / 1e3, cpu = process.cpuUsage(c0);
  // Steady rate between the warm mark and the last one (marks: one per finished unit of `perMark` samples: a sample
  // for the baseline, a bundle for the new generator).
  const perMark = count / Math.max(1, marks.length);
  const w = Math.min(warmMarks, marks.length - 1);
  const steady = marks.length - 1 > w ? ((marks.length - 1 - w) * perMark) / ((marks[marks.length - 1]! - marks[w]!) / 1e3) : NaN;
  return { label, workers, samples: count, wall_s: wall, overall: count / wall, steady, cpu_ms: (cpu.user + cpu.system) / 1e3 / count };
}

/** The baseline generator (git revision `rev`) unpacked under .tmp/, or null when git or the revision is missing. */
async function baselineModule(rev: string): Promise<{ generateDataset: (o: Record<string, unknown>) => Promise<unknown>; DEFAULT_DATASET_CONFIG: Record<string, unknown> } | null> {
  const dir = join(ROOT, '.tmp', `bench-baseline-${rev}`);
  try {
    if (!existsSync(join(dir, 'src', 'twin', 'dataset', 'index.ts')) || (existsSync(join(ROOT, 'scenarios')) && !existsSync(join(dir, 'scenarios')))) {
      mkdirSync(dir, { recursive: true });
      // src and, where the revision has them, the built-in scenarios (the kinetic samples' protocols).
      const trees = execFileSync('git', ['-C', ROOT, 'ls-tree', '--name-only', rev], { encoding: 'utf8' }).split('\n').filter((t) => t === 'src' || t === 'scenarios');
      const tar = execFileSync('git', ['-C', ROOT, 'archive', rev, ...trees], { maxBuffer: 1 << 30 });
      execFileSync('tar', ['-x', '-C', dir], { input: tar });
    }
    return (await import(pathToFileURL(join(dir, 'src', 'twin', 'dataset', 'index.ts')).href)) as never;
  } catch (e) {
    process.stdout.write(`Baseline ${rev} unavailable (${(e as Error).message.split('\n')[0]}): skipped.\n\n`);
    return null;
  }
}

export async function main(): Promise<void> {
  const count = Number(process.env.DATASET_BENCH_COUNT ?? 512);
  const baseCount = Number(process.env.DATASET_BENCH_BASELINE_COUNT ?? 6);
  const workerList = (process.env.DATASET_BENCH_WORKERS ?? '1,2').split(',').map(Number);
  const rev = process.env.DATASET_BENCH_BASELINE ?? 'cf4dc11';
  const share = Number(process.env.DATASET_BENCH_KINETIC_SHARE ?? 0.5);
  const load0 = loadavg();
  const rows: Row[] = [];
  const cacheDir = join(tmpdir(), 'cathode-twin-bench-calibrations');
  const config: DatasetConfig = { ...DEFAULT_DATASET_CONFIG, size_px: 256, zones: ['210'], thickness_A: [30, 30], phonons: 0, formats: ['npz'] };

  // Warm the calibration cache and the probe kernels of every defocus value (the first run of a configuration pays this
  // once; later runs and workers share it).
  const tw = performance.now();
  // The workers' bundle of the dataset task (src/core/pool.ts taskBundle; built once per change of the sources).
  taskModule(new URL('../src/twin/dataset/task', import.meta.url));
  const warm = mkdtempSync(join(tmpdir(), 'dataset-bench-'));
  const w = await generateDataset({ out: warm, count: 1, seed: 99, config: { ...config, bundleSize: 32 }, cacheDir, workers: 2 });
  rmSync(warm, { recursive: true, force: true });
  setCalibrationCacheDir(cacheDir);
  let kernelsWritten = 0;
  const kjobs = kernelJobs(config, widthRange(calibrationJobs(config).map((j) => runCalibrationJob(config, j))));
  for (const j of kjobs) if (runKernelJob(config, j)) kernelsWritten++;
  setCalibrationCacheDir(null);
  const warm_s = (performance.now() - tw) / 1e3;

  const runs: [string, DatasetConfig][] = [['fast mode (npz bundles)', config]];
  // Kinetic samples: trajectories of a 40 Å × 40 Å × 20 Å lamella through the seed staircase (each a few CPU-minutes at
  // most; the default 80 × 80 × 40 Å lamella costs ~8× more KMC, paid once per --samples-per-trajectory samples).
  const kinetics = { ...config.kinetics, protocols: ['seed'] as const, lamellaSize_A: 40, thickness_A: 20, poreRadius_A: [6, 9] as const };
  if (share > 0) runs.push([`${share * 100} % kinetics-evolved`, { ...config, kineticShare: share, kinetics }]);
  type Generate = (o: Record<string, unknown>) => Promise<unknown>;
  const newRun = async (label: string, c: DatasetConfig, workers: number, gen: Generate, baseline: boolean): Promise<void> => {
    const dir = mkdtempSync(join(tmpdir(), 'dataset-bench-new-'));
    try {
      const r = await timed(label, workers, count, Math.min(workers, Math.ceil(count / c.bundleSize)) - 1, (mark) =>
        gen({ out: dir, count, seed: 1, config: c, workers, resume: false, cacheDir, onProgress: (d: number, _t: number, st: string) => { if (st === 'samples' && d > 0) mark(); } }).then(() => undefined));
      rows.push({ ...r, baseline });
    } catch (e) {
      process.stdout.write(`${label}, ${workers} workers: ${(e as Error).message}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const base = rev !== 'none' ? await baselineModule(rev) : null;
  const sameApi = base !== null && 'bundleSize' in base.DEFAULT_DATASET_CONFIG;
  if (base && !sameApi) {
    const bc = { ...base.DEFAULT_DATASET_CONFIG, size_px: 256, pixel_A: 0.25, zones: ['210'], thicknesses_A: [30], defoci_A: [0] };
    for (const workers of workerList) {
      const dir = mkdtempSync(join(tmpdir(), 'dataset-bench-base-'));
      try {
        rows.push({ ...await timed(`baseline ${rev} (per-sample files)`, workers, baseCount, Math.min(workers, baseCount) - 1, (mark) =>
          base.generateDataset({ out: dir, count: baseCount, seed: 1, config: bc, workers, resume: false, onSample: (d: number) => { if (d > 0) mark(); } }) as Promise<void>), baseline: true });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  for (const [label, c] of runs) for (const workers of workerList) {
    if (base && sameApi) await newRun(`baseline ${rev}: ${label}`, c, workers, base.generateDataset, true);
    await newRun(`new: ${label}`, c, workers, generateDataset as unknown as Generate, false);
  }
  const load1 = loadavg();
  process.stdout.write(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}; load average ${load0[0]!.toFixed(1)} at the start, ${load1[0]!.toFixed(1)} at the end.\n`);
  process.stdout.write(`256 × 256 px; cache warm-up ${warm_s.toFixed(1)} s (${w.calibrations.computed} of ${w.calibrations.needed} column calibrations computed, probe kernels of ${kernelsWritten} of ${kjobs.length} defocus values written).\n\n`);
  process.stdout.write('| generator | workers | samples | wall (s) | samples/s overall | samples/s steady | CPU ms/sample (all threads) | steady vs baseline, same workers |\n|---|---|---|---|---|---|---|---|\n');
  for (const r of rows) {
    const b = sameApi ? rows.find((q) => q.baseline && q.label === r.label.replace(/^new: /, `baseline ${rev}: `) && q.workers === r.workers)
      : rows.find((q) => q.baseline && q.workers === r.workers);
    const ratio = b && !r.baseline ? `×${(r.steady / b.steady).toFixed(sameApi ? 2 : 0)}` : '';
    process.stdout.write(`| ${r.label} | ${r.workers} | ${r.samples} | ${r.wall_s.toFixed(1)} | ${r.overall.toFixed(2)} | ${r.steady.toFixed(2)} | ${r.cpu_ms.toFixed(1)} | ${ratio} |\n`);
  }
  for (const label of new Set(rows.map((r) => r.label))) {
    const rs = rows.filter((r) => r.label === label);
    if (rs.length > 1) process.stdout.write(`\n${label}: steady speed-up ${rs.map((r) => `${r.workers} workers ×${(r.steady / rs[0]!.steady).toFixed(2)}`).join(', ')}`);
  }
  process.stdout.write('\n');
  const prismPx = Number(process.env.DATASET_BENCH_PRISM ?? 0);
  if (prismPx > 0) await prismAgreement(prismPx, cacheDir);
  if (process.env.DATASET_BENCH_DEFOCUS === '1') defocusInterpolation(cacheDir);
}

/**
 * How well calibrations interpolate in defocus (the dataset calibrates at nodes 15 Å apart): σ and w of 12-site Ni, O
 * and Li columns (2.49 Å spacing, static lattice) at −30 … 30 Å, and the error of the mid-node value taken as the
 * mean of its neighbours. Opt-in (DATASET_BENCH_DEFOCUS=1), seconds once the calibrations are cached.
 */
function defocusInterpolation(cacheDir: string): void {
  setCalibrationCacheDir(cacheDir);
  const c = { ...DEFAULT_DATASET_CONFIG, phonons: 0 };
  const ds = [-30, -15, 0, 15, 30];
  process.stdout.write(`\nCalibrated columns against defocus (12 sites, 2.49 Å apart, static lattice):\n\n| column | ${ds.map((d) => `σ (Å²), w (Å) at ${d} Å`).join(' | ')} | w error of the mid-node by interpolation (−15, 15 Å) |\n|---|${ds.map(() => '---|').join('')}---|\n`);
  for (const [Z, name] of [[28, 'Ni'], [8, 'O'], [3, 'Li']] as const) {
    const k = ds.map((d) => calibrateColumn(Z, 2.49, 12, calibrationOptions(c, d)));
    const s = k.map((q) => `${q.crossSection_A2.at(-1)!.toExponential(4)}, ${q.width_A.at(-1)!.toFixed(4)}`);
    const w = k.map((q) => q.width_A.at(-1)!);
    process.stdout.write(`| ${name} | ${s.join(' | ')} | ${((w[0]! + w[2]!) / 2 - w[1]!).toFixed(4)}, ${((w[2]! + w[4]!) / 2 - w[3]!).toFixed(4)} Å |\n`);
  }
}

/**
 * The incoherent share calibrated against PRISM: samples with --prism-share 1 (each also rendered by the incoherent
 * model on the same distorted scan) at `px` pixels, 0.3 Å, zone [210], 15 and 30 Å thick, static lattice on both
 * sides; prints the agreement the manifest records (NCC, mean ratio PRISM/incoherent, r.m.s. difference / mean).
 * Opt-in (DATASET_BENCH_PRISM=24): minutes per sample on 2 cores.
 */
async function prismAgreement(px: number, cacheDir: string): Promise<void> {
  process.stdout.write(`\nPRISM vs incoherent (noise-free, same scan; ${px}² px at 0.3 Å, zone [210], no pore or patch, static lattice):\n\n| thickness | sample | NCC | mean PRISM / incoherent | r.m.s. difference / mean | wall (s) |\n|---|---|---|---|---|---|\n`);
  for (const t of [15, 30]) {
    const c: DatasetConfig = {
      ...DEFAULT_DATASET_CONFIG, size_px: px, pixel_A: [0.3, 0.3], zones: ['210'], thickness_A: [t, t], defocus_A: [0, 0], phonons: 0, poreProbability: 0,
      patchesPerSpecimen: 0, prismShare: 1, bundleSize: 2, samplesPerSpecimen: 1,
    };
    const dir = mkdtempSync(join(tmpdir(), 'dataset-bench-prism-'));
    try {
      const t0 = performance.now();
      await generateDataset({ out: dir, count: 2, seed: 5, config: c, cacheDir });
      const wall = (performance.now() - t0) / 1e3 / 2;
      const rows = readFileSync(join(dir, 'manifest.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { index: number; prismVsIncoherent: { ncc: number; meanRatio: number; rmsRelative: number } });
      for (const r of rows) {
        const a = r.prismVsIncoherent;
        process.stdout.write(`| ${t} Å | ${r.index} | ${a.ncc.toFixed(4)} | ${a.meanRatio.toFixed(3)} | ${(100 * a.rmsRelative).toFixed(1)} % | ${wall.toFixed(0)} |\n`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
