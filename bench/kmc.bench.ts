/**
 * `npm run bench -- kmc`: KMC throughput.
 *
 * 1. vacancy-fcc (SPPARKS's vacancy-hop model, issue 4) at 1e4 … 1e7 sites with the default block
 *    selector, against a baseline in the same run (the plain per-slot sum tree) and the published
 *    SPPARKS anchor.
 * 2. NCM851005 (issue 10), against the code of the anchor revision (`KMC_BENCH_BASELINE`, default
 *    e00e739) checked out as a temporary git worktree and timed the same way in the same run, one
 *    child process per measurement (bench/kmc-ncm.ts):
 *    - hold at 175 °C on the seed box (pore + APB) at 1e4 … 1e7 sites: events/s, bytes/site;
 *    - the whole seed protocol (25 → 500 °C) on periodic lamellae with the seed scenario's pore and
 *      APB scaled with the width: 4.5 nm, the default 8 × 6 × 6 nm, 9.5 nm and the seed's 20 nm field
 *      of view (~1e4, 3e4, 1e5, 1e6 sites): events, wall and CPU time, peak memory, onsets;
 *    - replicas: two seeds one after the other vs on two processes at once (wall ratio, same bytes);
 *    - `cathode-twin run` (default scenario): the KMC stage time.
 * Events/s are per wall second and per CPU second (on a shared machine the CPU figure is the fairer
 * one; the load average is printed). Environment (all optional):
 *   KMC_BENCH            'all' (default), 'vacancy' or 'ncm'
 *   KMC_BENCH_MAX_SITES  vacancy-fcc size limit (default 1e7); KMC_BENCH_EVENTS its timed events (1e6)
 *   KMC_BENCH_BASELINE   git revision of the NCM baseline (default e00e739; 'none' to skip)
 *   KMC_BENCH_NCM_SITES  hold sizes (default "1e4,1e5,1e6,1e7"); KMC_BENCH_NCM_EVENTS timed events (2e5; baseline a tenth)
 *   KMC_BENCH_NCM_BASELINE_MAX_SITES  largest hold size the baseline runs (default 1e6: 356 B/site)
 *   KMC_BENCH_NCM_PROTOCOL protocol lamellae, nm: a cube edge, "WxHxT" or "default" (default "4.5,default,9.5,20")
 *   KMC_BENCH_NCM_PROTOCOL_BASELINE_MAX_SITES largest protocol lamella the baseline runs (default 4e4: ~2 min there)
 *   KMC_BENCH_NCM_REPLICAS replicas for the 2-process row (default 2; 0 skips); KMC_BENCH_NCM_RUN=0 skips the run row
 *   KMC_BENCH_NCM_TIMEOUT_S per-measurement limit (default 3600)
 */
import { loadavg } from 'node:os';
import { DEFAULT_NCM_PARAMS, SPPARKS_ANCHOR, measureKmc, type KmcBenchResult } from '../src/kinetics/index.js';
import { lamellaSiteCount } from '../src/lattice/index.js';
import { ROOT, baselineTree, runNcmJob, scaledLamellaOptions, type NcmJobResult } from './kmc-ncm.js';

const k = (x: number) => `${(x / 1e3).toFixed(0)}k`;
const out = (s: string) => process.stdout.write(s);
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
const env = (name: string, dflt: string) => process.env[name] ?? dflt;

async function vacancySection(): Promise<void> {
  const maxSites = Number(env('KMC_BENCH_MAX_SITES', '1e7'));
  const events = Number(env('KMC_BENCH_EVENTS', '1e6'));
  out(`### vacancy-fcc\n\nNode ${process.version}, ${events} timed events per row (after a 5 % warm-up), T = 10 (reduced), 1 % vacancies; load average ${load()}.\n\n`);
  out('| sites | events/s (wall) | events/CPU-s | bytes/site | baseline: per-slot tree, events/CPU-s | ratio block/tree | SPPARKS tree | SPPARKS CR | ratio (CPU-s) vs SPPARKS CR |\n');
  out('|---|---|---|---|---|---|---|---|---|\n');
  for (let i = 0; i < SPPARKS_ANCHOR.sites.length; i++) {
    const n = SPPARKS_ANCHOR.sites[i]!;
    if (n > maxSites) {
      out(`| ${n} | skipped (KMC_BENCH_MAX_SITES) | | | | | | | |\n`);
      continue;
    }
    const ev = n >= 1e7 ? Math.round(events / 2) : events;
    const r: KmcBenchResult = await measureKmc({ model: 'vacancy-fcc', sites: n, events: ev });
    const b: KmcBenchResult = await measureKmc({ model: 'vacancy-fcc', sites: n, events: Math.round(ev / 2), selector: 'tree' });
    const cr = SPPARKS_ANCHOR.compositionRejection_eventsPerS[i]!;
    out(
      `| ${r.sites} | ${k(r.eventsPerSecond)} | ${k(r.eventsPerCpuSecond)} | ${r.bytesPerSite.toFixed(1)} | ${k(b.eventsPerCpuSecond)} | ${(r.eventsPerCpuSecond / b.eventsPerCpuSecond).toFixed(2)} | ` +
        `${k(SPPARKS_ANCHOR.tree_eventsPerS[i]!)} | ${k(cr)} | ${(r.eventsPerCpuSecond / cr).toFixed(2)} |\n`,
    );
  }
  out(`\nSPPARKS anchor: ~${SPPARKS_ANCHOR.bytesPerSite} bytes/site from 1e6 sites up.\n\n`);
}

