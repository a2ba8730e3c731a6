/**
 * The rock-salt parent lattice of layered R-3m LiMO2 and its exact map to Cartesian Å.
 *
 * Integer coordinates (i, j, k) count half cubic edges a_c/2 of the rock-salt parent. Cation
 * (octahedral) sites have i+j+k even, anion sites i+j+k odd. The height index s = i+j+k runs along
 * cubic [111] ∥ hexagonal c: cation (111) layer L = s/2, the anion layer with odd s sits between the
 * cation layers (s−1)/2 and (s+1)/2.
 *
 * Layer parity (pristine, R-3m hexagonal setting with M at 3a (0,0,0), Li at 3b (0,0,½)):
 *   L even → M (transition-metal) layer, L odd → Li layer.
 * A cationic antiphase boundary flips this parity on one side (see `mLayerParity`).
 *
 * The map to the hexagonal Cartesian frame (x ∥ a1, z ∥ c), in the real metric (a, c, z_O):
 *   hexagonal fractional u = (2i − j − k)/3, v = (i + j − 2k)/3,   w = s/12 + δ_O/c
 *   x = a·(u − v/2), y = a·(√3/2)·v, z = c·s/12 + δ_O
 * so a1 = (1,−1,0), a2 = (0,1,−1) and c = (4,4,4) in (i,j,k). δ_O = ±(z_O − ¼)·c moves each O
 * toward its M layer (Li–O longer than M–O, as in R-3m with z_O > ¼); cations have δ = 0.
 * In the ideal cubic metric (c/a = 2√6, z_O = ¼) this is the rock-salt lattice with a_c = √2·a.
 */
import { InputError, checkFinite } from '../core/index.js';

/** Hexagonal metric of the layered structure (R-3m, hexagonal axes). */
export interface LayeredMetric {
  /** In-plane lattice parameter a, Å (nearest cation–cation distance in a layer). */
  readonly a_A: number;
  /** Hexagonal c, Å (three Li and three M layers). */
  readonly c_A: number;
  /** Fractional z of O at 6c (0,0,z); ¼ = ideal rock salt. */
  readonly zO: number;
}

/**
 * LiNiO2, R-3m: a = 2.878 Å, c = 14.19 Å, z_O = 0.2586 (MODEL.md §2; cf. ICSD/Materials Project
 * mp-25411 LiNiO2 a ≈ 2.87–2.88 Å, c ≈ 14.19–14.20 Å).
 */
export const LINIO2_METRIC: LayeredMetric = Object.freeze({ a_A: 2.878, c_A: 14.19, zO: 0.2586 });

/** NCM851005 Li(Ni0.85Co0.10Mn0.05)O2, R-3m: a = 2.872 Å, c = 14.20 Å, z_O = 0.2586 (MODEL.md §2). */
export const NCM851005_METRIC: LayeredMetric = Object.freeze({ a_A: 2.872, c_A: 14.2, zO: 0.2586 });

/** Site roles on the parent lattice. */
export const SiteRole = {
  /** Cation site in a Li layer (3b) of the (local) layered order. */
  LI_LAYER: 0,
  /** Cation site in a transition-metal layer (3a). */
  M_LAYER: 1,
  /** Anion (O, 6c) site. */
  ANION: 2,
} as const;
export type SiteRoleId = (typeof SiteRole)[keyof typeof SiteRole];

/** Check a metric and return it. */
export function checkMetric(m: LayeredMetric, field = 'metric'): LayeredMetric {
  checkFinite(m.a_A, `${field}.a_A`, { min: 0, exclusiveMin: true, unit: 'Å' });
  checkFinite(m.c_A, `${field}.c_A`, { min: 0, exclusiveMin: true, unit: 'Å' });
  // |z_O − ¼| < 1/24 keeps each O nearer its own ideal layer than the next (needed by cartesianToParent).
  checkFinite(m.zO, `${field}.zO`, { min: 0.21, max: 0.29 });
  return m;
}

/** Floor division for integers (works for negatives). */
export function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/** Cation layer index L of a site of height s = i+j+k: s/2 for cations, (s−1)/2 for anions (the layer below). */
export function layerOf(s: number): number {
  return floorDiv(s, 2);
}

/**
 * Role of a site of height s: cation layer L is an M layer when (L + mLayerParity) is even.
 * mLayerParity = 0 is the pristine R-3m setting; 1 is the antiphase domain (Li and M swapped).
 */
