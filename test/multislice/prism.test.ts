/**
 * PRISM (Ophus, Adv. Struct. Chem. Imaging 3, 13 (2017)) against the plain multislice reference on the same
 * potentials (both from prepareMultislice). Multislice is linear in ψ, so at f = 1 (every beam of the aperture)
 * Σ_b c_b·S_b is the multislice of the probe itself: equal to float32 round-off (abTEM's test_prism_matches_probe
 * makes the same check). At f > 1 the probe is reconstructed on a window of one beam period (cell/f), so the
 * error grows as the window shrinks; the issue asks ≤ 2 % at f = 2.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/index.js';
import type { Atoms } from '../../src/lattice/atoms.js';
import { createCpuBackend, makeGrid, prepareMultislice, runProbePosition, type HaadfOptions } from '../../src/multislice/index.js';
import {
  computeBeams, defaultInterpolation, prismBeams, prismGeometry, simulateHaadfPrism, simulateHaadfWith, simulatePrismSignals,
} from '../../src/multislice/prism/index.js';
import { columns, lno210 } from './structures.js';
import { tileAtoms } from '../../src/lattice/index.js';

/** Repeats a structure k times along y (lno210 has one c period along y). */
const tileY = (a: Atoms, k: number): Atoms => tileAtoms(a, [1, k, 1]);

/** Plain multislice signal at each position (one shared transmission stack). */
function plainSignals(atoms: Atoms, opts: HaadfOptions, pts: [number, number][]): number[] {
  const prep = prepareMultislice(atoms, opts);
  const stack = prep.buildStack(0);
  const be = createCpuBackend();
  return pts.map(([x, y]) => runProbePosition(prep.setup, stack, be, x, y)[0]!);
}

// Coarse sampling keeps the tests fast: 0.06 Å puts the 2/3 band limit at 139 mrad, so the annular detector is 60–130 mrad.
const OPTS: HaadfOptions = { energy_eV: 200e3, semiangle_mrad: 15.07, detector: { inner_mrad: 60, outer_mrad: 130 }, sampling_A: 0.06, sliceThickness_A: 1.66 };

describe('PRISM beam set', () => {
  it('holds exactly the f-sub-lattice frequencies inside the aperture, symmetric under q → −q, ≈ π(αL/λf)² of them', () => {
    const grid = makeGrid([25.9, 28.38], 0.04);
    const lambda = 0.025079, alpha = 15.07e-3;
    for (const f of [1, 2, 4]) {
      const b = prismBeams(grid, lambda, 15.07, f);
      const keys = new Set<string>();
      for (let i = 0; i < b.qx.length; i++) {
        expect(Math.abs(b.qx[i]! % f)).toBe(0);
        expect(Math.abs(b.qy[i]! % f)).toBe(0);
        expect(Math.hypot(b.qx[i]! / 25.9, b.qy[i]! / 28.38)).toBeLessThanOrEqual(alpha / lambda);
        keys.add(`${b.qx[i]},${b.qy[i]}`);
      }
      for (let i = 0; i < b.qx.length; i++) expect(keys.has(`${-b.qx[i]!},${-b.qy[i]!}`)).toBe(true);
      const expected = (Math.PI * (alpha / lambda) ** 2 * 25.9 * 28.38) / (f * f);
      expect(Math.abs(b.qx.length / expected - 1)).toBeLessThan(0.1);
    }
  });
});

