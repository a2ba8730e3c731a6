/**
 * `SiteLattice`: the integer parent-lattice view of a structure, what the kinetics runs on.
 *
 * Struct of arrays over n sites inside an orthogonal box (beam along z). Every site of the parent
 * rock-salt lattice inside the box is present, including void (pore) sites, so that the kinetics
 * can move matter into a pore; `toAtoms` drops void and vacant sites when expanding for imaging.
 *
 * The box is spanned by integer parent vectors `supercell` (rows: box x, y, z), so a site belongs
 * to the box iff its coordinates along them lie in [0, 1). This makes periodic wrapping exact:
 * subtract whole rows of `supercell` (see `SiteIndex`).
 */
import { checkFinite, guardSize, InputError } from '../core/index.js';
import { Species } from './species.js';
import { anionShift_A, checkMetric, layerOf, roleOf, type LayeredMetric, type SiteRoleId } from './parent.js';
import { parseZone, zoneFrame, zonePeriodsIjk, type ZoneAxis } from './zone.js';

export interface SiteLattice {
  /** Number of sites. */
  readonly n: number;
  /** Hexagonal metric used for positions. */
  readonly metric: LayeredMetric;
  /** Zone axis along box z. */
  readonly zone: ZoneAxis;
  /** Parent integer coordinates, interleaved i,j,k (length 3n); see parent.ts. */
  readonly ijk: Int32Array;
  /** 0 cation (octahedral), 1 anion. */
  readonly sublattice: Uint8Array;
  /** Cation layer index L = floor((i+j+k)/2) (anions: the cation layer just below). */
  readonly layer: Int32Array;
  /** SiteRole per site in the as-built structure: Li-layer cation, M-layer cation or anion (APB domains included). */
  readonly role: Uint8Array;
  /** Antiphase domain per site: 0 pristine parity (L even = M layer), 1 flipped. */
  readonly domain: Uint8Array;
  /** Species id per site (species.ts); mutable by the kinetics. */
  readonly species: Uint8Array;
  /** Cartesian positions in the box, Å, interleaved x,y,z (length 3n), in [0, cell_A). */
  readonly position_A: Float64Array;
  /** Orthogonal box edges, Å. */
  readonly cell_A: readonly [number, number, number];
  /** Periodicity per box axis (default x, y periodic; z free: lamella surfaces). */
  readonly pbc: readonly [boolean, boolean, boolean];
  /** Row-major 3×3 integers: rows are the parent vectors spanning box x, y, z (whole supercell). */
  readonly supercell: Int32Array;
  /** Repetitions of the zone's primitive orthogonal cell along x, y, z. */
  readonly repeats: readonly [number, number, number];
  /** Row-major rotation hexagonal Cartesian → box (row a = box axis a). */
  readonly rotation: Float64Array;
  /** Box axis parallel to hexagonal c. */
  readonly cAxis: number;
}

/** Options of `buildSupercell`. */
export interface SupercellOptions {
  readonly metric: LayeredMetric;
  /** Zone axis along the beam (box z). Default '210'. */
  readonly zone?: ZoneAxis | string;
  /** Lateral size, Å: one number (square) or [x, y]; rounded to whole periods (≥ 1). */
  readonly size_A: number | readonly [number, number];
  /** Thickness along the beam, Å; rounded to whole periods (≥ 1). */
  readonly thickness_A: number;
  /** Periodicity per axis; default [true, true, false]. */
  readonly pbc?: readonly [boolean, boolean, boolean];
}

/** Repetitions for a target length: nearest whole number of periods, at least one. */
export function repeatsFor(length_A: number, period_A: number): number {
  return Math.max(1, Math.round(length_A / period_A));
}

function det3(m: readonly number[]): number {
  return (
    m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) - m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) + m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!)
  );
}

/**
 * Integer "fractional numerators" of the box: rows A with A·ijk = D·f, f ∈ [0,1)³ inside the box.
 * D > 0 is |det(supercell)| = number of parent sites in the box.
 */
export function boxInverse(supercell: ArrayLike<number>): { A: Int32Array; D: number } {
  const t = Array.from(supercell);
  const d = det3(t);
  if (d === 0) throw new InputError('supercell', t, 'three independent lattice vectors');
  // f = ijk · T⁻¹ ⇒ f_a = Σ_b ijk_b (T⁻¹)_{b a}; T⁻¹ = adj(T)/det. Row a of A is column a of adj(T).
  const adj = [
    t[4]! * t[8]! - t[5]! * t[7]!, t[2]! * t[7]! - t[1]! * t[8]!, t[1]! * t[5]! - t[2]! * t[4]!,
    t[5]! * t[6]! - t[3]! * t[8]!, t[0]! * t[8]! - t[2]! * t[6]!, t[2]! * t[3]! - t[0]! * t[5]!,
    t[3]! * t[7]! - t[4]! * t[6]!, t[1]! * t[6]! - t[0]! * t[7]!, t[0]! * t[4]! - t[1]! * t[3]!,
  ];
  const sg = d > 0 ? 1 : -1;
  const A = new Int32Array(9);
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) A[3 * a + b] = sg * adj[3 * b + a]!;
  return { A, D: Math.abs(d) };
}

/** Peak bytes per site while a SiteLattice is built (its typed arrays and the builder's temporaries; measured 69). */
export const SITE_LATTICE_BYTES_PER_SITE = 80;

/**
 * Build the pristine layered supercell: every parent site in the box, O on anion sites, Li on
 * Li-layer sites, Ni3+ on M-layer sites (assign a composition with `occupy`).
 */
