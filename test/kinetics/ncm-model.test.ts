import { describe, expect, it } from 'vitest';
import { BOLTZMANN_EV_PER_K, Rng } from '../../src/core/index.js';
import { Species, isTransitionMetal } from '../../src/lattice/species.js';
import { AffectedSlots, createSlotRate } from '../../src/kinetics/model.js';
import { buildNcmBox } from '../../src/kinetics/ncm/box.js';
import { fromSiteLattice } from '../../src/kinetics/ncm/adapter.js';
import { buildLamella, fixedStrideNeighbours } from '../../src/lattice/index.js';
import { totalCharge } from '../../src/kinetics/ncm/charge.js';
import { BondModel, deltaEnergy, totalEnergy } from '../../src/kinetics/ncm/energy.js';
import { EVENT_CATALOGUE, EventKind, buildEventTable, eventTableIndex } from '../../src/kinetics/ncm/events.js';
import { NcmModel } from '../../src/kinetics/ncm/model.js';
import { executeRandomEvents } from './ncm-reference.js';
import { NB, NB1, NO_NEIGHBOUR, directionTables, neighbour1, neighbour2, packNeighbours, type NcmLattice } from '../../src/kinetics/ncm/lattice.js';
import { computeLocalCounts } from '../../src/kinetics/ncm/local.js';
import {
  ANION_ADSORPTION, ANION_HOP, ANION_RELEASE, KEY_OUT, anionPairKey, cationSwapDeltaEnergy, cationSwapKey, keyDeltaEnergy, oxygenPairDeltaEnergy, vacancyHopDeltaEnergy,
} from '../../src/kinetics/ncm/delta.js';
import { linearizeOxygen, niGateTemperature_K } from '../../src/kinetics/ncm/oxygen.js';
import { DEFAULT_NCM_PARAMS } from '../../src/kinetics/ncm/params.js';
import { effectiveDeltaMuO_eV, niNiOLine_eV } from '../../src/kinetics/thermo.js';

const P = DEFAULT_NCM_PARAMS;
const kB = BOLTZMANN_EV_PER_K;

function smallModel(T_K = 448.15, seed = 1): NcmModel {
  const box = buildNcmBox({ size: [16, 16, 12], poreRadii: [4, 4, 3], apb: true, seed });
  return new NcmModel({ lattice: box.lattice, species: box.species, params: P, pO2_Pa: 1.2e-5, temperature_K: T_K });
}

/** Scramble a state so every event kind occurs: some V_O, antisites, cation vacancies (then resync the model's caches). */
function scrambled(m: NcmModel, seed: number): void {
  const rng = Rng.stream(seed);
  const sp = m.species;
  for (let s = 0; s < sp.length; s++) {
    const u = rng.uniform();
    if (sp[s] === Species.O && u < 0.15) sp[s] = Species.VAC_O;
    else if (sp[s] === Species.LI && u < 0.05) sp[s] = Species.VAC_CATION;
    else if (sp[s] === Species.LI && u < 0.15) sp[s] = Species.NI2;
  }
  m.resync();
}

function cationCounts(sp: Uint8Array): { cations: number; li: number; tm: number; o: number } {
  let li = 0, tm = 0, o = 0;
  for (const s of sp) {
    if (s === Species.LI || s === Species.LI_LI2O) li++;
    else if (isTransitionMetal(s)) tm++;
    else if (s === Species.O) o++;
  }
  return { cations: li + tm, li, tm, o };
}

describe('NCM event catalogue', () => {
  it('expands its patterns into one kind per (sublattice, plane, layer relation, owner, target) and covers every kind', () => {
    const table = buildEventTable();
    const kinds = new Set(Array.from(table).filter((k) => k > 0));
    for (const p of EVENT_CATALOGUE) expect(kinds.has(p.kind)).toBe(true);
    // TM ↔ Li across the O layer is TM migration; the same pair in one plane moves the APB only where
    // the plane holds a Li-layer and an M-layer site (across = 1), elsewhere it is an in-plane exchange.
    expect(table[eventTableIndex(0, 0, 1, Species.NI2, Species.LI)]).toBe(EventKind.TM_MIGRATION);
    expect(table[eventTableIndex(0, 0, 0, Species.NI2, Species.LI)]).toBe(EventKind.TM_MIGRATION);
    expect(table[eventTableIndex(0, 1, 1, Species.NI2, Species.LI)]).toBe(EventKind.APB_MIGRATION);
    expect(table[eventTableIndex(0, 1, 0, Species.NI2, Species.LI)]).toBe(EventKind.IN_PLANE_EXCHANGE);
    expect(table[eventTableIndex(1, 0, 0, Species.O, Species.O)]).toBe(EventKind.O2_RELEASE);
    expect(table[eventTableIndex(0, 0, 1, Species.LI, Species.NI2)]).toBe(EventKind.NONE);
  });
});

