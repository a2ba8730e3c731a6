/**
 * analyseFrame on real experimental images from ../shared/data (skipped, with a message, where it is absent):
 * - atomap's SrTiO3 [110] ADF (HyperSpy HDF5, float16, 0.09326 Å/px from its own axis scale): both cation sublattices,
 *   the column lattice against SrTiO3 (a = 3.905 Å, Pm-3m) within 2 %, and the column count against the sites in the
 *   field;
 * - StatSTEM's Pt/Ir particle in fraction of the beam: integrated intensities against the image (an invariant).
 * Runtime ≈ 2 s.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyseFrame } from '../../src/twin/analyse/index.js';
import { readSeries } from '../../src/twin/series/index.js';

const data = fileURLToPath(new URL('../../../shared/data/experimental/', import.meta.url));
const sto = `${data}atomap/test_ADF_cropped.hdf5`, ptir = `${data}statstem/Example_PtIr_extracted_arrays.npz`;
const noData = !existsSync(sto) || !existsSync(ptir);
if (noData) console.warn(`analyse-real: ../shared/data/experimental is absent (${data}): real-data tests skipped`);

describe('analyse on real experimental images', () => {
  it.skipIf(noData)('SrTiO3 [110] ADF (atomap): Sr and Ti columns, lattice 3.905 Å along [001] with the cations alternating at a/2, a/√2 along [1-10], one column per site', async () => {
    const s = await readSeries(sto);
    expect(s.pixelSize_A).toBeCloseTo(0.09326, 5); // HyperSpy axis scale 0.009326 (nm, with a stated warning)
    expect(s.warnings?.join(' ')).toMatch(/no unit/);
    const a = analyseFrame({ data: s.frames[0]!, width: s.width, height: s.height }, { pixelX_A: s.pixelSize_A!, intensity: 'relative' });
    // Two cation sublattices, A (Sr-O, heavier) brighter than B (Ti).
    const [A, B] = a.sublattices;
    expect(a.sublattices.length).toBeGreaterThanOrEqual(2);
    expect(A!.detected).toBeGreaterThan(100);
    expect(B!.detected).toBeGreaterThan(90);
    expect(A!.meanIntensity).toBeGreaterThan(1.3 * B!.meanIntensity);
    // Lattice: a/√2 = 2.761 Å and a = 3.905 Å (SrTiO3, a = 3.905 Å) within 2 %, orthogonal within 1°.
    const lengths = [a.lattice.length1_A, a.lattice.length2_A].sort((p, q) => p - q);
    expect(Math.abs(lengths[0]! / (3.905 / Math.SQRT2) - 1)).toBeLessThan(0.02);
    expect(Math.abs(lengths[1]! / 3.905 - 1)).toBeLessThan(0.02);
    expect(Math.abs(a.lattice.angle_deg - 90)).toBeLessThan(1);
    // B sits half a period from A along [001] (the 3.905 Å vector) and on A's row along [1-10].
    const along001 = a.lattice.length1_A > a.lattice.length2_A ? 0 : 1;
    const f = B!.fraction;
    const d = (v: number): number => Math.abs(v - Math.round(v));
    expect(Math.abs(d(f[along001]!) - 0.5)).toBeLessThan(0.02);
    expect(d(f[1 - along001]!)).toBeLessThan(0.02);
    // Column count: cation sites in the field (two per 2.761 × 3.905 Å cell) inside the 2σ edge band, within 3 %.
    const px = s.pixelSize_A!;
    const m = 2 * A!.width_A;
    const inner = ((s.width - 1) * px - 2 * m) * ((s.height - 1) * px - 2 * m);
    const sites = (2 * inner) / ((3.905 / Math.SQRT2) * 3.905);
    const found = A!.count + B!.count;
    expect(Math.abs(found / sites - 1)).toBeLessThan(0.03);
  });

  it.skipIf(noData)('Pt/Ir particle (StatSTEM, fraction of the beam): Σ column cross-sections = Σ (image − background) within 2 %', async () => {
    const s = await readSeries(ptir);
    expect(s.pixelSize_A).toBeUndefined(); // the .npz carries no calibration: the caller must give one
    const px = 0.124; // any length works for the invariant; Pt [110] projected spacing ≈ 2.4 Å over ≈ 19.4 px
    const img = s.frames[0]!;
    const a = analyseFrame({ data: img, width: s.width, height: s.height }, { pixelX_A: px, intensity: 'fraction' });
    let cols = 0;
    for (let i = 0; i < a.columns.n; i++) cols += a.columns.intensity[i]!;
    let image = 0;
    for (let i = 0; i < img.length; i++) image += img[i]! - a.background[i]!;
    image *= px * px;
    expect(Math.abs(cols / image - 1)).toBeLessThan(0.02);
    // The particle's columns are found (≈ 160 detected) and the vacuum is the low-mass-thickness region.
    expect(a.columns.detected.reduce((p, v) => p + v, 0)).toBeGreaterThan(120);
    expect(a.regions.area_A2.pore!).toBeGreaterThan(0.5 * s.width * s.height * px * px);
  });
});
