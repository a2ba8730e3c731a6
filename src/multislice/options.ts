/**
 * Options of a HAADF simulation (plain data, canonical units) and their validation.
 */
import { InputError, checkFinite } from '../core/index.js';
import type { Atoms } from '../lattice/atoms.js';
import type { BackendName } from './backend/registry.js';
import type { AnnularDetector } from './detector.js';
import type { Parametrization } from './parametrizations/index.js';
import type { Aberrations } from './probe.js';

/**
 * The seed study's microscope (Ahmed et al., in situ heating of NCM851005, Experimental Details): double
 * Cs-corrected JEOL JEM 2200 FS at 200 kV, 15.07 mrad convergence semi-angle, HAADF 70–180 mrad. The one default
 * microscope of every verb and of scenarios.
 */
export const SEED_MICROSCOPE = Object.freeze({
  energy_eV: 200e3,
  semiangle_mrad: 15.07,
  detector: Object.freeze({ inner_mrad: 70, outer_mrad: 180 }),
});

export interface HaadfOptions {
  /** Beam energy, eV (200 kV → 200e3). */
  energy_eV: number;
  /** Probe-forming aperture semi-angle, mrad. */
  semiangle_mrad: number;
  /** Aberrations in Krivanek notation (Å, rad); default none. */
  aberrations?: Aberrations;
  /** Annular detector (mrad). */
  detector: AnnularDetector;
  /** Wanted real-space sampling of the wave, Å (the grid's is equal or finer). */
  sampling_A: number;
  /**
   * Fixed wave grid [nx, ny] (sides 2^a·3^b·5^c), overriding `sampling_A`'s grid. Without it the grid is rounded up to
   * the WASM SIMD FFT's sizes (multiples of 16, e.g. 648 → 720; the sidecar records both).
   */
  grid?: readonly [number, number];
  /** Probe loop: 'auto' (the resident, band-pruned loop where the grid allows) or 'planar' (the per-probe backend path, the benchmark baseline). */
  engine?: 'auto' | 'planar';
  /**
   * Pixel (Å) of the supersampled grid on which t = exp(iσV) is taken before band-limiting (default 0.0225 Å, or
   * 0.015 Å with an element heavier than Kr; always ≥ 2× finer than the wave): see src/multislice/fine-potential.ts.
   */
  potentialSampling_A?: number;
  /** Wanted slice thickness, Å (slices tile the cell: Δz = cell_z / ceil(cell_z / slice)). */
  sliceThickness_A: number;
  /** Output pixel size, Å; default: the probe's Nyquist step λ/(4α). */
  scanStep_A?: number;
  /** Scan region [x0, y0, x1, y1] in Å; default the whole periodic cell (scanned at Nyquist, Fourier-interpolated). */
  scanRegion_A?: readonly [number, number, number, number];
  /**
   * Number of frozen-phonon configurations; 0 = static lattice (default 0). With phonons ≥ 1, partial site
   * occupancies are also sampled per configuration (see sampleOccupancy); a static run uses occupancy-weighted
   * potentials (virtual crystal), which underestimates HAADF from mixed sites.
   */
  phonons?: number;
  /** Seed of the phonon displacements (default 0). */
  seed?: number;
  /** Isotropic B factors (Å²) by element symbol, overriding the defaults. */
  debyeWallerB_A2?: Readonly<Record<string, number>>;
  /** Gaussian source size (standard deviation), Å, applied to the image; default 0. */
  sourceSize_A?: number;
  /** Focal spread (standard deviation of defocus), Å; default 0 (off). Averaged with 5-point Gauss–Hermite quadrature. */
  focalSpread_A?: number;
  /** Extra thicknesses (Å) at which to record images (rounded to whole slices); the full cell is always recorded. */
  thicknessSeries_A?: readonly number[];
  /** Scattering factors (default 'lobato'). */
  parametrization?: Parametrization;
  /** Backend (default 'cpu'); 'gpu' is an InputError where gpu.js reaches no GPU, 'auto' falls back to cpu saying why. */
  backend?: BackendName;
  /** Options of the gpu.js backend: `{ mode: 'webasm' | 'cpu' }` runs its kernels emulated on the CPU (parity tests). */
  backendOptions?: { mode?: 'webasm' | 'cpu' };
  /** Worker threads for probe positions (default 1 = in process). */
  workers?: number;
  /**
   * Progress callback: done / total probe positions × configurations (PRISM: beams + probes per configuration), with
   * the current phase in words (e.g. 'transmission functions, configuration 1/4', 'probes', 'S-matrix beams').
   */
  onProgress?: (done: number, total: number, phase?: string) => void;
}

