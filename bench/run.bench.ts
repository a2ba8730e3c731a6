/**
 * Wall time of the default run (`cathode-twin run`, the seed scenario at its default size) split
 * by stage: structure, KMC, imaging, acquisition, writing. Baseline measured in the same process:
 * the same pipeline on the `tiny` scenario, so the ratio shows how the stages scale with size.
 * `npm run bench -- run` (set RUN_BENCH_WORKERS for imaging workers; default 2).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario, runScenario } from '../src/twin/index.js';

export async function main(): Promise<void> {
  const workers = Number(process.env.RUN_BENCH_WORKERS ?? 2);
  const dir = mkdtempSync(join(tmpdir(), 'run-bench-'));
  try {
    const rows: string[] = [];
    const stages = ['structure', 'kmc', 'imaging', 'acquisition', 'writing', 'total'];
    const results: Record<string, Record<string, number>> = {};
    const cpu: Record<string, number> = {};
    for (const name of ['tiny', 'seed-insitu-heating']) {
      const s = loadScenario(name);
      const c0 = process.cpuUsage();
      const r = await runScenario(s, { outDir: join(dir, name), quiet: true, workers });
      const c1 = process.cpuUsage(c0);
      cpu[name] = (c1.user + c1.system) / 1e6;
      results[name] = r.summary.timings_s;
      const t = r.summary.timings_s;
      const ev = r.summary.frames[r.summary.frames.length - 1]?.events ?? 0;
      rows.push(`| ${name} | ${r.summary.frames.length} | ${r.summary.image.width}×${r.summary.image.height} | ${r.summary.stages.kmc}, ${ev} events | ${stages.map((k) => (t[k] ?? 0).toFixed(2)).join(' | ')} | ${cpu[name]!.toFixed(1)} |`);
    }
    const a = results.tiny!;
    const b = results['seed-insitu-heating']!;
    process.stdout.write(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}, imaging workers ${workers}\n\n`);
    process.stdout.write(`| scenario | frames | image px | KMC stage | ${stages.map((k) => `${k} (s)`).join(' | ')} | main-thread CPU (s) |\n|${'---|'.repeat(5 + stages.length)}\n${rows.join('\n')}\n\n`);
    process.stdout.write('Wall times on a shared machine exceed CPU times when other jobs compete for the cores; the CPU column is the process user+system time (main thread plus any imaging workers).\n\n');
    process.stdout.write(`Ratio default / tiny: ${stages.map((k) => `${k} ×${((b[k] ?? 0) / Math.max(1e-9, a[k] ?? 0)).toFixed(1)}`).join(', ')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
