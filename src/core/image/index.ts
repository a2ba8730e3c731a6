/** Generic image processing: sub-pixel registration, bilinear and Fourier shifts (on the one FFT, src/core/fft), outline facet statistics. */
export * from './shift.js';
export * from './register.js';
export * from './facets.js';
