/**
 * The PRISM beam set (Ophus, Adv. Struct. Chem. Imaging 3, 13 (2017), §"PRISM algorithm"): the plane
 * waves exp(2πi q·r) whose spatial frequencies q lie inside the probe-forming aperture and on the
 * interpolation-factor-f sub-lattice of the cell's reciprocal grid, q = (f·a/Lx, f·b/Ly) with integers a, b.
 * Beams on every f-th frequency make the incident probe periodic with period (Lx/f, Ly/f), which is what lets
 * each probe be reconstructed from a window of the cell of that size.
 */
import { InputError } from '../../core/index.js';
import type { Grid } from '../grid.js';

/** The beams of an S-matrix: integer frequency indices on the cell's k grid (q = qx/Lx, qy/Ly). */
export interface BeamSet {
  /** Interpolation factor f (integer ≥ 1). */
  readonly f: number;
  /** Frequency indices along x (multiples of f, signed), one per beam. */
  readonly qx: Int32Array;
  /** Frequency indices along y (multiples of f, signed), one per beam. */
  readonly qy: Int32Array;
}

/** Checks the interpolation factor: an integer 1…64 no larger than the grid allows (≥ 2 window pixels per axis). */
export function checkInterpolation(f: number, grid: Grid): void {
  if (!Number.isInteger(f) || f < 1 || f > 64 || grid.nx / f < 2 || grid.ny / f < 2) {
    throw new InputError('interpolation', f, `an integer 1…${Math.min(64, Math.floor(Math.min(grid.nx, grid.ny) / 2))}`);
  }
}

/**
 * Beams inside the aperture |q| ≤ α/λ on the f-sub-lattice, ordered by (qy, qx) ascending.
 * @param semiangle_mrad aperture semi-angle α, mrad. @param wavelength_A electron wavelength λ, Å.
 */
export function prismBeams(grid: Grid, wavelength_A: number, semiangle_mrad: number, f: number): BeamSet {
  checkInterpolation(f, grid);
  const kmax = (semiangle_mrad * 1e-3) / wavelength_A;
  const ax = Math.floor((kmax * grid.extentX_A) / f), ay = Math.floor((kmax * grid.extentY_A) / f);
  const qx: number[] = [], qy: number[] = [];
  for (let b = -ay; b <= ay; b++) {
    for (let a = -ax; a <= ax; a++) {
      const kx = (f * a) / grid.extentX_A, ky = (f * b) / grid.extentY_A;
      if (Math.hypot(kx, ky) <= kmax) { qx.push(f * a); qy.push(f * b); }
    }
  }
  return { f, qx: Int32Array.from(qx), qy: Int32Array.from(qy) };
}
