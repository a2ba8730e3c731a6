/**
 * Pixel masks of the observable regions in the image plane (at the lamella's mid-depth): the
 * pore-rim annulus, the APB zone, and bulk away from both. For the inset profiles.
 */
import type { Lamella } from '../../lattice/index.js';

/** Image geometry: pixel (i, j) is centred at origin + (i·sx, j·sy), Å. */
export interface PixelGrid {
  width: number;
  height: number;
  sampling_A: number;
  samplingY_A: number;
  origin_A: readonly [number, number];
}

/** Region masks (1 = in region) and pixel counts. */
export interface RegionMasks {
  rim: Uint8Array;
  apb: Uint8Array;
  bulk: Uint8Array;
}

/**
 * Masks for rim (within rim_A of the pore surface, outside the pore), APB zone and bulk. Rim and
 * bulk lie in the pore's antiphase domain outside the APB zone. The APB
 * zone is one antiphase domain only (the side away from the pore centre, 0 < |d| ≤ apb_A) and
 * within 4·rim_A of the pore surface, so that its layer profile is not the average of two
 * domains with swapped Li/M planes.
 */
export function regionMasks(lamella: Lamella, g: PixelGrid, rim_A = 6, apb_A = 5): RegionMasks {
  const n = g.width * g.height;
  const rim = new Uint8Array(n);
  const apb = new Uint8Array(n);
  const bulk = new Uint8Array(n);
  const zc = lamella.lattice.cell_A[2] / 2;
  const pore = lamella.pore;
  const plane = lamella.apb;
  const sideSign = plane && pore ? -Math.sign(plane.distance_A(pore.centre_A[0], pore.centre_A[1], zc) || 1) : 1;
  for (let j = 0; j < g.height; j++) {
    const y = g.origin_A[1] + j * g.samplingY_A;
    for (let i = 0; i < g.width; i++) {
      const x = g.origin_A[0] + i * g.sampling_A;
      const k = j * g.width + i;
      const inPore = pore ? pore.inside(x, y, zc, 0) : false;
      const nearPore = pore ? pore.inside(x, y, zc, rim_A) : false;
      const ds = plane ? plane.distance_A(x, y, zc) : Infinity;
      const d = Math.abs(ds);
      // Rim and bulk: the pore's own antiphase domain, away from the APB zone (one layer phase each).
      const poreSide = !plane || ds * sideSign < 0;
      if (nearPore && !inPore && poreSide && d > apb_A) rim[k] = 1;
      const nearPoreApb = pore ? pore.inside(x, y, zc, 4 * rim_A) : true;
      if (!inPore && nearPoreApb && d <= apb_A && ds * sideSign > 0) apb[k] = 1;
      const farPore = pore ? !pore.inside(x, y, zc, 3 * rim_A) : true;
      if (farPore && poreSide && d > 2 * apb_A) bulk[k] = 1;
    }
  }
  return { rim, apb, bulk };
}
