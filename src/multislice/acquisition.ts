/**
 * Acquisition model: an ideal HAADF image (fraction of the incident beam) → what a detector records.
 * N fast frames share the dose; each is scanned with drift (linear velocity + random walk between frames, and
 * the linear part also within the frame, row by row) and scan-line jitter (a random x offset per line), recorded
 * as Poisson electron counts, multiplied by the detector gain and offset with Gaussian read noise; the frames are
 * then registered to the first (FFT cross-correlation with upsampled-DFT sub-pixel refinement, src/core/image),
 * shifted back (bilinear) and summed, as in the seed study's fast-frame acquisition (several short frames rigidly
 * registered and summed to beat drift).
 *
 * Alignment (Smart Align-like, rigid): frame f is registered against the running sum of the frames aligned so far
 * (its noise falls as frames accumulate; a fast frame holds well under one detected electron per pixel at the seed's
 * dose), both lightly smoothed (Gaussian σ = 1 px) for the coarse step. A crystal correlates almost equally well at
 * every lattice vector, so among peaks within two standard errors of the best (the counting noise of the frame's
 * correlation, from the ideal image; at least 2.5 %) the one nearest the predicted position is taken: the previous
 * position plus the mean step so far (exact for a linear drift; for a random walk the mean step tends to zero, whose
 * error is σ·√(1 + 1/f) rather than the σ·√2 of repeating the last step, which let a wrong alias run away frame after
 * frame). Each frame is then refined against the sum of all the other aligned frames (two leave-one-out passes
 * within 1.5 px), and frame 0 stays the origin. Nothing in the images can tell lattice aliases apart on a perfect
 * lattice; on real fields the pore, edges and defects do, to the extent the counts allow.
 * Seeded: frame f draws from Rng.stream(seed, Stream.ACQUISITION_FRAME, f), or rng.child(Stream.ACQUISITION_FRAME, f) when an Rng is given.
 */
import { InputError, Rng, Stream, checkFinite, registerPhaseCorrelation, sampleBilinear } from '../core/index.js';
import { gaussianBlur } from './scan.js';

export interface AcquisitionOptions {
  /** Total electron dose over all frames, e⁻/Å² (> 0). */
  dose_ePerA2: number;
  /** Number of fast frames (default 1). */
  frames?: number;
  /** Detector gain, counts per electron (default 1). */
  gain?: number;
  /** Detector offset, counts (default 0). */
  offset?: number;
  /** Gaussian read noise, counts r.m.s. per pixel per frame (default 0). */
  readNoise?: number;
  /** Scan-line jitter: r.m.s. x offset per line, Å (default 0). */
  lineJitter_A?: number;
  /** Linear drift velocity, Å per frame [vx, vy] (default [0, 0]). */
  drift_APerFrame?: readonly [number, number];
  /** Random-walk drift: r.m.s. step per frame and axis, Å (default 0). */
  driftWalk_APerFrame?: number;
  /** Align frames by registration before summing (default true; needs an image of at least 8×8 px when frames > 1). */
  align?: boolean;
  /** Seed (default 0); ignored when `rng` is given. */
  seed?: number;
  /** Parent stream (e.g. Rng.stream(runSeed, stage, frameIndex)); frame f uses rng.child(Stream.ACQUISITION_FRAME, f). */
  rng?: Rng;
}

export interface AcquiredImage {
  /** Sum of the aligned frames, detector counts (gain·electrons + offset per frame). */
  readonly counts: Float32Array;
  /** Estimate of the signal as a fraction of the beam: (counts − N·offset) / (gain · electrons per pixel). */
  readonly fraction: Float32Array;
  readonly width: number;
  readonly height: number;
  /** Incident electrons per pixel per frame. */
  readonly electronsPerPixelPerFrame: number;
  /** Scan offset of each frame at its start, Å: frame f records ideal(r + offset_f). */
  readonly trueOffsets_A: [number, number][];
  /** The same as image shifts, px: frame f ≈ frame 0 shifted by this (what alignment should find, = −offset/pixel). */
  readonly trueShifts_px: [number, number][];
  /** Shifts found by registration, px (moving(x) ≈ first(x − shift)); [0, 0] for all when align is false. */
  readonly alignShifts_px: [number, number][];
}

/**
 * Shift (dx, dy) px that best aligns `b` onto `a` (b(r) ≈ a(r − d)), searched within maxShift px of zero:
 * FFT cross-correlation with sub-pixel (1/20 px) refinement (src/core/image registerPhaseCorrelation).
 */
export function crossCorrelationShift(a: Float32Array, b: Float32Array, W: number, H: number, maxShift: number): [number, number] {
  const r = registerPhaseCorrelation(a, b, W, H, { search: { center_px: [0, 0], radius_px: maxShift } });
  return [r.dx_px, r.dy_px];
}

interface Validated { N: number; gain: number; offset: number; readNoise: number; jitter: number; vx: number; vy: number; walk: number }

