/**
 * `vacancy-fcc`: SPPARKS's plain vacancy-hop benchmark (app diffusion, Kawasaki atom–vacancy
 * swaps) on a periodic fcc lattice, as a `KmcModel`.
 *
 * Energy: bond counting, E = −ε · (number of atom–atom nearest-neighbour bonds). A hop of an atom
 * into a neighbouring vacancy changes the bond count by ΔN; ΔE = −ε ΔN and the rate is
 * min(1, exp(−2ΔE/T)) in reduced units (ν = 1, T = 10 for the benchmark): detailed balance with
 * respect to exp(−2E/T). Mapped onto Arrhenius data: ν = 1 Hz, Ea = max(0, ΔE)·bond_eV, and the
 * engine runs at `temperatureFor_K(T)` where k_B T_K = T·bond_eV / 2.
 *
 * Layout (≈ 6 bytes per site plus ~1 % vacancy tables): fcc sites are the integer points
 * (X, Y, Z) of a 2L×2L×2L box with X+Y+Z even; site index = (Z·2L + Y)·L + X/2, so N = 4L³ and
 * neighbours are computed arithmetically (no neighbour table). Per site: one state byte (bit 4:
 * vacant; bits 0–3: number of vacant neighbours, so a rate reads one cache line per site) and a
 * vacancy id (Int32, −1 for atoms). Events are per vacancy:
 * slot = 12·vacancy + direction, in blocks of 12 (`slotsPerGroup`).
 */
import { InputError, Rng, Stream, checkFinite, BOLTZMANN_EV_PER_K } from '../core/index.js';
import type { AffectedSlots, KmcModel, SlotRate } from './model.js';

/** The 12 nearest-neighbour displacements in doubled coordinates; direction d and d^1 are opposite. */
const DX = Int8Array.from([1, -1, 1, -1, 1, -1, 1, -1, 0, 0, 0, 0]);
const DY = Int8Array.from([1, -1, -1, 1, 0, 0, 0, 0, 1, -1, 1, -1]);
const DZ = Int8Array.from([0, 0, 0, 0, 1, -1, -1, 1, 1, -1, -1, 1]);
/** State-byte flag of a vacant site; the low 4 bits count vacant neighbours (0–12). */
const VAC = 16;
const NV = 15;

/**
 * For each hop direction d: the doubled-coordinate offsets (relative to the vacancy's old site) of
 * every site within two hops of the old or the new vacancy site: the sites whose vacancies may see
 * a changed rate after the hop (rates depend on species and vacant-neighbour counts one hop away).
 */
const REGION: Int8Array[] = (() => {
  const out: Int8Array[] = [];
  for (let d = 0; d < 12; d++) {
    const seen = new Set<string>();
    const list: number[] = [];
    for (const [cx, cy, cz] of [[0, 0, 0], [DX[d]!, DY[d]!, DZ[d]!]] as [number, number, number][]) {
      for (let h1 = -1; h1 < 12; h1++) {
        for (let h2 = -1; h2 < 12; h2++) {
          const x = cx + (h1 < 0 ? 0 : DX[h1]!) + (h2 < 0 ? 0 : DX[h2]!);
          const y = cy + (h1 < 0 ? 0 : DY[h1]!) + (h2 < 0 ? 0 : DY[h2]!);
          const z = cz + (h1 < 0 ? 0 : DZ[h1]!) + (h2 < 0 ? 0 : DZ[h2]!);
          const key = `${x},${y},${z}`;
          if (seen.has(key)) continue;
          seen.add(key);
          list.push(x, y, z);
        }
      }
    }
    out.push(Int8Array.from(list));
  }
  return out;
})();
/** Max |component| of a REGION offset: sites this far from every box face need no wrap. */
const REACH = 3;

/** Options of `VacancyFccModel`. */
export interface VacancyFccOptions {
  /** Conventional cells per edge L (≥ 2); N = 4L³ sites. */
  cells: number;
  /** Vacancy fraction (default 0.01), at least one vacancy. */
  vacancyFraction?: number;
  /** Bond energy ε, eV (default 0.05; only sets the temperature scale). */
  bond_eV?: number;
  /** Seed for the random (dispersed) initial vacancy placement (default 1). */
  seed?: number;
}

/** Cells per edge giving the nearest site count to `sites` (N = 4L³). */
export function vacancyFccCellsFor(sites: number): number {
  checkFinite(sites, '--sites', { min: 32 });
  return Math.max(2, Math.round(Math.cbrt(sites / 4)));
}

export class VacancyFccModel implements KmcModel {
  /** Edge in conventional cells. */
  readonly L: number;
  /** Number of sites, 4L³. */
  readonly nSites: number;
  /** Number of vacancies. */
  readonly nVacancies: number;
  readonly slotsPerGroup = 12;
  readonly bond_eV: number;
  /** State byte per site: bit 4 (16) vacant, bits 0–3 the number of vacant nearest neighbours. */
  readonly state: Uint8Array;
  /** Vacancy id per site (−1 for atoms). */
  readonly vacancyAt: Int32Array;
  /** Site of each vacancy. */
  readonly vacancySite: Int32Array;
  private readonly nb = new Int32Array(12);
  /** Index deltas of REGION[d] for interior sites, per parity of X: [parity][d]. */
  private readonly regionDelta: Int32Array[][];
  /** Index deltas of the 12 neighbours for interior sites, per parity of X. */
  private readonly nbDelta: Int32Array[];