describe('NCM lattice view', () => {
  it('refuses a lattice whose neighbour lists are not ordered by direction (InputError naming the lattice and the site), or whose per-direction plane flags are malformed', () => {
    const box = buildNcmBox({ size: [8, 8, 8], seed: 1 });
    expect(directionTables(box.lattice).opposite).toHaveLength(12);
    const lat = box.lattice;
    // site 5's second-shell directions 0 and 1 swapped
    const swapped = packNeighbours(lat.n, (s, out) => {
      for (let q = 0; q < NB1; q++) out[q] = neighbour1(lat, s, q);
      for (let k = 0; k < 12; k++) out[NB1 + k] = neighbour2(lat, s, s === 5 && k < 2 ? 1 - k : k);
    });
    expect(() => directionTables({ ...lat, ...swapped })).toThrow(/^lattice: got "site \d+"; allowed: neighbour lists ordered by direction/);
    expect(() => directionTables({ ...lat, nbRow: new Uint32Array(lat.n).fill(lat.nbOffset.length / NB) })).toThrow(/^lattice\.nbRow: .*a row of nbOffset/);
    // the in-plane flags are one per direction (12), and a direction and its opposite share theirs
    expect(() => directionTables({ ...box.lattice, nb2InPlaneByDir: new Uint8Array(12 * box.lattice.n) })).toThrow(/^lattice\.nb2InPlaneByDir: .*12 plane flags/);
    const flags = Uint8Array.from(box.lattice.nb2InPlaneByDir);
    const k = flags.indexOf(1);
    flags[k] = 0;
    expect(() => directionTables({ ...box.lattice, nb2InPlaneByDir: flags })).toThrow(/^lattice\.nb2InPlaneByDir: .*opposite directions/);
  });
});

describe('NCM packed neighbour lists', () => {
  /** The unpacked lists of a periodic box, straight from its (i, j, k) layout. */
  const boxLists = (n: number, size: readonly [number, number, number]) => {
    const [nx, ny, nz] = size;
    const at = (i: number, j: number, k: number) => ((((i % nx) + nx) % nx) * ny + (((j % ny) + ny) % ny)) * nz + (((k % nz) + nz) % nz);
    const first = [[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]];
    const second = [[1, 1, 0], [1, -1, 0], [-1, 1, 0], [-1, -1, 0], [1, 0, 1], [1, 0, -1], [-1, 0, 1], [-1, 0, -1], [0, 1, 1], [0, 1, -1], [0, -1, 1], [0, -1, -1]];
    return (s: number) => {
      const k = s % nz, j = Math.floor(s / nz) % ny, i = Math.floor(s / (ny * nz));
      return [...first, ...second].map((d) => at(i + d[0]!, j + d[1]!, k + d[2]!));
    };
  };

  it('read back every neighbour of a periodic box exactly, in 27 shared rows (one per wrap case of the three axes)', () => {
    const box = buildNcmBox({ size: [8, 12, 16], seed: 1 });
    const lat: NcmLattice = box.lattice;
    const lists = boxLists(lat.n, box.size);
    for (let s = 0; s < lat.n; s++) {
      const want = lists(s);
      for (let q = 0; q < NB1; q++) expect(neighbour1(lat, s, q)).toBe(want[q]);
      for (let k = 0; k < 12; k++) expect(neighbour2(lat, s, k)).toBe(want[NB1 + k]);
    }
    expect(lat.nbOffset.length / NB).toBe(27);
  });

  it('read back the lattice module\'s fixed-stride tables of a lamella exactly (open faces: missing neighbours negative), in fewer rows than sites', () => {
    const lam = buildLamella({ size_A: [30, 24], thickness_A: 20, pore: { radius_A: 6 }, apb: null, seed: 1 });
    const lat = fromSiteLattice(lam.lattice);
    const nb1 = fixedStrideNeighbours(lam.lattice, 'first'), nb2 = fixedStrideNeighbours(lam.lattice, 'second');
    let missing = 0;
    for (let s = 0; s < lat.n; s++) {
      for (let q = 0; q < NB1; q++) {
        const want = nb1[s * NB1 + q]!;
        if (want < 0) { missing++; expect(neighbour1(lat, s, q)).toBeLessThan(0); } else expect(neighbour1(lat, s, q)).toBe(want);
      }
      for (let k = 0; k < 12; k++) {
        const want = nb2[s * 12 + k]!;
        if (want < 0) expect(neighbour2(lat, s, k)).toBeLessThan(0);
        else expect(neighbour2(lat, s, k)).toBe(want);
      }
    }
    expect(missing).toBeGreaterThan(0);
    expect(lat.nbOffset.length / NB).toBeLessThan(lat.n);
  });

  it('keeps missing neighbours negative, and refuses an index out of range (InputError naming the site)', () => {
    const p = packNeighbours(3, (s, out) => { out.fill(-1); out[0] = (s + 1) % 3; });
    const lat = { nbRow: p.nbRow, nbOffset: p.nbOffset } as unknown as NcmLattice;
    for (let s = 0; s < 3; s++) {
      expect(neighbour1(lat, s, 0)).toBe((s + 1) % 3);
      for (let q = 1; q < NB1; q++) expect(neighbour1(lat, s, q)).toBeLessThan(0);
      for (let k = 0; k < 12; k++) expect(neighbour2(lat, s, k)).toBeLessThan(0);
    }
    expect(p.nbOffset[1]).toBe(NO_NEIGHBOUR);
    expect(() => packNeighbours(3, (s, out) => { out[0] = 3; })).toThrow(/^lattice: got "site 0"; allowed: neighbour indices in \[−1, 3\)/);
  });
});

