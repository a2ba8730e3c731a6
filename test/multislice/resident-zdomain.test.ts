/**
 * The resident loop's z-domain spectrum (resident.ts, BandFft2d.z*): PFFFT's unordered transform skips only the
 * reordering pass (pffft_zreorder: loads, shuffles and stores, no arithmetic; pffft.c), the transposes are data
 * movement, and the propagator multiply in block layout is the same float32 operations as the interleaved one
 * (re = a·p − b·q against a·p + (b·q)·(−1); im = a·q + b·p against b·p + a·q: IEEE negation is exact, addition
 * commutes). So the whole wave is the same float32 numbers in other places, and the detector sums, taken in the same
 * frequency order, are the same doubles: the tests compare to the bit (tolerance 0), against the ordered spectrum of
 * the same build. ~3 s.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BandFft2d, bandFft, pffftModule, pffftSetup, zFloat, zFrequency, zPosition } from '../../src/core/fft/index.js';
import { type HaadfOptions, prepareMultislice } from '../../src/multislice/index.js';
import { computeBeams, prismBeams, prismGeometry } from '../../src/multislice/prism/index.js';
import { heapStack, runProbeResident, setResidentSpectrumOrder } from '../../src/multislice/resident.js';
import { lno210 } from './structures.js';

const OPTS: HaadfOptions = { energy_eV: 200e3, semiangle_mrad: 15.07, detector: { inner_mrad: 70, outer_mrad: 180 }, sampling_A: 0.045, sliceThickness_A: 2.5, thicknessSeries_A: [5] };

afterEach(() => setResidentSpectrumOrder('auto'));
/** The debugging switches CATHODE_NO_PFFFT_UNORDERED (drops the export) and CATHODE_NO_SIMD_KERNELS (the z domain
 * needs the kernels) turn the z domain off: the tests that need it are skipped then (the ordered path runs). */
const disabled = Boolean(process.env.CATHODE_NO_PFFFT_UNORDERED || process.env.CATHODE_NO_SIMD_KERNELS);

describe('PFFFT unordered (z-domain) layout', () => {
  it.skipIf(disabled)('zPosition and zFrequency are inverse permutations, and the unordered transform is the ordered one permuted, to the bit, both ways', () => {
    const m = pffftModule()!;
    expect(m._pffft_transform).toBeTypeOf('function'); // the pinned 0.4.2 build exports it (self-tested at load)
    for (const n of [16, 48, 720]) {
      const seen = new Set<number>();
      for (let f = 0; f < n; f++) { const u = zPosition(n, f); seen.add(u); expect(zFrequency(n, u)).toBe(f); }
      expect(seen.size).toBe(n);
    }
    const n = 720, s = pffftSetup(n);
    const a = m._pffft_aligned_malloc(8 * n), b = m._pffft_aligned_malloc(8 * n), w = m._pffft_aligned_malloc(8 * n);
    const A = a >> 2, B = b >> 2, F = m.HEAPF32;
    for (let i = 0; i < 2 * n; i++) F[A + i] = F[B + i] = Math.sin(1.3 * i) * Math.cos(0.07 * i * i);
    m._pffft_transform_ordered(s, a, a, w, 0);
    m._pffft_transform!(s, b, b, w, 0);
    let same = 0;
    for (let f = 0; f < n; f++) {
      const o = B + zFloat(zPosition(n, f));
      if (Object.is(F[A + 2 * f], F[o]) && Object.is(F[A + 2 * f + 1], F[o + 4])) same++;
    }
    expect(same).toBe(n);
    m._pffft_transform_ordered(s, a, a, w, 1);
    m._pffft_transform!(s, b, b, w, 1);
    expect(Array.from(F.subarray(B, B + 2 * n))).toEqual(Array.from(F.subarray(A, A + 2 * n)));
    m._pffft_aligned_free(a); m._pffft_aligned_free(b); m._pffft_aligned_free(w);
  });

  it.skipIf(disabled)('is refused where the unordered export is missing: zDomain false, the z methods throw, the loop keeps the ordered spectrum', () => {
    const m = pffftModule()!;
    const t = m._pffft_transform;
    try {
      delete m._pffft_transform;
      const f = new BandFft2d(32, 48);
      expect(f.zDomain).toBe(false);
      expect(() => f.zInverseColumns([0])).toThrow(/unordered export/);
    } finally {
      m._pffft_transform = t;
    }
    expect(bandFft(32, 48).zDomain).toBe(true);
  });
});

describe('resident loop in the z domain', () => {
  it.skipIf(disabled)('gives the same probe signals to the bit as the ordered spectrum (thickness series, heap stack and per-slice copies)', () => {
    const prep = prepareMultislice(lno210(2, 2), OPTS);
    const stack = prep.buildStack(0);
    const { setup } = prep;
    const { nx, ny } = setup.grid;
    expect(nx).not.toBe(ny); // a non-square grid: the block transposes' strides are not interchangeable
    expect(bandFft(nx, ny).zDomain).toBe(true);
    const heap = heapStack(setup.grid, stack);
    try {
      for (const [x, y] of [[2.878, 4.73], [1.1, 2.2], [0.3, 0.9]] as const) {
        setResidentSpectrumOrder('ordered');
        const a = runProbeResident(setup, stack, x, y, heap);
        setResidentSpectrumOrder('auto');
        const b = runProbeResident(setup, stack, x, y, heap);
        const c = runProbeResident(setup, stack, x, y);
        expect(a.length).toBeGreaterThan(1);
        expect(a[0]).toBeGreaterThan(0);
        expect(Array.from(b)).toEqual(Array.from(a));
        expect(Array.from(c)).toEqual(Array.from(a));
      }
    } finally {
      heap?.free();
    }
  });

  it.skipIf(disabled)('gives the same S-matrix beams to the bit as the ordered spectrum', () => {
    const prep = prepareMultislice(lno210(5, 1), { energy_eV: 200e3, semiangle_mrad: 15.07, detector: { inner_mrad: 40, outer_mrad: 90 }, sampling_A: 0.09, sliceThickness_A: 1.66 });
    const stack = prep.buildStack(0);
    const g = prismGeometry(prep.setup.grid, 2);
    const beams = prismBeams(prep.setup.grid, prep.wavelength_A, 15.07, 2);
    const cn = g.cnx * g.cny, K = Math.min(7, beams.qx.length);
    const mk = () => ({ geometry: g, nSlices: prep.setup.nSlices, stack, propagator: prep.setup.propagator, beams, sRe: new Float32Array(K * cn), sIm: new Float32Array(K * cn) });
    const a = mk(), b = mk();
    setResidentSpectrumOrder('ordered');
    computeBeams(a, 0, K, 'wasm');
    setResidentSpectrumOrder('auto');
    computeBeams(b, 0, K, 'wasm');
    expect(Math.max(...a.sRe.map(Math.abs))).toBeGreaterThan(0.1);
    expect(Array.from(b.sRe)).toEqual(Array.from(a.sRe));
    expect(Array.from(b.sIm)).toEqual(Array.from(a.sIm));
  });

  it('refuses an unknown spectrum order, naming it', () => {
    expect(() => setResidentSpectrumOrder('reversed' as 'auto')).toThrow(/'auto' or 'ordered', got reversed/);
  });
});
