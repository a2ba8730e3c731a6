import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/index.js';
import {
  NCM851005_METRIC,
  SiteRole,
  Species,
  buildLamella,
  buildSupercell,
  carvePore,
  dSpacing_A,
  familyNormals,
  parseMiller,
  resolvePore,
  roleOf,
  toAtoms,
  SiteIndex,
  SECOND_SHELL,
} from '../../src/lattice/index.js';

const metric = NCM851005_METRIC;

describe('hexagonal Miller planes', () => {
  it('parses three- and four-index forms', () => {
    expect(parseMiller('104')).toEqual([1, 0, 4]);
    expect(parseMiller('(1 -2 0)')).toEqual([1, -2, 0]);
    expect(parseMiller('1-20')).toEqual([1, -2, 0]);
    expect(parseMiller('(10-14)')).toEqual([1, 0, 4]);
    expect(() => parseMiller('(10-24)', 'apb')).toThrow(/^apb: /);
  });

  it('gives d(003) = c/3 and d(104) from the hexagonal metric', () => {
    expect(dSpacing_A([0, 0, 3], metric)).toBeCloseTo(metric.c_A / 3, 12);
    // 1/d² = 4/3·(h²+hk+k²)/a² + l²/c²
    const d104 = 1 / Math.sqrt((4 / 3) / metric.a_A ** 2 + 16 / metric.c_A ** 2);
    expect(dSpacing_A([1, 0, 4], metric)).toBeCloseTo(d104, 12);
  });

  it('expands families under −3m: {003} → 2 planes, {104} → 6, {012} → 6, {110} → 6', () => {
    expect(familyNormals([0, 0, 3], metric)).toHaveLength(2);
    expect(familyNormals([1, 0, 4], metric)).toHaveLength(6);
    expect(familyNormals([0, 1, 2], metric)).toHaveLength(6);
    expect(familyNormals([1, 1, 0], metric)).toHaveLength(6);
  });
});

