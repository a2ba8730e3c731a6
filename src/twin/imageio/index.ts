/**
 * Image and metadata file I/O: multi-page float32 TIFF (ImageJ-compatible) in and out, 16-bit PNG
 * previews, JSON sidecars, captioned contact sheets and animated GIFs of frame series.
 */
export * from './tiff.js';
export * from './read.js';
export * from './png.js';
export * from './contrast.js';
export * from './sidecar.js';
export * from './font.js';
export * from './sheet.js';
export * from './tiffScan.js';
export * from './scalebar.js';
