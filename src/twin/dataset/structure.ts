/**
 * The sample's structure: a layered lamella from src/lattice `buildLamella` (composition, zone, thickness, pore,
 * APB, Li/Ni mixing, delithiation), then an optional product-phase patch, a cylinder through the lamella:
 *  - 'rocksalt': the cations inside are shuffled over both cation layers (cation-disordered Fm-3m: Li and TM on
 *    the same sublattice, the layered → rock-salt transformation of MODEL.md), composition conserved;
 *  - 'NiO': every cation site inside holds Ni²⁺ (the Li-free NiO end product of oxygen loss).
 * The parent rock-salt sublattice is shared by all three phases, so sites keep their positions (the ≈1–2 %
 * lattice-parameter mismatch of NiO, a = 4.177 Å vs the layered pseudo-cubic ≈ 4.09 Å, is not modelled).
 */
import { Rng, Stream } from '../../core/index.js';
import { buildLamella, isTransitionMetal, Species, type Lamella } from '../../lattice/index.js';
import type { SampleParams } from './params.js';

/** Per-site phase labels. */
export const Phase = { LAYERED: 1, ROCKSALT: 2, NIO: 3, VOID: 0 } as const;
/** Names by phase id (for masks and metadata). */
export const PHASE_NAMES: readonly string[] = ['void', 'layered', 'rocksalt', 'NiO'];

/** A sample's structure: the lamella (its species array holds the final occupation) and a phase id per site. */
export interface SampleStructure {
  readonly lamella: Lamella;
  readonly phase: Uint8Array;
}

/** Builds the structure of a sample (deterministic in the parameters). */
export function buildSampleStructure(p: SampleParams): SampleStructure {
  const lamella = buildLamella({
    composition: p.composition, zone: p.zone, size_A: p.lamellaSize_A, thickness_A: p.thickness_A, mixing: p.mixing, liContent: p.liContent,
    seed: p.occupationSeed,
    pore: p.pore ? { radius_A: [p.pore.radius_A, p.pore.radius_A, 0.35 * p.thickness_A], centre_A: p.pore.centre_A } : null,
    apb: p.apb ? { plane: [1, -2, 0], point_A: [p.lamellaSize_A / 2, p.lamellaSize_A / 2, p.thickness_A / 2] } : null,
  });
  const L = lamella.lattice;
  const phase = new Uint8Array(L.n);
  for (let t = 0; t < L.n; t++) phase[t] = L.species[t] === Species.VOID ? Phase.VOID : Phase.LAYERED;
  if (p.patch) {
    const { centre_A: [cx, cy], radius_A: r } = p.patch;
    const inside: number[] = [];
    for (let t = 0; t < L.n; t++) {
      if (L.sublattice[t] !== 0 || L.species[t] === Species.VOID) continue;
      const dx = L.position_A[3 * t]! - cx, dy = L.position_A[3 * t + 1]! - cy;
      if (dx * dx + dy * dy <= r * r) inside.push(t);
    }
    // Anions inside take the patch's phase label too (their species stays O).
    for (let t = 0; t < L.n; t++) {
      if (L.sublattice[t] !== 1 || L.species[t] === Species.VOID) continue;
      const dx = L.position_A[3 * t]! - cx, dy = L.position_A[3 * t + 1]! - cy;
      if (dx * dx + dy * dy <= r * r) phase[t] = p.patch.phase === 'NiO' ? Phase.NIO : Phase.ROCKSALT;
    }
    const rng = Rng.stream(p.occupationSeed, Stream.DATASET_OCCUPATION);
    if (p.patch.phase === 'NiO') {
      for (const t of inside) { L.species[t] = Species.NI2; phase[t] = Phase.NIO; }
    } else {
      // Fisher–Yates shuffle of the cation species over the patch's cation sites.
      const sp = inside.map((t) => L.species[t]!);
      for (let i = sp.length - 1; i > 0; i--) { const j = rng.int(i + 1); const s = sp[i]!; sp[i] = sp[j]!; sp[j] = s; }
      inside.forEach((t, i) => { L.species[t] = sp[i]!; phase[t] = Phase.ROCKSALT; });
    }
  }
  return { lamella, phase };
}

/** True when species s puts an atom on a site (not vacancy, not void). */
export function occupied(s: number): boolean {
  return s === Species.LI || s === Species.O || s === Species.LI_LI2O || isTransitionMetal(s);
}
