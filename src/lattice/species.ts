/**
 * Site species on the rock-salt parent lattice, shared by lattice (structure building and
 * expansion to atoms), kinetics (state) and twin (labels). Stored as one Uint8Array per structure.
 *
 * Cation (octahedral) sites hold LI, NI2, NI3, NI4, CO, MN, NI0 or VAC_CATION; anion sites hold
 * O or VAC_O; VOID marks sites of either sublattice that are outside matter (pore, vacuum).
 * LI_LI2O marks Li that has left the layered framework into Li2O (for labels and imaging).
 */
export const Species = {
  VOID: 0,
  LI: 1,
  NI2: 2,
  NI3: 3,
  NI4: 4,
  CO: 5,
  MN: 6,
  NI0: 7,
  VAC_CATION: 8,
  O: 9,
  VAC_O: 10,
  LI_LI2O: 11,
} as const;
export type SpeciesId = (typeof Species)[keyof typeof Species];

/** Names by id, for files and messages. */
export const SPECIES_NAMES: readonly string[] = ['void', 'Li', 'Ni2+', 'Ni3+', 'Ni4+', 'Co', 'Mn', 'Ni0', 'V_cation', 'O', 'V_O', 'Li(Li2O)'];

/** Atomic number per species id (0 = no atom: vacancy or void). */
export const SPECIES_Z: Readonly<Uint8Array> = Uint8Array.from([0, 3, 28, 28, 28, 27, 25, 28, 0, 8, 0, 3]);

/** True for the transition-metal species (any Ni charge state, Co, Mn). */
export function isTransitionMetal(s: number): boolean {
  return s === Species.NI2 || s === Species.NI3 || s === Species.NI4 || s === Species.CO || s === Species.MN || s === Species.NI0;
}
