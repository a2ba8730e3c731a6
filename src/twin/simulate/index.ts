/** The forward model: `simulateScenario` (scenario → lamella → KMC replicas → observables, onsets, images). */
export * from './types.js';
export * from './simulate.js';
export * from './lamella.js';
export * from './imaging.js';
export * from './pool.js';
