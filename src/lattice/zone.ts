/**
 * Zone axes: orthogonal supercells of the layered structure with the beam along box z.
 *
 * Each zone gives three mutually orthogonal lattice vectors (in parent-lattice integers) that span
 * the smallest orthogonal cell with box z along the zone axis. Hexagonal three-index directions:
 *
 * | zone  | box x (period)            | box y (period) | box z = beam (period) |
 * |-------|---------------------------|----------------|-----------------------|
 * | [210] | a2 = [010] (a)            | c (c)          | 2a1+a2 = [210] (√3·a) |
 * | [100] | a1+2a2 = [120] (√3·a)     | c (c)          | a1 = [100] (a)        |
 * | [110] | a2−a1 = [−110] (√3·a)     | c (c)          | a1+a2 = [110] (a)     |
 * | [001] | a1 = [100] (a)            | [120] (√3·a)   | c (c)                 |
 *
 * [210] (= [10−10] in four indices) is the seed study's zone: Li and M layers edge-on and
 * horizontal in the image (c along image y). In [100]/[110] the layers are also edge-on;
 * [001] looks down c. All boxes are right-handed.
 */
import { InputError } from '../core/index.js';
import type { LayeredMetric } from './parent.js';

/** Supported zone axes (hexagonal three-index, as strings). */
export const ZONE_AXES = ['210', '100', '110', '001'] as const;
export type ZoneAxis = (typeof ZONE_AXES)[number];

/** Rows: box x, y, z lattice vectors in parent (i,j,k) integers, one period each. */
const ZONE_IJK: Record<ZoneAxis, readonly [readonly number[], readonly number[], readonly number[]]> = {
  '210': [[0, 1, -1], [4, 4, 4], [2, -1, -1]],
  '100': [[1, 1, -2], [4, 4, 4], [1, -1, 0]],
  '110': [[-1, 2, -1], [4, 4, 4], [1, 0, -1]],
  '001': [[1, -1, 0], [1, 1, -2], [4, 4, 4]],
};

/** Parse a zone string ("210", "[210]", "2 1 0", "10-10" four-index) → ZoneAxis, or InputError. */
export function parseZone(text: string | number, field = 'zone'): ZoneAxis {
  const raw = String(text).trim().replace(/^\[|\]$/g, '').replace(/[\s,]+/g, '');
  const fourIndex: Record<string, ZoneAxis> = { '10-10': '210', '2-1-10': '100', '11-20': '110', '0001': '001' };
  const z = (ZONE_AXES as readonly string[]).includes(raw) ? (raw as ZoneAxis) : fourIndex[raw];
  if (!z) throw new InputError(field, text, `one of ${ZONE_AXES.map((a) => `[${a}]`).join(', ')} (hexagonal three-index; [210] = [10-10])`);
  return z;
}

/** The integer period vectors (box x, y, z) of a zone; fresh copies. */
export function zonePeriodsIjk(zone: ZoneAxis): [number[], number[], number[]] {
  const t = ZONE_IJK[zone];
  return [t[0].slice(), t[1].slice(), t[2].slice()];
}

/** Linear part of the parent → hexagonal Cartesian map (no O displacement), Å. */
export function linearCartesian(v: readonly number[], metric: LayeredMetric): [number, number, number] {
  const [i, j, k] = [v[0]!, v[1]!, v[2]!];
  const u = (2 * i - j - k) / 3;
  const w = (i + j - 2 * k) / 3;
  return [metric.a_A * (u - w / 2), metric.a_A * (Math.sqrt(3) / 2) * w, (metric.c_A * (i + j + k)) / 12];
}

/** Zone geometry in a metric: period lengths (Å) and the rotation hexagonal-Cartesian → box. */
export interface ZoneFrame {
  readonly zone: ZoneAxis;
  /** Period of the orthogonal cell along box x, y, z, Å. */
  readonly period_A: [number, number, number];
  /** Row-major 3×3 rotation: row a is the unit vector of box axis a in the hexagonal Cartesian frame. */
  readonly rotation: Float64Array;
  /** Index (0,1,2) of the box axis parallel to hexagonal c, or −1 when c is oblique (never, for these zones). */
  readonly cAxis: number;
}

/** Build the frame of a zone in a metric. */
export function zoneFrame(zone: ZoneAxis, metric: LayeredMetric): ZoneFrame {
  const t = ZONE_IJK[zone];
  const rotation = new Float64Array(9);
  const period: [number, number, number] = [0, 0, 0];
  let cAxis = -1;
  for (let a = 0; a < 3; a++) {
    const v = linearCartesian(t[a]!, metric);
    const len = Math.hypot(v[0], v[1], v[2]);
    period[a] = len;
    for (let b = 0; b < 3; b++) rotation[3 * a + b] = v[b]! / len;
    if (Math.abs(v[0]) + Math.abs(v[1]) === 0) cAxis = a;
  }
  return { zone, period_A: period, rotation, cAxis };
}
