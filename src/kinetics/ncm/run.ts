/**
 * `runKmc`: the top-level NCM kinetics run that `cathode-twin run` and `cathode-twin kmc` call.
 * Builds the model on a lattice, runs the engine (exact thinning) through the temperature program,
 * re-linearises Δμ_O,eff at every window's T_max (NcmModel.beginWindow), and records a frame (species snapshot +
 * observables) at each acquisition time. Checkpoints and resume come from the engine: a resumed run
 * gives the same frames, bit for bit, as an uninterrupted one with the same seed.
 *
 * @example
 *   const box = buildNcmBox({ size: [24, 24, 16], poreRadii: [7, 7, 5], apb: true });
 *   const traj = runKmc({ lattice: box.lattice, species: box.species, program: seedProgram(), pO2_Pa: 1.2e-5, seed: 1 });
 *   traj.frames.at(-1)!.observables.regions.rim!.tmOnLi;
 */
import { InputError, Rng, Stream } from '../../core/index.js';
import { KmcEngine, type ProgressInfo } from '../engine.js';
import { TemperatureProgram } from '../program.js';
import type { NcmLattice } from './lattice.js';
import { NcmModel, type NcmCounters } from './model.js';
import { computeObservables } from './observables.js';
import { DEFAULT_NCM_PARAMS, type NcmParams } from './params.js';
import { computeRegions, type RegionOptions } from './regions.js';
import type { NcmFrame } from './frames.js';

/** Inputs of `runKmc`. */
export interface RunKmcOptions {
  readonly lattice: NcmLattice;
  /** Initial species per site. */
  readonly species: Uint8Array;
  /** Model parameters (default: MODEL.md defaults). */
  readonly params?: NcmParams;
  readonly program: TemperatureProgram;
  /** Nominal O2 pressure, Pa (seed: 1.2e-5). */
  readonly pO2_Pa: number;
  /** Run seed (the engine's stream is Rng.stream(seed, Stream.KMC_ENGINE)). */
  readonly seed: number;
  /** Frame times, s (default: t = 0 and the end of each hold). */
  readonly frames_s?: readonly number[];
  /** Thinning window on ramps, K (default 3). */
  readonly window_K?: number;
  /** Region shells (default see regions.ts). */
  readonly regions?: RegionOptions;
  /** Periodic checkpoints. */
  readonly checkpoint?: { path: string; everyWall_s?: number; everyWindows?: number };
  /** Resume from checkpoint bytes (frames before it are not re-emitted). */
  readonly resumeFrom?: Uint8Array;
  /** Called at each frame (the frame's species array is a copy the callee may keep). */
  readonly onFrame?: (frame: NcmFrame) => void;
  /** Called at each thinning window boundary. */
  readonly onProgress?: (p: ProgressInfo) => void;
  /** Keep frames in the returned trajectory (default true). */
  readonly keepFrames?: boolean;
}

/** Result of `runKmc`. */
export interface Trajectory {
  readonly frames: NcmFrame[];
  readonly events: number;
  readonly candidates: number;
  readonly time_s: number;
  readonly counters: NcmCounters;
  /** Region id per site (see REGION_NAMES). */
  readonly region: Uint8Array;
  /** Final species. */
  readonly species: Uint8Array;
  /** Wall time of the kinetics, s. */
  readonly wall_s: number;
}

/** The seed protocol: 25 → 500 °C, 0.1 °C/s ramps of 15 °C, 5 min holds. */
export function seedProgram(end_K = 773.15): TemperatureProgram {
  return TemperatureProgram.staircase({ start_K: 298.15, end_K, step_K: 15, rate_KPerS: 0.1, hold_s: 300 });
}

/** Run the NCM kinetics (see module doc). */
export function runKmc(o: RunKmcOptions): Trajectory {
  if (!Number.isSafeInteger(o.seed) || o.seed < 0) throw new InputError('seed', o.seed, 'an integer 0 … 2^53−1');
  const params = o.params ?? DEFAULT_NCM_PARAMS;
  const model = new NcmModel({ lattice: o.lattice, species: o.species, params, pO2_Pa: o.pO2_Pa, temperature_K: o.program.temperature_K(0) });
  const region = computeRegions(o.lattice, o.species, o.regions);
  const engineOpts = { window_K: o.window_K ?? 3, ...(o.frames_s ? { frames_s: o.frames_s } : {}) };
  const engine = o.resumeFrom
    ? KmcEngine.resume(model, o.program, o.resumeFrom, engineOpts)
    : new KmcEngine(model, o.program, { ...engineOpts, rng: Rng.stream(o.seed, Stream.KMC_ENGINE) });
  const frames: NcmFrame[] = [];
  const t0 = performance.now();
  const res = engine.run({
    ...(o.checkpoint ? { checkpoint: o.checkpoint } : {}),
    // μ_O is re-linearised at each window's T_max by the engine's beginWindow hook (NcmModel.beginWindow).
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    onFrame: (f) => {
      const species = Uint8Array.from(model.species);
      const frame: NcmFrame = { index: f.index, time_s: f.time_s, temperature_K: f.temperature_K, events: f.events, species, observables: computeObservables(o.lattice, species, region) };
      if (o.keepFrames !== false) frames.push(frame);
      o.onFrame?.(frame);
    },
  });
  return {
    frames,
    events: res.events,
    candidates: res.candidates,
    time_s: res.time_s,
    counters: { ...model.counters, byKind: model.counters.byKind.slice() },
    region,
    species: Uint8Array.from(model.species),
    wall_s: (performance.now() - t0) / 1000,
  };
}
