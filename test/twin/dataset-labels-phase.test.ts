import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/index.js';
import { LabelScratch, PHASE_MASK_REACH_A, rasterizeLabels } from '../../src/twin/dataset/labels.js';
import type { FrameColumns } from '../../src/twin/dataset/specimen.js';

// The phase mask's definition (labels.ts header): each pixel takes the phase of the nearest column with matter within
// PHASE_MASK_REACH_A, else 0. rasterizeLabels paints a column whose 3 × 3 grid cells hold its phase only without
// comparing distances (the uniform-neighbourhood shortcut, its cell sets computed once per sample). Reference here:
// the definition by brute force over all columns, with the rasteriser's own arithmetic (d² = dx·dx + dy², best kept as
// float32, the first column in order winning a tie), so the comparison is exact. Random columns in patches of one
// phase (the shortcut taken) with mixed borders and strays (the comparisons taken), across the image edges; one
// scratch reused over image sizes and column counts that grow and shrink (its grid and per-column buffers reused).
describe('label rasteriser: phase mask', () => {
  it('is the phase of the nearest column with matter within PHASE_MASK_REACH_A (brute force), SIMD kernels or not', () => {
    const rng = Rng.stream(23, 5);
    const scratches = [new LabelScratch(false), new LabelScratch(true)];
    let uniformPixels = 0, mixedPixels = 0;
    for (const [W, H, pixel_A, nc] of [[64, 64, 0.22, 600], [45, 70, 0.15, 900], [64, 64, 0.3, 200], [30, 33, 0.12, 300]] as const) {
      const role = new Uint8Array(nc), phase = new Uint8Array(nc), matter = new Uint8Array(nc), atoms = new Uint8Array(nc);
      const i_px = new Float64Array(nc), j_px = new Float64Array(nc);
      for (let c = 0; c < nc; c++) {
        i_px[c] = -4 + (W + 8) * rng.uniform(); j_px[c] = -4 + (H + 8) * rng.uniform();
        // Four patches of one phase each; 3 % strays of any phase; 5 % columns without matter (never painted), and a pore.
        const patch = (i_px[c]! < W / 2 ? 0 : 1) + (j_px[c]! < H / 2 ? 0 : 2);
        phase[c] = rng.uniform() < 0.03 ? rng.int(6) : [1, 2, 3, 1][patch]!;
        // A pore (no matter within the phase reach + 5 px of (W/4, H/4)) leaves background at its centre.
        const pore = Math.hypot(i_px[c]! - W / 4, j_px[c]! - H / 4) < PHASE_MASK_REACH_A / pixel_A + 5;
        matter[c] = pore || rng.uniform() < 0.05 ? 0 : 1 + rng.int(4);
        atoms[c] = matter[c]!;
      }
      const frame = { geometry: { role }, phase, matter, atoms } as unknown as FrameColumns;
      const cols = { n: nc, ref: Int32Array.from({ length: nc }, (_, c) => c), i_px, j_px, x_A: new Float64Array(nc), y_A: new Float64Array(nc) };
      const rPh = PHASE_MASK_REACH_A / pixel_A, rPh2 = rPh * rPh;
      const want = new Uint8Array(W * H), best = new Float32Array(W * H).fill(Infinity);
      for (let c = 0; c < nc; c++) {
        if (matter[c] === 0) continue;
        for (let j = 0; j < H; j++) {
          const dy = j - j_px[c]!, dy2 = dy * dy;
          for (let i = 0; i < W; i++) {
            const dx = i - i_px[c]!, d2 = dx * dx + dy2, k = j * W + i;
            if (d2 <= rPh2 && d2 < best[k]!) { best[k] = d2; want[k] = phase[c]!; }
          }
        }
      }
      for (const s of scratches) {
        const t = { sublattice: new Uint8Array(W * H), phase: new Uint8Array(W * H), heatmaps: new Uint16Array(3 * W * H) };
        rasterizeLabels(frame, cols, W, H, pixel_A, 0.35, t, s);
        let bad = 0;
        for (let k = 0; k < W * H; k++) if (t.phase[k] !== want[k]) bad++;
        expect(bad).toBe(0);
      }
      // Non-trivial: patches of one phase and pixels between several phases, and background.
      for (let k = 0; k < W * H; k++) if (want[k] === 1) uniformPixels++; else if (want[k]! > 1) mixedPixels++;
      expect(want.filter((v) => v === 0).length).toBeGreaterThan(40);
    }
    expect(uniformPixels).toBeGreaterThan(2000);
    expect(mixedPixels).toBeGreaterThan(2000);
  });
});
