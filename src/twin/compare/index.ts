/** Frame-by-frame comparison of an experimental series with a simulated one. */
export * from './align.js';
export * from './compare.js';
