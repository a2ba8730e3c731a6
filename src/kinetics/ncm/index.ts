/**
 * The NCM851005 physical event model on the rock-salt parent lattice (MODEL.md §3–4): parameters,
 * event catalogue, bond model, redox bookkeeping, observables, frames, and `runKmc`.
 */
export * from './params.js';
export * from './lattice.js';
export * from './box.js';
export * from './events.js';
export * from './energy.js';
export * from './charge.js';
export * from './oxygen.js';
export * from './model.js';
export * from './regions.js';
export * from './facets.js';
export * from './observables.js';
export * from './frames.js';
export * from './run.js';
export * from './bench.js';
export * from './adapter.js';