describe('NCM bond model', () => {
  it('bulk V_O formation energy (ref ½ O2) is bulkVOFormation_eV for an O with 3 Li + 3 Ni', () => {
    const box = buildNcmBox({ size: [8, 8, 8], niOnLi_fraction: 0, seed: 3 });
    const bm = new BondModel(P);
    const sp = box.species;
    const lat = box.lattice;
    // Find an O whose 6 cations are 3 Li and 3 Ni³⁺.
    for (let a = 0; a < lat.n; a++) {
      if (sp[a] !== Species.O) continue;
      const nb = [0, 1, 2, 3, 4, 5].map((q) => sp[neighbour1(lat, a, q)]!);
      if (nb.filter((s) => s === Species.LI).length === 3 && nb.filter((s) => s === Species.NI3).length === 3) {
        expect(deltaEnergy(bm, lat, sp, [a], [Species.VAC_O], 1)).toBeCloseTo(P.bulkVOFormation_eV, 12);
        return;
      }
    }
    throw new Error('no 3 Li + 3 Ni³⁺ O site in the box');
  });

  it('every local ΔE equals the difference of total energies (the energy is one function of the state)', () => {
    const m = smallModel();
    scrambled(m, 5);
    const bm = new BondModel(P);
    const lat = m.lattice;
    const rng = Rng.stream(9);
    for (let trial = 0; trial < 120; trial++) {
      const s = rng.int(lat.n);
      const t = neighbour2(lat, s, rng.int(12));
      const next = trial % 3 === 0 ? [m.species[t]!, m.species[s]!] : lat.isAnion[s] ? [Species.VAC_O, Species.O] : [Species.NI2, Species.LI];
      const e0 = totalEnergy(bm, lat, m.species);
      const dE = deltaEnergy(bm, lat, m.species, [s, t], next, 2);
      const after = Uint8Array.from(m.species);
      after[s] = next[0]!;
      after[t] = next[1]!;
      expect(dE).toBeCloseTo(totalEnergy(bm, lat, after) - e0, 9);
    }
  });

  it('the closed-form ΔE over packed neighbour counts, and the ΔE decoded from its integer key, equal the general local ΔE (3000 random pairs of a scrambled state, cations and anions, swaps and O2 release/adsorption)', () => {
    const m = smallModel();
    scrambled(m, 11);
    const bm = new BondModel(P);
    const lat = m.lattice;
    const dirs = directionTables(lat);
    const w = computeLocalCounts(lat, dirs, m.species);
    const sp = m.species;
    const rng = Rng.stream(12);
    let nonZero = 0, pairs = 0;
    const keyOf = (f: () => void) => { f(); return KEY_OUT[0]!; };
    for (let trial = 0; trial < 3000; trial++) {
      const s = rng.int(lat.n);
      const k = rng.int(12);
      const t = neighbour2(lat, s, k);
      if (t < 0) continue;
      const a = sp[s]!, b = sp[t]!;
      const check = (closed: number, key: number, general: number) => {
        expect(closed).toBeCloseTo(general, 12);
        expect(keyDeltaEnergy(bm, key)).toBeCloseTo(general, 12);
        if (Math.abs(general) > 1e-9) nonZero++;
      };
      if (!lat.isAnion[s]) {
        const [ls, lt, ip] = [lat.liLayer[s]!, lat.liLayer[t]!, dirs.inPlane[k]!];
        check(cationSwapDeltaEnergy(bm, a, b, ls, lt, ip, w[s]!, w[t]!), keyOf(() => cationSwapKey(a, b, ls, lt, ip, w[s]!, w[t]!)), deltaEnergy(bm, lat, sp, [s, t], [b, a], 2));
      } else if (a === Species.O && b === Species.VAC_O) {
        check(vacancyHopDeltaEnergy(bm, w[s]!, w[t]!), keyOf(() => anionPairKey(ANION_HOP, w[s]!, w[t]!)), deltaEnergy(bm, lat, sp, [s, t], [b, a], 2));
      } else if (a === b && (a === Species.O || a === Species.VAC_O)) {
        const release = a === Species.O;
        const to = release ? Species.VAC_O : Species.O;
        check(oxygenPairDeltaEnergy(bm, release, w[s]!, w[t]!), keyOf(() => anionPairKey(release ? ANION_RELEASE : ANION_ADSORPTION, w[s]!, w[t]!)), deltaEnergy(bm, lat, sp, [s, t], [to, to], 2));
        pairs++;
      }
    }
    expect(nonZero).toBeGreaterThan(500);
    expect(pairs).toBeGreaterThan(100);
  });

  it('packed neighbour counts kept by the model equal a recount from scratch after 3000 events, and so do the slot classes (incremental caches)', () => {
    const m = smallModel(623.15);
    scrambled(m, 17);
    const rng = Rng.stream(18);
    const out = createSlotRate();
    expect(executeRandomEvents(m, rng, 3000)).toBe(3000);
    const incremental = { counts: Uint32Array.from((m as unknown as { local: Uint32Array }).local), rates: [] as number[][] };
    for (let slot = 0; slot < m.slotCount; slot++) {
      m.slotRate(slot, out);
      incremental.rates.push([out.nu_Hz, out.barrier_eV]);
    }
    const fresh = computeLocalCounts(m.lattice, directionTables(m.lattice), m.species);
    expect(Buffer.from(incremental.counts.buffer).equals(Buffer.from(fresh.buffer))).toBe(true);
    const m2 = new NcmModel({ lattice: m.lattice, species: m.species, params: P, pO2_Pa: 1.2e-5, temperature_K: 623.15 });
    for (let slot = 0; slot < m.slotCount; slot++) {
      m2.slotRate(slot, out);
      expect([out.nu_Hz, out.barrier_eV]).toEqual(incremental.rates[slot]);
    }
  });

  it('forward and backward barriers differ by ΔE (detailed balance: k_f/k_b = exp(−ΔE/kT)), O2 release included', () => {
    const T = 473.15;
    const m = smallModel(T);
    scrambled(m, 7);
    const bm = new BondModel(P);
    const lin = linearizeOxygen(T, 1.2e-5, P.muO_offset_eV);
    const mu = lin.h_eV + lin.g_eVPerK * T;
    expect(mu).toBeCloseTo(effectiveDeltaMuO_eV(T, { pO2_Pa: 1.2e-5, offset_eV: P.muO_offset_eV }), 12);
    const f = createSlotRate(), b = createSlotRate();
    const seen = new Set<number>();
    const lat = m.lattice;
    const rate = (r: typeof f) => r.nu_Hz * Math.exp(-r.barrier_eV / (kB * T));
    for (let slot = 0; slot < m.slotCount && seen.size < 5; slot++) {
      const kind = m.kindOf(slot);
      if (![EventKind.TM_MIGRATION, EventKind.VO_MIGRATION, EventKind.O2_RELEASE, EventKind.APB_MIGRATION].includes(kind as 1) || seen.has(kind)) continue;
      const s = Math.floor(slot / 12), t = neighbour2(lat, s, slot % 12);
      m.slotRate(slot, f);
      if (f.nu_Hz === 0 || f.barrier_eV <= 0) continue;
      const before = Uint8Array.from(m.species);
      const gas = kind === EventKind.O2_RELEASE ? 2 * mu : 0;
      const next = kind === EventKind.O2_RELEASE ? [Species.VAC_O, Species.VAC_O] : [before[t]!, before[s]!];
      const dE = deltaEnergy(bm, lat, before, [s, t], next, 2) + gas;
      m.execute(slot, Rng.stream(1), new AffectedSlots());
      // The reverse event: the same pair, owned by the mover's new site (or the lower index for pairs).
      const back = kind === EventKind.O2_RELEASE ? slot : t * 12 + Array.from({ length: 12 }, (_, j) => neighbour2(lat, t, j)).indexOf(s);
      m.slotRate(back, b);
      expect(b.nu_Hz).toBeGreaterThan(0);
      if (b.barrier_eV > 0) expect(Math.log(rate(f) / rate(b))).toBeCloseTo(-dE / (kB * T), 6);
      m.species.set(before);
      m.resync();
      seen.add(kind);
    }
    expect(seen.size).toBeGreaterThanOrEqual(3);
  });
});

