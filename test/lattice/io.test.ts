import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  InputError,
} from '../../src/core/index.js';
import {
  LINIO2_METRIC,
  buildSupercell,
  parseStructure,
  readCif,
  readStructure,
  toAtoms,
  writeStructure,
  type Atoms,
} from '../../src/lattice/index.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), 'ct-lattice-'));

function minImage(a: Atoms, i: number, j: number): number {
  let s = 0;
  for (let d = 0; d < 3; d++) {
    let x = a.positions_A[3 * j + d]! - a.positions_A[3 * i + d]!;
    x -= a.cell_A[d]! * Math.round(x / a.cell_A[d]!);
    s += x * x;
  }
  return Math.sqrt(s);
}

function nearestOf(a: Atoms, i: number, Z: number): number {
  let best = Infinity;
  for (let j = 0; j < a.n; j++) if (j !== i && a.Z[j] === Z) best = Math.min(best, minImage(a, i, j));
  return best;
}

function sameAtoms(a: Atoms, b: Atoms, tol_A: number) {
  expect(b.n).toBe(a.n);
  expect(b.cell_A[0]).toBeCloseTo(a.cell_A[0], 6);
  expect(b.cell_A[1]).toBeCloseTo(a.cell_A[1], 6);
  expect(b.cell_A[2]).toBeCloseTo(a.cell_A[2], 6);
  for (let i = 0; i < a.n; i++) {
    expect(b.Z[i]).toBe(a.Z[i]);
    expect(b.occupancy[i]).toBeCloseTo(a.occupancy[i]!, 4);
    for (let d = 0; d < 3; d++) expect(Math.abs(b.positions_A[3 * i + d]! - a.positions_A[3 * i + d]!)).toBeLessThan(tol_A);
    expect(b.labels![b.label![i]!]).toBe(a.labels![a.label![i]!]);
  }
}

