/**
 * `buildLamella`: the high-level builder the kinetics and the main run call. A layered
 * Li(Ni,Co,Mn)O2 lamella cut along a zone axis, with an optional nanopore, an optional cationic
 * APB, cation mixing and free surfaces, occupied by seed with exact stoichiometry. The observable
 * regions (pore rim, APB zone, bulk) are defined once, on the site graph, in src/kinetics/ncm/regions.ts.
 *
 * Default = the seed study's lamella at a size a 2-core machine handles in minutes: NCM851005,
 * zone [210], 60 Å × 60 Å lateral, 50 Å thick, a 15 Å ellipsoidal pore at the centre, an APB on
 * (1 −2 0) (edge-on in [210], normal along box x) tangent to the pore's edge, no mixing, seed 1.
 */
import { parseComposition, NCM851005, type Composition } from './composition.js';
import { applyApb, resolveApb, type ApbShape, type ApbSpec } from './apb.js';
import { occupy, type OccupationCounts } from './occupy.js';
import { NCM851005_METRIC, type LayeredMetric } from './parent.js';
import { carvePore, resolvePore, type PoreShape, type PoreSpec } from './pore.js';
import { buildSupercell, type SiteLattice } from './siteLattice.js';
import { Species } from './species.js';
import type { ZoneAxis } from './zone.js';

export interface LamellaOptions {
  /** Composition (object or string such as "Ni0.85Co0.10Mn0.05"); default NCM851005. */
  readonly composition?: Composition | string;
  /** Hexagonal metric; default NCM851005 (a 2.872 Å, c 14.20 Å, z_O 0.2586). */
  readonly metric?: LayeredMetric;
  /** Zone axis along the beam; default '210'. */
  readonly zone?: ZoneAxis | string;
  /** Lateral size, Å (rounded to whole periods); default 60. */
  readonly size_A?: number | readonly [number, number];
  /** Thickness along the beam, Å (rounded to whole periods); default 50. */
  readonly thickness_A?: number;
  /** Nanopore; default radius 15 Å ellipsoid at the centre; null for none. */
  readonly pore?: PoreSpec | null;
  /** APB; default (1 −2 0) through the pore edge (+x side of the pore); null for none. */
  readonly apb?: ApbSpec | null;
  /** Fraction of Li-layer sites holding Ni (Li/Ni exchange); default 0. */
  readonly mixing?: number;
  /** Li content of the Li layers, 0…1; default 1 (lithiated). */
  readonly liContent?: number;
  /** Seed of the random occupation; default 1. */
  readonly seed?: number;
  /** Periodicity of box x, y, z; default [true, true, false] (free lamella surfaces). */
  readonly pbc?: readonly [boolean, boolean, boolean];
}

export interface Lamella {
  readonly lattice: SiteLattice;
  readonly composition: Composition;
  readonly counts: OccupationCounts;
  readonly pore: PoreShape | null;
  readonly apb: ApbShape | null;
  /** Sites removed by the pore. */
  readonly poreSites: number;
}

/** Default pore radius of the builder and CLI, Å. */
export const DEFAULT_PORE_RADIUS_A = 15;

/** Build a lamella (see module doc for defaults). Throws InputError on bad input. */
export function buildLamella(opts: LamellaOptions = {}): Lamella {
  const composition = typeof opts.composition === 'string' ? parseComposition(opts.composition) : opts.composition ?? NCM851005;
  const lattice = buildSupercell({
    metric: opts.metric ?? NCM851005_METRIC,
    zone: opts.zone ?? '210',
    size_A: opts.size_A ?? 60,
    thickness_A: opts.thickness_A ?? 50,
    ...(opts.pbc ? { pbc: opts.pbc } : {}),
  });
  const poreSpec = opts.pore === undefined ? { radius_A: DEFAULT_PORE_RADIUS_A } : opts.pore;
  const pore = poreSpec ? resolvePore(lattice, poreSpec) : null;
  let apbSpec = opts.apb === undefined ? ({ plane: [1, -2, 0] } as ApbSpec) : opts.apb;
  if (apbSpec && apbSpec.point_A === undefined && pore) {
    // Tangent to the pore: from the pore centre along the plane normal by the pore's support distance.
    const probe = resolveApb(lattice, { plane: apbSpec.plane, point_A: pore.centre_A });
    const reach = pore.support_A(probe.normal_box);
    apbSpec = { ...apbSpec, point_A: pore.centre_A, offset_A: (apbSpec.offset_A ?? 0) + reach };
  }
  const apb = apbSpec ? resolveApb(lattice, apbSpec) : null;
  if (apb) applyApb(lattice, apb);
  const poreSites = pore ? carvePore(lattice, pore) : 0;
  const counts = occupy(lattice, {
    composition,
    seed: opts.seed ?? 1,
    ...(opts.mixing !== undefined ? { mixing: opts.mixing } : {}),
    ...(opts.liContent !== undefined ? { liContent: opts.liContent } : {}),
  });
  return { lattice, composition, counts, pore, apb, poreSites };
}
