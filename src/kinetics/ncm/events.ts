/**
 * The event catalogue, as data (kmos/SPPARKS style). Every event acts on an ordered pair of
 * second-shell neighbours (owner site → target site, same sublattice), so the symmetry-equivalent
 * hops are generated from the neighbour lists: slot = owner·12 + direction. A pattern names the
 * owner and target species, the plane relation and the layer relation (for cations) and the event
 * kind; `buildEventTable` expands the patterns into a lookup table indexed by (sublattice, in-plane,
 * across layers, owner, target): `eventTableIndex`.
 */
import { Species } from '../../lattice/species.js';

/** Event kinds (ids are stable: they index per-kind counters and appear in summaries). */
export const EventKind = {
  NONE: 0,
  O2_RELEASE: 1,
  O2_ADSORPTION: 2,
  VO_MIGRATION: 3,
  /** Reserved: O hops into empty pore anion sites (left out of the catalogue: a fast, ΔE ≈ 0 back-and-forth that dominated the event count). */
  SURFACE_O_DIFFUSION: 4,
  TM_MIGRATION: 5,
  /** In-plane TM ↔ Li exchange across the APB (a Li-layer and an M-layer site in one (111) plane): moves the APB by one column. */
  APB_MIGRATION: 6,
  SURFACE_CATION_DIFFUSION: 7,
  LI_HOP: 8,
  NI0_FORMATION: 9,
  /** In-plane TM ↔ Li exchange between two sites of the same layer type (everywhere but the APB): same barrier and rules as APB_MIGRATION, counted apart. */
  IN_PLANE_EXCHANGE: 10,
} as const;
export type EventKindId = (typeof EventKind)[keyof typeof EventKind];

/** Names by kind id (summaries, CSV headers). */
export const EVENT_NAMES: readonly string[] = [
  'none',
  'o2Release',
  'o2Adsorption',
  'vOMigration',
  'surfaceODiffusion',
  'tmMigration',
  'apbMigration',
  'surfaceCationDiffusion',
  'liHop',
  'ni0Formation',
  'inPlaneExchange',
];

/** One pattern of the catalogue. */
export interface EventPattern {
  readonly kind: EventKindId;
  /** Sublattice of owner and target. */
  readonly sublattice: 'cation' | 'anion';
  /** Owner (mover) species. */
  readonly owner: readonly number[];
  /** Target species. */
  readonly target: readonly number[];
  /** Plane relation for cation pairs: in-plane, out-of-plane, or either. */
  readonly plane: 'in' | 'out' | 'any';
  /** Layer relation for cation pairs: owner and target on the same layer type (both Li-layer or both M-layer sites), across (one of each: the APB), or either (default). */
  readonly layers?: 'same' | 'across' | 'any';
  /** Unordered pair events fire only from the lower site index (each pair once). */
  readonly pairOnce?: boolean;
  /** What happens (documentation; summaries). */
  readonly action: string;
}

const TMS = [Species.NI2, Species.NI3, Species.NI4, Species.CO, Species.MN];

/** The catalogue. Environment-dependent barriers and conditions are in `rates.ts`. */
export const EVENT_CATALOGUE: readonly EventPattern[] = [
  { kind: EventKind.O2_RELEASE, sublattice: 'anion', owner: [Species.O], target: [Species.O], plane: 'any', pairOnce: true, action: 'two exposed O → 2 V_O + O2(g); two Ni reduced, nearest first' },
  { kind: EventKind.O2_ADSORPTION, sublattice: 'anion', owner: [Species.VAC_O], target: [Species.VAC_O], plane: 'any', pairOnce: true, action: 'O2(g) + 2 exposed V_O → 2 O; two Ni oxidised, nearest first' },
  { kind: EventKind.VO_MIGRATION, sublattice: 'anion', owner: [Species.O], target: [Species.VAC_O], plane: 'any', action: 'O ↔ V_O exchange (bulk or surface barrier)' },
  { kind: EventKind.TM_MIGRATION, sublattice: 'cation', owner: TMS, target: [Species.LI, Species.VAC_CATION], plane: 'out', action: 'TM oct → tet → oct across the O layer, exchanging with Li or a vacancy' },
  { kind: EventKind.TM_MIGRATION, sublattice: 'cation', owner: TMS, target: [Species.VAC_CATION], plane: 'in', action: 'TM hop into an in-plane cation vacancy' },
  { kind: EventKind.APB_MIGRATION, sublattice: 'cation', owner: TMS, target: [Species.LI], plane: 'in', layers: 'across', action: 'in-plane TM ↔ Li exchange across the APB (moves a cationic APB by one column)' },
  { kind: EventKind.IN_PLANE_EXCHANGE, sublattice: 'cation', owner: TMS, target: [Species.LI], plane: 'in', layers: 'same', action: 'in-plane TM ↔ Li exchange within one layer type (antisite hop; rock-salt exchange)' },
  { kind: EventKind.SURFACE_CATION_DIFFUSION, sublattice: 'cation', owner: [...TMS, Species.LI], target: [Species.VOID], plane: 'any', action: 'surface cation hop into an empty surface octahedron' },
  { kind: EventKind.LI_HOP, sublattice: 'cation', owner: [Species.LI], target: [Species.VAC_CATION], plane: 'any', action: 'Li hop into a cation vacancy (rate-rescaled)' },
  { kind: EventKind.NI0_FORMATION, sublattice: 'cation', owner: [Species.NI2], target: [Species.NI2], plane: 'any', pairOnce: true, action: '2 Ni²⁺ + their 2 shared O → 2 Ni⁰ + O2(g); up to 2 Li nearby → Li2O' },
];

/** Index of (sublattice, plane, layer relation, owner species, target species) in the event table. */
export function eventTableIndex(anion: number, inPlane: number, across: number, owner: number, target: number): number {
  return (((anion * 2 + inPlane) * 2 + across) * 16 + owner) * 16 + target;
}

/** Lookup: `eventTableIndex(…)` → kind. */
export function buildEventTable(catalogue: readonly EventPattern[] = EVENT_CATALOGUE): Uint8Array {
  const table = new Uint8Array(2 * 2 * 2 * 16 * 16);
  for (const p of catalogue) {
    const anion = p.sublattice === 'anion' ? 1 : 0;
    const planes = p.plane === 'any' ? [0, 1] : p.plane === 'in' ? [1] : [0];
    const layers = anion === 1 ? [0] : p.layers === 'same' ? [0] : p.layers === 'across' ? [1] : [0, 1];
    for (const ip of planes) {
      for (const ac of layers) {
        for (const o of p.owner) {
          for (const t of p.target) {
            const i = eventTableIndex(anion, ip, ac, o, t);
            if (table[i] !== 0 && table[i] !== p.kind) throw new Error(`event catalogue: two kinds for pattern ${o}→${t}`);
            table[i] = p.kind;
          }
        }
      }
    }
  }
  return table;
}

/** Kinds whose patterns fire once per unordered pair (lower site index owns the slot). */
export function pairOnceKinds(catalogue: readonly EventPattern[] = EVENT_CATALOGUE): Uint8Array {
  const out = new Uint8Array(16);
  for (const p of catalogue) if (p.pairOnce) out[p.kind] = 1;
  return out;
}
