/**
 * Public types of the forward model `simulateScenario` (simulate.ts). Later versions only add
 * optional fields.
 */
import type { NcmParams, OxygenEnvironment } from '../../kinetics/index.js';
import type { Lamella } from '../../lattice/index.js';
import type { HaadfImage } from '../../multislice/index.js';
import type { ReportProfile } from '../report/index.js';
import type { Scenario } from '../scenario/index.js';
import type { Observables, Onset } from '../timeline/index.js';

/** HAADF imaging mode: the calibrated incoherent model (fast) or full multislice with frozen phonons. */
export type ImagingMode = 'incoherent' | 'multislice';

/** Which images the forward model makes per frame (of replica 0). */
export type ImagesWanted = 'none' | 'ideal' | 'acquired' | 'both';

/** An imager replacing src/multislice (tests, custom detectors): species snapshot → ideal image. */
export type Imager = (lamella: Lamella, species: Uint8Array) => Promise<HaadfImage>;

/** Progress of a forward run. */
export interface SimulateProgress {
  stage: 'kmc' | 'imaging';
  /** Fraction of the stage done, 0–1. */
  fraction: number;
  /** Simulated temperature reached (kmc: of the slowest replica), K. */
  temperature_K?: number;
  /** Events executed so far, all replicas. */
  events?: number;
  /** Frames imaged so far (imaging). */
  frames?: number;
}

/**
 * Checkpoints as a log of records: `save(record, index)` is called with record 0, 1, 2, … in order; the
 * caller persists them (e.g. one file each, atomically) and resumes with all of them
 * (`resumeFrom: [record0, record1, …]`). A record holds the KMC state of every replica at a frame
 * boundary plus the frames since the previous record, or one imaged frame. A resumed run returns the
 * same result, byte for byte, as an uninterrupted one. Throwing from `save` stops the run (the records
 * saved so far stay valid).
 */
export interface CheckpointSink {
  /** `info` says what the record holds: a replica's KMC frames up to `frame`, or the images of frame `frame`. */
  save(record: Uint8Array, index: number, info: RecordInfo): void | Promise<void>;
  /** KMC records every this many frames (default 1). */
  everyFrames?: number;
  /** … and only when this much wall time has passed since the last KMC record, s (default 0). */
  everyWall_s?: number;
}

/** What a checkpoint record holds. */
export interface RecordInfo {
  kind: 'kmc' | 'image';
  /** Last frame covered (kmc) or the frame imaged (image). */
  frame: number;
  /** Replica (kmc records). */
  replica?: number;
}

/** Options of `simulateScenario` (every field optional). */
export interface SimulateOptions {
  /** Run seed (default: the scenario's): lamella occupation, KMC streams, acquisition noise. */
  seed?: number;
  /** Replicate KMC runs, 1…64 (default: scenario.kinetics.replicates). */
  replicates?: number;
  /** Worker threads for the replicas and multislice imaging (default 1: in this thread). Results do not depend on it. */
  workers?: number;
  /**
   * Parameter overrides on top of the scenario's: parameter-table names (`o2Release`, `muOOffset`, `nu`, …,
   * see src/kinetics/ncm/params.ts `PARAMETER_TABLE`) or NcmParams fields → a number in the row's unit
   * (eV, 1/s) or a unit string. Unknown names are InputErrors (field `params.<name>`).
   */
  params?: Readonly<Record<string, number | string>>;
  /**
   * Replaces the scenario's gas: `{ pO2_Pa }` (vacuum, air, Ar with ppm O2) or `{ pH2O_Pa, pH2_Pa }`;
   * `offset_eV`, when given, replaces the scenario's μ_O offset (a `muOOffset` in `params` wins over both).
   */
  environment?: OxygenEnvironment;
  /** Replaces the acquisition times, s: strictly ascending, within the programme (a dry's time grid). */
  frameTimes_s?: readonly number[];
  /** Images per frame (replica 0): none (default), ideal, acquired (dose, drift, Poisson), or both. */
  images?: ImagesWanted;
  /**
   * How many replicas are imaged when images are asked for (default 1: replica 0; at most `replicates`).
   * The image observables (`liMColumnRatio.*`, the column analysis of each frame) are pooled over them,
   * with their replica spread (one imaged replica: the image onsets read its own baseline scatter).
   */
  imageReplicas?: number;
  /**
   * Read every imaged frame with the column analysis (`analyseFrame`) for the image observables and the image
   * onsets (default true). A caller that analyses the frames itself with its own settings (the fit) turns it off:
   * the frames then carry only the KMC observables, and no image onset is read.
   */
  imageAnalysis?: boolean;
  /** Imaging mode (default: the scenario's). */
  imaging?: ImagingMode;
  /** Replaces src/multislice imaging (tests, custom detectors); the label goes into `result.stages`. */
  imager?: Imager;
  /** Keep every replica's species snapshot per frame in the result (default true; false saves memory in fits). */
  keepSpecies?: boolean;
  onProgress?: (p: SimulateProgress) => void;
  checkpoint?: CheckpointSink;
  /** Records saved by an earlier, interrupted call with the same inputs (see CheckpointSink). */
  resumeFrom?: readonly Uint8Array[];
  /**
   * The kinetics: 'ncm' (default, src/kinetics/ncm) or 'frozen' (no events: the as-built structure at
   * every frame; a test double for imaging and I/O tests, labelled as such in `stages`).
   */
  kinetics?: 'ncm' | 'frozen';
}

