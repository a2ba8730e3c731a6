/**
 * Frame-by-frame comparison of an experimental series with a simulated one: pairing (one simulated frame for all,
 * equal counts by index, else nearest in time, else nearest in temperature), intensity normalisation (src/twin/series
 * normalise.ts: never a silent "fraction of the beam"), resampling to the experiment's pixel size, rotation from the
 * two frames' lattices (src/twin/analyse) and sub-pixel translation (src/twin/register), metrics (NCC, SSIM on a
 * window matched to the lattice, Poisson χ² when the experiment is in counts), the residual image, the Li-site/M-site
 * layer ratio across the layers in their actual orientation, and, per region, the image analysis of both frames side
 * by side (columns, sublattice intensities, Li/M ratios, pore area, facets). Every assumption made is returned as a
 * warning.
 *
 * SSIM: both frames are z-scored and compared with a Gaussian window of σ = max(1.5 px, ¼ of the shortest lattice
 * period): with the default 1.5 px window a frame of bright columns on a dark background is mostly background windows,
 * which match in any two such frames, and unrelated crystals scored ~0.3–0.6.
 */
import { InputError } from '../../core/index.js';
import { analyseFrame, braggPeaks, estimateLattice, latticeRotation, type FrameAnalysis, type Vec2 } from '../analyse/index.js';
import { ncc, poissonChi2, ssim } from '../metrics/index.js';
import { layerProfile } from '../profile/index.js';
import { registerPhaseCorrelation } from '../register/index.js';
import { normaliseIntensity, type DetectorResponse, type IntensityMode } from '../series/normalise.js';
import type { FrameSeries } from '../series/read.js';
import { resampleTo, sampleRigid, sampleShifted, zscore } from './align.js';

/** 'zscore' is 'relative' with both frames z-scored for the metrics (the old name, kept). */
export type Normalisation = IntensityMode | 'zscore';

/** Options of compareSeries. */
export interface CompareOptions {
  /** Intensity normalisation; default 'auto' (see src/twin/series/normalise.ts). */
  readonly normalisation?: Normalisation;
  /** Detector response for 'detector'. */
  readonly detector?: DetectorResponse;
  /** Experimental pixel size, Å, used only when the series carries none (the CLI applies --pixel-size's precedence when reading). */
  readonly pixelSize_A?: number;
  /** Simulation is a periodic cell image (tiles beyond its edges); default true. */
  readonly periodic?: boolean;
  /** Spacing of M layers for the Li/M profile, Å; default c/3 of NCM851005 = 4.7333. */
  readonly layerPeriod_A?: number;
  /** Layered zone for the per-region analysis ('210'), or undefined (general crystal). */
  readonly zone?: string;
  /** Analyse both frames per region (default false here, true in the CLI; costs two frame analyses per frame). */
  readonly regions?: boolean;
}

/** Per-region statistics of one frame (experiment or aligned simulation). */
export interface RegionStats {
  liMProfile: number;
  liMColumns: number;
  area_A2: number;
  columns: number;
}

/** One compared frame (units in names; NaN where not applicable). */
export interface FrameComparison {
  frame: number;
  simFrame: number;
  time_s: number;
  temperature_K: number;
  dose_ePerA2: number;
  /** Registered shift of the experiment relative to the (rotated) simulation: exp(x, y) ≈ sim(x − dx, y − dy). */
  shiftX_px: number;
  shiftY_px: number;
  shiftX_A: number;
  shiftY_A: number;
  /** The experiment's drift relative to its first frame. */
  driftX_px: number;
  driftY_px: number;
  registrationPeak: number;
  /** Rotation of the experiment's lattice relative to the simulation's (the simulation was rotated by it), degrees. */
  rotation_deg: number;
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
  /** r.m.s. of the residual image (experiment − simulation, in the compared units). */
  residualRms: number;
  /** Li-site / M-site intensity ratio of the experiment and of the aligned simulation (NaN where layers are not resolvable). */
  liMRatioExp: number;
  liMRatioSim: number;
}

