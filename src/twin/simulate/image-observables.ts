/**
 * The image side of the onset rules for simulated frames: each acquired frame through the one image
 * analysis (`analyseFrame` of src/twin/analyse, with the zone lattice the fit gives every frame,
 * src/twin/fit/lattice.ts), so a run reads its image onsets exactly as `analyse` and `fit` read an
 * experimental series. Per region (rim, APB zone, bulk; the regions the analysis segments on the frame):
 * the inset-profile ratio `liMRatio.<region>` (Li-site over M-site intensity across the layers, the M
 * rows' phase from the fitted columns: the same definition `analyse` and `fit` read), and the
 * column-intensity ratio `liMColumnRatio.<region>` (mean integrated intensity of the Li-layer columns
 * over the M-layer ones, columns at the frame edge left out) with its standard error from the column
 * scatter (delta method: SE(r) = r·√(s_L²/(n_L·m_L²) + s_M²/(n_M·m_M²))), the measurement noise of one
 * frame. The profile ratio's standard error: the region cut into STRIPS strips along the layers, the same
 * profile (same M-row phase, normal and period) in each, SE = sd(strip ratios)/√STRIPS: the within-frame
 * scatter, a diagnostic (SimFrame.noise). It is not the onset rules' noise for one series: it holds the strips'
 * different rim geometry and, after an onset, their uneven transformation, and misses the noise common to a frame
 * (its M-row phase, region, drift), so one series' image onsets read its baseline frames' scatter instead
 * (src/twin/timeline/onsets.ts). A frame the analysis cannot read (no layer fringe) gives NaN, never a number.
 */
import { analyseFrame } from '../analyse/index.js';
import { zoneLattice } from '../fit/lattice.js';
import { layerProfile } from '../profile/index.js';
import type { Observables } from '../timeline/index.js';
import type { AcquiredFrame } from './types.js';

const REGIONS: readonly [string, number][] = [['rim', 2], ['apb', 3], ['bulk', 4]];
/** Strips along the layers for the profile ratio's standard error. */
const STRIPS = 4;
const LI = 0, M = 1;

/** Image observables of one acquired frame and their standard errors (see module doc). */
export function imageObservables(a: AcquiredFrame, zone: string): { values: Observables; se: Observables } {
  const values: Observables = {}, se: Observables = {};
  const cal = { pixelX_A: a.sampling_A, pixelY_A: a.samplingY_A, intensity: 'fraction' as const };
  let an: ReturnType<typeof analyseFrame>;
  try {
    an = analyseFrame({ data: a.data, width: a.width, height: a.height }, cal, { zone, lattice_A: zoneLattice(a.data, a.width, a.height, cal, zone) });
  } catch {
    for (const [nm] of REGIONS) values[`liMColumnRatio.${nm}`] = se[`liMColumnRatio.${nm}`] = values[`liMRatio.${nm}`] = NaN;
    return { values, se };
  }
  const W = a.width, H = a.height, sx = a.sampling_A, sy = a.samplingY_A;
  const n = an.layerNormal ?? [0, 1];
  for (const [nm, code] of REGIONS) {
    const v = an.observables[`liMRatio.${nm}`];
    const prof = an.profiles[nm];
    if (v === undefined || !Number.isFinite(v) || !prof) continue;
    values[`liMRatio.${nm}`] = v;
    // strips along the layers: the pixel's coordinate along them, t = (−n_y, n_x)·r
    const ts: number[] = [];
    for (let i = 0; i < W * H; i++) if (an.regions.map[i] === code) ts.push(-n[1] * (i % W) * sx + n[0] * Math.floor(i / W) * sy);
    const sorted = [...ts].sort((x, y) => x - y);
    const cuts = Array.from({ length: STRIPS - 1 }, (_, k) => sorted[Math.floor(((k + 1) * sorted.length) / STRIPS)]!);
    const ratios: number[] = [];
    for (let k = 0; k < STRIPS; k++) {
      const mask = new Uint8Array(W * H);
      let c = 0;
      for (let i = 0; i < W * H; i++) {
        if (an.regions.map[i] !== code) continue;
        const t = -n[1] * (i % W) * sx + n[0] * Math.floor(i / W) * sy;
        const strip = cuts.filter((x) => t >= x).length;
        if (strip === k) { mask[i] = 1; c++; }
      }
      if (c === 0) continue;
      const p = layerProfile(a.data, W, H, { mask }, { sampling_A: sy, samplingX_A: sx, period_A: an.lattice.length2_A, normal: n, mPhase_A: prof.mPhase_A });
      if (Number.isFinite(p.ratio)) ratios.push(p.ratio);
    }
    if (ratios.length >= 2) {
      const m = ratios.reduce((x, y) => x + y, 0) / ratios.length;
      se[`liMRatio.${nm}`] = Math.sqrt(ratios.reduce((x, y) => x + (y - m) ** 2, 0) / (ratios.length - 1) / ratios.length);
    }
  }
  const t = an.columns;
  for (const [nm, code] of REGIONS) {
    const acc = [[0, 0, 0], [0, 0, 0]]; // n, Σx, Σx² for Li, M
    for (let i = 0; i < t.n; i++) {
      if (t.region[i] !== code || t.edge[i]) continue;
      const sub = t.sublattice[i]!;
      if (sub !== LI && sub !== M) continue;
      const v = t.intensity[i]!;
      const q = acc[sub]!;
      q[0]!++; q[1]! += v; q[2]! += v * v;
    }
    const [nL, sL, qL] = acc[LI]!, [nM, sM, qM] = acc[M]!;
    if (nL! < 2 || nM! < 2) continue; // no sites of this region in the field: absent (n/a), not 0
    const mL = sL! / nL!, mM = sM! / nM!;
    const vL = Math.max(0, (qL! - nL! * mL * mL) / (nL! - 1)), vM = Math.max(0, (qM! - nM! * mM * mM) / (nM! - 1));
    const r = mL / mM;
    values[`liMColumnRatio.${nm}`] = r;
    se[`liMColumnRatio.${nm}`] = Math.abs(r) * Math.sqrt(vL / (nL! * mL * mL) + vM / (nM! * mM * mM));
  }
  return { values, se };
}
