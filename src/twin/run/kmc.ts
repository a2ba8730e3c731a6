/**
 * The KMC stage behind one small contract, so the run does not depend on the kinetics'
 * internals: evolve the lamella's species under the scenario's programme and hand over a
 * snapshot at each acquisition time, with a resumable checkpoint.
 *
 * `frozen` keeps the as-built structure (no kinetics) and exists so the pipeline (imaging,
 * files, report) runs and is tested without the kinetics; the run labels its output with the
 * adapter used.
 */
import type { Lamella } from '../../lattice/index.js';
import { temperatureAt, type Scenario } from '../scenario/index.js';

/** A frame handed over by the KMC stage. */
export interface KmcFrame {
  index: number;
  time_s: number;
  temperature_K: number;
  /** Species snapshot (a copy the run may keep). */
  species: Uint8Array;
  /** Observables reported by the kinetics itself (merged over the run's own). */
  observables?: Record<string, number>;
  /** Events executed so far. */
  events: number;
}

/** Arguments of a KMC stage run. */
export interface KmcRunArgs {
  lamella: Lamella;
  scenario: Scenario;
  seed: number;
  /** Acquisition times, s (frame i at frames_s[i]). */
  frames_s: readonly number[];
  /** First frame still needed (frames before it are done); the stage restores `checkpoint` if given. */
  startFrame: number;
  checkpoint?: Uint8Array;
  /** Called per frame in order; `checkpoint()` returns bytes that resume right after this frame. */
  onFrame(frame: KmcFrame, checkpoint: () => Uint8Array): Promise<void>;
  onProgress?(fraction: number, temperature_K: number, events: number): void;
}

export interface KmcStage {
  /** Name written to summary.json ("ncm", "frozen"). */
  readonly name: string;
  run(args: KmcRunArgs): Promise<{ events: number }>;
}

/** No kinetics: the as-built species at every frame (checkpoint = the species bytes). */
export const frozenKmc: KmcStage = {
  name: 'frozen (no kinetics)',
  async run(a) {
    const species = a.checkpoint ? Uint8Array.from(a.checkpoint) : a.lamella.lattice.species.slice();
    for (let i = a.startFrame; i < a.frames_s.length; i++) {
      const t = a.frames_s[i]!;
      await a.onFrame({ index: i, time_s: t, temperature_K: temperatureAt(a.scenario.protocol, t), species: species.slice(), events: 0 }, () => species.slice());
      a.onProgress?.((i + 1) / a.frames_s.length, temperatureAt(a.scenario.protocol, t), 0);
    }
    return { events: 0 };
  },
};