/** The comparison of a series. */
export interface SeriesComparison {
  normalisation: 'fraction' | 'counts' | 'detector' | 'zscore';
  pixelSize_A: number;
  /** Pixel size of the resampled simulation (x, y), Å: the rounding of the cell to whole pixels. */
  simPixelResampled_A: [number, number];
  width: number;
  height: number;
  frames: FrameComparison[];
  /** Per frame and region: experiment and simulation statistics side by side (empty without the region analysis). */
  regions: { frame: number; region: string; exp: RegionStats; sim: RegionStats }[];
  /** Residual images (experiment − aligned simulation), one per frame, in the compared units. */
  residuals: Float32Array[];
  /** Every assumption made. */
  warnings: string[];
}

const NCM_C_A = 14.2;

function pairFrames(exp: FrameSeries, sim: FrameSeries, warnings: string[]): number[] {
  const n = exp.frames.length, m = sim.frames.length;
  if (m === 1) { if (n > 1) warnings.push('one simulated frame: compared with every experimental frame'); return new Array<number>(n).fill(0); }
  if (m === n) { warnings.push('frames paired by index (equal counts)'); return [...Array(n).keys()]; }
  const nearest = (te: (number | undefined)[], ts: (number | undefined)[]): number[] => te.map((t) => ts.reduce<number>((b, s, j) => (Math.abs(s! - t!) < Math.abs(ts[b]! - t!) ? j : b), 0));
  const te = exp.meta.map((f) => f.time_s), ts = sim.meta.map((f) => f.time_s);
  if (te.every((t) => t !== undefined) && ts.every((t) => t !== undefined)) { warnings.push('frames paired by nearest time'); return nearest(te, ts); }
  const Te = exp.meta.map((f) => f.temperature_K), Ts = sim.meta.map((f) => f.temperature_K);
  if (Te.every((t) => t !== undefined) && Ts.every((t) => t !== undefined)) { warnings.push('frames paired by nearest temperature (no times)'); return nearest(Te, Ts); }
  throw new InputError('--simulation', `${m} frames`, `1 frame, as many frames as the experiment (${n}), or a time or a temperature for every frame of both (sidecars) to pair them`);
}

/** Unit vector across the layers: the Bragg peak (cycles/px) nearest 1/period (within 6 %), or undefined. */
function layerNormal(peaks: readonly Vec2[], px: number, period_A: number): Vec2 | undefined {
  let best: Vec2 | undefined, err = 0.06;
  for (const [kx, ky] of peaks) {
    const k = Math.hypot(kx, ky) / px; // cycles per Å
    const e = Math.abs(k * period_A - 1);
    if (e < err) { err = e; best = [kx / Math.hypot(kx, ky), ky / Math.hypot(kx, ky)]; }
  }
  return best;
}

