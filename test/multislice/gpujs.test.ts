/**
 * gpu.js backend kernels against plain-TypeScript float64 references, written once as a function
 * of the gpu.js mode and run for every mode available here (GPU modes skip without a GPU, as
 * gpu.js's own feature tests do). Tolerances are float32: an FFT of N points accumulates about
 * ε·log2 N relative error (ε = 6e-8), so we allow 1e-5·log2 N relative to the largest element;
 * any indexing or twiddle bug gives errors of order 1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/index.js';
import { createFft2d } from '../../src/core/fft/index.js';
import {
  createGpuJsBackend, hasGpuJsGpu as hasRealGpu, isGpuJsModeAvailable, radixPlan, twiddleTable, type GpuJsBackend, type GpuJsMode,
} from '../../src/multislice/backend/gpujs/index.js';
import {
  annularMask, cmul, dft2, maskedSum, norm2, randomField, randomPhase, relErr, sliceStep, to64,
} from './gpujs-reference.js';

const MODES: GpuJsMode[] = ['cpu', 'webasm', 'headlessgl', 'webgl2', 'webgl'];
const fftTol = (n: number): number => 1e-5 * Math.log2(n);

describe('gpu.js FFT plan', () => {
  it('splits 2^a·3^b·5^c points into radix-4 stages, a radix-2 stage when a is odd, then radix-3 and radix-5 stages', () => {
    expect(radixPlan(2)).toEqual([2]);
    expect(radixPlan(4)).toEqual([4]);
    expect(radixPlan(32)).toEqual([4, 4, 2]);
    expect(radixPlan(256)).toEqual([4, 4, 4, 4]);
    expect(radixPlan(648)).toEqual([4, 2, 3, 3, 3, 3]);
    expect(radixPlan(720)).toEqual([4, 4, 3, 3, 5]);
    for (const n of [512, 600, 1000, 2430]) expect(radixPlan(n).reduce((a, b) => a * b, 1)).toBe(n);
  });
  it('has no plan for sizes with a prime factor above 5, or below 2', () => {
    expect(radixPlan(14)).toEqual([]);
    expect(radixPlan(1)).toEqual([]);
    expect(radixPlan(77 * 8)).toEqual([]);
  });
  it('has a twiddle table of unit-modulus roots exp(−2πik/L) with w[L/4] = −i', () => {
    const w = twiddleTable(64);
    for (let k = 0; k < 64; k++) expect(Math.hypot(w.re[k]!, w.im[k]!)).toBeCloseTo(1, 6);
    expect(w.re[16]).toBeCloseTo(0, 7);
    expect(w.im[16]).toBeCloseTo(-1, 7);
  });
});

for (const mode of MODES) {
  describe.skipIf(!isGpuJsModeAvailable(mode))(`gpu.js backend, mode ${mode}`, () => {
    let be: GpuJsBackend | undefined;
    const backend = (): GpuJsBackend => (be ??= createGpuJsBackend({ mode }));
    afterEach(() => { be?.dispose(); be = undefined; });

    it('runs every kernel in the requested mode (no silent fallback to gpu.js\'s CPU backend)', () => {
      expect(backend().mode).toBe(mode);
      expect(backend().name).toBe('gpu');
      const psi = randomField(30, 16, 2);
      backend().detect(psi, [new Float32Array(30 * 16).fill(1)]);
      backend().intensity(psi);
      const sl = backend().uploadSlices([randomPhase(30, 16, 3)]);
      backend().multislice(psi, sl, randomPhase(30, 16, 4));
      const s = backend().prism.propagateBeams({ nx: 30, ny: 16, nb: 2, re: new Float32Array(960), im: new Float32Array(960) }, sl, randomPhase(30, 16, 4));
      backend().prism.reconstruct(s, { re: new Float32Array(2), im: new Float32Array(2) }, 0, 0, 8, 8);
      s.dispose();
      sl.dispose();
      expect(backend().kernelModes()).toEqual([mode]);
    });

    for (const [nx, ny, stages] of [[32, 32, 'radix 4, 2'], [64, 16, 'radix 4, 2'], [8, 2, 'radix 4, 2'], [12, 10, 'radix 4, 3, 2, 5'], [45, 30, 'radix 3, 5, 2'], [25, 27, 'radix 5, 3 only'], [50, 48, 'radix 2, 5, 4, 3']] as const) {
      it(`forward fft2 on ${nx}×${ny} (${stages}) matches a float64 DFT within 1e-5·log2 N relative`, () => {
        const f = randomField(nx, ny, 11 + nx);
        const ref = dft2(to64(f), false);
        backend().fft2(f, false);
        expect(relErr(f, ref)).toBeLessThan(fftTol(nx * ny));
      });
    }

    it('forward fft2 on the 648×720 grid of the abTEM benchmark job (stages 4·2·3·3·3·3 × 4·4·3·3·5) matches the CPU FFT within 1e-5·log2 N', () => {
      const nx = 648, ny = 720;
      const f = randomField(nx, ny, 99);
      const ref = { re: f.re.slice(), im: f.im.slice() };
      createFft2d(nx, ny).forward(ref.re, ref.im);
      backend().fft2(f, false);
      expect(relErr(f, ref)).toBeLessThan(fftTol(nx * ny));
    });

    for (const [nx, ny] of [[32, 16], [30, 20]] as const) {
      it(`inverse fft2 on ${nx}×${ny} matches a float64 inverse DFT (scaled by 1/(nx·ny)) and undoes the forward transform`, () => {
        const f = randomField(nx, ny, 3);
        const orig = { re: f.re.slice(), im: f.im.slice() };
        const ref = dft2(to64(f), true);
        const g = { nx, ny, re: f.re.slice(), im: f.im.slice() };
        backend().fft2(g, true);
        expect(relErr(g, ref)).toBeLessThan(fftTol(nx * ny));
        backend().fft2(g, false);
        expect(relErr(g, orig)).toBeLessThan(fftTol(nx * ny));
      });
    }

    it('transforms a plane wave exp(2πi(3x/nx − 5y/ny)) into nx·ny at k = (3, ny − 5) and ~0 elsewhere (Parseval holds)', () => {
      const nx = 32, ny = 32;
      const f = { nx, ny, re: new Float32Array(nx * ny), im: new Float32Array(nx * ny) };
      for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
        const a = 2 * Math.PI * ((3 * x) / nx - (5 * y) / ny);
        f.re[y * nx + x] = Math.cos(a);
        f.im[y * nx + x] = Math.sin(a);
      }
      const before = norm2(f);
      backend().fft2(f, false);
      const peak = (ny - 5) * nx + 3;
      expect(f.re[peak]! / (nx * ny)).toBeCloseTo(1, 5);
      expect(Math.abs(f.im[peak]!) / (nx * ny)).toBeLessThan(1e-5);
      f.re[peak] = 0;
      expect(Math.sqrt(norm2(f)) / (nx * ny)).toBeLessThan(1e-5);
      f.re[peak] = nx * ny;
      expect(norm2(f) / (nx * ny * before)).toBeCloseTo(1, 5);
    });

    it('transmit is the elementwise complex product ψ·t (relative 1e-6)', () => {
      const psi = randomField(32, 16, 5), t = randomPhase(32, 16, 6);
      const ref = cmul(to64(psi), t);
      backend().transmit(psi, t);
      expect(relErr(psi, ref)).toBeLessThan(1e-6);
    });

    it('propagate equals F⁻¹[F[ψ]·P] in float64 and keeps Σ|ψ|² for a unimodular P', () => {
      const psi = randomField(32, 32, 7), p = randomPhase(32, 32, 8);
      const n0 = norm2(psi);
      const ref = dft2(cmul(dft2(to64(psi), false), p), true);
      backend().propagate(psi, p);
      expect(relErr(psi, ref)).toBeLessThan(2 * fftTol(1024));
      expect(norm2(psi) / n0).toBeCloseTo(1, 5);
    });

    it('detect returns Σ mask·|Ψ(k)|²/(nx·ny) per mask, and 1 for a full mask on a normalised wave', () => {
      const nx = 32, ny = 32;
      const psi = randomField(nx, ny, 9);
      const s = 1 / Math.sqrt(norm2(psi));
      psi.re.forEach((v, i) => { psi.re[i] = v * s; psi.im[i] = psi.im[i]! * s; });
      const k = dft2(to64(psi), false);
      const masks = [annularMask(nx, ny, 4, 12), new Float32Array(nx * ny).fill(1), annularMask(nx, ny, 0, 3)];
      const got = backend().detect(psi, masks);
      masks.forEach((m, i) => expect(Math.abs(got[i]! - maskedSum(k, m))).toBeLessThan(1e-6));
      expect(got[1]).toBeCloseTo(1, 5);
      expect(relErr(psi, k)).toBeLessThan(fftTol(nx * ny)); // ψ is left in k-space, as on the CPU backend
    });

    it('intensity returns |ψ|² element by element', () => {
      const psi = randomField(16, 16, 10);
      const got = backend().intensity(psi);
      got.forEach((v, i) => expect(Math.abs(v - (psi.re[i]! ** 2 + psi.im[i]! ** 2))).toBeLessThan(1e-7));
    });

    it('multislice on the device equals the float64 slice-by-slice reference, with a thickness series from the k-space wave after each slice', () => {
      const nx = 32, ny = 32, nSlices = 4;
      const ts = Array.from({ length: nSlices }, (_, i) => randomPhase(nx, ny, 20 + i));
      const p = randomPhase(nx, ny, 30);
      const psi = randomField(nx, ny, 31);
      const masks = [annularMask(nx, ny, 5, 14)];
      let ref = to64(psi);
      const refSeries: number[] = [];
      for (const t of ts) { ref = sliceStep(ref, t, p); refSeries.push(maskedSum(dft2(ref, false), masks[0]!)); }
      const slices = backend().uploadSlices(ts);
      const series = backend().multislice(psi, slices, p, { masks, detectAfter: [1, 2, 3, 4] });
      slices.dispose();
      expect(relErr(psi, ref)).toBeLessThan(nSlices * 2 * fftTol(nx * ny));
      series.forEach((v, i) => expect(Math.abs(v[0]! - refSeries[i]!) / refSeries[i]!).toBeLessThan(1e-4));
    });

    it('rejects a grid with a prime factor above 5 with an InputError naming the grid and suggesting one', () => {
      const f = randomField(14, 16, 1);
      expect(() => backend().fft2(f, false)).toThrow(InputError);
      expect(() => backend().fft2(f, false)).toThrow(/psi\.grid: got "14×16".*use 15×16/);
    });

    it('rejects masks, transmissions and planes of the wrong size, naming the field', () => {
      const psi = randomField(16, 16, 1);
      expect(() => backend().detect(psi, [new Float32Array(10)])).toThrow(/masks\[0\]/);
      expect(() => backend().transmit(psi, randomPhase(16, 8, 2))).toThrow(/transmission\.grid/);
      expect(() => backend().transmit({ nx: 16, ny: 16, re: new Float32Array(10), im: new Float32Array(10) }, psi)).toThrow(/psi\.re\/im/);
      expect(() => backend().uploadSlices([])).toThrow(/transmissions/);
    });

    it('dispose() is safe to call twice and the backend refuses work afterwards', () => {
      const b = createGpuJsBackend({ mode });
      b.fft2(randomField(8, 8, 1), false);
      b.dispose();
      expect(() => b.dispose()).not.toThrow();
      expect(() => b.fft2(randomField(8, 8, 1), false)).toThrow(/after dispose/);
    });
  });
}

describe('gpu.js backend modes', () => {
  it('refuses webgpu (asynchronous kernels) and unknown modes with an InputError naming backend.mode', () => {
    expect(() => createGpuJsBackend({ mode: 'webgpu' })).toThrow(/backend\.mode/);
    expect(() => createGpuJsBackend({ mode: 'vulkan' as GpuJsMode })).toThrow(/backend\.mode/);
  });
});

describe('gpu.js GPU detection for --backend auto', () => {
  it('reports no real GPU without a GL route, and honours CATHODE_TWIN_GPU=0', () => {
    const old = process.env.CATHODE_TWIN_GPU;
    try {
      process.env.CATHODE_TWIN_GPU = '0';
      expect(hasRealGpu()).toBe(false);
      delete process.env.CATHODE_TWIN_GPU;
      if (!isGpuJsModeAvailable('headlessgl') && !isGpuJsModeAvailable('webgl2') && !isGpuJsModeAvailable('webgl')) {
        expect(hasRealGpu()).toBe(false); // webasm is never a GPU
      }
    } finally {
      if (old === undefined) delete process.env.CATHODE_TWIN_GPU; else process.env.CATHODE_TWIN_GPU = old;
    }
  });
});
