/**
 * `cathode-twin kmc --scenario FILE --out DIR [--json] [--resume] [--seed N] [--quiet]`: the NCM
 * kinetics of a scenario alone. Writes, atomically, `DIR/frames/frame-NNNN.ncmf` (gzip species per
 * parent-lattice site) and `frame-NNNN.json` (time, temperature, observables) as the run goes, a
 * checkpoint `DIR/kmc.ckpt` every `--checkpoint-every` seconds of wall time, and at the end
 * `DIR/observables.csv` and `DIR/kmc-summary.json` (deterministic bytes: same seed → same files,
 * with or without a kill -9 and `--resume` in between). Progress: a bar on a TTY (simulated T, time,
 * events/s), a few log lines elsewhere; `--json` prints the summary (plus wall time) on stdout.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { checkSeed, checkWorkers, withCommon, withMicroscope } from '../options.js';
import { InputError, checkOutPath, createProgress, writeFileAtomicSync } from '../../core/index.js';
import { buildLamella, type Lamella } from '../../lattice/index.js';
import { TemperatureProgram, type ProgramPiece } from '../../kinetics/program.js';
import {
  DEFAULT_NCM_PARAMS, EVENT_NAMES, REGION_NAMES, encodeSpecies, fromSiteLattice, parseNcmOverrides, runKmc, tmOnLiOnset_K,
  type NcmFrame, type NcmLattice, type NcmParams, type OnsetFrame,
} from '../../kinetics/ncm/index.js';
import { loadScenario, type Scenario } from '../../twin/scenario/index.js';

/** Everything `runKmc` takes from a scenario. */
interface KmcInputs {
  readonly lamella: Lamella;
  readonly lattice: NcmLattice;
  readonly species: Uint8Array;
  readonly program: TemperatureProgram;
  readonly frames_s: number[];
  readonly params: NcmParams;
  readonly pO2_Pa: number;
}

/** The scenario's programme as an engine TemperatureProgram (piecewise linear or an expression). */
export function programFromScenario(s: Scenario): TemperatureProgram {
  const p = s.protocol;
  if (p.type === 'expression') {
    if (!p.expression) throw new InputError('protocol.expression', p.expression, 'an expression in t (s) giving T');
    return TemperatureProgram.expression({ expression: p.expression, unit: 'K', duration_s: p.duration_s }, 'protocol');
  }
  const pieces: ProgramPiece[] = p.segments
    .filter((g) => g.t1_s > g.t0_s)
    .map((g) => {
      const d = g.t1_s - g.t0_s;
      const hold = g.T0_K === g.T1_K;
      return {
        kind: hold ? 'hold' : 'ramp',
        duration_s: d,
        temperatureAt_K: (tau: number) => (hold ? g.T0_K : g.T0_K + ((g.T1_K - g.T0_K) * Math.min(Math.max(tau, 0), d)) / d),
        label: hold ? `hold ${g.T0_K} K for ${d} s` : `ramp ${g.T0_K} → ${g.T1_K} K`,
      } as ProgramPiece;
    });
  return new TemperatureProgram(pieces);
}

/** Build the lamella and all run inputs of a scenario. */
export function kmcInputsFromScenario(s: Scenario): KmcInputs {
  const st = s.structure;
  const pore = st.pore
    ? {
        radius_A: [st.pore.radius_A * Math.sqrt(st.pore.aspect), st.pore.radius_A / Math.sqrt(st.pore.aspect), (st.pore.depthFraction * st.thickness_A) / 2] as [number, number, number],
        shape: st.pore.shape,
      }
    : null;
  const lamella = buildLamella({
    composition: `Ni${st.composition.Ni}Co${st.composition.Co}Mn${st.composition.Mn}`,
    zone: st.zone,
    size_A: [st.width_A, st.height_A],
    thickness_A: st.thickness_A,
    pore,
    apb: st.apb ? (st.apb.position === 'pore-edge' ? { plane: st.apb.plane } : { plane: st.apb.plane, offset_A: 0 }) : null,
    mixing: st.niOnLi,
    liContent: st.lithium,
    seed: s.seed,
  });
  const k = s.kinetics;
  const overrides: Record<string, number> = { ...k.barriers_eV, nu_Hz: k.attemptFrequency_Hz };
  if (s.environment.muOOffset_eV !== undefined) overrides.muO_offset_eV = s.environment.muOOffset_eV;
  const params = parseNcmOverrides(overrides, DEFAULT_NCM_PARAMS, 'kinetics');
  if (s.environment.pO2_Pa === undefined) {
    throw new InputError('environment.pO2', s.environment.pH2O_Pa, 'an O2 pressure (the reducing-gas mode is not yet wired into the NCM kinetics)');
  }
  return {
    lamella,
    lattice: fromSiteLattice(lamella.lattice),
    species: Uint8Array.from(lamella.lattice.species),
    program: programFromScenario(s),
    frames_s: s.protocol.acquisitionTimes_s.slice(),
    params,
    pO2_Pa: s.environment.pO2_Pa,
  };
}

interface KmcArgs {
  scenario?: string;
  out: string;
  json: boolean;
  resume: boolean;
  seed?: number;
  quiet: boolean;
  checkpointEvery: number;
}

const pad = (i: number): string => String(i).padStart(4, '0');

