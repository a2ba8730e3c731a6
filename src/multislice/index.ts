/**
 * HAADF-STEM image simulation: multislice (CPU reference; gpu.js backend via the registry),
 * the fast incoherent mode, and the acquisition model.
 */
export { wavelength_A, interactionParameter_radPerVA, POTENTIAL_PREFACTOR_V_A2 } from './optics.js';
export { type Parametrization, scatteringFactor_A, projectedPotentialClosedForm_VA, checkElement } from './parametrizations/index.js';
export { type Grid, makeGrid, fftFrequencies_perA, bandLimit_perA, k2Grid_perA2 } from './grid.js';
export { type PotentialSlices, buildPotentialSlices, sliceCount, sliceIndexOf, checkAtoms } from './potential.js';
export { bandLimitMask, transmissionFunction, fresnelPropagator } from './transmission.js';
export { type Aberrations, type ProbeOptics, buildProbe, aberrationPhase_rad, resolveAberrations } from './probe.js';
export { type AnnularDetector, annularMask, checkDetector } from './detector.js';
export { DEFAULT_DEBYE_WALLER_B_A2, displacementRms_A, phononPositions_A } from './phonons.js';
export { type HaadfOptions, SEED_MICROSCOPE, checkHaadfOptions, focalSpreadQuadrature } from './options.js';
export { type MultisliceSetup, type TransmissionStack, runProbePosition } from './engine.js';
export { type PreparedMultislice, prepareMultislice } from './prepare.js';
export { type ScanPlan, nyquistStep_A, periodicScan, planScan, fourierResample, gaussianBlur } from './scan.js';
export { type HaadfImage, type ProbeSignal, simulateHaadf, simulateProbeSignal } from './simulate.js';
export { type BackendName, type BackendSelection, CPU_DEVICE, createBackend, selectBackend } from './backend/registry.js';
export { createCpuBackend } from './backend/cpu/index.js';
export type { ComplexField, MultisliceBackend } from './backend/types.js';
export * from './incoherent/index.js';
export { type AcquisitionOptions, type AcquiredImage, acquire, crossCorrelationShift } from './acquisition.js';
export * from './prism/index.js';
