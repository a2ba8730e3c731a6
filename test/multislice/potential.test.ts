import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  KIRKLAND_COEFFICIENTS, LOBATO_COEFFICIENTS,
} from '../../src/multislice/parametrizations/index.js';
import {
  POTENTIAL_PREFACTOR_V_A2, buildPotentialSlices, makeGrid, projectedPotentialClosedForm_VA, scatteringFactor_A, sliceIndexOf,
} from '../../src/multislice/index.js';
import { ELEMENT_SYMBOLS } from '../../src/lattice/atoms.js';
import { singleAtom } from './structures.js';

const DATA = new URL('../../../shared/data/parametrizations/', import.meta.url);
const haveData = existsSync(new URL('lobato.json', DATA));

describe('shipped scattering-factor coefficients', () => {
  it.skipIf(!haveData)('equal the published tables in ../shared/data/parametrizations (Lobato & Van Dyck 2014; Kirkland 2010 App. C) for every element (skipped with this message when ../shared/data is absent)', () => {
    for (const [name, shipped] of [['lobato', LOBATO_COEFFICIENTS], ['kirkland', KIRKLAND_COEFFICIENTS]] as const) {
      const table = JSON.parse(readFileSync(new URL(`${name}.json`, DATA), 'utf8')) as Record<string, number[][]>;
      let count = 0;
      for (const [sym, rows] of Object.entries(table)) {
        const Z = ELEMENT_SYMBOLS.indexOf(sym);
        if (Z < 1) continue;
        expect(shipped[Z], `${name} ${sym}`).toEqual(rows);
        count++;
      }
      expect(count).toBeGreaterThanOrEqual(92);
    }
  });
  it('give f_e(0) of neutral atoms close between the two parametrisations (Ni, O within 3 %)', () => {
    for (const Z of [8, 28]) expect(Math.abs(scatteringFactor_A(Z, 0, 'lobato') / scatteringFactor_A(Z, 0, 'kirkland') - 1)).toBeLessThan(0.03);
  });
});

describe('projected potential on the grid', () => {
  const box = 12.8;
  const pixelAt = (v: Float32Array, nx: number, s: number, r: number): number => v[(nx / 2) * nx + Math.round((box / 2 + r) / s)]!;

  it('matches the Lobato closed form of a single Ni atom within 1 % at 0.3–2 Å (sampling 0.025 Å), error shrinking as Δ²', () => {
    const errs: number[] = [];
    for (const s of [0.05, 0.025]) {
      const g = makeGrid([box, box], s);
      const v = buildPotentialSlices(singleAtom(28, box), g, 1, 'lobato', undefined, false).slices[0]!;
      let worst = 0;
      for (const r of [0.3, 0.5, 1, 1.5, 2]) {
        const exact = projectedPotentialClosedForm_VA(28, r);
        const rel = Math.abs(pixelAt(v, g.nx, g.samplingX_A, r) - exact) / exact;
        worst = Math.max(worst, rel);
      }
      errs.push(worst);
    }
    expect(errs[1]!).toBeLessThan(0.01);
    // Band-limit truncation of the 1/g² tail: error ∝ Δ² (ratio 4 expected; accept 2.5–6).
    expect(errs[0]! / errs[1]!).toBeGreaterThan(2.5);
    expect(errs[0]! / errs[1]!).toBeLessThan(6);
  });

  it('agrees between Lobato and Kirkland parametrisations for Ni within 3 % at 0.5–1.5 Å', () => {
    for (const r of [0.5, 1, 1.5]) {
      expect(Math.abs(projectedPotentialClosedForm_VA(28, r, 'kirkland') / projectedPotentialClosedForm_VA(28, r) - 1)).toBeLessThan(0.03);
    }
  });

  it('integrates to (h²/2πm₀e)·f_e(0) per atom over the cell, for any number of slices (no atom lost or double counted)', () => {
    const atoms = { ...singleAtom(8, 6.4, 4), n: 3, Z: Uint8Array.of(8, 8, 28), positions_A: Float64Array.of(1, 1, 0, 2, 3, 2, 4, 4, 3.9999), occupancy: Float32Array.of(1, 1, 0.5) };
    const g = makeGrid([6.4, 6.4], 0.1);
    const expected = POTENTIAL_PREFACTOR_V_A2 * (2 * scatteringFactor_A(8, 0) + 0.5 * scatteringFactor_A(28, 0));
    for (const nSlices of [1, 2, 3, 8]) {
      const pot = buildPotentialSlices(atoms, g, nSlices);
      let total = 0;
      for (const sl of pot.slices) for (const x of sl) total += x * g.samplingX_A * g.samplingY_A;
      expect(Math.abs(total / expected - 1)).toBeLessThan(1e-4);
    }
  });

  it('puts an atom exactly on a slice boundary into the slice that starts there', () => {
    expect(sliceIndexOf(2, 8, 4)).toBe(1);
    expect(sliceIndexOf(8, 8, 4)).toBe(0); // z = cell_z wraps to 0
    expect(sliceIndexOf(7.9999, 8, 4)).toBe(3);
  });

  it('shifts exactly by a sub-pixel translation (Fourier phase placement, not pixel deposits)', () => {
    const g = makeGrid([6.4, 6.4], 0.1);
    const a = buildPotentialSlices(singleAtom(28, 6.4), g, 1).slices[0]!;
    const shifted = singleAtom(28, 6.4);
    shifted.positions_A[0] = 3.2 + 0.1 * 0.5; // half a pixel
    const b = buildPotentialSlices(shifted, g, 1).slices[0]!;
    // The peak of a half-pixel-shifted atom sits between two pixels: their values are equal, and the total is unchanged.
    const row = 32 * g.nx;
    expect(Math.abs(b[row + 32]! - b[row + 33]!) / b[row + 32]!).toBeLessThan(1e-4);
    expect(b[row + 32]!).toBeLessThan(a[row + 32]!);
    let sa = 0, sb = 0;
    for (let i = 0; i < a.length; i++) { sa += a[i]!; sb += b[i]!; }
    expect(Math.abs(sb / sa - 1)).toBeLessThan(1e-5);
  });
});
