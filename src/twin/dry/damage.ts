/**
 * Drying damage of one frame, read from its species on the lattice and from the one observable set
 * (`src/kinetics/ncm/observables.ts`):
 *
 * | quantity | what | how |
 * |---|---|---|
 * | `rimRockSaltDepth_A` | rock-salt layer below the pore surfaces, Å | equivalent thickness Σ_bins f(d)·Δd of the rock-salt-like fraction f of cation sites at depth d below the initial pore surface |
 * | `surfaceRockSaltDepth_A` | the same below the free lamella faces | (only with `surfaces: free`) |
 * | `nearSurfaceTransformed_pct` | transformed fraction of the near-surface volume, % | rock-salt-like cation sites / cation sites within `nearSurface_A` of any initial surface |
 * | `oxygenLoss_molPct` | O lost, mol % of the lamella's O | observable `vO.all` (O vacancies / O sites of the lamella) |
 * | `rimTmOnLi_pct` | TM on Li-layer sites at the pore rim, % | observable `tmOnLi.rim` |
 * | `ni0_pct` | Ni⁰, % of the lamella's cation sites | observable `ni0.all` (formed only below the Ni/NiO line) |
 *
 * "Rock-salt-like" is the observable set's per-site criterion (`isLocalRockSalt`: the site's window has
 * lost the Li/M layer contrast). Depth is the Euclidean distance (minimum image) from a site to the
 * nearest initial void site, less half a first-shell bond, or to the outermost atomic plane of a free
 * face, plus half a plane spacing: the outermost layer sits at about 1 Å. An equivalent thickness is
 * exact for a sharp layer of any curvature and is the volume-weighted reading of a graded one.
 */
import { Species } from '../../lattice/species.js';
import { isLocalRockSalt, neighbour1, neighbour2, type NcmLattice, type Observables } from '../../kinetics/ncm/index.js';

/** Names of the damage quantities (map.csv column stems). */
export type DamageQuantityName = 'rimRockSaltDepth_A' | 'surfaceRockSaltDepth_A' | 'nearSurfaceTransformed_pct' | 'oxygenLoss_molPct' | 'rimTmOnLi_pct' | 'ni0_pct';

/** One damage quantity: name (with unit), unit, kind, label for reports. */
export interface DamageQuantity {
  readonly name: DamageQuantityName;
  readonly unit: string;
  readonly kind: 'length' | 'percent';
  readonly label: string;
}

/** The damage quantities, in map.csv column order. */
export const DAMAGE_QUANTITIES: readonly DamageQuantity[] = [
  { name: 'rimRockSaltDepth_A', unit: 'Å', kind: 'length', label: 'rock-salt depth at the pore surfaces' },
  { name: 'surfaceRockSaltDepth_A', unit: 'Å', kind: 'length', label: 'rock-salt depth at the free surfaces' },
  { name: 'nearSurfaceTransformed_pct', unit: '%', kind: 'percent', label: 'transformed fraction of the near-surface volume' },
  { name: 'oxygenLoss_molPct', unit: 'mol %', kind: 'percent', label: "O lost, mol % of the lamella's O" },
  { name: 'rimTmOnLi_pct', unit: '%', kind: 'percent', label: 'TM on Li-layer sites at the pore rim' },
  { name: 'ni0_pct', unit: '%', kind: 'percent', label: "Ni⁰ (% of the lamella's cation sites)" },
];

/** Damage values of one frame (NaN where a quantity does not apply). */
export type DamageValues = Record<DamageQuantityName, number>;

/** Width of the depth bins of the equivalent thickness, Å (about one cation–O spacing). */
export const DEPTH_BIN_A = 2;

/** Box geometry for minimum-image distances (an orthogonal cell, as src/lattice builds). */
export interface BoxGeometry {
  readonly cell_A: readonly [number, number, number];
  readonly pbc: readonly [boolean, boolean, boolean];
}

/** Per-lattice geometry of the damage read-out, computed once from the initial state. */
export interface DamageGeometry {
  /** Depth bin (DEPTH_BIN_A) of each cation site below the pore surfaces, −1 if none (anion, void, no pore). */
  readonly poreBin: Int32Array;
  /** Same below the free faces. */
  readonly faceBin: Int32Array;
  readonly poreBins: number;
  readonly faceBins: number;
  /** 1 for cation sites within `nearSurface_A` of an initial surface. */
  readonly nearSurface: Uint8Array;
  /** Which quantities apply (a pore; free faces). */
  readonly hasPore: boolean;
  readonly hasFaces: boolean;
}

const NB1 = 6;
const NB2 = 12;

/** Binary min-heap of (key, site). */
class Heap {
  private k: number[] = [];
  private v: number[] = [];
  get size(): number {
    return this.k.length;
  }
  push(key: number, val: number): void {
    const k = this.k, v = this.v;
    let i = k.length;
    k.push(key);
    v.push(val);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (k[p]! <= key) break;
      k[i] = k[p]!;
      v[i] = v[p]!;
      i = p;
    }
    k[i] = key;
    v[i] = val;
  }
  pop(): [number, number] {
    const k = this.k, v = this.v;
    const top: [number, number] = [k[0]!, v[0]!];
    const lk = k.pop()!, lv = v.pop()!;
    const n = k.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const c = l + 1 < n && k[l + 1]! < k[l]! ? l + 1 : l;
        if (k[c]! >= lk) break;
        k[i] = k[c]!;
        v[i] = v[c]!;
        i = c;
      }
      k[i] = lk;
      v[i] = lv;
    }
    return top;
  }
}

