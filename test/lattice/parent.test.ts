import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  LINIO2_METRIC,
  NCM851005_METRIC,
  SiteRole,
  cartesianToParent,
  parentToCartesian,
  roleOf,
} from '../../src/lattice/index.js';

const dist = (p: ArrayLike<number>, q: ArrayLike<number>) => Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!);

describe('parent rock-salt lattice ↔ hexagonal Cartesian map', () => {
  it('round-trips every integer site exactly (parent → Cartesian → parent), both domains', () => {
    fc.assert(
      fc.property(fc.integer({ min: -400, max: 400 }), fc.integer({ min: -400, max: 400 }), fc.integer({ min: -400, max: 400 }), fc.integer({ min: 0, max: 1 }), (i, j, k, par) => {
        const p = parentToCartesian(i, j, k, NCM851005_METRIC, par);
        expect(cartesianToParent(p[0]!, p[1]!, p[2]!, NCM851005_METRIC, par)).toEqual([i, j, k]);
      }),
      { numRuns: 2000 },
    );
  });

  it('maps any point within a/4 in-plane and c/48 along c of a site back to that site, for z_O up to 0.29', () => {
    const m = { a_A: 2.872, c_A: 14.2, zO: 0.29 };
    fc.assert(
      fc.property(
        fc.integer({ min: -200, max: 200 }), fc.integer({ min: -200, max: 200 }), fc.integer({ min: -200, max: 200 }),
        fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }), fc.double({ min: 0, max: 0.999, noNaN: true }), fc.double({ min: -0.999, max: 0.999, noNaN: true }),
        (i, j, k, phi, rho, dz) => {
          const p = parentToCartesian(i, j, k, m);
          const r = (rho * m.a_A) / 4;
          const q = cartesianToParent(p[0]! + r * Math.cos(phi), p[1]! + r * Math.sin(phi), p[2]! + (dz * m.c_A) / 48, m);
          expect(q).toEqual([i, j, k]);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reduces to cubic rock salt with a_c = √2·a in the ideal metric (c/a = 2√6, z_O = ¼)', () => {
    const a = 3;
    const ideal = { a_A: a, c_A: 2 * Math.sqrt(6) * a, zO: 0.25 };
    const ac = Math.SQRT2 * a;
    for (const [i, j, k] of [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [2, 0, 0]] as const) {
      const p = parentToCartesian(i, j, k, ideal);
      expect(Math.hypot(p[0]!, p[1]!, p[2]!)).toBeCloseTo((ac / 2) * Math.hypot(i, j, k), 12);
    }
  });

  it('puts M at 3a (0,0,0), Li at 3b and O at 6c ±z_O (R-3m hexagonal setting)', () => {
    const m = LINIO2_METRIC;
    // c = (4,4,4): Li at (0,0,½) is s = 6, i.e. (2,2,2); M at the origin.
    expect(roleOf(0)).toBe(SiteRole.M_LAYER);
    expect(roleOf(6)).toBe(SiteRole.LI_LAYER);
    const li = parentToCartesian(2, 2, 2, m);
    expect([li[0], li[1], li[2]! / m.c_A]).toEqual([0, 0, 0.5]);
    // O at (0,0,z_O): s = 3 above the origin column, (1,1,1).
    const o = parentToCartesian(1, 1, 1, m);
    expect(o[0]).toBeCloseTo(0, 12);
    expect(o[1]).toBeCloseTo(0, 12);
    expect(o[2]! / m.c_A).toBeCloseTo(m.zO, 12);
  });

  // Reference: LiNiO2 R-3m a = 2.878 Å, c = 14.19 Å, z_O = 0.2586 (MODEL.md §2; ICSD/Materials Project
  // mp-25411 give Ni–O ≈ 1.97 Å and Li–O ≈ 2.11 Å). Tolerance 0.01 Å.
  it('gives LiNiO2 Ni–O ≈ 1.97 Å and Li–O ≈ 2.11 Å (6 equal bonds each)', () => {
    const m = LINIO2_METRIC;
    const first = [[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]] as const;
    const M = parentToCartesian(0, 0, 0, m);
    const Li = parentToCartesian(1, 1, 0, m); // s = 2: layer 1, a Li layer
    expect(roleOf(2)).toBe(SiteRole.LI_LAYER);
    const mo = first.map(([a, b, c]) => dist(M, parentToCartesian(a, b, c, m)));
    const lio = first.map(([a, b, c]) => dist(Li, parentToCartesian(1 + a, 1 + b, c, m)));
    for (const d of mo) expect(d).toBeCloseTo(1.97, 2);
    for (const d of lio) expect(d).toBeCloseTo(2.11, 2);
  });

  it('keeps in-plane cation–cation distance a, cation layer spacing c/6 and M–M layer spacing c/3 ≈ 4.73 Å', () => {
    const m = LINIO2_METRIC;
    const o = parentToCartesian(0, 0, 0, m);
    for (const [i, j, k] of [[1, -1, 0], [0, 1, -1], [-1, 0, 1]] as const) expect(dist(o, parentToCartesian(i, j, k, m))).toBeCloseTo(m.a_A, 12);
    expect(parentToCartesian(1, 1, 0, m)[2]! - o[2]!).toBeCloseTo(m.c_A / 6, 12);
    const mm = parentToCartesian(2, 2, 0, m)[2]! - o[2]!; // L = 2, the next M layer
    expect(roleOf(4)).toBe(SiteRole.M_LAYER);
    expect(mm).toBeCloseTo(m.c_A / 3, 12);
    expect(mm).toBeCloseTo(4.73, 2); // LiNiO2 d(003) = 4.73 Å
  });

  it('flips Li/M layer parity and the O displacement in the antiphase domain', () => {
    expect(roleOf(0, 1)).toBe(SiteRole.LI_LAYER);
    expect(roleOf(2, 1)).toBe(SiteRole.M_LAYER);
    const m = LINIO2_METRIC;
    const z0 = parentToCartesian(0, 0, 1, m, 0)[2]!;
    const z1 = parentToCartesian(0, 0, 1, m, 1)[2]!;
    expect(z0).toBeCloseTo(m.c_A / 12 - (m.zO - 0.25) * m.c_A, 12);
    expect(z1).toBeCloseTo(m.c_A / 12 + (m.zO - 0.25) * m.c_A, 12);
  });
});
