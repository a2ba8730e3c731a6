/**
 * A synthetic specimen: a periodic layered lamella from src/lattice `buildLamella` (composition, zone, thickness,
 * nanopore, APB tangent to the pore, Li/Ni mixing, delithiation), then product-phase patches, cylinders through the
 * lamella, in their drawn order (a later patch overwrites an earlier one):
 *  - 'rocksalt': the cations inside are shuffled over both cation layers (cation-disordered Fm-3m, composition kept);
 *  - 'NiO': every cation inside becomes Ni²⁺ (the Li-free end product of oxygen loss);
 *  - 'Ni': cations become Ni⁰ and the O inside leave (V_O), as the kinetics' Ni⁰ + O2 event does;
 *  - 'Li2O': cations become Li in Li2O, O stays.
 * All phases keep the rock-salt parent lattice of the kinetics (the NiO, Ni and Li2O lattice parameters, 4.177,
 * 3.524 and 4.619 Å, are not imposed; the kinetics does not impose them either). Phase labels are those of
 * construction for synthetic specimens (void, layered, or the patch's phase); kinetics-evolved frames are labelled
 * from their occupancy (phases.ts).
 */
import { Rng, Stream } from '../../core/index.js';
import { NCM851005_METRIC, buildLamella, type Lamella, Species, parseZone, repeatsFor, zoneFrame } from '../../lattice/index.js';
import type { SpecimenParams } from './params.js';
import { Phase } from './phases.js';

/** A specimen's structure: the lamella (species hold the final occupation) and a phase id per site. */
export interface SpecimenStructure {
  readonly lamella: Lamella;
  readonly phase: Uint8Array;
}

const PATCH_PHASE_ID = { rocksalt: Phase.ROCKSALT, NiO: Phase.NIO, Ni: Phase.NI, Li2O: Phase.LI2O } as const;

/** Builds the structure of a synthetic specimen (deterministic in its parameters). */
export function buildSpecimenStructure(p: SpecimenParams): SpecimenStructure {
  // The cell the builder makes (whole periods), so that centres given as fractions land inside it.
  const frame = zoneFrame(parseZone(p.zone), NCM851005_METRIC);
  const cx = frame.period_A[0] * repeatsFor(p.size_A, frame.period_A[0]), cy = frame.period_A[1] * repeatsFor(p.size_A, frame.period_A[1]);
  const tz = frame.period_A[2] * repeatsFor(p.thickness_A, frame.period_A[2]);
  const lamella = buildLamella({
    composition: p.composition, zone: p.zone, size_A: p.size_A, thickness_A: p.thickness_A, mixing: p.mixing, liContent: p.liContent,
    seed: p.occupationSeed, metric: NCM851005_METRIC,
    pore: p.pore ? { radius_A: [p.pore.radius_A, p.pore.radius_A, Math.min(p.pore.radius_A, 0.35 * tz)], centre_A: [p.pore.centre[0] * cx, p.pore.centre[1] * cy, tz / 2] } : null,
    apb: p.apb ? { plane: [1, -2, 0] } : null,
  });
  const L = lamella.lattice;
  const [Lx, Ly] = L.cell_A;
  const phase = new Uint8Array(L.n);
  for (let t = 0; t < L.n; t++) phase[t] = L.species[t] === Species.VOID ? Phase.VOID : Phase.LAYERED;
  const rng = Rng.stream(p.occupationSeed, Stream.DATASET_OCCUPATION);
  for (const patch of p.patches) {
    const [px, py] = [patch.centre[0] * Lx, patch.centre[1] * Ly], r = patch.radius_A;
    const id = PATCH_PHASE_ID[patch.phase];
    const cations: number[] = [];
    for (let t = 0; t < L.n; t++) {
      if (L.species[t] === Species.VOID) continue;
      // Minimum-image distance in the periodic plane.
      let dx = L.position_A[3 * t]! - px, dy = L.position_A[3 * t + 1]! - py;
      dx -= Lx * Math.round(dx / Lx);
      dy -= Ly * Math.round(dy / Ly);
      if (dx * dx + dy * dy > r * r) continue;
      phase[t] = id;
      if (L.sublattice[t] === 0) cations.push(t);
      else if (patch.phase === 'Ni') L.species[t] = Species.VAC_O;
    }
    if (patch.phase === 'rocksalt') {
      // Fisher–Yates shuffle of the cation species over the patch's cation sites.
      const sp = cations.map((t) => L.species[t]!);
      for (let i = sp.length - 1; i > 0; i--) { const j = rng.int(i + 1); const s = sp[i]!; sp[i] = sp[j]!; sp[j] = s; }
      cations.forEach((t, i) => { L.species[t] = sp[i]!; });
    } else {
      const to = patch.phase === 'NiO' ? Species.NI2 : patch.phase === 'Ni' ? Species.NI0 : Species.LI_LI2O;
      for (const t of cations) L.species[t] = to;
    }
  }
  return { lamella, phase };
}
