/** The main job: scenario → structure → KMC → images → acquisition → out/<name>/. */
export * from './pipeline.js';
export * from './kmc.js';
export * from './imaging.js';
export * from './observables.js';
export * from './regions.js';
export * from './checkpoint.js';
export * from './summary.js';
export * from './write.js';
export * from './structure.js';
