/** Fast incoherent imaging: columns, multislice-calibrated column cross-sections, and the probe-convolved image. */
export { type Columns, findColumns } from './columns.js';
export {
  type ColumnCalibration, CALIBRATION_BOX_MIN_A, calibrateArrangement, calibrateColumn, calibrateMixedColumn, clearCalibrationCache, mixedGuestFraction,
} from './calibrate.js';
export { type ColumnModel, FINE_SAMPLING_A, MIX_DELTA_Z, buildColumnModel, renderIncoherent } from './render.js';
export { simulateIncoherent } from './simulate.js';
