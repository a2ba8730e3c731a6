/**
 * summary.json of a drying study (schema-versioned, deterministic: no wall times or dates, so the same
 * inputs give the same bytes at any worker or shard count).
 */
import { ZERO_CELSIUS_K } from '../../core/index.js';
import { niNiOLine_eV } from '../../kinetics/thermo.js';
import { describeOffset, equivalentPO2_Pa } from './atmosphere.js';
import type { DrawSet } from './draws.js';
import { LAMELLA_LIMITED_FRACTION } from './damage.js';
import { fmt, type Band, type DryMap, type Dominance, type SafeWindow } from './map.js';
import { DRY_VALIDATED_RANGE_K, type DryRecipe } from './recipe.js';

export const DRY_SUMMARY_SCHEMA_VERSION = 1;

const C = (K: number) => +(K - ZERO_CELSIUS_K).toFixed(3);
const H = (s: number) => +(s / 3600).toPrecision(9);
const num = (v: number) => (Number.isFinite(v) ? Number(fmt(v)) : null);
const bandJson = (b: Band | undefined) => (b ? { median: num(b.median), lo90: num(b.lo90), hi90: num(b.hi90) } : null);

/** The summary (see module doc). */
export interface DrySummary {
  readonly schemaVersion: number;
  readonly name: string;
  readonly description: string;
  readonly seed: number;
  readonly codeVersion: string;
  readonly material: Record<string, unknown>;
  readonly programme: Record<string, unknown>;
  readonly grid: { temperatures_C: number[]; times_h: number[] };
  readonly atmospheres: Record<string, unknown>[];
  readonly uncertainty: { source: string; description: string; parameters: string[]; notes: string[] };
  readonly threshold: { quantity: string; value: number; unit: string };
  /** The thresholded quantity at the longest hold time, per atmosphere × temperature. */
  readonly headline: { atmosphere: string; temperature_C: number; time_h: number; median: number | null; lo90: number | null; hi90: number | null; initialMedian: number | null; cooledMedian: number | null; capacity: number | null; lamellaLimited: boolean }[];
  readonly safeWindow: Record<string, unknown>[];
  readonly dominance: { atmosphere: string; text: string; ranking: { name: string; meanAbsRho: number }[]; noise: number }[];
  readonly notes: string[];
  readonly files: string[];
}

function radiusText(r: DryRecipe): string {
  const p = r.poreRadius;
  if (p.kind === 'fixed') return Number.isFinite(p.radius_A) ? `${p.radius_A / 10} nm` : 'no pore';
  if (p.kind === 'discrete') return `drawn per draw from ${p.values_A.map((v, i) => `${v / 10} nm (weight ${p.weights[i]})`).join(', ')}`;
  return `drawn per draw: log-normal, median ${p.median_A / 10} nm, GSD ${p.gsd}, truncated to ${p.min_A / 10}–${p.max_A / 10} nm`;
}

