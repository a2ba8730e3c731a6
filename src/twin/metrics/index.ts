/** Image similarity metrics: NCC, SSIM, Poisson χ². */
export * from './metrics.js';
