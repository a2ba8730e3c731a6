/**
 * The imaging stage: species snapshot → Atoms (src/lattice toAtoms) → HAADF image from
 * src/multislice (the calibrated incoherent mode by default, full multislice on request).
 */
import { toAtoms, type Lamella } from '../../lattice/index.js';
import * as multislice from '../../multislice/index.js';
import type { HaadfImage, HaadfOptions } from '../../multislice/index.js';
import type { Scenario } from '../scenario/index.js';

export type ImagingMode = 'incoherent' | 'multislice';

type Simulate = (atoms: ReturnType<typeof toAtoms>, opts: HaadfOptions) => Promise<HaadfImage>;

/** The simulator for a mode, or undefined when src/multislice does not export it (yet). */
export function simulatorFor(mode: ImagingMode): Simulate | undefined {
  const m = multislice as unknown as Record<string, unknown>;
  const f = mode === 'incoherent' ? m.simulateIncoherent : m.simulateHaadf;
  return typeof f === 'function' ? (f as Simulate) : undefined;
}

/** HAADF options from the scenario (multislice wave sampling chosen so 180 mrad lies inside the 2/3 band). */
export function haadfOptions(s: Scenario, mode: ImagingMode, seed: number, workers: number): HaadfOptions {
  const im = s.imaging;
  const lambda = multislice.wavelength_A(im.energy_eV);
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

/** Image one species snapshot. Throws when the mode's simulator is not available. */
export async function imageFrame(lamella: Lamella, species: Uint8Array, s: Scenario, mode: ImagingMode, seed: number, workers: number): Promise<HaadfImage> {
  const sim = simulatorFor(mode);
  if (!sim) throw new Error(`imaging mode "${mode}" is not available: src/multislice does not export ${mode === 'incoherent' ? 'simulateIncoherent' : 'simulateHaadf'}`);
  const atoms = toAtoms(lamella.lattice, species);
  return sim(atoms, haadfOptions(s, mode, seed, workers));
}
