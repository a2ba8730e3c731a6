/**
 * Reference structures of the product phases (conventional cubic cells as `Crystal`, writable as
 * CIF and expandable to `Atoms`), for labels, reference images and diffraction checks.
 *
 * Lattice constants (room temperature):
 *   - NiO, rock salt Fm-3m, a = 4.1771 Å: ICDD PDF 47-1049 (MODEL.md §2: 4.177 Å).
 *   - Ni, fcc Fm-3m, a = 3.5238 Å: ICDD PDF 04-0850 (Swanson & Tatge, NBS Circ. 539 (1953)).
 *   - Li2O, antifluorite Fm-3m, a = 4.619 Å: MODEL.md §2 (room-temperature literature values
 *     4.61–4.62 Å, quoted from memory, to be checked against ICSD).
 *   - Disordered rock salt (Li,M)O, Fm-3m, a = 4.17 Å, cations random: MODEL.md §2 (the cubic
 *     sub-cell of layered LiNiO2, a_c = √2·a_hex ≈ 4.07 Å, expands toward NiO as Li is lost).
 *   - Spinel LiNi2O4, Fd-3m (origin choice 2), a = 8.2 Å: MODEL.md §2 (Li1−xNiO2 → LiNi2O4
 *     near 220 °C, Lee et al., J. Electrochem. Soc. 148 (2001) A716); O at 32e (x,x,x) with
 *     x = 0.2625, where octahedral (16d) and tetrahedral (8a) M–O bonds are equal (spinels
 *     such as LiMn2O4 have x ≈ 0.263).
 * Wyckoff positions: International Tables for Crystallography Vol. A, space groups 225 and 227.
 */
import { InputError } from '../core/index.js';
import type { Crystal } from './crystal.js';

/** Names of the built-in product phases. */
export const PHASES = ['rocksalt', 'NiO', 'Ni', 'Li2O', 'spinel'] as const;
export type PhaseName = (typeof PHASES)[number];

const F_CENTRING = [[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]] as const;

interface SiteDef {
  Z: number;
  occupancy: number;
  label: string;
  positions: readonly (readonly number[])[];
}

function fcc(a_A: number, name: string, sites: SiteDef[]): Crystal {
  const Z: number[] = [];
  const frac: number[] = [];
  const occ: number[] = [];
  const label: string[] = [];
  for (const s of sites) {
    const seen: number[][] = [];
    for (const p of s.positions)
      for (const t of F_CENTRING) {
        const q = [0, 1, 2].map((k) => {
          const v = (((p[k]! + t[k]!) % 1) + 1) % 1;
          return v > 1 - 1e-12 ? 0 : v;
        });
        if (seen.some((r) => r.every((v, k) => Math.abs(v - q[k]!) < 1e-9))) continue;
        seen.push(q);
        Z.push(s.Z);
        frac.push(...q);
        occ.push(s.occupancy);
        label.push(s.label);
      }
  }
  return {
    name,
    cell: { a_A, b_A: a_A, c_A: a_A, alpha_deg: 90, beta_deg: 90, gamma_deg: 90 },
    n: Z.length,
    Z: Uint8Array.from(Z),
    frac: Float64Array.from(frac),
    occupancy: Float32Array.from(occ),
    siteLabel: label,
    B_A2: new Float32Array(Z.length).fill(Number.NaN),
  };
}

/** Options of `phase`. */
export interface PhaseOptions {
  /** Lattice constant override, Å. */
  readonly a_A?: number;
  /** Li fraction on the cation site of the disordered rock salt (default 0.5: Li0.5Ni0.5O). */
  readonly liFraction?: number;
  /** O 32e parameter of the spinel (origin choice 2), default 0.2625. */
  readonly oxygenX?: number;
}

/** The conventional cubic cell of a product phase. */
export function phase(name: PhaseName | string, opts: PhaseOptions = {}): Crystal {
  const a = opts.a_A;
  if (a !== undefined && !(a > 0)) throw new InputError('phase.a_A', a, 'a lattice constant > 0 Å');
  switch (name) {
    case 'NiO':
      return fcc(a ?? 4.1771, 'NiO', [
        { Z: 28, occupancy: 1, label: 'Ni', positions: [[0, 0, 0]] },
        { Z: 8, occupancy: 1, label: 'O', positions: [[0.5, 0.5, 0.5]] },
      ]);
    case 'Ni':
      return fcc(a ?? 3.5238, 'Ni', [{ Z: 28, occupancy: 1, label: 'Ni', positions: [[0, 0, 0]] }]);
    case 'Li2O':
      return fcc(a ?? 4.619, 'Li2O', [
        { Z: 8, occupancy: 1, label: 'O', positions: [[0, 0, 0]] },
        { Z: 3, occupancy: 1, label: 'Li', positions: [[0.25, 0.25, 0.25], [0.75, 0.75, 0.75]] },
      ]);
    case 'rocksalt': {
      const li = opts.liFraction ?? 0.5;
      if (!(li >= 0 && li <= 1)) throw new InputError('phase.liFraction', li, 'a fraction in [0, 1]');
      return fcc(a ?? 4.17, 'disordered_rocksalt', [
        { Z: 3, occupancy: li, label: 'M', positions: [[0, 0, 0]] },
        { Z: 28, occupancy: 1 - li, label: 'M', positions: [[0, 0, 0]] },
        { Z: 8, occupancy: 1, label: 'O', positions: [[0.5, 0.5, 0.5]] },
      ].filter((s) => s.occupancy > 0));
    }
    case 'spinel': {
      const x = opts.oxygenX ?? 0.2625;
      if (!(x > 0.2 && x < 0.3)) throw new InputError('phase.oxygenX', x, 'an O 32e parameter in (0.2, 0.3) (origin choice 2)');
      return fcc(a ?? 8.2, 'LiNi2O4_spinel', [
        { Z: 3, occupancy: 1, label: 'Li-8a', positions: [[1 / 8, 1 / 8, 1 / 8], [7 / 8, 3 / 8, 3 / 8]] },
        { Z: 28, occupancy: 1, label: 'Ni-16d', positions: [[0.5, 0.5, 0.5], [0.25, 0.75, 0], [0.75, 0, 0.25], [0, 0.25, 0.75]] },
        {
          Z: 8, occupancy: 1, label: 'O-32e',
          positions: [
            [x, x, x], [-x + 0.75, -x + 0.25, x + 0.5], [-x + 0.25, x + 0.5, -x + 0.75], [x + 0.5, -x + 0.75, -x + 0.25],
            [-x, -x, -x], [x + 0.25, x + 0.75, -x + 0.5], [x + 0.75, -x + 0.5, x + 0.25], [-x + 0.5, x + 0.25, x + 0.75],
          ],
        },
      ]);
    }
    default:
      throw new InputError('phase', name, PHASES.join(', '));
  }
}
