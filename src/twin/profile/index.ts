/** Inset line profiles across the layers (Li-site vs M-site intensity) and the regions in pixels. */
export * from './layerProfile.js';
export * from './regions.js';
