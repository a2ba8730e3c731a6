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
 * frame. A frame the analysis cannot read (no layer fringe) gives NaN, never a number.
 */
import { analyseFrame } from '../analyse/index.js';
import { zoneLattice } from '../fit/lattice.js';
import type { Observables } from '../timeline/index.js';
import type { AcquiredFrame } from './types.js';

const REGIONS: readonly [string, number][] = [['rim', 2], ['apb', 3], ['bulk', 4]];
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
  for (const [nm] of REGIONS) {
    const v = an.observables[`liMRatio.${nm}`];
    if (v !== undefined && Number.isFinite(v)) values[`liMRatio.${nm}`] = v;
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
