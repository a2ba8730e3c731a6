/** Scenario.structure → src/lattice buildLamella (the lamella the kinetics evolves). */
import { InputError } from '../../core/index.js';
import { buildLamella, type Lamella, type LamellaOptions } from '../../lattice/index.js';
import type { Scenario } from '../scenario/index.js';

/** Lamella builder options from the scenario (seeded from the run seed). */
export function lamellaOptions(s: Scenario, seed: number): LamellaOptions {
  const st = s.structure;
  const opts: LamellaOptions = {
    composition: st.composition,
    zone: st.zone,
    size_A: [st.width_A, st.height_A],
    thickness_A: st.thickness_A,
    mixing: st.niOnLi,
    liContent: st.lithium,
    seed,
    pbc: [true, true, st.surfaces === 'periodic'],
    pore: st.pore
      ? {
          // aspect = extent along the layers (box x) : across them (box y, along c); equal area.
          radius_A: [st.pore.radius_A * Math.sqrt(st.pore.aspect), st.pore.radius_A / Math.sqrt(st.pore.aspect), Math.max(2, (st.pore.depthFraction * st.thickness_A) / 2)],
          shape: st.pore.shape,
        }
      : null,
    apb: st.apb ? { plane: st.apb.plane, ...(st.apb.position === 'center' ? { point_A: [st.width_A / 2, st.height_A / 2, st.thickness_A / 2] as const } : {}) } : null,
  };
  return opts;
}

/** Build the scenario's lamella; lattice InputErrors are re-labelled with the scenario field path. */
export function buildScenarioLamella(s: Scenario, seed: number): Lamella {
  try {
    return buildLamella(lamellaOptions(s, seed));
  } catch (e) {
    if (e instanceof InputError && !e.field.startsWith('structure.')) {
      const map: Record<string, string> = { mixing: 'structure.niOnLi', liContent: 'structure.lithium', 'apb.plane': 'structure.apb.plane', 'pore.radius_A': 'structure.pore.radius' };
      // Show the value as the scenario gives it (the pore's radius, not the builder's internal half-extents).
      const value = e.field === 'pore.radius_A' && s.structure.pore ? `${+s.structure.pore.radius_A.toPrecision(6)} Å (aspect ${s.structure.pore.aspect})` : e.value;
      throw new InputError(map[e.field] ?? `structure (${e.field})`, value, e.allowed, e.hint);
    }
    throw e;
  }
}