/** An acquired (noisy) frame. */
export interface AcquiredFrame {
  /** Fraction of the incident beam per pixel, width × height. */
  data: Float32Array;
  width: number;
  height: number;
  sampling_A: number;
  samplingY_A: number;
  origin_A: [number, number];
  dose_ePerA2: number;
  /** True drift of each fast frame, px. */
  drift_px: [number, number][];
  /** Drift measured by the alignment, px. */
  measured_px: [number, number][];
}

/** One acquisition time. */
export interface SimFrame {
  index: number;
  time_s: number;
  temperature_K: number;
  /** Pooled observables: mean over replicas (image observables `liMRatio.*`, `liMColumnRatio.*` of the column analysis: over the imaged replicas). */
  observables: Observables;
  /** Standard deviation over replicas (sample, n − 1; 0 with one replica). */
  spread: Observables;
  /**
   * With one imaged replica: the frame's own strip-to-strip standard error of its image observables (the
   * within-frame scatter; the image onset rules read one series' noise from its baseline frames, and use this
   * only for a candidate onset with fewer than 4 frames before it: src/twin/timeline/onsets.ts).
   */
  noise?: Observables;
  /** Each replica's observables. */
  perReplica: Observables[];
  /** Events executed by each replica up to this frame. */
  events: number[];
  /** Each replica's species snapshot (absent with keepSpecies: false). */
  species?: Uint8Array[];
  /** Images of replica 0, when asked. */
  image?: { ideal?: HaadfImage; acquired?: AcquiredFrame };
}

/** Result of `simulateScenario`. */
export interface SimulationResult {
  /** The scenario as run (after seed, replicates, environment and frame-time overrides). */
  scenario: Scenario;
  seed: number;
  replicates: number;
  /** Model parameters used (table defaults + scenario + overrides). */
  params: NcmParams;
  /** Gas used, with the μ_O offset used (= params.muO_offset_eV). */
  environment: OxygenEnvironment;
  lamella: Lamella;
  /** Region id per site (src/kinetics/ncm REGION_NAMES). */
  region: Uint8Array;
  /** Sites per region of the denominators of fraction observables (one replica). */
  counts: Record<string, number>;
  frames: SimFrame[];
  /** Onsets read from the pooled curves, with each replica's onset in `perReplica_C` (an imaged replica's image onsets read with its own frames' measurement noise). */
  onsets: Onset[];
  /** Executed events: total (all replicas), per replica, by kind (all replicas, event names), O2 released/adsorbed. */
  events: { total: number; perReplica: number[]; byKind: Record<string, number>; o2Released: number; o2Adsorbed: number };
  /** Layer profiles of replica 0's images at the scenario's profile temperatures. */
  profiles: ReportProfile[];
  /** What ran: kinetics and imaging labels. */
  stages: { kinetics: string; imaging: string };
  /** Wall time per stage, s (structure, kmc, imaging, acquisition, total). */
  timings_s: Record<string, number>;
}
