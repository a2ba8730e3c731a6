/**
 * Drift registration and image shifts for the twin: src/core/image's routines (on the project's one FFT, src/core/fft:
 * any 2^a·3^b·5^c crop, so a 320×240 frame is registered whole).
 */
export {
  type Registration, type RegistrationOptions, registerPhaseCorrelation, fourierShift, shiftBilinear, sampleBilinear,
} from '../../core/image/index.js';
