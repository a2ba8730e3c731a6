/**
 * `analyseSeries`: every frame through analyseFrame (on `workers` threads, the one worker-pool helper of src/core;
 * results do not depend on the thread count), the series registered frame to frame with rotation (rigid.ts: drift and
 * rotation relative to the first frame), the observables tabulated against temperature, and the onsets read by the
 * same rule table `run` uses (src/twin/timeline detectOnsets: this module only calls it). One series: the image rules
 * read its noise from its own baseline, the frames before a candidate onset (at least 4), as a run with one imaged
 * replica does, scaled by the frames' doses where the sidecar gives every frame one.
 */
import { InputError, createWorkerPool } from '../../core/index.js';
import { IMAGE_BASELINE_FRAMES, detectOnsets, type Onset } from '../timeline/index.js';
import { analyseFrame, type AnalyseOptions, type Calibration, type FrameAnalysis } from './frame.js';
import type { Vec2 } from './lattice.js';
import { registerRigid, type RigidRegistration } from './rigid.js';
import type { FrameTask } from './task.js';

/** What is known about one frame (units in names). */
export interface SeriesFrameMeta {
  temperature_K?: number;
  time_s?: number;
  dose_ePerA2?: number;
}

/** A series to analyse: frames of one size, one calibration, per-frame metadata. */
export interface SeriesInput {
  readonly frames: readonly Float32Array[];
  readonly width: number;
  readonly height: number;
  readonly meta: readonly SeriesFrameMeta[];
}

