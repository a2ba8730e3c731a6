import { describe, expect, it } from 'vitest';
import {
  NCM851005_METRIC,
  SiteIndex,
  SiteRole,
  Species,
  ZONE_AXES,
  boxToParent,
  buildNeighbours,
  fixedStrideNeighbours,
  layerNormal,
  buildSupercell,
  parentToBox,
  toAtoms,
} from '../../src/lattice/index.js';

const metric = NCM851005_METRIC;

describe('orthogonal zone-axis supercells on the parent lattice', () => {
  for (const zone of ZONE_AXES) {
    it(`[${zone}]: holds 24 sites per primitive orthogonal cell (2 hexagonal formula cells of 3 LiMO2), all inside the box`, () => {
      const lat = buildSupercell({ metric, zone, size_A: 12, thickness_A: 10 });
      const [nx, ny, nz] = lat.repeats;
      expect(lat.n).toBe(24 * nx * ny * nz);
      for (let t = 0; t < lat.n; t++)
        for (let a = 0; a < 3; a++) {
          expect(lat.position_A[3 * t + a]).toBeGreaterThanOrEqual(0);
          expect(lat.position_A[3 * t + a]).toBeLessThan(lat.cell_A[a]!);
        }
      // Volume check: cell volume = n/24 · 2·(√3/2)a²c.
      const v = lat.cell_A[0] * lat.cell_A[1] * lat.cell_A[2];
      expect(v).toBeCloseTo((lat.n / 24) * Math.sqrt(3) * metric.a_A ** 2 * metric.c_A, 6);
      // Composition of the pristine lattice: Li = M = O/2.
      const cnt = [0, 0, 0];
      for (let t = 0; t < lat.n; t++) cnt[lat.role[t]!]!++;
      expect(cnt[SiteRole.LI_LAYER]).toBe(cnt[SiteRole.M_LAYER]);
      expect(cnt[SiteRole.ANION]).toBe(2 * cnt[SiteRole.M_LAYER]!);
    });

    it(`[${zone}]: box ↔ parent map is exact for every site`, () => {
      const lat = buildSupercell({ metric, zone, size_A: 10, thickness_A: 8 });
      for (let t = 0; t < lat.n; t++) {
        const [i, j, k] = [lat.ijk[3 * t]!, lat.ijk[3 * t + 1]!, lat.ijk[3 * t + 2]!];
        const p = [lat.position_A[3 * t]!, lat.position_A[3 * t + 1]!, lat.position_A[3 * t + 2]!] as const;
        const q = parentToBox(lat, i, j, k);
        for (let a = 0; a < 3; a++) expect(q[a]).toBeCloseTo(p[a]!, 9);
        expect(boxToParent(lat, p[0], p[1], p[2])).toEqual([i, j, k]);
      }
    });
  }

  it('rounds the requested size and thickness to whole periods and reports the actual cell', () => {
    const lat = buildSupercell({ metric, zone: '210', size_A: [30, 30], thickness_A: 50 });
    // [210]: x period a = 2.872, y period c = 14.2, z period √3·a = 4.974.
    expect(lat.repeats).toEqual([10, 2, 10]);
    expect(lat.cell_A[0]).toBeCloseTo(28.72, 10);
    expect(lat.cell_A[1]).toBeCloseTo(28.4, 10);
    expect(lat.cell_A[2]).toBeCloseTo(10 * Math.sqrt(3) * 2.872, 10);
  });

  it('rejects an unknown zone axis naming the field and listing the allowed zones', () => {
    expect(() => buildSupercell({ metric, zone: '111', size_A: 10, thickness_A: 10 })).toThrow(/zone.*\[210\], \[100\], \[110\], \[001\]/);
  });
});

