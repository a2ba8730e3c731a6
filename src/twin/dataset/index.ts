/** Labelled synthetic HAADF training data at scale: configuration, specimens, kinetic frames, rendering, labels, bundles, shards. */
export * from './params.js';
export * from './phases.js';
export * from './structure.js';
export * from './specimen.js';
export * from './calibration.js';
export * from './source.js';
export * from './labels.js';
export * from './noise.js';
export * from './sample.js';
export * from './npz.js';
export * from './bundle.js';
export * from './kinetic.js';
export * from './generate.js';
