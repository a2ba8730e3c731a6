/**
 * `npm run bench -- forward`: the forward model `simulateScenario`.
 * 1. Replicas (issue 9): on the CI-size seed lamella (4.8 × 4.8 nm, 2.8 nm deep, pore r = 1.2 nm; the
 *    seed acceptance test's), the rim onset (liSiteRim) over FORWARD_SEEDS seeds (default 8) with one
 *    replica against FORWARD_REPLICAS (default 4) pooled: mean, sample SD and range of the onset.
 * 2. Repeated calls (what a fit does): wall time of the first call and of later calls on the tiny
 *    scenario with a parameter override each time (the lamella is cached).
 * Env: FORWARD_SEEDS, FORWARD_REPLICAS, FORWARD_WORKERS (default 1), FORWARD_END (default "220 degC").
 */
import { cpus, loadavg } from 'node:os';
import { loadScenario, simulateScenario } from '../src/twin/index.js';
import { ciSeedScenario } from '../test/twin/scenarios.js';

const stats = (xs: (number | null)[]) => {
  const v = xs.filter((x): x is number => x !== null);
  const m = v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
  const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)) : 0;
  return { n: v.length, missing: xs.length - v.length, mean: m, sd, min: Math.min(...v), max: Math.max(...v) };
};

export async function main(): Promise<void> {
  const seeds = Number(process.env.FORWARD_SEEDS ?? 8);
  const R = Number(process.env.FORWARD_REPLICAS ?? 4);
  const workers = Number(process.env.FORWARD_WORKERS ?? 1);
  const s = ciSeedScenario(process.env.FORWARD_END ?? '220 degC');
  process.stdout.write(`load ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} CPUs\n\n`);
  process.stdout.write(`Rim onset (liSiteRim, °C) on the CI-size seed lamella over ${seeds} seeds:\n\n| replicas pooled | onsets (°C) | mean | SD | range | wall (s) |\n|---|---|---|---|---|---|\n`);
  for (const n of [1, R]) {
    const t0 = performance.now();
    const on: (number | null)[] = [];
    for (let k = 0; k < seeds; k++) {
      const r = await simulateScenario(s, { seed: 1000 + k, replicates: n, workers, keepSpecies: false });
      on.push(r.onsets.find((o) => o.stage === 'liSiteRim')!.onset_C);
    }
    const st = stats(on);
    process.stdout.write(`| ${n} | ${on.map((x) => x ?? '—').join(', ')} | ${st.mean.toFixed(1)} | ${st.sd.toFixed(1)} | ${st.min}–${st.max}${st.missing ? ` (${st.missing} not reached)` : ''} | ${((performance.now() - t0) / 1000).toFixed(1)} |\n`);
  }
  const tiny = loadScenario('tiny');
  const times: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    await simulateScenario(tiny, { params: { o2Release: 1.4 + 0.02 * k }, keepSpecies: false });
    times.push((performance.now() - t0) / 1000);
  }
  process.stdout.write(`\nRepeated calls on the tiny scenario (a parameter override each): first ${times[0]!.toFixed(2)} s, then ${times.slice(1).map((t) => t.toFixed(2)).join(', ')} s\n`);
}