describe('neighbour lists (CSR) with periodic x, y and free lamella surfaces along z', () => {
  const lat = buildSupercell({ metric, zone: '210', size_A: 12, thickness_A: 15 });
  const first = buildNeighbours(lat, 'first');
  const second = buildNeighbours(lat, 'second');

  it('gives every interior site 6 octahedral neighbours on the other sublattice at M–O 1.95–2.15 Å', () => {
    for (let t = 0; t < lat.n; t++) {
      const deg = first.offsets[t + 1]! - first.offsets[t]!;
      const z = lat.position_A[3 * t + 2]!;
      const interior = z > 2 && z < lat.cell_A[2] - 2;
      if (interior) expect(deg).toBe(6);
      else expect(deg).toBeLessThanOrEqual(6);
      for (let e = first.offsets[t]!; e < first.offsets[t + 1]!; e++) {
        const u = first.indices[e]!;
        expect(lat.sublattice[u]).not.toBe(lat.sublattice[t]);
        // Minimum-image distance in the periodic box.
        let d2 = 0;
        for (let a = 0; a < 3; a++) {
          let d = lat.position_A[3 * u + a]! - lat.position_A[3 * t + a]!;
          if (lat.pbc[a]) d -= lat.cell_A[a]! * Math.round(d / lat.cell_A[a]!);
          d2 += d * d;
        }
        const d = Math.sqrt(d2);
        expect(d).toBeGreaterThan(1.9);
        expect(d).toBeLessThan(2.2);
      }
    }
  });

  it('gives interior sites 12 same-sublattice neighbours, the relation is symmetric, and surfaces lose some', () => {
    let surfaceMissing = 0;
    for (let t = 0; t < lat.n; t++) {
      const deg = second.offsets[t + 1]! - second.offsets[t]!;
      if (deg < 12) surfaceMissing++;
      for (let e = second.offsets[t]!; e < second.offsets[t + 1]!; e++) {
        const u = second.indices[e]!;
        expect(lat.sublattice[u]).toBe(lat.sublattice[t]);
        let back = false;
        for (let f = second.offsets[u]!; f < second.offsets[u + 1]!; f++) if (second.indices[f] === t) back = true;
        expect(back).toBe(true);
      }
    }
    expect(surfaceMissing).toBeGreaterThan(0);
    expect(surfaceMissing).toBeLessThan(lat.n);
  });

  it('gives the same neighbours in the fixed-stride table (−1 for missing), with entries 0–5 in the same layer', () => {
    const fs = fixedStrideNeighbours(lat, 'second');
    for (let t = 0; t < lat.n; t++) {
      const fromCsr = new Map<number, number>();
      for (let e = second.offsets[t]!; e < second.offsets[t + 1]!; e++) fromCsr.set(second.direction[e]!, second.indices[e]!);
      for (let d = 0; d < 12; d++) {
        const u = fs[t * 12 + d]!;
        expect(u).toBe(fromCsr.get(d) ?? -1);
        // Layer step (modulo the 6 layers per c period × repeats along c, for periodic wrap).
        const NL = 6 * lat.repeats[lat.cAxis]!;
        if (u >= 0) expect((((lat.layer[u]! - lat.layer[t]!) % NL) + NL) % NL).toBe(d < 6 ? 0 : d < 9 ? 1 : NL - 1);
      }
    }
    expect(layerNormal(lat)).toEqual([0, 1, 0]);
  });

  it('wraps across periodic faces exactly and finds nothing beyond a free face', () => {
    const idx = new SiteIndex(lat);
    const sc = lat.supercell;
    for (let t = 0; t < lat.n; t += 7) {
      const [i, j, k] = [lat.ijk[3 * t]!, lat.ijk[3 * t + 1]!, lat.ijk[3 * t + 2]!];
      expect(idx.find(i + sc[0]!, j + sc[1]!, k + sc[2]!)).toBe(t);
      expect(idx.find(i - 2 * sc[3]!, j - 2 * sc[4]!, k - 2 * sc[5]!)).toBe(t);
      expect(idx.find(i + sc[6]!, j + sc[7]!, k + sc[8]!)).toBe(-1);
    }
  });

  it('starts with O on every anion site, Li on Li-layer and Ni on M-layer sites', () => {
    for (let t = 0; t < lat.n; t++) {
      const r = lat.role[t]!;
      expect(lat.species[t]).toBe(r === SiteRole.ANION ? Species.O : r === SiteRole.LI_LAYER ? Species.LI : Species.NI3);
    }
  });
});

