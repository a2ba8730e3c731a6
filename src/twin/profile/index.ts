/** Inset line profiles across the layers (Li-site vs M-site intensity). */
export * from './layerProfile.js';
