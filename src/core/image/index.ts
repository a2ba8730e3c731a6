/** Generic image processing: sub-pixel registration, bilinear and Fourier shifts, the pluggable 2D FFT they use. */
export * from './fft.js';
export * from './shift.js';
export * from './register.js';