describe('PRISM against plain multislice', () => {
  it('reproduces plain multislice column intensities at f = 1 to float32 round-off (1e-4 relative)', async () => {
    const atoms = lno210(3, 1);
    const pts = [...columns(atoms, 1).slice(0, 2), ...columns(atoms, 0).slice(0, 2), [1.1, 5.3] as [number, number]];
    const ref = plainSignals(atoms, OPTS, pts);
    const r = await simulatePrismSignals(atoms, { ...OPTS, interpolation: 1 }, Float64Array.from(pts.flat()));
    ref.forEach((v, i) => expect(Math.abs(r.signals[i]! / v - 1)).toBeLessThan(1e-4));
  });

  it('conserves the beam in vacuum at any f: a 0–(α+5) mrad detector collects the whole probe (1 ± 1e-5)', async () => {
    const empty: Atoms = { n: 0, Z: new Uint8Array(0), positions_A: new Float64Array(0), cell_A: [12, 11, 4], occupancy: new Float32Array(0) };
    const opts = { ...OPTS, detector: { inner_mrad: 0, outer_mrad: 20.07 }, aberrations: { C10: -40, C30: 1e4 } };
    for (const f of [1, 2, 3]) {
      const r = await simulatePrismSignals(empty, { ...opts, interpolation: f }, Float64Array.of(0.3, 0.7, 6.1, 9.9));
      for (const s of r.signals) expect(s).toBeCloseTo(1, 5);
    }
  });

  it('keeps column intensities within 2 % at f = 2 on a 25.9 × 28.4 Å LiNiO2 [210] cell; f = 4 and 8 err more, bounded', async () => {
    const atoms = tileY(lno210(9, 1), 2); // the benchmark's lateral cell, one orthogonal cell (4.98 Å) thick
    const m = columns(atoms, 1).slice(0, 3), li = columns(atoms, 0).slice(0, 3);
    const pts = [...m, ...li];
    const ref = plainSignals(atoms, OPTS, pts);
    const meanM = (ref[0]! + ref[1]! + ref[2]!) / 3;
    const worst: number[] = [];
    for (const f of [2, 4, 8]) {
      const r = await simulatePrismSignals(atoms, { ...OPTS, interpolation: f }, Float64Array.from(pts.flat()));
      const errM = m.map((_, i) => Math.abs(r.signals[i]! / ref[i]! - 1));
      // Li columns carry ~3 % of the M signal: their error is stated relative to the M-column intensity (the image scale).
      const errLi = li.map((_, i) => Math.abs(r.signals[3 + i]! - ref[3 + i]!) / meanM);
      worst.push(Math.max(...errM, ...errLi));
      if (f === 2) {
        for (const e of errM) expect(e).toBeLessThan(0.02);
        for (const e of errLi) expect(e).toBeLessThan(0.02);
      }
    }
    // Measured here (2026-11-24): worst 0.7 %, 3.3 %, 19.4 % at f = 2, 4, 8 (M columns); Li columns' own relative error ≈ 10 % at f = 2.
    expect(worst[0]!).toBeLessThan(worst[1]!);
    expect(worst[1]!).toBeLessThan(worst[2]!);
    expect(worst[2]!).toBeLessThan(0.3);
  });
});

describe('PRISM S-matrix engines', () => {
  it('computes the same beams with the WASM-heap loop as with the planar loop (float32: 1e-5 of the largest value)', () => {
    const atoms = tileY(lno210(5, 1), 1);
    const prep = prepareMultislice(atoms, { ...OPTS, sampling_A: 0.09, detector: { inner_mrad: 40, outer_mrad: 90 } }); // 160 × 160: PFFFT-friendly
    expect([prep.setup.grid.nx, prep.setup.grid.ny]).toEqual([160, 160]);
    const stack = prep.buildStack(0);
    const g = prismGeometry(prep.setup.grid, 2);
    const beams = prismBeams(prep.setup.grid, prep.wavelength_A, 15.07, 2);
    const cn = g.cnx * g.cny, K = 5;
    const mk = () => ({ geometry: g, nSlices: prep.setup.nSlices, stack, propagator: prep.setup.propagator, beams, sRe: new Float32Array(K * cn), sIm: new Float32Array(K * cn) });
    const a = mk(), b = mk();
    computeBeams(a, 0, K, 'planar');
    computeBeams(b, 0, K, 'wasm');
    let diff = 0, top = 0;
    for (let i = 0; i < K * cn; i++) { diff = Math.max(diff, Math.hypot(a.sRe[i]! - b.sRe[i]!, a.sIm[i]! - b.sIm[i]!)); top = Math.max(top, Math.hypot(a.sRe[i]!, a.sIm[i]!)); }
    expect(top).toBeGreaterThan(0.5);
    expect(diff / top).toBeLessThan(1e-5);
  });
});

describe('PRISM runs', () => {
  it('gives the same image for 1 and 2 workers', async () => {
    const atoms = lno210(3, 1);
    const opts = { ...OPTS, interpolation: 2, scanRegion_A: [0, 0, 2.4, 2.4] as const, scanStep_A: 0.6 };
    const a = await simulateHaadfPrism(atoms, { ...opts, workers: 1 });
    const b = await simulateHaadfPrism(atoms, { ...opts, workers: 2 });
    expect(a.width * a.height).toBe(16);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
    expect(a.metadata.mode).toBe('prism');
    expect(a.metadata.interpolation).toBe(2);
  });

  it('rejects a non-integer or too large interpolation factor and thickness series, naming the field', async () => {
    const atoms = lno210(2, 1);
    for (const f of [0, 1.5, 1000]) {
      await expect(simulatePrismSignals(atoms, { ...OPTS, interpolation: f }, Float64Array.of(1, 1))).rejects.toMatchObject({ field: 'interpolation' });
    }
    await expect(simulatePrismSignals(atoms, { ...OPTS, thicknessSeries_A: [2] }, Float64Array.of(1, 1))).rejects.toBeInstanceOf(InputError);
    await expect(simulateHaadfWith('fast' as 'prism', atoms, OPTS)).rejects.toMatchObject({ field: 'algorithm' });
  });

  it('chooses a default interpolation factor that keeps windows at least 12 Å wide', () => {
    expect(defaultInterpolation([25.9, 28.38, 99.7])).toBe(2);
    expect(defaultInterpolation([11.5, 14.19, 10])).toBe(1);
    expect(defaultInterpolation([60, 50, 10])).toBe(4);
  });
});
