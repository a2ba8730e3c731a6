/**
 * Scenario.structure → src/lattice buildLamella → the kinetics' lattice view and regions: the one
 * path from a scenario to the lattice the KMC evolves (`run`, `kmc`, fit, dry and datasets all use it).
 */
import { InputError } from '../../core/index.js';
import { computeRegions, fromSiteLattice, type NcmLattice } from '../../kinetics/ncm/index.js';
import { buildLamella, type Lamella, type LamellaOptions } from '../../lattice/index.js';
import { regionHops, type ScenarioRegions, type ScenarioStructure } from '../scenario/index.js';

/** Lamella builder options of a scenario structure (seeded from the run seed). */
export function lamellaOptions(st: ScenarioStructure, seed: number): LamellaOptions {
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

/** Build a scenario structure's lamella; lattice InputErrors are re-labelled with the scenario field path. */
export function buildScenarioLamella(st: ScenarioStructure, seed: number): Lamella {
  try {
    return buildLamella(lamellaOptions(st, seed));
  } catch (e) {
    if (e instanceof InputError && !e.field.startsWith('structure.')) {
      const map: Record<string, string> = { mixing: 'structure.niOnLi', liContent: 'structure.lithium', 'apb.plane': 'structure.apb.plane', 'pore.radius_A': 'structure.pore.radius' };
      throw new InputError(map[e.field] ?? `structure (${e.field})`, e.value, e.allowed, e.hint);
    }
    throw e;
  }
}

/** A scenario lamella with its kinetics view and regions: built once per (structure, regions, seed). */
export interface PreparedLamella {
  readonly lamella: Lamella;
  /** The kinetics' lattice view (src/kinetics/ncm/adapter.ts `fromSiteLattice`: the one adapter). */
  readonly lattice: NcmLattice;
  /** Region id per site (src/kinetics/ncm/regions.ts: the one region definition). */
  readonly region: Uint8Array;
}

const PREPARED = new Map<string, PreparedLamella>();
/** Lamellae kept (a fit's hundreds of runs share one; a dataset walks through many). */
const KEEP = 4;

/**
 * The one scenario → lamella → KMC-lattice path, cached by (structure, regions, seed): repeated forward
 * runs (fits, dries) skip the build. The returned arrays are shared: never mutate them.
 */
export function prepareLamella(structure: ScenarioStructure, regions: ScenarioRegions, seed: number): PreparedLamella {
  const key = JSON.stringify([structure, regions, seed]);
  const hit = PREPARED.get(key);
  if (hit) {
    PREPARED.delete(key);
    PREPARED.set(key, hit);
    return hit;
  }
  // Memory guard call site: when src/kinetics provides `assertKmcFits` (bytes per site, issue 10), call it
  // here with the site count from the structure before allocating.
  const lamella = buildScenarioLamella(structure, seed);
  const lattice = fromSiteLattice(lamella.lattice);
  const region = computeRegions(lattice, lamella.lattice.species, regionHops(regions));
  const p = { lamella, lattice, region };
  PREPARED.set(key, p);
  while (PREPARED.size > KEEP) PREPARED.delete(PREPARED.keys().next().value!);
  return p;
}
