/**
 * THE observable set of a frame (the one the forward model, `run`, `kmc`, `fit` and `dry` report):
 * per region (rim, APB zone, bulk; `regions.ts`) and over all matter (`all`), the pore in the image plane
 * (`facets.ts`) and the APB position (MODEL.md §4). `flattenObservables` gives the flat `name.region`
 * columns (observables.csv, onset rules, pooling) with the denominator of every fraction.
 *
 * Rock-salt order parameter: rockSalt = 1 − (x_M − x_L)/(x_M + x_L), x_M and x_L the TM fractions of the
 * M-layer and Li-layer cation sites of the region (vacant sites count as sites). With equal numbers of
 * M- and Li-layer sites, x_M + x_L = 2c (c = TM share of cation sites, ½ for Li_xMO2 at any x), and
 * (x_M − x_L)/2c is the Bragg–Williams long-range order of the layering normalised by its maximum at the
 * region's own composition: 0 for ideal layering, 1 for a disordered rock salt. It is absolute (a
 * cycled sample with mixing or a rock-salt skin reads above 0 at RT) and it does not mistake TM leaving
 * the region (depletion) for disorder. (The twin's former `1 − contrast/contrast(RT)` was relative to
 * the first frame and fell with depletion alone: removed.)
 */
import { Species, isTransitionMetal } from '../../lattice/species.js';
import { NB1, NB2, neighbour1, neighbour2, type NcmLattice } from './lattice.js';
import { poreFacets, type PoreFacets } from './facets.js';
import { REGION_NAMES } from './regions.js';


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
  /** TM (any Ni, Co, Mn) / cation sites (TM depletion or enrichment of the region). */
  tm: number;
  /** Number of cation sites (denominator of tm, ni0, li2o, rockSaltFraction). */
  cationSites: number;
  /** Number of anion sites (denominator of vO). */
  anionSites: number;
}

/**
 * The pore boundary of a frame: the occupied cation sites that touch the pore in this frame (a void
 * first- or second-shell neighbour; void is the pore, as in `regions.ts`), so it follows the pore as it
 * changes, cations grown into it included. The seed's TM-enriched (nanoparticle-like) growth at ~325 °C
 * is seen there.
 */
export interface BoundaryObservables {
  /** TM (any Ni including Ni⁰, Co, Mn) / cation sites of the boundary. */
  tm: number;
  /** Number of boundary cation sites (the denominator of tm). */
  cationSites: number;
}

/** All observables of a frame. */
export interface NcmObservables {
  /** bulk, rim, apb (the regions of `regions.ts`) and all (every non-void site). */
  regions: Record<string, RegionObservables>;
  /** The pore boundary in this frame (`BoundaryObservables`). */
  boundary: BoundaryObservables;
  pore: PoreFacets & { volume_A3: number };
  /** Centroid (x, y in the image plane, Å) of in-plane Li–TM neighbour pairs in the APB zone, and their count. */
  apb: { x_A: number; y_A: number; pairs: number };
}

/** Volume per parent-lattice site, Å³ ((a_hex/√2)³ for a = 2.872 Å). */
export const SITE_VOLUME_A3 = (2.872 / Math.SQRT2) ** 3;

/** Regions reported: the three of `regions.ts` (ids 0…2) and `all`. */
export const OBSERVABLE_REGIONS: readonly string[] = Object.freeze([...REGION_NAMES.slice(0, 3), 'all']);

/**
 * True when cation site `s` has lost the layer contrast locally (the `rockSaltFraction` criterion): in
 * its window (the site and its 12 cation neighbours, void skipped) the TM fractions on Li- and M-layer
 * sites x_L, x_M satisfy (x_M − x_L)/(x_M + x_L) < ½. Also the per-site classifier of drying damage
 * (twin/dry: rock-salt depth below the initial surfaces).
 */
export function isLocalRockSalt(lat: NcmLattice, species: Uint8Array, s: number): boolean {
  let nl = 0, tl = 0, nm = 0, tmm = 0;
  for (let k = -1; k < NB2; k++) {
    const x = k < 0 ? s : neighbour2(lat, s, k);
    if (x < 0 || species[x] === Species.VOID) continue;
    const t = isTransitionMetal(species[x]!) ? 1 : 0;
    if (lat.liLayer[x]) { nl++; tl += t; } else { nm++; tmm += t; }
  }
  const xl = nl ? tl / nl : 0, xm = nm ? tmm / nm : 0;
  return xm + xl > 0 && (xm - xl) / (xm + xl) < 0.5;
}

/** True when site `s` has a void first- or second-shell neighbour (it lines the pore). */
function touchesVoid(lat: NcmLattice, species: Uint8Array, s: number): boolean {
  for (let k = 0; k < NB1; k++) {
    const x = neighbour1(lat, s, k);
    if (x >= 0 && species[x] === Species.VOID) return true;
  }
  for (let k = 0; k < NB2; k++) {
    const x = neighbour2(lat, s, k);
    if (x >= 0 && species[x] === Species.VOID) return true;
  }
  return false;
}

