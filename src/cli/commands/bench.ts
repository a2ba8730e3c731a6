/**
 * `cathode-twin bench kmc --model seed|vacancy-fcc --sites N --events M [--json]`: KMC throughput
 * (events per second of wall time) and memory (typed-array bytes per site), side by side with the
 * SPPARKS anchor of issue 4. `npm run bench -- kmc` runs the full size sweep.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { checkSeed, checkWorkers, withCommon, withMicroscope } from '../options.js';
import { InputError } from '../../core/index.js';
import { SPPARKS_ANCHOR, measureKmc, type BenchModelName } from '../../kinetics/index.js';

interface BenchArgs {
  area: string;
  model: string;
  sites: number;
  events: number;
  seed: number;
  json: boolean;
}

function anchorAt(sites: number): { tree: number; cr: number } | undefined {
  const k = SPPARKS_ANCHOR.sites.findIndex((s) => Math.abs(Math.log10(sites / s)) < 0.25);
  return k < 0 ? undefined : { tree: SPPARKS_ANCHOR.tree_eventsPerS[k]!, cr: SPPARKS_ANCHOR.compositionRejection_eventsPerS[k]! };
}

const command: CommandModule<object, BenchArgs> = {
  command: 'bench <area>',
  describe: 'Measure throughput: kmc (events/s and bytes/site of a KMC model, vs the SPPARKS anchor)',
  builder: (y: Argv) =>
    withCommon(y, { seed: { default: 1 }, json: {} })
      .positional('area', { type: 'string', choices: ['kmc'], describe: 'what to measure' })
      .option('model', { type: 'string', default: 'vacancy-fcc', choices: ['vacancy-fcc', 'seed'], describe: 'vacancy-fcc (SPPARKS vacancy-hop benchmark, T = 10 reduced) or seed (NCM851005 event model, 175 °C)' })
      .option('sites', { type: 'number', default: 1e5, describe: 'lattice sites (rounded to the nearest whole box)' })
      .option('events', { type: 'number', default: 2e5, describe: 'events to time (after a warm-up of 5 %)' }) as unknown as Argv<BenchArgs>,
  handler: async (a: ArgumentsCamelCase<BenchArgs>) => {
    if (a.area !== 'kmc') throw new InputError('area', a.area, '"kmc"');
    // --sites is checked by measureKmc (range by model; the NCM model against the memory available)
    if (!Number.isInteger(a.events) || a.events < 1) throw new InputError('--events', a.events, 'an integer ≥ 1');
    checkSeed(a.seed);
    const r = await measureKmc({ model: a.model as BenchModelName, sites: a.sites, events: a.events, seed: a.seed });
    const anchor = a.model === 'vacancy-fcc' ? anchorAt(r.sites) : undefined;
    const out = {
      ...r,
      ...(anchor ? { spparks_tree_eventsPerSecond: anchor.tree, spparks_cr_eventsPerSecond: anchor.cr, spparks_bytesPerSite: SPPARKS_ANCHOR.bytesPerSite } : {}),
    };
    if (a.json) {
      process.stdout.write(`${JSON.stringify(out)}\n`);
      return;
    }
    const k = (x: number) => `${(x / 1e3).toFixed(0)}k`;
    process.stdout.write(
      `${r.model}: ${r.sites} sites, ${r.slots} slots: ${k(r.eventsPerSecond)} events/s (${r.events} events in ${r.wall_s.toFixed(2)} s wall; ${k(r.eventsPerCpuSecond)} per CPU-second), ` +
        `${r.bytesPerSite.toFixed(1)} bytes/site, setup ${r.setup_s.toFixed(2)} s` +
        (anchor ? `\n  SPPARKS anchor at this size: tree ${k(anchor.tree)}/s, composition–rejection ${k(anchor.cr)}/s, ~${SPPARKS_ANCHOR.bytesPerSite} bytes/site` : '') +
        '\n',
    );
  },
};

export default command;
