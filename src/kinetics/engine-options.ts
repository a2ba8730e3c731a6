/**
 * Options and results of the KMC engine (`KmcEngine`): configuration, per-run options, and what
 * observers receive.
 */
import type { Rng } from '../core/index.js';
import type { EventSelector, KmcModel } from './model.js';

/** Engine configuration. */
export interface EngineOptions {
  /** Random stream for the run (required: runs are reproducible from the seed). */
  rng: Rng;
  /**
   * 'tree' (O(log N) sum tree over slots), 'block' (tree over blocks of `model.slotsPerGroup`),
   * 'linear' (tests), or a selector instance. Default: 'block' when the model declares
   * slotsPerGroup > 1, else 'tree'.
   */
  selector?: 'tree' | 'block' | 'linear' | EventSelector;
  /** Max temperature change per thinning window on ramps, K (default 1). */
  window_K?: number;
  /** Frame (acquisition) times, s (default: program.acquisitionTimes_s(): t = 0 and each hold end). */
  frames_s?: readonly number[];
  /**
   * Keep a class id per slot (distinct (ν, Ea, cap) triples, `RateClasses`) so that a new window
   * costs one exp per class plus a model call per slot changed since the last window, rather than a
   * model call per slot; falls back to direct evaluation past 65 534 classes. Results are
   * bit-identical either way. Requires that slot rates change only through `execute` and
   * `beginWindow` (never by the caller behind the engine's back, e.g. from `onProgress`).
   * Default: on when the model implements `beginWindow`, else off.
   */
  rateClasses?: boolean;
}

/** What the observer receives at each frame. */
export interface FrameInfo {
  /** Frame index (0-based). */
  index: number;
  /** Simulated time, s. */
  time_s: number;
  /** Temperature at that time, K. */
  temperature_K: number;
  /** Events executed so far. */
  events: number;
}

/** Per-window progress report (for progress bars and logs). */
export interface ProgressInfo {
  /** Simulated time at the window boundary, s. */
  time_s: number;
  /** Program temperature there, K. */
  temperature_K: number;
  /** Events executed so far. */
  events: number;
  /** Fraction of the program done, 0–1. */
  fraction: number;
}

/** Options of one `run` call. */
export interface RunOptions {
  /** Called at each frame time with the model in its state at that time. */
  onFrame?: (frame: FrameInfo, model: KmcModel) => void;
  /** Called after each executed event (tests: waiting times, trajectories). */
  onEvent?: (slot: number, time_s: number) => void;
  /** Called at each window boundary. */
  onProgress?: (p: ProgressInfo) => void;
  /** Write checkpoints to `path` (atomically) every `everyWall_s` of wall time (default 60) or `everyWindows`. */
  checkpoint?: { path: string; everyWall_s?: number; everyWindows?: number };
  /** Stop at the first window boundary at or after this simulated time, s (resumable). */
  stopAt_s?: number;
  /** Stop after this many executed events in this call (benchmarks; continue in memory only). */
  maxEvents?: number;
}

/** Outcome of a `run` call. */
export interface RunResult {
  /** True when the program end was reached. */
  finished: boolean;
  /** Simulated time reached, s. */
  time_s: number;
  /** Events executed since the start of the run (including before a resume). */
  events: number;
  /** Candidates drawn (events + thinning rejections). */
  candidates: number;
}
