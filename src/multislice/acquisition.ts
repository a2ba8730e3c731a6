/**
 * Acquisition model: an ideal HAADF image (fraction of the incident beam) → what a detector records.
 * N fast frames share the dose; each is scanned with drift (linear velocity + random walk between frames, and
 * the linear part also within the frame, row by row) and scan-line jitter (a random x offset per line), recorded
 * as Poisson electron counts, multiplied by the detector gain and offset with Gaussian read noise; the frames are
 * then registered to the first (FFT cross-correlation with upsampled-DFT sub-pixel refinement, src/core/image),
 * shifted back (bilinear) and summed, as in the seed study's fast-frame acquisition (several short frames rigidly
 * registered and summed to beat drift).
 *
 * Periodic patterns: a crystal image correlates almost equally well at every lattice vector, so a frame is first
 * registered to the previous frame, taking among the near-equal peaks the one nearest the previous step (constant
 * drift velocity), which predicts its shift from the first; the registration to the first is then searched within
 * 1.5 px of that prediction. This is right as long as the change of the drift step between consecutive frames
 * stays below half a lattice period (on a perfect lattice nothing in the images can tell more); the final estimate
 * is always against the first frame, so errors do not accumulate.
 *
 * Seeded: frame f draws from Rng.stream(seed, Stream.ACQUISITION_FRAME, f), or rng.child(Stream.ACQUISITION_FRAME, f) when an Rng is given.
 */
import { InputError, Rng, Stream, checkFinite, registerPhaseCorrelation, sampleBilinear } from '../core/index.js';

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
  const shifts: [number, number][] = [];
  let ox = 0, oy = 0;
  let first: Float32Array | undefined, prev: Float32Array | undefined;
  let lastStep: [number, number] = [0, 0];
  for (let f = 0; f < N; f++) {
    const rng = o.rng ? o.rng.child(Stream.ACQUISITION_FRAME, f) : Rng.stream(seed, Stream.ACQUISITION_FRAME, f);
    if (f > 0) { ox += v.vx + v.walk * rng.normal(); oy += v.vy + v.walk * rng.normal(); }
    trueOffsets.push([ox, oy]);
    trueShifts.push([-ox / px_A, -oy / py_A]);
    const frame = recordFrame(ideal, W, H, px_A, py_A, v, ox, oy, ePerPx, periodic, rng);
    let s: [number, number] = [0, 0];
    if (f === 0) first = frame;
    else if (o.align !== false) {
      const last = shifts[f - 1]!;
      // Step from the previous frame, taking among near-equal (lattice-alias) peaks the one nearest the previous step
      // (constant drift velocity). A whole-cell (periodic) scan has no edges, so the final registration needs no
      // window and finds circular shifts exactly.
      const window = !periodic;
      const step = registerPhaseCorrelation(prev!, frame, W, H, { upsample: 1, prefer: { center_px: lastStep } });
      lastStep = [step.dx_px, step.dy_px];
      const center: [number, number] = [last[0] + step.dx_px, last[1] + step.dy_px];
      const r = registerPhaseCorrelation(first!, frame, W, H, { window, search: { center_px: center, radius_px: 1.5 } });
      s = [r.dx_px, r.dy_px];
    }
    shifts.push(s);
    prev = frame;
    if (s[0] === 0 && s[1] === 0) for (let k = 0; k < counts.length; k++) counts[k]! += frame[k]!;
    else for (let j = 0; j < H; j++) for (let i = 0; i < W; i++) counts[j * W + i]! += sampleBilinear(frame, W, H, i + s[0], j + s[1], periodic);
  }
  const fraction = new Float32Array(W * H);
  for (let k = 0; k < fraction.length; k++) fraction[k] = (counts[k]! - N * v.offset) / (v.gain * ePerPx * N);
  return { counts, fraction, width: W, height: H, electronsPerPixelPerFrame: ePerPx, trueOffsets_A: trueOffsets, trueShifts_px: trueShifts, alignShifts_px: shifts };
}
