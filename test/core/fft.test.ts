/**
 * The 2D FFT contract (src/multislice/fft): forward = Σ f·exp(−2πi k·x/N) unnormalised, inverse scaled
 * by 1/(nx·ny). Reference: a float64 naive DFT. Tolerances are float32 limits: a float32 FFT's error grows
 * ~ ε·log2 N·‖f‖ (ε = 6e-8, Gentleman & Sande 1966); we allow 2e-6 relative to the RMS of the result.
 */
import { describe, expect, it } from 'vitest';
import { createFft2d, isSupportedFftSize, nextFftSize, nextFastFftSize, factorize, Pffft2d, Stockham2d } from '../../src/core/fft/index.js';
import { Rng } from '../../src/core/index.js';

function randomField(n: number, seed: number): [Float32Array, Float32Array] {
  const rng = Rng.stream(seed, n);
  const re = new Float32Array(n), im = new Float32Array(n);
  for (let i = 0; i < n; i++) { re[i] = rng.uniform() - 0.5; im[i] = rng.uniform() - 0.5; }
  return [re, im];
}

function naiveDft(nx: number, ny: number, re: Float32Array, im: Float32Array, sign: number): [Float64Array, Float64Array] {
  const or = new Float64Array(nx * ny), oi = new Float64Array(nx * ny);
  for (let ky = 0; ky < ny; ky++) for (let kx = 0; kx < nx; kx++) {
    let sr = 0, si = 0;
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
      const a = sign * 2 * Math.PI * (((kx * x) % nx) / nx + ((ky * y) % ny) / ny);
      const c = Math.cos(a), s = Math.sin(a), fr = re[y * nx + x]!, fi = im[y * nx + x]!;
      sr += fr * c - fi * s; si += fr * s + fi * c;
    }
    or[ky * nx + kx] = sr; oi[ky * nx + kx] = si;
  }
  return [or, oi];
}

function relErr(ar: ArrayLike<number>, ai: ArrayLike<number>, br: ArrayLike<number>, bi: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < ar.length; i++) {
    num = Math.max(num, Math.hypot(ar[i]! - br[i]!, ai[i]! - bi[i]!));
    den += br[i]! ** 2 + bi[i]! ** 2;
  }
  return num / Math.sqrt(den / ar.length);
}

const MIXED: [number, number][] = [[2, 2], [3, 5], [4, 9], [8, 6], [16, 15], [25, 12], [30, 20], [27, 10], [64, 3], [45, 32]];
/** PFFFT (WASM SIMD) needs multiples of 16 with factors 2, 3, 5. */
const SIXTEENS: [number, number][] = [[16, 16], [48, 32], [80, 16], [96, 48]];
type Engine = 'stockham' | 'pffft';
const CASES: [Engine, number, number][] = [
  ...MIXED.map(([a, b]): [Engine, number, number] => ['stockham', a, b]),
  ...SIXTEENS.map(([a, b]): [Engine, number, number] => ['stockham', a, b]),
  ...SIXTEENS.map(([a, b]): [Engine, number, number] => ['pffft', a, b]),
];

describe('fft sizes', () => {
  it('supports exactly the 2^a·3^b·5^c sizes ≥ 2', () => {
    for (const n of [2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 648, 720, 1024, 3125]) expect(isSupportedFftSize(n)).toBe(true);
    for (const n of [0, 1, 7, 11, 14, 49, 1022, 2.5, -4]) expect(isSupportedFftSize(n)).toBe(false);
    expect(factorize(648)).toEqual([4, 2, 3, 3, 3, 3]);
  });
  it('nextFftSize returns the smallest 2^a·3^b·5^c size at or above n', () => {
    expect([1, 7, 11, 13, 17, 641, 647, 649, 721, 1025].map(nextFftSize)).toEqual([2, 8, 12, 15, 18, 648, 648, 675, 729, 1080]);
  });
  it('nextFastFftSize returns the smallest multiple of 16 with factors 2, 3, 5 at or above n', () => {
    expect([1, 16, 17, 641, 648, 649, 720, 1000].map(nextFastFftSize)).toEqual([16, 16, 32, 720, 720, 720, 720, 1024]);
  });
  it('rejects unsupported sizes with a RangeError', () => {
    expect(() => createFft2d(7, 8)).toThrow(RangeError);
    expect(() => createFft2d(8, 1)).toThrow(RangeError);
    expect(() => createFft2d(648, 720, { engine: 'pffft' })).toThrow(RangeError);
  });
  it('uses WASM SIMD PFFFT for multiples of 16 and returns the cached instance per size', () => {
    expect(createFft2d(640, 720)).toBeInstanceOf(Pffft2d);
    expect(createFft2d(640, 720)).toBe(createFft2d(640, 720));
    expect(createFft2d(648, 720)).toBeInstanceOf(Stockham2d);
  });
});

