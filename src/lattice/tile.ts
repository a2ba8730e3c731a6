/** Repeat Atoms along the box axes (a supercell of an orthogonal cell). */
import { InputError } from '../core/index.js';
import type { Atoms } from './atoms.js';

/** Tile `atoms` nx × ny × nz times (positive integers); labels, occupancy and B are copied. */
export function tileAtoms(atoms: Atoms, repeats: readonly [number, number, number]): Atoms {
  if (!repeats.every((r) => Number.isInteger(r) && r >= 1)) throw new InputError('repeats', repeats, 'three positive integers');
  const [nx, ny, nz] = repeats;
  const m = nx * ny * nz;
  const n = atoms.n * m;
  const Z = new Uint8Array(n);
  const pos = new Float64Array(3 * n);
  const occ = new Float32Array(n);
  const label = atoms.label ? new Uint8Array(n) : undefined;
  const B = atoms.debyeWallerB_A2 ? new Float32Array(n) : undefined;
  const [a, b, c] = atoms.cell_A;
  let k = 0;
  for (let iz = 0; iz < nz; iz++)
    for (let iy = 0; iy < ny; iy++)
      for (let ix = 0; ix < nx; ix++)
        for (let i = 0; i < atoms.n; i++, k++) {
          Z[k] = atoms.Z[i]!;
          pos[3 * k] = atoms.positions_A[3 * i]! + ix * a;
          pos[3 * k + 1] = atoms.positions_A[3 * i + 1]! + iy * b;
          pos[3 * k + 2] = atoms.positions_A[3 * i + 2]! + iz * c;
          occ[k] = atoms.occupancy[i]!;
          if (label) label[k] = atoms.label![i]!;
          if (B) B[k] = atoms.debyeWallerB_A2![i]!;
        }
  return {
    n, Z, positions_A: pos, cell_A: [a * nx, b * ny, c * nz], occupancy: occ,
    ...(label && atoms.labels ? { label, labels: atoms.labels } : {}),
    ...(B ? { debyeWallerB_A2: B } : {}),
  };
}
