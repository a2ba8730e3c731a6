/** src/lattice: structures on the rock-salt parent lattice, zone-axis supercells, defects, phases, files. */
export * from './atoms.js';
export * from './species.js';
export * from './parent.js';
export * from './zone.js';
export * from './siteLattice.js';
export * from './neighbours.js';
export * from './expand.js';
export * from './boxMap.js';
