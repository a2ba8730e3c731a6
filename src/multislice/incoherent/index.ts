/** Fast incoherent imaging: columns, multislice-calibrated column cross-sections, and the probe-convolved image. */
export { type Columns, findColumns } from './columns.js';
export {
  type ColumnCalibration, CALIBRATION_BOX_MIN_A, CALIBRATION_CACHE_FORMAT, calibrateArrangement, calibrateColumn, calibrateMixedColumn, calibrationCacheDir,
  calibrationCacheFile, calibrationKey, clearCalibrationCache, isCalibrationCached, mixedGuestFraction, setCalibrationCacheDir,
} from './calibrate.js';
export { type CalibrationLookup, type CrossSection, MIX_DELTA_Z, columnCrossSection, needsMixedCalibration } from './table.js';
export { type ColumnModel, FINE_SAMPLING_A, buildColumnModel, renderIncoherent } from './render.js';
export {
  type KernelOptics, type NearKernel, type FarKernel, type ProbeKernels, FAR_BLUR_A, FAR_RADIUS_A, FAR_RAMP_A, FAR_SAMPLING_A, KERNEL_GRID_N, KERNEL_SAMPLING_A,
  NEAR_RADIUS_A, NEAR_TABLE_N, SIGMA_STEP_A, U_STEP_A2, clearKernelCache, farGridSize, farRamp, isRoundOptics, probeKernels, probeKernelsCached, warmProbeKernels,
} from './kernel.js';
export { type ScanGeometry, type SplatColumns, RENDER_MARGIN_A, RENDER_NEAR_A, SplatRenderer } from './splat.js';
export { simulateIncoherent } from './simulate.js';
