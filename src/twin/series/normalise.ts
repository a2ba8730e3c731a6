/**
 * Intensity normalisation of a series to a fraction of the incident beam, the unit simulated frames carry:
 *
 * - 'fraction': the values already are (a cathode-twin run or image says so in its file; otherwise the user states it);
 * - 'counts': electron counts, fraction = (value − offset) / (gain · dose · pixel area), with the dose per frame from
 *   the sidecar (e⁻/Å²), gain in counts per electron (default 1) and offset in counts (default 0);
 * - 'detector': a detector-sensitivity scan (the beam scanned over the annular detector, as atomap's
 *   example_detector_image) gives the detector's black level (no electrons: the hole and the outside) and its mean
 *   response where the beam hits the active area; fraction = (value − black) / (white − black) (Findlay & LeBeau,
 *   Ultramicroscopy 124, 52 (2013); the black/white levels are split by Otsu's threshold of the scan's histogram).
 *   It assumes the image was recorded with the same detector gain and offset as the scan: said in a note;
 * - 'relative': the scale is unknown; ratios, positions and regions that need no absolute level still hold.
 * 'auto' picks, in this order: the file's own statement, a detector scan when given, counts when every frame has a
 * dose and every value is a whole number, else relative, and says which in a note. It never takes values between
 * 0 and 1 to be a fraction of the beam.
 */
import { InputError } from '../../core/index.js';
import type { FrameSeries } from './read.js';

export type IntensityMode = 'auto' | 'fraction' | 'counts' | 'detector' | 'relative';
export const INTENSITY_MODES: readonly IntensityMode[] = ['auto', 'fraction', 'counts', 'detector', 'relative'];

/** An annular detector's response from a sensitivity scan. */
export interface DetectorResponse {
  /** Signal with no electrons on the detector (its black level). */
  readonly black: number;
  /** Mean signal with the whole beam on the active area. */
  readonly white: number;
  /** Share of the scan's pixels on the active area. */
  readonly activeFraction: number;
}

/** Otsu's threshold of a sample: the split maximising the between-class variance (256 bins). */
function otsu(v: ArrayLike<number>): number {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < v.length; i++) { const x = v[i]!; if (Number.isFinite(x)) { if (x < lo) lo = x; if (x > hi) hi = x; } }
  if (!(hi > lo)) return lo;
  const nb = 256, h = new Float64Array(nb);
  for (let i = 0; i < v.length; i++) { const x = v[i]!; if (Number.isFinite(x)) h[Math.min(nb - 1, Math.floor(((x - lo) / (hi - lo)) * nb))]! += 1; }
  let total = 0, sum = 0;
  for (let b = 0; b < nb; b++) { total += h[b]!; sum += b * h[b]!; }
  let w0 = 0, s0 = 0, best = -1, bt = 0;
  for (let b = 0; b < nb - 1; b++) {
    w0 += h[b]!; s0 += b * h[b]!;
    const w1 = total - w0;
    if (w0 === 0 || w1 === 0) continue;
    const m0 = s0 / w0, m1 = (sum - s0) / w1;
    const between = w0 * w1 * (m0 - m1) ** 2;
    if (between > best) { best = between; bt = b; }
  }
  return lo + ((bt + 1) / nb) * (hi - lo);
}

/** The black level and active-area response of a detector scan (InputError naming `field` when it is not bimodal). */
export function detectorResponse(scan: ArrayLike<number>, field = '--detector-scan'): DetectorResponse {
  const t = otsu(scan);
  const lowV: number[] = [];
  let hs = 0, hn = 0;
  for (let i = 0; i < scan.length; i++) {
    const x = scan[i]!;
    if (!Number.isFinite(x)) continue;
    if (x < t) lowV.push(x); else { hs += x; hn++; }
  }
  lowV.sort((a, b) => a - b);
  const black = lowV.length ? lowV[Math.floor(lowV.length / 2)]! : NaN;
  const white = hn ? hs / hn : NaN;
  const activeFraction = hn / (hn + lowV.length);
  if (!(white > black) || !(activeFraction > 0.01 && activeFraction < 0.99) || !(white - black > 5 * Math.abs(black) * 1e-3)) {
    throw new InputError(field, `levels ${black} / ${white}, active share ${activeFraction.toFixed(3)}`, 'a detector sensitivity scan: a bright annulus (the active area) on a dark background');
  }
  return { black, white, activeFraction };
}

