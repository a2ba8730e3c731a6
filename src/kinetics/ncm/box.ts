/**
 * A small layered rock-salt box (NCM851005 on the cubic parent lattice), periodic in all three
 * directions, optionally with an ellipsoidal nanopore and a cationic antiphase boundary (APB) at
 * the pore's edge. It stands on its own so the kinetics can be tested and run without the lattice
 * module's lamella builder; `runKmc` takes either.
 *
 * Geometry: integer parent coordinates (i, j, k), cation where i+j+k is even, anion where odd;
 * cation (111) planes alternate Li / M (plane index (i+j+k)/2 odd = Li). The APB occupies the planes
 * i = iApb and i = 0 (periodic wrap): for i ≥ iApb the Li/M assignment is swapped, so Li and M planes
 * meet across {100} while the O sublattice is continuous (a cationic APB). Cartesian positions use the
 * pseudo-cubic spacing a/2 = a_hex/√2 and are rotated so that x ∥ [111] (layer normal, the hexagonal
 * c axis), y ∥ [1-10], z ∥ [11-2] (the beam; hexagonal [210] shows the layers edge-on).
 */
import { InputError, Rng, Stream } from '../../core/index.js';
import { Species } from '../../lattice/species.js';
import { NB1, NB2, packNeighbours, type NcmLattice } from './lattice.js';
import { assertKmcFits } from '../memory.js';

/** Options of `buildNcmBox`. */
export interface NcmBoxOptions {
  /** Box size in parent-lattice units (a/2 each), each a multiple of 4 and ≥ 8. */
  readonly size: readonly [number, number, number];
  /** Pore semi-axes in parent units along (i, j, k) (0 = no pore). Default none. */
  readonly poreRadii?: readonly [number, number, number];
  /** Put an APB through the pore's edge (and its periodic image at i = 0). Default false. */
  readonly apb?: boolean;
  /** Fraction of Li-layer sites holding Ni²⁺ (antisites) at start, 0…0.05. Default 0.03. */
  readonly niOnLi_fraction?: number;
  /** Hexagonal a, Å (2.872, NCM851005). */
  readonly aHex_A?: number;
  /** Seed of the composition draw. Default 1. */
  readonly seed?: number;
}

/** Result: the lattice view, initial species, and the APB plane index (or −1). */
export interface NcmBox {
  readonly lattice: NcmLattice;
  readonly species: Uint8Array;
  readonly size: readonly [number, number, number];
  /** i index of the APB plane through the pore edge, −1 if none. */
  readonly iApb: number;
  /** Pore centre in parent units. */
  readonly centre: readonly [number, number, number];
}

const CAT_D: readonly (readonly [number, number, number])[] = [
  [1, 1, 0], [1, -1, 0], [-1, 1, 0], [-1, -1, 0],
  [1, 0, 1], [1, 0, -1], [-1, 0, 1], [-1, 0, -1],
  [0, 1, 1], [0, 1, -1], [0, -1, 1], [0, -1, -1],
];
const FIRST_D: readonly (readonly [number, number, number])[] = [
  [1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1],
];