describe('PFFFT data movement', () => {
  it('the WebAssembly SIMD path (interleave, transposes, de-interleave times the inverse\'s scale) gives the scalar loops\' bits', () => {
    for (const [nx, ny] of [[48, 32], [160, 144]] as const) {
      const [re, im] = randomField(nx * ny, nx + ny);
      // Planar arrays longer than the grid: only the first nx·ny values are read and written.
      const a = [new Float32Array(nx * ny + 5), new Float32Array(nx * ny + 5)] as const, b = [new Float32Array(nx * ny + 5), new Float32Array(nx * ny + 5)] as const;
      for (const [r, i] of [a, b]) { r.set(re); i.set(im); r.fill(7, nx * ny); i.fill(7, nx * ny); }
      const simd = new Pffft2d(nx, ny), scalar = new Pffft2d(nx, ny);
      // The scalar loops: the instance's SIMD kernels marked unavailable (as without WebAssembly SIMD).
      (scalar as unknown as { kernels: null }).kernels = null;
      expect((simd as unknown as { simd(): unknown }).simd(), 'SIMD kernels must load here').toBeDefined();
      for (const step of ['forward', 'inverse'] as const) {
        simd[step](a[0], a[1]);
        scalar[step](b[0], b[1]);
        for (const k of [0, 1]) {
          let same = 0;
          for (let q = 0; q < nx * ny + 5; q++) if (Object.is(a[k]![q], b[k]![q])) same++;
          expect(same, `${nx}×${ny} ${step} ${k ? 'im' : 're'}`).toBe(nx * ny + 5);
        }
      }
      simd.release();
      scalar.release();
    }
  });
});

describe('fft correctness against a float64 naive DFT', () => {
  it.each(CASES)('%s forward matches the naive DFT at %i×%i within 2e-6 of the RMS', (engine, nx, ny) => {
    const [re, im] = randomField(nx * ny, nx * 1000 + ny);
    const [er, ei] = naiveDft(nx, ny, re, im, -1);
    const fft = createFft2d(nx, ny, { engine });
    fft.forward(re, im);
    expect(relErr(re, im, er, ei)).toBeLessThan(2e-6);
  });
  it.each(CASES.filter((_, i) => i % 3 === 0))('%s inverse matches the naive exp(+2πi) DFT divided by nx·ny at %i×%i', (engine, nx, ny) => {
    const [re, im] = randomField(nx * ny, 7 + nx * ny);
    const [er, ei] = naiveDft(nx, ny, re, im, +1);
    for (let i = 0; i < er.length; i++) { er[i] = er[i]! / (nx * ny); ei[i] = ei[i]! / (nx * ny); }
    createFft2d(nx, ny, { engine }).inverse(re, im);
    expect(relErr(re, im, er, ei)).toBeLessThan(2e-6);
  });
});

