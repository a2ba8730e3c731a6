/**
 * The S-matrix storage geometry. Every beam's exit wave is band-limited to the 2/3 aperture (the transmission
 * functions and the propagator are), so it is kept losslessly on a cropped k-grid that just holds that band:
 * a coarser real-space grid (cnx × cny over the cell, as Prismatic stores its S-matrix at the anti-aliased
 * resolution). cnx, cny are multiples of f, and the probe window is (cnx/f) × (cny/f) of those pixels, i.e.
 * exactly one period Lx/f × Ly/f of the f-sub-lattice beams.
 */
import { nextFftSize } from '../../core/fft/index.js';
import { type Grid, bandLimit_perA } from '../grid.js';

/** Sizes of the cropped S-matrix grid and of the probe window. */
export interface PrismGeometry {
  /** The multislice grid. */
  readonly grid: Grid;
  /** Interpolation factor. */
  readonly f: number;
  /** Cropped (stored) grid, pixels over the whole cell. */
  readonly cnx: number;
  readonly cny: number;
  /** Probe window, pixels (cnx/f, cny/f), FFT-friendly sizes. */
  readonly wnx: number;
  readonly wny: number;
}

/** The smallest cropped grid, a multiple of f with an FFT-friendly window, holding every frequency |k| ≤ band limit. */
export function prismGeometry(grid: Grid, f: number): PrismGeometry {
  const kc = bandLimit_perA(grid);
  const size = (n: number, L: number): number => {
    const need = Math.min(n, 2 * Math.floor(kc * L + 1e-9) + 1);
    return nextFftSize(Math.ceil(need / f)); // (cnx may exceed nx for large f: zero-padding in k, still exact)
  };
  const wnx = size(grid.nx, grid.extentX_A), wny = size(grid.ny, grid.extentY_A);
  return { grid, f, cnx: wnx * f, cny: wny * f, wnx, wny };
}

/** Signed frequency index of FFT bin i on an n-point axis. */
export function signedIndex(i: number, n: number): number {
  return i < (n + 1) / 2 ? i : i - n;
}