/** Compares `exp` with `sim` frame by frame (see module doc). */
export function compareSeries(exp: FrameSeries, sim: FrameSeries, o: CompareOptions = {}): SeriesComparison {
  const warnings: string[] = [];
  const pixel = exp.pixelSize_A ?? o.pixelSize_A;
  if (!(pixel && pixel > 0)) throw new InputError('--pixel-size', pixel, 'a pixel size for the experiment (its file calibration, a sidecar pixelSize, or --pixel-size); the simulation\'s is never assumed');
  let simPixel = sim.pixelSize_A;
  if (!(simPixel && simPixel > 0)) { simPixel = pixel; warnings.push(`the simulation carries no pixel size: taken equal to the experiment's (${pixel} Å)`); }
  const W = exp.width, H = exp.height;
  if (W < 8 || H < 8) throw new InputError('--experiment', `${W}×${H}`, 'frames of at least 8×8 px');
  const want = o.normalisation ?? 'auto';
  const norm = normaliseIntensity({ ...exp, pixelSize_A: pixel }, { mode: want === 'zscore' ? 'relative' : want, ...(o.detector ? { detector: o.detector } : {}) });
  warnings.push(...norm.notes);
  const label: SeriesComparison['normalisation'] = norm.mode === 'relative' ? 'zscore' : norm.mode;
  const pairs = pairFrames(exp, sim, warnings);
  const periodic = o.periodic ?? true;
  const resampled = sim.frames.map((f) => resampleTo(f, sim.width, sim.height, simPixel!, pixel));
  const r0 = resampled[0]!;
  if (Math.abs(r0.pixelX_A / pixel - 1) > 1e-3 || Math.abs(r0.pixelY_A / pixel - 1) > 1e-3) warnings.push(`the simulated cell rounds to whole pixels: its pixels are ${r0.pixelX_A.toFixed(5)} × ${r0.pixelY_A.toFixed(5)} Å against the experiment's ${pixel.toFixed(5)} Å`);
  if (periodic && (r0.width < W || r0.height < H)) warnings.push('the simulation is a periodic cell: tiled over the experiment\'s field (pass --periodic false for a finite one)');
  const period = o.layerPeriod_A ?? NCM_C_A / 3;
  const first = exp.frames[0]!;
  const frames: FrameComparison[] = [];
  const residuals: Float32Array[] = [];
  const regions: SeriesComparison['regions'] = [];
  const doRegions = o.regions === true;
  let rotationNoted = false, layersNoted = false, regionNoted = false;
  exp.frames.forEach((raw, k) => {
    const m = exp.meta[k]!;
    const e = norm.frames[k]!;
    const r = resampled[pairs[k]!]!;
    // Rotation from the two lattices (identity when either shows none).
    let theta = 0, win = 1.5;
    let expPeaks: Vec2[] | undefined;
    const simGrid0 = sampleShifted(r, W, H, 0, 0, periodic);
    try {
      const le = estimateLattice(e, W, H);
      expPeaks = le.peaks.map((q) => q.k);
      const ls = estimateLattice(simGrid0, W, H);
      theta = latticeRotation(ls.a1, ls.a2, le.a1, le.a2);
      if (Math.abs(theta) < (0.2 * Math.PI) / 180) theta = 0;
      win = Math.max(1.5, 0.25 * Math.min(Math.hypot(...ls.a1), Math.hypot(...ls.a2)));
    } catch { /* no lattice in one of them: translation only, default SSIM window */ }
    if (theta !== 0 && !rotationNoted) { warnings.push(`the experiment's lattice is rotated by ${((theta * 180) / Math.PI).toFixed(2)}° from the simulation's: the simulation is rotated to match (bilinear)`); rotationNoted = true; }
    const simGrid = theta === 0 ? simGrid0 : sampleRigid(r, W, H, theta, 0, 0, periodic);
    const reg = registerPhaseCorrelation(simGrid, e, W, H);
    const s = theta === 0 ? sampleShifted(r, W, H, reg.dx_px, reg.dy_px, periodic) : sampleRigid(r, W, H, theta, reg.dx_px, reg.dy_px, periodic);
    const drift = k === 0 ? { dx_px: 0, dy_px: 0 } : registerPhaseCorrelation(first, raw, W, H);
    const [a, b] = label === 'zscore' ? [zscore(e), zscore(s)] : [e, s];
    // SSIM on z-scored frames with a window matched to the lattice (module doc).
    const za = zscore(e), zb = zscore(s);
    let chi = { reduced: NaN, deviance: NaN }, dispersion = NaN;
    const ePerPx = m.dose_ePerA2 !== undefined ? m.dose_ePerA2 * pixel * pixel : NaN;
    if (label === 'counts' || ((label === 'fraction' || label === 'detector') && Number.isFinite(ePerPx))) {
      const obs = label === 'counts' ? raw : Float32Array.from(e, (v) => Math.round(v * ePerPx));
      const lam = Float32Array.from(s, (v) => v * ePerPx);
      chi = poissonChi2(obs, lam);
      let r2 = 0, sl = 0;
      for (let i = 0; i < lam.length; i++) if (lam[i]! > 0) { r2 += (obs[i]! - lam[i]!) ** 2; sl += lam[i]!; }
      dispersion = r2 / sl;
    }
    const res = Float32Array.from(a, (v, i) => v - b[i]!);
    let rr = 0;
    for (const v of res) rr += v * v;
    residuals.push(res);
    // Li/M across the layers in their actual orientation (the fringe at the layer period).
    const normal = period > 4 * pixel ? layerNormal(expPeaks ?? braggPeaks(e, W, H, 24).map((q) => [q.kx, q.ky] as Vec2), pixel, period) : undefined;
    if (!normal && !layersNoted) { warnings.push(`no layer fringe at ${period.toFixed(3)} Å in the experiment: the Li/M layer ratio is not computed`); layersNoted = true; }
    const lp = (img: ArrayLike<number>): number => (normal ? layerProfile(img, W, H, {}, { sampling_A: pixel, period_A: period, normal }).ratio : NaN);
    frames.push({
      frame: k, simFrame: pairs[k]!, time_s: m.time_s ?? NaN, temperature_K: m.temperature_K ?? NaN, dose_ePerA2: m.dose_ePerA2 ?? NaN,
      shiftX_px: reg.dx_px, shiftY_px: reg.dy_px, shiftX_A: reg.dx_px * pixel, shiftY_A: reg.dy_px * pixel,
      driftX_px: drift.dx_px, driftY_px: drift.dy_px, registrationPeak: reg.peak, rotation_deg: (theta * 180) / Math.PI,
      ncc: ncc(a, b), ssim: ssim(za, zb, W, H, { sigma_px: win }), chi2Reduced: chi.reduced, deviance: chi.deviance, dispersion,
      residualRms: Math.sqrt(rr / res.length), liMRatioExp: lp(e), liMRatioSim: lp(s),
    });
    if (doRegions) {
      try {
        const cal = { pixelX_A: pixel, intensity: norm.intensity, ...(norm.vacuumLevel !== undefined ? { vacuumLevel: norm.vacuumLevel } : {}) } as const;
        const opt = o.zone !== undefined ? { zone: o.zone } : {};
        const ae = analyseFrame({ data: e, width: W, height: H }, cal, opt);
        const as = analyseFrame({ data: s, width: W, height: H }, { pixelX_A: pixel, intensity: 'fraction' }, opt);
        for (const region of ['pore', 'rim', 'apb', 'bulk']) {
          const st = (x: FrameAnalysis): RegionStats => ({
            liMProfile: x.ratios[region]?.profile ?? NaN, liMColumns: x.ratios[region]?.columns ?? NaN, area_A2: x.regions.area_A2[region] ?? 0,
            columns: Array.from(x.columns.region).filter((v, i) => v === ['other', 'pore', 'rim', 'apb', 'bulk'].indexOf(region) && x.columns.detected[i]).length,
          });
          regions.push({ frame: k, region, exp: st(ae), sim: st(as) });
        }
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        if (!regionNoted) { warnings.push(`per-region statistics not computed: ${err.message}`); regionNoted = true; }
      }
    }
  });
  return { normalisation: label, pixelSize_A: pixel, simPixelResampled_A: [r0.pixelX_A, r0.pixelY_A], width: W, height: H, frames, regions, residuals, warnings };
}