  constructor(o: VacancyFccOptions) {
    const L = o.cells;
    if (!Number.isInteger(L) || L < 2 || 4 * L ** 3 > 2 ** 31 - 1) throw new InputError('vacancyFcc.cells', L, 'an integer ≥ 2 with 4L³ < 2^31');
    const f = checkFinite(o.vacancyFraction ?? 0.01, 'vacancyFcc.vacancyFraction', { min: 0, max: 0.5, exclusiveMin: true });
    this.bond_eV = checkFinite(o.bond_eV ?? 0.05, 'vacancyFcc.bond_eV', { min: 0, exclusiveMin: true, unit: 'eV' });
    this.L = L;
    this.nSites = 4 * L ** 3;
    this.nVacancies = Math.max(1, Math.round(f * this.nSites));
    this.state = new Uint8Array(this.nSites);
    this.vacancyAt = new Int32Array(this.nSites).fill(-1);
    this.vacancySite = new Int32Array(this.nVacancies);
    const L2 = 2 * L;
    const delta = (px: number, x: number, y: number, z: number) => (z * L2 + y) * L + ((px + x) >> 1) - (px >> 1);
    this.regionDelta = [0, 1].map((px) =>
      REGION.map((off) => {
        const r = new Int32Array(off.length / 3);
        for (let k = 0; k < r.length; k++) r[k] = delta(px + 4, off[3 * k]!, off[3 * k + 1]!, off[3 * k + 2]!);
        return r;
      }),
    );
    this.nbDelta = [0, 1].map((px) => Int32Array.from({ length: 12 }, (_, d) => delta(px + 4, DX[d]!, DY[d]!, DZ[d]!)));
    const rng = Rng.stream(o.seed ?? 1, Stream.VACANCY_FCC_INIT);
    for (let v = 0; v < this.nVacancies; v++) {
      let s: number;
      do s = rng.int(this.nSites);
      while ((this.state[s]! & VAC) !== 0);
      this.state[s] = VAC;
      this.vacancySite[v] = s;
    }
    this.reindex();
  }

  get slotCount(): number {
    return 12 * this.nVacancies;
  }

  /** Engine temperature (K) for a reduced temperature T (k_B T_K = T·ε/2, so rates are min(1, e^(−2ΔE/T))). */
  temperatureFor_K(reducedT: number): number {
    return (reducedT * this.bond_eV) / (2 * BOLTZMANN_EV_PER_K);
  }

  /** Doubled fcc coordinates of the last decoded site (scratch; set by `decode`). */
  private cx = 0;
  private cy = 0;
  private cz = 0;

  /** Decode `site` into doubled fcc coordinates (cx, cy, cz); true when all 12 neighbours are interior. */
  private decode(site: number): boolean {
    const L = this.L, L2 = 2 * L;
    const xh = site % L;
    const r = (site - xh) / L;
    const Y = r % L2;
    const Z = (r - Y) / L2;
    const X = 2 * xh + ((Y + Z) & 1);
    this.cx = X; this.cy = Y; this.cz = Z;
    return X >= 1 && X < L2 - 1 && Y >= 1 && Y < L2 - 1 && Z >= 1 && Z < L2 - 1;
  }

  /** Neighbour along d of the site last decoded, wrapped periodically. */
  private wrapped(d: number): number {
    const L = this.L, L2 = 2 * L;
    let x = this.cx + DX[d]!;
    let y = this.cy + DY[d]!;
    let z = this.cz + DZ[d]!;
    if (x < 0) x += L2;
    else if (x >= L2) x -= L2;
    if (y < 0) y += L2;
    else if (y >= L2) y -= L2;
    if (z < 0) z += L2;
    else if (z >= L2) z -= L2;
    return (z * L2 + y) * L + (x >> 1);
  }

  /** Site reached from `site` along direction d (0–11), periodic. */
  neighbour(site: number, d: number): number {
    return this.decode(site) ? site + this.nbDelta[this.cx & 1]![d]! : this.wrapped(d);
  }

  /** All 12 neighbours of `site` into `out`. */
  neighbours(site: number, out: Int32Array): void {
    if (this.decode(site)) {
      const dl = this.nbDelta[this.cx & 1]!;
      for (let d = 0; d < 12; d++) out[d] = site + dl[d]!;
      return;
    }
    // Boundary sites (a surface-to-volume fraction of all): wrap each direction.
    for (let d = 0; d < 12; d++) out[d] = this.wrapped(d);
  }

