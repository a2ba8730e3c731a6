/**
 * PRISM HAADF simulation (Ophus, Adv. Struct. Chem. Imaging 3, 13 (2017)): same inputs and the same
 * HaadfImage contract as the plain multislice simulateHaadf, plus the interpolation factor f. Validation,
 * grid, slicing, transmission functions (shared with workers via SharedArrayBuffer), propagator and frozen
 * phonons come from prepareMultislice, so both algorithms see identical potentials.
 */
import { InputError } from '../../core/index.js';
import type { Atoms } from '../../lattice/atoms.js';
import { annularMask } from '../detector.js';
import { type TransmissionStack, sharedFloat32 } from '../engine.js';
import type { Grid } from '../grid.js';
import type { HaadfOptions } from '../options.js';
import { type PreparedMultislice, prepareMultislice } from '../prepare.js';
import { aberrationPhase_rad, resolveAberrations } from '../probe.js';
import { fourierResample, gaussianBlur, nyquistStep_A, planScan } from '../scan.js';
import { type HaadfImage, gridMetadata, simulateHaadf } from '../simulate.js';
import { CPU_DEVICE } from '../backend/registry.js';
import { checkInterpolation, prismBeams } from './beams.js';
import { prismGeometry } from './geometry.js';
import { createPrismRunner } from './pool.js';

/** Options of a PRISM run: the multislice options plus the interpolation factor. */
export interface PrismOptions extends HaadfOptions {
  /** Interpolation factor f (integer ≥ 1); default defaultInterpolation(cell): windows of ≥ PRISM_MIN_WINDOW_A. */
  interpolation?: number;
}

/** Smallest probe window (Å) the default interpolation factor allows; see test/multislice/prism-accuracy.test.ts. */
export const PRISM_MIN_WINDOW_A = 12;

/** Default f: the largest integer keeping the window (cell/f) at least PRISM_MIN_WINDOW_A wide along x and y. */
export function defaultInterpolation(cell_A: readonly [number, number, number]): number {
  return Math.max(1, Math.floor(Math.min(cell_A[0], cell_A[1]) / PRISM_MIN_WINDOW_A));
}

/** Result of simulatePrismSignals. */
export interface PrismSignals {
  /** Detector signal per position (fraction of the incident beam), averaged over phonon configurations. */
  readonly signals: Float64Array;
  readonly interpolation: number;
  readonly beams: number;
  readonly grid: Grid;
  /** Stored S-matrix grid and probe window, pixels. */
  readonly stored: readonly [number, number];
  readonly window: readonly [number, number];
  readonly thickness_A: number;
  readonly prep: ReturnType<typeof prepareMultislice>;
  /** Seconds spent in the S-matrix and in the reconstruction (summed over configurations). */
  readonly timing_s: { sMatrix: number; reconstruct: number };
}

/** Already prepared inputs to reuse (e.g. to compare with plain multislice on the very same transmission stack). */
export interface PrismReuse {
  /** prepareMultislice(atoms, opts) with the same options. */
  readonly prep: PreparedMultislice;
  /** prep.buildStack(0), if already built. */
  readonly stack0?: TransmissionStack;
}

/** PRISM detector signals for arbitrary probe positions (x, y interleaved, Å). */
export async function simulatePrismSignals(atoms: Atoms, opts: PrismOptions, positions_A: Float64Array, reuse?: PrismReuse): Promise<PrismSignals> {
  if (opts.thicknessSeries_A && opts.thicknessSeries_A.length > 0) {
    throw new InputError('thickness-series', opts.thicknessSeries_A, 'none with --algorithm prism (the S-matrix is built for the full thickness); use multislice');
  }
  if (opts.backend && opts.backend !== 'cpu' && opts.backend !== 'auto') {
    throw new InputError('backend', opts.backend, "'cpu' with --algorithm prism");
  }
  const prep = reuse?.prep ?? prepareMultislice(atoms, opts);
  const { setup } = prep;
  const grid = setup.grid;
  const f = opts.interpolation ?? defaultInterpolation(atoms.cell_A);
  checkInterpolation(f, grid);
  const geometry = prismGeometry(grid, f);
  const beams = prismBeams(grid, prep.wavelength_A, opts.semiangle_mrad, f);
  const nb = beams.qx.length, cn = geometry.cnx * geometry.cny;
  const windowGrid: Grid = {
    nx: geometry.wnx, ny: geometry.wny, extentX_A: grid.extentX_A / f, extentY_A: grid.extentY_A / f,
    samplingX_A: grid.extentX_A / geometry.cnx, samplingY_A: grid.extentY_A / geometry.cny,
  };
  const mask = sharedFloat32(geometry.wnx * geometry.wny);
  mask.set(annularMask(windowGrid, prep.wavelength_A, opts.detector));
  const ab = resolveAberrations(opts.aberrations);
  const chi = new Float64Array(setup.focal.length * nb);
  setup.focal.forEach(({ dC10_A }, node) => {
    const abn = { ...ab, C10: (ab.C10 ?? 0) + dC10_A };
    for (let b = 0; b < nb; b++) {
      const kx = beams.qx[b]! / grid.extentX_A, ky = beams.qy[b]! / grid.extentY_A;
      chi[node * nb + b] = aberrationPhase_rad(prep.wavelength_A * Math.hypot(kx, ky), Math.atan2(ky, kx), prep.wavelength_A, abn);
    }
  });
  const weights = Float64Array.from(setup.focal.map((q) => q.weight));
  const sRe = sharedFloat32(nb * cn), sIm = sharedFloat32(nb * cn);
  const np = positions_A.length / 2;
  const total = prep.nConfigs * (nb + np);
  let done = 0;
  let phase = 'S-matrix beams';
  const tick = (k: number): void => { done += k; opts.onProgress?.(done, total, phase); };
  const runner = createPrismRunner(opts.workers ?? 1);
  const sum = new Float64Array(np);
  const timing_s = { sMatrix: 0, reconstruct: 0 };
  try {
    for (let c = 0; c < prep.nConfigs; c++) {
      opts.onProgress?.(done, total, `transmission functions, configuration ${c + 1}/${prep.nConfigs}`);
      const stack = c === 0 && reuse?.stack0 ? reuse.stack0 : await runner.buildStack(prep, c);
      let t0 = performance.now();
      await runner.beams({ geometry, nSlices: setup.nSlices, stack, propagator: setup.propagator, beams, sRe, sIm }, tick);
      timing_s.sMatrix += (performance.now() - t0) / 1000;
      phase = 'probes';
      t0 = performance.now();
      const r = await runner.probes({ geometry, beams, sRe, sIm, chi_rad: chi, weights, masks: [mask] }, positions_A, tick);
      timing_s.reconstruct += (performance.now() - t0) / 1000;
      phase = 'S-matrix beams';
      for (let i = 0; i < np; i++) sum[i]! += r[i]!; // configurations summed in order: deterministic
    }
  } finally {
    await runner.close();
  }
  for (let i = 0; i < np; i++) sum[i]! /= prep.nConfigs;
  return {
    signals: sum, interpolation: f, beams: nb, grid, stored: [geometry.cnx, geometry.cny], window: [geometry.wnx, geometry.wny],
    thickness_A: prep.recordThickness_A[prep.recordThickness_A.length - 1]!, prep, timing_s,
  };
}