/** The per-frame table as CSV. */
export function comparisonCsv(c: SeriesComparison): string {
  const keys = Object.keys(c.frames[0] ?? {}) as (keyof FrameComparison)[];
  const f = (v: number): string => (Number.isFinite(v) ? (Number.isInteger(v) ? String(v) : v.toPrecision(6)) : '');
  return [keys.join(','), ...c.frames.map((r) => keys.map((k) => f(r[k])).join(','))].join('\n') + '\n';
}

/** The per-region table (experiment and simulation side by side) as CSV. */
export function regionsCsv(c: SeriesComparison): string {
  const f = (v: number): string => (Number.isFinite(v) ? (Number.isInteger(v) ? String(v) : v.toPrecision(6)) : '');
  const rows = ['frame,region,liM_profile_exp,liM_profile_sim,liM_columns_exp,liM_columns_sim,area_A2_exp,area_A2_sim,columns_exp,columns_sim'];
  for (const r of c.regions) rows.push([r.frame, r.region, f(r.exp.liMProfile), f(r.sim.liMProfile), f(r.exp.liMColumns), f(r.sim.liMColumns), f(r.exp.area_A2), f(r.sim.area_A2), r.exp.columns, r.sim.columns].join(','));
  return rows.join('\n') + '\n';
}
