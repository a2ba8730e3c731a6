/** Generic image processing: sub-pixel registration, bilinear and Fourier shifts (on the one FFT, src/core/fft). */
export * from './shift.js';
export * from './register.js';
