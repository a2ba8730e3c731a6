import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../src/core/index.js';
import { readStructure } from '../../src/lattice/index.js';
import { runStructure, type StructureArgs } from '../../src/cli/commands/structure.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/cathode-twin.js');
const tmp = () => mkdtempSync(join(tmpdir(), 'ct-structure-'));

const defaults = (out: string): StructureArgs => ({
  composition: 'Ni0.85Co0.10Mn0.05', zone: '210', size: '30 Å', thickness: '20 Å', 'pore-radius': '8 Å', 'pore-shape': 'ellipsoid',
  facets: '003,104,012', apb: '1-20', mixing: 0.02, 'li-content': 1, seed: 4, out, json: true,
});

describe('cathode-twin structure', () => {
  it('writes a CIF whose atoms match the JSON summary (counts per species, cell in Å, density in g/cm³)', () => {
    const out = join(tmp(), 'lamella.cif');
    let printed = '';
    const s = runStructure(defaults(out), (x) => (printed += x));
    const j = JSON.parse(printed) as { atoms: number; counts: Record<string, number>; cell_A: number[]; density_g_per_cm3: number };
    const atoms = readStructure(out);
    expect(atoms.n).toBe(j.atoms);
    expect(j.counts.Li! + j.counts.Ni! + j.counts.Co! + j.counts.Mn! + j.counts.O!).toBe(atoms.n);
    expect(atoms.cell_A[0]).toBeCloseTo(j.cell_A[0]!, 5);
    // Lithiated with a pore: O = 2·(Li + TM) exactly is not required near the pore, but the density
    // must stay below bulk NCM851005 (≈ 4.8 g/cm³) because of the void.
    expect(j.density_g_per_cm3).toBeGreaterThan(3.5);
    expect(j.density_g_per_cm3).toBeLessThan(4.8);
    expect(s.zone).toBe('[210]');
  });

  it('is deterministic: the same seed writes the same bytes, with .xyz as well', () => {
    const d = tmp();
    runStructure({ ...defaults(join(d, 'a.xyz')), json: false }, () => {});
    runStructure({ ...defaults(join(d, 'b.xyz')), json: false }, () => {});
    expect(readFileSync(join(d, 'a.xyz'))).toEqual(readFileSync(join(d, 'b.xyz')));
    runStructure({ ...defaults(join(d, 'c.xyz')), seed: 5, json: false }, () => {});
    expect(readFileSync(join(d, 'c.xyz'))).not.toEqual(readFileSync(join(d, 'a.xyz')));
  });

  it('--phase NiO writes the product phase tiled to the requested size (a = 4.1771 Å, 8 atoms per cell)', () => {
    const out = join(tmp(), 'nio.xyz');
    let printed = '';
    runStructure({ ...defaults(out), phase: 'NiO', size: '12 Å', thickness: '8 Å' }, (x) => (printed += x));
    const j = JSON.parse(printed) as { atoms: number; cell_A: number[]; counts: Record<string, number> };
    expect(j.cell_A).toEqual([12.5313, 12.5313, 8.3542]);
    expect(j.atoms).toBe(8 * 3 * 3 * 2);
    expect(j.counts).toEqual({ Ni: 72, O: 72 });
    expect(readStructure(out).n).toBe(j.atoms);
  });

  it('takes "X,Y Å" for a rectangular lateral size (rounded to whole periods: a along x, c along y in [210])', () => {
    const out = join(tmp(), 'rect.cif');
    const s = runStructure({ ...defaults(out), size: '40,30 Å', json: false }, () => {}) as { cell_A: number[] };
    expect(s.cell_A[0]).toBeCloseTo(14 * 2.872, 6);
    expect(s.cell_A[1]).toBeCloseTo(2 * 14.2, 6);
  });

  const bad: [string, Partial<StructureArgs>, RegExp][] = [
    ['a composition not summing to 1', { composition: 'Ni0.8Co0.1Mn0.05' }, /^--composition: /],
    ['a negative pore radius', { 'pore-radius': '-3 Å' }, /^--pore-radius: /],
    ['a pore larger than the cell', { 'pore-radius': '25 Å' }, /^--pore-radius: got "25 Å"/],
    ['an unknown zone axis', { zone: '111' }, /^--zone: .*\[210\]/],
    ['"5 eV" as a length', { size: '5 eV' }, /^--size: got "5 eV"/],
    ['an APB parallel to the layers', { apb: '003' }, /^--apb: /],
    ['an unknown output extension', { out: 'x.pdb' }, /^--out: /],
  ];
  for (const [what, patch, re] of bad) {
    it(`rejects ${what} with an error naming the option and writes nothing`, () => {
      const d = tmp();
      const args = { ...defaults(join(d, 'x.cif')), ...patch };
      if (patch.out) args.out = join(d, patch.out);
      let err: unknown;
      try {
        runStructure(args, () => {});
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(re);
      expect(readdirSync(d)).toEqual([]);
    });
  }

  it('exits 2 from the real binary on bad input, names the option, and writes nothing', () => {
    const d = tmp();
    const out = join(d, 'x.cif');
    const r = spawnSync(process.execPath, [bin, 'structure', '--size', '5 eV', '--out', out], { encoding: 'utf8', cwd: root });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--size: got "5 eV"; allowed: a length/);
    expect(existsSync(out)).toBe(false);
  });

  it('--help from the real binary shows every option with its unit and default', () => {
    const r = spawnSync(process.execPath, [bin, 'structure', '--help'], { encoding: 'utf8', cwd: root });
    expect(r.status).toBe(0);
    for (const o of ['--composition', '--zone', '--size', '--thickness', '--pore-radius', '--pore-shape', '--apb', '--mixing', '--seed', '--out', '--json']) expect(r.stdout).toContain(o);
    expect(r.stdout).toMatch(/--size[\s\S]*length \[Å\][\s\S]*default: "60 Å"/);
    expect(r.stdout).toMatch(/--pore-radius[\s\S]*\[Å\][\s\S]*default: "15 Å"/);
  });
});
