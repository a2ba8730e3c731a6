/**
 * Nanopores: an ellipsoid, or a faceted polyhedron bounded by chosen {hkl} planes (each family
 * expanded by −3m symmetry, at a distance from the centre), carved out of a SiteLattice by setting
 * every site whose position lies inside to VOID (both sublattices). Geometry is in the box frame (Å).
 */
import { InputError, checkFinite } from '../core/index.js';
import { familyNormals, parseMiller, type Miller } from './miller.js';
import type { SiteLattice } from './siteLattice.js';
import { Species } from './species.js';

/** A facet family of a faceted pore. */
export interface FacetSpec {
  /** Hexagonal Miller indices, e.g. [0,0,3], [1,0,4], "012". */
  readonly hkl: Miller | string;
  /** Distance of these facets from the pore centre, Å (default: the pore radius along the facet normal). */
  readonly distance_A?: number;
}

/** Pore description (box frame). */
export interface PoreSpec {
  /**
   * Radius, Å: a sphere, or [rx, ry, rz] semi-axes along box x, y, z (ellipsoid). 0 = no pore.
   * A faceted pore circumscribes this ellipsoid: each facet lies at the ellipsoid's support distance
   * √Σ(r_a·n_a)² along its normal n (= r for a sphere) unless the facet gives `distance_A`.
   */
  readonly radius_A: number | readonly [number, number, number];
  /** 'ellipsoid' (default) or 'faceted'. */
  readonly shape?: 'ellipsoid' | 'faceted';
  /** Facet families of a faceted pore; default {003}, {104}, {012} all at the radius. */
  readonly facets?: readonly FacetSpec[];
  /** Centre, Å; default the box centre. */
  readonly centre_A?: readonly [number, number, number];
}

/** Default facet families: {003} (basal), {104} and {012}, the low-energy LiNiO2 facets (MODEL.md §4). */
export const DEFAULT_FACETS: readonly FacetSpec[] = Object.freeze([{ hkl: [0, 0, 3] }, { hkl: [1, 0, 4] }, { hkl: [0, 1, 2] }]);

/** A resolved pore: an `inside(x,y,z, grow_A)` test (grow_A enlarges it, for rim shells) and its extent. */
export interface PoreShape {
  readonly centre_A: readonly [number, number, number];
  readonly shape: 'ellipsoid' | 'faceted';
  /** Facet unit normals (box frame) and distances, Å (faceted only). */
  readonly planes: readonly { normal: readonly [number, number, number]; distance_A: number; hkl: Miller }[];
  /** Half-extent along box x, y, z, Å. */
  readonly halfExtent_A: readonly [number, number, number];
  inside(x: number, y: number, z: number, grow_A?: number): boolean;
  /** Support distance along a unit box-frame direction n: max over the pore of n·(p − centre), Å. */
  support_A(n: readonly [number, number, number]): number;
}

/** Minimum-image difference along a periodic axis. */
function mi(d: number, L: number, periodic: boolean): number {
  return periodic ? d - L * Math.round(d / L) : d;
}

