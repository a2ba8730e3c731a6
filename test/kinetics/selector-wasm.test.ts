/**
 * The class-mode BlockSelector on its WebAssembly kernels (src/kinetics/selector-wasm.ts) against its TypeScript path
 * (`{ wasm: false }`): the kernels must do the same float64 operations in the same order, so the totals must be equal
 * bit for bit and the selected slots identical, for class rates that are not exactly summable (spread over 30
 * decades, a third of them zero) and any pattern of changed slots. Exercised: one or many slots per block, more
 * dirty blocks than the kernel's list holds (it flushes early), new classes past the first memory (it grows and the
 * views are re-made), ids widened to 32 bits by the class table (the kernel is laid out again), u at and past the
 * rounded total, a block sum that overflows (the same InputError), and a whole NCM trajectory (same slots, same
 * species) with the kernels and without them.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/index.js';
import { BlockSelector } from '../../src/kinetics/index.js';
import type { SlotClassTable } from '../../src/kinetics/model.js';
import { WASM_DIRTY_CAPACITY } from '../../src/kinetics/selector-wasm.js';
import { KmcEngine } from '../../src/kinetics/engine.js';
import { TemperatureProgram } from '../../src/kinetics/program.js';
import { buildNcmBox } from '../../src/kinetics/ncm/box.js';
import { NcmModel } from '../../src/kinetics/ncm/model.js';
import { DEFAULT_NCM_PARAMS } from '../../src/kinetics/ncm/params.js';

/** A class table holding only slot ids (the selector reads nothing else); it can widen its ids as NcmRateClasses does. */
class IdTable implements SlotClassTable {
  ids: Uint16Array | Uint32Array;
  count = 1;
  readonly nu_Hz = new Float64Array(0);
  readonly barrier_eV = new Float64Array(0);
  readonly cap_Hz = new Float64Array(0);
  constructor(n: number) {
    this.ids = new Uint16Array(n);
  }
  widen(): void {
    this.ids = Uint32Array.from(this.ids);
  }
}

/**
 * The same, able to keep its ids where the selector puts them (`SlotClassTable.adoptIds`). It widens them as
 * NcmRateClasses does, through the selector's `widen` (in place in the kernel's memory), or with `ownCopy` by a copy of
 * its own (the selector then lays its memory out again).
 */
class AdoptingIdTable extends IdTable {
  private widenBy: ((ids: Uint16Array) => Uint32Array) | null = null;
  constructor(n: number, private readonly ownCopy = false) {
    super(n);
  }
  adoptIds(ids: Uint16Array | Uint32Array, widen: (ids: Uint16Array) => Uint32Array): void {
    this.ids = ids;
    this.widenBy = widen;
  }
  override widen(): void {
    if (this.ownCopy || this.widenBy === null) super.widen();
    else this.ids = this.widenBy(this.ids as Uint16Array);
  }
}

/** A rate over 30 decades, or 0 (a third of the classes): sums of these round, so their order shows. */
const randomRate = (rng: Rng): number => (rng.uniform() < 0.33 ? 0 : 10 ** (15 * rng.uniform() - 5) * (1 + rng.uniform()));
/** A power of two in [2⁻⁶, 2⁶], or 0: every partial sum is exact, so u can fall exactly on a slot's boundary. */
const dyadicRate = (rng: Rng): number => (rng.uniform() < 0.33 ? 0 : 2 ** (rng.int(13) - 6));

/** The two selectors over equal tables: ts on the TypeScript path, wasm on the kernels. */
function pair(n: number, G: number, ownCopy = false) {
  const tTs = new AdoptingIdTable(n), tWasm = new AdoptingIdTable(n, ownCopy);
  const ts = new BlockSelector(G, tTs, { wasm: false });
  const wasm = new BlockSelector(G, tWasm);
  return { tTs, tWasm, ts, wasm };
}

