import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/index.js';
import { LabelScratch, rasterizeLabels, toHalf } from '../../src/twin/dataset/labels.js';
import { labelSimd } from '../../src/twin/dataset/labels-simd.js';
import type { FrameColumns } from '../../src/twin/dataset/specimen.js';

// The WebAssembly kernels of the label rasteriser (labels-simd.ts) must give the same bytes as its TypeScript loops:
// masks and heat maps of random columns (several phases, so that both the plain-fill and the per-pixel phase disks
// run; vacancy and atom-free columns; columns across the image edges) at several pixel sizes, heat-map widths and
// odd and even image sizes, with both scratches reused between calls.
describe('label rasteriser: WebAssembly kernels', () => {
  it.skipIf(!labelSimd())('give the same masks and heat maps as the TypeScript loops', () => {
    const rng = Rng.stream(11, 3);
    const js = new LabelScratch(false), wasm = new LabelScratch(true);
    for (const [W, H, pixel_A, sigma_A] of [[64, 64, 0.25, 0.35], [57, 40, 0.2, 0.35], [33, 48, 0.31, 0.6], [64, 64, 0.12, 0.2]] as const) {
      const nc = Math.round((W * H * pixel_A * pixel_A) / 1.2);
      const role = new Uint8Array(nc), phase = new Uint8Array(nc), matter = new Uint8Array(nc), atoms = new Uint8Array(nc);
      const i_px = new Float64Array(nc), j_px = new Float64Array(nc);
      for (let c = 0; c < nc; c++) {
        role[c] = rng.int(3);
        // Mostly one phase in each half of the image (uniform neighbourhoods), some mixed.
        i_px[c] = -3 + (W + 6) * rng.uniform(); j_px[c] = -3 + (H + 6) * rng.uniform();
        phase[c] = rng.uniform() < 0.1 ? rng.int(5) : (i_px[c]! < W / 2 ? 1 : 2);
        matter[c] = rng.uniform() < 0.05 ? 0 : 1 + rng.int(4);
        atoms[c] = rng.uniform() < 0.1 ? 0 : matter[c]!;
      }
      const frame = { geometry: { role }, phase, matter, atoms } as unknown as FrameColumns;
      const cols = { n: nc, ref: Int32Array.from({ length: nc }, (_, c) => c), i_px, j_px, x_A: new Float64Array(nc), y_A: new Float64Array(nc) };
      const out = () => ({ sublattice: new Uint8Array(W * H), phase: new Uint8Array(W * H), heatmaps: new Uint16Array(3 * W * H) });
      const a = out(), b = out();
      rasterizeLabels(frame, cols, W, H, pixel_A, sigma_A, a, js);
      rasterizeLabels(frame, cols, W, H, pixel_A, sigma_A, b, wasm);
      expect(Buffer.from(b.phase).equals(Buffer.from(a.phase))).toBe(true);
      expect(Buffer.from(b.sublattice).equals(Buffer.from(a.sublattice))).toBe(true);
      expect(Buffer.from(b.heatmaps.buffer).equals(Buffer.from(a.heatmaps.buffer))).toBe(true);
      // Non-trivial: several phases painted and heat above zero.
      expect(new Set(a.phase).size).toBeGreaterThan(2);
      expect(a.heatmaps.some((v) => v > 0x3800)).toBe(true);
    }
  });

  it.skipIf(!labelSimd())('computes the heat-map factors Math.exp(−(i − c)²·a) with Math.exp\'s bits (fdlibm steps in two lanes; 1.8·10⁵ values, every branch, |x| ≤ 700)', () => {
    const k = labelSimd()!, r = Rng.stream(7);
    let bad = 0, n = 0, tiny = 0, mid = 0;
    for (let q = 0; q < 20000; q++) {
      const a = q % 3 === 0 ? 1 / (2 * (0.2 + 3 * r.uniform()) ** 2) : 0.05 + 3 * r.uniform();
      // Integer centres every 11th call: x = −0 (fdlibm's |x| < 2⁻²⁸ branch).
      const c = q % 11 === 0 ? Math.round(-3 + 40 * r.uniform()) : -3 + 40 * r.uniform();
      const lo = Math.ceil(c - 6), hi = lo + 2 + (q % 13);
      k.gaussFactors(0, lo, hi, c, a);
      const f = new Float64Array(k.memory.buffer, 0, hi - lo + 1);
      for (let i = lo; i <= hi; i++) {
        const x = (i - c) * (i - c) * a;
        if (x > 700) continue;
        n++;
        if (x < 2 ** -28) tiny++;
        else if (x > 0.3466 && x < 1.0397) mid++;
        if (!Object.is(f[i - lo], Math.exp(-(i - c) * (i - c) * a))) bad++;
      }
    }
    expect(n).toBeGreaterThan(150000);
    expect(tiny).toBeGreaterThan(500);
    expect(mid).toBeGreaterThan(1000);
    expect(bad).toBe(0);
  });

  it.skipIf(!labelSimd())('converts float32 to half bits as toHalf does (four lanes, the subnormal-half steps scalar; every exponent of 0 … 1, boundaries, odd counts)', () => {
    const k = labelSimd()!, r = Rng.stream(9);
    // Boundaries (zero, the 2⁻²⁵ cut, the subnormal/normal half edge, rounding carries, 1) and random bits of every
    // exponent up to 1.0, in runs that put the subnormal-half values in some four-value steps and not in others.
    const edges = [0, 0x32ffffff, 0x33000000, 0x33000001, 0x387fffff, 0x38800000, 0x38800fff, 0x38801000, 0x3f7fefff, 0x3f7ff000, 0x3f800000];
    const m = 40001;
    const bits = new Uint32Array(m);
    for (let i = 0; i < m; i++) {
      const run = Math.floor(i / 64) % 3;
      bits[i] = i < edges.length ? edges[i]! : run === 0 ? 0 : run === 1 ? (0x38800000 + r.int(0x3f800000 - 0x38800000 + 1)) >>> 0 : r.int(0x3f800001);
    }
    const f = new Float32Array(bits.buffer);
    for (const n of [m, m - 1, m - 2, m - 3, 7]) {
      new Float32Array(k.memory.buffer, 0, n).set(f.subarray(0, n));
      k.halfFromFloat(0, 4 * m + 64, n);
      const h = new Uint16Array(k.memory.buffer, 4 * m + 64, n);
      let bad = 0;
      for (let i = 0; i < n; i++) if (h[i] !== toHalf(f[i]!)) bad++;
      expect(bad, `n = ${n}`).toBe(0);
    }
    // Non-trivial: all three paths taken.
    const kinds = new Set(Array.from(bits, (b) => (b < 0x33000000 ? 0 : b < 0x38800000 ? 1 : 2)));
    expect(kinds.size).toBe(3);
  });
});
