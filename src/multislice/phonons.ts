/**
 * Frozen phonons: independent Gaussian displacements per atom with per-axis r.m.s. u = √(B / 8π²)
 * (B the isotropic Debye–Waller factor, Å²; ⟨u_x²⟩ = B/8π², Kirkland 2010 §7.3), seeded per configuration.
 */
import { InputError, Rng, Stream, checkFinite } from '../core/index.js';
import type { Atoms } from '../lattice/atoms.js';
import { ELEMENT_SYMBOLS, atomicNumber } from '../lattice/atoms.js';

/**
 * Default room-temperature isotropic B factors (Å²) for the cathode's elements. These are representative of
 * Rietveld refinements of layered LiMO2 oxides (light, loosely bound Li largest, transition metals smallest),
 * in the ranges reported e.g. for LiNiO2/NCM by neutron and synchrotron powder diffraction (B_Li ≈ 0.8–1.5,
 * B_TM ≈ 0.2–0.5, B_O ≈ 0.4–0.8 Å²); elements not listed use 0.5 Å². They are model defaults, not a fit
 * to one refinement: override them with `debyeWallerB_A2` or per-atom `atoms.debyeWallerB_A2`.
 */
export const DEFAULT_DEBYE_WALLER_B_A2: Readonly<Record<string, number>> = { Li: 1.0, O: 0.6, Mn: 0.35, Co: 0.35, Ni: 0.4 };
/** B (Å²) used for elements without a default. */
export const FALLBACK_DEBYE_WALLER_B_A2 = 0.5;

/** Resolves per-atom r.m.s. displacement (Å, per axis) from atom B's, overrides by element symbol, or defaults. */
export function displacementRms_A(atoms: Atoms, overrides: Readonly<Record<string, number>> = {}): Float32Array {
  const byZ = new Map<number, number>();
  for (const [sym, B] of Object.entries({ ...DEFAULT_DEBYE_WALLER_B_A2, ...overrides })) {
    const Z = atomicNumber(sym);
    if (Z === undefined) throw new InputError(`debyeWallerB.${sym}`, sym, 'an element symbol such as Li, O, Ni');
    checkFinite(B, `debyeWallerB.${sym}`, { min: 0, unit: 'Å²' });
    byZ.set(Z, B);
  }
  const u = new Float32Array(atoms.n);
  for (let i = 0; i < atoms.n; i++) {
    const own = atoms.debyeWallerB_A2?.[i];
    const sym = ELEMENT_SYMBOLS[atoms.Z[i]!] ?? '';
    const B = sym in overrides ? overrides[sym]! : own !== undefined && own > 0 ? own : (byZ.get(atoms.Z[i]!) ?? FALLBACK_DEBYE_WALLER_B_A2);
    u[i] = Math.sqrt(B / (8 * Math.PI * Math.PI));
  }
  return u;
}

/** Positions of frozen-phonon configuration `config` (Rng.stream(seed, Stream.PHONON_DISPLACEMENT, config)), interleaved xyz, Å. */
export function phononPositions_A(atoms: Atoms, rms_A: Float32Array, seed: number, config: number): Float64Array {
  const rng = Rng.stream(seed, Stream.PHONON_DISPLACEMENT, config);
  const p = Float64Array.from(atoms.positions_A);
  for (let i = 0; i < atoms.n; i++) {
    const u = rms_A[i]!;
    p[3 * i]! += u * rng.normal();
    p[3 * i + 1]! += u * rng.normal();
    p[3 * i + 2]! += u * rng.normal();
  }
  return p;
}

/**
 * Occupancy of configuration `config` for partially occupied sites: atoms within 0.2 Å of each other form one
 * site; one of them (or none, with probability 1 − Σocc) is drawn by its occupancy (Rng.stream(seed, Stream.PHONON_OCCUPANCY, config)).
 * Averaging configurations then gives HAADF ∝ Σ occ·f² per site, as for real disordered crystals, instead of the
 * virtual-crystal (Σ occ·f)² that fractional potentials would give. Returns 0/1 per atom; undefined when all occ = 1.
 */
export function sampleOccupancy(atoms: Atoms, seed: number, config: number): Float32Array | undefined {
  let partial = false;
  for (let i = 0; i < atoms.n; i++) if (atoms.occupancy[i]! < 1) { partial = true; break; }
  if (!partial) return undefined;
  const rng = Rng.stream(seed, Stream.PHONON_OCCUPANCY, config);
  const out = new Float32Array(atoms.n);
  const key = (i: number): string => [0, 1, 2].map((k) => Math.round(atoms.positions_A[3 * i + k]! / 0.2)).join(',');
  const sites = new Map<string, number[]>();
  for (let i = 0; i < atoms.n; i++) {
    if (atoms.occupancy[i]! >= 1) { out[i] = 1; continue; }
    const k = key(i);
    const list = sites.get(k);
    if (list) list.push(i); else sites.set(k, [i]);
  }
  for (const members of sites.values()) {
    const u = rng.uniform();
    let acc = 0;
    for (const i of members) {
      acc += atoms.occupancy[i]!;
      if (u < acc) { out[i] = 1; break; }
    }
  }
  return out;
}
