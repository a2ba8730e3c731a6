/**
 * Acquisition model: an ideal HAADF image (fraction of the incident beam) → what a detector records.
 * N fast frames share the dose; each is scanned with drift (linear velocity + random walk between frames, and
 * the linear part also within the frame, row by row) and scan-line jitter (a random x offset per line), recorded
 * as Poisson electron counts, multiplied by the detector gain and offset with Gaussian read noise; the frames are
 * then aligned by cross-correlation to the first and summed, as in the seed study's fast-frame acquisition
 * (several short frames rigidly registered and summed to beat drift). Seeded: Rng.stream(seed, 9301, frame).
 */
import { InputError, Rng, checkFinite } from '../core/index.js';

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
  /** Align frames by cross-correlation before summing (default true). */
  align?: boolean;
  /** Seed (default 0). */
  seed?: number;
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
  /** Applied frame offsets (Å) and the shifts found by alignment (px), per frame. */
  readonly trueOffsets_A: [number, number][];
  readonly alignShifts_px: [number, number][];
}

function bilinear(img: Float32Array, W: number, H: number, x: number, y: number, periodic: boolean): number {
  const ix = Math.floor(x), iy = Math.floor(y), tx = x - ix, ty = y - iy;
  const get = (i: number, j: number): number => {
    if (periodic) return img[(((j % H) + H) % H) * W + (((i % W) + W) % W)]!;
    return img[Math.min(H - 1, Math.max(0, j)) * W + Math.min(W - 1, Math.max(0, i))]!;
  };
  return (get(ix, iy) * (1 - tx) + get(ix + 1, iy) * tx) * (1 - ty) + (get(ix, iy + 1) * (1 - tx) + get(ix + 1, iy + 1) * tx) * ty;
}

/** Shift (dx, dy) in px that best aligns `b` onto `a` (b(r + d) ≈ a(r)), integer search ±maxShift then parabolic refinement. */
export function crossCorrelationShift(a: Float32Array, b: Float32Array, W: number, H: number, maxShift: number): [number, number] {
  const mean = (v: Float32Array): number => v.reduce((s, x) => s + x, 0) / v.length;
  const ma = mean(a), mb = mean(b);
  const cc = (dx: number, dy: number): number => {
    let s = 0;
    for (let y = maxShift; y < H - maxShift; y++) for (let x = maxShift; x < W - maxShift; x++) s += (a[y * W + x]! - ma) * (b[(y + dy) * W + x + dx]! - mb);
    return s;
  };
  let best = -Infinity, bx = 0, by = 0;
  for (let dy = -maxShift; dy <= maxShift; dy++) for (let dx = -maxShift; dx <= maxShift; dx++) {
    const v = cc(dx, dy);
    if (v > best) { best = v; bx = dx; by = dy; }
  }
  const refine = (m: number, c: number, p: number): number => { const d = m - 2 * c + p; return d < 0 ? (0.5 * (m - p)) / d : 0; };
  const rx = Math.abs(bx) < maxShift ? refine(cc(bx - 1, by), best, cc(bx + 1, by)) : 0;
  const ry = Math.abs(by) < maxShift ? refine(cc(bx, by - 1), best, cc(bx, by + 1)) : 0;
  return [bx + rx, by + ry];
}

/**
 * Records `ideal` (fraction of the beam, W×H, pixel (px, py) Å) as N drifting, jittered, noisy frames, aligns and
 * sums them. `periodic` images wrap at the edges (whole-cell scans); others clamp.
 */
export function acquire(ideal: Float32Array, W: number, H: number, px_A: number, py_A: number, o: AcquisitionOptions, periodic = false): AcquiredImage {
  checkFinite(o.dose_ePerA2, 'dose', { min: 0, exclusiveMin: true, unit: 'e⁻/Å²' });
  const N = o.frames ?? 1;
  if (!Number.isInteger(N) || N < 1 || N > 10000) throw new InputError('frames', N, 'an integer 1…10000');
  const gain = checkFinite(o.gain ?? 1, 'gain', { min: 0, exclusiveMin: true });
  const offset = checkFinite(o.offset ?? 0, 'offset');
  const readNoise = checkFinite(o.readNoise ?? 0, 'readNoise', { min: 0 });
  const jitter = checkFinite(o.lineJitter_A ?? 0, 'lineJitter', { min: 0, unit: 'Å' });
  const [vx, vy] = o.drift_APerFrame ?? [0, 0];
  checkFinite(vx, 'drift.x', { unit: 'Å' });
  checkFinite(vy, 'drift.y', { unit: 'Å' });
  const walk = checkFinite(o.driftWalk_APerFrame ?? 0, 'driftWalk', { min: 0, unit: 'Å' });
  const ePerPx = (o.dose_ePerA2 / N) * px_A * py_A;
  const seed = o.seed ?? 0;
  const frames: Float32Array[] = [];
  const trueOffsets: [number, number][] = [];
  let ox = 0, oy = 0;
  for (let f = 0; f < N; f++) {
    const rng = Rng.stream(seed, 9301, f);
    if (f > 0) { ox += vx + walk * rng.normal(); oy += vy + walk * rng.normal(); }
    trueOffsets.push([ox, oy]);
    const frame = new Float32Array(W * H);
    for (let j = 0; j < H; j++) {
      const jit = jitter > 0 ? jitter * rng.normal() : 0;
      for (let i = 0; i < W; i++) {
        const t = (j * W + i) / (W * H); // time within the frame
        const x = (i * px_A + ox + vx * t + jit) / px_A, y = (j * py_A + oy + vy * t) / py_A;
        const lambda = Math.max(0, bilinear(ideal, W, H, x, y, periodic)) * ePerPx;
        let v = gain * rng.poisson(lambda) + offset;
        if (readNoise > 0) v += readNoise * rng.normal();
        frame[j * W + i] = v;
      }
    }
    frames.push(frame);
  }
  const counts = Float32Array.from(frames[0]!);
  const shifts: [number, number][] = [[0, 0]];
  const maxShift = Math.max(1, Math.min(Math.floor(Math.min(W, H) / 4), Math.ceil((Math.hypot(vx, vy) * N + 4 * walk * Math.sqrt(N)) / Math.min(px_A, py_A)) + 2));
  for (let f = 1; f < N; f++) {
    const s: [number, number] = o.align === false ? [0, 0] : crossCorrelationShift(frames[0]!, frames[f]!, W, H, maxShift);
    shifts.push(s);
    for (let j = 0; j < H; j++) for (let i = 0; i < W; i++) counts[j * W + i]! += bilinear(frames[f]!, W, H, i + s[0], j + s[1], periodic);
  }
  const fraction = new Float32Array(W * H);
  for (let k = 0; k < fraction.length; k++) fraction[k] = (counts[k]! - N * offset) / (gain * ePerPx * N);
  return { counts, fraction, width: W, height: H, electronsPerPixelPerFrame: ePerPx, trueOffsets_A: trueOffsets, alignShifts_px: shifts };
}
