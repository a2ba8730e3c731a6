/**
 * The imaging stage of the forward model: species snapshot → Atoms (src/lattice toAtoms) → HAADF image
 * (src/multislice: the calibrated incoherent mode or full multislice, imported statically) → the
 * acquisition model at the scenario's dose (fast frames, drift, jitter, Poisson, alignment).
 */
import { Rng, Stream } from '../../core/index.js';
import { toAtoms, type Lamella } from '../../lattice/index.js';
import { acquire, simulateHaadf, simulateIncoherent, wavelength_A, type HaadfImage, type HaadfOptions } from '../../multislice/index.js';
import { doseAt, type Scenario } from '../scenario/index.js';
import type { AcquiredFrame, ImagingMode } from './types.js';

/** HAADF options from the scenario (multislice wave sampling chosen so 180 mrad lies inside the 2/3 band). */
export function haadfOptions(s: Scenario, mode: ImagingMode, seed: number, workers: number): HaadfOptions {
  const im = s.imaging;
  const lambda = wavelength_A(im.energy_eV);
  // 2/3 band limit ≥ outer angle: k_max = (2/3)/(2Δx) ≥ θ/λ ⇒ Δx ≤ λ/(3θ).
  const sampling = Math.min(0.05, lambda / (3 * im.detectorOuter_mrad * 1e-3));
  return {
    energy_eV: im.energy_eV,
    semiangle_mrad: im.semiangle_mrad,
    aberrations: { C10: -im.defocus_A, C30: im.cs_A },
    detector: { inner_mrad: im.detectorInner_mrad, outer_mrad: im.detectorOuter_mrad },
    sampling_A: sampling,
    sliceThickness_A: im.sliceThickness_A,
    scanStep_A: im.sampling_A,
    phonons: mode === 'multislice' ? im.phonons : 0,
    seed,
    sourceSize_A: im.sourceSize_A,
    workers,
  };
}

/** The ideal HAADF image of one species snapshot. */
export function imageFrame(lamella: Lamella, species: Uint8Array, s: Scenario, mode: ImagingMode, seed: number, workers: number): Promise<HaadfImage> {
  const atoms = toAtoms(lamella.lattice, species);
  const opts = haadfOptions(s, mode, seed, workers);
  return mode === 'incoherent' ? simulateIncoherent(atoms, opts) : simulateHaadf(atoms, opts);
}

/** The acquired frame of an ideal image at the scenario's dose for `temperature_K`; noise stream (seed, RUN_ACQUISITION, frame[, replica > 0]). */
export function acquireFrame(img: HaadfImage, s: Scenario, temperature_K: number, seed: number, frame: number, replica = 0): AcquiredFrame {
  const im = s.imaging;
  const dose = doseAt(im, temperature_K);
  const a = acquire(img.data, img.width, img.height, img.sampling_A, img.samplingY_A, {
    dose_ePerA2: dose, frames: im.frames, driftWalk_APerFrame: im.drift_A, lineJitter_A: im.jitter_A, rng: replica > 0 ? Rng.stream(seed, Stream.RUN_ACQUISITION, frame, replica) : Rng.stream(seed, Stream.RUN_ACQUISITION, frame),
  });
  return { data: a.fraction, width: img.width, height: img.height, sampling_A: img.sampling_A, samplingY_A: img.samplingY_A, origin_A: [img.origin_A[0], img.origin_A[1]], dose_ePerA2: dose, drift_px: a.trueShifts_px, measured_px: a.alignShifts_px };
}
