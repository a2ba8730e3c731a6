/** Drift registration (phase correlation, sub-pixel) and image shifts. */
export * from './phaseCorrelation.js';
