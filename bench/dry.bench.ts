/**
 * `cathode-twin dry` cost (issue 13): a map of 12 hold temperatures (80–300 °C) × 3 oven atmospheres
 * (100 Pa air vacuum oven, Ar glovebox at 1 ppm O2, 5 % H2 in Ar at a −40 °C dew point) × 32 prior
 * draws over 12 h, on the shipped recipe's lamella (scenarios/dry-ncm851005.yaml), with 2 workers.
 * Goal: ≤ 15 min on 2 cores.
 *
 * Baseline, same run: the same question answered one cell at a time (one forward run per hold time,
 * each programme ending at that time: what `run` with an isothermal scenario needs per point), on a
 * subset (the hottest row, 300 °C × 3 atmospheres × 1 draw × the 6 hold times), against `dry`'s one
 * trajectory per row on the same subset. Both measured as CPU seconds of this process and its workers.
 *
 * `npm run bench -- dry`; DRY_BENCH_DRAWS=4 runs 1/8 of the draws (every temperature and atmosphere) and
 * extrapolates linearly (draws are independent trajectories); DRY_BENCH_WORKERS (default 2).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { dryParameterTable, dryRecipeFromObject, readDryRecipe, runDry, runTrajectory, type DryRecipe } from '../src/twin/dry/index.js';
import { priorDraws } from '../src/twin/dry/draws.js';

const ATMOSPHERES = [
  { name: 'vacuum-oven-100Pa-air', gas: 'air', pressure: '100 Pa', muOOffset: '0 eV' },
  { name: 'Ar-glovebox-1ppm-O2', gas: 'Ar', pressure: '1 atm', oxygenFraction: '1 ppm', muOOffset: '0 eV' },
  { name: '5pct-H2-in-Ar', gas: 'H2/Ar', pressure: '1 atm', hydrogenFraction: '5 %', dewPoint: '-40 degC', muOOffset: '0 eV' },
];

function recipe(temperatures: string[], draws: number, times?: string[]): DryRecipe {
  const { raw } = readDryRecipe('dry-ncm851005');
  const d = raw.drying as Record<string, unknown>;
  d.temperatures = temperatures;
  d.atmospheres = ATMOSPHERES;
  if (times) d.times = times;
  d.uncertainty = { ...(d.uncertainty as object), draws };
  return dryRecipeFromObject({ ...raw, name: 'dry-bench' });
}

/** CPU seconds of this process (its worker threads included). */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

export async function main(): Promise<void> {
  const workers = Number(process.env.DRY_BENCH_WORKERS ?? 2);
  const draws = Number(process.env.DRY_BENCH_DRAWS ?? 32);
  const temps = Array.from({ length: 12 }, (_, i) => `${80 + 20 * i} degC`);
  const dir = mkdtempSync(join(tmpdir(), 'dry-bench-'));
  const load0 = loadavg()[0]!;
  try {
    // Baseline vs dry on the subset: the hottest row, one draw.
    const sub = recipe(['300 degC'], 1);
    const subDraws = priorDraws(dryParameterTable().space(), 1, sub.seed, sub.poreRadius);
    let c0 = cpu();
    for (let a = 0; a < sub.atmospheres.length; a++) for (const d of subDraws.draws) await runTrajectory(sub, { atmosphere: a, temperature: 0, draw: d.index }, d, -1.05, 'bench');
    const dryCpu = cpu() - c0;
    c0 = cpu();
    for (const time of sub.times_s) {
      const one = recipe(['300 degC'], 1, [`${time} s`]);
      for (let a = 0; a < one.atmospheres.length; a++) for (const d of subDraws.draws) await runTrajectory(one, { atmosphere: a, temperature: 0, draw: d.index }, d, -1.05, 'bench');
    }
    const cellCpu = cpu() - c0;

    // The map.
    const r = recipe(temps, draws);
    const t0 = performance.now();
    c0 = cpu();
    const out = await runDry(r, { outDir: join(dir, 'map'), table: dryParameterTable(), workers, quiet: true });
    const wall = (performance.now() - t0) / 1000;
    const mapCpu = cpu() - c0;
    const load1 = loadavg()[0]!;
    process.stdout.write(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}; load average ${load0.toFixed(1)} → ${load1.toFixed(1)} (1 min)\n\n`);
    process.stdout.write(`| job | trajectories | events (median per trajectory) | wall | CPU (all threads) | CPU per trajectory |\n|---|---|---|---|---|---|\n`);
    const ev = out.map!.rows.map((row) => row.events.median).sort((a, b) => a - b);
    process.stdout.write(`| map: ${temps.length} T × ${r.atmospheres.length} atmospheres × ${draws} draws × ${r.times_s.length} hold times to ${r.times_s.at(-1)! / 3600} h, ${workers} workers | ${out.total} | ${Math.round(ev[Math.floor(ev.length / 2)] ?? 0)} | ${(wall / 60).toFixed(1)} min | ${(mapCpu / 60).toFixed(1)} min | ${(mapCpu / out.total).toFixed(1)} s |\n\n`);
    process.stdout.write(`Subset (300 °C × 3 atmospheres × 1 draw): one trajectory per row (dry) ${dryCpu.toFixed(1)} CPU-s; one forward run per hold time (baseline) ${cellCpu.toFixed(1)} CPU-s: ×${(cellCpu / dryCpu).toFixed(2)}.\n`);
    if (draws === 32) process.stdout.write(`Goal ≤ 15 min wall on 2 cores: ${wall <= 900 ? 'met' : 'not met'} (${(wall / 60).toFixed(1)} min).\n`);
    else process.stdout.write(`Extrapolated to 32 draws (× ${32 / draws}): ${((mapCpu * 32) / draws / 60).toFixed(1)} CPU-min, i.e. ≥ ${((mapCpu * 32) / draws / 60 / 2).toFixed(1)} min wall on 2 free cores (goal ≤ 15 min).\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