describe('fft invariants at benchmark sizes', () => {
  it.each([[648, 720], [256, 256], [1024, 8], [640, 720]] as [number, number][])('inverse∘forward is the identity at %i×%i (float32: max error 2e-6 of the RMS, ~ε·log2 N)', (nx, ny) => {
    const [re, im] = randomField(nx * ny, 3);
    const r0 = re.slice(), i0 = im.slice();
    const fft = createFft2d(nx, ny);
    fft.forward(re, im);
    fft.inverse(re, im);
    expect(relErr(re, im, r0, i0)).toBeLessThan(2e-6);
  });
  it.each([[648, 720], [640, 720]] as [number, number][])('conserves Σ|F|² = nx·ny·Σ|f|² (Parseval) at %i×%i to 1e-6', (nx, ny) => {
    const [re, im] = randomField(nx * ny, 11);
    let e0 = 0;
    for (let i = 0; i < nx * ny; i++) e0 += re[i]! ** 2 + im[i]! ** 2;
    createFft2d(nx, ny).forward(re, im);
    let e1 = 0;
    for (let i = 0; i < nx * ny; i++) e1 += re[i]! ** 2 + im[i]! ** 2;
    expect(Math.abs(e1 / (nx * ny) / e0 - 1)).toBeLessThan(1e-6);
  });
  it('is linear: F(a·f + b·g) = a·F(f) + b·F(g) at 60×48', () => {
    const nx = 60, ny = 48, n = nx * ny, a = 0.7, b = -1.3;
    const [fr, fi] = randomField(n, 1), [gr, gi] = randomField(n, 2);
    const hr = new Float32Array(n), hi = new Float32Array(n);
    for (let i = 0; i < n; i++) { hr[i] = a * fr[i]! + b * gr[i]!; hi[i] = a * fi[i]! + b * gi[i]!; }
    const fft = createFft2d(nx, ny);
    fft.forward(fr, fi); fft.forward(gr, gi); fft.forward(hr, hi);
    const er = new Float64Array(n), ei = new Float64Array(n);
    for (let i = 0; i < n; i++) { er[i] = a * fr[i]! + b * gr[i]!; ei[i] = a * fi[i]! + b * gi[i]!; }
    expect(relErr(hr, hi, er, ei)).toBeLessThan(2e-6);
  });
  it('obeys the shift theorem: f(x − x0, y − y0) ↦ F(k)·exp(−2πi(kx·x0/nx + ky·y0/ny)) at 45×36', () => {
    const nx = 45, ny = 36, n = nx * ny, x0 = 7, y0 = 5;
    const [fr, fi] = randomField(n, 5);
    const sr = new Float32Array(n), si = new Float32Array(n);
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
      const src = ((y - y0 + ny) % ny) * nx + ((x - x0 + nx) % nx);
      sr[y * nx + x] = fr[src]!; si[y * nx + x] = fi[src]!;
    }
    const fft = createFft2d(nx, ny);
    fft.forward(fr, fi); fft.forward(sr, si);
    const er = new Float64Array(n), ei = new Float64Array(n);
    for (let ky = 0; ky < ny; ky++) for (let kx = 0; kx < nx; kx++) {
      const i = ky * nx + kx, a = -2 * Math.PI * ((kx * x0) / nx + (ky * y0) / ny);
      er[i] = fr[i]! * Math.cos(a) - fi[i]! * Math.sin(a);
      ei[i] = fr[i]! * Math.sin(a) + fi[i]! * Math.cos(a);
    }
    expect(relErr(sr, si, er, ei)).toBeLessThan(2e-6);
  });
  it('gives a Hermitian spectrum F(−k) = conj F(k) for real input at 40×30', () => {
    const nx = 40, ny = 30, n = nx * ny;
    const [re] = randomField(n, 9);
    const im = new Float32Array(n);
    createFft2d(nx, ny).forward(re, im);
    let worst = 0, rms = 0;
    for (let ky = 0; ky < ny; ky++) for (let kx = 0; kx < nx; kx++) {
      const i = ky * nx + kx, j = ((ny - ky) % ny) * nx + ((nx - kx) % nx);
      worst = Math.max(worst, Math.abs(re[i]! - re[j]!), Math.abs(im[i]! + im[j]!));
      rms += re[i]! ** 2 + im[i]! ** 2;
    }
    expect(worst / Math.sqrt(rms / n)).toBeLessThan(2e-6);
  });
  it('transforms a unit delta to a constant and a plane wave to a single delta', () => {
    const nx = 24, ny = 18, n = nx * ny;
    const re = new Float32Array(n), im = new Float32Array(n);
    re[0] = 1;
    const fft = createFft2d(nx, ny);
    fft.forward(re, im);
    for (let i = 0; i < n; i++) { expect(re[i]).toBeCloseTo(1, 6); expect(im[i]).toBeCloseTo(0, 6); }
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
      const a = 2 * Math.PI * ((3 * x) / nx + (2 * y) / ny);
      re[y * nx + x] = Math.cos(a); im[y * nx + x] = Math.sin(a);
    }
    fft.forward(re, im);
    for (let i = 0; i < n; i++) {
      expect(re[i]).toBeCloseTo(i === 2 * nx + 3 ? n : 0, 3);
      expect(im[i]).toBeCloseTo(0, 3);
    }
  });
});
