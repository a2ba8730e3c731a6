/**
 * Small test structures built directly as Atoms (no dependency on src/lattice builders).
 * LiNiO2, R-3m, hexagonal setting a = 2.878 Å, c = 14.19 Å, Ni 3a (0,0,0), Li 3b (0,0,½), O 6c (0,0,z≈0.2416)
 * (ICSD-type values for LiNiO2, e.g. Hirano et al., Solid State Ionics 78 (1995) 123: a = 2.878, c = 14.19 Å).
 * The [210] orthogonal cell: x ∥ b (a), y ∥ c (c), z ∥ 2a+b (a√3) (b·(2a+b) = 0 in the hexagonal metric).
 */
import type { Atoms } from '../../src/lattice/atoms.js';

export const LNO_A = 2.878;
export const LNO_C = 14.19;
const ZO = 0.2416;

interface Site { Z: number; f: [number, number, number]; label: number }

/** LiNiO2 viewed along [210]: repX × repY × repZ orthogonal cells; `niOnLi` fraction of Li sites given Ni (as occupancy mixing on every Li column). */
export function lno210(repX: number, repZ: number, niOnLi = 0, repY = 1): Atoms {
  const a = LNO_A, c = LNO_C;
  const A = [a, 0, 0], B = [-a / 2, (a * Math.sqrt(3)) / 2, 0];
  const ex = [-0.5, Math.sqrt(3) / 2, 0]; // b̂
  const ez = [Math.sqrt(3) / 2, 0.5, 0]; // (2a+b)^
  const Lx = a * repX, Ly = c * repY, Lz = a * Math.sqrt(3) * repZ;
  const basis: Site[] = [{ Z: 28, f: [0, 0, 0], label: 1 }, { Z: 3, f: [0, 0, 0.5], label: 0 }, { Z: 8, f: [0, 0, ZO], label: 2 }, { Z: 8, f: [0, 0, -ZO], label: 2 }];
  const centring = [[0, 0, 0], [2 / 3, 1 / 3, 1 / 3], [1 / 3, 2 / 3, 2 / 3]];
  const out: { Z: number; x: number; y: number; z: number; label: number; occ: number }[] = [];
  const seen = new Set<string>();
  const R = 4 * (repX + repZ) + 4;
  for (let u = -R; u <= R; u++) for (let v = -R; v <= R; v++) for (const cen of centring) for (const s of basis) for (let w = -1; w <= repY; w++) {
    const fu = u + cen[0]! + s.f[0], fv = v + cen[1]! + s.f[1], fw = w + cen[2]! + s.f[2];
    const px = fu * A[0]! + fv * B[0]!, py = fu * A[1]! + fv * B[1]!, pz = fw * c;
    const X = px * ex[0]! + py * ex[1]!, Z = px * ez[0]! + py * ez[1]!, Y = pz;
    const wrap = (q: number, L: number): number => { let r = q - Math.floor(q / L) * L; if (r > L - 1e-6 || r < 1e-6) r = 0; return r; };
    if (Y < -1e-6 || Y >= Ly - 1e-6) continue;
    const x = wrap(X, Lx), z = wrap(Z, Lz), y = Math.max(0, Y);
    const key = `${s.Z}:${x.toFixed(3)}:${y.toFixed(3)}:${z.toFixed(3)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ Z: s.Z, x, y, z, label: s.label, occ: 1 });
  }
  if (niOnLi > 0) {
    for (const at of out.filter((o) => o.Z === 3)) {
      at.occ = 1 - niOnLi;
      out.push({ Z: 28, x: at.x, y: at.y, z: at.z, label: 0, occ: niOnLi });
    }
  }
  return {
    n: out.length,
    Z: Uint8Array.from(out.map((o) => o.Z)),
    positions_A: Float64Array.from(out.flatMap((o) => [o.x, o.y, o.z])),
    cell_A: [Lx, Ly, Lz],
    occupancy: Float32Array.from(out.map((o) => o.occ)),
    label: Uint8Array.from(out.map((o) => o.label)),
    labels: ['Li-layer', 'M-layer', 'O'],
  };
}

/** Projected column positions (x, y) of a sublattice label, deduplicated. */
export function columns(atoms: Atoms, label: number): [number, number][] {
  const m = new Map<string, [number, number]>();
  for (let i = 0; i < atoms.n; i++) {
    if (atoms.label?.[i] !== label) continue;
    const x = atoms.positions_A[3 * i]!, y = atoms.positions_A[3 * i + 1]!;
    m.set(`${x.toFixed(2)},${y.toFixed(2)}`, [x, y]);
  }
  return [...m.values()].sort((p, q) => p[1] - q[1] || p[0] - q[0]);
}

/** One atom of element Z at (x, y, z) in a box. */
export function singleAtom(Z: number, box_A: number, thickness_A = 2): Atoms {
  return {
    n: 1, Z: Uint8Array.of(Z), positions_A: Float64Array.of(box_A / 2, box_A / 2, thickness_A / 2),
    cell_A: [box_A, box_A, thickness_A], occupancy: Float32Array.of(1),
  };
}
