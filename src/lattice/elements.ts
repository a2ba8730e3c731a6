/**
 * Standard atomic weights (g/mol) and densities.
 *
 * Values: IUPAC/CIAAW abridged standard atomic weights (Prohaska et al., Pure Appl. Chem. 94 (2022)
 * 573, "Standard atomic weights of the elements 2021"); Li and O take the conventional values
 * 6.94 and 15.999 used for materials whose isotopic source is unknown. Only elements the project
 * meets are tabulated; others give NaN (and `densityOf` throws).
 */
import { AVOGADRO_PER_MOL, InputError } from '../core/index.js';
import { ELEMENT_SYMBOLS, type Atoms } from './atoms.js';

const WEIGHTS: Readonly<Record<string, number>> = {
  H: 1.008, Li: 6.94, Be: 9.0122, B: 10.81, C: 12.011, N: 14.007, O: 15.999, F: 18.998, Na: 22.99, Mg: 24.305,
  Al: 26.982, Si: 28.085, P: 30.974, S: 32.06, Cl: 35.45, K: 39.098, Ca: 40.078, Sc: 44.956, Ti: 47.867,
  V: 50.942, Cr: 51.996, Mn: 54.938, Fe: 55.845, Co: 58.933, Ni: 58.693, Cu: 63.546, Zn: 65.38, Ga: 69.723,
  Ge: 72.63, Sr: 87.62, Y: 88.906, Zr: 91.224, Nb: 92.906, Mo: 95.95, Ru: 101.07, Pd: 106.42, Ag: 107.87,
  Sn: 118.71, Ba: 137.33, La: 138.91, Nd: 144.24, Dy: 162.5, Hf: 178.49, Ta: 180.95, W: 183.84, Ir: 192.22,
  Pt: 195.08, Au: 196.97, Pb: 207.2,
};

/** Standard atomic weight of element Z, g/mol (NaN when not tabulated). */
export function atomicWeight(Z: number): number {
  return WEIGHTS[ELEMENT_SYMBOLS[Z] ?? ''] ?? Number.NaN;
}

/** Mass density of Atoms in their box, g/cm³: Σ occupancy·M / (N_A·V). */
export function densityOf(atoms: Atoms, volume_A3 = atoms.cell_A[0] * atoms.cell_A[1] * atoms.cell_A[2]): number {
  let mass = 0;
  for (let i = 0; i < atoms.n; i++) {
    const w = atomicWeight(atoms.Z[i]!);
    if (!Number.isFinite(w)) throw new InputError('atoms.Z', atoms.Z[i], 'an element with a tabulated standard atomic weight');
    mass += atoms.occupancy[i]! * w;
  }
  return mass / (AVOGADRO_PER_MOL * volume_A3 * 1e-24);
}

/** Occupancy-weighted atom counts per element symbol, sorted Li, then metals, then O (Hill-like). */
export function countsBySymbol(atoms: Atoms): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < atoms.n; i++) {
    const s = ELEMENT_SYMBOLS[atoms.Z[i]!] ?? '?';
    out[s] = (out[s] ?? 0) + atoms.occupancy[i]!;
  }
  return out;
}
