/**
 * The pore in the image plane: project empty sites (void, V_O, cation vacancies) along the beam (z) onto a pixel grid, threshold
 * the column void fraction at ½, and describe the boundary of the pore mask: area, an orientation
 * histogram of boundary normals relative to the layer normal (c axis), a scalar facet anisotropy
 * (|⟨e^{2iθ}⟩| over boundary pixels: 0 for a round pore, → 1 for a pore bounded by parallel facets),
 * the fraction of {003}-type boundary (normal within 15° of c), the roughness of the {003} boundary
 * (RMS of its position along c about each side's mean, Å) and the sharpness of the other facets
 * (1 − circular variance of their doubled angles).
 */
import { boundaryFacets } from '../../core/index.js';
import { Species } from '../../lattice/species.js';
import type { NcmLattice } from './lattice.js';

/** Pore geometry in the image plane. */
export interface PoreFacets {
  /** Projected pore area, Å². */
  area_A2: number;
  /** Boundary-normal orientation histogram, 12 bins of 15° over [0°, 180°) from the c axis (fractions). */
  orientationHistogram: number[];
  /** |⟨exp(2iθ)⟩| over boundary pixels, 0…1. */
  facetAnisotropy: number;
  /** Fraction of boundary with normal within 15° of c ({003}-type facets). */
  fraction003: number;
  /** RMS deviation of the {003} boundary along c, Å. */
  roughness003_A: number;
  /** 1 − circular variance of the non-{003} boundary orientations, 0…1. */
  sharpnessOther: number;
}

/** Pixel size of the projection, Å (default 1). */
export function poreFacets(lat: NcmLattice, species: Uint8Array, pixel_A = 1): PoreFacets {
  const P = lat.positions_A;
  const [cx, cy] = [lat.layerNormal[0], lat.layerNormal[1]]; // c axis in the image plane
  let xmin = Infinity, ymin = Infinity, xmax = -Infinity, ymax = -Infinity;
  for (let s = 0; s < lat.n; s++) {
    const x = P[3 * s]!, y = P[3 * s + 1]!;
    if (x < xmin) xmin = x; if (x > xmax) xmax = x;
    if (y < ymin) ymin = y; if (y > ymax) ymax = y;
  }
  const W = Math.floor((xmax - xmin) / pixel_A) + 1, H = Math.floor((ymax - ymin) / pixel_A) + 1;
  const all = new Float64Array(W * H), empty = new Float64Array(W * H);
  for (let s = 0; s < lat.n; s++) {
    const i = Math.floor((P[3 * s]! - xmin) / pixel_A), j = Math.floor((P[3 * s + 1]! - ymin) / pixel_A);
    const p = j * W + i;
    all[p]! += 1;
    const sp = species[s];
    if (sp === Species.VOID || sp === Species.VAC_O || sp === Species.VAC_CATION) empty[p]! += 1;
  }
  // Smooth both counts with a 3×3 box so sparse pixels get a fraction, then threshold.
  const frac = new Float64Array(W * H);
  const dense = new Uint8Array(W * H);
  for (let j = 0; j < H; j++) for (let i = 0; i < W; i++) {
    let a = 0, e = 0;
    for (let dj = -1; dj <= 1; dj++) for (let di = -1; di <= 1; di++) {
      const ii = i + di, jj = j + dj;
      if (ii < 0 || jj < 0 || ii >= W || jj >= H) continue;
      a += all[jj * W + ii]!;
      e += empty[jj * W + ii]!;
    }
    frac[j * W + i] = a > 0 ? e / a : 0;
    dense[j * W + i] = a > 0 ? 1 : 0;
  }
  const mask = new Uint8Array(W * H);
  // Pixels are finer than the projected column spacing: judge each by its 3×3 neighbourhood.
  for (let p = 0; p < W * H; p++) if (dense[p] && frac[p]! > 0.5) mask[p] = 1;
  // The outline statistics: the one definition (src/core/image/facets.ts), normals from the void fraction.
  const f = boundaryFacets(mask, frac, W, H, pixel_A, pixel_A, [cx, cy], [xmin, ymin]);
  return {
    area_A2: f.area,
    orientationHistogram: f.orientationHistogram,
    facetAnisotropy: f.facetAnisotropy,
    fraction003: f.fraction003,
    roughness003_A: f.roughness003,
    sharpnessOther: f.sharpnessOther,
  };
}