describe('projected columns of the [210] cell (the seed zone)', () => {
  // R-3m geometry (hexagonal net projected along ⟨10-10⟩): columns every a/2 = 1.436 Å within a layer,
  // M rows every c/3 = 4.733 Å with Li rows halfway, O rows at ±(1/12 − (z_O − ¼))·c = ±1.061 Å from M rows (periodic in y).
  const lat = buildSupercell({ metric, zone: '210', size_A: 12, thickness_A: 20 });
  const atoms = toAtoms(lat);
  const cols = new Map<string, { x: number; y: number; role: Set<number>; n: number }>();
  for (let i = 0; i < atoms.n; i++) {
    const x = atoms.positions_A[3 * i]!;
    const y = atoms.positions_A[3 * i + 1]!;
    const key = `${x.toFixed(6)},${y.toFixed(6)}`;
    const c = cols.get(key) ?? { x, y, role: new Set<number>(), n: 0 };
    c.role.add(atoms.label![i]!);
    c.n++;
    cols.set(key, c);
  }
  const list = [...cols.values()];

  it('stacks atoms of one sublattice per column, one per √3·a period of thickness', () => {
    for (const c of list) {
      expect(c.role.size).toBe(1);
      expect(c.n).toBe(lat.repeats[2]);
    }
    expect(list.length * lat.repeats[2]).toBe(atoms.n);
  });

  it('spaces columns a/2 = 1.436 Å along a layer, M rows c/3 = 4.733 Å apart, Li rows halfway', () => {
    const rowsOf = (role: number) => [...new Set(list.filter((c) => c.role.has(role)).map((c) => +c.y.toFixed(6)))].sort((a, b) => a - b);
    const m = rowsOf(SiteRole.M_LAYER);
    const li = rowsOf(SiteRole.LI_LAYER);
    for (let r = 1; r < m.length; r++) expect(m[r]! - m[r - 1]!).toBeCloseTo(metric.c_A / 3, 5);
    expect(m[1]! - m[0]!).toBeCloseTo(4.733, 3);
    for (const y of li) expect(Math.min(...m.map((v) => Math.abs(v - y)), m[0]! + lat.cell_A[1] - y)).toBeCloseTo(metric.c_A / 6, 5);
    const row0 = list.filter((c) => c.role.has(SiteRole.M_LAYER) && Math.abs(c.y - m[0]!) < 1e-6).map((c) => c.x).sort((a, b) => a - b);
    expect(row0.length).toBe(2 * lat.repeats[0]);
    for (let k = 1; k < row0.length; k++) expect(row0[k]! - row0[k - 1]!).toBeCloseTo(metric.a_A / 2, 5);
    const o = rowsOf(SiteRole.ANION);
    const dO = (1 / 12 - (metric.zO - 0.25)) * metric.c_A;
    const mWrapped = [...m, m[0]! + lat.cell_A[1]];
    for (const y of o) expect(Math.min(...mWrapped.map((v) => Math.abs(v - y)))).toBeCloseTo(dO, 5);
    expect(dO).toBeCloseTo(1.061, 3);
  });
});

describe('SiteIndex lookup paths', () => {
  it('gives the same neighbours through the hash fallback when sites are not in row order', () => {
    const lat = buildSupercell({ metric, zone: '110', size_A: 10, thickness_A: 8 });
    // Reverse the site order: rows are no longer runs of increasing k, so SiteIndex must hash.
    const n = lat.n;
    const perm = Array.from({ length: n }, (_, t) => n - 1 - t);
    const ijk = new Int32Array(3 * n);
    perm.forEach((src, dst) => ijk.set(lat.ijk.subarray(3 * src, 3 * src + 3), 3 * dst));
    const rev = { ...lat, ijk };
    const a = buildNeighbours(lat, 'second');
    const b = buildNeighbours(rev, 'second');
    for (let t = 0; t < n; t++) {
      const u = perm[t]!; // site t of rev is site u of lat
      const mine = Array.from(b.indices.subarray(b.offsets[t]!, b.offsets[t + 1]!)).map((v) => perm[v]!);
      expect(mine).toEqual(Array.from(a.indices.subarray(a.offsets[u]!, a.offsets[u + 1]!)));
    }
  });
});
