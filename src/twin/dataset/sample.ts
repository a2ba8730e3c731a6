/**
 * One labelled sample in memory: structure → atoms → fast incoherent HAADF image of the field of view
 * (src/multislice simulateIncoherent, scan region = field) → acquisition (dose → Poisson, drift, jitter, fast frames
 * aligned and summed; src/multislice acquire) → labels (columns, masks) and metadata with units.
 */
import { toAtoms } from '../../lattice/index.js';
import { acquire, simulateIncoherent, type HaadfOptions } from '../../multislice/index.js';
import { type ColumnLabels, fieldColumns, labelMasks } from './labels.js';
import { type DatasetConfig, DEFAULT_DATASET_CONFIG, type SampleParams, sampleParams } from './params.js';
import { buildSampleStructure } from './structure.js';

/** A generated sample. Images are size_px² row-major, fraction of the incident beam. */
export interface Sample {
  readonly params: SampleParams;
  readonly width: number;
  readonly height: number;
  readonly pixel_A: number;
  /** Acquired image (noise, drift, jitter), fraction of the beam. */
  readonly image: Float32Array;
  /** Noise-free image, fraction of the beam. */
  readonly ideal: Float32Array;
  readonly columns: ColumnLabels;
  readonly sublatticeMask: Uint8Array;
  readonly phaseMask: Uint8Array;
  /** Metadata (all parameters with units, optics, acquisition). */
  readonly metadata: Record<string, unknown>;
}

/** HAADF options of a sample. */
export function sampleOptics(p: SampleParams, c: DatasetConfig): HaadfOptions {
  const f = c.size_px * c.pixel_A;
  return {
    energy_eV: c.energy_eV, semiangle_mrad: c.semiangle_mrad, detector: { inner_mrad: c.detector_mrad[0], outer_mrad: c.detector_mrad[1] },
    sampling_A: c.sampling_A, sliceThickness_A: 2, scanStep_A: c.pixel_A, aberrations: { defocus: p.defocus_A },
    scanRegion_A: [p.fieldOrigin_A[0], p.fieldOrigin_A[1], p.fieldOrigin_A[0] + f, p.fieldOrigin_A[1] + f], sourceSize_A: c.sourceSize_A, phonons: 0, seed: 0,
  };
}

/** Generates sample `index` of the set with `seed` (deterministic; independent of any other sample). */
export async function generateSample(seed: number, index: number, c: DatasetConfig = DEFAULT_DATASET_CONFIG): Promise<Sample> {
  const p = sampleParams(seed, index, c);
  const { lamella, phase } = buildSampleStructure(p);
  const L = lamella.lattice;
  const atoms = toAtoms(L);
  const opts = sampleOptics(p, c);
  const img = await simulateIncoherent(atoms, opts);
  const W = img.width, H = img.height;
  const acq = acquire(img.data, W, H, c.pixel_A, c.pixel_A, {
    dose_ePerA2: p.dose_ePerA2, frames: p.frames, drift_APerFrame: p.drift_APerFrame, driftWalk_APerFrame: p.driftWalk_APerFrame,
    lineJitter_A: p.lineJitter_A, seed: p.noiseSeed,
  });
  const f = c.size_px * c.pixel_A;
  const columns = fieldColumns(L, L.species, phase, p.fieldOrigin_A[0], p.fieldOrigin_A[1], f, f, 0);
  const padded = fieldColumns(L, L.species, phase, p.fieldOrigin_A[0], p.fieldOrigin_A[1], f, f, 2);
  const masks = labelMasks(padded, W, H, c.pixel_A);
  const metadata = {
    index, seed, config: c, units: { image: 'fraction of incident beam', positions: 'Å in the field frame (pixel (i, j) at (i·pixel_A, j·pixel_A))' },
    width_px: W, height_px: H, pixel_A: c.pixel_A,
    structure: {
      zone: p.zone, composition: p.composition, thickness_A: L.cell_A[2], thicknessRequested_A: p.thickness_A, lamellaCell_A: L.cell_A, mixing: p.mixing,
      liContent: p.liContent, fieldOrigin_A: p.fieldOrigin_A, pore: p.pore, apb: p.apb ? { plane: '(1 -2 0)' } : null, patch: p.patch,
      occupationSeed: p.occupationSeed, sites: L.n, atoms: atoms.n,
    },
    optics: { mode: 'incoherent', energy_eV: c.energy_eV, semiangle_mrad: c.semiangle_mrad, detector_mrad: c.detector_mrad, defocus_A: p.defocus_A, sourceSize_A: c.sourceSize_A, calibrationSampling_A: c.sampling_A },
    acquisition: {
      dose_ePerA2: p.dose_ePerA2, frames: p.frames, drift_APerFrame: p.drift_APerFrame, driftWalk_APerFrame: p.driftWalk_APerFrame, lineJitter_A: p.lineJitter_A,
      noiseSeed: p.noiseSeed, electronsPerPixelPerFrame: acq.electronsPerPixelPerFrame, trueOffsets_A: acq.trueOffsets_A, alignShifts_px: acq.alignShifts_px,
    },
    labels: { columns: columns.n, sublatticeClasses: ['background', 'Li-layer column', 'M-layer column', 'O column'], phaseClasses: ['background/void', 'layered', 'rocksalt', 'NiO'] },
  };
  return { params: p, width: W, height: H, pixel_A: c.pixel_A, image: acq.fraction, ideal: img.data, columns, sublatticeMask: masks.sublattice, phaseMask: masks.phase, metadata };
}