/** Compute the observables of `species` (region ids from `computeRegions`). */
export function computeObservables(lat: NcmLattice, species: Uint8Array, region: Uint8Array): NcmObservables {
  const R = OBSERVABLE_REGIONS.length;
  const ALL = R - 1;
  const liSites = new Float64Array(R), tmLi = new Float64Array(R), mSites = new Float64Array(R), tmM = new Float64Array(R);
  const an = new Float64Array(R), vo = new Float64Array(R), cat = new Float64Array(R), ni0 = new Float64Array(R), li2o = new Float64Array(R);
  const rsLocal = new Float64Array(R), all = new Float64Array(R);
  let empty = 0, ax = 0, ay = 0, ap = 0, bSites = 0, bTm = 0;
  const P = lat.positions_A;
  for (let s = 0; s < lat.n; s++) {
    const sp = species[s]!;
    if (sp === Species.VOID || sp === Species.VAC_O || sp === Species.VAC_CATION) empty++;
    if (sp === Species.VOID) continue;
    const reg = region[s]!;
    const r = reg < ALL ? reg : ALL;
    all[ALL]!++;
    if (r !== ALL) all[r]!++;
    if (lat.isAnion[s]) {
      const v = sp === Species.VAC_O ? 1 : 0;
      an[ALL]!++; vo[ALL]! += v;
      if (r !== ALL) { an[r]!++; vo[r]! += v; }
      continue;
    }
    const tm = isTransitionMetal(sp) ? 1 : 0;
    const n0 = sp === Species.NI0 ? 1 : 0;
    if (touchesVoid(lat, species, s)) { bSites++; bTm += tm; }
    const l2 = sp === Species.LI_LI2O ? 1 : 0;
    const rs = isLocalRockSalt(lat, species, s) ? 1 : 0;
    for (const q of r === ALL ? [ALL] : [r, ALL]) {
      cat[q]!++;
      if (lat.liLayer[s]) { liSites[q]!++; tmLi[q]! += tm; } else { mSites[q]!++; tmM[q]! += tm; }
      ni0[q]! += n0;
      li2o[q]! += l2;
      rsLocal[q]! += rs;
    }
    if (r === 2) {
      for (let k = 0; k < NB2; k++) {
        const t = neighbour2(lat, s, k);
        if (t < 0 || !lat.nb2InPlaneByDir[k]) continue;
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
    regions[OBSERVABLE_REGIONS[r]!] = {
      tmOnLi: xl,
      vO: an[r] ? vo[r]! / an[r]! : 0,
      rockSalt: xm + xl > 0 ? 1 - (xm - xl) / (xm + xl) : 0,
      rockSaltFraction: cat[r] ? rsLocal[r]! / cat[r]! : 0,
      ni0: cat[r] ? ni0[r]! / cat[r]! : 0,
      li2o: cat[r] ? li2o[r]! / cat[r]! : 0,
      sites: all[r]!,
      liLayerSites: liSites[r]!,
      tm: cat[r] ? (tmLi[r]! + tmM[r]!) / cat[r]! : 0,
      cationSites: cat[r]!,
      anionSites: an[r]!,
    };
  }
  return {
    regions,
    boundary: { tm: bSites ? bTm / bSites : 0, cationSites: bSites },
    pore: { ...poreFacets(lat, species), volume_A3: empty * SITE_VOLUME_A3 },
    apb: { x_A: ap ? ax / ap : NaN, y_A: ap ? ay / ap : NaN, pairs: ap },
  };
}

/** Observables of one frame, flat: `tmOnLi.rim`, `poreArea_A2`, … */
export type Observables = Record<string, number>;

/** Per-region fractions reported as flat columns, and the count that is each one's denominator. */
const FRACTIONS: readonly [keyof RegionObservables, keyof RegionObservables][] = [
  ['tmOnLi', 'liLayerSites'],
  ['vO', 'anionSites'],
  ['rockSalt', 'cationSites'],
  ['rockSaltFraction', 'cationSites'],
  ['ni0', 'cationSites'],
  ['li2o', 'cationSites'],
  ['tm', 'cationSites'],
];

/**
 * Flat columns of a frame's observables, and the denominator (number of sites) of every fraction, for
 * binomial noise estimates: `tmOnLi.rim` (count `liLayerSites` of the rim), …, `tmDepletion.rim`
 * (tm.bulk − tm.rim, where both regions hold matter), `tm.boundary` (count: its cation sites) and
 * `tmEnrichment.boundary` (tm.boundary − tm.bulk) where the pore has a boundary, `poreArea_A2`, `poreVolume_A3`, `facetAnisotropy`,
 * `fraction003`, `roughness003_A`, `sharpnessOther`, `apb.x_A`, `apb.y_A`, `apb.pairs`. Regions without
 * sites are left out.
 */
export function flattenObservables(o: NcmObservables): { values: Observables; counts: Record<string, number> } {
  const values: Observables = {};
  const counts: Record<string, number> = {};
  for (const [name, q] of Object.entries(o.regions)) {
    if (q.sites === 0) continue;
    for (const [k, c] of FRACTIONS) {
      values[`${k}.${name}`] = q[k];
      counts[`${k}.${name}`] = q[c];
    }
  }
  const rim = o.regions.rim, bulk = o.regions.bulk;
  if (rim && bulk && rim.cationSites > 0 && bulk.cationSites > 0) values['tmDepletion.rim'] = bulk.tm - rim.tm;
  const b = o.boundary;
  if (b && b.cationSites > 0) {
    values['tm.boundary'] = b.tm;
    counts['tm.boundary'] = b.cationSites;
    if (bulk && bulk.cationSites > 0) values['tmEnrichment.boundary'] = b.tm - bulk.tm;
  }
  const p = o.pore;
  Object.assign(values, {
    poreArea_A2: p.area_A2,
    poreVolume_A3: p.volume_A3,
    facetAnisotropy: p.facetAnisotropy,
    fraction003: p.fraction003,
    roughness003_A: p.roughness003_A,
    sharpnessOther: p.sharpnessOther,
    'apb.x_A': o.apb.x_A,
    'apb.y_A': o.apb.y_A,
    'apb.pairs': o.apb.pairs,
  });
  return { values, counts };
}
