import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crystalToAtoms, densityOf, phase, readStructure, tileAtoms, writeStructure, type Atoms } from '../../src/lattice/index.js';

/** Sorted distances from atom i to atoms of element Z (minimum image). */
function shell(a: Atoms, i: number, Z: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < a.n; j++) {
    if (j === i || a.Z[j] !== Z) continue;
    let s = 0;
    for (let d = 0; d < 3; d++) {
      let x = a.positions_A[3 * j + d]! - a.positions_A[3 * i + d]!;
      x -= a.cell_A[d]! * Math.round(x / a.cell_A[d]!);
      s += x * x;
    }
    out.push(Math.sqrt(s));
  }
  return out.sort((p, q) => p - q);
}

describe('product phases (conventional cubic cells)', () => {
  // X-ray densities from the cells and IUPAC 2021 weights, against handbook densities of Ni (8.908 g/cm³) and
  // Li2O (2.013 g/cm³) (CRC Handbook of Chemistry and Physics, quoted from memory) and the X-ray density of
  // NiO at a = 4.1771 Å (4·74.69 g/mol / (N_A·72.88 Å³) = 6.81 g/cm³). Tolerance 0.01 g/cm³.
  it('NiO: 4 Ni + 4 O, octahedral Ni–O = a/2, ρ = 6.81 g/cm³', () => {
    const a = tileAtoms(crystalToAtoms(phase('NiO')), [2, 2, 2]);
    expect(a.n).toBe(64);
    expect(shell(a, 0, 8).slice(0, 7)).toEqual([...Array(6).fill(expect.closeTo(4.1771 / 2, 9)), expect.closeTo((4.1771 / 2) * Math.sqrt(3), 9)]);
    expect(densityOf(a)).toBeCloseTo(6.81, 2);
  });

  it('Ni fcc: 12 neighbours at a/√2 = 2.492 Å, ρ = 8.91 g/cm³', () => {
    const a = tileAtoms(crystalToAtoms(phase('Ni')), [2, 2, 2]);
    const s = shell(a, 0, 28);
    expect(s.slice(0, 12).every((d) => Math.abs(d - 3.5238 / Math.SQRT2) < 1e-9)).toBe(true);
    expect(s[12]).toBeCloseTo(3.5238, 9);
    expect(densityOf(a)).toBeCloseTo(8.91, 2);
  });

  it('Li2O antifluorite: Li tetrahedral (4 O at a√3/4 = 2.000 Å), O cubic (8 Li), ρ = 2.01 g/cm³', () => {
    const a = tileAtoms(crystalToAtoms(phase('Li2O')), [2, 2, 2]);
    const iLi = Array.from(a.Z).indexOf(3);
    const iO = Array.from(a.Z).indexOf(8);
    const dLiO = (4.619 * Math.sqrt(3)) / 4;
    expect(shell(a, iLi, 8).slice(0, 5).map((d) => +d.toFixed(6))).toEqual([...Array(4).fill(+dLiO.toFixed(6)), expect.any(Number)]);
    expect(shell(a, iLi, 8)[4]! - dLiO).toBeGreaterThan(1);
    expect(shell(a, iO, 3).slice(0, 8).every((d) => Math.abs(d - dLiO) < 1e-9)).toBe(true);
    expect(densityOf(a)).toBeCloseTo(2.01, 2);
  });

  it('spinel LiNi2O4 (Fd-3m): 8 Li on tetrahedral 8a, 16 Ni on octahedral 16d, 32 O; M–O bonds equal at x = 0.2625', () => {
    const c = phase('spinel');
    const count = (z: number) => c.Z.filter((x) => x === z).length;
    expect([count(3), count(28), count(8)]).toEqual([8, 16, 32]);
    const a = crystalToAtoms(c);
    for (let i = 0; i < a.n; i++) {
      if (a.Z[i] === 28) {
        const s = shell(a, i, 8);
        expect(s.slice(0, 6).every((d) => Math.abs(d - s[0]!) < 1e-9)).toBe(true);
        expect(s[6]! - s[0]!).toBeGreaterThan(1);
      }
      if (a.Z[i] === 3) {
        const s = shell(a, i, 8);
        expect(s.slice(0, 4).every((d) => Math.abs(d - s[0]!) < 1e-9)).toBe(true);
        expect(s[4]! - s[0]!).toBeGreaterThan(1);
        expect(s[0]).toBeCloseTo(1.953, 3);
      }
    }
  });

  it('disordered rock salt: one mixed cation site (Li 0.5 / Ni 0.5 by default) and O, written and re-read as CIF', () => {
    const c = phase('rocksalt');
    expect(c.n).toBe(12);
    const atoms = crystalToAtoms(c);
    const dir = mkdtempSync(join(tmpdir(), 'ct-phase-'));
    writeStructure(join(dir, 'rs.cif'), atoms);
    const back = readStructure(join(dir, 'rs.cif'));
    expect(back.n).toBe(12);
    const occ = (z: number) => Array.from(back.occupancy).filter((_, i) => back.Z[i] === z).reduce((s, x) => s + x, 0);
    expect(occ(3)).toBeCloseTo(2, 6);
    expect(occ(28)).toBeCloseTo(2, 6);
    expect(occ(8)).toBeCloseTo(4, 6);
  });

  it('rejects an unknown phase naming the field', () => {
    expect(() => phase('perovskite')).toThrow(/^phase: got "perovskite"; allowed: rocksalt, NiO, Ni, Li2O, spinel/);
  });
});
