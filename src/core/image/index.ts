/** Generic image processing: sub-pixel registration, bilinear and Fourier shifts, the pluggable 2D FFT they use, outline facet statistics. */
export * from './fft.js';
export * from './shift.js';
export * from './register.js';
export * from './facets.js';
