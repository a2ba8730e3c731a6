/**
 * One KMC replica of a forward run, advanced chunk by chunk: the same code in this thread and on a
 * worker (replica-task.ts), so the result never depends on where it ran. A chunk runs from the
 * replica's state (fresh, or checkpoint bytes) to a frame, and returns the frames' observables
 * (and species), the state bytes and the counters. Replica r draws from Rng.stream(seed,
 * Stream.KMC_ENGINE, r) (src/kinetics/ncm/run.ts).
 */
import type { OxygenEnvironment, ProgressInfo } from '../../kinetics/index.js';
import { NcmRun, flattenObservables, computeObservables, type NcmParams, type Observables } from '../../kinetics/ncm/index.js';
import { protocolProgram, type ScenarioProtocol, type ScenarioRegions, type ScenarioStructure } from '../scenario/index.js';
import { prepareLamella } from './lamella.js';

/** Everything a replica needs (plain data: it crosses to worker threads). */
export interface ReplicaSpec {
  structure: ScenarioStructure;
  regions: ScenarioRegions;
  /** Seed of the lamella occupation (the run seed). */
  latticeSeed: number;
  protocol: ScenarioProtocol;
  frames_s: number[];
  params: NcmParams;
  oxygen: OxygenEnvironment;
  seed: number;
  replica: number;
  kinetics: 'ncm' | 'frozen';
  /** Return each frame's species. */
  species: boolean;
}

/** One chunk of work: continue from `resume` (or the start) until frame `lastFrame` is out. */
export interface ReplicaTask extends ReplicaSpec {
  resume?: Uint8Array;
  lastFrame: number;
}

/** A frame of one replica. */
export interface ReplicaFrame {
  index: number;
  time_s: number;
  temperature_K: number;
  events: number;
  values: Observables;
  /** Denominators (sites) of the fraction observables; on frame 0 only (the baseline of the binomial rules). */
  counts?: Record<string, number>;
  species?: Uint8Array;
}

/** What a chunk returns. */
export interface ReplicaChunk {
  replica: number;
  frames: ReplicaFrame[];
  /** State after the chunk (resume bytes). */
  state: Uint8Array;
  done: boolean;
  events: number;
  byKind: number[];
  o2Released: number;
  o2Adsorbed: number;
}

/** A live replica (this thread keeps it between chunks; a worker rebuilds it from the state bytes). */
export class ReplicaRunner {
  private readonly run?: NcmRun;
  private frozenNext = 0;

  constructor(readonly spec: ReplicaSpec, resume?: Uint8Array, onProgress?: (p: ProgressInfo) => void) {
    const prep = prepareLamella(spec.structure, spec.regions, spec.latticeSeed);
    if (spec.kinetics === 'frozen') {
      this.frozenNext = resume && resume.length >= 4 ? new DataView(resume.buffer, resume.byteOffset, 4).getUint32(0, true) : 0;
      return;
    }
    this.run = new NcmRun({
      lattice: prep.lattice,
      species: prep.lamella.lattice.species,
      region: prep.region,
      params: spec.params,
      program: protocolProgram(spec.protocol),
      oxygen: spec.oxygen,
      seed: spec.seed,
      replica: spec.replica,
      frames_s: spec.frames_s,
      ...(resume ? { resumeFrom: resume } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
  }

  /** Run to frame `lastFrame` (inclusive). */
  advance(lastFrame: number): ReplicaChunk {
    const spec = this.spec;
    const frames: ReplicaFrame[] = [];
    if (!this.run) {
      const prep = prepareLamella(spec.structure, spec.regions, spec.latticeSeed);
      const prog = protocolProgram(spec.protocol);
      const sp = prep.lamella.lattice.species;
      const flat = flattenObservables(computeObservables(prep.lattice, sp, prep.region));
      for (; this.frozenNext <= Math.min(lastFrame, spec.frames_s.length - 1); this.frozenNext++) {
        const t = spec.frames_s[this.frozenNext]!;
        frames.push({ index: this.frozenNext, time_s: t, temperature_K: prog.temperature_K(t), events: 0, values: { ...flat.values }, ...(this.frozenNext === 0 ? { counts: flat.counts } : {}), ...(spec.species ? { species: sp.slice() } : {}) });
      }
      const state = new Uint8Array(4);
      new DataView(state.buffer).setUint32(0, this.frozenNext, true);
      return { replica: spec.replica, frames, state, done: this.frozenNext >= spec.frames_s.length, events: 0, byKind: [], o2Released: 0, o2Adsorbed: 0 };
    }
    const run = this.run;
    for (const f of run.advance(lastFrame)) {
      const flat = flattenObservables(f.observables);
      frames.push({ index: f.index, time_s: f.time_s, temperature_K: f.temperature_K, events: f.events, values: flat.values, ...(f.index === 0 ? { counts: flat.counts } : {}), ...(spec.species ? { species: f.species } : {}) });
    }
    const c = run.model.counters;
    const done = run.framesDone >= spec.frames_s.length;
    return { replica: spec.replica, frames, state: run.checkpoint(), done, events: run.events, byKind: Array.from(c.byKind), o2Released: c.o2Released, o2Adsorbed: c.o2Adsorbed };
  }
}

/** Run one chunk from its task (fresh or from state bytes): the worker's body. */
export function runReplicaChunk(task: ReplicaTask): ReplicaChunk {
  const { resume, lastFrame, ...spec } = task;
  return new ReplicaRunner(spec, resume).advance(lastFrame);
}