/** Build the summary. */
export function drySummary(r: DryRecipe, draws: DrawSet, m: DryMap, window: readonly SafeWindow[], dom: readonly Dominance[], codeVersion: string): DrySummary {
  const s = r.structure;
  const q = r.threshold.quantity;
  const unit = m.quantities.find((x) => x.name === q)?.unit ?? '';
  const fittedLabel = draws.names.includes('muOOffset') ? `muOOffset from the ${draws.source}` : 'muOOffset held at the table default';
  const last = m.times_s.length - 1;
  const notes: string[] = [
    `Temperatures are limited to the model's validated range ${C(DRY_VALIDATED_RANGE_K[0])}–${C(DRY_VALIDATED_RANGE_K[1])} °C (the seed series the defaults were set against); the hold times (hours) extrapolate the seed's minutes with the same rates.`,
    `Map times are hold times, counted from the end of the heating ramp (${+(r.programme.heatingRate_KPerS * 60).toPrecision(4)} K/min, included in every trajectory). The cool (${+(r.programme.coolingRate_KPerS * 60).toPrecision(4)} K/min) is simulated after the longest hold only ("after cool" column); for a shorter hold it adds about the same.`,
    'Each draw keeps one KMC seed for every temperature and atmosphere (common random numbers), so differences across the map are not seed noise; the 90 % intervals include the KMC noise of one lamella.',
    ...draws.notes,
  ];
  if (m.cells.some((c) => Object.values(c.limited).some(Boolean))) notes.push(`Depths marked "≥" reach ${LAMELLA_LIMITED_FRACTION * 100} % of what the lamella can hold (its whole matter transformed, ${m.rows.map((r) => r.capacity_A[q]).filter((v) => v !== undefined).map((v) => +v!.toFixed(1)).filter((v, i, a) => a.indexOf(v) === i).join(', ')} Å): there the damage is limited by the lamella's size and the true depth is larger. Use a larger lamella (structure) to resolve it.`);
  if (r.unusedSections.length) notes.push(`The recipe's ${r.unusedSections.join(', ')} section(s) are not used by dry: the drying section sets the programme and the atmospheres.`);
  if (draws.names.includes('muOOffset') && !r.atmospheres.some((a) => a.offset.kind === 'fitted')) notes.push('muOOffset is drawn but no atmosphere uses the fitted column offset: its correlations are noise by construction.');
  return {
    schemaVersion: DRY_SUMMARY_SCHEMA_VERSION,
    name: r.name,
    description: r.description,
    seed: r.seed,
    codeVersion,
    material: {
      name: s.material,
      composition: s.composition,
      lithium: s.lithium,
      niOnLi: s.niOnLi,
      lamella_nm: [s.width_A / 10, s.height_A / 10, s.thickness_A / 10],
      surfaces: s.surfaces,
      poreRadius: radiusText(r),
      nearSurface_A: r.nearSurface_A,
    },
    programme: {
      start_C: C(r.programme.start_K),
      heatingRate_KPerMin: num(r.programme.heatingRate_KPerS * 60),
      preHolds: r.programme.preHolds.map((h) => ({ temperature_C: C(h.temperature_K), duration_h: H(h.duration_s) })),
      coolingRate_KPerMin: num(r.programme.coolingRate_KPerS * 60),
      end_C: C(r.programme.end_K),
    },
    grid: { temperatures_C: r.temperatures_K.map(C), times_h: r.times_s.map(H) },
    atmospheres: r.atmospheres.map((a) => ({
      name: a.name,
      description: a.description,
      mode: a.mode,
      ...(a.mode === 'oxygen' ? { pO2_Pa: num(a.pO2_Pa!) } : { pH2O_Pa: num(a.pH2O_Pa!), pH2_Pa: num(a.pH2_Pa!) }),
      offset: a.offset.kind === 'fitted' ? { kind: 'fitted' } : { kind: 'fixed', offset_eV: a.offset.offset_eV, source: a.offset.source },
      offsetText: describeOffset(a, fittedLabel),
      perTemperature: m.rows
        .filter((row) => row.atmosphere === a.name)
        .map((row) => ({
          temperature_C: C(row.temperature_K),
          deltaMuO_eV: bandJson(row.deltaMuO_eV),
          niNiOLine_eV: num(niNiOLine_eV(row.temperature_K)),
          equivalentPO2_Pa: num(equivalentPO2_Pa(a, row.temperature_K)),
        })),
    })),
    uncertainty: { source: draws.source, description: draws.description, parameters: [...m.parameters], notes: [...draws.notes] },
    threshold: { quantity: q, value: r.threshold.value, unit },
    headline: m.rows.map((row) => {
      const cell = m.cells.find((c) => c.atmosphere === row.atmosphere && c.temperature_K === row.temperature_K && c.time_s === m.times_s[last])!;
      const b = cell.stats[q]!;
      return {
        atmosphere: row.atmosphere, temperature_C: C(row.temperature_K), time_h: H(m.times_s[last]!), median: num(b.median), lo90: num(b.lo90), hi90: num(b.hi90),
        initialMedian: num(row.initial[q]?.median ?? NaN), cooledMedian: row.cooled ? num(row.cooled[q]?.median ?? NaN) : null,
        capacity: num(row.capacity_A[q] ?? NaN), lamellaLimited: cell.limited[q] === true,
      };
    }),
    safeWindow: window.map((w) => ({
      atmosphere: w.atmosphere,
      time_h: H(w.time_s),
      highestSafeMedian_C: num(C(w.highestSafeMedian_K)),
      crossingMedian_C: num(C(w.crossingMedian_K)),
      wholeGridSafeMedian: w.allSafeMedian,
      highestSafeHi90_C: num(C(w.highestSafeHi90_K)),
      crossingHi90_C: num(C(w.crossingHi90_K)),
      wholeGridSafeHi90: w.allSafeHi90,
    })),
    dominance: dom.map((d) => ({ atmosphere: d.atmosphere, text: d.text, ranking: d.ranking.map((x) => ({ name: x.name, meanAbsRho: Number(x.meanAbsRho.toFixed(3)) })), noise: Number(d.noise.toFixed(3)) })),
    notes,
    files: ['map.csv', 'safe-window.csv', 'sensitivity.csv', 'summary.json', 'report.html', 'trajectories/'],
  };
}
