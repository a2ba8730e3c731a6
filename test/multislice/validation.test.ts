import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/index.js';
import { type HaadfOptions, simulateHaadf, simulateProbeSignal } from '../../src/multislice/index.js';
import { singleAtom } from './structures.js';

const OPTS: HaadfOptions = {
  energy_eV: 200e3, semiangle_mrad: 15.07, detector: { inner_mrad: 70, outer_mrad: 180 }, sampling_A: 0.045, sliceThickness_A: 2,
};

async function fieldOf(p: Promise<unknown>): Promise<string> {
  try { await p; } catch (e) { if (e instanceof InputError) return `${e.field} | ${e.message}`; throw e; }
  return 'no error';
}

describe('bad input → InputError naming the field', () => {
  const atom = singleAtom(28, 6, 2);
  it('unknown element (Z = 0 or beyond the table) names atoms.Z', async () => {
    expect(await fieldOf(simulateProbeSignal({ ...atom, Z: Uint8Array.of(0) }, OPTS, 3, 3))).toMatch(/^atoms\.Z\[0\]/);
    expect(await fieldOf(simulateProbeSignal({ ...atom, Z: Uint8Array.of(118) }, OPTS, 3, 3))).toMatch(/^atoms\.Z\[0\]/);
  });
  it('zero or negative thickness names thickness; zero or negative slice names slice', async () => {
    expect(await fieldOf(simulateProbeSignal({ ...atom, cell_A: [6, 6, 0] }, OPTS, 3, 3))).toMatch(/^thickness/);
    expect(await fieldOf(simulateProbeSignal({ ...atom, cell_A: [6, 6, -2] }, OPTS, 3, 3))).toMatch(/^thickness/);
    expect(await fieldOf(simulateProbeSignal(atom, { ...OPTS, sliceThickness_A: 0 }, 3, 3))).toMatch(/^slice/);
  });
  it('zero or negative sampling names sampling', async () => {
    expect(await fieldOf(simulateProbeSignal(atom, { ...OPTS, sampling_A: 0 }, 3, 3))).toMatch(/^sampling/);
    expect(await fieldOf(simulateProbeSignal(atom, { ...OPTS, sampling_A: -0.1 }, 3, 3))).toMatch(/^sampling/);
  });
  it('outer angle ≤ inner names detector', async () => {
    expect(await fieldOf(simulateProbeSignal(atom, { ...OPTS, detector: { inner_mrad: 180, outer_mrad: 70 } }, 3, 3))).toMatch(/^detector/);
    expect(await fieldOf(simulateProbeSignal(atom, { ...OPTS, detector: { inner_mrad: 70, outer_mrad: 70 } }, 3, 3))).toMatch(/^detector/);
  });
  it('sampling too coarse for the outer angle names sampling and the sampling that would do (λ/3θ = 0.0464 Å at 180 mrad)', async () => {
    const msg = await fieldOf(simulateProbeSignal(atom, { ...OPTS, sampling_A: 0.08 }, 3, 3));
    expect(msg).toMatch(/^sampling/);
    expect(msg).toMatch(/≤ 0\.0464 Å/);
  });
  it('atoms outside the cell name atoms.positions', async () => {
    const out = { ...atom, positions_A: Float64Array.of(7, 3, 1) };
    expect(await fieldOf(simulateHaadf(out, OPTS))).toMatch(/^atoms\.positions\[0\]/);
  });
  it('negative phonon count or bad worker count name their fields', async () => {
    expect(await fieldOf(simulateProbeSignal(atom, { ...OPTS, phonons: -1 }, 3, 3))).toMatch(/^phonons/);
    expect(await fieldOf(simulateHaadf(atom, { ...OPTS, workers: 0 }))).toMatch(/^workers/);
  });
});
