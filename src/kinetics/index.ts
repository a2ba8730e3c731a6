/**
 * Kinetic Monte Carlo: the model contract, event selectors, thermodynamics (μ_O), temperature
 * programs and the engine (exact under time-dependent temperature by thinning).
 */
export * from './model.js';
export * from './selector.js';
export * from './selector-block.js';
export * from './memory.js';
export * from './thermo.js';
export * from './program.js';
export * from './engine.js';
export * from './checkpoint.js';
export * from './vacancy-fcc.js';
export * from './benchmark.js';
/** The NCM851005 event model (src/kinetics/ncm, built on the engine above). */
export * from './ncm/index.js';
