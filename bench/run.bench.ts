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
    for (const name of ['tiny', 'seed-insitu-heating']) {
      const s = loadScenario(name);
      const r = await runScenario(s, { outDir: join(dir, name), quiet: true, workers });
      results[name] = r.summary.timings_s;
      const t = r.summary.timings_s;
      rows.push(`| ${name} | ${r.summary.frames.length} | ${r.summary.image.width}×${r.summary.image.height} | ${r.summary.stages.kmc} | ${stages.map((k) => (t[k] ?? 0).toFixed(2)).join(' | ')} |`);
    }
    const a = results.tiny!;
    const b = results['seed-insitu-heating']!;
    process.stdout.write(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}, imaging workers ${workers}\n\n`);
    process.stdout.write(`| scenario | frames | image px | KMC stage | ${stages.map((k) => `${k} (s)`).join(' | ')} |\n|${'---|'.repeat(4 + stages.length)}\n${rows.join('\n')}\n\n`);
    process.stdout.write(`Ratio default / tiny: ${stages.map((k) => `${k} ×${((b[k] ?? 0) / Math.max(1e-9, a[k] ?? 0)).toFixed(1)}`).join(', ')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
