import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/index.js';
import { buildLamella } from '../../src/lattice/index.js';
import { type CalibrationLookup, type ColumnCalibration, columnCrossSection } from '../../src/multislice/index.js';
import { frameCrossSections } from '../../src/twin/dataset/calibration.js';
import { COLUMN_ELEMENTS, type FrameColumns, cachedColumnGeometry, columnGeometry } from '../../src/twin/dataset/specimen.js';

// The per-thread caches of the dataset generator (issue 16, speed) must return exactly what the uncached functions
// return, and must be used: a lattice with the same positions, roles and cell reuses its column geometry; a column
// content (spacing, element counts) seen before at a node is not evaluated again.
describe('dataset caches', () => {
  it('cachedColumnGeometry reuses the geometry of a bit-identical lattice only, equal to columnGeometry', () => {
    const build = () => buildLamella({ zone: '210', size_A: 14, thickness_A: 10, pore: null, apb: null, seed: 3 }).lattice;
    const a = build(), b = build();
    const ga = cachedColumnGeometry(a), gb = cachedColumnGeometry(b);
    expect(gb).toBe(ga);
    expect(ga).toEqual(columnGeometry(a));
    // One position moved by one ulp: not the same lattice, so a new geometry (equal to the uncached one).
    const c = build();
    c.position_A[7] = c.position_A[7]! + Number.EPSILON * Math.max(1, Math.abs(c.position_A[7]!));
    const gc = cachedColumnGeometry(c);
    expect(gc).not.toBe(ga);
    expect(gc).toEqual(columnGeometry(c));
    // A role changed: not the same lattice either.
    const d = build();
    d.role[0] = (d.role[0]! + 1) % 3;
    expect(cachedColumnGeometry(d)).not.toBe(ga);
  });

  it('frameCrossSections gives every column the value columnCrossSection gives it, evaluating each content once per node', () => {
    // A lookup with made-up calibrations (distinct per element, spacing and length, so that any mix-up shows).
    let calls = 0;
    const cal = (Z: number, sp: number, mix = 0): ColumnCalibration => ({
      Z, spacing_A: sp, peak: new Float64Array(64),
      crossSection_A2: Float64Array.from({ length: 64 }, (_, i) => (0.01 * Z + 0.1 * mix) * (i + 1) ** 0.9 * (1 + 0.05 * sp)),
      width_A: Float64Array.from({ length: 64 }, (_, i) => 0.2 + 0.001 * Z + 0.002 * i + 0.01 * sp + 0.003 * mix),
    });
    const lookup: CalibrationLookup = {
      pure(Z, sp) { calls++; return cal(Z, sp); },
      mixed(host, guest, sp) { calls++; return host === 8 || guest === 8 ? undefined : cal(host, sp, guest); },
    };
    const r = Rng.stream(5);
    const n = 3000, spacings = [2.49, 2.8855, 4.1];
    const element = new Uint16Array(5 * n), atoms = new Uint16Array(n), spacing = new Float64Array(n);
    for (let c = 0; c < n; c++) {
      spacing[c] = spacings[r.int(3)]!;
      // Few distinct contents (repeats), some empty columns, host/guest mixes (Ni in Li columns).
      const kind = r.int(6), m = 4 + r.int(4);
      if (kind === 0) continue;
      const counts = kind === 1 ? [m, 0, 0, 0, 0] : kind === 2 ? [0, m, 0, 0, 0] : kind === 3 ? [0, 0, 0, 1, m] : kind === 4 ? [m - 1, 0, 0, 0, 1] : [0, 0, 1, 1, m - 2];
      for (let e = 0; e < 5; e++) element[5 * c + e] = counts[e]!;
      atoms[c] = counts.reduce((s, v) => s + v, 0);
    }
    const frame = { geometry: { n, spacing_A: spacing }, element, atoms } as unknown as FrameColumns;
    const x = frameCrossSections(frame, lookup);
    const callsFirst = calls;
    const occ = new Float64Array(5);
    for (let c = 0; c < n; c++) {
      for (let e = 0; e < 5; e++) occ[e] = element[5 * c + e]!;
      const want = atoms[c] === 0 ? { sigma_A2: 0, width_A: 0 } : columnCrossSection(lookup, spacing[c]!, atoms[c]!, COLUMN_ELEMENTS, occ, 5);
      expect(Object.is(x.sigma_A2[c], want.sigma_A2) && Object.is(x.width_A[c], want.width_A), `column ${c}`).toBe(true);
    }
    // Each content evaluated once: ≤ 5 kinds × 4 lengths × 3 spacings of them, not 2500 columns' worth.
    expect(callsFirst).toBeLessThan(5 * 4 * 3 * 6);
    // A second frame of the same contents at the same node: no evaluation at all, the same numbers.
    calls = 0;
    const y = frameCrossSections(frame, lookup);
    expect(calls).toBe(0);
    expect(Buffer.from(y.sigma_A2.buffer).equals(Buffer.from(x.sigma_A2.buffer))).toBe(true);
    expect(Buffer.from(y.width_A.buffer).equals(Buffer.from(x.width_A.buffer))).toBe(true);
  });
});