export function buildSupercell(opts: SupercellOptions): SiteLattice {
  const metric = checkMetric(opts.metric);
  const zone = typeof opts.zone === 'string' || opts.zone === undefined ? parseZone(opts.zone ?? '210') : opts.zone;
  const size = typeof opts.size_A === 'number' ? [opts.size_A, opts.size_A] : opts.size_A;
  checkFinite(size[0]!, 'size_A', { min: 0, exclusiveMin: true, unit: 'Å' });
  checkFinite(size[1]!, 'size_A', { min: 0, exclusiveMin: true, unit: 'Å' });
  checkFinite(opts.thickness_A, 'thickness_A', { min: 0, exclusiveMin: true, unit: 'Å' });
  const frame = zoneFrame(zone, metric);
  const repeats: [number, number, number] = [
    repeatsFor(size[0]!, frame.period_A[0]),
    repeatsFor(size[1]!, frame.period_A[1]),
    repeatsFor(opts.thickness_A, frame.period_A[2]),
  ];
  const periods = zonePeriodsIjk(zone);
  const supercell = new Int32Array(9);
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) supercell[3 * a + b] = periods[a]![b]! * repeats[a]!;
  const { A, D } = boxInverse(supercell);
  // Refused before anything of that size is allocated (callers guard their own larger footprints, e.g. the kinetics).
  guardSize({ field: 'size_A', value: { size_A: size, thickness_A: opts.thickness_A }, what: 'lattice sites', count: D, bytesEach: SITE_LATTICE_BYTES_PER_SITE, maxCount: 2 ** 31 - 1, maxReason: '32-bit site indices' });
  const cell: [number, number, number] = [frame.period_A[0] * repeats[0], frame.period_A[1] * repeats[1], frame.period_A[2] * repeats[2]];

  // Bounding box of the parallelepiped in (i, j); k solved per (i, j) from the three constraints.
  const lo = [0, 0, 0];
  const hi = [0, 0, 0];
  for (let c = 0; c < 8; c++) {
    for (let b = 0; b < 3; b++) {
      let v = 0;
      for (let a = 0; a < 3; a++) if ((c >> a) & 1) v += supercell[3 * a + b]!;
      lo[b] = Math.min(lo[b]!, v);
      hi[b] = Math.max(hi[b]!, v);
    }
  }
  const ijk = new Int32Array(3 * D);
  const position = new Float64Array(3 * D);
  let n = 0;
  for (let i = lo[0]!; i <= hi[0]!; i++) {
    for (let j = lo[1]!; j <= hi[1]!; j++) {
      let kMin = lo[2]!;
      let kMax = hi[2]!;
      for (let a = 0; a < 3 && kMin <= kMax; a++) {
        const p = A[3 * a]! * i + A[3 * a + 1]! * j;
        const q = A[3 * a + 2]!;
        if (q === 0) {
          if (p < 0 || p > D - 1) kMax = kMin - 1;
        } else if (q > 0) {
          kMin = Math.max(kMin, Math.ceil(-p / q));
          kMax = Math.min(kMax, Math.floor((D - 1 - p) / q));
        } else {
          kMin = Math.max(kMin, Math.ceil((D - 1 - p) / q));
          kMax = Math.min(kMax, Math.floor(-p / q));
        }
      }
      for (let k = kMin; k <= kMax; k++) {
        ijk[3 * n] = i;
        ijk[3 * n + 1] = j;
        ijk[3 * n + 2] = k;
        for (let a = 0; a < 3; a++) position[3 * n + a] = ((A[3 * a]! * i + A[3 * a + 1]! * j + A[3 * a + 2]! * k) / D) * cell[a]!;
        n++;
      }
    }
  }
  if (n !== D) throw new Error(`internal: enumerated ${n} sites, expected ${D}`);
  const sublattice = new Uint8Array(n);
  const layer = new Int32Array(n);
  const role = new Uint8Array(n);
  const species = new Uint8Array(n);
  for (let t = 0; t < n; t++) {
    const s = ijk[3 * t]! + ijk[3 * t + 1]! + ijk[3 * t + 2]!;
    sublattice[t] = s & 1;
    layer[t] = layerOf(s);
    const r = roleOf(s, 0);
    role[t] = r;
    species[t] = r === 2 ? Species.O : r === 1 ? Species.NI3 : Species.LI;
    position[3 * t + frame.cAxis] = position[3 * t + frame.cAxis]! + anionShift_A(s, metric, 0);
  }
  return {
    n, metric, zone, ijk, sublattice, layer, role, domain: new Uint8Array(n), species, position_A: position,
    cell_A: cell, pbc: opts.pbc ?? [true, true, false], supercell, repeats, rotation: frame.rotation, cAxis: frame.cAxis,
  };
}

/** Site role as the SiteRoleId type. */
export function siteRole(lattice: SiteLattice, site: number): SiteRoleId {
  return lattice.role[site]! as SiteRoleId;
}

/**
 * Recompute roles and O positions after the antiphase `domain` array changed (APB): cation roles
 * follow the domain parity; each O moves toward the M layer of its own domain. O sites stay O.
 */
export function applyDomains(lattice: SiteLattice): void {
  const { ijk, role, domain, position_A, metric, cAxis, supercell, cell_A } = lattice;
  const { A, D } = boxInverse(supercell);
  for (let t = 0; t < lattice.n; t++) {
    const i = ijk[3 * t]!;
    const j = ijk[3 * t + 1]!;
    const k = ijk[3 * t + 2]!;
    const s = i + j + k;
    const par = domain[t]!;
    role[t] = roleOf(s, par);
    const f = (A[3 * cAxis]! * i + A[3 * cAxis + 1]! * j + A[3 * cAxis + 2]! * k) / D;
    position_A[3 * t + cAxis] = f * cell_A[cAxis]! + anionShift_A(s, metric, par);
  }
}
