/**
 * The starting lattice the fit gives the analysis of every frame, experimental and simulated alike: the
 * zone's projected cell (analyse `zoneCell`: a/2 along the layers × c/3 across them for [210]), oriented
 * by the frame's own strongest layer fringe (the Bragg peak nearest |g| = 3/c: the (003) fringe of the
 * heavy M rows, the strongest periodicity of a layered oxide edge-on). `analyseFrame` then refines it on
 * the columns. One construction for both sides of the comparison, and robust where the full Fourier
 * lattice estimate is not (small or noisy fields, where the weak in-plane a/2 peaks drown).
 */
import { InputError } from '../../core/index.js';
import { braggPeaks, zoneCell, type Calibration, type Vec2 } from '../analyse/index.js';

/** Zone lattice in Å, image coordinates, for `analyseFrame({ lattice_A })` (see module doc). */
export function zoneLattice(data: ArrayLike<number>, width: number, height: number, cal: Pick<Calibration, 'pixelX_A' | 'pixelY_A'>, zone: string): { a1: Vec2; a2: Vec2 } {
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
  if (!best) throw new InputError('image', `${width}×${height} px`, `a frame showing the layer fringe (period c/3 = ${cell.a2_A.toFixed(3)} Å) of the [${zone}] zone: check the pixel size and the zone`);
  const [nx, ny] = best.n;
  return { a1: [-ny * cell.a1_A, nx * cell.a1_A], a2: [nx * cell.a2_A, ny * cell.a2_A] };
}
