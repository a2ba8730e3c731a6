/**
 * The starting lattice the fit gives the analysis of every frame, experimental and simulated alike: the
 * zone's projected cell (analyse `zoneCell`: a/2 along the layers × c/3 across them for [210]), oriented
 * by the frame's own strongest layer fringe (the Bragg peak nearest |g| = 3/c: the (003) fringe of the
 * heavy M rows, the strongest periodicity of a layered oxide edge-on). `analyseFrame` then refines it on
 * the columns. One construction for both sides of the comparison, and robust where the full Fourier
 * lattice estimate is not (small or noisy fields, where the weak in-plane a/2 peaks drown).
 *
 * In a series (`seriesZoneLattices`), a later frame whose layer fringe has faded (the rim and the field
 * turning rock salt at high temperature, where the c/3 layer contrast goes) keeps the orientation of
 * the frame before it: the specimen does not rotate between frames (drift is a translation, which
 * `analyseFrame` refines on the columns). The first frame (room temperature, layered) must show it.
 */
import { InputError } from '../../core/index.js';
import { braggPeaks, zoneCell, type Calibration, type Vec2 } from '../analyse/index.js';

export type ZoneLattice = { a1: Vec2; a2: Vec2 };

/** Zone lattice in Å, image coordinates, for `analyseFrame({ lattice_A })` (see module doc); InputError without a layer fringe. */
export function zoneLattice(data: ArrayLike<number>, width: number, height: number, cal: Pick<Calibration, 'pixelX_A' | 'pixelY_A'>, zone: string): ZoneLattice {
  const l = findZoneLattice(data, width, height, cal, zone);
  if (!l) throw new InputError('image', `${width}×${height} px`, `a frame showing the layer fringe (period c/3 = ${zoneCell(zone).a2_A.toFixed(3)} Å) of the [${zone}] zone: check the pixel size and the zone`);
  return l;
}

/**
 * The starting lattice of every frame of a series, in order (see module doc): its own layer fringe, or
 * the previous frame's orientation where the fringe is gone; `kept` lists the frames that kept it.
 */
export function seriesZoneLattices(frames: readonly ArrayLike<number>[], width: number, height: number, cal: Pick<Calibration, 'pixelX_A' | 'pixelY_A'>, zone: string): { lattices: ZoneLattice[]; kept: number[] } {
  const lattices: ZoneLattice[] = [];
  const kept: number[] = [];
  frames.forEach((f, k) => {
    const own = k === 0 ? zoneLattice(f, width, height, cal, zone) : findZoneLattice(f, width, height, cal, zone);
    if (!own) kept.push(k);
    lattices.push(own ?? lattices[k - 1]!);
  });
  return { lattices, kept };
}

/** The zone lattice oriented by the strongest layer fringe, or undefined when the frame shows none. */
export function findZoneLattice(data: ArrayLike<number>, width: number, height: number, cal: Pick<Calibration, 'pixelX_A' | 'pixelY_A'>, zone: string): ZoneLattice | undefined {
  const cell = zoneCell(zone);
  const sx = cal.pixelX_A;
  const sy = cal.pixelY_A ?? cal.pixelX_A;
  const target = 1 / cell.a2_A;
  let best: { n: Vec2; p: number } | undefined;
  for (const pk of braggPeaks(data, width, height)) {
    const kx = pk.kx / sx;
    const ky = pk.ky / sy;
    const k = Math.hypot(kx, ky);
    if (Math.abs(k - target) > 0.1 * target) continue;
    if (!best || pk.p > best.p) best = { n: [kx / k, ky / k], p: pk.p };
  }
  if (!best) return undefined;
  const [nx, ny] = best.n;
  return { a1: [-ny * cell.a1_A, nx * cell.a1_A], a2: [nx * cell.a2_A, ny * cell.a2_A] };
}
