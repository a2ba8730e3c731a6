import { describe, expect, it } from 'vitest';
import { Rng, logFactorial, poissonWasm } from '../../src/core/index.js';
import { applyDetectorNoise } from '../../src/twin/dataset/noise.js';
import { poissonChi2 } from './poisson-stats.js';

// The WebAssembly form of Rng.poisson over an image (core poisson-wasm.ts) must give the same bits as the
// JavaScript loop, and leave the generator in the same state: the inversion (λ < 30: each branch-free block, and the
// search past it), PTRS (λ ≥ 30, with its quick acceptance, rejections and full log-factorial test), λ = 0, negative
// and −0 signals.
describe('poissonWasm', () => {
  const kernel = poissonWasm(logFactorial);
  it.skipIf(!kernel)('gives the same deviates and final state as rng.poisson, for every λ regime', () => {
    const n = 40000;
    const src = Rng.stream(5, 1);
    const signal = new Float32Array(n);
    for (let i = 0; i < n; i++) signal[i] = src.uniform() < 0.2 ? src.uniform() * 0.002 : src.uniform() * 0.06;
    signal[3] = 0; signal[4] = -0; signal[5] = -0.01; signal[6] = 1;
    // e = 1000: the first half sweeps λ over 0 … 40 (every block of the search and its bounds), then the bounds
    // themselves (2.5, 8, 16, 30 and the float32 just below each).
    const sweep = signal.slice();
    for (let i = 0; i < n / 2; i++) sweep[i] = (40 * i) / (n / 2) / 1000;
    const bounds = [2.5, 8, 16, 30].flatMap((b) => [b / 1000, Math.fround(b / 1000) - 2 ** -36]);
    bounds.forEach((b, q) => { for (let i = 0; i < 200; i++) sweep[n / 2 + 200 * q + i] = b; });
    for (const [e, sig] of [[20, signal], [300, signal], [1000, sweep], [3000, signal], [1e5, signal]] as const) {
      const d = { electronsPerPixel: e, frames: 2, gain: 1.7, offset: 3, readNoise: 0 };
      const viaJs = sig.slice(), viaWasm = sig.slice(), counts = new Float32Array(n);
      const rJs = Rng.stream(9, e), rWasm = Rng.stream(9, e);
      // `counts` forces the JavaScript loop.
      applyDetectorNoise(viaJs, n, d, rJs, counts);
      applyDetectorNoise(viaWasm, n, d, rWasm);
      expect(Buffer.from(viaWasm.buffer).equals(Buffer.from(viaJs.buffer))).toBe(true);
      expect(rWasm.getState()).toEqual(rJs.getState());
      // The next draws agree too.
      expect(rWasm.uniform()).toBe(rJs.uniform());
    }
  });

  it.skipIf(!kernel)('computes Math.exp(−λ) with the same bits for 0 ≤ λ < 30 (fdlibm steps; 10⁶ random λ and the branch edges)', () => {
    const r = Rng.stream(3);
    let bad = 0;
    const edges = [0, 1e-300, 1e-9, 2 ** -28, 2 ** -28 * 1.0000001, 0.34657359027997264, 0.3465735902799726, 0.35, 1.0397207708399179, 1.04, 1, 2, 29.999999];
    for (let q = 0; q < 1e6 + edges.length; q++) {
      const lam = q < edges.length ? edges[q]! : 30 * r.uniform() ** (1 + (q % 4));
      if (!Object.is(kernel!.expMinus(lam), Math.exp(-lam))) bad++;
    }
    expect(bad).toBe(0);
  });

  it('the dataset\'s detector noise follows the Poisson pmf: χ² below its 0.999 quantile on flat images at λ = 0.4, 2.4, 7, 15, 27, 45 (2·65536 pixels each; bins with ≥ 20 expected, tails pooled)', () => {
    const n = 65536, e = 1000, rng = Rng.stream(12, 1);
    for (const lam of [0.4, 2.4, 7, 15, 27, 45]) {
      const img = new Float32Array(n);
      let next = n;
      const draw = (): number => {
        if (next === n) { img.fill(lam / e); applyDetectorNoise(img, n, { electronsPerPixel: e, frames: 1, gain: 1, offset: 0, readNoise: 0 }, rng); next = 0; }
        return Math.round(img[next++]! * e);
      };
      const { chi2, limit } = poissonChi2(lam, 2 * n, draw, logFactorial);
      expect(chi2, `λ ${lam}`).toBeLessThan(limit);
    }
  });

  it.skipIf(!kernel)('throws rng.poisson\'s error for a non-finite λ', () => {
    const s = Float32Array.of(0.1, NaN, 0.2);
    expect(() => applyDetectorNoise(s, 3, { electronsPerPixel: 100, frames: 1, gain: 1, offset: 0, readNoise: 0 }, Rng.stream(1))).toThrow(/lambda must be finite/);
  });
});
