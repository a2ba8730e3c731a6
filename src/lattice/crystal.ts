/**
 * `Crystal`: a unit cell (lengths Å, angles °) with fractional sites, as CIF describes it, and its
 * conversion to orthogonal-box `Atoms` (orthogonal cells directly; hexagonal cells through the
 * rectangular C-centred cell a × √3·a × c, which holds two hexagonal cells).
 */
import { InputError } from '../core/index.js';
import type { Atoms } from './atoms.js';

export interface CellParameters {
  readonly a_A: number;
  readonly b_A: number;
  readonly c_A: number;
  readonly alpha_deg: number;
  readonly beta_deg: number;
  readonly gamma_deg: number;
}

export interface Crystal {
  readonly name: string;
  readonly cell: CellParameters;
  /** Number of sites in the cell (after symmetry expansion). */
  readonly n: number;
  readonly Z: Uint8Array;
  /** Fractional coordinates, interleaved (3n), in [0, 1). */
  readonly frac: Float64Array;
  readonly occupancy: Float32Array;
  /** Site label per site (CIF _atom_site_label, or a sublattice label). */
  readonly siteLabel: readonly string[];
  /** Isotropic B per site, Å² (NaN when unknown). */
  readonly B_A2: Float32Array;
}

/** Row-major cell matrix: rows are a, b, c in Cartesian Å (a ∥ x, b in the xy plane). */
export function cellMatrix(c: CellParameters): number[] {
  const rad = Math.PI / 180;
  const ca = Math.cos(c.alpha_deg * rad);
  const cb = Math.cos(c.beta_deg * rad);
  const cg = Math.cos(c.gamma_deg * rad);
  const sg = Math.sin(c.gamma_deg * rad);
  const cx = c.c_A * cb;
  const cy = (c.c_A * (ca - cb * cg)) / sg;
  const cz = Math.sqrt(Math.max(0, c.c_A * c.c_A - cx * cx - cy * cy));
  const clean = (x: number) => (Math.abs(x) < 1e-12 ? 0 : x);
  return [c.a_A, 0, 0, clean(c.b_A * cg), clean(c.b_A * sg), 0, clean(cx), clean(cy), cz].map(clean);
}

/** Cell volume, Å³. */
export function cellVolume_A3(c: CellParameters): number {
  const m = cellMatrix(c);
  return m[0]! * m[4]! * m[8]!;
}

const near = (x: number, y: number) => Math.abs(x - y) < 1e-4;

/**
 * Orthogonal-box atoms of a crystal, with box z along c. Orthogonal cells map directly; hexagonal
 * cells (α = β = 90°, γ = 120°) use the rectangular cell [a, √3·a, c] (two hexagonal cells).
 * Labels are the crystal's site labels.
 */
export function crystalToAtoms(crystal: Crystal, field = 'cell'): Atoms {
  const c = crystal.cell;
  const ortho = near(c.alpha_deg, 90) && near(c.beta_deg, 90) && near(c.gamma_deg, 90);
  const hex = near(c.alpha_deg, 90) && near(c.beta_deg, 90) && near(c.gamma_deg, 120) && near(c.a_A, c.b_A);
  if (!ortho && !hex) {
    throw new InputError(field, c, 'an orthogonal cell (α = β = γ = 90°) or a hexagonal one (a = b, γ = 120°)', 'multislice needs an orthogonal box');
  }
  const copies = ortho ? 1 : 2;
  const m = cellMatrix(c);
  const cell: [number, number, number] = ortho ? [c.a_A, c.b_A, c.c_A] : [c.a_A, Math.sqrt(3) * c.a_A, c.c_A];
  const n = crystal.n * copies;
  const Z = new Uint8Array(n);
  const pos = new Float64Array(3 * n);
  const occ = new Float32Array(n);
  const B = new Float32Array(n);
  const groups = crystal.siteLabel.map(labelGroup);
  const names = [...new Set(groups)];
  const label = new Uint8Array(n);
  let allB = crystal.n > 0;
  let a = 0;
  for (let copy = 0; copy < copies; copy++) {
    for (let s = 0; s < crystal.n; s++) {
      const u = crystal.frac[3 * s]!;
      const v = crystal.frac[3 * s + 1]! + copy; // second hexagonal cell: shifted by b
      const w = crystal.frac[3 * s + 2]!;
      for (let d = 0; d < 3; d++) {
        let x = u * m[d]! + v * m[3 + d]! + w * m[6 + d]!;
        x -= Math.floor(x / cell[d]!) * cell[d]!;
        if (x >= cell[d]!) x -= cell[d]!;
        pos[3 * a + d] = x;
      }
      Z[a] = crystal.Z[s]!;
      occ[a] = crystal.occupancy[s]!;
      const b = crystal.B_A2[s]!;
      if (!Number.isFinite(b)) allB = false;
      B[a] = b;
      label[a] = names.indexOf(groups[s]!);
      a++;
    }
  }
  const atoms: Atoms =
    names.length <= 255
      ? { n, Z, positions_A: pos, cell_A: cell, occupancy: occ, label, labels: names }
      : { n, Z, positions_A: pos, cell_A: cell, occupancy: occ };
  // B factors only when every site has one (otherwise the imaging uses its element defaults).
  if (allB) return { ...atoms, debyeWallerB_A2: B };
  return atoms;
}

/**
 * The label group of a CIF site label: the part after "_" for labels written by `writeCif`
 * ("Ni12_M-layer" → "M-layer"), else the label without its trailing site number ("Co1" → "Co").
 */
export function labelGroup(label: string): string {
  const m = /^[A-Za-z]{1,2}\d+_(.+)$/.exec(label);
  if (m) return m[1]!;
  return label.replace(/\d+[a-z]?$/, '') || label;
}
