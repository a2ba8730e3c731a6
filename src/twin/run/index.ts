/** The main job: scenario → forward model (src/twin/simulate) → out/<name>/ (the write step). */
export * from './pipeline.js';
export * from './checkpoint.js';
export * from './summary.js';
export * from './write.js';
