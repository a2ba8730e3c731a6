/**
 * Annular detectors on the exit-wave diffraction pattern: weights 1 for inner ≤ θ < outer, θ = λ|k|.
 */
import { InputError, checkFinite } from '../core/index.js';
import { type Grid, bandLimit_perA, k2Grid_perA2 } from './grid.js';

/** An annular detector, angles in mrad. */
export interface AnnularDetector {
  readonly inner_mrad: number;
  readonly outer_mrad: number;
}

/**
 * Validates the detector against the grid: inner ≥ 0, outer > inner, and outer inside the 2/3 band limit.
 * The error for a too-coarse sampling names the sampling that would do: Δ ≤ λ / (3 θ_outer).
 */
export function checkDetector(det: AnnularDetector, grid: Grid, wavelength_A: number, field = 'detector'): void {
  checkFinite(det.inner_mrad, `${field}.inner`, { min: 0, unit: 'mrad' });
  checkFinite(det.outer_mrad, `${field}.outer`, { min: 0, exclusiveMin: true, unit: 'mrad' });
  if (!(det.outer_mrad > det.inner_mrad)) {
    throw new InputError(field, `${det.inner_mrad}-${det.outer_mrad} mrad`, 'an outer angle greater than the inner angle');
  }
  const maxAngle_mrad = bandLimit_perA(grid) * wavelength_A * 1e3;
  if (det.outer_mrad > maxAngle_mrad * (1 + 1e-9)) {
    const need = wavelength_A / (3 * det.outer_mrad * 1e-3);
    throw new InputError(
      'sampling',
      `${Math.max(grid.samplingX_A, grid.samplingY_A).toFixed(4)} Å`,
      `a sampling ≤ ${need.toFixed(4)} Å so that the ${det.outer_mrad} mrad outer angle lies inside the 2/3 band limit (${maxAngle_mrad.toFixed(1)} mrad now)`,
    );
  }
}

/** Detector weights on the k-space grid (FFT layout [ny][nx]). */
export function annularMask(grid: Grid, wavelength_A: number, det: AnnularDetector): Float32Array {
  const k2 = k2Grid_perA2(grid);
  const lo = (det.inner_mrad * 1e-3) / wavelength_A, hi = (det.outer_mrad * 1e-3) / wavelength_A;
  const lo2 = lo * lo, hi2 = hi * hi;
  const m = new Float32Array(k2.length);
  for (let i = 0; i < k2.length; i++) m[i] = k2[i]! >= lo2 && k2[i]! < hi2 ? 1 : 0;
  return m;
}
