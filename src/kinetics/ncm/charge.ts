/**
 * Charge bookkeeping: formal charges by species, and the redox that accompanies O leaving or
 * returning. Each O vacancy made by O2 release reduces two Ni, nearest first (Ni⁴⁺ → Ni³⁺ before
 * Ni³⁺ → Ni²⁺ at equal distance); each O that returns oxidises two Ni²⁺ (else Ni³⁺), nearest first.
 * "Nearest" is breadth-first over the lattice graph from the O site (its 6 cations, then their
 * cation neighbours, …), in neighbour-list order, so the bookkeeping is deterministic.
 */
import { Species } from '../../lattice/species.js';
import { neighbour1, neighbourRow, type NcmLattice } from './lattice.js';

/** Neighbour-list strides (local literals: imported bindings are slow in hot loops under some loaders). */
const NB1 = 6;
const NB2 = 12;

/** Formal charge (units of e) by species id. Co³⁺, Mn⁴⁺; Li in Li2O stays Li⁺. */
export const FORMAL_CHARGE: Readonly<Int8Array> = (() => {
  const q = new Int8Array(16);
  q[Species.LI] = 1;
  q[Species.NI2] = 2;
  q[Species.NI3] = 3;
  q[Species.NI4] = 4;
  q[Species.CO] = 3;
  q[Species.MN] = 4;
  q[Species.O] = -2;
  q[Species.LI_LI2O] = 1;
  return q;
})();

/** Total formal charge of a configuration (units of e). */
export function totalCharge(species: Uint8Array): number {
  let q = 0;
  for (let i = 0; i < species.length; i++) q += FORMAL_CHARGE[species[i]!]!;
  return q;
}

/**
 * Reusable BFS scratch for `redox`: a visited flag per site (one bit of a byte array, which the
 * model shares with its own per-event flags) and a queue that grows only as far as a search reaches.
 */
export class RedoxScratch {
  readonly flags: Uint8Array;
  queue = new Int32Array(1024);
  /** @param bit the flag bit this scratch owns in `flags` (default: a private array, bit 1). */
  constructor(n: number, flags?: Uint8Array, readonly bit = 1) {
    this.flags = flags ?? new Uint8Array(n);
  }
  /** Bytes held in typed arrays (the flags only when private). */
  byteLength(sharedFlags: boolean): number {
    return this.queue.byteLength + (sharedFlags ? 0 : this.flags.byteLength);
  }
}

/** Species masks of the redox passes: reduce Ni⁴⁺/Ni³⁺; oxidise Ni²⁺ first, then Ni³⁺. */
const REDUCE = (1 << Species.NI4) | (1 << Species.NI3);
const OXIDISE_FIRST = 1 << Species.NI2;
const OXIDISE_THEN = 1 << Species.NI3;

/**
 * Change the charge of `count` Ni nearest to anion site `origin` by `dir` (−1 reduce, +1 oxidise):
 * the first suitable Ni in breadth-first order (the 6 cations of the O site, then their cation
 * neighbours in neighbour-list order, …): for reduction Ni⁴⁺ or Ni³⁺; for oxidation Ni²⁺, then (a
 * second search) Ni³⁺. Writes the sites changed into `out` and returns how many were changed (less
 * than `count` only if the whole connected lattice has no suitable Ni).
 */
export function redox(lat: NcmLattice, species: Uint8Array, origin: number, count: number, dir: -1 | 1, scratch: RedoxScratch, out: Int32Array): number {
  let done = bfsRedox(lat, species, origin, count, 0, dir, dir < 0 ? REDUCE : OXIDISE_FIRST, scratch, out);
  if (dir > 0 && done < count) done = bfsRedox(lat, species, origin, count, done, dir, OXIDISE_THEN, scratch, out);
  return done;
}

/** One breadth-first search from `origin` changing Ni whose species is in `mask` until `count` are done. */
function bfsRedox(lat: NcmLattice, species: Uint8Array, origin: number, count: number, done: number, dir: -1 | 1, mask: number, scratch: RedoxScratch, out: Int32Array): number {
  const { flags, bit } = scratch;
  let queue = scratch.queue;
  let head = 0, tail = 0;
  // Seed with the cations around the O site, then widen shell by shell (the queue grows on demand).
  for (let k = 0; k < NB1; k++) {
    const c = neighbour1(lat, origin, k);
    if (c >= 0 && (flags[c]! & bit) === 0) {
      flags[c] = flags[c]! | bit;
      queue[tail++] = c;
    }
  }
  while (head < tail && done < count) {
    const c = queue[head++]!;
    const s = species[c]!;
    if ((mask >> s) & 1) {
      species[c] = s + dir;
      out[done++] = c;
      if (done === count) break;
    }
    if (tail + NB2 > queue.length) {
      const g = new Int32Array(queue.length * 2);
      g.set(queue);
      queue = scratch.queue = g;
    }
    const row = neighbourRow(lat, c) + NB1;
    for (let k = 0; k < NB2; k++) {
      const x = c + lat.nbOffset[row + k]!;
      if (x >= 0 && (flags[x]! & bit) === 0) {
        flags[x] = flags[x]! | bit;
        queue[tail++] = x;
      }
    }
  }
  const clear = ~bit & 0xff;
  for (let q = 0; q < tail; q++) flags[queue[q]!] = flags[queue[q]!]! & clear;
  return done;
}
