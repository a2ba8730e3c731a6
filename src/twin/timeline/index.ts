/** The seed timeline and the onset rules that compare a simulation with it. */
export * from './seed.js';
export * from './onsets.js';
export * from './fidelity.js';