function validate(ideal: Float32Array, W: number, H: number, px_A: number, py_A: number, o: AcquisitionOptions): Validated {
  if (!Number.isInteger(W) || !Number.isInteger(H) || W < 1 || H < 1 || ideal.length !== W * H) throw new InputError('image', `${ideal.length} px for ${W}×${H}`, 'width × height pixels, both positive integers');
  checkFinite(px_A, 'pixel.x', { min: 0, exclusiveMin: true, unit: 'Å' });
  checkFinite(py_A, 'pixel.y', { min: 0, exclusiveMin: true, unit: 'Å' });
  checkFinite(o.dose_ePerA2, 'dose', { min: 0, exclusiveMin: true, unit: 'e⁻/Å²' });
  const N = o.frames ?? 1;
  if (!Number.isInteger(N) || N < 1 || N > 10000) throw new InputError('frames', N, 'an integer 1…10000');
  if (N > 1 && o.align !== false && (W < 8 || H < 8)) throw new InputError('align', `${W}×${H} px`, 'an image of at least 8×8 px to register frames, or align: false');
  const [vx, vy] = o.drift_APerFrame ?? [0, 0];
  return {
    N,
    gain: checkFinite(o.gain ?? 1, 'gain', { min: 0, exclusiveMin: true }),
    offset: checkFinite(o.offset ?? 0, 'offset'),
    readNoise: checkFinite(o.readNoise ?? 0, 'readNoise', { min: 0 }),
    jitter: checkFinite(o.lineJitter_A ?? 0, 'lineJitter', { min: 0, unit: 'Å' }),
    vx: checkFinite(vx, 'drift.x', { unit: 'Å' }),
    vy: checkFinite(vy, 'drift.y', { unit: 'Å' }),
    walk: checkFinite(o.driftWalk_APerFrame ?? 0, 'driftWalk', { min: 0, unit: 'Å' }),
  };
}

/** One fast frame: scan with offset (ox, oy) Å at its start, intra-frame linear drift and line jitter; Poisson, gain, offset, read noise. */
function recordFrame(ideal: Float32Array, W: number, H: number, px_A: number, py_A: number, v: Validated, ox: number, oy: number, ePerPx: number, periodic: boolean, rng: Rng): Float32Array {
  const frame = new Float32Array(W * H);
  for (let j = 0; j < H; j++) {
    const jit = v.jitter > 0 ? v.jitter * rng.normal() : 0;
    for (let i = 0; i < W; i++) {
      const t = (j * W + i) / (W * H); // time within the frame, in frames
      const x = i + (ox + v.vx * t + jit) / px_A, y = j + (oy + v.vy * t) / py_A;
      const lambda = Math.max(0, sampleBilinear(ideal, W, H, x, y, periodic)) * ePerPx;
      let c = v.gain * rng.poisson(lambda) + v.offset;
      if (v.readNoise > 0) c += v.readNoise * rng.normal();
      frame[j * W + i] = c;
    }
  }
  return frame;
}

/**
 * Records `ideal` (fraction of the beam, W×H, pixel (px_A, py_A) Å) as N drifting, jittered, noisy frames, aligns and
 * sums them. `periodic` images wrap at the edges (whole-cell scans); others clamp.
 */
export function acquire(ideal: Float32Array, W: number, H: number, px_A: number, py_A: number, o: AcquisitionOptions, periodic = false): AcquiredImage {
  const v = validate(ideal, W, H, px_A, py_A, o);
  const N = v.N;
  const ePerPx = (o.dose_ePerA2 / N) * px_A * py_A;
  const seed = o.seed ?? 0;
  const counts = new Float32Array(W * H);
  const trueOffsets: [number, number][] = [];
  const trueShifts: [number, number][] = [];
  let ox = 0, oy = 0;
  const frames: Float32Array[] = [];
  for (let f = 0; f < N; f++) {
    const rng = o.rng ? o.rng.child(Stream.ACQUISITION_FRAME, f) : Rng.stream(seed, Stream.ACQUISITION_FRAME, f);
    if (f > 0) { ox += v.vx + v.walk * rng.normal(); oy += v.vy + v.walk * rng.normal(); }
    trueOffsets.push([ox, oy]);
    trueShifts.push([-ox / px_A, -oy / py_A]);
    frames.push(recordFrame(ideal, W, H, px_A, py_A, v, ox, oy, ePerPx, periodic, rng));
  }
  const shifts = o.align !== false && N > 1 ? alignFrames(frames, W, H, periodic, correlationNoise(ideal, ePerPx, v.readNoise / v.gain)) : frames.map((): [number, number] => [0, 0]);
  for (let f = 0; f < N; f++) addShifted(counts, frames[f]!, W, H, shifts[f]!, periodic);
  const fraction = new Float32Array(W * H);
  for (let k = 0; k < fraction.length; k++) fraction[k] = (counts[k]! - N * v.offset) / (v.gain * ePerPx * N);
  return { counts, fraction, width: W, height: H, electronsPerPixelPerFrame: ePerPx, trueOffsets_A: trueOffsets, trueShifts_px: trueShifts, alignShifts_px: shifts };
}

