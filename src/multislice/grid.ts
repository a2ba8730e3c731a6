/**
 * The simulation grid: a periodic nx × ny sampling of the cell's x–y plane, with the spatial
 * frequencies of the FFT layout and the 2/3 anti-aliasing band limit (Kirkland 2010, §6.8).
 */
import { InputError, checkFinite } from '../core/index.js';
import { isSupportedFftSize, nextFastFftSize, nextFftSize, pffftSupports } from '../core/fft/index.js';

export interface Grid {
  readonly nx: number;
  readonly ny: number;
  /** Periodic extent of the grid, Å. */
  readonly extentX_A: number;
  readonly extentY_A: number;
  /** Pixel sizes, Å (extent / n). */
  readonly samplingX_A: number;
  readonly samplingY_A: number;
}

/**
 * The grid covering a cell at a sampling no coarser than `sampling_A`, sized for the FFT (`nextFftSize`).
 * @param extent_A periodic extent [x, y] in Å (> 0).
 * @param sampling_A wanted real-space pixel size, Å (> 0); the grid's is equal or finer.
 * @param o.fast round each side up to the next size of the WASM SIMD FFT (a multiple of 16 of the form 2^a·3^b·5^c,
 *   e.g. 648 → 720) where that FFT is available and the side is ≥ 64: ~2× faster per pixel than the other sizes
 *   (bench/fft.bench.ts), at the price of a finer sampling than asked. `o.size` fixes the grid instead.
 */
export function makeGrid(extent_A: readonly [number, number], sampling_A: number, o: { fast?: boolean; size?: readonly [number, number] } = {}): Grid {
  checkFinite(sampling_A, 'sampling', { min: 0, exclusiveMin: true, unit: 'Å' });
  checkFinite(extent_A[0], 'cell.x', { min: 0, exclusiveMin: true, unit: 'Å' });
  checkFinite(extent_A[1], 'cell.y', { min: 0, exclusiveMin: true, unit: 'Å' });
  const side = (L: number): number => {
    const need = Math.max(2, Math.ceil(L / sampling_A - 1e-9));
    return o.fast && need >= 64 && pffftSupports(16) ? nextFastFftSize(need) : nextFftSize(need);
  };
  if (o.size) {
    for (const [i, v] of o.size.entries()) {
      if (!isSupportedFftSize(v)) throw new InputError('grid', o.size.join('×'), `sides of the form 2^a·3^b·5^c ≥ 2 (side ${i + 1}: ${v}; e.g. ${nextFftSize(v)})`);
    }
    const g = { nx: o.size[0], ny: o.size[1], extentX_A: extent_A[0], extentY_A: extent_A[1], samplingX_A: extent_A[0] / o.size[0], samplingY_A: extent_A[1] / o.size[1] };
    if (g.nx * g.ny > 1 << 24) throw new InputError('grid', o.size.join('×'), 'at most 4096×4096 pixels');
    return g;
  }
  const nx = side(extent_A[0]);
  const ny = side(extent_A[1]);
  if (!isSupportedFftSize(nx) || !isSupportedFftSize(ny) || nx * ny > 1 << 24) {
    throw new InputError('sampling', sampling_A, `a sampling giving at most 4096×4096 pixels over ${extent_A[0]}×${extent_A[1]} Å`);
  }
  return { nx, ny, extentX_A: extent_A[0], extentY_A: extent_A[1], samplingX_A: extent_A[0] / nx, samplingY_A: extent_A[1] / ny };
}

/** Spatial frequencies (1/Å) along one axis in FFT order: 0, 1/L, …, −1/L. */
export function fftFrequencies_perA(n: number, extent_A: number): Float64Array {
  const k = new Float64Array(n);
  for (let i = 0; i < n; i++) k[i] = (i < (n + 1) / 2 ? i : i - n) / extent_A;
  return k;
}

/** Radius of the 2/3 anti-aliasing aperture, 1/Å: (2/3) of the smaller Nyquist frequency. */
export function bandLimit_perA(grid: Grid): number {
  return (2 / 3) * Math.min(1 / (2 * grid.samplingX_A), 1 / (2 * grid.samplingY_A));
}

/** k² (1/Å²) on the grid in FFT layout, row-major [ny][nx]. */
export function k2Grid_perA2(grid: Grid): Float64Array {
  const kx = fftFrequencies_perA(grid.nx, grid.extentX_A), ky = fftFrequencies_perA(grid.ny, grid.extentY_A);
  const out = new Float64Array(grid.nx * grid.ny);
  for (let y = 0; y < grid.ny; y++) for (let x = 0; x < grid.nx; x++) out[y * grid.nx + x] = kx[x]! ** 2 + ky[y]! ** 2;
  return out;
}
