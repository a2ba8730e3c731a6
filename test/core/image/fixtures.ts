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

/**
 * A [210]-like layered crystal (M columns a/2 = 1.436 Å apart along x, Li columns 40× dimmer between M layers c/3 =
 * 4.733 Å apart along y, each layer offset by a third) with a pore (a disc at 30 % of the crystal's contrast) that
 * breaks the periodicity, in fraction of the beam (floor 0.002, M peak ≈ 0.022).
 */
export function layeredWithPore(W: number, H: number, px_A: number, pore: { x_px: number; y_px: number; r_px: number }): Float32Array {
  const ideal = new Float32Array(W * H);
  const ax = 1.436 / px_A, cy = 4.733 / px_A, s = 0.35 / px_A;
  for (let j = 0; j < H; j++) for (let i = 0; i < W; i++) {
    let v = 0.002;
    for (let r = -1; r <= Math.ceil(H / cy) + 1; r++) for (const li of [0, 1]) {
      const y0 = r * cy + (li * cy) / 2, x0 = (li * ax) / 2 + (((r % 3) + 3) % 3) * (ax / 3);
      const dy = j - y0;
      if (Math.abs(dy) > 4 * s) continue;
      for (let c = -1; c <= Math.ceil(W / ax) + 1; c++) {
        const dx = i - (x0 + c * ax);
        if (Math.abs(dx) <= 4 * s) v += (li ? 0.0005 : 0.02) * Math.exp(-(dx * dx + dy * dy) / (2 * s * s));
      }
    }
    if (Math.hypot(i - pore.x_px, j - pore.y_px) < pore.r_px) v = 0.002 + 0.3 * (v - 0.002);
    ideal[j * W + i] = v;
  }
  return ideal;
}