describe('nanopores', () => {
  it('an ellipsoidal pore removes exactly the sites inside it (both sublattices) and nothing else', () => {
    const lat = buildSupercell({ metric, zone: '210', size_A: 40, thickness_A: 30 });
    const c = [lat.cell_A[0] / 2, lat.cell_A[1] / 2, lat.cell_A[2] / 2];
    const pore = resolvePore(lat, { radius_A: [9, 7, 8] });
    const before = lat.species.slice();
    const removed = carvePore(lat, pore);
    let inside = 0;
    for (let t = 0; t < lat.n; t++) {
      const d = [0, 1, 2].map((a) => (lat.position_A[3 * t + a]! - c[a]!) / [9, 7, 8][a]!);
      const isIn = d[0]! ** 2 + d[1]! ** 2 + d[2]! ** 2 <= 1;
      if (isIn) inside++;
      expect(lat.species[t]).toBe(isIn ? Species.VOID : before[t]);
    }
    expect(removed).toBe(inside);
    expect(inside).toBeGreaterThan(100);
    expect(toAtoms(lat).n).toBe(lat.n - inside);
  });

  it('a faceted pore is the intersection of its facet half-spaces: every void site satisfies all, every kept site violates one', () => {
    const lat = buildSupercell({ metric, zone: '210', size_A: 50, thickness_A: 40 });
    const pore = resolvePore(lat, { radius_A: 10, shape: 'faceted', facets: [{ hkl: '003' }, { hkl: '104', distance_A: 12 }] });
    expect(pore.planes).toHaveLength(2 + 6);
    carvePore(lat, pore);
    const c = pore.centre_A;
    let voids = 0;
    for (let t = 0; t < lat.n; t++) {
      const d = [0, 1, 2].map((a) => lat.position_A[3 * t + a]! - c[a]!);
      const ok = pore.planes.every((p) => d[0]! * p.normal[0] + d[1]! * p.normal[1] + d[2]! * p.normal[2] <= p.distance_A);
      expect(lat.species[t] === Species.VOID).toBe(ok);
      if (ok) voids++;
    }
    expect(voids).toBeGreaterThan(100);
    // {003} facets at 10 Å: no void site farther than 10 Å from the centre along c (box y in [210]).
    for (let t = 0; t < lat.n; t++) if (lat.species[t] === Species.VOID) expect(Math.abs(lat.position_A[3 * t + 1]! - c[1])).toBeLessThanOrEqual(10 + 1e-9);
  });

  it('an anisotropic faceted pore circumscribes its ellipsoid with crystallographic facets', () => {
    const lat = buildSupercell({ metric, zone: '210', size_A: 50, thickness_A: 40 });
    const r = [14, 8, 10] as const;
    const pore = resolvePore(lat, { radius_A: r, shape: 'faceted', facets: [{ hkl: '003' }, { hkl: '104' }] });
    // {003} normals are ±c = ±box y in [210], so those facets sit at r_y.
    const basal = pore.planes.filter((p) => p.hkl[0] === 0 && p.hkl[1] === 0);
    expect(basal.map((p) => Math.abs(p.normal[1]))).toEqual([expect.closeTo(1, 12), expect.closeTo(1, 12)]);
    for (const p of basal) expect(p.distance_A).toBeCloseTo(8, 12);
    const ell = resolvePore(lat, { radius_A: r });
    const P = lat.position_A;
    let n = 0;
    for (let t = 0; t < lat.n; t++) {
      if (ell.inside(P[3 * t]!, P[3 * t + 1]!, P[3 * t + 2]!)) {
        n++;
        expect(pore.inside(P[3 * t]!, P[3 * t + 1]!, P[3 * t + 2]!)).toBe(true);
      }
    }
    expect(n).toBeGreaterThan(100);
  });

  it('rejects a negative radius and a pore wider than the cell, naming pore.radius_A', () => {
    const lat = buildSupercell({ metric, zone: '210', size_A: 30, thickness_A: 20 });
    expect(() => resolvePore(lat, { radius_A: -3 })).toThrow(/^pore\.radius_A: /);
    expect(() => resolvePore(lat, { radius_A: 16 })).toThrow(/^pore\.radius_A: .*narrower than the cell/);
    expect(() => resolvePore(lat, { radius_A: 10, shape: 'faceted', facets: [{ hkl: '003' }] })).toThrow(/^pore\.facets: .*bounded/);
    expect(() => buildLamella({ size_A: 30, pore: { radius_A: 40 } })).toThrow(InputError);
  });
});

