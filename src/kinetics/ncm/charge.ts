/**
 * Charge bookkeeping: formal charges by species, and the redox that accompanies O leaving or
 * returning. Each O vacancy made by O2 release reduces two Ni, nearest first (Ni⁴⁺ → Ni³⁺ before
 * Ni³⁺ → Ni²⁺ at equal distance); each O that returns oxidises two Ni²⁺ (else Ni³⁺), nearest first.
 * "Nearest" is breadth-first over the lattice graph from the O site (its 6 cations, then their
 * cation neighbours, …), in neighbour-list order, so the bookkeeping is deterministic.
 */
import { type NcmLattice } from './lattice.js';

/** Local copies of species ids and event kinds (hot loops; checked against the shared tables in tests). */
const S_CO = 5;
const S_LI = 1;
const S_LI_LI2O = 11;
const S_MN = 6;
const S_NI2 = 2;
const S_NI3 = 3;
const S_NI4 = 4;
const S_O = 9;


/** Neighbour-list strides (local literals: imported bindings are slow in hot loops under some loaders). */
const NB1 = 6;
const NB2 = 12;

/** Formal charge (units of e) by species id. Co³⁺, Mn⁴⁺; Li in Li2O stays Li⁺. */
export const FORMAL_CHARGE: Readonly<Int8Array> = (() => {
  const q = new Int8Array(16);
  q[S_LI] = 1;
  q[S_NI2] = 2;
  q[S_NI3] = 3;
  q[S_NI4] = 4;
  q[S_CO] = 3;
  q[S_MN] = 4;
  q[S_O] = -2;
  q[S_LI_LI2O] = 1;
  return q;
})();

/** Total formal charge of a configuration (units of e). */
export function totalCharge(species: Uint8Array): number {
  let q = 0;
  for (let i = 0; i < species.length; i++) q += FORMAL_CHARGE[species[i]!]!;
  return q;
}

/** Reusable BFS scratch for `redox`. */
export class RedoxScratch {
  readonly mark: Int32Array;
  readonly queue: Int32Array;
  private stamp = 0;
  constructor(n: number) {
    this.mark = new Int32Array(n);
    this.queue = new Int32Array(n);
  }
  next(): number {
    if (++this.stamp === 0x7fffffff) {
      this.mark.fill(0);
      this.stamp = 1;
    }
    return this.stamp;
  }
}

/**
 * Change the charge of `count` Ni nearest to anion site `origin` by `dir` (−1 reduce, +1 oxidise),
 * preferring, at each BFS depth… simply the first suitable Ni in BFS order: for reduction Ni⁴⁺ or
 * Ni³⁺; for oxidation Ni²⁺ then (second pass) Ni³⁺. Writes the sites changed into `out` and returns
 * how many were changed (less than `count` only if the whole connected lattice has no suitable Ni).
 */
export function redox(lat: NcmLattice, species: Uint8Array, origin: number, count: number, dir: -1 | 1, scratch: RedoxScratch, out: Int32Array): number {
  let done = 0;
  const passes: number[][] = dir < 0 ? [[S_NI4, S_NI3]] : [[S_NI2], [S_NI3]];
  for (const targets of passes) {
    if (done === count) break;
    const stamp = scratch.next();
    const { mark, queue } = scratch;
    let head = 0, tail = 0;
    // Seed with the cations around the O site.
    for (let k = 0; k < NB1; k++) {
      const c = lat.nb1[origin * NB1 + k]!;
      if (c >= 0 && mark[c] !== stamp) {
        mark[c] = stamp;
        queue[tail++] = c;
      }
    }
    while (head < tail && done < count) {
      const c = queue[head++]!;
      const s = species[c]!;
      if (targets.includes(s)) {
        species[c] = s + dir;
        out[done++] = c;
        if (done === count) break;
      }
      for (let k = 0; k < NB2; k++) {
        const x = lat.nb2[c * NB2 + k]!;
        if (x >= 0 && mark[x] !== stamp) {
          mark[x] = stamp;
          queue[tail++] = x;
        }
      }
    }
  }
  return done;
}
