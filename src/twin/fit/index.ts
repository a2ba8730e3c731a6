/**
 * `fit`: simulation-based inference of the NCM model's barriers, the μ_O offset and onset temperatures
 * from an image series or a timeline of observed onsets, on the one forward model (simulateScenario)
 * and the one image analysis (analyseFrame). See driver.ts for the method and README "fit".
 */
export * from './space.js';
export * from './design.js';
export * from './gp.js';
export * from './emulator.js';
export * from './covariance.js';
export * from './likelihood.js';
export * from './mcmc.js';
export * from './diagnostics.js';
export * from './refine.js';
export * from './calibrate.js';
export * from './store.js';
export * from './driver.js';
export * from './posterior.js';
export * from './abc.js';
export * from './analytic.js';
export * from './forward.js';
export * from './priors.js';
export * from './section.js';
export * from './timeline.js';
export * from './problem.js';
export * from './observe.js';
export * from './lattice.js';
export * from './onset.js';
export * from './summary.js';
export * from './outputs.js';
export * from './report.js';
export type { SimOutput, SimOnset } from './types.js';
export type { SimulatorSpec } from './simulators.js';