/** A series in fraction of the beam (or relative units) and how it got there. */
export interface NormalisedSeries {
  readonly frames: Float32Array[];
  readonly intensity: 'fraction' | 'relative';
  readonly mode: Exclude<IntensityMode, 'auto'>;
  /** Vacuum level in the normalised units (0 for a fraction of the beam; unknown for relative). */
  readonly vacuumLevel?: number;
  readonly notes: string[];
}

/** Options of {@link normaliseIntensity}. */
export interface NormaliseOptions {
  readonly mode: IntensityMode;
  readonly detector?: DetectorResponse;
  /** Counts per electron (default 1) and offset in counts (default 0), for 'counts'. */
  readonly gain?: number;
  readonly offset?: number;
  /** Option name used in errors (default --normalise). */
  readonly field?: string;
}

/** Normalises `s` (see module doc). Needs the series' pixel size for 'counts'. */
export function normaliseIntensity(s: FrameSeries, o: NormaliseOptions): NormalisedSeries {
  const field = o.field ?? '--normalise';
  const notes: string[] = [];
  const doseKnown = s.meta.length === s.frames.length && s.meta.every((m) => m.dose_ePerA2 !== undefined && m.dose_ePerA2 > 0);
  let mode = o.mode;
  if (!INTENSITY_MODES.includes(mode)) throw new InputError(field, mode, INTENSITY_MODES.join(', '));
  if (mode === 'auto') {
    if (s.intensity === 'fraction') { mode = 'fraction'; notes.push('intensity: the file states its values are a fraction of the incident beam'); }
    else if (o.detector) { mode = 'detector'; }
    else if (doseKnown && s.frames.every((f) => wholeNumbers(f))) { mode = 'counts'; notes.push('intensity: whole-number values with a dose per frame, taken as electron counts'); }
    else { mode = 'relative'; notes.push('intensity scale unknown (no statement in the file, no detector scan, no dose with counts): intensities are relative; the pore needs --normalise fraction, counts (with doses) or detector'); }
  }
  if (mode === 'fraction') {
    if (s.intensity !== 'fraction') notes.push('intensity: taken as a fraction of the incident beam as stated by --normalise fraction');
    return { frames: s.frames, intensity: 'fraction', mode, vacuumLevel: 0, notes };
  }
  if (mode === 'relative') return { frames: s.frames, intensity: 'relative', mode, notes };
  if (mode === 'detector') {
    if (!o.detector) throw new InputError('--detector-scan', undefined, 'a detector sensitivity scan file with --normalise detector');
    const { black, white } = o.detector;
    notes.push(`intensity: detector-normalised, fraction = (value − ${black.toPrecision(6)}) / (${white.toPrecision(6)} − ${black.toPrecision(6)}); assumes the frames were recorded with the scan's detector gain and offset`);
    const k = 1 / (white - black);
    return { frames: s.frames.map((f) => Float32Array.from(f, (v) => (v - black) * k)), intensity: 'fraction', mode, vacuumLevel: 0, notes };
  }
  // counts
  if (!doseKnown) throw new InputError('--sidecar', 'no dose for every frame', 'a dose per frame (sidecar "dose" or dose_ePerA2) to normalise counts');
  const px = s.pixelSize_A, py = s.pixelSizeY_A ?? s.pixelSize_A;
  if (!(px && py)) throw new InputError('--pixel-size', undefined, 'a pixel size to turn a dose into electrons per pixel');
  const gain = o.gain ?? 1, offset = o.offset ?? 0;
  if (!(gain > 0)) throw new InputError('--gain', gain, 'counts per electron > 0');
  notes.push(`intensity: counts → fraction of the beam with dose per frame × ${(px * py).toPrecision(5)} Å² per pixel${gain !== 1 || offset !== 0 ? `, gain ${gain}, offset ${offset}` : ''}`);
  return { frames: s.frames.map((f, i) => { const e = s.meta[i]!.dose_ePerA2! * px * py * gain; return Float32Array.from(f, (v) => (v - offset) / e); }), intensity: 'fraction', mode: 'counts', vacuumLevel: 0, notes };
}

function wholeNumbers(f: Float32Array): boolean {
  for (let i = 0; i < f.length; i += 7) if (f[i] !== Math.round(f[i]!)) return false;
  return true;
}
