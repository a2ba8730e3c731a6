/**
 * The fast NCM model (packed neighbour counts, rate classes, class-based selector) against the
 * reference evaluator of test/kinetics/ncm-reference.ts (the e00e739 rate rules evaluated from
 * scratch with the general bond-model ΔE, no caches, two-shell refresh after every event).
 *
 * - Same Arrhenius data for every slot, on scrambled states (all event kinds present) at several
 *   temperatures, the Ni/NiO gate closed and open: ν and Ea to 1e-12 relative/absolute (the closed
 *   form sums the same bond terms in another order: float rounding only).
 * - Same trajectory from the same random numbers: the engine driving each model through a ramp and
 *   a hold (thinning included) executes the same slots in the same order to the same final species;
 *   times agree to 1e-9 relative (rates differ by rounding only).
 * Runtime ≈ 4 s on an idle 2-core machine (the reference is slow by design).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/index.js';
import { Species } from '../../src/lattice/species.js';
import { KmcEngine } from '../../src/kinetics/engine.js';
import { AffectedSlots, createSlotRate } from '../../src/kinetics/model.js';
import { TemperatureProgram } from '../../src/kinetics/program.js';
import { buildNcmBox } from '../../src/kinetics/ncm/box.js';
import { NcmModel } from '../../src/kinetics/ncm/model.js';
import { DEFAULT_NCM_PARAMS } from '../../src/kinetics/ncm/params.js';
import { ReferenceNcmModel, executeRandomEvents } from './ncm-reference.js';

const P = DEFAULT_NCM_PARAMS;

/** A small box with a pore and an APB, scrambled so that every event kind has slots: V_O, antisites, cation vacancies, Ni²⁺. */
function scrambledBox(seed: number, reduce = false) {
  const box = buildNcmBox({ size: [16, 16, 12], poreRadii: [4, 4, 3], apb: true, seed });
  const sp = box.species;
  const rng = Rng.stream(seed, 77);
  for (let s = 0; s < sp.length; s++) {
    const u = rng.uniform();
    if (sp[s] === Species.O && u < (reduce ? 0.3 : 0.12)) sp[s] = Species.VAC_O;
    else if (sp[s] === Species.LI && u < 0.05) sp[s] = Species.VAC_CATION;
    else if (sp[s] === Species.LI && u < 0.15) sp[s] = Species.NI2;
    else if (sp[s] === Species.NI3 && (reduce || u < 0.2)) sp[s] = Species.NI2;
  }
  return box;
}

function expectSameRates(fast: NcmModel, ref: ReferenceNcmModel): number {
  const a = createSlotRate(), b = createSlotRate();
  let active = 0;
  for (let slot = 0; slot < fast.slotCount; slot++) {
    fast.slotRate(slot, a);
    ref.slotRate(slot, b);
    if (a.nu_Hz !== 0 || b.nu_Hz !== 0) {
      active++;
      if (Math.abs(a.nu_Hz - b.nu_Hz) > 1e-12 * b.nu_Hz || Math.abs(a.barrier_eV - b.barrier_eV) > 1e-12) {
        throw new Error(`slot ${slot} (kind ${ref.kind(slot)}): fast ν=${a.nu_Hz} Ea=${a.barrier_eV}, reference ν=${b.nu_Hz} Ea=${b.barrier_eV}`);
      }
    }
  }
  return active;
}

describe('fast NCM model = reference evaluator', () => {
  it('gives every slot the reference Arrhenius data on scrambled states (400–760 K, Ni gate closed and open), also after 600 random events', () => {
    for (const [seed, T, reduce] of [[1, 448.15, false], [2, 623.15, false], [3, 763.15, true]] as const) {
      const box = scrambledBox(seed, reduce);
      const fast = new NcmModel({ lattice: box.lattice, species: box.species, params: P, pO2_Pa: 1.2e-5, temperature_K: T });
      const ref = new ReferenceNcmModel(box.lattice, box.species, P, 1.2e-5, T);
      expect(expectSameRates(fast, ref)).toBeGreaterThan(1000);
      const rng = Rng.stream(seed, 5);
      const aff = new AffectedSlots();
      const done = executeRandomEvents(fast, rng, 600, (slot) => {
        aff.clear();
        ref.execute(slot, rng, aff);
      });
      expect(done).toBe(600);
      expect(Buffer.from(fast.species).equals(Buffer.from(ref.species))).toBe(true);
      expectSameRates(fast, ref);
      expect(fast.counters.byKind.reduce((x, y) => x + y, 0)).toBe(600);
    }
  });

  it('executes the same slots in the same order from the same random numbers (ramp + hold, thinning), to the same final species', () => {
    const box = scrambledBox(4);
    const program = TemperatureProgram.concat(
      TemperatureProgram.ramp({ start_K: 560, end_K: 562, rate_KPerS: 0.1 }),
      TemperatureProgram.hold({ temperature_K: 562, duration_s: 2 }),
    );
    const run = (model: NcmModel | ReferenceNcmModel) => {
      const slots: number[] = [];
      const times: number[] = [];
      // the fast model runs on its class selector; the reference on the per-slot block selector
      const engine = new KmcEngine(model, program, { rng: Rng.stream(11), window_K: 1, frames_s: [] });
      engine.run({ onEvent: (s, t) => { slots.push(s); times.push(t); } });
      return { slots, times, candidates: engine.candidates };
    };
    const fast = new NcmModel({ lattice: box.lattice, species: box.species, params: P, pO2_Pa: 1.2e-5, temperature_K: 560 });
    const ref = new ReferenceNcmModel(box.lattice, box.species, P, 1.2e-5, 560);
    const a = run(fast), b = run(ref);
    expect(a.slots.length).toBeGreaterThan(250);
    expect(a.candidates).toBeGreaterThan(a.slots.length); // thinning rejected some candidates
    expect(a.slots).toEqual(b.slots);
    for (let i = 0; i < a.times.length; i++) expect(Math.abs(a.times[i]! - b.times[i]!)).toBeLessThanOrEqual(1e-9 * b.times[i]!);
    expect(Buffer.from(fast.species).equals(Buffer.from(ref.species))).toBe(true);
  });
});
