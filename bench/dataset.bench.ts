/**
 * Throughput of `cathode-twin dataset` (samples/s) on 1 vs 2 (or DATASET_BENCH_WORKERS="1,2,4") worker threads, in
 * the same run. Each run starts with an empty calibration cache (every worker calibrates its column cross-sections
 * once, by multislice); the steady-state rate is measured from the moment each worker has finished its first sample.
 * Config: 64 px at 0.25 Å, zone [210], 30 Å thick, defocus 0 (one calibration set). DATASET_BENCH_COUNT samples per run
 * (default 12). `npm run bench -- dataset`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearCalibrationCache } from '../src/multislice/index.js';
import { DEFAULT_DATASET_CONFIG, type DatasetConfig, generateDataset } from '../src/twin/dataset/index.js';

export async function main(): Promise<void> {
  const count = Number(process.env.DATASET_BENCH_COUNT ?? 12);
  const workerList = (process.env.DATASET_BENCH_WORKERS ?? '1,2').split(',').map(Number);
  const config: DatasetConfig = { ...DEFAULT_DATASET_CONFIG, zones: ['210'], thicknesses_A: [30], defoci_A: [0] };
  const rows: string[] = [];
  const rates: number[] = [];
  for (const workers of workerList) {
    clearCalibrationCache();
    const dir = mkdtempSync(join(tmpdir(), 'dataset-bench-'));
    try {
      const stamps: number[] = [];
      const t0 = performance.now();
      await generateDataset({ out: dir, count, seed: 1, config, workers, resume: false, onSample: (d) => { if (d > 0) stamps.push(performance.now()); } });
      const total = (performance.now() - t0) / 1e3;
      const warm = Math.min(workers, count) - 1;
      const steady = stamps.length - 1 > warm ? (stamps.length - 1 - warm) / ((stamps[stamps.length - 1]! - stamps[warm]!) / 1e3) : NaN;
      rates.push(steady);
      rows.push(`| ${workers} | ${count} | ${total.toFixed(1)} | ${((stamps[warm]! - t0) / 1e3).toFixed(1)} | ${(count / total).toFixed(2)} | ${steady.toFixed(2)} |`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  process.stdout.write(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}; ${config.size_px} px at ${config.pixel_A} Å, zone [210], 30 Å, incoherent mode\n\n`);
  process.stdout.write('| workers | samples | wall (s) | first sample per worker incl. calibration (s) | samples/s overall | samples/s steady |\n|---|---|---|---|---|---|\n');
  process.stdout.write(rows.join('\n') + '\n\n');
  process.stdout.write(`Steady-state speed-up vs 1 worker: ${rates.map((r, i) => `${workerList[i]} workers ×${(r / rates[0]!).toFixed(2)}`).join(', ')}\n`);
}
