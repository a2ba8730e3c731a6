/**
 * The number of parent-lattice sites of a lamella, from its dimensions alone (no allocation): the
 * box `buildSupercell` makes holds whole zone periods along x, y, z and exactly |det(supercell)|
 * sites, so memory can be checked before anything is built (kinetics `assertKmcFits`).
 *
 * @example lamellaSiteCount({ size_A: [200, 200], thickness_A: 200 }) // the seed's 20 × 20 × 20 nm field: 940 800
 */
import { checkFinite } from '../core/index.js';
import { NCM851005_METRIC, checkMetric, type LayeredMetric } from './parent.js';
import { boxInverse, repeatsFor } from './siteLattice.js';
import { parseZone, zoneFrame, zonePeriodsIjk, type ZoneAxis } from './zone.js';

/** Sizes as `buildLamella` / `buildSupercell` take them. */
export interface LamellaSize {
  /** Lateral size, Å: one number (square) or [x, y]. */
  readonly size_A: number | readonly [number, number];
  /** Thickness along the beam, Å. */
  readonly thickness_A: number;
  /** Zone axis along the beam; default '210'. */
  readonly zone?: ZoneAxis | string;
  /** Hexagonal metric; default NCM851005. */
  readonly metric?: LayeredMetric;
}

/** Exact site count of the lamella `buildLamella` would build with these sizes (same rounding to whole periods). */
export function lamellaSiteCount(o: LamellaSize): number {
  const metric = checkMetric(o.metric ?? NCM851005_METRIC);
  const zone = typeof o.zone === 'string' || o.zone === undefined ? parseZone(o.zone ?? '210') : o.zone;
  const size = typeof o.size_A === 'number' ? [o.size_A, o.size_A] : o.size_A;
  checkFinite(size[0]!, 'size_A', { min: 0, exclusiveMin: true, unit: 'Å' });
  checkFinite(size[1]!, 'size_A', { min: 0, exclusiveMin: true, unit: 'Å' });
  checkFinite(o.thickness_A, 'thickness_A', { min: 0, exclusiveMin: true, unit: 'Å' });
  const period = zoneFrame(zone, metric).period_A;
  const repeats = [repeatsFor(size[0]!, period[0]), repeatsFor(size[1]!, period[1]), repeatsFor(o.thickness_A, period[2])];
  const periods = zonePeriodsIjk(zone);
  // |det| of the supercell = det of the periods × the product of the repeats (exact in float64 to 2^53)
  const cell = periods.flat();
  return boxInverse(cell).D * repeats[0]! * repeats[1]! * repeats[2]!;
}