describe('NCM surface cation diffusion (cation → empty octahedron at the pore)', () => {
  // Ea = E_KRA + ΔE/2 (MODEL.md §4), so k_f/k_b = exp(−ΔE/kT) for every pair the gate opens, and the gate
  // (both octahedra with ≥ 3 O: rates.ts swapPattern) depends on the pair only, so it is open or shut alike
  // for the reverse hop. Every SCD slot of the default small box is checked (each pair from both ends).
  it('every hop and its reverse obey k_f/k_b = exp(−ΔE/kT) to 1e-6 in ln k; a shut gate is shut for the reverse too; species, O and charge are conserved', () => {
    const T = 498.15;
    const m = smallModel(T);
    const bm = new BondModel(P);
    const lat = m.lattice;
    const f = createSlotRate(), b = createSlotRate();
    const rate = (r: typeof f) => r.nu_Hz * Math.exp(-r.barrier_eV / (kB * T));
    const sorted = (sp: Uint8Array) => Array.from(sp).sort((x, y) => x - y).join(',');
    const census0 = sorted(m.species), q0 = totalCharge(m.species), o0 = cationCounts(m.species).o;
    let open = 0, shut = 0;
    for (let slot = 0; slot < m.slotCount; slot++) {
      if (m.kindOf(slot) !== EventKind.SURFACE_CATION_DIFFUSION) continue;
      const s = Math.floor(slot / 12), t = neighbour2(lat, s, slot % 12);
      m.slotRate(slot, f);
      const before = Uint8Array.from(m.species);
      const dE = deltaEnergy(bm, lat, before, [s, t], [before[t]!, before[s]!], 2);
      m.execute(slot, Rng.stream(1), new AffectedSlots());
      expect([m.species[s], m.species[t]]).toEqual([Species.VOID, before[s]]); // the mover's old octahedron joins the pore
      expect(totalCharge(m.species)).toBe(q0);
      expect(cationCounts(m.species).o).toBe(o0);
      expect(sorted(m.species)).toBe(census0);
      const back = t * 12 + Array.from({ length: 12 }, (_, j) => neighbour2(lat, t, j)).indexOf(s);
      expect(m.kindOf(back)).toBe(EventKind.SURFACE_CATION_DIFFUSION);
      m.slotRate(back, b);
      if (f.nu_Hz === 0) {
        expect(b.nu_Hz).toBe(0);
        shut++;
      } else {
        expect(b.nu_Hz).toBeGreaterThan(0);
        expect(f.barrier_eV).toBeGreaterThan(0); // no clamp at 0 here, so the ratio is exact
        expect(b.barrier_eV).toBeGreaterThan(0);
        expect(Math.log(rate(f) / rate(b))).toBeCloseTo(-dE / (kB * T), 6);
        open++;
      }
      m.species.set(before);
      m.resync();
    }
    // The pore of the 16×16×12 box offers both: pairs of O-rich surface octahedra (gate open) and pairs with an O-poor end (shut).
    expect(open).toBeGreaterThan(100); // 200 at this commit
    expect(shut).toBeGreaterThan(100); // 172
  });
});

