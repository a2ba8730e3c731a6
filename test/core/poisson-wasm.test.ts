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

  // The kernel runs two pixels per step when both 0 < λ < 30 (the lanes of f64x2); a pixel with λ = 0 or ≥ 30, a
  // pair member at the end of an odd image, and a lane whose search passes the pair's block (redone in order from a
  // saved generator state) go one by one. Each of these must give rng.poisson's deviates in order.
  const viaBoth = (sig: Float32Array, n: number, e: number, state: readonly number[]): void => {
    const d = { electronsPerPixel: e, frames: 1, gain: 1.3, offset: 2, readNoise: 0 };
    const viaJs = sig.slice(), viaWasm = sig.slice();
    const rJs = Rng.fromState(state), rWasm = Rng.fromState(state);
    applyDetectorNoise(viaJs, n, d, rJs, new Float32Array(n));
    applyDetectorNoise(viaWasm, n, d, rWasm);
    expect(Buffer.from(viaWasm.buffer).equals(Buffer.from(viaJs.buffer)), `n ${n}`).toBe(true);
    expect(rWasm.getState(), `n ${n}`).toEqual(rJs.getState());
    expect(rWasm.uniform()).toBe(rJs.uniform());
  };

  it.skipIf(!kernel)('gives rng.poisson\'s deviates and state in pairs: λ 0.01 … 29.9 mixed with 0, ≥ 30 and the block bounds, odd and even lengths', () => {
    const src = Rng.stream(21, 4);
    const bounds = [2.5, 8, 16, 30].flatMap((b) => [b, Math.fround(b) - 2 ** -20]);
    for (const n of [1, 2, 3, 4, 5, 7, 8, 33, 1001, 40000, 40001]) {
      const sig = new Float32Array(n);
      for (let q = 0; q < n; q++) {
        const c = src.uniform();
        // e = 1: λ = the float32 value itself.
        sig[q] = c < 0.08 ? 0 : c < 0.16 ? 30 + 30 * src.uniform() : c < 0.2 ? bounds[Math.floor(8 * src.uniform())]! : 0.01 + 29.89 * src.uniform() ** 1.5;
      }
      viaBoth(sig, n, 1, Rng.stream(n, 2).getState());
      // Runs of equal λ (whole pairs in one block) and a slow tail.
      for (const lam of [0.01, 0.7, 7.9, 15.9, 29.9]) viaBoth(new Float32Array(n).fill(lam), n, 1, Rng.stream(n, 3).getState());
    }
  });

  it.skipIf(!kernel)('redraws like rng.poisson where a search stops at k = 128 (u = 1 − 2⁻⁵³ above F₁₂₈), in the first and in the second lane of a pair', () => {
    // A λ whose F₁₂₈ (the search's float64 sum) stays below the largest uniform, found as rng.poisson computes it.
    let lamCap = 0;
    for (let q = 1; q < 1000 && !lamCap; q++) {
      const lam = Math.fround(q / 1000);
      let p = Math.exp(-lam), F = p;
      for (let k = 1; k <= 128; k++) { p *= lam * (1 / k); F += p; }
      if (1 - 2 ** -53 > F) lamCap = lam;
    }
    expect(lamCap).toBeGreaterThan(0);
    // xoshiro128** state whose next two words are 0xffffffff (uniform = 1 − 2⁻⁵³): out = rotl(s1·5, 7)·9.
    const s1 = Math.imul(rotr(Math.imul(0xffffffff, 0x38e38e39) >>> 0, 7), 0xcccccccd) >>> 0;
    const maxNext = [0, s1, 0, 0x12345];
    const r = Rng.fromState(maxNext);
    expect(r.uniform()).toBe(1 - 2 ** -53);
    // The same state, one uniform (two words) earlier.
    const maxSecond = back(back(maxNext));
    const r2 = Rng.fromState(maxSecond);
    r2.uniform();
    expect(r2.uniform()).toBe(1 - 2 ** -53);
    for (const n of [2, 3, 6]) {
      const sig = new Float32Array(n).fill(5);
      sig[0] = lamCap;
      viaBoth(sig, n, 1, maxNext); // first lane
      sig[1] = lamCap;
      viaBoth(sig, n, 1, maxSecond); // second lane (pixel 0 takes the first uniform)
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

const rotr = (x: number, r: number): number => ((x >>> r) | (x << (32 - r))) >>> 0;
/** xoshiro128** one step back: the state before the step that gave `st` (Rng.nextU32's update inverted). */
function back(st: readonly number[]): number[] {
  const [a, b, c, d] = st.map((w) => w >>> 0) as [number, number, number, number];
  const s3x = rotr(d, 11); // s3 ^ s1
  const s0 = (a ^ s3x) >>> 0;
  // b = s1 ^ s2 ^ s0, c = s2 ^ s0 ^ (s1 << 9): s1 ^ (s1 << 9) = b ^ c
  const y = (b ^ c) >>> 0;
  const s1 = (y ^ (y << 9) ^ (y << 18) ^ (y << 27)) >>> 0;
  const s2 = (c ^ (s1 << 9) ^ s0) >>> 0;
  return [s0, s1, s2, (s3x ^ s1) >>> 0];
}