/** Build a periodic NCM851005 box (see module doc). Deterministic in `seed`. */
export function buildNcmBox(opts: NcmBoxOptions): NcmBox {
  const [nx, ny, nz] = opts.size;
  for (const [ax, v] of [['x', nx], ['y', ny], ['z', nz]] as const) {
    if (!Number.isInteger(v) || v < 8 || v % 4 !== 0) throw new InputError(`box.size.${ax}`, v, 'an integer multiple of 4, ≥ 8');
  }
  const fNiLi = opts.niOnLi_fraction ?? 0.03;
  if (!(fNiLi >= 0 && fNiLi <= 0.05)) throw new InputError('box.niOnLi_fraction', fNiLi, 'a fraction in [0, 0.05]');
  const a = opts.aHex_A ?? 2.872;
  const d = a / Math.SQRT2; // parent spacing a_cubic/2, Å
  const n = nx * ny * nz;
  assertKmcFits(n, 'box.size');
  const idx = (i: number, j: number, k: number): number => {
    const ii = ((i % nx) + nx) % nx, jj = ((j % ny) + ny) % ny, kk = ((k % nz) + nz) % nz;
    return (ii * ny + jj) * nz + kk;
  };
  const centre: [number, number, number] = [nx / 2, ny / 2, nz / 2];
  const radii = opts.poreRadii ?? [0, 0, 0];
  const iApb = opts.apb ? Math.round(centre[0] + 0.7 * radii[0]) : -1;
  const isAnion = new Uint8Array(n);
  const liLayer = new Uint8Array(n);
  // the plane flag is per direction: a second-shell step stays in its (111) plane when its ijk sum is 0
  const nb2InPlaneByDir = Uint8Array.from(CAT_D, (dd) => (dd[0] + dd[1] + dd[2] === 0 ? 1 : 0));
  const positions = new Float64Array(3 * n);
  const void_ = new Uint8Array(n);
  const e1 = [1 / Math.sqrt(3), 1 / Math.sqrt(3), 1 / Math.sqrt(3)];
  const e2 = [1 / Math.SQRT2, -1 / Math.SQRT2, 0];
  const e3 = [1 / Math.sqrt(6), 1 / Math.sqrt(6), -2 / Math.sqrt(6)];
  for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++) for (let k = 0; k < nz; k++) {
    const s = idx(i, j, k);
    const p = i + j + k;
    const anion = p % 2 === 1;
    isAnion[s] = anion ? 1 : 0;
    if (!anion) {
      let li = (p / 2) % 2 === 1;
      if (iApb >= 0 && i >= iApb) li = !li;
      liLayer[s] = li ? 1 : 0;
    }
    const x = i * d, y = j * d, z = k * d;
    positions[3 * s] = x * e1[0]! + y * e1[1]! + z * e1[2]!;
    positions[3 * s + 1] = x * e2[0]! + y * e2[1]! + z * e2[2]!;
    positions[3 * s + 2] = x * e3[0]! + y * e3[1]! + z * e3[2]!;
    if (radii[0] > 0 && radii[1] > 0 && radii[2] > 0) {
      const u = (i - centre[0]) / radii[0], v = (j - centre[1]) / radii[1], w = (k - centre[2]) / radii[2];
      if (u * u + v * v + w * w <= 1) void_[s] = 1;
    }
  }
  const { nbRow, nbOffset } = packNeighbours(n, (s, out) => {
    const k = s % nz, j = ((s - k) / nz) % ny, i = (s - k - j * nz) / (ny * nz);
    for (let q = 0; q < NB1; q++) out[q] = idx(i + FIRST_D[q]![0], j + FIRST_D[q]![1], k + FIRST_D[q]![2]);
    for (let q = 0; q < NB2; q++) out[NB1 + q] = idx(i + CAT_D[q]![0], j + CAT_D[q]![1], k + CAT_D[q]![2]);
  });
  const species = assignComposition(n, isAnion, liLayer, void_, fNiLi, opts.seed ?? 1);
  const lattice: NcmLattice = { n, isAnion, liLayer, nbRow, nbOffset, nb2InPlaneByDir, positions_A: positions, layerNormal: [1, 0, 0] };
  return { lattice, species, size: [nx, ny, nz], iApb, centre };
}

/**
 * NCM851005 by exact counts: M layer Ni³⁺ 0.80, Ni²⁺ 0.05 (compensating Mn⁴⁺ 0.05), Co³⁺ 0.10;
 * then a fraction of Li-layer Li exchanged with M-layer Ni²⁺ (charge-neutral antisite pairs).
 */
function assignComposition(n: number, isAnion: Uint8Array, liLayer: Uint8Array, void_: Uint8Array, fNiLi: number, seed: number): Uint8Array {
  const rng = Rng.stream(seed, Stream.NCM_BOX);
  const sp = new Uint8Array(n);
  const mSites: number[] = [];
  const liSites: number[] = [];
  for (let s = 0; s < n; s++) {
    if (isAnion[s]) sp[s] = Species.O;
    else if (liLayer[s]) { sp[s] = Species.LI; liSites.push(s); }
    else mSites.push(s);
  }
  shuffle(mSites, rng);
  const nM = mSites.length;
  const nMn = Math.round(0.05 * nM), nCo = Math.round(0.1 * nM), nNi2 = nMn;
  mSites.forEach((s, q) => {
    sp[s] = q < nMn ? Species.MN : q < nMn + nCo ? Species.CO : q < nMn + nCo + nNi2 ? Species.NI2 : Species.NI3;
  });
  const ni2 = mSites.slice(nMn + nCo, nMn + nCo + nNi2);
  shuffle(liSites, rng);
  const nSwap = Math.min(ni2.length, Math.round(fNiLi * liSites.length));
  for (let q = 0; q < nSwap; q++) {
    sp[liSites[q]!] = Species.NI2;
    sp[ni2[q]!] = Species.LI;
  }
  for (let s = 0; s < n; s++) if (void_[s]) sp[s] = Species.VOID;
  return sp;
}

function shuffle(a: number[], rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}
