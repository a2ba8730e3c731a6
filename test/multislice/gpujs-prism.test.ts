/**
 * PRISM kernels of the gpu.js backend (Ophus, Adv. Struct. Chem. Imaging 3, 13 (2017)), run for
 * every gpu.js mode available here. Multislice is linear in ψ, so at interpolation factor 1 with
 * every beam inside the aperture, Σ_b c_b·S_b must equal the multislice of the probe
 * ψ₀ = Σ_b c_b·exp(2πi q_b·r) itself (the check abTEM's test_prism_matches_probe makes);
 * the tolerance is the float32 multislice one (2 FFTs per slice, 1e-5·log2 N each).
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  createGpuJsBackend, isGpuJsModeAvailable, type ComplexBatch, type GpuJsBackend, type GpuJsMode,
} from '../../src/multislice/backend/gpujs/index.js';
import { annularMask, dft2, maskedSum, randomField, randomPhase, relErr, seeded, sliceStep, type C64 } from './gpujs-reference.js';

const MODES: GpuJsMode[] = ['cpu', 'webasm', 'headlessgl', 'webgl2', 'webgl'];
const NX = 32, NY = 32;

/** Beam wave vectors (in grid pixels) inside an aperture of radius 3.5 px on the f = 1 grid. */
function apertureBeams(): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let ky = -4; ky <= 4; ky++) for (let kx = -4; kx <= 4; kx++) if (Math.hypot(kx, ky) <= 3.5) out.push([kx, ky]);
  return out;
}

function planeWaves(beams: Array<[number, number]>): ComplexBatch {
  const n = NX * NY;
  const re = new Float32Array(beams.length * n), im = new Float32Array(beams.length * n);
  beams.forEach(([kx, ky], b) => {
    for (let y = 0; y < NY; y++) for (let x = 0; x < NX; x++) {
      const a = 2 * Math.PI * ((kx * x) / NX + (ky * y) / NY);
      re[b * n + y * NX + x] = Math.cos(a);
      im[b * n + y * NX + x] = Math.sin(a);
    }
  });
  return { nx: NX, ny: NY, nb: beams.length, re, im };
}

/** c_b = exp(−iχ(q))·exp(−2πi q·r₀)/√(nb·npix), χ = 0.3·|q|² (a defocus-like aberration, rad). */
function coefficients(beams: Array<[number, number]>, x0: number, y0: number): { re: Float32Array; im: Float32Array } {
  const s = 1 / Math.sqrt(beams.length * NX * NY);
  const re = new Float32Array(beams.length), im = new Float32Array(beams.length);
  beams.forEach(([kx, ky], b) => {
    const phase = -0.3 * (kx * kx + ky * ky) - 2 * Math.PI * ((kx * x0) / NX + (ky * y0) / NY);
    re[b] = s * Math.cos(phase);
    im[b] = s * Math.sin(phase);
  });
  return { re, im };
}

/** Fresnel propagator exp(−iπλΔz k²) (λΔz = 0.02 px², illustrative) with a 2/3 band limit, unshifted grid. */
function fresnel(): { nx: number; ny: number; re: Float32Array; im: Float32Array } {
  const re = new Float32Array(NX * NY), im = new Float32Array(NX * NY);
  for (let y = 0; y < NY; y++) for (let x = 0; x < NX; x++) {
    const kx = x < NX / 2 ? x : x - NX, ky = y < NY / 2 ? y : y - NY;
    if (Math.hypot(kx / NX, ky / NY) > 1 / 3) continue;
    const a = -Math.PI * 0.02 * (kx * kx + ky * ky);
    re[y * NX + x] = Math.cos(a);
    im[y * NX + x] = Math.sin(a);
  }
  return { nx: NX, ny: NY, re, im };
}