describe('NCM conservation and charge bookkeeping', () => {
  it('cations are conserved, O lost = 2 × net O2 released, the total charge never changes', () => {
    const m = smallModel(550);
    scrambled(m, 11);
    const rng = Rng.stream(3);
    const c0 = cationCounts(m.species);
    const q0 = totalCharge(m.species);
    const executed = executeRandomEvents(m, rng, 1500, (_slot, done) => {
      if (done % 100 !== 0) return;
      const c = cationCounts(m.species);
      expect(c.cations).toBe(c0.cations);
      expect(c0.o - c.o).toBe(2 * (m.counters.o2Released - m.counters.o2Adsorbed));
      expect(totalCharge(m.species)).toBe(q0);
    }, 40000);
    expect(executed).toBe(1500);
    expect(m.counters.o2Released).toBeGreaterThan(0);
  });

  it('each O2 release reduces four Ni by one charge each, the nearest to the two new vacancies first', () => {
    const m = smallModel(473.15);
    const lat = m.lattice;
    const out = createSlotRate();
    for (let slot = 0; slot < m.slotCount; slot++) {
      if (m.kindOf(slot) !== EventKind.O2_RELEASE) continue;
      m.slotRate(slot, out);
      if (out.nu_Hz === 0) continue;
      const before = Uint8Array.from(m.species);
      m.execute(slot, Rng.stream(1), new AffectedSlots());
      const changed: number[] = [];
      for (let i = 0; i < lat.n; i++) if (before[i] !== m.species[i] && !lat.isAnion[i]) changed.push(i);
      expect(changed.length).toBeLessThanOrEqual(4);
      const drop = changed.reduce((a, i) => a + (before[i]! - m.species[i]!), 0);
      expect(drop).toBe(4); // Ni³⁺→Ni²⁺ (or Ni⁴⁺→Ni³⁺), id order = charge order
      return;
    }
    throw new Error('no O2 release slot');
  });

  it('snapshot and restore give back the exact state and rates', () => {
    const m = smallModel(500);
    scrambled(m, 13);
    const bytes = m.snapshot();
    const m2 = smallModel(300);
    m2.restore(bytes);
    expect(Buffer.from(m2.snapshot()).equals(Buffer.from(bytes))).toBe(true);
    const a = createSlotRate(), b = createSlotRate();
    for (let s = 0; s < m.slotCount; s += 7) {
      m.slotRate(s, a);
      m2.slotRate(s, b);
      expect([b.nu_Hz, b.barrier_eV]).toEqual([a.nu_Hz, a.barrier_eV]);
    }
  });
});