/**
 * Euclidean distance (Å, minimum image) from every site to the nearest source site: nearest-source
 * propagation over the first- and second-shell graph (a graph distance transform, Danielsson-style),
 * exact where the nearest source is reached through sites that share it. Non-finite where unreachable.
 */
export function distanceToSources_A(lat: NcmLattice, isSource: (s: number) => boolean, box: BoxGeometry): Float64Array {
  const n = lat.n;
  const P = lat.positions_A;
  const L = box.cell_A;
  const dist = new Float64Array(n).fill(Infinity);
  const src = new Int32Array(n).fill(-1);
  const heap = new Heap();
  const d2 = (a: number, b: number) => {
    let s = 0;
    for (let c = 0; c < 3; c++) {
      let d = P[3 * a + c]! - P[3 * b + c]!;
      if (box.pbc[c]) d -= L[c]! * Math.round(d / L[c]!);
      s += d * d;
    }
    return Math.sqrt(s);
  };
  for (let s = 0; s < n; s++) {
    if (isSource(s)) {
      dist[s] = 0;
      src[s] = s;
      heap.push(0, s);
    }
  }
  while (heap.size > 0) {
    const [key, s] = heap.pop();
    if (key > dist[s]!) continue;
    const origin = src[s]!;
    for (let k = 0; k < NB1 + NB2; k++) {
      const x = k < NB1 ? neighbour1(lat, s, k) : neighbour2(lat, s, k - NB1);
      if (x < 0) continue;
      const d = d2(x, origin);
      if (d < dist[x]! - 1e-12) {
        dist[x] = d;
        src[x] = origin;
        heap.push(d, x);
      }
    }
  }
  return dist;
}

/** Mean first-shell (cation–O) distance, Å. */
function firstShell_A(lat: NcmLattice, box: BoxGeometry): number {
  const P = lat.positions_A;
  let sum = 0, n = 0;
  for (let s = 0; s < lat.n && n < 600; s++) {
    for (let k = 0; k < NB1; k++) {
      const x = neighbour1(lat, s, k);
      if (x < 0) continue;
      let q = 0;
      for (let c = 0; c < 3; c++) {
        let d = P[3 * s + c]! - P[3 * x + c]!;
        if (box.pbc[c]) d -= box.cell_A[c]! * Math.round(d / box.cell_A[c]!);
        q += d * d;
      }
      sum += Math.sqrt(q);
      n++;
    }
  }
  return n ? sum / n : 2.03;
}

/** Damage geometry from the initial species (void = pore; open axes = free faces). */
export function damageGeometry(lat: NcmLattice, species0: Uint8Array, box: BoxGeometry, nearSurface_A: number): DamageGeometry {
  const n = lat.n;
  const isMatter = (s: number) => species0[s] !== Species.VOID;
  let hasPore = false;
  for (let s = 0; s < n && !hasPore; s++) if (species0[s] === Species.VOID) hasPore = true;
  const poreDepth = new Float64Array(n).fill(Infinity);
  if (hasPore) {
    const half = firstShell_A(lat, box) / 2;
    const d = distanceToSources_A(lat, (s) => species0[s] === Species.VOID, box);
    for (let s = 0; s < n; s++) if (isMatter(s)) poreDepth[s] = Math.max(0, d[s]! - half);
  }
  const faceDepth = new Float64Array(n).fill(Infinity);
  const P = lat.positions_A;
  let hasFaces = false;
  for (let c = 0; c < 3; c++) {
    if (box.pbc[c]) continue;
    const zs: number[] = [];
    for (let s = 0; s < n; s++) if (isMatter(s)) zs.push(P[3 * s + c]!);
    if (zs.length === 0) continue;
    hasFaces = true;
    zs.sort((a, b) => a - b);
    let gap = Infinity;
    for (let i = 1; i < zs.length; i++) {
      const g = zs[i]! - zs[i - 1]!;
      if (g > 0.05 && g < gap) gap = g;
    }
    const lo = zs[0]!, hi = zs[zs.length - 1]!;
    const half = Number.isFinite(gap) ? gap / 2 : 0;
    for (let s = 0; s < n; s++) if (isMatter(s)) faceDepth[s] = Math.min(faceDepth[s]!, Math.min(P[3 * s + c]! - lo, hi - P[3 * s + c]!) + half);
  }
  const poreBin = new Int32Array(n).fill(-1);
  const faceBin = new Int32Array(n).fill(-1);
  const nearSurface = new Uint8Array(n);
  let poreBins = 0, faceBins = 0;
  for (let s = 0; s < n; s++) {
    if (lat.isAnion[s] || !isMatter(s)) continue;
    if (Number.isFinite(poreDepth[s]!)) {
      const b = Math.floor(poreDepth[s]! / DEPTH_BIN_A);
      poreBin[s] = b;
      poreBins = Math.max(poreBins, b + 1);
    }
    if (Number.isFinite(faceDepth[s]!)) {
      const b = Math.floor(faceDepth[s]! / DEPTH_BIN_A);
      faceBin[s] = b;
      faceBins = Math.max(faceBins, b + 1);
    }
    if (Math.min(poreDepth[s]!, faceDepth[s]!) < nearSurface_A) nearSurface[s] = 1;
  }
  return { poreBin, faceBin, poreBins, faceBins, nearSurface, hasPore, hasFaces };
}

