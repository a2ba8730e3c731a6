/** Which observables share a chart, with titles, axis labels and unit scaling. */
import type { Observables } from '../timeline/index.js';
import { PALETTE, REGION_LABELS, regionColour } from './palette.js';

export interface ChartGroup {
  title: string;
  yLabel: string;
  /** Observable keys → legend label and colour (a region's colour from the one palette). */
  keys: { key: string; label: string; color: string }[];
  /** Regions the frames have elsewhere but this chart has no sites or values for: shown as "n/a", never as 0. */
  missing?: string[];
  /** Multiply values by this for display (e.g. Å² → nm²: 0.01). */
  scale?: number;
}

/** Regions a per-region chart is expected to show (when any observable of the frames has them). */
const REGIONS = ['rim', 'apb', 'bulk'] as const;

/** True when `key` has a finite value in some frame. */
const hasValues = (obs: readonly Observables[], key: string) => obs.some((o) => Number.isFinite(o[key]));

const GROUPS: { prefix: string; title: string; yLabel: string; scale?: number }[] = [
  { prefix: 'tmOnLi.', title: 'TM on Li-layer sites', yLabel: 'fraction of Li-layer sites' },
  { prefix: 'liMRatio.', title: 'Li-site / M-site HAADF intensity (images)', yLabel: 'I(Li) / I(M)' },
  { prefix: 'liMColumnRatio.', title: 'Li-column / M-column intensity (column analysis)', yLabel: 'I(Li col) / I(M col)' },
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
  // Regions the run has (a finite value of some per-region observable): a chart lacking one says n/a.
  const regionsPresent = REGIONS.filter((r) => keys.some((k) => k.endsWith(`.${r}`) && GROUPS.some((g) => k === `${g.prefix}${r}`) && hasValues(obs, k)));
  // Order: the regions in a fixed order, then anything else; one colour per region everywhere.
  const order = (r: string) => { const i = ['rim', 'apb', 'bulk', 'all'].indexOf(r); return i < 0 ? 99 : i; };
  for (const g of GROUPS) {
    const ks = keys.filter((k) => k.startsWith(g.prefix));
    if (ks.length === 0) continue;
    ks.forEach((k) => used.add(k));
    const withValues = ks.filter((k) => hasValues(obs, k)).sort((a, b) => order(a.slice(g.prefix.length)) - order(b.slice(g.prefix.length)));
    const missing = regionsPresent.filter((r) => !withValues.includes(`${g.prefix}${r}`));
    out.push({
      title: g.title, yLabel: g.yLabel, scale: g.scale,
      keys: withValues.map((k) => { const r = k.slice(g.prefix.length); return { key: k, label: REGION_LABELS[r] ?? r, color: regionColour(r) }; }),
      ...(missing.length ? { missing } : {}),
    });
  }
  // Counts and bookkeeping columns stay in observables.csv only.
  for (const k of keys) if (k === 'poreVolume_A3' || k === 'apb.pairs' || /Sites\./.test(k)) used.add(k);
  if (keys.includes('poreArea_A2')) {
    used.add('poreArea_A2');
    out.push({ title: 'Projected pore area', yLabel: 'nm²', scale: 0.01, keys: [{ key: 'poreArea_A2', label: 'pore', color: regionColour('pore') }] });
  }
  const facetKeys: Record<string, string> = { facetAnisotropy: 'anisotropy', fraction003: '{003} fraction', sharpnessOther: 'non-{003} sharpness' };
  const facet = keys.filter((k) => k in facetKeys);
  if (facet.length) {
    facet.forEach((k) => used.add(k));
    out.push({ title: 'Pore facets', yLabel: '0…1', keys: facet.map((k, j) => ({ key: k, label: facetKeys[k]!, color: PALETTE[j % PALETTE.length]! })) });
  }
  if (keys.includes('roughness003_A')) {
    used.add('roughness003_A');
    out.push({ title: '{003} boundary roughness', yLabel: 'Å (RMS)', keys: [{ key: 'roughness003_A', label: '{003}', color: regionColour('pore') }] });
  }
  const apb = keys.filter((k) => k === 'apb.x_A' || k === 'apb.y_A');
  if (apb.length) {
    apb.forEach((k) => used.add(k));
    out.push({ title: 'APB position (centroid)', yLabel: 'Å', keys: apb.map((k) => ({ key: k, label: k.slice(4), color: k.endsWith('x_A') ? regionColour('apb') : PALETTE[1]! })) });
  }
  for (const k of keys) if (!used.has(k)) out.push({ title: k, yLabel: k, keys: [{ key: k, label: k, color: PALETTE[0]! }] });
  return out;
}
