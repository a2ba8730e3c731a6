/**
 * Public entry points of the multislice simulator: one probe position, or a HAADF image.
 */
import type { Atoms } from '../lattice/atoms.js';
import { type BackendSelection, selectBackend } from './backend/registry.js';
import { type HaadfOptions, checkHaadfOptions } from './options.js';
import { wavelength_A } from './optics.js';
import { prepareMultislice } from './prepare.js';
import { fourierResample, gaussianBlur, nyquistStep_A, planScan } from './scan.js';
import { createProbeRunner } from './workers/pool.js';
import { residentSupports } from './resident.js';

/** A simulated image: signal as a fraction of the incident beam, row-major [height][width]. */
export interface HaadfImage {
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
  /** Pixel size along x, Å (along y: samplingY_A). */
  readonly sampling_A: number;
  readonly samplingY_A: number;
  /** Position of pixel (0, 0), Å. */
  readonly origin_A: readonly [number, number];
  /** Specimen thickness of `data`, Å. */
  readonly thickness_A: number;
  /** Images at the recorded thicknesses (the last is `data`). */
  readonly thicknessSeries: { thickness_A: number; data: Float32Array }[];
  /** What produced it (optics, grid, units), for sidecars. */
  readonly metadata: Record<string, unknown>;
}

/** Detector signal (fraction of the beam) for one probe position, at the full thickness and the recorded ones. */
export interface ProbeSignal {
  readonly signal: number;
  readonly thicknessSeries: { thickness_A: number; signal: number }[];
  /** What produced it (optics, grid, backend and device), for sidecars. */
  readonly metadata: Record<string, unknown>;
}

/**
 * Detector signal for the probe at (x_A, y_A), averaged over the frozen-phonon configurations.
 * @example await simulateProbeSignal(atoms, { energy_eV: 200e3, semiangle_mrad: 15.07, detector: { inner_mrad: 70, outer_mrad: 180 }, sampling_A: 0.04, sliceThickness_A: 2 }, 1.2, 3.4)
 */
export async function simulateProbeSignal(atoms: Atoms, opts: HaadfOptions, x_A: number, y_A: number): Promise<ProbeSignal> {
  checkHaadfOptions(atoms, opts);
  const img = await simulatePositions(atoms, opts, Float64Array.of(x_A, y_A));
  const series = img.recordThickness_A.map((t, r) => ({ thickness_A: t, signal: img.signals[r]! }));
  return { signal: series[series.length - 1]!.signal, thicknessSeries: series, metadata: runMetadata(img, atoms, opts) };
}

interface PositionsResult {
  /** [position][record] averaged over configurations (one detector). */
  signals: Float64Array;
  recordThickness_A: number[];
  prep: ReturnType<typeof prepareMultislice>;
  /** Which backend and device ran (and why, for 'auto'). */
  backend: Omit<BackendSelection, 'backend'> & { name: string; engine: string };
}

async function simulatePositions(atoms: Atoms, opts: HaadfOptions, positions_A: Float64Array): Promise<PositionsResult> {
  const prep = prepareMultislice(atoms, opts);
  const sel = await selectBackend(opts.backend ?? 'cpu', opts.backendOptions ?? {});
  const backend = sel.backend;
  const workers = backend.name === 'cpu' ? (opts.workers ?? 1) : 1;
  const engine = opts.engine ?? 'auto';
  const runner = createProbeRunner(workers, backend, engine);
  const np = positions_A.length / 2;
  const total = np * prep.nConfigs;
  let done = 0;
  try {
    const nRec = prep.setup.recordAfter.length;
    const sum = new Float64Array(np * nRec);
    for (let c = 0; c < prep.nConfigs; c++) {
      opts.onProgress?.(done, total, `transmission functions, configuration ${c + 1}/${prep.nConfigs}`);
      const stack = await runner.buildStack(prep, c);
      const r = await runner.run(prep.setup, stack, positions_A, (k) => { done += k; opts.onProgress?.(done, total, 'probes'); });
      for (let i = 0; i < sum.length; i++) sum[i]! += r[i]!; // configurations summed in order: deterministic
    }
    for (let i = 0; i < sum.length; i++) sum[i]! /= prep.nConfigs;
    const { nx, ny } = prep.setup.grid;
    const resident = backend.name === 'cpu' && engine !== 'planar' && residentSupports(nx, ny);
    const { backend: _b, ...info } = sel;
    return {
      signals: sum, recordThickness_A: prep.recordThickness_A, prep,
      backend: { ...info, name: backend.name, engine: resident ? 'resident (band-pruned, WASM-heap wave)' : backend.name === 'gpu' && engine !== 'planar' ? 'device-resident (gpu.js: all slices on the device per probe)' : 'planar (per-probe backend calls)' },
    };
  } finally {
    await runner.close();
    backend.dispose();
  }
}