/** Lamella sizes of KMC_BENCH_NCM_PROTOCOL: "default" = the seed scenario's 8 × 6 × 6 nm; a number = a cube. */
function protocolSizes(): { label: string; size: [number, number, number] }[] {
  return env('KMC_BENCH_NCM_PROTOCOL', '4.5,default,9.5,20').split(',').map((x) => x.trim()).filter(Boolean).map((x) => {
    if (x === 'default') return { label: '8×6×6 (default)', size: [8, 6, 6] as [number, number, number] };
    const p = x.split('x').map(Number);
    const size = (p.length === 3 ? p : [p[0], p[0], p[0]]) as [number, number, number];
    return { label: size.join('×'), size };
  });
}

const fmtS = (x: number | undefined) => (x === undefined ? '—' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const fail = (r: NcmJobResult) => `failed: ${r.error ?? '?'}`;

async function ncmSection(): Promise<void> {
  const timeout = Number(env('KMC_BENCH_NCM_TIMEOUT_S', '3600'));
  const rev = env('KMC_BENCH_BASELINE', 'e00e739');
  const base = rev === 'none' ? 'skipped (KMC_BENCH_BASELINE=none)' : baselineTree(rev);
  const baseRoot = typeof base === 'string' ? null : base.root;
  out(`### NCM851005 kinetics\n\nThis checkout vs baseline ${rev} (${typeof base === 'string' ? base : 'git worktree, same run'}); one child process per row; load average at start ${load()}.\n\n`);
  try {
    // 1. hold at 175 °C
    const events = Number(env('KMC_BENCH_NCM_EVENTS', '2e5'));
    const baseMax = Number(env('KMC_BENCH_NCM_BASELINE_MAX_SITES', '1e6'));
    out('Hold at 175 °C, 1.2e-5 Pa, seed box (periodic, pore radius ¼ of the edge, APB at its edge), `measureKmc({ model: \'seed\' })`:\n\n');
    out('| sites | events/s (wall) | events/CPU-s | bytes/site | baseline events/CPU-s | baseline bytes/site | ratio (CPU-s) | load |\n|---|---|---|---|---|---|---|---|\n');
    for (const n of env('KMC_BENCH_NCM_SITES', '1e4,1e5,1e6,1e7').split(',').map(Number).filter((x) => x > 0)) {
      const r = await runNcmJob(ROOT, { kind: 'hold', sites: n, events }, timeout);
      const b = baseRoot && n <= baseMax ? await runNcmJob(baseRoot, { kind: 'hold', sites: n, events: Math.round(events / 10) }, timeout) : null;
      const cells = r.ok ? `${r.sites} | ${k(r.eventsPerSecond!)} | ${k(r.eventsPerCpuSecond!)} | ${r.bytesPerSite!.toFixed(1)}` : `${n} | ${fail(r)} | | `;
      const bc = b === null ? '— | —' : b.ok ? `${k(b.eventsPerCpuSecond!)} | ${b.bytesPerSite!.toFixed(1)}` : `${fail(b)} |`;
      const ratio = r.ok && b?.ok ? (r.eventsPerCpuSecond! / b.eventsPerCpuSecond!).toFixed(1) : '—';
      out(`| ${cells} | ${bc} | ${ratio} | ${load()} |\n`);
    }

    // 2. whole protocol
    const baseProtoMax = Number(env('KMC_BENCH_NCM_PROTOCOL_BASELINE_MAX_SITES', '4e4'));
    out('\nWhole seed protocol 25 → 500 °C (0.1 °C/s, 15 °C steps, 5 min holds, 1.2e-5 Pa), periodic lamella, the seed scenario\'s pore and APB scaled with the width, seed 1 (peak RSS: the whole child process):\n\n');
    out('| lamella (nm) | sites | code | events | wall (s) | CPU (s) | events/s (wall) | events/CPU-s | peak RSS B/site | onsets rim / APB / bulk (°C) | final species | load |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n');
    let defaultHash: string | undefined;
    for (const { label, size } of protocolSizes()) {
      const o = scaledLamellaOptions(size);
      const sites = lamellaSiteCount({ size_A: o.size_A, thickness_A: o.thickness_A });
      const roots: [string, string][] = [['this', ROOT]];
      if (baseRoot && sites <= baseProtoMax) roots.push([rev, baseRoot]);
      for (const [name, root] of roots) {
        const r = await runNcmJob(root, { kind: 'protocol', size_nm: size, seed: 1 }, timeout);
        if (!r.ok) {
          out(`| ${label} | ${sites} | ${name} | ${fail(r)} | | | | | | | | ${load()} |\n`);
          continue;
        }
        if (name === 'this' && label.includes('default')) defaultHash = r.speciesHash;
        const on = r.onsets_C!;
        out(`| ${label} | ${r.sites} | ${name} | ${r.events} | ${fmtS(r.wall_s)} | ${fmtS(r.cpu_s)} | ${k(r.eventsPerSecond!)} | ${k(r.eventsPerCpuSecond!)} | ${r.maxRssPerSite!.toFixed(0)} | ${on.rim ?? '—'} / ${on.apb ?? '—'} / ${on.bulk ?? '—'} | ${r.speciesHash} | ${load()} |\n`);
      }
    }

    // 3. replicas on two processes
    const R = Number(env('KMC_BENCH_NCM_REPLICAS', '2'));
    if (R > 0) {
      const job = (seed: number) => ({ kind: 'protocol' as const, size_nm: [8, 6, 6] as const, seed });
      const seeds = Array.from({ length: R }, (_, i) => i + 1);
      const t0 = performance.now();
      const serial: NcmJobResult[] = [];
      for (const s of seeds) serial.push(await runNcmJob(ROOT, job(s), timeout));
      const tSerial = (performance.now() - t0) / 1000;
      const t1 = performance.now();
      const parallel: NcmJobResult[] = [];
      for (let i = 0; i < R; i += 2) parallel.push(...(await Promise.all(seeds.slice(i, i + 2).map((s) => runNcmJob(ROOT, job(s), timeout)))));
      const tPar = (performance.now() - t1) / 1000;
      const same = serial.every((r, i) => r.ok && r.speciesHash === parallel[i]!.speciesHash);
      out(`\nReplicas: ${R} seeds of the default lamella's protocol, one process after the other ${fmtS(tSerial)} s, two processes at once ${fmtS(tPar)} s wall: ${(tSerial / tPar).toFixed(2)}× (ideal 2×); final species ${same ? 'identical' : 'DIFFERENT'} serial vs parallel${defaultHash && serial[0]?.speciesHash === defaultHash ? ', and equal to the table row above' : ''}; load ${load()}.\n`);
    }

    // 4. the main run's KMC stage
    if (env('KMC_BENCH_NCM_RUN', '1') !== '0') {
      out('\n`cathode-twin run` (default seed scenario), KMC stage (its summary\'s timings_s.kmc, wall):\n\n| code | KMC stage (s) | load |\n|---|---|---|\n');
      for (const [name, root] of [['this', ROOT], ...(baseRoot ? [[rev, baseRoot]] : [])] as [string, string][]) {
        const r = await runNcmJob(root, { kind: 'run' }, timeout);
        out(r.ok ? `| ${name} | ${fmtS(r.kmcStage_s)} | ${load()} |\n` : `| ${name} | ${fail(r)} | |\n`);
      }
    }
    out(`\nDefault parameters throughout (rock-salt exchange cap ${DEFAULT_NCM_PARAMS.rockSaltExchangeCap_Hz} Hz, fast cap ${DEFAULT_NCM_PARAMS.fastRateCap_Hz} Hz). Load average at end ${load()}.\n\n`);
  } finally {
    if (typeof base !== 'string') base.dispose();
  }
}

export async function main(): Promise<void> {
  const which = env('KMC_BENCH', 'all');
  if (which === 'all' || which === 'vacancy') await vacancySection();
  if (which === 'all' || which === 'ncm') await ncmSection();
}