/**
 * HAADF image by PRISM, with simulateHaadf's scan conventions: without `scanRegion_A` the whole cell is scanned
 * at the probe's Nyquist step and Fourier-interpolated to `scanStep_A`; with a region, probes sit at x0 + i·step.
 * @example await simulateHaadfPrism(atoms, { energy_eV: 200e3, semiangle_mrad: 15.07, detector: { inner_mrad: 70, outer_mrad: 180 }, sampling_A: 0.04, sliceThickness_A: 1.66, interpolation: 2 })
 */
export async function simulateHaadfPrism(atoms: Atoms, opts: PrismOptions): Promise<HaadfImage> {
  const lambda = prepareMultislice(atoms, { ...opts, phonons: 0, thicknessSeries_A: [] }).wavelength_A;
  const nyq = nyquistStep_A(lambda, opts.semiangle_mrad);
  const step = opts.scanStep_A ?? nyq;
  const region = opts.scanRegion_A;
  const { scan, positions_A: pos, outW, outH, pixelX_A: px, pixelY_A: py, resample } = planScan(atoms.cell_A, nyq, step, region);
  const res = await simulatePrismSignals(atoms, opts, pos);
  let img: Float32Array = Float32Array.from(res.signals);
  if (resample) img = fourierResample(img, scan.nx, scan.ny, outW, outH);
  const src = opts.sourceSize_A ?? 0;
  if (src > 0) img = gaussianBlur(img, outW, outH, src / px, src / py, !region);
  const { setup } = res.prep;
  return {
    data: img, width: outW, height: outH, sampling_A: px, samplingY_A: py,
    origin_A: region ? [region[0], region[1]] : [0, 0],
    thickness_A: res.thickness_A,
    thicknessSeries: [{ thickness_A: res.thickness_A, data: img }],
    metadata: {
      mode: 'prism', interpolation: res.interpolation, beams: res.beams, sMatrixGrid: res.stored, probeWindow: res.window,
      units: 'fraction of incident beam', energy_eV: opts.energy_eV, wavelength_A: res.prep.wavelength_A,
      sigma_radPerVA: res.prep.sigma_radPerVA, semiangle_mrad: opts.semiangle_mrad, aberrations: opts.aberrations ?? {},
      detector_mrad: [opts.detector.inner_mrad, opts.detector.outer_mrad], ...gridMetadata(res.prep, atoms, opts),
      backend: { requested: opts.backend ?? 'cpu', name: 'cpu', device: CPU_DEVICE, ...(opts.backend === 'auto' ? { fallbackReason: 'PRISM runs on the CPU backend (its gpu.js steps are not wired into the PRISM driver)' } : {}) },
      slices: setup.nSlices, sliceThickness_A: setup.sliceThickness_A,
      scanPositions: [scan.nx, scan.ny], scanStep_A: [scan.dx_A, scan.dy_A], nyquistStep_A: nyq, phonons: opts.phonons ?? 0,
      seed: opts.seed ?? 0, sourceSize_A: src, focalSpread_A: opts.focalSpread_A ?? 0, parametrization: opts.parametrization ?? 'lobato',
      timing_s: res.timing_s,
    },
  };
}

/** The image algorithms of `cathode-twin image --algorithm`. */
export type HaadfAlgorithm = 'multislice' | 'prism';

/**
 * HAADF image by the named algorithm (for the CLI's `--algorithm multislice|prism` and `--interpolation f`):
 * both return the same HaadfImage contract; `interpolation` is ignored by multislice.
 */
export async function simulateHaadfWith(algorithm: HaadfAlgorithm, atoms: Atoms, opts: PrismOptions): Promise<HaadfImage> {
  if (algorithm === 'prism') return simulateHaadfPrism(atoms, opts);
  if (algorithm === 'multislice') return simulateHaadf(atoms, opts);
  throw new InputError('algorithm', algorithm, "'multislice' or 'prism'");
}