describe('cationic antiphase boundary', () => {
  const lam = buildLamella({ size_A: 40, thickness_A: 20, pore: null, apb: { plane: '1-20' }, seed: 3 });
  const { lattice: lat, apb } = lam;

  it('swaps the Li/M layer parity on one side only', () => {
    expect(apb).not.toBeNull();
    let flippedCations = 0;
    for (let t = 0; t < lat.n; t++) {
      const s = lat.ijk[3 * t]! + lat.ijk[3 * t + 1]! + lat.ijk[3 * t + 2]!;
      const side = apb!.distance_A(lat.position_A[3 * t]!, lat.position_A[3 * t + 1]!, lat.position_A[3 * t + 2]!) > 0 ? 1 : 0;
      expect(lat.domain[t]).toBe(side);
      expect(lat.role[t]).toBe(roleOf(s, side));
      if (side === 1 && lat.sublattice[t] === 0) flippedCations++;
    }
    expect(flippedCations).toBeGreaterThan(0);
    expect(flippedCations).toBeLessThan(lat.n / 2);
  });

  it('makes Li and M planes meet across it: in-plane neighbours across the plane have opposite roles', () => {
    const idx = new SiteIndex(lat);
    let across = 0;
    for (let t = 0; t < lat.n; t++) {
      if (lat.sublattice[t] !== 0) continue;
      for (const o of SECOND_SHELL.slice(0, 6)) {
        const u = idx.find(lat.ijk[3 * t]! + o[0], lat.ijk[3 * t + 1]! + o[1], lat.ijk[3 * t + 2]! + o[2]);
        if (u < 0) continue;
        if (lat.domain[u] !== lat.domain[t]) {
          across++;
          expect(lat.role[u]).not.toBe(lat.role[t]);
        } else expect(lat.role[u]).toBe(lat.role[t]);
      }
    }
    expect(across).toBeGreaterThan(0);
  });

  it('keeps the O sublattice continuous: every anion site is O and moves only along c by ≤ 2(z_O − ¼)c', () => {
    const pristine = buildSupercell({ metric, zone: '210', size_A: 40, thickness_A: 20 });
    const dmax = 2 * (metric.zO - 0.25) * metric.c_A;
    for (let t = 0; t < lat.n; t++) {
      if (lat.sublattice[t] !== 1) continue;
      expect(lat.species[t]).toBe(Species.O);
      expect(lat.position_A[3 * t]).toBe(pristine.position_A[3 * t]);
      expect(lat.position_A[3 * t + 2]).toBe(pristine.position_A[3 * t + 2]);
      const dy = Math.abs(lat.position_A[3 * t + 1]! - pristine.position_A[3 * t + 1]!);
      expect(dy).toBeLessThanOrEqual(dmax + 1e-12);
      expect(dy === 0 || Math.abs(dy - dmax) < 1e-12).toBe(true);
    }
  });

  for (const shape of ['ellipsoid', 'faceted'] as const) {
    it(`by default lies tangent to a ${shape} pore, also for an oblique plane (104)`, () => {
      const lam2 = buildLamella({ size_A: 50, thickness_A: 40, pore: { radius_A: 10, shape }, apb: { plane: '104' } });
      let maxD = -Infinity;
      const P = lam2.lattice.position_A;
      for (let t = 0; t < lam2.lattice.n; t++) {
        if (lam2.lattice.species[t] !== Species.VOID) continue;
        maxD = Math.max(maxD, lam2.apb!.distance_A(P[3 * t]!, P[3 * t + 1]!, P[3 * t + 2]!));
      }
      // The whole pore is on the pristine side and reaches to within one site spacing (~2 Å) of the plane.
      expect(maxD).toBeLessThanOrEqual(1e-9);
      expect(maxD).toBeGreaterThan(-2.2);
    });
  }

  it('rejects a plane parallel to the layers', () => {
    expect(() => buildLamella({ size_A: 30, thickness_A: 10, pore: null, apb: { plane: '003' } })).toThrow(/^apb\.plane: /);
  });
});

describe('default lamella (the seed study: NCM851005, [210], nanopore with an APB at its edge)', () => {
  const lam = buildLamella();
  it('has a pore (its void sites counted) and an APB tangent to the pore edge', () => {
    const { lattice: lat, pore, apb } = lam;
    expect(lat.zone).toBe('210');
    expect(pore).not.toBeNull();
    expect(Math.abs(apb!.distance_A(pore!.centre_A[0], pore!.centre_A[1], pore!.centre_A[2]))).toBeCloseTo(15, 9);
    let voids = 0;
    for (let t = 0; t < lat.n; t++) if (lat.species[t] === Species.VOID) voids++;
    expect(voids).toBe(lam.poreSites);
    expect(voids).toBeGreaterThan(0);
  });

  it('keeps the Li-layer / M-layer site ratio near 1 and no TM on Li-layer sites without mixing', () => {
    const { lattice: lat } = lam;
    let tmOnLi = 0;
    for (let t = 0; t < lat.n; t++) if (lat.role[t] === SiteRole.LI_LAYER && lat.species[t] !== Species.LI && lat.species[t] !== Species.VOID) tmOnLi++;
    expect(tmOnLi).toBe(0);
    expect(Math.abs(lam.counts.liLayerSites / lam.counts.mLayerSites - 1)).toBeLessThan(0.02);
  });
});
