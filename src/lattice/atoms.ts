/**
 * `Atoms`: the Cartesian view of a structure, what multislice and the file writers read.
 * Struct-of-arrays; positions in Å in an orthogonal periodic cell [0, cell_A[0]) × [0, cell_A[1]) × [0, cell_A[2]),
 * the beam along +z. (The integer parent-lattice view used by the kinetics lives in parent.ts.)
 */
export interface Atoms {
  /** Number of atoms. */
  readonly n: number;
  /** Atomic number per atom (Li 3, O 8, Mn 25, Co 27, Ni 28, …). */
  readonly Z: Uint8Array;
  /** Positions, Å, interleaved x,y,z (length 3n). */
  readonly positions_A: Float64Array;
  /** Orthogonal cell edge lengths, Å: [x, y, z]; periodic in x and y; z is the beam direction. */
  readonly cell_A: readonly [number, number, number];
  /** Site occupancy 0…1 per atom (1 when absent from the source). */
  readonly occupancy: Float32Array;
  /** Optional per-atom sublattice label index into `labels` (e.g. 'Li-layer', 'M-layer', 'O'). */
  readonly label?: Uint8Array;
  /** Names of the label indices. */
  readonly labels?: readonly string[];
  /** Optional per-atom isotropic Debye–Waller B factor, Å² (frozen phonons use element defaults when absent). */
  readonly debyeWallerB_A2?: Float32Array;
}

/** Element symbols by atomic number (index = Z), H…U. */
export const ELEMENT_SYMBOLS: readonly string[] = [
  '', 'H', 'He', 'Li', 'Be', 'B', 'C', 'N', 'O', 'F', 'Ne', 'Na', 'Mg', 'Al', 'Si', 'P', 'S', 'Cl', 'Ar', 'K', 'Ca',
  'Sc', 'Ti', 'V', 'Cr', 'Mn', 'Fe', 'Co', 'Ni', 'Cu', 'Zn', 'Ga', 'Ge', 'As', 'Se', 'Br', 'Kr', 'Rb', 'Sr', 'Y', 'Zr',
  'Nb', 'Mo', 'Tc', 'Ru', 'Rh', 'Pd', 'Ag', 'Cd', 'In', 'Sn', 'Sb', 'Te', 'I', 'Xe', 'Cs', 'Ba', 'La', 'Ce', 'Pr', 'Nd',
  'Pm', 'Sm', 'Eu', 'Gd', 'Tb', 'Dy', 'Ho', 'Er', 'Tm', 'Yb', 'Lu', 'Hf', 'Ta', 'W', 'Re', 'Os', 'Ir', 'Pt', 'Au', 'Hg',
  'Tl', 'Pb', 'Bi', 'Po', 'At', 'Rn', 'Fr', 'Ra', 'Ac', 'Th', 'Pa', 'U',
];

/** Atomic number of an element symbol (case-insensitive first letter), or undefined. */
export function atomicNumber(symbol: string): number | undefined {
  const s = symbol.trim();
  const norm = s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
  const z = ELEMENT_SYMBOLS.indexOf(norm);
  return z > 0 ? z : undefined;
}
