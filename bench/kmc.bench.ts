/**
 * `npm run bench -- kmc`: KMC throughput of the vacancy-fcc benchmark (SPPARKS's vacancy-hop model,
 * issue 4) at 1e4 … 1e7 sites with the default block selector, against a baseline measured in the
 * same run (the plain per-slot sum tree, SPPARKS `solve tree` style) and against the published
 * SPPARKS anchor; then the seed NCM model. Events/s are given per wall second and per CPU second
 * (the machine is shared: CPU seconds are the fairer figure). Env: KMC_BENCH_MAX_SITES (default
 * 1e7), KMC_BENCH_EVENTS (default 1e6), KMC_BENCH_SEED_SITES (default "1e4,1e5"),
 * KMC_BENCH_PROTOCOL: lamella sizes "W×H×T" in nm (e.g. "6x5x4,8x6x6"; default none, each takes minutes)
 * for the whole seed protocol (25 → 500 °C) on the seed scenario's lamella, with the rock-salt exchange
 * cap on (default) and off (baseline, same run).
 */
import { DEFAULT_NCM_PARAMS, SPPARKS_ANCHOR, measureKmc, type KmcBenchResult } from '../src/kinetics/index.js';
import { loadScenario, simulateScenario } from '../src/twin/index.js';

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
  const sizes = (process.env.KMC_BENCH_PROTOCOL ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  if (sizes.length > 0) {
    process.stdout.write('\nSeed protocol 25 → 500 °C (0.1 °C/s, 15 °C steps, 5 min holds, 1.2e-5 Pa) on the seed lamella (pore 1.6 nm, aspect 1.3, depth 0.6, APB (1 -2 0), periodic), seed 1:\n\n');
    process.stdout.write('| lamella (nm) | sites | rock-salt cap | events | in-plane exchanges | CPU-s | events/CPU-s | rim / APB-zone onset (°C) |\n|---|---|---|---|---|---|---|---|\n');
    const seedScenario = loadScenario('seed-insitu-heating');
    for (const size of sizes) {
      const [w, h, t] = size.split('x').map((x) => Number(x) * 10) as [number, number, number];
      // The seed scenario's lamella at this size, through the one forward model (seed 1).
      const scenario = { ...seedScenario, structure: { ...seedScenario.structure, width_A: w, height_A: h, thickness_A: t } };
      for (const cap of [DEFAULT_NCM_PARAMS.rockSaltExchangeCap_Hz, DEFAULT_NCM_PARAMS.fastRateCap_Hz]) {
        const c0 = process.cpuUsage();
        const tr = await simulateScenario(scenario, { seed: 1, replicates: 1, keepSpecies: false, params: { rockSaltExchangeCap: cap } });
        const cu = process.cpuUsage(c0);
        const cpu = (cu.user + cu.system) / 1e6;
        const on = (stage: string) => tr.onsets.find((o) => o.stage === stage)?.onset_C?.toFixed(0) ?? '—';
        const lattice = tr.lamella.lattice;
        const ev = tr.events.total;
        const apb = tr.events.byKind.apbMigration;
        process.stdout.write(`| ${size} | ${lattice.n} | ${cap} Hz | ${ev} | ${apb} | ${cpu.toFixed(1)} | ${k(ev / cpu)} | ${on('liSiteRim')} / ${on('liSiteApb')} |\n`);
      }
    }
  }
}
