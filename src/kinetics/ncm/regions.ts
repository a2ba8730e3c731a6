/**
 * Regions of a structure for per-region observables: the pore-rim shell, the APB zone (the part of
 * the APB near the pore), and the bulk (far from pore, APB and free lamella faces), from the initial
 * state; shells touching a free face are left out of rim and APB zone. Distances are hop
 * counts on the first-shell graph (cation ↔ O, one hop = a/2 ≈ 2.03 Å).
 */
import { Species } from '../../lattice/species.js';
import { NB1, NB2, neighbour1, neighbour2, type NcmLattice } from './lattice.js';


/** Region ids. OTHER sites (transition shells) are in no region. */
export const Region = { BULK: 0, RIM: 1, APB: 2, OTHER: 3 } as const;
/** Region names by id. */
export const REGION_NAMES: readonly string[] = ['bulk', 'rim', 'apb', 'other'];

/** Region shell widths in hops (defaults in brackets). */
export interface RegionOptions {
  /** Rim shell: 1 … rim hops from the pore (4 ≈ 8 Å), away from the APB. */
  readonly rim_hops?: number;
  /** APB zone: within apb hops of the APB (2) and apbRim hops of the pore (4): the APB's stretch of the rim. */
  readonly apb_hops?: number;
  readonly apbRim_hops?: number;
  /** Bulk: at least bulk hops from pore/vacuum and from any APB (7 ≈ 14 Å). */
  readonly bulk_hops?: number;
}

/** BFS hop distance on the first-shell graph from the seed sites (−1 = unreachable → large). */
export function hopDistance(lat: NcmLattice, seeds: ArrayLike<number>, maxHops = 64): Int32Array {
  const d = new Int32Array(lat.n).fill(maxHops + 1);
  const q = new Int32Array(lat.n);
  let head = 0, tail = 0;
  for (let i = 0; i < seeds.length; i++) {
    const s = seeds[i]!;
    if (d[s] !== 0) { d[s] = 0; q[tail++] = s; }
  }
  while (head < tail) {
    const s = q[head++]!;
    const ds = d[s]!;
    if (ds >= maxHops) continue;
    for (let k = 0; k < NB1; k++) {
      const x = neighbour1(lat, s, k);
      if (x >= 0 && d[x]! > ds + 1) { d[x] = ds + 1; q[tail++] = x; }
    }
  }
  return d;
}

/** Cation sites on a cationic APB: an in-plane neighbour of the other layer type. */
export function apbSites(lat: NcmLattice): number[] {
  const out: number[] = [];
  for (let s = 0; s < lat.n; s++) {
    if (lat.isAnion[s]) continue;
    for (let k = 0; k < NB2; k++) {
      const t = neighbour2(lat, s, k);
      if (t >= 0 && lat.nb2InPlaneByDir[k] && lat.liLayer[t] !== lat.liLayer[s]) { out.push(s); break; }
    }
  }
  return out;
}

/** Region id per site from the initial species (VOID sites are OTHER). */
export function computeRegions(lat: NcmLattice, species: Uint8Array, o: RegionOptions = {}): Uint8Array {
  const rim = o.rim_hops ?? 4, apb = o.apb_hops ?? 2, apbRim = o.apbRim_hops ?? 4, bulk = o.bulk_hops ?? 7;
  // Pore: void sites. Free faces (lamella surfaces): sites with a missing first-shell neighbour.
  const voids: number[] = [];
  const faces: number[] = [];
  for (let s = 0; s < lat.n; s++) {
    if (species[s] === Species.VOID) voids.push(s);
    else for (let k = 0; k < NB1; k++) if (neighbour1(lat, s, k) < 0) { faces.push(s); break; }
  }
  const dVoid = hopDistance(lat, voids);
  const dFace = hopDistance(lat, faces);
  const dApb = hopDistance(lat, apbSites(lat));
  const region = new Uint8Array(lat.n).fill(Region.OTHER);
  for (let s = 0; s < lat.n; s++) {
    if (species[s] === Species.VOID) continue;
    const dv = dVoid[s]!, da = dApb[s]!, df = dFace[s]!;
    if (da <= apb && dv <= apbRim && df > rim) region[s] = Region.APB;
    else if (dv <= rim && da > apb + 2 && df > rim) region[s] = Region.RIM;
    else if (dv >= bulk && da >= bulk && df >= bulk) region[s] = Region.BULK;
  }
  return region;
}