/** The sidecar fields every multislice result shares (optics, grid, slicing, backend and device). */
function runMetadata(res: PositionsResult, atoms: Atoms, opts: HaadfOptions): Record<string, unknown> {
  const { setup } = res.prep;
  return {
    mode: 'multislice',
    units: 'fraction of incident beam',
    energy_eV: opts.energy_eV,
    wavelength_A: res.prep.wavelength_A,
    sigma_radPerVA: res.prep.sigma_radPerVA,
    semiangle_mrad: opts.semiangle_mrad,
    aberrations: opts.aberrations ?? {},
    detector_mrad: [opts.detector.inner_mrad, opts.detector.outer_mrad],
    ...gridMetadata(res.prep, atoms, opts),
    backend: res.backend,
    slices: setup.nSlices,
    sliceThickness_A: setup.sliceThickness_A,
    phonons: opts.phonons ?? 0,
    seed: opts.seed ?? 0,
    focalSpread_A: opts.focalSpread_A ?? 0,
    parametrization: opts.parametrization ?? 'lobato',
  };
}

/** The sidecar's description of the grid: what was asked, what ran and why they differ. */
export function gridMetadata(prep: ReturnType<typeof prepareMultislice>, atoms: Atoms, opts: HaadfOptions): Record<string, unknown> {
  const g = prep.setup.grid;
  const need = [Math.ceil(atoms.cell_A[0] / opts.sampling_A - 1e-9), Math.ceil(atoms.cell_A[1] / opts.sampling_A - 1e-9)];
  return {
    grid: [g.nx, g.ny],
    waveSampling_A: [g.samplingX_A, g.samplingY_A],
    gridRule: opts.grid ? 'fixed by the caller' : `rounded up from ${need.join('×')} (sampling ${opts.sampling_A} Å) to FFT-fast sizes`,
    potentialGrid: [g.nx * prep.potentialSupersampling, g.ny * prep.potentialSupersampling],
    potentialSampling_A: [g.samplingX_A / prep.potentialSupersampling, g.samplingY_A / prep.potentialSupersampling],
  };
}

/**
 * HAADF image of `atoms`. Without `scanRegion_A` the whole periodic cell is scanned at the probe's Nyquist
 * step and Fourier-interpolated to `scanStep_A`; with a region, probes sit at x0 + i·step (no interpolation).
 * The source-size blur is applied last (periodic for whole-cell scans, edge-clamped for regions).
 */
export async function simulateHaadf(atoms: Atoms, opts: HaadfOptions): Promise<HaadfImage> {
  checkHaadfOptions(atoms, opts);
  const nyq = nyquistStep_A(wavelength_A(opts.energy_eV), opts.semiangle_mrad);
  const step = opts.scanStep_A ?? nyq;
  const region = opts.scanRegion_A;
  const { scan, positions_A: pos, outW, outH, pixelX_A: px, pixelY_A: py, resample } = planScan(atoms.cell_A, nyq, step, region);
  const res = await simulatePositions(atoms, opts, pos);
  const nRec = res.recordThickness_A.length;
  const src = opts.sourceSize_A ?? 0;
  const series = res.recordThickness_A.map((t, r) => {
    let img: Float32Array = new Float32Array(scan.nx * scan.ny);
    for (let p = 0; p < img.length; p++) img[p] = res.signals[p * nRec + r]!;
    if (resample) img = fourierResample(img, scan.nx, scan.ny, outW, outH);
    if (src > 0) img = gaussianBlur(img, outW, outH, src / px, src / py, !region);
    return { thickness_A: t, data: img };
  });
  return {
    data: series[series.length - 1]!.data,
    width: outW,
    height: outH,
    sampling_A: px,
    samplingY_A: py,
    origin_A: region ? [region[0], region[1]] : [0, 0],
    thickness_A: series[series.length - 1]!.thickness_A,
    thicknessSeries: series,
    metadata: {
      ...runMetadata(res, atoms, opts),
      scanPositions: [scan.nx, scan.ny],
      scanStep_A: [scan.dx_A, scan.dy_A],
      nyquistStep_A: nyq,
      sourceSize_A: src,
    },
  };
}