/** Equivalent thickness Σ_b f_b·Δd over bins (empty bins take the mean of their non-empty neighbours). */
function equivalentThickness_A(sites: Float64Array, hits: Float64Array): number {
  const nb = sites.length;
  let sum = 0;
  for (let b = 0; b < nb; b++) {
    let f: number;
    if (sites[b]! > 0) f = hits[b]! / sites[b]!;
    else {
      let lo = b - 1, hi = b + 1;
      while (lo >= 0 && sites[lo] === 0) lo--;
      while (hi < nb && sites[hi] === 0) hi++;
      const fl = lo >= 0 ? hits[lo]! / sites[lo]! : NaN;
      const fh = hi < nb ? hits[hi]! / sites[hi]! : NaN;
      f = Number.isNaN(fl) ? (Number.isNaN(fh) ? 0 : fh) : Number.isNaN(fh) ? fl : 0.5 * (fl + fh);
    }
    sum += f * DEPTH_BIN_A;
  }
  return sum;
}

/**
 * Damage of one frame. `rockSalt` (optional) is the per-site transformed flag to use instead of the
 * observable set's criterion (the one-event first-order check uses it).
 */
export function damageOfFrame(
  geom: DamageGeometry,
  lat: NcmLattice,
  species: Uint8Array,
  observables: Observables | undefined,
  rockSalt?: (s: number) => boolean,
): DamageValues {
  const poreSites = new Float64Array(geom.poreBins), poreHits = new Float64Array(geom.poreBins);
  const faceSites = new Float64Array(geom.faceBins), faceHits = new Float64Array(geom.faceBins);
  let nearSites = 0, nearHits = 0;
  const isRs = rockSalt ?? ((s: number) => isLocalRockSalt(lat, species, s));
  for (let s = 0; s < lat.n; s++) {
    if (lat.isAnion[s]) continue;
    const pb = geom.poreBin[s]!, fb = geom.faceBin[s]!;
    if (pb < 0 && fb < 0) continue;
    const rs = isRs(s) ? 1 : 0;
    if (pb >= 0) { poreSites[pb]!++; poreHits[pb]! += rs; }
    if (fb >= 0) { faceSites[fb]!++; faceHits[fb]! += rs; }
    if (geom.nearSurface[s]) { nearSites++; nearHits += rs; }
  }
  const obs = (k: string) => observables?.[k] ?? NaN;
  return {
    rimRockSaltDepth_A: geom.hasPore ? equivalentThickness_A(poreSites, poreHits) : NaN,
    surfaceRockSaltDepth_A: geom.hasFaces ? equivalentThickness_A(faceSites, faceHits) : NaN,
    nearSurfaceTransformed_pct: nearSites ? (100 * nearHits) / nearSites : NaN,
    oxygenLoss_molPct: 100 * obs('vO.all'),
    rimTmOnLi_pct: geom.hasPore ? 100 * obs('tmOnLi.rim') : NaN,
    ni0_pct: 100 * obs('ni0.all'),
  };
}

/**
 * The largest depth each rock-salt quantity can read in this lamella, Å: the equivalent thickness of a
 * fully transformed lamella (every depth bin at f = 1). A reading near it is limited by the lamella's size
 * (the layer has reached the periodic image of the pore, or the other face), not by the kinetics.
 */
export function depthCapacity_A(geom: DamageGeometry): { rimRockSaltDepth_A: number; surfaceRockSaltDepth_A: number } {
  return { rimRockSaltDepth_A: geom.hasPore ? geom.poreBins * DEPTH_BIN_A : NaN, surfaceRockSaltDepth_A: geom.hasFaces ? geom.faceBins * DEPTH_BIN_A : NaN };
}

/** A depth reading at or above this fraction of the lamella's capacity is reported as lamella-limited ("≥"). */
export const LAMELLA_LIMITED_FRACTION = 0.8;

/** The quantities that apply to a geometry (map.csv columns), in DAMAGE_QUANTITIES order. */
export function applicableQuantities(g: Pick<DamageGeometry, 'hasPore' | 'hasFaces'>): DamageQuantity[] {
  return DAMAGE_QUANTITIES.filter((q) => {
    if (q.name === 'surfaceRockSaltDepth_A') return g.hasFaces;
    if (q.name === 'rimRockSaltDepth_A' || q.name === 'rimTmOnLi_pct') return g.hasPore;
    return true;
  });
}
