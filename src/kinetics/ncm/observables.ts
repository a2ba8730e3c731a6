/**
 * Observables of one frame, per region (rim, APB zone, bulk; `regions.ts`) and for the pore
 * (`facets.ts`): what the twin compares with the seed timeline (MODEL.md §4).
 */
import { Species, isTransitionMetal } from '../../lattice/species.js';
import type { NcmLattice } from './lattice.js';
import { poreFacets, type PoreFacets } from './facets.js';
import { REGION_NAMES } from './regions.js';

const NB2 = 12;

/** Per-region observables (fractions 0…1). */
export interface RegionObservables {
  /** TM (Ni any state, Co, Mn) on Li-layer cation sites / Li-layer cation sites. */
  tmOnLi: number;
  /** V_O / anion sites. */
  vO: number;
  /** Rock-salt order parameter 1 − (x_M − x_L)/(x_M + x_L) of TM fractions on M- and Li-layer sites (0 layered, 1 rock salt). */
  rockSalt: number;
  /** Cation sites whose local window (site + 12 cation neighbours) has lost the layer contrast (< ½). */
  rockSaltFraction: number;
  /** Ni⁰ / cation sites. */
  ni0: number;
  /** Li in Li2O / cation sites. */
  li2o: number;
  /** Number of sites in the region. */
  sites: number;
  /** Number of Li-layer cation sites in the region (the denominator of tmOnLi). */
  liLayerSites: number;
}

/** All observables of a frame. */
export interface NcmObservables {
  regions: Record<string, RegionObservables>;
  pore: PoreFacets & { volume_A3: number };
  /** Centroid (x, y in the image plane, Å) of in-plane Li–TM neighbour pairs in the APB zone, and their count. */
  apb: { x_A: number; y_A: number; pairs: number };
}

/** Volume per parent-lattice site, Å³ ((a_hex/√2)³ for a = 2.872 Å). */
export const SITE_VOLUME_A3 = (2.872 / Math.SQRT2) ** 3;

/**
 * True when cation site `s` has lost the layer contrast locally (the `rockSaltFraction` criterion): in
 * its window (the site and its 12 cation neighbours, void skipped) the TM fractions on Li- and M-layer
 * sites x_L, x_M satisfy (x_M − x_L)/(x_M + x_L) < ½. Also the per-site classifier of drying damage
 * (twin/dry: rock-salt depth below the initial surfaces).
 */
export function isLocalRockSalt(lat: NcmLattice, species: Uint8Array, s: number): boolean {
  let nl = 0, tl = 0, nm = 0, tmm = 0;
  for (let k = -1; k < NB2; k++) {
    const x = k < 0 ? s : lat.nb2[s * NB2 + k]!;
    if (x < 0 || species[x] === Species.VOID) continue;
    const t = isTransitionMetal(species[x]!) ? 1 : 0;
    if (lat.liLayer[x]) { nl++; tl += t; } else { nm++; tmm += t; }
  }
  const xl = nl ? tl / nl : 0, xm = nm ? tmm / nm : 0;
  return xm + xl > 0 && (xm - xl) / (xm + xl) < 0.5;
}

/** Compute the observables of `species` (region ids from `computeRegions`). */
export function computeObservables(lat: NcmLattice, species: Uint8Array, region: Uint8Array): NcmObservables {
  const R = REGION_NAMES.length - 1;
  const liSites = new Float64Array(R), tmLi = new Float64Array(R), mSites = new Float64Array(R), tmM = new Float64Array(R);
  const an = new Float64Array(R), vo = new Float64Array(R), cat = new Float64Array(R), ni0 = new Float64Array(R), li2o = new Float64Array(R);
  const rsLocal = new Float64Array(R), all = new Float64Array(R);
  let empty = 0, ax = 0, ay = 0, ap = 0;
  const P = lat.positions_A;
  for (let s = 0; s < lat.n; s++) {
    const sp = species[s]!;
    if (sp === Species.VOID || sp === Species.VAC_O || sp === Species.VAC_CATION) empty++;
    const r = region[s]!;
    if (r >= R) continue;
    all[r]!++;
    if (lat.isAnion[s]) {
      an[r]!++;
      if (sp === Species.VAC_O) vo[r]!++;
      continue;
    }
    cat[r]!++;
    const tm = isTransitionMetal(sp) ? 1 : 0;
    if (lat.liLayer[s]) { liSites[r]!++; tmLi[r]! += tm; } else { mSites[r]!++; tmM[r]! += tm; }
    if (sp === Species.NI0) ni0[r]!++;
    if (sp === Species.LI_LI2O) li2o[r]!++;
    if (isLocalRockSalt(lat, species, s)) rsLocal[r]!++;
    if (r === 2) {
      for (let k = 0; k < NB2; k++) {
        const t = lat.nb2[s * NB2 + k]!;
        if (t < 0 || !lat.nb2InPlane[s * NB2 + k]) continue;
        if (sp === Species.LI && isTransitionMetal(species[t]!)) {
          ax += 0.5 * (P[3 * s]! + P[3 * t]!);
          ay += 0.5 * (P[3 * s + 1]! + P[3 * t + 1]!);
          ap++;
        }
      }
    }
  }
  const regions: Record<string, RegionObservables> = {};
  for (let r = 0; r < R; r++) {
    const xm = mSites[r] ? tmM[r]! / mSites[r]! : 0, xl = liSites[r] ? tmLi[r]! / liSites[r]! : 0;
    regions[REGION_NAMES[r]!] = {
      tmOnLi: xl,
      vO: an[r] ? vo[r]! / an[r]! : 0,
      rockSalt: xm + xl > 0 ? 1 - (xm - xl) / (xm + xl) : 0,
      rockSaltFraction: cat[r] ? rsLocal[r]! / cat[r]! : 0,
      ni0: cat[r] ? ni0[r]! / cat[r]! : 0,
      li2o: cat[r] ? li2o[r]! / cat[r]! : 0,
      sites: all[r]!,
      liLayerSites: liSites[r]!,
    };
  }
  return {
    regions,
    pore: { ...poreFacets(lat, species), volume_A3: empty * SITE_VOLUME_A3 },
    apb: { x_A: ap ? ax / ap : NaN, y_A: ap ? ay / ap : NaN, pairs: ap },
  };
}
