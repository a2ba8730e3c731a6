/**
 * The twin: scenarios, the forward model (`simulateScenario`), image metrics, drift registration,
 * inset layer profiles, the HTML report and the end-to-end `run` pipeline.
 */
export * from './scenario/index.js';
export * from './metrics/index.js';
export * from './register/index.js';
export * from './profile/index.js';
export * from './timeline/index.js';
export * from './report/index.js';
export * from './simulate/index.js';
export * from './run/index.js';
export * from './series/index.js';
export * from './compare/index.js';
export * from './dataset/index.js';
export * from './imageio/index.js';
