/**
 * Flatten the kinetics' per-frame observables (src/kinetics/ncm: regions × quantities, pore
 * facets, APB) into the run's flat `name.region` columns (observables.csv, onsets, report).
 */
import type { Observables } from '../timeline/index.js';

/** The shape src/kinetics/ncm reports (structurally typed, so the twin does not reach into kinetics internals). */
export interface KineticsObservables {
  regions?: Record<string, Record<string, number>>;
  pore?: Record<string, number | number[]>;
  apb?: Record<string, number>;
}

/** Flatten: regions.rim.tmOnLi → tmOnLi.rim; pore.area_A2 → poreArea_A2; pore.x → x; apb.x → apb.x. Arrays are skipped. */
export function flattenKineticsObservables(o: KineticsObservables | undefined): Observables {
  const out: Observables = {};
  if (!o) return out;
  for (const [region, q] of Object.entries(o.regions ?? {})) {
    for (const [k, v] of Object.entries(q)) if (typeof v === 'number' && k !== 'sites') out[`${k}.${region}`] = v;
  }
  for (const [k, v] of Object.entries(o.pore ?? {})) {
    if (typeof v !== 'number') continue;
    out[k === 'area_A2' ? 'poreArea_A2' : k === 'volume_A3' ? 'poreVolume_A3' : k] = v;
  }
  for (const [k, v] of Object.entries(o.apb ?? {})) if (typeof v === 'number') out[`apb.${k}`] = v;
  return out;
}
