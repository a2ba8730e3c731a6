/**
 * `npm run bench -- kmc`: KMC throughput of the vacancy-fcc benchmark (SPPARKS's vacancy-hop model,
 * issue 4) at 1e4 … 1e7 sites with the default block selector, against a baseline measured in the
 * same run (the plain per-slot sum tree, SPPARKS `solve tree` style) and against the published
 * SPPARKS anchor; then the seed NCM model. Events/s are given per wall second and per CPU second
 * (the machine is shared: CPU seconds are the fairer figure). Env: KMC_BENCH_MAX_SITES (default
 * 1e7), KMC_BENCH_EVENTS (default 1e6), KMC_BENCH_SEED_SITES (default "1e4,1e5").
 */
import { SPPARKS_ANCHOR, measureKmc, type KmcBenchResult } from '../src/kinetics/index.js';

const k = (x: number) => `${(x / 1e3).toFixed(0)}k`;

export async function main(): Promise<void> {
  const maxSites = Number(process.env.KMC_BENCH_MAX_SITES ?? 1e7);
  const events = Number(process.env.KMC_BENCH_EVENTS ?? 1e6);
  const seedSites = (process.env.KMC_BENCH_SEED_SITES ?? '1e4,1e5').split(',').map(Number).filter((x) => x > 0);
  process.stdout.write(`Node ${process.version}, ${events} timed events per row (after a 5 % warm-up), T = 10 (reduced), 1 % vacancies.\n\n`);
  process.stdout.write('| sites | events/s (wall) | events/CPU-s | bytes/site | baseline: per-slot tree, events/CPU-s | ratio block/tree | SPPARKS tree | SPPARKS CR | ratio (CPU-s) vs SPPARKS CR |\n');
  process.stdout.write('|---|---|---|---|---|---|---|---|---|\n');
  for (let i = 0; i < SPPARKS_ANCHOR.sites.length; i++) {
    const n = SPPARKS_ANCHOR.sites[i]!;
    if (n > maxSites) {
      process.stdout.write(`| ${n} | skipped (KMC_BENCH_MAX_SITES) | | | | | | | |\n`);
      continue;
    }
    const ev = n >= 1e7 ? Math.round(events / 2) : events;
    const r: KmcBenchResult = await measureKmc({ model: 'vacancy-fcc', sites: n, events: ev });
    const b: KmcBenchResult = await measureKmc({ model: 'vacancy-fcc', sites: n, events: Math.round(ev / 2), selector: 'tree' });
    const cr = SPPARKS_ANCHOR.compositionRejection_eventsPerS[i]!;
    process.stdout.write(
      `| ${r.sites} | ${k(r.eventsPerSecond)} | ${k(r.eventsPerCpuSecond)} | ${r.bytesPerSite.toFixed(1)} | ${k(b.eventsPerCpuSecond)} | ${(r.eventsPerCpuSecond / b.eventsPerCpuSecond).toFixed(2)} | ` +
        `${k(SPPARKS_ANCHOR.tree_eventsPerS[i]!)} | ${k(cr)} | ${(r.eventsPerCpuSecond / cr).toFixed(2)} |\n`,
    );
  }
  process.stdout.write(`\nSPPARKS anchor: ~${SPPARKS_ANCHOR.bytesPerSite} bytes/site from 1e6 sites up.\n\n`);
  process.stdout.write('Seed NCM851005 model (src/kinetics/ncm), periodic box with a nanopore and an APB (createSeedBenchModel), hold 175 °C, 1.2e-5 Pa:\n\n');
  process.stdout.write('| sites | slots | events | events/s (wall) | events/CPU-s | bytes/site |\n|---|---|---|---|---|---|\n');
  for (const n of seedSites) {
    try {
      const r = await measureKmc({ model: 'seed', sites: n, events: Math.max(2000, Math.round(events / 50)) });
      process.stdout.write(`| ${r.sites} | ${r.slots} | ${r.events} | ${k(r.eventsPerSecond)} | ${k(r.eventsPerCpuSecond)} | ${r.bytesPerSite.toFixed(1)} |\n`);
    } catch (e) {
      process.stdout.write(`| ${n} | — | — | failed: ${(e as Error).message.split('\n')[0]} | | |\n`);
    }
  }
}
