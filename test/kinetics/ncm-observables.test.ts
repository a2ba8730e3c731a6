import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/index.js';
import { Species } from '../../src/lattice/species.js';
import { neighbour2 } from '../../src/kinetics/ncm/lattice.js';
import { buildNcmBox } from '../../src/kinetics/ncm/box.js';
import { poreFacets } from '../../src/kinetics/ncm/facets.js';
import { decodeSpecies, encodeSpecies } from '../../src/kinetics/ncm/frames.js';
import { computeObservables, flattenObservables } from '../../src/kinetics/ncm/observables.js';
import { isTransitionMetal } from '../../src/lattice/species.js';
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

  // The pore boundary (seed: TM-enriched growth at the pore boundary, ~325 °C): checked against an independent
  // count by distance. Cation–O is 2.03 Å and cation–cation 2.87 Å (first and second shells); the next shell is
  // ≥ 3.5 Å, so "within 3.0 Å of a void site" picks exactly the sites the neighbour tables call touching.
  const byDistance = (sp: Uint8Array): { sites: number; tm: number } => {
    const lat = box.lattice, P = lat.positions_A;
    const voids: number[] = [];
    for (let s = 0; s < lat.n; s++) if (sp[s] === Species.VOID) voids.push(s);
    let sites = 0, tm = 0;
    for (let s = 0; s < lat.n; s++) {
      if (lat.isAnion[s] || sp[s] === Species.VOID) continue;
      if (voids.some((v) => Math.hypot(P[3 * s]! - P[3 * v]!, P[3 * s + 1]! - P[3 * v + 1]!, P[3 * s + 2]! - P[3 * v + 2]!) < 3.0)) {
        sites++;
        if (isTransitionMetal(sp[s]!)) tm++; // Ni⁰ included, as in the observables
      }
    }
    return { sites, tm };
  };

  it('the pore boundary is every occupied cation site touching the pore in this frame, and follows it', () => {
    const lat = box.lattice;
    const ref = byDistance(box.species);
    const o = computeObservables(lat, box.species, region);
    expect(ref.sites).toBeGreaterThan(50);
    expect(o.boundary.cationSites).toBe(ref.sites);
    expect(o.boundary.tm).toBe(ref.tm / ref.sites);
    // A boundary TM hops into the pore (the surface-cation-diffusion move): the boundary is re-read from the new pore.
    const sp = Uint8Array.from(box.species);
    let moved = false;
    for (let s = 0; s < lat.n && !moved; s++) {
      if (lat.isAnion[s] || !isTransitionMetal(sp[s]!)) continue;
      for (let k = 0; k < 12; k++) {
        const t = neighbour2(lat, s, k);
        if (t >= 0 && sp[t] === Species.VOID) { sp[t] = sp[s]!; sp[s] = Species.VOID; moved = true; break; }
      }
    }
    expect(moved).toBe(true);
    const ref2 = byDistance(sp);
    const o2 = computeObservables(lat, sp, region);
    expect(ref2.sites).not.toBe(ref.sites);
    expect(o2.boundary.cationSites).toBe(ref2.sites);
    expect(o2.boundary.tm).toBe(ref2.tm / ref2.sites);
  });

  it('tmEnrichment.boundary is the boundary\'s TM share over the bulk\'s: −x_bulk when Li lines the pore, 1 − x_bulk when Ni does; absent without a pore', () => {
    const lat = box.lattice;
    for (const [fill, want] of [[Species.LI, 0], [Species.NI2, 1]] as const) {
      const sp = Uint8Array.from(box.species);
      for (let s = 0; s < lat.n; s++) {
        if (lat.isAnion[s] || sp[s] === Species.VOID) continue;
        for (let k = 0; k < 12; k++) {
          const t = neighbour2(lat, s, k);
          if (t >= 0 && sp[t] === Species.VOID) { sp[s] = fill; break; }
        }
      }
      const o = computeObservables(lat, sp, region);
      // every boundary site has a void second-shell neighbour here (the pore is cut along whole cation-O units)
      expect(o.boundary.tm).toBe(want);
      const { values, counts } = flattenObservables(o);
      expect(values['tm.boundary']).toBe(want);
      expect(counts['tm.boundary']).toBe(o.boundary.cationSites);
      expect(values['tmEnrichment.boundary']).toBeCloseTo(want - o.regions.bulk!.tm, 15);
    }
    const solid = buildNcmBox({ size: [16, 16, 12] });
    const f = flattenObservables(computeObservables(solid.lattice, solid.species, computeRegions(solid.lattice, solid.species)));
    expect(f.values['tm.boundary']).toBeUndefined();
    expect(f.values['tmEnrichment.boundary']).toBeUndefined();
  });
});