export function roleOf(s: number, mLayerParity = 0): SiteRoleId {
  if ((s & 1) !== 0) return SiteRole.ANION;
  return ((layerOf(s) + mLayerParity) & 1) === 0 ? SiteRole.M_LAYER : SiteRole.LI_LAYER;
}

/**
 * O displacement along c, Å, for the anion of height s (odd): toward whichever neighbouring cation
 * layer is the M layer, by (z_O − ¼)·c. Zero for cations.
 */
export function anionShift_A(s: number, metric: LayeredMetric, mLayerParity = 0): number {
  if ((s & 1) === 0) return 0;
  const d = (metric.zO - 0.25) * metric.c_A;
  const below = layerOf(s); // cation layer just below this anion layer
  return ((below + mLayerParity) & 1) === 0 ? -d : d;
}

/**
 * Exact map (i,j,k) → hexagonal Cartesian Å (x ∥ a1, z ∥ c), including the O displacement.
 * Writes into `out` (length ≥ 3) when given.
 */
export function parentToCartesian(
  i: number,
  j: number,
  k: number,
  metric: LayeredMetric,
  mLayerParity = 0,
  out: Float64Array | number[] = new Float64Array(3),
): Float64Array | number[] {
  const s = i + j + k;
  const u = (2 * i - j - k) / 3;
  const v = (i + j - 2 * k) / 3;
  out[0] = metric.a_A * (u - v / 2);
  out[1] = metric.a_A * (Math.sqrt(3) / 2) * v;
  out[2] = (metric.c_A * s) / 12 + anionShift_A(s, metric, mLayerParity);
  return out;
}

/**
 * Inverse of `parentToCartesian`: hexagonal Cartesian Å → the nearest parent site (i,j,k).
 * Exact for any position within ±a/4 (in-plane) and ±c/48 (along c) of a site (after removing δ_O);
 * in particular parentToCartesian → cartesianToParent returns the same integers.
 */
export function cartesianToParent(
  x: number,
  y: number,
  z: number,
  metric: LayeredMetric,
  mLayerParity = 0,
): [number, number, number] {
  // Height index: the s (among the nearest three) whose ideal height, after its own O shift, is closest.
  const s0 = Math.round((12 * z) / metric.c_A);
  let s = s0;
  let best = Infinity;
  for (let c = s0 - 1; c <= s0 + 1; c++) {
    const err = Math.abs(z - anionShift_A(c, metric, mLayerParity) - (metric.c_A * c) / 12);
    if (err < best) {
      best = err;
      s = c;
    }
  }
  const v = y / (metric.a_A * (Math.sqrt(3) / 2));
  const u = x / metric.a_A + v / 2;
  // u = (2i−j−k)/3, v = (i+j−2k)/3, s = i+j+k  ⇒  i = u + s/3, k = (s − 3v)/3, j = s − i − k.
  const i = Math.round(u + s / 3);
  const k = Math.round((s - 3 * v) / 3);
  const j = s - i - k;
  if (!Number.isFinite(i + j + k)) throw new InputError('position_A', [x, y, z], 'finite Cartesian coordinates in Å');
  return [i + 0, j + 0, k + 0]; // + 0 turns −0 into 0
}

/** Nearest-neighbour offsets (other sublattice, octahedral): ±e_i, 6 of them, distance a_c/2. */
export const FIRST_SHELL: readonly (readonly [number, number, number])[] = Object.freeze([
  [1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1],
] as const);

/**
 * Second-shell offsets (same sublattice, edge-sharing octahedra): the 12 fcc vectors (±1,±1,0)
 * and permutations. The first six are in-plane (Δs = 0), then three up (Δs = +2) and three down.
 */
export const SECOND_SHELL: readonly (readonly [number, number, number])[] = Object.freeze([
  [1, -1, 0], [-1, 1, 0], [0, 1, -1], [0, -1, 1], [1, 0, -1], [-1, 0, 1],
  [1, 1, 0], [1, 0, 1], [0, 1, 1],
  [-1, -1, 0], [-1, 0, -1], [0, -1, -1],
] as const);

/** Integer parent-lattice vectors of the hexagonal cell: a1, a2, c. */
export const HEX_A1_IJK = Object.freeze([1, -1, 0] as const);
export const HEX_A2_IJK = Object.freeze([0, 1, -1] as const);
export const HEX_C_IJK = Object.freeze([4, 4, 4] as const);
