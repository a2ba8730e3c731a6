/**
 * The NCM kinetics (src/kinetics/ncm runKmc) as the run's KMC stage.
 *
 * - The lamella (src/lattice) is handed to the kinetics through a plain-data NcmLattice view
 *   (`lamellaToNcmLattice`): fixed-stride first/second-shell neighbours, Li-layer flags, positions.
 * - The programme is the scenario's piecewise-linear one (the same segments the acquisition times
 *   come from), as TemperatureProgram ramps and holds.
 * - runKmc is synchronous: the stage runs the whole programme first, keeping every frame (species +
 *   observables); the frames are then handed to the run one by one. The checkpoint bytes are the
 *   encoded frames, so a resumed run re-images from them without re-running the kinetics.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { InputError } from '../../core/index.js';
import { TemperatureProgram } from '../../kinetics/index.js';
import { runKmc } from '../../kinetics/ncm/run.js';
import { parseNcmOverrides } from '../../kinetics/ncm/params.js';
import type { NcmLattice } from '../../kinetics/ncm/lattice.js';
import { fixedStrideNeighbours, layerNormal, SiteIndex, SiteRole, type Lamella } from '../../lattice/index.js';
import type { Scenario } from '../scenario/index.js';
import type { KmcFrame, KmcStage } from './kmc.js';
import { flattenKineticsObservables } from './ncmObservables.js';

/** The kinetics' view of a lamella (shares the lamella's position array). */
export function lamellaToNcmLattice(lamella: Lamella): NcmLattice {
  const lat = lamella.lattice;
  const index = new SiteIndex(lat);
  const nb1 = fixedStrideNeighbours(lat, 'first', index);
  const nb2 = fixedStrideNeighbours(lat, 'second', index);
  const isAnion = Uint8Array.from(lat.sublattice);
  const liLayer = new Uint8Array(lat.n);
  for (let t = 0; t < lat.n; t++) liLayer[t] = lat.role[t] === SiteRole.LI_LAYER ? 1 : 0;
  // Same close-packed plane ⇔ same i+j+k on the parent lattice.
  const sum = (t: number) => lat.ijk[3 * t]! + lat.ijk[3 * t + 1]! + lat.ijk[3 * t + 2]!;
  const nb2InPlane = new Uint8Array(lat.n * 12);
  for (let t = 0; t < lat.n; t++) {
    const st = sum(t);
    for (let k = 0; k < 12; k++) {
      const u = nb2[t * 12 + k]!;
      nb2InPlane[t * 12 + k] = u >= 0 && sum(u) === st ? 1 : 0;
    }
  }
  return { n: lat.n, isAnion, liLayer, nb1, nb2, nb2InPlane, positions_A: lat.position_A, layerNormal: layerNormal(lat) };
}

/** The scenario's segments as a TemperatureProgram. */
export function scenarioProgram(s: Scenario): TemperatureProgram {
  const p = s.protocol;
  if (p.expression !== undefined) return TemperatureProgram.expression({ expression: p.expression, unit: 'K', duration_s: p.duration_s }, 'protocol');
  const pieces = p.segments
    .filter((g) => g.t1_s > g.t0_s)
    .map((g) =>
      g.T0_K === g.T1_K
        ? TemperatureProgram.hold({ temperature_K: g.T0_K, duration_s: g.t1_s - g.t0_s }, 'protocol')
        : TemperatureProgram.ramp({ start_K: g.T0_K, end_K: g.T1_K, rate_KPerS: Math.abs(g.T1_K - g.T0_K) / (g.t1_s - g.t0_s) }, 'protocol'),
    );
  if (pieces.length === 0) throw new InputError('protocol', p.type, 'a programme of positive duration');
  return pieces.length === 1 ? pieces[0]! : TemperatureProgram.concat(...pieces);
}

/** Kinetics parameter overrides from the scenario (barriers, ν, μ_O offset). */
export function scenarioParams(s: Scenario) {
  const o: Record<string, number> = { ...s.kinetics.barriers_eV, nu: s.kinetics.attemptFrequency_Hz };
  if (s.environment.muOOffset_eV !== undefined) o.muO_offset = s.environment.muOOffset_eV;
  return parseNcmOverrides(o, undefined, 'kinetics');
}

interface StoredKmc {
  frames: { index: number; time_s: number; temperature_K: number; events: number; observables: Record<string, number> }[];
}

function encodeFrames(frames: readonly KmcFrame[]): Uint8Array {
  const head: StoredKmc = { frames: frames.map((f) => ({ index: f.index, time_s: f.time_s, temperature_K: f.temperature_K, events: f.events, observables: f.observables ?? {} })) };
  const json = Buffer.from(JSON.stringify(head));
  const n = frames[0]?.species.length ?? 0;
  const body = new Uint8Array(frames.length * n);
  frames.forEach((f, i) => body.set(f.species, i * n));
  const z = gzipSync(body, { level: 6 });
  const out = new Uint8Array(8 + json.length + z.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, json.length, true);
  dv.setUint32(4, n, true);
  out.set(json, 8);
  out.set(z, 8 + json.length);
  return out;
}

function decodeFrames(bytes: Uint8Array): KmcFrame[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jl = dv.getUint32(0, true);
  const n = dv.getUint32(4, true);
  const head = JSON.parse(Buffer.from(bytes.subarray(8, 8 + jl)).toString()) as StoredKmc;
  const body = new Uint8Array(gunzipSync(bytes.subarray(8 + jl)));
  return head.frames.map((f, i) => ({ ...f, species: body.slice(i * n, (i + 1) * n) }));
}

/** The NCM kinetics stage. */
export function ncmKmc(): KmcStage {
  return {
    name: 'ncm (src/kinetics/ncm runKmc)',
    async run(a) {
      let frames: KmcFrame[];
      if (a.checkpoint) frames = decodeFrames(a.checkpoint);
      else {
        const lattice = lamellaToNcmLattice(a.lamella);
        const program = scenarioProgram(a.scenario);
        const pO2 = a.scenario.environment.pO2_Pa;
        if (pO2 === undefined) throw new InputError('environment.pH2O', a.scenario.environment.pH2O_Pa, 'pO2 (the NCM kinetics takes an O2 pressure; the reducing-gas mode is not wired into runKmc yet)');
        frames = [];
        runKmc({
          lattice,
          species: a.lamella.lattice.species,
          params: scenarioParams(a.scenario),
          program,
          pO2_Pa: pO2,
          seed: a.seed,
          frames_s: a.frames_s,
          keepFrames: false,
          onFrame: (f) => frames.push({ index: f.index, time_s: f.time_s, temperature_K: f.temperature_K, events: f.events, species: f.species, observables: flattenKineticsObservables(f.observables as never) }),
          onProgress: (p) => a.onProgress?.(p.fraction, p.temperature_K, p.events),
        });
      }
      let bytes: Uint8Array | undefined;
      const checkpoint = () => (bytes ??= encodeFrames(frames));
      for (const f of frames) if (f.index >= a.startFrame) await a.onFrame(f, checkpoint);
      return { events: frames[frames.length - 1]?.events ?? 0 };
    },
  };
}
