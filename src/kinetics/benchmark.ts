/**
 * KMC throughput measurement shared by `bench/kmc.bench.ts` and `cathode-twin bench kmc`:
 * events per second of wall time at a fixed temperature (BKL, no thinning rejections) and the
 * bytes per site held in typed arrays (model + engine + selector), for
 *  - `vacancy-fcc`: SPPARKS's vacancy-hop benchmark at reduced T = 10 (anchor: issue 4), and
 *  - `seed`: the NCM851005 event model (src/kinetics/ncm, `createSeedBenchModel`: a periodic box
 *    with a nanopore and an APB, 1.2e-5 Pa O2), held at its linearisation temperature (175 °C).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { InputError, Rng, Stream, checkFinite } from '../core/index.js';
import { KmcEngine } from './engine.js';
import { assertKmcFits } from './memory.js';
import type { KmcModel } from './model.js';
import { TemperatureProgram } from './program.js';
import { VacancyFccModel, vacancyFccCellsFor } from './vacancy-fcc.js';

/** Published anchor (issue 4): SPPARKS, C++ -O3 serial, 2-core machine; events/s by site count. */
export const SPPARKS_ANCHOR = {
  sites: [1e4, 1e5, 1e6, 1e7],
  tree_eventsPerS: [174e3, 120e3, 62e3, 48e3],
  compositionRejection_eventsPerS: [411e3, 248e3, 89e3, 64e3],
  bytesPerSite: 210,
} as const;

/** Which model a benchmark runs. */
export type BenchModelName = 'vacancy-fcc' | 'seed';

/** One measurement. */
export interface KmcBenchResult {
  model: BenchModelName;
  /** Sites actually built (the lattice rounds the request). */
  sites: number;
  /** Event slots. */
  slots: number;
  /** Timed events. */
  events: number;
  /** Wall time of the timed events, s. */
  wall_s: number;
  eventsPerSecond: number;
  /** CPU time (user + system) of this process during the timed events, s: robust on a shared machine. */
  cpu_s: number;
  /** events / cpu_s. */
  eventsPerCpuSecond: number;
  /**
   * Typed-array bytes per site of everything the run holds: the lattice view the model reads (NCM:
   * neighbour tables, flags, positions), the model and the engine with its selector. Exact where the
   * model reports `byteLength`, else the process's arrayBuffers growth over building and warming up.
   */
  bytesPerSite: number;
  /** Wall time to build the model and the first rate table, s. */
  setup_s: number;
  /** Simulated time covered by the timed events, s. */
  simulated_s: number;
}

/** Full garbage collections (with a turn of the event loop between, so that freed backing stores are released), so that arrayBuffers deltas measure live typed arrays only. */
async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let k = 0; k < 3; k++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
}

async function buildModel(name: BenchModelName, sites: number, seed: number): Promise<{ model: KmcModel; sites: number; temperature_K: number }> {
  if (name === 'vacancy-fcc') {
    const m = new VacancyFccModel({ cells: vacancyFccCellsFor(sites), seed });
    return { model: m, sites: m.nSites, temperature_K: m.temperatureFor_K(10) };
  }
  // The NCM model's own benchmark factory (src/kinetics/ncm/bench.ts), held at its linearisation T.
  const { createSeedBenchModel } = await import('./ncm/index.js');
  const model = createSeedBenchModel(sites, seed);
  return { model, sites: model.lattice.n, temperature_K: model.linearisationTemperature_K };
}

/**
 * Build `model` with ~`sites` sites, warm up, then time `events` events at fixed T.
 * @example await measureKmc({ model: 'vacancy-fcc', sites: 1e5, events: 2e5 })
 */
export async function measureKmc(o: { model: BenchModelName; sites: number; events: number; seed?: number; selector?: 'tree' | 'block'; rateClasses?: boolean }): Promise<KmcBenchResult> {
  if (o.model !== 'vacancy-fcc' && o.model !== 'seed') throw new InputError('--model', o.model, '"vacancy-fcc" or "seed"');
  checkFinite(o.sites, '--sites', o.model === 'seed' ? { min: 512 } : { min: 32, max: 2e8 });
  // the NCM model is refused before allocation when it would not fit in memory
  if (o.model === 'seed') assertKmcFits(o.sites, '--sites');
  checkFinite(o.events, '--events', { min: 1 });
  await collectGarbage();
  const before = process.memoryUsage().arrayBuffers;
  const t0 = performance.now();
  const { model, sites, temperature_K } = await buildModel(o.model, o.sites, o.seed ?? 1);
  const program = TemperatureProgram.hold({ temperature_K, duration_s: 1e300 });
  const engine = new KmcEngine(model, program, { rng: Rng.stream(o.seed ?? 1, Stream.KMC_BENCHMARK), frames_s: [], ...(o.selector ? { selector: o.selector } : {}), ...(o.rateClasses === false ? { rateClasses: false } : {}) });
  const warm = Math.min(Math.max(1000, Math.round(o.events / 20)), 50_000);
  engine.run({ maxEvents: warm });
  const setup_s = (performance.now() - t0) / 1000;
  // exact typed-array accounting where the model reports it (plus the lattice view it reads); otherwise the arrayBuffers delta
  const own = (model as { byteLength?: number }).byteLength;
  if (own === undefined) await collectGarbage();
  const view = (model as { lattice?: object }).lattice;
  const viewBytes = view ? Object.values(view).reduce((a: number, v) => a + (ArrayBuffer.isView(v) ? v.byteLength : 0), 0) : 0;
  const bytes = own !== undefined ? own + engine.byteLength + viewBytes : process.memoryUsage().arrayBuffers - before;
  const tSim = engine.time_s;
  const c1 = process.cpuUsage();
  const t1 = performance.now();
  engine.run({ maxEvents: o.events });
  const wall_s = (performance.now() - t1) / 1000;
  const c2 = process.cpuUsage(c1);
  const cpu_s = (c2.user + c2.system) / 1e6;
  const events = engine.events - warm;
  return {
    model: o.model,
    sites,
    slots: model.slotCount,
    events,
    wall_s,
    eventsPerSecond: events / wall_s,
    cpu_s,
    eventsPerCpuSecond: events / cpu_s,
    bytesPerSite: bytes / sites,
    setup_s,
    simulated_s: engine.time_s - tSim,
  };
}
