/**
 * Box frame ↔ parent integers for a SiteLattice (the box is the hexagonal Cartesian frame rotated by
 * `lattice.rotation`, with its origin at parent site (0,0,0)).
 */
import { cartesianToParent, parentToCartesian } from './parent.js';
import type { SiteLattice } from './siteLattice.js';

/** Box position, Å, of parent site (i,j,k) in antiphase domain `domain` (no periodic wrapping). */
export function parentToBox(lattice: SiteLattice, i: number, j: number, k: number, domain = 0): [number, number, number] {
  const h = parentToCartesian(i, j, k, lattice.metric, domain);
  const R = lattice.rotation;
  return [
    R[0]! * h[0]! + R[1]! * h[1]! + R[2]! * h[2]!,
    R[3]! * h[0]! + R[4]! * h[1]! + R[5]! * h[2]!,
    R[6]! * h[0]! + R[7]! * h[1]! + R[8]! * h[2]!,
  ];
}

/** Parent site (i,j,k) nearest to a box position, Å (inverse of parentToBox; no wrapping). */
export function boxToParent(lattice: SiteLattice, x: number, y: number, z: number, domain = 0): [number, number, number] {
  const R = lattice.rotation;
  // Rᵀ·p: R is orthonormal.
  const hx = R[0]! * x + R[3]! * y + R[6]! * z;
  const hy = R[1]! * x + R[4]! * y + R[7]! * z;
  const hz = R[2]! * x + R[5]! * y + R[8]! * z;
  return cartesianToParent(hx, hy, hz, lattice.metric, domain);
}