/** Checks the scalar options; throws InputError naming the field. */
export function checkHaadfOptions(atoms: Atoms, o: HaadfOptions): void {
  checkFinite(o.energy_eV, 'energy', { min: 1e3, max: 5e6, unit: 'eV' });
  checkFinite(o.semiangle_mrad, 'semiangle', { min: 0, exclusiveMin: true, max: 200, unit: 'mrad' });
  checkFinite(o.sampling_A, 'sampling', { min: 0, exclusiveMin: true, unit: 'Å' });
  if (o.potentialSampling_A !== undefined) checkFinite(o.potentialSampling_A, 'potential-sampling', { min: 0.001, max: 1, unit: 'Å' });
  checkFinite(o.sliceThickness_A, 'slice', { min: 0, exclusiveMin: true, unit: 'Å' });
  if (o.scanStep_A !== undefined) checkFinite(o.scanStep_A, 'scan-step', { min: 0, exclusiveMin: true, unit: 'Å' });
  const nph = o.phonons ?? 0;
  if (!Number.isInteger(nph) || nph < 0 || nph > 1000) throw new InputError('phonons', nph, 'an integer 0…1000 (0 = static lattice)');
  const w = o.workers ?? 1;
  if (!Number.isInteger(w) || w < 1 || w > 256) throw new InputError('workers', w, 'an integer 1…256');
  if (o.sourceSize_A !== undefined) checkFinite(o.sourceSize_A, 'source-size', { min: 0, unit: 'Å' });
  if (o.focalSpread_A !== undefined) checkFinite(o.focalSpread_A, 'focal-spread', { min: 0, unit: 'Å' });
  const [Lx, Ly, Lz] = atoms.cell_A;
  checkFinite(Lx, 'cell.x', { min: 0, exclusiveMin: true, unit: 'Å' });
  checkFinite(Ly, 'cell.y', { min: 0, exclusiveMin: true, unit: 'Å' });
  checkFinite(Lz, 'thickness', { min: 0, exclusiveMin: true, unit: 'Å' });
  if (o.scanRegion_A) {
    const [x0, y0, x1, y1] = o.scanRegion_A;
    if (![x0, y0, x1, y1].every(Number.isFinite) || !(x1 > x0 && y1 > y0)) {
      throw new InputError('scan-region', o.scanRegion_A, 'x0,y0,x1,y1 Å with x1 > x0 and y1 > y0');
    }
  }
  for (const t of o.thicknessSeries_A ?? []) checkFinite(t, 'thickness-series', { min: 0, exclusiveMin: true, max: Lz, unit: 'Å' });
}

/** 5-point Gauss–Hermite nodes (in units of σ) and weights (sum 1) for the focal-spread average. */
export function focalSpreadQuadrature(sigma_A: number): { dC10_A: number; weight: number }[] {
  if (!(sigma_A > 0)) return [{ dC10_A: 0, weight: 1 }];
  // Probabilists' Gauss–Hermite, 5 points: nodes 0, ±1.3556262, ±2.8569700; weights 8/15, 0.2220759, 0.0112574.
  const nodes = [-2.856970013872806, -1.355626179974266, 0, 1.355626179974266, 2.856970013872806];
  const weights = [0.011257411327721, 0.222075922005613, 0.533333333333333, 0.222075922005613, 0.011257411327721];
  return nodes.map((x, i) => ({ dC10_A: x * sigma_A, weight: weights[i]! }));
}
