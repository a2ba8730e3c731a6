/**
 * Observables of a species snapshot per region (pore rim shell, APB zone, bulk), computed from
 * the lattice roles and the lamella's region flags. Used when the kinetics does not report its
 * own, and for the image-independent columns of observables.csv.
 *
 * - tmOnLi.r: TM (any Ni, Co, Mn) on Li-layer sites / non-void Li-layer sites in region r.
 * - vO.r: O vacancies / non-void anion sites.
 * - rockSalt.r: 1 − (x_TM(M layers) − x_TM(Li layers)) / (same at t = 0): 0 layered, 1 no layer contrast.
 * - tmDepletion.rim: TM fraction of rim cation sites below that of the bulk.
 * - ni0.all, li2o.all: Ni⁰ / cations; Li in Li2O / all Li.
 * - poreArea_A2: projected area of 2 Å × 2 Å columns holding < 50 % of the bulk's mean matter.
 */
import { Region, SiteRole, Species, isTransitionMetal, type Lamella } from '../../lattice/index.js';
import type { Observables } from '../timeline/index.js';

const REGIONS = { rim: Region.PORE_RIM, apb: Region.APB_ZONE } as const;

interface Counts {
  liSites: number;
  tmOnLi: number;
  mSites: number;
  tmOnM: number;
  anions: number;
  vO: number;
  cations: number;
  tm: number;
}

function zero(): Counts {
  return { liSites: 0, tmOnLi: 0, mSites: 0, tmOnM: 0, anions: 0, vO: 0, cations: 0, tm: 0 };
}

/** The layer contrast x_TM(M) − x_TM(Li) per region, for normalising rockSalt. */
export type LayerContrast = Record<string, number>;

/** Compute the observables of `species` on `lamella` (see module doc). */
export function computeObservables(lamella: Lamella, species: Uint8Array, contrast0?: LayerContrast): { observables: Observables; contrast: LayerContrast } {
  const lat = lamella.lattice;
  const c: Record<string, Counts> = { rim: zero(), apb: zero(), bulk: zero(), all: zero() };
  let ni0 = 0;
  let li = 0;
  let li2o = 0;
  for (let t = 0; t < lat.n; t++) {
    const s = species[t]!;
    if (s === Species.VOID) continue;
    const f = lamella.region[t]!;
    const targets = [c.all!];
    if (f & REGIONS.rim) targets.push(c.rim!);
    if (f & REGIONS.apb) targets.push(c.apb!);
    if (!(f & (Region.PORE_RIM | Region.APB_ZONE | Region.SURFACE))) targets.push(c.bulk!);
    const role = lat.role[t]!;
    const tm = isTransitionMetal(s);
    if (s === Species.NI0) ni0++;
    if (s === Species.LI) li++;
    if (s === Species.LI_LI2O) li2o++;
    for (const k of targets) {
      if (role === SiteRole.ANION) {
        k.anions++;
        if (s === Species.VAC_O) k.vO++;
      } else {
        k.cations++;
        if (tm) k.tm++;
        if (role === SiteRole.LI_LAYER) {
          k.liSites++;
          if (tm) k.tmOnLi++;
        } else {
          k.mSites++;
          if (tm) k.tmOnM++;
        }
      }
    }
  }
  const obs: Observables = {};
  const contrast: LayerContrast = {};
  for (const r of ['rim', 'apb', 'bulk'] as const) {
    const k = c[r]!;
    if (k.liSites + k.mSites === 0) continue;
    obs[`tmOnLi.${r}`] = k.liSites ? k.tmOnLi / k.liSites : NaN;
    obs[`vO.${r}`] = k.anions ? k.vO / k.anions : NaN;
    const con = (k.mSites ? k.tmOnM / k.mSites : 0) - (k.liSites ? k.tmOnLi / k.liSites : 0);
    contrast[r] = con;
    const ref = contrast0?.[r] ?? con;
    obs[`rockSalt.${r}`] = ref > 0 ? Math.min(1, Math.max(0, 1 - con / ref)) : NaN;
  }
  const rim = c.rim!;
  const bulk = c.bulk!;
  if (rim.cations && bulk.cations) obs['tmDepletion.rim'] = bulk.tm / bulk.cations - rim.tm / rim.cations;
  obs['ni0.all'] = c.all!.cations ? ni0 / c.all!.cations : 0;
  obs['li2o.all'] = li + li2o > 0 ? li2o / (li + li2o) : 0;
  obs.poreArea_A2 = projectedPoreArea(lamella, species);
  return { observables: obs, contrast };
}

/** Projected area (Å²) of 2 Å columns holding < 50 % of the mean matter of full columns. */
export function projectedPoreArea(lamella: Lamella, species: Uint8Array, bin_A = 2): number {
  const lat = lamella.lattice;
  const nx = Math.max(1, Math.floor(lat.cell_A[0] / bin_A));
  const ny = Math.max(1, Math.floor(lat.cell_A[1] / bin_A));
  const matter = new Float64Array(nx * ny);
  const sites = new Float64Array(nx * ny);
  for (let t = 0; t < lat.n; t++) {
    const bx = Math.min(nx - 1, Math.floor((lat.position_A[3 * t]! / lat.cell_A[0]) * nx));
    const by = Math.min(ny - 1, Math.floor((lat.position_A[3 * t + 1]! / lat.cell_A[1]) * ny));
    const s = species[t]!;
    sites[by * nx + bx]! += 1;
    if (s !== Species.VOID && s !== Species.VAC_O && s !== Species.VAC_CATION) matter[by * nx + bx]! += 1;
  }
  let full = 0;
  for (let i = 0; i < nx * ny; i++) full = Math.max(full, sites[i]!);
  let mean = 0;
  let n = 0;
  for (let i = 0; i < nx * ny; i++) if (sites[i]! >= 0.9 * full) {
    mean += matter[i]!;
    n++;
  }
  mean = n ? mean / n : 0;
  let holes = 0;
  for (let i = 0; i < nx * ny; i++) if (matter[i]! < 0.5 * mean) holes++;
  return holes * (lat.cell_A[0] / nx) * (lat.cell_A[1] / ny);
}
