/**
 * Frame-by-frame comparison of an experimental series with a simulated one: pairing (one simulated frame for all,
 * equal counts by index, else nearest in time), resampling to the experiment's pixel size, sub-pixel registration
 * (phase correlation, src/twin/register), intensity normalisation, metrics (NCC, SSIM, Poisson χ² when the experiment
 * is in counts), Li-site/M-site layer ratio where layers are resolvable (src/twin/profile), and the experiment's own
 * drift trajectory (each frame registered to the first).
 *
 * Normalisation: 'fraction' (the experiment is in fraction of the incident beam, like the simulation: compared as is),
 * 'counts' (electron counts: fraction = counts / (dose · pixel area), needs the dose per frame), or 'zscore' (unknown
 * scale: both images z-scored). 'auto' picks counts when the dose is known and the values are whole numbers, fraction
 * when every value lies in [−0.05, 1], z-score otherwise.
 */
import { InputError } from '../../core/index.js';
import { ncc, poissonChi2, ssim } from '../metrics/index.js';
import { layerProfile } from '../profile/index.js';
import { registerPhaseCorrelation } from '../register/index.js';
import type { FrameSeries } from '../series/read.js';
import { resampleTo, sampleShifted, zscore } from './align.js';

export type Normalisation = 'auto' | 'fraction' | 'counts' | 'zscore';

/** Options of compareSeries. */
export interface CompareOptions {
  /** Intensity normalisation; default 'auto'. */
  readonly normalisation?: Normalisation;
  /** Experimental pixel size, Å, when the series does not carry one (else the simulation's is assumed). */
  readonly pixelSize_A?: number;
  /** Simulation is a periodic cell image (tiles beyond its edges); default true. */
  readonly periodic?: boolean;
  /** Spacing of M layers for the Li/M profile, Å; default c/3 of NCM851005 = 4.7333. Layers along image x. */
  readonly layerPeriod_A?: number;
}

/** One compared frame (units in names; NaN where not applicable). */
export interface FrameComparison {
  frame: number;
  simFrame: number;
  time_s: number;
  temperature_K: number;
  dose_ePerA2: number;
  /** Registered shift of the experiment relative to the simulation: exp(x, y) ≈ sim(x − dx, y − dy). */
  shiftX_px: number;
  shiftY_px: number;
  shiftX_A: number;
  shiftY_A: number;
  /** The experiment's drift relative to its first frame. */
  driftX_px: number;
  driftY_px: number;
  registrationPeak: number;
  ncc: number;
  ssim: number;
  /** Poisson χ²/pixel (≈ 1 when the experiment is a Poisson draw of the simulation) and deviance; NaN unless in counts. */
  chi2Reduced: number;
  deviance: number;
  /**
   * Residual dispersion Σ(n − λ)² / Σλ: 1 when the counts scatter like Poisson draws of the model at any count level
   * (Pearson χ²/pixel is dominated by rare counts where λ ≪ 1 and reads low there); NaN unless in counts.
   */
  dispersion: number;
  /** Li-site / M-site intensity ratio of the experiment and of the aligned simulation (NaN where layers are not resolvable). */
  liMRatioExp: number;
  liMRatioSim: number;
}

/** The comparison of a series. */
export interface SeriesComparison {
  normalisation: Exclude<Normalisation, 'auto'>;
  pixelSize_A: number;
  /** Pixel size of the resampled simulation (x, y), Å: the rounding of the cell to whole pixels. */
  simPixelResampled_A: [number, number];
  width: number;
  height: number;
  frames: FrameComparison[];
}

const NCM_C_A = 14.2;

function pairFrames(exp: FrameSeries, sim: FrameSeries): number[] {
  const n = exp.frames.length, m = sim.frames.length;
  if (m === 1) return new Array<number>(n).fill(0);
  if (m === n) return [...Array(n).keys()];
  const te = exp.meta.map((f) => f.time_s), ts = sim.meta.map((f) => f.time_s);
  if (te.every((t) => t !== undefined) && ts.every((t) => t !== undefined)) {
    return te.map((t) => ts.reduce((b, s, j) => (Math.abs(s! - t!) < Math.abs(ts[b]! - t!) ? j : b), 0));
  }
  throw new InputError('--simulation', `${m} frames`, `1 frame, as many frames as the experiment (${n}), or time_s for every frame of both (sidecars) to pair them`);
}