/** Resolve a pore spec on a lattice, validating it (negative radius, pore not fitting the cell → InputError). */
export function resolvePore(lattice: SiteLattice, spec: PoreSpec, field = 'pore'): PoreShape {
  const rIn = spec.radius_A;
  const r = typeof rIn === 'number' ? [rIn, rIn, rIn] : [rIn[0], rIn[1], rIn[2]];
  r.forEach((x) => checkFinite(x, `${field}.radius_A`, { min: 0, unit: 'Å' }));
  const L = lattice.cell_A;
  const c = spec.centre_A ?? [L[0] / 2, L[1] / 2, L[2] / 2];
  c.forEach((x, a) => checkFinite(x, `${field}.centre_A`, { min: 0, max: L[a]!, unit: 'Å' }));
  const shape = spec.shape ?? 'ellipsoid';
  if (shape !== 'ellipsoid' && shape !== 'faceted') throw new InputError(`${field}.shape`, shape, 'ellipsoid or faceted');
  const R = lattice.rotation;
  const planes: { normal: [number, number, number]; distance_A: number; hkl: Miller }[] = [];
  let half: [number, number, number] = [r[0]!, r[1]!, r[2]!];
  if (shape === 'faceted') {
    for (const f of spec.facets ?? DEFAULT_FACETS) {
      const hkl = parseMiller(f.hkl as string, `${field}.facets.hkl`);
      if (f.distance_A !== undefined) checkFinite(f.distance_A, `${field}.facets.distance_A`, { min: 0, unit: 'Å' });
      for (const n of familyNormals(hkl, lattice.metric)) {
        const nb: [number, number, number] = [
          R[0]! * n[0] + R[1]! * n[1] + R[2]! * n[2],
          R[3]! * n[0] + R[4]! * n[1] + R[5]! * n[2],
          R[6]! * n[0] + R[7]! * n[1] + R[8]! * n[2],
        ];
        // Default distance: the support function of the ellipsoid (r for a sphere), so the facets
        // circumscribe it and stay crystallographic for anisotropic radii.
        const d = f.distance_A ?? Math.hypot(r[0]! * nb[0], r[1]! * nb[1], r[2]! * nb[2]);
        planes.push({ normal: nb, distance_A: d, hkl });
      }
    }
    half = polyhedronHalfExtent(planes, field);
  }
  for (const a of [0, 1] as const) {
    if (lattice.pbc[a] && !(r[0]! === 0 && r[1]! === 0 && r[2]! === 0) && 2 * half[a] >= L[a]) {
      throw new InputError(`${field}.radius_A`, rIn, `a pore narrower than the cell: 2·(half-extent ${half[a].toFixed(2)} Å along ${'xy'[a]}) < ${L[a].toFixed(2)} Å`);
    }
  }
  const empty = r[0]! === 0 && r[1]! === 0 && r[2]! === 0;
  const inside = (x: number, y: number, z: number, grow = 0): boolean => {
    if (empty) return false;
    const dx = mi(x - c[0]!, L[0], lattice.pbc[0]);
    const dy = mi(y - c[1]!, L[1], lattice.pbc[1]);
    const dz = mi(z - c[2]!, L[2], lattice.pbc[2]);
    if (shape === 'ellipsoid') {
      const a = r[0]! + grow;
      const b = r[1]! + grow;
      const e = r[2]! + grow;
      if (a <= 0 || b <= 0 || e <= 0) return false;
      return (dx / a) ** 2 + (dy / b) ** 2 + (dz / e) ** 2 <= 1;
    }
    for (const p of planes) if (dx * p.normal[0] + dy * p.normal[1] + dz * p.normal[2] > p.distance_A + grow) return false;
    return planes.length > 0;
  };
  const support_A = (n: readonly [number, number, number]): number => {
    if (empty) return 0;
    if (shape === 'ellipsoid') return Math.hypot(r[0]! * n[0], r[1]! * n[1], r[2]! * n[2]);
    return polyhedronSupport(planes, n);
  };
  return { centre_A: [c[0]!, c[1]!, c[2]!], shape, planes, halfExtent_A: half, inside, support_A };
}

/** Fibonacci-sphere direction s of N. */
function fibonacci(s: number, N: number): [number, number, number] {
  const z = 1 - (2 * (s + 0.5)) / N;
  const rho = Math.sqrt(1 - z * z);
  const phi = s * Math.PI * (3 - Math.sqrt(5));
  return [rho * Math.cos(phi), rho * Math.sin(phi), z];
}

/** Distance from the centre to the polyhedron boundary along unit u (Infinity if unbounded). */
function rayExit(planes: readonly { normal: readonly number[]; distance_A: number }[], u: readonly number[]): number {
  let t = Infinity;
  for (const p of planes) {
    const nu = p.normal[0]! * u[0]! + p.normal[1]! * u[1]! + p.normal[2]! * u[2]!;
    if (nu > 1e-9) t = Math.min(t, p.distance_A / nu);
  }
  return t;
}

/** Support distance of a bounded polyhedron along n (sampled boundary, 4000 rays). */
function polyhedronSupport(planes: readonly { normal: readonly number[]; distance_A: number }[], n: readonly number[]): number {
  let h = 0;
  for (let s = 0; s < 4000; s++) {
    const u = fibonacci(s, 4000);
    const t = rayExit(planes, u);
    h = Math.max(h, t * (n[0]! * u[0] + n[1]! * u[1] + n[2]! * u[2]));
  }
  return h;
}

/** Half-extent of {x : n_i·x ≤ d_i} along the box axes, from 4000 sampled directions; InputError if unbounded. */
function polyhedronHalfExtent(planes: readonly { normal: readonly number[]; distance_A: number }[], field: string): [number, number, number] {
  const half: [number, number, number] = [0, 0, 0];
  const N = 4000;
  for (let s = 0; s < N; s++) {
    const u = fibonacci(s, N);
    const t = rayExit(planes, u);
    if (!Number.isFinite(t) || t > 1e6) throw new InputError(`${field}.facets`, planes.length, 'facet families that enclose a bounded pore (e.g. {003} with {104} or {012})');
    for (let a = 0; a < 3; a++) half[a] = Math.max(half[a]!, t * Math.abs(u[a]!));
  }
  return half;
}

/** Set every site inside the pore to VOID; returns the number of sites removed. */
export function carvePore(lattice: SiteLattice, pore: PoreShape): number {
  let removed = 0;
  const p = lattice.position_A;
  for (let t = 0; t < lattice.n; t++) {
    if (!pore.inside(p[3 * t]!, p[3 * t + 1]!, p[3 * t + 2]!)) continue;
    if (lattice.species[t] !== Species.VOID) removed++;
    lattice.species[t] = Species.VOID;
  }
  return removed;
}
