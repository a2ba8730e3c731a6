/**
 * From atoms + options to a ready multislice setup and per-configuration transmission stacks.
 */
import type { Atoms } from '../lattice/atoms.js';
import { checkDetector, annularMask } from './detector.js';
import { type MultisliceSetup, type TransmissionStack, sharedFloat32 } from './engine.js';
import { type Grid, makeGrid } from './grid.js';
import { interactionParameter_radPerVA, wavelength_A } from './optics.js';
import { type HaadfOptions, checkHaadfOptions, focalSpreadQuadrature } from './options.js';
import { displacementRms_A, phononPositions_A, sampleOccupancy } from './phonons.js';
import { defaultPotentialSampling_A, finePotential, potentialSupersampling } from './fine-potential.js';
import { checkAtoms, sliceCount } from './potential.js';
import { buildProbe, resolveAberrations } from './probe.js';
import { bandLimitMask, fresnelPropagator, transmissionFromFine } from './transmission.js';

/** A validated, prepared simulation. */
export interface PreparedMultislice {
  readonly setup: MultisliceSetup;
  readonly wavelength_A: number;
  readonly sigma_radPerVA: number;
  /** Thickness recorded after each entry of setup.recordAfter, Å. */
  readonly recordThickness_A: number[];
  /** Number of configurations (1 for the static lattice). */
  readonly nConfigs: number;
  /** Factor by which the potential's grid (where exp(iσV) is taken) is finer than the wave's. */
  readonly potentialSupersampling: number;
  /** Builds the transmission stack of configuration c (static positions when phonons = 0). */
  buildStack(config: number): TransmissionStack;
}

/** Validates everything (InputError naming the field) and prepares the setup. Writes nothing. */
export function prepareMultislice(atoms: Atoms, o: HaadfOptions): PreparedMultislice {
  checkHaadfOptions(atoms, o);
  const param = o.parametrization ?? 'lobato';
  checkAtoms(atoms, param);
  const lambda = wavelength_A(o.energy_eV);
  const sigma = interactionParameter_radPerVA(o.energy_eV);
  const grid: Grid = makeGrid([atoms.cell_A[0], atoms.cell_A[1]], o.sampling_A, o.grid ? { size: o.grid } : { fast: true });
  checkDetector(o.detector, grid, lambda);
  resolveAberrations(o.aberrations);
  const optics = { wavelength_A: lambda, semiangle_mrad: o.semiangle_mrad, aberrations: o.aberrations ?? {} };
  buildProbe(grid, optics, 0, 0); // validates the aperture against the band limit
  const nSlices = sliceCount(atoms.cell_A[2], o.sliceThickness_A);
  const dz = atoms.cell_A[2] / nSlices;
  const rec = new Set<number>([nSlices - 1]);
  for (const t of o.thicknessSeries_A ?? []) rec.add(Math.max(0, Math.min(nSlices - 1, Math.round(t / dz) - 1)));
  const recordAfter = [...rec].sort((a, b) => a - b);
  const prop = fresnelPropagator(grid, lambda, dz);
  const n = grid.nx * grid.ny;
  const propagator = { nx: grid.nx, ny: grid.ny, re: sharedFloat32(n), im: sharedFloat32(n) };
  propagator.re.set(prop.re);
  propagator.im.set(prop.im);
  const m = annularMask(grid, lambda, o.detector);
  const mask = sharedFloat32(n);
  mask.set(m);
  const setup: MultisliceSetup = {
    grid, optics, nSlices, sliceThickness_A: dz, propagator, masks: [mask], recordAfter, focal: focalSpreadQuadrature(o.focalSpread_A ?? 0),
  };
  const nph = o.phonons ?? 0;
  const rms = nph > 0 ? displacementRms_A(atoms, o.debyeWallerB_A2) : undefined;
  const blMask = bandLimitMask(grid);
  let maxZ = 0;
  for (let i = 0; i < atoms.n; i++) maxZ = Math.max(maxZ, atoms.Z[i]!);
  const potentialSampling = o.potentialSampling_A ?? defaultPotentialSampling_A(maxZ);
  return {
    setup,
    wavelength_A: lambda,
    sigma_radPerVA: sigma,
    recordThickness_A: recordAfter.map((s) => (s + 1) * dz),
    nConfigs: Math.max(1, nph),
    potentialSupersampling: potentialSupersampling(grid, potentialSampling),
    buildStack(config) {
      const pos = rms ? phononPositions_A(atoms, rms, o.seed ?? 0, config) : atoms.positions_A;
      // Partial occupancies: sampled per configuration with phonons; the virtual crystal (occ·V) for a static run.
      const occ = nph > 0 ? sampleOccupancy(atoms, o.seed ?? 0, config) : undefined;
      const pot = finePotential(atoms, grid, nSlices, param, pos, occ ?? atoms.occupancy, potentialSampling);
      const v = new Float32Array(pot.fine.nx * pot.fine.ny);
      const re = sharedFloat32(nSlices * n), im = sharedFloat32(nSlices * n);
      for (let s = 0; s < nSlices; s++) {
        pot.slice(s, v);
        transmissionFromFine(v, pot.fine, sigma, grid, blMask, { nx: grid.nx, ny: grid.ny, re: re.subarray(s * n, (s + 1) * n), im: im.subarray(s * n, (s + 1) * n) });
      }
      return { re, im };
    },
  };
}
