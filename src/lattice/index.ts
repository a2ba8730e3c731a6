/** src/lattice: structures on the rock-salt parent lattice, zone-axis supercells, defects, phases, files. */
export * from './atoms.js';
export * from './species.js';
export * from './parent.js';
export * from './zone.js';
export * from './siteLattice.js';
export * from './neighbours.js';
export * from './expand.js';
export * from './boxMap.js';
export * from './crystal.js';
export * from './symop.js';
export * from './cif.js';
export { parseCifBlock, cifNumber } from './cifParse.js';
export * from './extxyz.js';
export * from './io.js';
