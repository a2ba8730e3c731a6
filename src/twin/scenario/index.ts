/** Scenario files: schema, units converted once, temperature programmes, loading. */
export * from './quantity.js';
export * from './structure.js';
export * from './protocol.js';
export * from './programme.js';
export * from './imaging.js';
export * from './environment.js';
export * from './checks.js';
export * from './schema.js';
export * from './errors.js';
export * from './load.js';