  /** Bond change ΔN if the atom across direction d moves into vacancy v (−∞ sentinel: no event). */
  slotRate(slot: number, out: SlotRate): void {
    const v = (slot / 12) | 0;
    const vs = this.vacancySite[v]!;
    const a = this.neighbour(vs, slot - 12 * v);
    const sa = this.state[a]!;
    out.nu_Hz = 1;
    if ((sa & VAC) !== 0) {
      out.nu_Hz = 0;
      out.barrier_eV = 0;
      return;
    }
    // bonds of the atom before: 12 − nv[a]; after (at vs, a now vacant): 12 − nv[vs] − 1
    const dN = (sa & NV) - (this.state[vs]! & NV) - 1;
    out.barrier_eV = dN >= 0 ? 0 : -dN * this.bond_eV; // ΔE = −ε ΔN, Ea = max(0, ΔE)
  }

  execute(slot: number, _rng: Rng, affected: AffectedSlots): void {
    const v = (slot / 12) | 0;
    const d = slot - 12 * v;
    const vs = this.vacancySite[v]!;
    const a = this.neighbour(vs, d);
    const sp = this.state;
    const nb = this.nb;
    sp[vs]! &= NV;
    sp[a]! |= VAC;
    this.vacancyAt[vs] = -1;
    this.vacancyAt[a] = v;
    this.vacancySite[v] = a;
    this.neighbours(vs, nb);
    for (let k = 0; k < 12; k++) sp[nb[k]!]!--;
    this.neighbours(a, nb);
    for (let k = 0; k < 12; k++) sp[nb[k]!]!++;
    // every vacancy within two hops of vs or a may see a changed rate
    const at = this.vacancyAt;
    const L = this.L;
    const L2 = 2 * L;
    const xh = vs % L;
    const r = (vs - xh) / L;
    const Y = r % L2;
    const Z = (r - Y) / L2;
    const X = 2 * xh + ((Y + Z) & 1);
    if (X >= REACH && X < L2 - REACH && Y >= REACH && Y < L2 - REACH && Z >= REACH && Z < L2 - REACH) {
      const dl = this.regionDelta[X & 1]![d]!;
      for (let k = 0; k < dl.length; k++) {
        const s = vs + dl[k]!;
        if ((sp[s]! & VAC) !== 0) this.touch(at[s]!, affected);
      }
      return;
    }
    const off = REGION[d]!;
    for (let k = 0; k < off.length; k += 3) {
      let x = X + off[k]!;
      let y = Y + off[k + 1]!;
      let z = Z + off[k + 2]!;
      x = x < 0 ? x + L2 : x >= L2 ? x - L2 : x;
      y = y < 0 ? y + L2 : y >= L2 ? y - L2 : y;
      z = z < 0 ? z + L2 : z >= L2 ? z - L2 : z;
      const s = (z * L2 + y) * L + (x >> 1);
      if ((sp[s]! & VAC) !== 0) this.touch(at[s]!, affected);
    }
  }

  /** Push the 12 slots of vacancy w (each region site is listed once, so w is touched once; in tiny
   * periodic boxes (L < 4) two offsets can wrap onto one site: harmless duplicates). */
  private touch(w: number, affected: AffectedSlots): void {
    const base = 12 * w;
    for (let d = 0; d < 12; d++) affected.push(base + d);
  }

  /** Number of atom–atom bonds (E = −ε · bonds). O(N). */
  bonds(): number {
    let s = 0;
    for (let i = 0; i < this.nSites; i++) if ((this.state[i]! & VAC) === 0) s += 12 - (this.state[i]! & NV);
    return s / 2;
  }

  /** True if `site` is vacant. */
  isVacant(site: number): boolean {
    return (this.state[site]! & VAC) !== 0;
  }

  /** Number of vacant nearest neighbours of `site`. */
  vacantNeighbourCount(site: number): number {
    return this.state[site]! & NV;
  }

  /** Recompute the state bytes and vacancy ids from the vacancy sites (which determine the state). */
  private reindex(): void {
    this.vacancyAt.fill(-1);
    this.state.fill(0);
    for (let v = 0; v < this.nVacancies; v++) this.state[this.vacancySite[v]!] = VAC;
    const nb = this.nb;
    for (let v = 0; v < this.nVacancies; v++) {
      const s = this.vacancySite[v]!;
      this.vacancyAt[s] = v;
      this.neighbours(s, nb);
      for (let d = 0; d < 12; d++) this.state[nb[d]!]!++;
    }
  }

  /** Bytes held in typed arrays by this model. */
  get byteLength(): number {
    return this.state.byteLength + this.vacancyAt.byteLength + this.vacancySite.byteLength;
  }

  /** The vacancy sites (Int32, little-endian): they determine the whole state. */
  snapshot(): Uint8Array {
    return new Uint8Array(this.vacancySite.slice().buffer);
  }

  restore(bytes: Uint8Array): void {
    if (bytes.length !== 4 * this.nVacancies) {
      throw new InputError('checkpoint', `${bytes.length} bytes`, `a vacancy-fcc snapshot of ${this.nVacancies} vacancies`);
    }
    const sites = new Int32Array(bytes.slice().buffer);
    for (const s of sites) if (!(s >= 0 && s < this.nSites)) throw new InputError('checkpoint', s, `vacancy sites in [0, ${this.nSites})`);
    this.vacancySite.set(sites);
    this.reindex();
  }
}
