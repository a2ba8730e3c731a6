/** Which observables share a chart, with titles, axis labels and unit scaling. */
import type { Observables } from '../timeline/index.js';

export interface ChartGroup {
  title: string;
  yLabel: string;
  /** Observable keys → legend label. */
  keys: { key: string; label: string }[];
  /** Multiply values by this for display (e.g. Å² → nm²: 0.01). */
  scale?: number;
}

const REGION_LABEL: Record<string, string> = { rim: 'pore rim', apb: 'APB zone', bulk: 'bulk', all: 'all' };

const GROUPS: { prefix: string; title: string; yLabel: string; scale?: number }[] = [
  { prefix: 'tmOnLi.', title: 'TM on Li-layer sites', yLabel: 'fraction of Li-layer sites' },
  { prefix: 'liMRatio.', title: 'Li-site / M-site HAADF intensity (images)', yLabel: 'I(Li) / I(M)' },
  { prefix: 'vO.', title: 'Oxygen vacancies', yLabel: 'fraction of O sites' },
  { prefix: 'rockSalt.', title: 'Rock-salt order (loss of Li/M layer contrast)', yLabel: 'order parameter' },
  { prefix: 'rockSaltFraction.', title: 'Rock-salt-like local windows', yLabel: 'fraction of cation sites' },
  { prefix: 'ni0.', title: 'Ni⁰ (metal)', yLabel: 'fraction of cations' },
  { prefix: 'li2o.', title: 'Li₂O', yLabel: 'fraction of Li' },
  { prefix: 'tmDepletion.', title: 'TM depletion vs bulk', yLabel: 'TM deficit' },
];

/** Group the observables present in the frames into charts (unknown keys get a chart each). */
export function chartGroups(obs: readonly Observables[]): ChartGroup[] {
  const keys = [...new Set(obs.flatMap((o) => Object.keys(o)))].sort();
  const used = new Set<string>();
  const out: ChartGroup[] = [];
  for (const g of GROUPS) {
    const ks = keys.filter((k) => k.startsWith(g.prefix));
    if (ks.length === 0) continue;
    ks.forEach((k) => used.add(k));
    out.push({ title: g.title, yLabel: g.yLabel, scale: g.scale, keys: ks.map((k) => ({ key: k, label: REGION_LABEL[k.slice(g.prefix.length)] ?? k.slice(g.prefix.length) })) });
  }
  // Counts and bookkeeping columns stay in observables.csv only.
  for (const k of keys) if (k === 'poreVolume_A3' || k === 'apb.pairs' || /Sites\./.test(k)) used.add(k);
  if (keys.includes('poreArea_A2')) {
    used.add('poreArea_A2');
    out.push({ title: 'Projected pore area', yLabel: 'nm²', scale: 0.01, keys: [{ key: 'poreArea_A2', label: 'pore' }] });
  }
  const facetKeys: Record<string, string> = { facetAnisotropy: 'anisotropy', fraction003: '{003} fraction', sharpnessOther: 'non-{003} sharpness' };
  const facet = keys.filter((k) => k in facetKeys);
  if (facet.length) {
    facet.forEach((k) => used.add(k));
    out.push({ title: 'Pore facets', yLabel: '0…1', keys: facet.map((k) => ({ key: k, label: facetKeys[k]! })) });
  }
  if (keys.includes('roughness003_A')) {
    used.add('roughness003_A');
    out.push({ title: '{003} boundary roughness', yLabel: 'Å (RMS)', keys: [{ key: 'roughness003_A', label: '{003}' }] });
  }
  const apb = keys.filter((k) => k === 'apb.x_A' || k === 'apb.y_A');
  if (apb.length) {
    apb.forEach((k) => used.add(k));
    out.push({ title: 'APB position (centroid)', yLabel: 'Å', keys: apb.map((k) => ({ key: k, label: k.slice(4) })) });
  }
  for (const k of keys) if (!used.has(k)) out.push({ title: k, yLabel: k, keys: [{ key: k, label: k }] });
  return out;
}