/** CSV of per-frame observables (one row per frame, fixed column order). */
function observablesCsv(frames: readonly OnsetFrame[]): string {
  const regionCols = ['tmOnLi', 'vO', 'rockSalt', 'rockSaltFraction', 'ni0', 'li2o'] as const;
  const head = ['frame', 'time_s', 'temperature_K', 'temperature_C'];
  for (const r of REGION_NAMES.slice(0, 3)) for (const c of regionCols) head.push(`${r}_${c}`);
  head.push('pore_area_A2', 'pore_volume_A3', 'facetAnisotropy', 'fraction003', 'roughness003_A', 'sharpnessOther', 'apb_x_A', 'apb_y_A', 'apb_pairs');
  const rows = frames.map((f, i) => {
    const o = f.observables;
    const v: (number | string)[] = [i, (f as unknown as NcmFrame).time_s, f.temperature_K, f.temperature_K - 273.15];
    for (const r of REGION_NAMES.slice(0, 3)) for (const c of regionCols) v.push(o.regions[r]![c]);
    v.push(o.pore.area_A2, o.pore.volume_A3, o.pore.facetAnisotropy, o.pore.fraction003, o.pore.roughness003_A, o.pore.sharpnessOther, o.apb.x_A, o.apb.y_A, o.apb.pairs);
    return v.join(',');
  });
  return `${head.join(',')}\n${rows.join('\n')}\n`;
}

const command: CommandModule<object, KmcArgs> = {
  command: 'kmc',
  describe: 'Run the NCM kinetic Monte Carlo of a scenario (frames + observables)',
  builder: (y: Argv) =>
    withCommon(y, { out: { demand: true, describe: 'output directory' }, json: { describe: 'print the summary as JSON on stdout' }, seed: { describe: 'random seed (default: the scenario seed)' }, quiet: {} })
      .option('scenario', { type: 'string', describe: 'scenario file or built-in name (default: the seed scenario)' })
      .option('resume', { type: 'boolean', default: false, describe: 'continue from DIR/kmc.ckpt (same result as an uninterrupted run)' })
      .option('checkpoint-every', { type: 'number', default: 30, describe: 'checkpoint interval, s of wall time' }) as unknown as Argv<KmcArgs>,
  handler: (a: ArgumentsCamelCase<KmcArgs>) => {
    checkSeed(a.seed);
    if (!(a.checkpointEvery >= 0)) throw new InputError('--checkpoint-every', a.checkpointEvery, 'seconds ≥ 0');
    checkOutPath(a.out, 'dir', '--out');
    const scenario = loadScenario(a.scenario);
    const seed = a.seed ?? scenario.seed;
    const inp = kmcInputsFromScenario(scenario);
    const framesDir = join(a.out, 'frames');
    const ckpt = join(a.out, 'kmc.ckpt');
    if (a.resume && !existsSync(ckpt)) throw new InputError('--resume', ckpt, 'an existing checkpoint in --out (run once without --resume first)');
    mkdirSync(framesDir, { recursive: true });
    const progress = createProgress({ label: 'kmc', total: 1000, quiet: a.quiet, fields: ['T_C', 'time_s', 'events_per_s'] });
    const t0 = performance.now();
    const traj = runKmc({
      lattice: inp.lattice, species: inp.species, params: inp.params, program: inp.program, pO2_Pa: inp.pO2_Pa, seed, frames_s: inp.frames_s,
      checkpoint: { path: ckpt, everyWall_s: a.checkpointEvery },
      ...(a.resume ? { resumeFrom: new Uint8Array(readFileSync(ckpt)) } : {}),
      keepFrames: false,
      onFrame: (f) => {
        writeFileAtomicSync(join(framesDir, `frame-${pad(f.index)}.ncmf`), encodeSpecies(f.species));
        const { species: _s, ...meta } = f;
        writeFileAtomicSync(join(framesDir, `frame-${pad(f.index)}.json`), `${JSON.stringify(meta)}\n`);
      },
      onProgress: (p) => {
        const wall = (performance.now() - t0) / 1000;
        progress.update(Math.round(p.fraction * 1000), { T_C: (p.temperature_K - 273.15).toFixed(1), time_s: p.time_s.toFixed(0), events_per_s: wall > 0 ? Math.round(p.events / wall) : 0 });
      },
    });
    progress.stop();
    const frames = readdirSync(framesDir).filter((f) => /^frame-\d{4}\.json$/.test(f)).sort()
      .map((f) => JSON.parse(readFileSync(join(framesDir, f), 'utf8')) as Omit<NcmFrame, 'species'>);
    const onsets: Record<string, number | null> = {};
    for (const r of REGION_NAMES.slice(0, 3)) onsets[`${r}_tmOnLi_K`] = tmOnLiOnset_K(frames, r);
    const byKind: Record<string, number> = {};
    EVENT_NAMES.forEach((n, i) => { if (i > 0) byKind[n] = traj.counters.byKind[i]!; });
    const summary = {
      schema: 'cathode-twin/kmc-summary', version: 1, scenario: scenario.name, seed, sites: inp.lattice.n,
      pO2_Pa: inp.pO2_Pa, params: inp.params, events: traj.events, o2Released: traj.counters.o2Released, o2Adsorbed: traj.counters.o2Adsorbed,
      eventsByKind: byKind, onsets, frames: frames.map((f) => ({ index: f.index, time_s: f.time_s, temperature_K: f.temperature_K, events: f.events, species: `frames/frame-${pad(f.index)}.ncmf` })),
    };
    writeFileAtomicSync(join(a.out, 'observables.csv'), observablesCsv(frames as unknown as OnsetFrame[]));
    writeFileAtomicSync(join(a.out, 'kmc-summary.json'), `${JSON.stringify(summary, null, 1)}\n`);
    const wall_s = (performance.now() - t0) / 1000;
    if (a.json) process.stdout.write(`${JSON.stringify({ ...summary, wall_s, kineticsWall_s: traj.wall_s })}\n`);
    else if (!a.quiet) process.stderr.write(`[kmc] ${frames.length} frames, ${traj.events} events in ${wall_s.toFixed(1)} s → ${a.out}\n`);
  },
};

export default command;
