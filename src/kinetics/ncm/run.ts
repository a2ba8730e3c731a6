/**
 * The NCM kinetics run: builds the model on a lattice, runs the engine (exact thinning) through the
 * temperature program, re-linearises Δμ_O,eff at every window's T_max (NcmModel.beginWindow), and
 * records a frame (species snapshot + observables) at each acquisition time.
 *
 * `NcmRun` advances frame by frame and hands out byte checkpoints between frames, so a caller can run
 * a replica in chunks (on a worker, with a checkpoint after each chunk) and get, bit for bit, the
 * frames of an uninterrupted run. `runKmc` is the one-call form. The twin's forward model
 * (`simulateScenario`, src/twin/simulate) drives both; nothing here reads or writes files.
 *
 * @example
 *   const box = buildNcmBox({ size: [24, 24, 16], poreRadii: [7, 7, 5], apb: true });
 *   const program = TemperatureProgram.staircase({ start_K: 298.15, end_K: 538.15, step_K: 15, rate_KPerS: 0.1, hold_s: 300 });
 *   const traj = runKmc({ lattice: box.lattice, species: box.species, program, oxygen: { pO2_Pa: 1.2e-5 }, seed: 1 });
 *   traj.frames.at(-1)!.observables.regions.rim!.tmOnLi;
 */
import { InputError, Rng, Stream } from '../../core/index.js';
import { KmcEngine, type ProgressInfo } from '../engine.js';
import type { TemperatureProgram } from '../program.js';
import type { OxygenEnvironment } from '../thermo.js';
import type { NcmLattice } from './lattice.js';
import { NcmModel, type NcmCounters } from './model.js';
import { computeObservables } from './observables.js';
import { DEFAULT_NCM_PARAMS, type NcmParams } from './params.js';
import { computeRegions, type RegionOptions } from './regions.js';
import type { NcmFrame } from './frames.js';

/** Inputs of `runKmc` / `NcmRun`. */
export interface RunKmcOptions {
  readonly lattice: NcmLattice;
  /** Initial species per site. */
  readonly species: Uint8Array;
  /** Model parameters (default: the parameter table's defaults). */
  readonly params?: NcmParams;
  readonly program: TemperatureProgram;
  /** The gas setting μ_O (O2 pressure or H2O/H2 buffer; the offset is params.muO_offset_eV). */
  readonly oxygen?: OxygenEnvironment;
  /** Shorthand for `oxygen: { pO2_Pa }` (seed: 1.2e-5 Pa). Give exactly one of the two. */
  readonly pO2_Pa?: number;
  /** Run seed. */
  readonly seed: number;
  /** Replica index: the engine draws from Rng.stream(seed, Stream.KMC_ENGINE, replica) (default 0). */
  readonly replica?: number;
  /** Frame times, s, ascending (default: t = 0 and the end of each hold). */
  readonly frames_s?: readonly number[];
  /** Thinning window on ramps, K (default 3). */
  readonly window_K?: number;
  /** Region shells (default see regions.ts); ignored when `region` is given. */
  readonly regions?: RegionOptions;
  /** Region id per site, precomputed (`computeRegions` of the initial species). */
  readonly region?: Uint8Array;
  /** Resume from `NcmRun.checkpoint()` bytes (frames before it are not re-emitted). */
  readonly resumeFrom?: Uint8Array;
  /** Called at each frame (the frame's species array is a copy the callee may keep). */
  readonly onFrame?: (frame: NcmFrame) => void;
  /** Called at each thinning window boundary. */
  readonly onProgress?: (p: ProgressInfo) => void;
  /** Keep frames in the returned trajectory (runKmc; default true). */
  readonly keepFrames?: boolean;
}

/** Result of `runKmc`. */
export interface Trajectory {
  readonly frames: NcmFrame[];
  /** Events executed. */
  readonly events: number;
  /** Candidates drawn (events + thinning rejections). */
  readonly candidates: number;
  /** Simulated time reached (the last frame's), s. */
  readonly time_s: number;
  /** O2 released/adsorbed and per-kind event counts. */
  readonly counters: NcmCounters;
  /** Region id per site (see REGION_NAMES). */
  readonly region: Uint8Array;
  /** Final species. */
  readonly species: Uint8Array;
  /** Wall time of the kinetics, s. */
  readonly wall_s: number;
}

