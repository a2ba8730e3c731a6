/** The `imaging:` section: STEM optics, detector, sampling and the acquisition (dose, drift, frames). */
import { z } from 'zod';
import { SEED_MICROSCOPE } from '../../multislice/index.js';
import { quantity, quantityRange } from './quantity.js';

const M = SEED_MICROSCOPE;

const doseStep = z
  .strictObject({ from: quantity('temperature', { min: 200, max: 1400 }), dose: quantity('dose', { min: 1, max: 1e8 }) })
  .transform((d) => ({ from_K: d.from, dose_ePerA2: d.dose }));

export const imagingSchema = z
  .strictObject({
    /** multislice: full multislice with frozen phonons; incoherent: probe ⊗ calibrated column cross-sections (fast). */
    mode: z.enum(['incoherent', 'multislice']).prefault('incoherent'),
    voltage: quantity('voltage', { min: 10e3, max: 1.5e6 }).prefault(`${M.energy_eV / 1e3} kV`),
    semiangle: quantity('angle', { min: 1, max: 100 }).prefault(`${M.semiangle_mrad} mrad`),
    detector: quantityRange('angle', { min: 0, max: 1000 }).prefault(`${M.detector.inner_mrad}-${M.detector.outer_mrad} mrad`),
    /** Defocus (C10 = −defocus), Å. */
    defocus: quantity('length', { min: -5000, max: 5000 }).prefault('0 Å'),
    /** Spherical aberration C30. */
    cs: quantity('length', { min: -1e8, max: 1e8 }).prefault('0 Å'),
    /** Image pixel size (scan step). */
    sampling: quantity('length', { min: 0.02, max: 5 }).prefault('0.25 Å'),
    /** Multislice slice thickness. */
    slice: quantity('length', { min: 0.2, max: 20 }).prefault('2 Å'),
    /** Frozen-phonon configurations (multislice mode). */
    phonons: z.number().int().min(1).max(100).default(4),
    /** Gaussian source size σ (partial spatial coherence). */
    sourceSize: quantity('length', { min: 0, max: 5 }).prefault('0.4 Å'),
    /** Dose per final (summed) image. */
    dose: quantity('dose', { min: 1, max: 1e8 }).prefault('5000 e/Å^2'),
    /** Dose changes from a temperature on (the seed: 2500 e/Å² from 275 °C). */
    doseSchedule: z.array(doseStep).max(50).default([]),
    /** Fast frames aligned and summed per image. */
    frames: z.number().int().min(1).max(200).default(8),
    /** Drift between fast frames (random-walk step σ). */
    drift: quantity('length', { min: 0, max: 50 }).prefault('0.3 Å'),
    /** Scan-line jitter σ. */
    jitter: quantity('length', { min: 0, max: 5 }).prefault('0.05 Å'),
  })
  .transform((m) => ({
    mode: m.mode,
    energy_eV: m.voltage,
    semiangle_mrad: m.semiangle,
    detectorInner_mrad: m.detector[0],
    detectorOuter_mrad: m.detector[1],
    defocus_A: m.defocus,
    cs_A: m.cs,
    sampling_A: m.sampling,
    sliceThickness_A: m.slice,
    phonons: m.phonons,
    sourceSize_A: m.sourceSize,
    dose_ePerA2: m.dose,
    doseSchedule: [...m.doseSchedule].sort((a, b) => a.from_K - b.from_K),
    frames: m.frames,
    drift_A: m.drift,
    jitter_A: m.jitter,
  }));

export type ScenarioImaging = z.output<typeof imagingSchema>;

/** Dose (e/Å²) for a frame acquired at temperature_K under the schedule. */
export function doseAt(im: ScenarioImaging, temperature_K: number): number {
  let d = im.dose_ePerA2;
  for (const s of im.doseSchedule) if (temperature_K >= s.from_K - 1e-6) d = s.dose_ePerA2;
  return d;
}