/** Options of {@link analyseSeries}. */
export interface SeriesOptions extends AnalyseOptions {
  /** Worker threads over frames (default 1: in this thread). */
  readonly workers?: number;
  /** Read onsets: true requires a temperature for every frame (InputError otherwise); default: when all are known. */
  readonly onsets?: boolean;
  /** Progress callback (frames done, total). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The analysis of a series. */
export interface SeriesAnalysis {
  readonly frames: FrameAnalysis[];
  /** Registration of each frame to the first (rotation, drift). */
  readonly registration: RigidRegistration[];
  readonly temperatures_K: (number | null)[];
  readonly times_s: (number | null)[];
  readonly observables: Record<string, number>[];
  /** Onsets by the run's rule table, or null when temperatures are unknown and onsets were not required. */
  readonly onsets: Onset[] | null;
  readonly warnings: string[];
}

/** Analyses a series (see module doc). */
export async function analyseSeries(s: SeriesInput, cal: Calibration, o: SeriesOptions = {}): Promise<SeriesAnalysis> {
  const n = s.frames.length;
  if (n === 0) throw new InputError('--series', '0 frames', 'at least one frame');
  if (s.meta.length !== n) throw new InputError('meta', s.meta.length, `one entry per frame (${n})`);
  const temps = s.meta.map((m) => (m.temperature_K !== undefined && Number.isFinite(m.temperature_K) ? m.temperature_K : null));
  const missing = temps.map((t, i) => (t === null ? i : -1)).filter((i) => i >= 0);
  if (o.onsets === true && missing.length > 0) {
    throw new InputError('--sidecar', missing.length === n ? 'no temperatures' : `no temperature for frame(s) ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`, 'a temperature for every frame (sidecar "temperature" or temperature_K, or a run\'s frames.tif) to read onsets');
  }
  const { workers = 1, onProgress, onsets: _onsets, ...frameOptions } = o;
  void _onsets;
  const analyses = new Array<FrameAnalysis>(n);
  let done = 0;
  if (workers > 1 && n > 1) {
    const pool = createWorkerPool<FrameTask, FrameAnalysis>(new URL('./task', import.meta.url), { workers: Math.min(workers, n) });
    try {
      await Promise.all(s.frames.map(async (f, i) => {
        const data = Float32Array.from(f);
        try {
          analyses[i] = await pool.run({ data, width: s.width, height: s.height, calibration: cal, options: frameOptions }, [data.buffer as ArrayBuffer]);
        } catch (e) {
          throw frameError(reviveError(e), i, n);
        }
        onProgress?.(++done, n);
      }));
    } finally {
      await pool.close();
    }
  } else {
    s.frames.forEach((f, i) => {
      try {
        analyses[i] = analyseFrame({ data: f, width: s.width, height: s.height }, cal, frameOptions);
      } catch (e) {
        throw frameError(e, i, n);
      }
      onProgress?.(++done, n);
    });
  }
  // Registration to the first frame, predicting each shift from the previous one (constant drift).
  const px = cal.pixelX_A, py = cal.pixelY_A ?? cal.pixelX_A;
  const latt = (a: FrameAnalysis): [Vec2, Vec2] => [[a.lattice.a1_A[0] / px, a.lattice.a1_A[1] / py], [a.lattice.a2_A[0] / px, a.lattice.a2_A[1] / py]];
  const registration: RigidRegistration[] = [{ rotation_deg: 0, dx_px: 0, dy_px: 0, peak: 1 }];
  for (let k = 1; k < n; k++) {
    const prev = registration[k - 1]!, prev2 = registration[k - 2];
    const predicted: Vec2 = prev2 ? [2 * prev.dx_px - prev2.dx_px, 2 * prev.dy_px - prev2.dy_px] : [prev.dx_px, prev.dy_px];
    registration.push(registerRigid(s.frames[0] as Float32Array, s.frames[k] as Float32Array, s.width, s.height, { ref: latt(analyses[0]!), moving: latt(analyses[k]!) }, predicted));
  }
  const warnings = [...new Set(analyses.flatMap((a, i) => a.warnings.map((w) => (n > 1 ? `frame ${i}: ${w}` : w))))];
  const observables = analyses.map((a) => a.observables);
  let onsets: Onset[] | null = null;
  const dose = s.meta.map((m) => m.dose_ePerA2 ?? NaN);
  if (missing.length === 0) {
    onsets = detectOnsets({ temperatures_K: temps as number[], values: observables, ...(dose.every((d) => d > 0) ? { dose } : {}) });
    // never a silent assumption: an image onset read before the series could measure its own noise, or with the dose taken as constant
    for (const on of onsets) {
      if (on.onset_C === null || on.baselineFrames === undefined) continue;
      if (on.baselineFrames < IMAGE_BASELINE_FRAMES) warnings.push(`onset ${on.stage} at ${on.onset_C} °C is provisional: only ${on.baselineFrames} frame(s) before it to measure the series' noise (${IMAGE_BASELINE_FRAMES} needed), so it was read against the smallest change that counts (${on.threshold}) alone`);
      else if (!dose.every((d) => d > 0)) warnings.push(`onset ${on.stage}: the series' noise was taken as constant over its frames (the sidecar gives no dose for every frame; give each frame a "dose" (e.g. "5000 e/Å^2") to scale it as shot noise)`);
    }
  }
  else if (o.onsets !== false && n > 1) warnings.push('onsets not read: the series has no temperature for every frame (give a sidecar with temperatures)');
  return {
    frames: analyses, registration, temperatures_K: temps,
    times_s: s.meta.map((m) => (m.time_s !== undefined && Number.isFinite(m.time_s) ? m.time_s : null)),
    observables, onsets, warnings,
  };
}

/** A frame's InputError named by the frame: `frames[i]` (and its own field unless it is the image as a whole). */
function frameError(e: unknown, i: number, n: number): unknown {
  if (!(e instanceof InputError)) return e;
  const where = n > 1 ? `frames[${i}]` : 'frames[0]';
  return new InputError(e.field === 'image' ? where : e.field.startsWith('calibration') || e.field.startsWith('--') ? e.field : `${where}.${e.field}`, e.value, e.allowed, e.hint);
}

/** Errors thrown in a worker arrive as plain Errors: restore InputError so the CLI reports the field. */
function reviveError(e: unknown): unknown {
  const err = e as { name?: string; message?: string };
  if (err?.name === 'InputError' || /^[^:]+: got .*; allowed: /.test(err?.message ?? '')) {
    const m = /^([^:]+): got (.*); allowed: (.*)$/s.exec(err.message ?? '');
    if (m) return new InputError(m[1]!, m[2]!, m[3]!);
  }
  return e;
}
