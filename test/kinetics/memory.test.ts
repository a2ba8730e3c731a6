/**
 * Memory of an NCM kinetics run: the site count from lamella dimensions equals what the builder
 * makes, the per-part byte estimate matches what the code allocates, and a lamella that would not
 * fit is refused before allocation (directly and through `cathode-twin bench kmc`). Runtime ≈ 3 s.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { InputError, Rng } from '../../src/core/index.js';
import { buildLamella, lamellaSiteCount } from '../../src/lattice/index.js';
import { KmcEngine } from '../../src/kinetics/engine.js';
import { assertKmcFits, estimateKmcMemory } from '../../src/kinetics/memory.js';
import { TemperatureProgram } from '../../src/kinetics/program.js';
import { fromSiteLattice } from '../../src/kinetics/ncm/adapter.js';
import { NcmModel } from '../../src/kinetics/ncm/model.js';
import { computeRegions } from '../../src/kinetics/ncm/regions.js';
import { DEFAULT_NCM_PARAMS } from '../../src/kinetics/ncm/params.js';

/** Bytes of the typed arrays among an object's own fields. */
const typedBytes = (o: object): number =>
  Object.values(o).reduce((a: number, v) => a + (ArrayBuffer.isView(v) ? v.byteLength : 0), 0);

describe('KMC memory', () => {
  it('counts the sites of a lamella from its dimensions exactly as the builder makes them (zones 210, 100, 001)', () => {
    for (const [size_A, thickness_A, zone] of [[[48, 36], 28, '210'], [[30, 30], 20, '100'], [[25, 30], 30, '001'], [[80, 60], 60, '210']] as const) {
      const lam = buildLamella({ size_A, thickness_A, zone, pore: null, apb: null });
      expect(lamellaSiteCount({ size_A, thickness_A, zone })).toBe(lam.lattice.n);
    }
    // the seed's field of view: 20 × 20 nm, 20 nm thick
    expect(lamellaSiteCount({ size_A: [200, 200], thickness_A: 200 })).toBe(940_800);
  });

  it('estimates what a run allocates part by part (structure, lattice view, model, selector) within 10 % of the measured typed arrays', () => {
    const lam = buildLamella({ size_A: [48, 36], thickness_A: 28, pore: { radius_A: 10 }, mixing: 0.03, seed: 1 });
    const lattice = fromSiteLattice(lam.lattice);
    const model = new NcmModel({ lattice, species: lam.lattice.species, params: DEFAULT_NCM_PARAMS, pO2_Pa: 1.2e-5, temperature_K: 600 });
    const engine = new KmcEngine(model, TemperatureProgram.hold({ temperature_K: 600, duration_s: 1 }), { rng: Rng.stream(1) });
    engine.run({ maxEvents: 100 });
    const n = lattice.n;
    const est = estimateKmcMemory(n).parts;
    const structure = typedBytes(lam.lattice) + computeRegions(lattice, lam.lattice.species).byteLength; // region ids per site (kinetics/ncm/regions)
    const view = typedBytes(lattice) - lattice.positions_A.byteLength; // positions are the structure's
    expect(Math.abs(structure - est.structure) / est.structure).toBeLessThan(0.1);
    expect(Math.abs(view - est.latticeView) / est.latticeView).toBeLessThan(0.1);
    // the model estimate assumes 4-byte class ids (past 65 535 classes); with 2-byte ids it is 24 B/site less;
    // the class tables do not grow with the lattice
    const perSite = model.byteLength - model.slotClasses.tableByteLength;
    expect(Math.abs(perSite - (est.model - 24 * n)) / (est.model - 24 * n)).toBeLessThan(0.1);
    expect(model.slotClasses.tableByteLength).toBeLessThan(est.classTables);
    expect(engine.byteLength).toBeLessThanOrEqual(est.selector + est.classTables);
  });

  it('refuses a lamella that would not fit before allocating it, saying the sites, the bytes and what fits', () => {
    const sites = lamellaSiteCount({ size_A: [2e5, 2e5], thickness_A: 2e5 }); // 20 µm cube
    expect(sites).toBeGreaterThan(1e12);
    let err: unknown;
    try {
      assertKmcFits(sites, 'structure.width');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^structure\.width: got "[\d.]+e\+\d+ sites"/);
    expect(msg).toMatch(/needs ~[\d.]+ GB \(\d+ B\/site/);
    expect(msg).toMatch(/enough for ~[\d.]+e\+\d+ sites/);
    // a run that fits passes and returns its estimate; the budget can be given explicitly
    expect(assertKmcFits(32_256, 'structure.width').bytes).toBeGreaterThan(0);
    expect(() => assertKmcFits(1e6, 'structure.width', { available_B: 1e8 })).toThrow(/enough for ~[\d.]+e\+5 sites/);
  });

  it('cathode-twin bench kmc refuses an absurd seed-model size with exit status 2 and the memory message', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'bench', 'kmc', '--model', 'seed', '--sites', '1e12', '--events', '10'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--sites: got "1\.000e\+12 sites".*needs ~[\d.]+ GB/);
  });
});
