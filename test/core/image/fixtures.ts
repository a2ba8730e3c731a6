/** Test images shared by the image-processing tests (not a test file). */
import { Rng } from '../../../src/core/rng.js';

/** Non-periodic "atomic columns": 40 Gaussian blobs (σ 2.5 px) at random places, wrapped so the image is periodic (band-limited). */
export function randomColumns(w: number, h: number, seed: number): Float32Array {
  const r = Rng.stream(seed);
  const img = new Float32Array(w * h);
  const pts = Array.from({ length: 40 }, () => [r.uniform() * w, r.uniform() * h, 0.5 + r.uniform()] as const);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let v = 0;
    for (const [px, py, a] of pts) {
      let dx = Math.abs(x - px);
      let dy = Math.abs(y - py);
      dx = Math.min(dx, w - dx);
      dy = Math.min(dy, h - dy);
      v += a * Math.exp(-(dx * dx + dy * dy) / (2 * 2.5 * 2.5));
    }
    img[y * w + x] = v;
  }
  return img;
}

/** A perfect crystal: identical Gaussian columns (σ sigma px) on a square lattice of period `period` px. */
export function perfectLattice(w: number, h: number, period: number, sigma: number): Float32Array {
  const img = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const dx = (x % period) - period / 2, dy = (y % period) - period / 2;
    img[y * w + x] = Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
  }
  return img;
}