/** counts += frame sampled at (x + s) (bilinear; exact copy for a zero shift). */
function addShifted(counts: Float32Array, frame: Float32Array, W: number, H: number, s: readonly [number, number], periodic: boolean): void {
  if (s[0] === 0 && s[1] === 0) for (let k = 0; k < counts.length; k++) counts[k]! += frame[k]!;
  else for (let j = 0; j < H; j++) for (let i = 0; i < W; i++) counts[j * W + i]! += sampleBilinear(frame, W, H, i + s[0], j + s[1], periodic);
}

/**
 * Relative standard error of a fast frame's correlation peak from its counting noise: with λ the expected electrons
 * per pixel (Poisson, plus read noise r in electrons) and d = λ − mean λ, the zero-shift correlation Σ d² has the
 * standard error √(Σ d²·(λ + r²)) / Σ d² relative to itself. Lattice aliases whose correlation lies within two such
 * errors of the best are "near-equal": the counts cannot tell them apart, and the drift prediction decides.
 */
/**
 * Floor of the near-equal tolerance: even without counting noise, the scan's own imperfections (the intra-frame
 * drift shears each frame, bilinear resampling of the running sum) make lattice-alias peaks differ by 1–2 % of the
 * best, so differences below 2.5 % are never taken as evidence (measured on a perfect 10 px lattice drifting
 * 2.5 px per frame at 1000 e⁻/px/frame: a 1 % floor picked an alias one period away, 2–3 % did not).
 */
const ALIAS_MODEL_FLOOR = 0.025;

function correlationNoise(ideal: Float32Array, ePerPx: number, read_e: number): number {
  let mean = 0;
  for (const v of ideal) mean += Math.max(0, v) * ePerPx;
  mean /= ideal.length;
  let num = 0, den = 0;
  for (const v of ideal) {
    const l = Math.max(0, v) * ePerPx, d = l - mean;
    num += d * d * (l + read_e * read_e);
    den += d * d;
  }
  return den > 0 ? Math.sqrt(num) / den : 1;
}

/** Rigid shifts (px, moving(x) ≈ frame0(x − s)) of every frame; frame 0 is the origin (see module doc). */
function alignFrames(frames: readonly Float32Array[], W: number, H: number, periodic: boolean, noise: number): [number, number][] {
  const N = frames.length;
  // A whole-cell (periodic) scan has no edges, so its registrations need no window and find circular shifts exactly.
  const window = !periodic;
  const smooth = (a: Float32Array) => gaussianBlur(a, W, H, 1, 1, periodic);
  const est: [number, number][] = [[0, 0]];
  const sum = Float32Array.from(frames[0]!);
  for (let f = 1; f < N; f++) {
    const prev = est[f - 1]!;
    const meanStep: [number, number] = f > 1 ? [prev[0] / (f - 1), prev[1] / (f - 1)] : [0, 0];
    const predicted: [number, number] = [prev[0] + meanStep[0], prev[1] + meanStep[1]];
    const coarse = registerPhaseCorrelation(smooth(sum), smooth(frames[f]!), W, H, { upsample: 1, window, prefer: { center_px: predicted, tolerance: Math.min(0.2, Math.max(ALIAS_MODEL_FLOOR, 2 * noise * Math.sqrt(1 + 1 / f))) } });
    const r = registerPhaseCorrelation(sum, frames[f]!, W, H, { window, search: { center_px: [coarse.dx_px, coarse.dy_px], radius_px: 1.5 } });
    est.push([r.dx_px, r.dy_px]);
    addShifted(sum, frames[f]!, W, H, est[f]!, periodic);
  }
  for (let pass = 0; pass < 2; pass++) {
    const aligned = frames.map((fr, f) => { const a = new Float32Array(W * H); addShifted(a, fr, W, H, est[f]!, periodic); return a; });
    const total = new Float32Array(W * H);
    for (const a of aligned) for (let k = 0; k < total.length; k++) total[k]! += a[k]!;
    const next = frames.map((fr, f): [number, number] => {
      const others = new Float32Array(W * H);
      for (let k = 0; k < others.length; k++) others[k] = total[k]! - aligned[f]![k]!;
      const r = registerPhaseCorrelation(others, fr, W, H, { window, search: { center_px: est[f]!, radius_px: 1.5 } });
      return [r.dx_px, r.dy_px];
    });
    const [x0, y0] = next[0]!;
    for (let f = 0; f < N; f++) est[f] = f === 0 ? [0, 0] : [next[f]![0] - x0, next[f]![1] - y0];
  }
  return est;
}