for (const mode of MODES) {
  describe.skipIf(!isGpuJsModeAvailable(mode))(`gpu.js PRISM kernels, mode ${mode}`, () => {
    let be: GpuJsBackend | undefined;
    const backend = (): GpuJsBackend => (be ??= createGpuJsBackend({ mode }));
    afterEach(() => { be?.dispose(); be = undefined; });

    it('at interpolation 1, Σ c_b·S_b equals the multislice of the probe ψ₀ = Σ c_b·exp(2πi q_b·r) (linearity), within float32 tolerance', () => {
      const beams = apertureBeams();
      const ts = [0, 1, 2].map((i) => randomPhase(NX, NY, 40 + i));
      const p = fresnel();
      const slices = backend().uploadSlices(ts);
      const s = backend().prism.propagateBeams(planeWaves(beams), slices, p, { batchSize: 16 });
      const c = coefficients(beams, 9.3, 20.6);
      const probe = backend().prism.reconstruct(s, c, 0, 0, NX, NY);
      s.dispose();
      slices.dispose();
      // reference: build ψ₀ in float64 and run the float64 multislice on it
      const w = planeWaves(beams);
      let ref: C64 = { nx: NX, ny: NY, re: new Float64Array(NX * NY), im: new Float64Array(NX * NY) };
      beams.forEach((_, b) => {
        for (let i = 0; i < NX * NY; i++) {
          const wr = w.re[b * NX * NY + i]!, wi = w.im[b * NX * NY + i]!;
          ref.re[i] = ref.re[i]! + c.re[b]! * wr - c.im[b]! * wi;
          ref.im[i] = ref.im[i]! + c.re[b]! * wi + c.im[b]! * wr;
        }
      });
      for (const t of ts) ref = sliceStep(ref, t, p);
      expect(relErr(probe, ref)).toBeLessThan(3 * 2 * 1e-5 * Math.log2(NX * NY));
    });

    it('gives the same S-matrix bytes for any beam batch size (1, 7 or all beams per launch)', () => {
      const beams = apertureBeams();
      const slices = backend().uploadSlices([randomPhase(NX, NY, 50), randomPhase(NX, NY, 51)]);
      const p = fresnel();
      const runs = [1, 7, beams.length].map((batchSize) => {
        const s = backend().prism.propagateBeams(planeWaves(beams), slices, p, { batchSize });
        const d = s.download();
        s.dispose();
        return d;
      });
      slices.dispose();
      expect(runs[1]!.re).toEqual(runs[0]!.re);
      expect(runs[1]!.im).toEqual(runs[0]!.im);
      expect(runs[2]!.re).toEqual(runs[0]!.re);
      expect(runs[2]!.im).toEqual(runs[0]!.im);
    });

    it('reconstruct sums c_b·S_b over a window that wraps around the periodic cell, across beam batches', () => {
      const nb = 10;
      const f = randomField(NX, NY, 60, nb);
      const s = backend().prism.uploadSMatrix({ nx: NX, ny: NY, nb, re: f.re, im: f.im }, { batchSize: 3 });
      const r = seeded(61);
      const c = { re: Float32Array.from({ length: nb }, r), im: Float32Array.from({ length: nb }, r) };
      const cx = 8, cy = 16, x0 = 28, y0 = -3;
      const got = backend().prism.reconstruct(s, c, x0, y0, cx, cy);
      expect(s.download().re).toEqual(f.re);
      s.dispose();
      const ref = windowSum(f, c, 0, nb, x0, y0, cx, cy);
      expect(got.nx).toBe(cx);
      expect(got.ny).toBe(cy);
      expect(relErr(got, ref)).toBeLessThan(1e-5);
    });

    it('detectProbes gives each of P probes the detector signal of its own reconstructed window (float64 DFT reference), for one or several beam batches', () => {
      const nb = 10, P = 3, cx = 16, cy = 8;
      const f = randomField(NX, NY, 70, nb);
      const r = seeded(71);
      const c = { re: Float32Array.from({ length: P * nb }, r), im: Float32Array.from({ length: P * nb }, r) };
      const origins = [0, 0, 27, 30, 5, -2];
      const masks = [annularMask(cx, cy, 1, 4), new Float32Array(cx * cy).fill(1)];
      const ref = Array.from({ length: P }, (_, p) => {
        const w = windowSum(f, c, p, nb, origins[2 * p]!, origins[2 * p + 1]!, cx, cy);
        const k = dft2({ nx: cx, ny: cy, re: w.re, im: w.im }, false);
        return masks.map((m) => maskedSum(k, m));
      });
      for (const batchSize of [3, nb]) {
        const s = backend().prism.uploadSMatrix({ nx: NX, ny: NY, nb, re: f.re, im: f.im }, { batchSize });
        const got = backend().prism.detectProbes(s, c, origins, cx, cy, masks);
        s.dispose();
        expect(got.length).toBe(P * masks.length);
        for (let p = 0; p < P; p++) {
          masks.forEach((_, j) => expect(Math.abs(got[p * masks.length + j]! - ref[p]![j]!) / ref[p]![j]!).toBeLessThan(1e-5));
        }
      }
    });

    it('rejects coefficients of the wrong length, windows larger than the cell and bad batch sizes, naming the field', () => {
      const f = randomField(NX, NY, 1, 2);
      const s = backend().prism.uploadSMatrix({ nx: NX, ny: NY, nb: 2, re: f.re, im: f.im });
      const one = { re: new Float32Array(1), im: new Float32Array(1) };
      const two = { re: new Float32Array(2), im: new Float32Array(2) };
      expect(() => backend().prism.reconstruct(s, one, 0, 0, 8, 8)).toThrow(/coefficients/);
      expect(() => backend().prism.reconstruct(s, two, 0, 0, 64, 8)).toThrow(/window/);
      expect(() => backend().prism.reconstruct(s, two, 0.5, 0, 8, 8)).toThrow(/window origin/);
      expect(() => backend().prism.uploadSMatrix({ nx: NX, ny: NY, nb: 2, re: f.re, im: f.im }, { batchSize: 0 })).toThrow(/batchSize/);
      expect(() => backend().prism.detectProbes(s, two, [0, 0], 14, 8, [new Float32Array(112)])).toThrow(/window\.grid|window/);
      expect(() => backend().prism.detectProbes(s, two, [0, 0], 16, 8, [new Float32Array(5)])).toThrow(/masks\[0\]/);
      s.dispose();
      expect(() => backend().prism.reconstruct(s, two, 0, 0, 8, 8)).toThrow(/smatrix/);
    });
  });
}

/** Window of probe p: Σ_b c[p·nb + b]·S_b(x0 + u, y0 + v) with periodic wrap, float64. */
function windowSum(
  f: { re: Float32Array; im: Float32Array }, c: { re: Float32Array; im: Float32Array }, p: number, nb: number,
  x0: number, y0: number, cx: number, cy: number,
): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(cx * cy), im = new Float64Array(cx * cy);
  for (let v = 0; v < cy; v++) for (let u = 0; u < cx; u++) {
    const x = (((x0 + u) % NX) + NX) % NX, y = (((y0 + v) % NY) + NY) % NY;
    for (let b = 0; b < nb; b++) {
      const sr = f.re[b * NX * NY + y * NX + x]!, si = f.im[b * NX * NY + y * NX + x]!;
      const kr = c.re[p * nb + b]!, ki = c.im[p * nb + b]!;
      re[v * cx + u] = re[v * cx + u]! + kr * sr - ki * si;
      im[v * cx + u] = im[v * cx + u]! + kr * si + ki * sr;
    }
  }
  return { re, im };
}
