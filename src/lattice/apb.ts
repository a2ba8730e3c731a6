/**
 * Cationic antiphase boundary (APB): on one side of a plane the Li/M layer parity is flipped, so
 * Li and M planes meet across it; the O sublattice is continuous (every anion site stays O; each O
 * only moves along c toward the M layer of its own domain, by 2(z_O − ¼)c ≈ 0.24 Å at most).
 * Equivalently the far side is the layered structure translated by one rock-salt cation-layer
 * vector, which maps O sites onto O sites but Li layers onto M layers.
 *
 * With a periodic box, the flipped half-space also meets the pristine domain at the box face the
 * plane normal crosses (a second, image boundary at that face).
 */
import { InputError, checkFinite } from '../core/index.js';
import { millerNormal, parseMiller, type Miller } from './miller.js';
import { applyDomains, type SiteLattice } from './siteLattice.js';

export interface ApbSpec {
  /** Boundary plane, hexagonal Miller indices (not (00l): that would not make Li and M planes meet). */
  readonly plane: Miller | string;
  /** A point on the plane, box frame Å; default the box centre shifted by `offset_A` along the normal. */
  readonly point_A?: readonly [number, number, number];
  /** Signed shift of the plane along its normal from `point_A` (or the box centre), Å; default 0. */
  readonly offset_A?: number;
}

export interface ApbShape {
  readonly plane: Miller;
  /** Unit normal in the box frame; the flipped domain is (p − point)·normal > 0. */
  readonly normal_box: readonly [number, number, number];
  readonly point_A: readonly [number, number, number];
  /** Signed distance of a box position from the plane, Å. */
  distance_A(x: number, y: number, z: number): number;
}

/** Resolve an APB spec on a lattice. */
export function resolveApb(lattice: SiteLattice, spec: ApbSpec, field = 'apb'): ApbShape {
  const hkl = parseMiller(spec.plane as string, `${field}.plane`);
  if (hkl[0] === 0 && hkl[1] === 0) throw new InputError(`${field}.plane`, spec.plane, 'a plane not parallel to the layers (h, k not both 0), e.g. (1 -2 0) or (104)');
  const g = millerNormal(hkl, lattice.metric);
  const R = lattice.rotation;
  const nb = [0, 1, 2].map((a) => R[3 * a]! * g[0] + R[3 * a + 1]! * g[1] + R[3 * a + 2]! * g[2]);
  const len = Math.hypot(nb[0]!, nb[1]!, nb[2]!);
  const n: [number, number, number] = [nb[0]! / len, nb[1]! / len, nb[2]! / len];
  const L = lattice.cell_A;
  const base = spec.point_A ?? [L[0] / 2, L[1] / 2, L[2] / 2];
  base.forEach((x) => checkFinite(x, `${field}.point_A`, { unit: 'Å' }));
  const off = checkFinite(spec.offset_A ?? 0, `${field}.offset_A`, { unit: 'Å' });
  const point: [number, number, number] = [base[0]! + off * n[0], base[1]! + off * n[1], base[2]! + off * n[2]];
  const distance_A = (x: number, y: number, z: number) => (x - point[0]) * n[0] + (y - point[1]) * n[1] + (z - point[2]) * n[2];
  return { plane: hkl, normal_box: n, point_A: point, distance_A };
}

/** Flip the domain of every site on the positive side of the APB and update roles and O positions. Returns sites flipped. */
export function applyApb(lattice: SiteLattice, apb: ApbShape): number {
  let flipped = 0;
  const p = lattice.position_A;
  for (let t = 0; t < lattice.n; t++) {
    if (apb.distance_A(p[3 * t]!, p[3 * t + 1]!, p[3 * t + 2]!) > 0) {
      lattice.domain[t] = 1;
      flipped++;
    }
  }
  applyDomains(lattice);
  return flipped;
}
