import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/index.js';
import { Species } from '../../src/lattice/species.js';
import { neighbour2 } from '../../src/kinetics/ncm/lattice.js';
import { buildNcmBox } from '../../src/kinetics/ncm/box.js';
import { poreFacets } from '../../src/kinetics/ncm/facets.js';
import { decodeSpecies, encodeSpecies } from '../../src/kinetics/ncm/frames.js';
import { computeObservables } from '../../src/kinetics/ncm/observables.js';
import { Region, computeRegions } from '../../src/kinetics/ncm/regions.js';

describe('NCM frames', () => {
  it('species snapshots round-trip through gzip, deterministically and compactly', () => {
    const box = buildNcmBox({ size: [16, 16, 12], poreRadii: [4, 4, 3], apb: true });
    const a = encodeSpecies(box.species);
    expect(Buffer.from(decodeSpecies(a)).equals(Buffer.from(box.species))).toBe(true);
    expect(Buffer.from(encodeSpecies(box.species)).equals(Buffer.from(a))).toBe(true);
    expect(a.length).toBeLessThan(box.species.length / 2);
    expect(() => decodeSpecies(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9))).toThrow(InputError);
  });
});

describe('pore facet statistics in the image plane', () => {
  const box = buildNcmBox({ size: [32, 32, 16] });
  const lat = box.lattice;

  it('a pore bounded by two layer-parallel {003} faces has anisotropy ≈ 1 and only {003} boundary', () => {
    const sp = Uint8Array.from(box.species);
    // A slab of void 3 layers thick (normal ∥ c = image x) across the whole image.
    const xs = Array.from({ length: lat.n }, (_, s) => lat.positions_A[3 * s]!);
    const mid = (Math.min(...xs) + Math.max(...xs)) / 2;
    for (let s = 0; s < lat.n; s++) if (Math.abs(xs[s]! - mid) < 5) sp[s] = Species.VOID;
    const f = poreFacets(lat, sp);
    expect(f.facetAnisotropy).toBeGreaterThan(0.8);
    expect(f.fraction003).toBeGreaterThan(0.8);
    expect(f.area_A2).toBeGreaterThan(0);
  });

  it('a round pore in the image plane has anisotropy near 0 and a spread of orientations', () => {
    const sp = Uint8Array.from(box.species);
    const P = lat.positions_A;
    let cx = 0, cy = 0;
    for (let s = 0; s < lat.n; s++) { cx += P[3 * s]!; cy += P[3 * s + 1]!; }
    cx /= lat.n; cy /= lat.n;
    for (let s = 0; s < lat.n; s++) if (Math.hypot(P[3 * s]! - cx, P[3 * s + 1]! - cy) < 12) sp[s] = Species.VOID;
    const f = poreFacets(lat, sp);
    expect(f.facetAnisotropy).toBeLessThan(0.2);
    expect(f.orientationHistogram.filter((h) => h > 0.02).length).toBeGreaterThanOrEqual(8);
    // Area of a 12 Å disc, π·144 ≈ 452 Å², within pixelisation (10 %).
    expect(f.area_A2).toBeGreaterThan(400);
    expect(f.area_A2).toBeLessThan(500);
  });
});

describe('regions and per-region observables', () => {
  const box = buildNcmBox({ size: [28, 28, 16], poreRadii: [6, 6, 4], apb: true, seed: 3 });
  const region = computeRegions(box.lattice, box.species);

  it('rim, APB zone and bulk are non-empty; void sites belong to none', () => {
    const count = [0, 0, 0, 0];
    for (let s = 0; s < region.length; s++) count[region[s]!]!++;
    expect(count[Region.RIM]).toBeGreaterThan(50);
    expect(count[Region.APB]).toBeGreaterThan(20);
    expect(count[Region.BULK]).toBeGreaterThan(50);
    for (let s = 0; s < region.length; s++) if (box.species[s] === Species.VOID) expect(region[s]).toBe(Region.OTHER);
  });

  it('a layered start has rock-salt parameter ≈ 2·x_Li/(x_M + x_Li) and moving every Li-layer Li onto M sites… counts as rock salt', () => {
    const o = computeObservables(box.lattice, box.species, region);
    for (const r of ['rim', 'bulk']) {
      const q = o.regions[r]!;
      expect(q.tmOnLi).toBeLessThan(0.1);
      expect(q.rockSalt).toBeLessThan(0.2);
      expect(q.vO).toBe(0);
    }
    // Full cation disorder: swap half the Li-layer Li with M-layer TM everywhere.
    const sp = Uint8Array.from(box.species);
    const lat = box.lattice;
    for (let s = 0; s < lat.n; s++) {
      if (!lat.liLayer[s] || sp[s] !== Species.LI || s % 2) continue;
      for (let k = 6; k < 12; k++) {
        const t = neighbour2(lat, s, k);
        if (t >= 0 && !lat.liLayer[t] && (sp[t] === Species.NI3 || sp[t] === Species.NI2)) { sp[s] = sp[t]!; sp[t] = Species.LI; break; }
      }
    }
    const d = computeObservables(lat, sp, region).regions.bulk!;
    expect(d.rockSalt).toBeGreaterThan(0.6);
    expect(d.rockSaltFraction).toBeGreaterThan(0.5);
  });
});
