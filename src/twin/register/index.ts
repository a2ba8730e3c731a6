/**
 * Drift registration and image shifts for the twin: src/core/image's routines with src/multislice's mixed-radix FFT
 * as the default transform (any 2^a·3^b·5^c crop, so a 320×240 frame is registered whole, not cropped to 256×128).
 */
import * as image from '../../core/image/index.js';
import { createFft2d, isSupportedFftSize } from '../../multislice/fft/index.js';

export { type Registration, type RegistrationOptions, shiftBilinear, sampleBilinear } from '../../core/image/index.js';

/** src/multislice's 2D FFT as a src/core/image provider. */
export const mixedRadixFft: image.FftProvider = { supports: isSupportedFftSize, create: (nx, ny) => createFft2d(nx, ny) };

/** {@link image.registerPhaseCorrelation} with the mixed-radix FFT unless `opts.fft` says otherwise. */
export function registerPhaseCorrelation(ref: ArrayLike<number>, moving: ArrayLike<number>, width: number, height: number, opts: image.RegistrationOptions = {}): image.Registration {
  return image.registerPhaseCorrelation(ref, moving, width, height, { fft: mixedRadixFft, ...opts });
}

/** {@link image.fourierShift} with the mixed-radix FFT (sizes 2^a·3^b·5^c). */
export function fourierShift(img: ArrayLike<number>, width: number, height: number, dx_px: number, dy_px: number): Float32Array {
  return image.fourierShift(img, width, height, dx_px, dy_px, mixedRadixFft);
}
