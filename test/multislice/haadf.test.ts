import { describe, expect, it } from 'vitest';
import { type HaadfOptions, simulateHaadf, simulateProbeSignal } from '../../src/multislice/index.js';
import type { Atoms } from '../../src/lattice/atoms.js';
import { columns, lno210, singleAtom } from './structures.js';

/** The seed's optics: 200 kV, 15.07 mrad, HAADF 70–180 mrad; 180 mrad needs Δ ≤ λ/(3·0.18) = 0.0464 Å. */
const OPTS: HaadfOptions = {
  energy_eV: 200e3, semiangle_mrad: 15.07, detector: { inner_mrad: 70, outer_mrad: 180 }, sampling_A: 0.045, sliceThickness_A: 2.5,
};

async function columnSignals(atoms: Atoms, opts: HaadfOptions, shift: [number, number] = [0, 0]): Promise<{ li: number; m: number }> {
  const li = columns(atoms, 0)[1]!, m = columns(atoms, 1)[1]!;
  const sLi = await simulateProbeSignal(atoms, opts, li[0] + shift[0], li[1] + shift[1]);
  const sM = await simulateProbeSignal(atoms, opts, m[0] + shift[0], m[1] + shift[1]);
  return { li: sLi.signal, m: sM.signal };
}

describe('single-atom HAADF', () => {
  it('grows as Z^n with 1.5 ≤ n ≤ 2.0 over Z ∈ {8, 25, 28, 38, 79} (Kirkland 2010 §7.4; Hartel et al. 1996: n ≈ 1.6–1.9)', async () => {
    const Zs = [8, 25, 28, 38, 79];
    const sig: number[] = [];
    for (const Z of Zs) sig.push((await simulateProbeSignal(singleAtom(Z, 8, 2), { ...OPTS, sliceThickness_A: 2 }, 4, 4)).signal);
    const lx = Zs.map(Math.log), ly = sig.map(Math.log);
    const mx = lx.reduce((a, b) => a + b) / 5, my = ly.reduce((a, b) => a + b) / 5;
    let sxy = 0, sxx = 0;
    for (let i = 0; i < 5; i++) { sxy += (lx[i]! - mx) * (ly[i]! - my); sxx += (lx[i]! - mx) ** 2; }
    const n = sxy / sxx;
    expect(n).toBeGreaterThanOrEqual(1.5);
    expect(n).toBeLessThanOrEqual(2.0);
    for (let i = 1; i < 5; i++) expect(sig[i]!).toBeGreaterThan(sig[i - 1]!);
  });
});

describe('LiNiO2 along [210] (30 Å thick)', () => {
  const lno = lno210(2, 6);

  it('shows bright M columns and Li columns below 15 % of M without mixing (seed: Li layers dark in HAADF)', async () => {
    const { li, m } = await columnSignals(lno, OPTS);
    expect(m).toBeGreaterThan(0.01);
    expect(li / m).toBeLessThan(0.15);
  });

  it('raises the Li-site signal when 20 % of Li sites hold Ni (cation mixing), by more than 50 %', async () => {
    const pure = await columnSignals(lno, OPTS);
    const mixed = await columnSignals(lno210(2, 6, 0.2), OPTS);
    expect(mixed.li / pure.li).toBeGreaterThan(1.5);
  });

  it('changes column intensities by < 3 % when sampling and slice thickness are halved (convergence)', async () => {
    const thin = lno210(2, 3);
    const a = await columnSignals(thin, OPTS);
    const b = await columnSignals(thin, { ...OPTS, sampling_A: OPTS.sampling_A / 2, sliceThickness_A: OPTS.sliceThickness_A / 2 });
    expect(Math.abs(b.m / a.m - 1)).toBeLessThan(0.03);
    expect(Math.abs(b.li / a.li - 1)).toBeLessThan(0.03);
  });

  it('changes column intensities by < 1 % when the structure (and probe) move by a fraction of a pixel', async () => {
    const thin = lno210(2, 3);
    const a = await columnSignals(thin, OPTS);
    const dx = 0.37 * 0.045, dy = 0.61 * 0.0277;
    const moved = { ...thin, positions_A: thin.positions_A.map((v, i) => (i % 3 === 0 ? v + dx : i % 3 === 1 ? v + dy : v)) };
    const b = await columnSignals(moved, OPTS, [dx, dy]);
    expect(Math.abs(b.m / a.m - 1)).toBeLessThan(0.01);
    expect(Math.abs(b.li / a.li - 1)).toBeLessThan(0.01);
  });
});

describe('whole-cell scans', () => {
  it('scan the periodic cell at the probe Nyquist step and Fourier-interpolate to the output pixels: a pixel on an M column equals the probe signal there within 2 %', async () => {
    const atoms = lno210(1, 1);
    const img = await simulateHaadf(atoms, { ...OPTS, scanStep_A: 2.878 / 16 });
    expect(img.width).toBe(16);
    const [sx, sy] = img.metadata.scanStep_A as number[];
    expect(Math.max(sx!, sy!)).toBeLessThanOrEqual(img.metadata.nyquistStep_A as number); // λ/4α = 0.416 Å
    expect(Math.min(sx!, sy!)).toBeGreaterThan(0.3); // not finer than needed: the output pixels come by interpolation
    const m = columns(atoms, 1)[0]!; // (0, 0)
    const direct = (await simulateProbeSignal(atoms, OPTS, m[0], m[1])).signal;
    const pix = img.data[Math.round(m[1] / img.samplingY_A) * img.width + Math.round(m[0] / img.sampling_A)]!;
    expect(Math.abs(pix / direct - 1)).toBeLessThan(0.02);
    expect(pix).toBeCloseTo(Math.max(...img.data), 6);
  });
});