/** One NCM kinetics trajectory, advanced frame by frame (see module doc). */
export class NcmRun {
  readonly model: NcmModel;
  readonly engine: KmcEngine;
  readonly region: Uint8Array;
  /** Frame times, s. */
  readonly frames_s: readonly number[];
  private nextFrame = 0;
  private wall_ms = 0;
  private candidates = 0;

  constructor(private readonly o: RunKmcOptions) {
    if (!Number.isSafeInteger(o.seed) || o.seed < 0) throw new InputError('seed', o.seed, 'an integer 0 … 2^53−1');
    const replica = o.replica ?? 0;
    if (!Number.isSafeInteger(replica) || replica < 0) throw new InputError('replica', replica, 'an integer ≥ 0');
    const params = o.params ?? DEFAULT_NCM_PARAMS;
    if ((o.oxygen === undefined) === (o.pO2_Pa === undefined)) throw new InputError('oxygen', o.oxygen ?? o.pO2_Pa, 'exactly one of oxygen (an environment) or pO2_Pa');
    this.model = new NcmModel({ lattice: o.lattice, species: o.species, params, ...(o.oxygen ? { oxygen: o.oxygen } : { pO2_Pa: o.pO2_Pa! }), temperature_K: o.program.temperature_K(0) });
    this.region = o.region ?? computeRegions(o.lattice, o.species, o.regions);
    if (this.region.length !== o.lattice.n) throw new InputError('region', this.region.length, `a region id per site (${o.lattice.n})`);
    this.frames_s = o.frames_s ?? o.program.acquisitionTimes_s();
    const engineOpts = { window_K: o.window_K ?? 3, frames_s: this.frames_s };
    if (o.resumeFrom) {
      this.engine = KmcEngine.resume(this.model, o.program, o.resumeFrom, engineOpts);
      // Frames already emitted before the checkpoint: those at or before its time.
      const t = this.engine.time_s;
      while (this.nextFrame < this.frames_s.length && this.frames_s[this.nextFrame]! <= t) this.nextFrame++;
    } else {
      this.engine = new KmcEngine(this.model, o.program, { ...engineOpts, rng: Rng.stream(o.seed, Stream.KMC_ENGINE, replica) });
    }
  }

  /** Index of the next frame to be emitted. */
  get framesDone(): number {
    return this.nextFrame;
  }

  /** True once every frame is out. */
  get done(): boolean {
    return this.nextFrame >= this.frames_s.length;
  }

  /** Executed events so far. */
  get events(): number {
    return this.engine.events;
  }

  /**
   * Run until frame `lastFrame` (inclusive; default the last) has been emitted, and return the frames
   * emitted in this call. Stops exactly at that frame's time (a window boundary), where `checkpoint()`
   * may be taken.
   */
  advance(lastFrame = this.frames_s.length - 1): NcmFrame[] {
    const out: NcmFrame[] = [];
    if (lastFrame < this.nextFrame) return out;
    const t0 = performance.now();
    const last = Math.min(lastFrame, this.frames_s.length - 1);
    // Stop at that frame's time (nothing after the last frame is observed).
    const res = this.engine.run({
      stopAt_s: this.frames_s[last]!,
      ...(this.o.onProgress ? { onProgress: this.o.onProgress } : {}),
      onFrame: (f) => {
        const species = Uint8Array.from(this.model.species);
        const frame: NcmFrame = { index: f.index, time_s: f.time_s, temperature_K: f.temperature_K, events: f.events, species, observables: computeObservables(this.o.lattice, species, this.region) };
        out.push(frame);
        this.nextFrame = f.index + 1;
        this.o.onFrame?.(frame);
      },
    });
    this.candidates = res.candidates;
    this.wall_ms += performance.now() - t0;
    return out;
  }

  /** Byte checkpoint of the engine, its RNG and the model (between `advance` calls). */
  checkpoint(): Uint8Array {
    return this.engine.checkpoint();
  }

  /** The trajectory so far (frames: those passed in). */
  trajectory(frames: NcmFrame[]): Trajectory {
    return {
      frames,
      events: this.engine.events,
      candidates: this.candidates,
      time_s: this.engine.time_s,
      counters: { ...this.model.counters, byKind: this.model.counters.byKind.slice() },
      region: this.region,
      species: Uint8Array.from(this.model.species),
      wall_s: this.wall_ms / 1000,
    };
  }
}

/** Run the NCM kinetics to the last frame (see module doc). */
export function runKmc(o: RunKmcOptions): Trajectory {
  const run = new NcmRun(o);
  const frames = run.advance();
  return run.trajectory(o.keepFrames === false ? [] : frames);
}
