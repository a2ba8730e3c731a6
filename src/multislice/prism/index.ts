/**
 * PRISM (Ophus, Adv. Struct. Chem. Imaging 3, 13 (2017)): S-matrix of the aperture's plane waves on the
 * interpolation-factor-f sub-lattice, multislice per beam, probes reconstructed on windows of the cell.
 */
export { type BeamSet, prismBeams, checkInterpolation } from './beams.js';
export { type PrismGeometry, prismGeometry } from './geometry.js';
export { type SMatrixJob, computeBeams } from './smatrix.js';
export { type ReconstructJob, reconstructProbes } from './reconstruct.js';
export { type PrismRunner, createPrismRunner } from './pool.js';
export {
  type PrismOptions, type PrismSignals, type PrismReuse, type HaadfAlgorithm, PRISM_MIN_WINDOW_A, defaultInterpolation,
  simulatePrismSignals, simulateHaadfPrism, simulateHaadfWith,
} from './simulate.js';
