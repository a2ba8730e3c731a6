/**
 * `cathode-twin analyse` speed: one 1024 × 1024 frame (0.09 Å/px, ≈ 92 Å square: an NCM851005 [210] lamella with a
 * pore and an APB, ≈ 5 000 column sites, imaged by the incoherent model and drawn at 5000 e/Å²) through analyseFrame,
 * with `compare` (compareSeries, metrics only: resampling, rotation check, registration, NCC/SSIM/χ², Li/M profile)
 * on the same frame as the baseline in the same run; then two such frames through analyseSeries on 1 and 2 workers.
 * Goal (issue 11): ≤ 3 s per 1024² frame on 2 cores. `npm run bench -- analyse`.
 */
import { execSync } from 'node:child_process';
import { cpus } from 'node:os';
import { analyseFrame, analyseSeries } from '../src/twin/analyse/index.js';
import { compareSeries } from '../src/twin/compare/index.js';
import type { FrameSeries } from '../src/twin/series/index.js';
import { idealFrame, makeSpecimen, noisy } from '../test/twin/analyse-fixture.js';

const cpu = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

export async function main(): Promise<void> {
  const load = (): string => { try { return execSync('uptime').toString().trim().replace(/.*load average: /, ''); } catch { return '?'; } };
  const N = Number(process.env.ANALYSE_BENCH_SIZE ?? 1024), px = 0.09, reps = Number(process.env.ANALYSE_BENCH_REPS ?? 3);
  const spec = await makeSpecimen({ size_A: [80, 64] });
  const frames = [0, 1].map((k) => noisy(idealFrame(spec, { px_A: px, W: N, H: N, theta: 0.12, drift_px: [0.5 * k, 0.3 * k] }), px, 5000, 20 + k));
  const cal = { pixelX_A: px, intensity: 'fraction' as const };
  // Baseline: compare of the frame with itself (sim = exp, no resampling): what main's compare did (resampling,
  // registration, NCC/SSIM/χ², Li/M profile) plus this branch's lattice rotation check, without the region analysis.
  const series = (f: Float32Array): FrameSeries => ({ frames: [f], width: N, height: N, pixelSize_A: px, meta: [{}], source: { files: ['bench'], format: 'tiff' } });
  const tb: number[] = [], cb: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now(), c = cpu();
    compareSeries(series(frames[0]!), series(frames[0]!), { normalisation: 'fraction', regions: false });
    tb.push((performance.now() - t) / 1e3); cb.push(cpu() - c);
  }
  const ta: number[] = [], ca: number[] = [];
  let cols = 0, timings: Record<string, number> = {};
  for (let r = 0; r < reps; r++) {
    const t = performance.now(), c = cpu();
    const a = analyseFrame({ data: frames[0]!, width: N, height: N }, cal, { zone: '210' });
    ta.push((performance.now() - t) / 1e3); ca.push(cpu() - c);
    cols = a.columns.n; timings = a.timings_ms;
  }
  const ts: Record<number, number> = {};
  for (const workers of [1, 2]) {
    const t = performance.now();
    await analyseSeries({ frames, width: N, height: N, meta: [{}, {}] }, cal, { zone: '210', workers });
    ts[workers] = (performance.now() - t) / 1e3 / frames.length;
  }
  process.stdout.write(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}; load average at the end: ${load()}\n\n`);
  process.stdout.write(`Frame: ${N}² px at ${px} Å, ${cols} column sites, 5000 e/Å², zone [210]; median of ${reps}.\n\n`);
  process.stdout.write('| step | wall (s) | CPU (s) |\n|---|---|---|\n');
  process.stdout.write(`| compare, metrics only (baseline: main's steps + this branch's rotation check) | ${median(tb).toFixed(2)} | ${median(cb).toFixed(2)} |\n`);
  process.stdout.write(`| analyseFrame | ${median(ta).toFixed(2)} | ${median(ca).toFixed(2)} |\n`);
  process.stdout.write(`| analyseSeries, 2 frames, per frame, 1 worker | ${ts[1]!.toFixed(2)} | |\n| analyseSeries, 2 frames, per frame, 2 workers | ${ts[2]!.toFixed(2)} | |\n\n`);
  process.stdout.write(`analyse / compare: ×${(median(ca) / median(cb)).toFixed(2)} (CPU). Stages of the last analyseFrame (ms): ${Object.entries(timings).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}\n`);
}
