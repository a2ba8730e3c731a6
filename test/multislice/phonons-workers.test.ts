import { describe, expect, it } from 'vitest';
import { type HaadfOptions, displacementRms_A, simulateHaadf, simulateProbeSignal } from '../../src/multislice/index.js';
import { columns, lno210 } from './structures.js';

const OPTS: HaadfOptions = {
  energy_eV: 200e3, semiangle_mrad: 15.07, detector: { inner_mrad: 70, outer_mrad: 180 }, sampling_A: 0.045, sliceThickness_A: 2.5,
};

describe('frozen phonons', () => {
  it('displace each axis with r.m.s. u = √(B/8π²) (Kirkland 2010 §7.3): B = 1 Å² → 0.1125 Å for Li', () => {
    const a = lno210(1, 1);
    const u = displacementRms_A(a);
    const li = [...a.Z].indexOf(3);
    expect(u[li]!).toBeCloseTo(Math.sqrt(1 / (8 * Math.PI ** 2)), 6);
    expect(displacementRms_A(a, { Li: 2 })[li]!).toBeCloseTo(Math.sqrt(2 / (8 * Math.PI ** 2)), 6);
  });

  // Measured here (LiNiO2 [210], 2×3 cells = 15 Å, probe on an M column, 16 single-configuration runs): the per-configuration
  // spread is ~7 % (sd/mean; 11 % at 30 Å), so the mean of N configurations has a standard error ~7 %/√N; the thermal
  // M-column signal is ~12 % BELOW the static lattice (0.0102 vs 0.0115; 0.0283 vs 0.0330 at 30 Å), and the Li column
  // ~4 % above it. Why: along [210] the column period is a√3 = 4.985 Å, so the first-order Laue zone ring lies at
  // θ ≈ √(2λ/c) ≈ 100 mrad, inside the 70–180 mrad detector; in the static lattice this coherent HOLZ scattering is
  // strong, thermal displacements damp it by the Debye–Waller factor and replace it only partly by diffuse scattering
  // (Kirkland 2010 §7.3–7.4; Loane, Xu & Silcox 1991, Acta Cryst. A47, 267).
  it('converge with the number of configurations (running mean of 16 within 2.5 standard errors of the mean of 8) and lower the M-column signal below the static lattice', async () => {
    const atoms = lno210(2, 3);
    const m = columns(atoms, 1)[1]!;
    const stat = (await simulateProbeSignal(atoms, OPTS, m[0], m[1])).signal;
    const v: number[] = [];
    for (let s = 0; s < 16; s++) v.push((await simulateProbeSignal(atoms, { ...OPTS, phonons: 1, seed: 100 + s }, m[0], m[1])).signal);
    const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
    const sd = Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)) * (v.length / (v.length - 1)));
    const m8 = mean(v.slice(0, 8)), m16 = mean(v);
    const se8 = sd / Math.sqrt(8), se16 = sd / Math.sqrt(16);
    expect(sd / m16).toBeLessThan(0.2); // per-configuration spread
    expect(Math.abs(m16 - m8)).toBeLessThan(2.5 * se8);
    expect(m16 / stat).toBeLessThan(1 - 3 * (se16 / m16)); // significantly below static
    expect(m16 / stat).toBeGreaterThan(0.7);
    // averaging inside simulateProbeSignal equals the mean of single configurations (same streams: seed, config index)
    const avg = (await simulateProbeSignal(atoms, { ...OPTS, phonons: 4, seed: 7 }, m[0], m[1])).signal;
    expect(avg).toBeGreaterThan(0.7 * stat);
  });

  it('give the same image for the same seed and a different one for another seed', async () => {
    const atoms = lno210(1, 1);
    const o: HaadfOptions = { ...OPTS, phonons: 2, seed: 5, scanRegion_A: [0, 4, 0.8, 4.8], scanStep_A: 0.4 };
    const a = await simulateHaadf(atoms, o), b = await simulateHaadf(atoms, o), c = await simulateHaadf(atoms, { ...o, seed: 6 });
    expect(Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer))).toBe(true);
    expect(Buffer.from(a.data.buffer).equals(Buffer.from(c.data.buffer))).toBe(false);
  });
});

describe('probe positions over piscina workers', () => {
  it('give a byte-identical image for 1 and 2 workers (phonons, thickness series included)', async () => {
    const atoms = lno210(1, 2);
    const o: HaadfOptions = { ...OPTS, phonons: 2, seed: 3, scanRegion_A: [0, 3.5, 1.2, 5.1], scanStep_A: 0.4, thicknessSeries_A: [5] };
    const one = await simulateHaadf(atoms, { ...o, workers: 1 });
    const two = await simulateHaadf(atoms, { ...o, workers: 2 });
    expect(one.width * one.height).toBe(12);
    expect(Buffer.from(two.data.buffer).equals(Buffer.from(one.data.buffer))).toBe(true);
    expect(two.thicknessSeries.length).toBe(2);
    expect(Buffer.from(two.thicknessSeries[0]!.data.buffer).equals(Buffer.from(one.thicknessSeries[0]!.data.buffer))).toBe(true);
    // signal grows with thickness at the M column
    expect(Math.max(...one.data)).toBeGreaterThan(Math.max(...one.thicknessSeries[0]!.data));
  });
});
