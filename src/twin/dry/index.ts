/**
 * `cathode-twin dry`: drying-damage maps over hold temperature × time × atmosphere with credible
 * intervals, on the one forward model (see run.ts for the flow).
 */
export * from './atmosphere.js';
export * from './recipe.js';
export * from './programme.js';
export * from './damage.js';
export * from './draws.js';
export * from './stats.js';
export * from './trajectory.js';
export * from './map.js';
export * from './summary.js';
export * from './report.js';
export * from './run.js';
export * from './table.js';