describe('BlockSelector: WebAssembly kernels = TypeScript path (class mode)', () => {
  it('gives the same totals (bit for bit) and the same selected slots for random class rates and dirty patterns', () => {
    let grown = 0, widenedInPlace = 0, widenedByCopy = 0, overflowed = 0;
    for (let trial = 0; trial < 40; trial++) {
      const rng = Rng.stream(trial, 3);
      const G = [12, 12, 5, 1][trial % 4]!;
      const n = 1 + rng.int(trial % 5 === 0 ? 40000 : 3000);
      // widening: in place (the selector's widen) in even trials, by the table's own copy in odd ones
      const { tTs, tWasm, ts, wasm } = pair(n, G, trial % 2 === 1);
      expect(wasm.wasm).toBe(true);
      expect(ts.wasm).toBe(false);
      // odd trials: dyadic rates, and u also exactly at the cumulative rate of the slots before a random slot
      const dyadic = trial % 2 === 1;
      let classes = 1 + rng.int(200);
      const rates: number[] = [0];
      const setClasses = (count: number): void => {
        for (const s of [ts, wasm]) s.ensureClasses(count);
        for (let c = rates.length; c < count; c++) rates.push(dyadic ? dyadicRate(rng) : randomRate(rng));
        for (const s of [ts, wasm]) for (let c = 0; c < count; c++) s.classRate[c] = rates[c]!;
      };
      setClasses(classes);
      for (let i = 0; i < n; i++) tTs.ids[i] = tWasm.ids[i] = rng.int(classes);
      ts.initClasses(n);
      wasm.initClasses(n);
      for (let step = 0; step < 60; step++) {
        // a dirty pattern: a few slots, one crowded block, or (sometimes) more blocks than the kernel's list holds
        const mode = rng.int(10);
        if (mode === 0 && classes < 5000) {
          classes += 1 + rng.int(700);
          setClasses(classes);
          grown++;
        }
        if (step === 30 && trial % 4 < 2 && tWasm.ids instanceof Uint16Array) {
          const before = wasm.byteLength;
          tTs.widen();
          tWasm.widen();
          if (trial % 2 === 1) widenedByCopy++;
          else {
            widenedInPlace++;
            // in place: the same memory, 2 bytes more per slot (the ids are not counted by the selector)
            expect(wasm.byteLength).toBeLessThan(before + 65536 + 8);
          }
        }
        const k = mode === 2 ? Math.min(n, (WASM_DIRTY_CAPACITY + 200) * G) : 1 + rng.int(mode === 3 ? 3 * G : 60);
        const base = rng.int(n);
        if (k > WASM_DIRTY_CAPACITY * G) overflowed++;
        for (let q = 0; q < k; q++) {
          const i = mode === 3 ? (base + rng.int(3 * G)) % n : mode === 2 ? (base + q) % n : rng.int(n);
          const c = rng.int(classes);
          tTs.ids[i] = c;
          tWasm.ids[i] = c;
          ts.markDirty(i);
          wasm.markDirty(i);
        }
        const total = ts.total();
        expect(Object.is(wasm.total(), total)).toBe(true);
        if (!(total > 0)) continue;
        const us = [rng.uniform() * total, rng.uniform() * total, total, total * (1 + 1e-15), 0];
        if (dyadic) {
          let cum = 0;
          for (let i = 0, end = rng.int(n); i < end; i++) cum += rates[tTs.ids[i]!]!;
          us.push(cum);
        }
        for (const u of us) {
          const i = ts.select(u);
          expect(wasm.select(u)).toBe(i);
          expect(wasm.rate(i)).toBe(ts.rate(i));
        }
      }
      // the kernel's ids are the table's (one memory, no copy), whatever the table's width
      expect(wasm.wasm).toBe(true);
      expect(tWasm.ids.BYTES_PER_ELEMENT).toBe(tTs.ids.BYTES_PER_ELEMENT);
      // drift-free: a tree built afresh from the final ids and rates has the same total
      const fresh = new BlockSelector(G, tTs, { wasm: false });
      fresh.ensureClasses(classes);
      for (let c = 0; c < classes; c++) fresh.classRate[c] = rates[c]!;
      fresh.initClasses(n);
      expect(Object.is(wasm.total(), fresh.total())).toBe(true);
    }
    // every path above ran
    expect(grown).toBeGreaterThan(5);
    expect(widenedInPlace).toBeGreaterThan(0);
    expect(widenedByCopy).toBeGreaterThan(0);
    expect(overflowed).toBeGreaterThan(0);
  });

  it('keeps the TypeScript path for a class table that cannot place its ids, and reports an overflowing block sum as the TypeScript path does', () => {
    const plain = new BlockSelector(12, new IdTable(100));
    expect(plain.wasm).toBe(false);
    const { tTs, tWasm, ts, wasm } = pair(100, 12);
    for (const s of [ts, wasm]) {
      s.ensureClasses(2);
      s.classRate[1] = 1e308;
    }
    ts.initClasses(100);
    wasm.initClasses(100);
    for (const [t, s] of [[tTs, ts], [tWasm, wasm]] as const) {
      t.ids[24] = 1;
      t.ids[25] = 1;
      s.markDirty(24);
      s.markDirty(25);
      expect(() => s.total()).toThrow(/selector\.rate.*slot 2/);
    }
    for (const [t, s] of [[tTs, ts], [tWasm, wasm]] as const) {
      t.ids.fill(0);
      expect(() => s.initClasses(100)).not.toThrow();
      t.ids[99] = 1;
      t.ids[98] = 1;
      expect(() => s.initClasses(100)).toThrow(/selector\.rate.*slot 8/);
    }
  });

  it('runs the NCM model to the same slots, times and species with the kernels as without them (ramp + hold, thinning)', () => {
    const run = (kernels: boolean) => {
      const box = buildNcmBox({ size: [16, 16, 12], poreRadii: [4, 4, 3], apb: true, seed: 5 });
      const model = new NcmModel({ lattice: box.lattice, species: box.species, params: DEFAULT_NCM_PARAMS, pO2_Pa: 1.2e-5, temperature_K: 700 });
      const program = TemperatureProgram.concat(
        TemperatureProgram.ramp({ start_K: 700, end_K: 703, rate_KPerS: 1 }),
        TemperatureProgram.hold({ temperature_K: 703, duration_s: 1e9 }),
      );
      const saved = process.env.CATHODE_NO_SIMD_KERNELS;
      if (!kernels) process.env.CATHODE_NO_SIMD_KERNELS = '1';
      let engine: KmcEngine;
      try {
        engine = new KmcEngine(model, program, { rng: Rng.stream(21), window_K: 1, frames_s: [] });
      } finally {
        if (saved === undefined) delete process.env.CATHODE_NO_SIMD_KERNELS;
        else process.env.CATHODE_NO_SIMD_KERNELS = saved;
      }
      expect((engine as unknown as { csel: BlockSelector }).csel.wasm).toBe(kernels);
      const slots: number[] = [], times: number[] = [];
      engine.run({ maxEvents: 20000, onEvent: (s, t) => { slots.push(s); times.push(t); } });
      return { slots, times, species: model.species, candidates: engine.candidates };
    };
    const a = run(true), b = run(false);
    expect(a.slots.length).toBe(20000);
    expect(a.candidates).toBeGreaterThan(a.slots.length); // thinning rejected some
    expect(a.slots).toEqual(b.slots);
    expect(a.times).toEqual(b.times);
    expect(Buffer.from(a.species).equals(Buffer.from(b.species))).toBe(true);
  });
});
