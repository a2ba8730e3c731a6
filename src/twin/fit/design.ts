/**
 * Space-filling designs in the unit cube: a maximin Latin hypercube (McKay, Beckman & Conover,
 * Technometrics 21, 239 (1979); maximin selection after Morris & Mitchell, JSPI 43, 381 (1995)).
 * Every one-dimensional projection is stratified (one point per 1/n slice), and among `candidates`
 * random hypercubes the one with the largest smallest pairwise distance is kept. Seeded: the same
 * seed gives the same design.
 */
import { Rng } from '../../core/index.js';

/** A design: n points in [0, 1]^d, row-major. */
export interface Design {
  readonly n: number;
  readonly d: number;
  readonly u: Float64Array;
}

/** One random Latin hypercube (points at random positions inside their strata). */
function latinHypercube(n: number, d: number, rng: Rng): Float64Array {
  const u = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const perm = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const k = rng.int(i + 1);
      [perm[i], perm[k]] = [perm[k]!, perm[i]!];
    }
    for (let i = 0; i < n; i++) u[i * d + j] = (perm[i]! + rng.uniform()) / n;
  }
  return u;
}

/** Smallest pairwise Euclidean distance of the rows of u. */
export function minDistance(u: Float64Array, n: number, d: number): number {
  let best = Infinity;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (u[a * d + j]! - u[b * d + j]!) ** 2;
      if (s < best) best = s;
    }
  }
  return Math.sqrt(best);
}

/** Maximin Latin hypercube of n points in d dimensions (see module doc). */
export function maximinLhs(n: number, d: number, rng: Rng, candidates = 64): Design {
  let best: Float64Array | undefined;
  let bestD = -1;
  for (let c = 0; c < candidates; c++) {
    const u = latinHypercube(n, d, rng);
    const dist = n > 1 ? minDistance(u, n, d) : 1;
    if (dist > bestD) {
      bestD = dist;
      best = u;
    }
  }
  return { n, d, u: best! };
}
