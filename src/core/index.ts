export * from './errors.js';
export * from './constants.js';
export * from './units.js';
export * from './rng.js';
export * from './atomic.js';
export * from './progress.js';
export * from './imageio/index.js';
export * from './image/index.js';