describe('NCM oxygen terms', () => {
  it('the Ni/NiO gate opens between 400 and 500 °C with the default offset (seed: rock salt at 400 °C, Ni metal at 500 °C)', () => {
    const Tg = niGateTemperature_K(1.2e-5, P.muO_offset_eV);
    expect(Tg).toBeGreaterThan(673.15);
    expect(Tg).toBeLessThan(773.15);
    // Exactly where Δμ_O,eff meets the Ni/NiO line of thermo.ts.
    expect(effectiveDeltaMuO_eV(Tg, { pO2_Pa: 1.2e-5, offset_eV: P.muO_offset_eV })).toBeCloseTo(niNiOLine_eV(Tg), 9);
    // Nominal pressure alone (offset 0) never reaches Ni metal below 1000 K (MODEL.md §3).
    expect(niGateTemperature_K(1.2e-5, 0)).toBeGreaterThan(1000);
  });

  it('takes an oxygen environment: the H2O/H2 buffer linearises to within 1e-5 eV over 3 K and its Ni gate is exactly Δμ_O,eff − Ni/NiO line; a pO2 environment gives the rates of pO2_Pa', () => {
    const env = { pH2O_Pa: 1e-3, pH2_Pa: 1 };
    for (const T0 of [450, 600, 750]) {
      const lin = linearizeOxygen(T0, env, -0.2);
      for (const dT of [0, 1, 3]) {
        const exact = effectiveDeltaMuO_eV(T0 + dT, { ...env, offset_eV: -0.2 });
        expect(Math.abs(lin.h_eV + lin.g_eVPerK * (T0 + dT) - exact)).toBeLessThan(1e-5);
        expect(lin.hNi_eV + lin.gNi_eVPerK * (T0 + dT)).toBeCloseTo(exact - niNiOLine_eV(T0 + dT), 9);
      }
    }
    // The offset is the model's parameter: an environment's own offset_eV is ignored here.
    expect(linearizeOxygen(450, { pO2_Pa: 1, offset_eV: -0.3 }, 0)).toEqual(linearizeOxygen(450, { pO2_Pa: 1 }, 0));
    const box = buildNcmBox({ size: [12, 12, 8], poreRadii: [3, 3, 2], seed: 2 });
    const a = new NcmModel({ lattice: box.lattice, species: box.species, params: P, pO2_Pa: 1.2e-5, temperature_K: 500 });
    const b = new NcmModel({ lattice: box.lattice, species: box.species, params: P, oxygen: { pO2_Pa: 1.2e-5 }, temperature_K: 500 });
    const c = new NcmModel({ lattice: box.lattice, species: box.species, params: P, oxygen: env, temperature_K: 500 });
    const ra = createSlotRate(), rb = createSlotRate(), rc = createSlotRate();
    let differs = 0;
    for (let slot = 0; slot < a.slotCount; slot++) {
      a.slotRate(slot, ra);
      b.slotRate(slot, rb);
      c.slotRate(slot, rc);
      expect([rb.nu_Hz, rb.barrier_eV]).toEqual([ra.nu_Hz, ra.barrier_eV]);
      if (a.kindOf(slot) === EventKind.O2_RELEASE && (rc.nu_Hz !== ra.nu_Hz || rc.barrier_eV !== ra.barrier_eV)) differs++;
    }
    expect(differs).toBeGreaterThan(0); // the buffer sets another Δμ_O
    expect(() => new NcmModel({ lattice: box.lattice, species: box.species, params: P, temperature_K: 500 })).toThrow(/^pO2_Pa:/);
  });

  it('the tangent linearisation of Δμ_O,eff is within 1e-5 eV over a 3 K thinning window (½·|μ″|·ΔT², μ″ = −1.63e-4/T)', () => {
    for (const T0 of [350, 450, 600, 750]) {
      const lin = linearizeOxygen(T0, 1.2e-5, -1.05);
      for (const dT of [0, 1, 3]) {
        const exact = effectiveDeltaMuO_eV(T0 + dT, { pO2_Pa: 1.2e-5, offset_eV: -1.05 });
        expect(Math.abs(lin.h_eV + lin.g_eVPerK * (T0 + dT) - exact)).toBeLessThan(1e-5);
      }
    }
  });

  it('the O2-release reference ΔE is the 10 % quantile of exposed pairs at 175 °C on the default box (±0.1 eV)', () => {
    const T = 448.15;
    const box = buildNcmBox({ size: [24, 24, 16], poreRadii: [7, 7, 5], apb: true, seed: 1 });
    const m = new NcmModel({ lattice: box.lattice, species: box.species, params: P, pO2_Pa: 1.2e-5, temperature_K: T });
    const lin = linearizeOxygen(T, 1.2e-5, P.muO_offset_eV);
    const kra = P.o2Release_barrier_eV - 0.5 * P.o2ReleaseReference_deltaE_eV;
    const out = createSlotRate();
    const dEs: number[] = [];
    for (let s = 0; s < m.slotCount; s++) {
      if (m.kindOf(s) !== EventKind.O2_RELEASE) continue;
      m.slotRate(s, out);
      if (out.nu_Hz > 0) dEs.push(2 * (out.barrier_eV + lin.g_eVPerK * T - kra));
    }
    dEs.sort((a, b) => a - b);
    expect(dEs.length).toBeGreaterThan(500);
    expect(dEs[Math.floor(0.1 * (dEs.length - 1))]!).toBeCloseTo(P.o2ReleaseReference_deltaE_eV, 1);
  });
});
