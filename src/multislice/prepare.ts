/**
 * From atoms + options to a ready multislice setup and per-configuration transmission stacks.
 */
import type { Atoms } from '../lattice/atoms.js';
import type { Parametrization } from './parametrizations/index.js';
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

/** Everything a thread needs to build transmission slices of one configuration (plain data, structured-clone safe). */
export interface StackJob {
  /** The configuration's atoms (positions and occupancies of that configuration). */
  readonly atoms: Atoms;
  readonly grid: Grid;
  readonly nSlices: number;
  readonly param: Parametrization;
  readonly potentialSampling_A: number;
  readonly sigma_radPerVA: number;
  /** Output: the stack, slice s at [s·nx·ny, (s+1)·nx·ny). */
  readonly re: Float32Array;
  readonly im: Float32Array;
}

/** Builds slices [s0, s1) of a stack job into job.re/im (same bytes on any thread). */
export function buildStackSlices(job: StackJob, s0: number, s1: number): void {
  const { atoms, grid, nSlices } = job;
  const n = grid.nx * grid.ny;
  const pot = finePotential(atoms, grid, nSlices, job.param, atoms.positions_A, atoms.occupancy, job.potentialSampling_A);
  const v = new Float32Array(pot.fine.nx * pot.fine.ny);
  const mask = bandLimitMask(grid);
  for (let s = s0; s < s1; s++) {
    pot.slice(s, v);
    transmissionFromFine(v, pot.fine, job.sigma_radPerVA, grid, mask, { nx: grid.nx, ny: grid.ny, re: job.re.subarray(s * n, (s + 1) * n), im: job.im.subarray(s * n, (s + 1) * n) });
  }
}

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
  /** The plain-data job of configuration c's stack (arrays on SharedArrayBuffers): slices can be built on any thread. */
  stackJob(config: number): StackJob;
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
    stackJob(config) {
      const pos = rms ? phononPositions_A(atoms, rms, o.seed ?? 0, config) : atoms.positions_A;
      // Partial occupancies: sampled per configuration with phonons; the virtual crystal (occ·V) for a static run.
      const occ = (nph > 0 ? sampleOccupancy(atoms, o.seed ?? 0, config) : undefined) ?? atoms.occupancy;
      const atomsC: Atoms = { n: atoms.n, Z: atoms.Z, positions_A: pos, cell_A: atoms.cell_A, occupancy: occ };
      return { atoms: atomsC, grid, nSlices, param, potentialSampling_A: potentialSampling, sigma_radPerVA: sigma, re: sharedFloat32(nSlices * n), im: sharedFloat32(nSlices * n) };
    },
    buildStack(config) {
      const job = this.stackJob(config);
      buildStackSlices(job, 0, nSlices);
      return { re: job.re, im: job.im };
    },
  };
}