describe('structure files: CIF and extended XYZ', () => {
  const atoms = toAtoms(buildSupercell({ metric: LINIO2_METRIC, zone: '210', size_A: 9, thickness_A: 10 }));

  it('CIF write → read keeps every atom (species, position within 1e-5 Å, occupancy, sublattice label)', () => {
    const dir = tmp();
    writeStructure(join(dir, 's.cif'), atoms);
    sameAtoms(atoms, readStructure(join(dir, 's.cif')), 1e-5);
  });

  it('extended XYZ write → read keeps every atom, with the ASE/OVITO header', () => {
    const dir = tmp();
    const p = join(dir, 's.xyz');
    writeStructure(p, atoms);
    const head = readFileSync(p, 'utf8').split('\n')[1]!;
    expect(head).toMatch(/^Lattice="[\d.]+ 0 0 0 [\d.]+ 0 0 0 [\d.]+" Properties=species:S:1:pos:R:3:occupancy:R:1:sublattice:S:1 pbc="T T F"/);
    sameAtoms(atoms, readStructure(p), 1e-7);
  });

  // LiCoO2 R-3m: Co–O = 1.92 Å, Li–O = 2.09 Å, ρ = 5.05 g/cm³ (commonly reported for stoichiometric
  // LiCoO2, e.g. Orman & Wiseman, Acta Cryst. C40 (1984) 12). Tolerance 0.01 Å.
  it('reads a VESTA/ICSD-style LiCoO2 CIF (36 R-3m operations, uncertainties, U_iso) into the known structure', () => {
    const crystal = readCif(readFileSync(join(fixtures, 'LiCoO2_VESTA.cif'), 'utf8'));
    expect(crystal.n).toBe(12); // 3 Li (3b) + 3 Co (3a) + 6 O (6c): special positions merged
    const count = (z: number) => crystal.Z.filter((x) => x === z).length;
    expect([count(3), count(27), count(8)]).toEqual([3, 3, 6]);
    expect(crystal.cell.a_A).toBe(2.8156);
    expect(crystal.B_A2[0]).toBeCloseTo(8 * Math.PI ** 2 * 0.012, 5);
    const a = readStructure(join(fixtures, 'LiCoO2_VESTA.cif'));
    expect(a.n).toBe(24); // rectangular a × √3a × c cell = 2 hexagonal cells
    expect(a.cell_A[1]).toBeCloseTo(Math.sqrt(3) * 2.8156, 10);
    for (let i = 0; i < a.n; i++) {
      if (a.Z[i] === 27) expect(nearestOf(a, i, 8)).toBeCloseTo(1.92, 2);
      if (a.Z[i] === 3) expect(nearestOf(a, i, 8)).toBeCloseTo(2.09, 2);
      if (a.Z[i] === 27) expect(nearestOf(a, i, 27)).toBeCloseTo(2.8156, 4);
    }
  });

  it('reads a pymatgen-style P1 NiO CIF: Ni–O = a/2 = 2.089 Å (a = 4.1771 Å, JCPDS 47-1049)', () => {
    const a = readStructure(join(fixtures, 'NiO_pymatgen_P1.cif'));
    expect(a.n).toBe(8);
    for (let i = 0; i < a.n; i++) expect(nearestOf(a, i, a.Z[i] === 28 ? 8 : 28)).toBeCloseTo(4.1771 / 2, 6);
  });

  it('keeps partially occupied sites sharing a position (Li/Ni exchange) and merges images of one site', () => {
    const cif = `data_mixed
_cell_length_a 2.878
_cell_length_b 2.878
_cell_length_c 14.19
_cell_angle_gamma 120
loop_
_symmetry_equiv_pos_as_xyz
'x,y,z' '-y,x-y,z' '-x+y,-x,z' '-x,-y,-z' 'y,-x+y,-z' 'x-y,x,-z'
'2/3+x,1/3+y,1/3+z' '2/3-y,1/3+x-y,1/3+z' '2/3-x+y,1/3-x,1/3+z' '2/3-x,1/3-y,1/3-z' '2/3+y,1/3-x+y,1/3-z' '2/3+x-y,1/3+x,1/3-z'
'1/3+x,2/3+y,2/3+z' '1/3-y,2/3+x-y,2/3+z' '1/3-x+y,2/3-x,2/3+z' '1/3-x,2/3-y,2/3-z' '1/3+y,2/3-x+y,2/3-z' '1/3+x-y,2/3+x,2/3-z'
loop_
_atom_site_label _atom_site_type_symbol _atom_site_fract_x _atom_site_fract_y _atom_site_fract_z _atom_site_occupancy
Li1 Li 0 0 0.5 0.97
Ni2 Ni 0 0 0.5 0.03
Ni1 Ni 0 0 0 1
O1 O 0 0 0.2586(2) 1
`;
    const c = readCif(cif);
    expect(c.n).toBe(3 + 3 + 3 + 6);
    const occ = (z: number) => Array.from(c.occupancy).filter((_, i) => c.Z[i] === z).reduce((s, x) => s + x, 0);
    expect(occ(3)).toBeCloseTo(3 * 0.97, 5);
    expect(occ(28)).toBeCloseTo(3 + 3 * 0.03, 5);
  });

  const bad: [string, string, RegExp][] = [
    ['no data block', '_cell_length_a 3\n', /data_ block/],
    ['a missing cell length', 'data_x\n_cell_length_a 3\n_cell_length_b 3\nloop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nNi 0 0 0\n', /_cell_length_c/],
    ['a short loop row', 'data_x\n_cell_length_a 3\n_cell_length_b 3\n_cell_length_c 3\nloop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nNi 0 0 0\nO 0.5 0.5\n', /line 11/],
    ['an unknown element', 'data_x\n_cell_length_a 3\n_cell_length_b 3\n_cell_length_c 3\nloop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nQq1 0 0 0\n', /_atom_site row 1/],
    ['a bad symmetry operation', "data_x\n_cell_length_a 3\n_cell_length_b 3\n_cell_length_c 3\nloop_\n_symmetry_equiv_pos_as_xyz\n'x,y,q'\nloop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nNi1 0 0 0\n", /_symmetry_equiv_pos_as_xyz row 1/],
    ['a space group without operations', "data_x\n_symmetry_space_group_name_H-M 'F m -3 m'\n_cell_length_a 3\n_cell_length_b 3\n_cell_length_c 3\nloop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nNi1 0 0 0\n", /line 2 _space_group_symop_operation_xyz/],
    ['an unclosed quote', "data_x\n_cell_length_a 3\n_title 'abc\n", /line 3/],
  ];
  for (const [what, text, re] of bad) {
    it(`rejects a malformed CIF (${what}) with an InputError naming the field or line`, () => {
      let err: unknown;
      try {
        parseStructure(text, 'cif', 'bad.cif');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).field).toMatch(/^bad\.cif/);
      expect((err as Error).message).toMatch(re);
    });
  }

  it('rejects an unknown extension and writes nothing', () => {
    const dir = tmp();
    expect(() => writeStructure(join(dir, 's.pdb'), atoms)).toThrow(InputError);
    expect(existsSync(join(dir, 's.pdb'))).toBe(false);
  });
});