function decideNormalisation(exp: FrameSeries, want: Normalisation): Exclude<Normalisation, 'auto'> {
  const doseKnown = exp.meta.every((f) => f.dose_ePerA2 !== undefined);
  if (want === 'counts' && !doseKnown) throw new InputError('--normalise', 'counts', 'counts only with a dose per frame (sidecar dose / dose_ePerA2)');
  if (want !== 'auto') return want;
  let whole = true, inUnit = true;
  for (const f of exp.frames) for (let i = 0; i < f.length; i += 7) {
    const v = f[i]!;
    if (v !== Math.round(v)) whole = false;
    if (v < -0.05 || v > 1) inUnit = false;
  }
  if (doseKnown && whole) return 'counts';
  return inUnit ? 'fraction' : 'zscore';
}

/** Compares `exp` with `sim` frame by frame (see module doc). */
export function compareSeries(exp: FrameSeries, sim: FrameSeries, o: CompareOptions = {}): SeriesComparison {
  const pixel = exp.pixelSize_A ?? o.pixelSize_A ?? sim.pixelSize_A;
  if (!(pixel && pixel > 0)) throw new InputError('--pixel-size', pixel, 'a pixel size for the experiment (sidecar pixelSize, file calibration or --pixel-size)');
  const simPixel = sim.pixelSize_A ?? pixel;
  const norm = decideNormalisation(exp, o.normalisation ?? 'auto');
  const pairs = pairFrames(exp, sim);
  const W = exp.width, H = exp.height;
  if (W < 8 || H < 8) throw new InputError('--experiment', `${W}×${H}`, 'frames of at least 8×8 px');
  const resampled = sim.frames.map((f) => resampleTo(f, sim.width, sim.height, simPixel, pixel));
  const period = o.layerPeriod_A ?? NCM_C_A / 3;
  const layers = period > 4 * pixel;
  const first = exp.frames[0]!;
  const frames: FrameComparison[] = exp.frames.map((raw, k) => {
    const m = exp.meta[k]!;
    const ePerPx = m.dose_ePerA2 !== undefined ? m.dose_ePerA2 * pixel * pixel : NaN;
    const e = norm === 'counts' ? Float32Array.from(raw, (v) => v / ePerPx) : raw;
    const r = resampled[pairs[k]!]!;
    const simGrid = sampleShifted(r, W, H, 0, 0, o.periodic ?? true);
    const reg = registerPhaseCorrelation(simGrid, e, W, H);
    const s = sampleShifted(r, W, H, reg.dx_px, reg.dy_px, o.periodic ?? true);
    const drift = k === 0 ? { dx_px: 0, dy_px: 0 } : registerPhaseCorrelation(first, raw, W, H);
    const [a, b] = norm === 'zscore' ? [zscore(e), zscore(s)] : [e, s];
    let chi = { reduced: NaN, deviance: NaN }, dispersion = NaN;
    if (norm === 'counts' || (norm === 'fraction' && Number.isFinite(ePerPx))) {
      const obs = norm === 'counts' ? raw : Float32Array.from(raw, (v) => Math.round(v * ePerPx));
      const lam = Float32Array.from(s, (v) => v * ePerPx);
      chi = poissonChi2(obs, lam);
      let r2 = 0, sl = 0;
      for (let i = 0; i < lam.length; i++) if (lam[i]! > 0) { r2 += (obs[i]! - lam[i]!) ** 2; sl += lam[i]!; }
      dispersion = r2 / sl;
    }
    const lp = (img: ArrayLike<number>): number => (layers ? layerProfile(img, W, H, {}, { sampling_A: pixel, period_A: period }).ratio : NaN);
    return {
      frame: k, simFrame: pairs[k]!, time_s: m.time_s ?? NaN, temperature_K: m.temperature_K ?? NaN, dose_ePerA2: m.dose_ePerA2 ?? NaN,
      shiftX_px: reg.dx_px, shiftY_px: reg.dy_px, shiftX_A: reg.dx_px * pixel, shiftY_A: reg.dy_px * pixel,
      driftX_px: drift.dx_px, driftY_px: drift.dy_px, registrationPeak: reg.peak,
      ncc: ncc(a, b), ssim: ssim(a, b, W, H), chi2Reduced: chi.reduced, deviance: chi.deviance, dispersion,
      liMRatioExp: lp(e), liMRatioSim: lp(s),
    };
  });
  const r0 = resampled[0]!;
  return { normalisation: norm, pixelSize_A: pixel, simPixelResampled_A: [r0.pixelX_A, r0.pixelY_A], width: W, height: H, frames };
}

/** The per-frame table as CSV. */
export function comparisonCsv(c: SeriesComparison): string {
  const keys = Object.keys(c.frames[0] ?? {}) as (keyof FrameComparison)[];
  const f = (v: number): string => (Number.isFinite(v) ? (Number.isInteger(v) ? String(v) : v.toPrecision(6)) : '');
  return [keys.join(','), ...c.frames.map((r) => keys.map((k) => f(r[k])).join(','))].join('\n') + '\n';
}
