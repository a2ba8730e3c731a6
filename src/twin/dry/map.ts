/**
 * The damage map from finished trajectories: per atmosphere × temperature × hold time, the median and
 * 90 % interval of each damage quantity over the draws; the safe window (highest temperature at each
 * time that keeps the median, and the upper 90 % bound, below the threshold); and which parameters the
 * answer hinges on (Spearman rank correlation of the thresholded quantity with each drawn parameter).
 * CSV writers give fixed-precision text, so the bytes depend only on the numbers.
 */
import { ZERO_CELSIUS_K } from '../../core/index.js';
import { DAMAGE_QUANTITIES, LAMELLA_LIMITED_FRACTION, type DamageQuantity, type DamageQuantityName } from './damage.js';
import { spearman, spearmanNoise, summarise } from './stats.js';
import type { TrajectoryResult } from './trajectory.js';

/** Median and 90 % interval. */
export interface Band {
  readonly median: number;
  readonly lo90: number;
  readonly hi90: number;
}

/** One cell of the map. */
export interface MapCell {
  readonly atmosphere: string;
  readonly temperature_K: number;
  readonly time_s: number;
  readonly stats: Readonly<Partial<Record<DamageQuantityName, Band>>>;
  /** Fraction of draws with Δμ_O,eff below the Ni/NiO line at this temperature. */
  readonly niNiOCrossedFraction: number;
  /** Depth quantities whose median reaches LAMELLA_LIMITED_FRACTION of the lamella's capacity (a lower bound: "≥"). */
  readonly limited: Readonly<Partial<Record<DamageQuantityName, boolean>>>;
}

/** Per atmosphere × temperature (not per time). */
export interface MapRow {
  readonly atmosphere: string;
  readonly temperature_K: number;
  readonly initial: Readonly<Partial<Record<DamageQuantityName, Band>>>;
  readonly cooled: Readonly<Partial<Record<DamageQuantityName, Band>>> | null;
  /** Median Δμ_O,eff at the hold temperature, eV, and its 90 % interval (the fitted offset varies). */
  readonly deltaMuO_eV: Band;
  /** Median over draws of the largest reading each depth quantity allows in the lamella, Å. */
  readonly capacity_A: Readonly<Partial<Record<DamageQuantityName, number>>>;
  /** Spearman ρ of the thresholded quantity at the longest hold time with each drawn parameter. */
  readonly sensitivity: Readonly<Record<string, number>>;
  readonly events: Band;
}

/** The whole map. */
export interface DryMap {
  readonly quantities: readonly DamageQuantity[];
  readonly atmospheres: readonly string[];
  readonly temperatures_K: readonly number[];
  readonly times_s: readonly number[];
  readonly draws: number;
  readonly cells: readonly MapCell[];
  readonly rows: readonly MapRow[];
  /** Drawn parameters (and `poreRadius` when it varies), the columns of the sensitivity. */
  readonly parameters: readonly string[];
}

const band = (v: ArrayLike<number>): Band => summarise(v);
const num = (v: number | null | undefined) => (v === null || v === undefined ? NaN : v);

/**
 * Aggregate trajectories (all present: one per atmosphere × temperature × draw) into the map.
 * `threshold` names the quantity the sensitivity is computed on.
 */
export function buildMap(
  results: readonly TrajectoryResult[],
  o: { atmospheres: readonly string[]; temperatures_K: readonly number[]; times_s: readonly number[]; draws: number; parameters: readonly string[]; threshold: DamageQuantityName },
): DryMap {
  const names = new Set<DamageQuantityName>();
  for (const r of results) for (const k of Object.keys(r.damage)) names.add(k as DamageQuantityName);
  const quantities = DAMAGE_QUANTITIES.filter((q) => names.has(q.name));
  const by = new Map<string, TrajectoryResult[]>();
  for (const r of results) {
    const key = `${r.atmosphere}|${r.temperature_K}`;
    by.set(key, [...(by.get(key) ?? []), r]);
  }
  const radii = results.map((r) => num(r.poreRadius_A)).filter(Number.isFinite);
  const parameters = [...o.parameters, ...(new Set(radii).size > 1 ? ['poreRadius'] : [])];
  const cells: MapCell[] = [];
  const rows: MapRow[] = [];
  for (const atm of o.atmospheres) {
    for (const T of o.temperatures_K) {
      const rs = (by.get(`${atm}|${T}`) ?? []).slice().sort((a, b) => a.draw - b.draw);
      const capacity_A: Partial<Record<DamageQuantityName, number>> = {};
      for (const q of quantities) {
        const c = summarise(rs.map((r) => num(r.capacity_A?.[q.name]))).median;
        if (Number.isFinite(c)) capacity_A[q.name] = c;
      }
      o.times_s.forEach((t, k) => {
        const stats: Partial<Record<DamageQuantityName, Band>> = {};
        const limited: Partial<Record<DamageQuantityName, boolean>> = {};
        for (const q of quantities) {
          stats[q.name] = band(rs.map((r) => num(r.damage[q.name]?.[k])));
          if (capacity_A[q.name] !== undefined) limited[q.name] = stats[q.name]!.median >= LAMELLA_LIMITED_FRACTION * capacity_A[q.name]!;
        }
        cells.push({ atmosphere: atm, temperature_K: T, time_s: t, stats, niNiOCrossedFraction: rs.length ? rs.filter((r) => r.niNiOCrossed).length / rs.length : NaN, limited });
      });
      const last = o.times_s.length - 1;
      const y = rs.map((r) => num(r.damage[o.threshold]?.[last]));
      const sensitivity: Record<string, number> = {};
      for (const p of parameters) {
        const x = rs.map((r) => (p === 'poreRadius' ? num(r.poreRadius_A) : num(r.values[p])));
        sensitivity[p] = spearman(x, y);
      }
      const per = (pick: (r: TrajectoryResult) => Readonly<Partial<Record<DamageQuantityName, number | null>>> | null) => {
        const out: Partial<Record<DamageQuantityName, Band>> = {};
        for (const q of quantities) out[q.name] = band(rs.map((r) => num(pick(r)?.[q.name])));
        return out;
      };
      rows.push({
        atmosphere: atm,
        temperature_K: T,
        initial: per((r) => r.initial),
        cooled: rs.some((r) => r.cooled) ? per((r) => r.cooled) : null,
        deltaMuO_eV: band(rs.map((r) => r.deltaMuO_eV)),
        capacity_A,
        sensitivity,
        events: band(rs.map((r) => r.events)),
      });
    }
  }
  return { quantities, atmospheres: o.atmospheres, temperatures_K: o.temperatures_K, times_s: o.times_s, draws: o.draws, cells, rows, parameters };
}

/** Fixed-precision number for CSV/JSON (6 significant digits; '' for NaN). */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return '';
  if (v === 0) return '0';
  return String(+v.toPrecision(6));
}

const C = (K: number) => +(K - ZERO_CELSIUS_K).toFixed(3);
const H = (s: number) => +(s / 3600).toPrecision(9);

/** map.csv: atmosphere, temperature_C, time_h, then <quantity>_median/_lo90/_hi90 per quantity, then niNiOLineCrossed_fraction. */
export function mapCsv(m: DryMap): string {
  const head = ['atmosphere', 'temperature_C', 'time_h', ...m.quantities.flatMap((q) => [`${q.name}_median`, `${q.name}_lo90`, `${q.name}_hi90`]), 'niNiOLineCrossed_fraction'];
  const lines = [head.join(',')];
  for (const c of m.cells) {
    const vals = m.quantities.flatMap((q) => {
      const b = c.stats[q.name]!;
      return [fmt(b.median), fmt(b.lo90), fmt(b.hi90)];
    });
    lines.push([c.atmosphere, fmt(C(c.temperature_K)), fmt(H(c.time_s)), ...vals, fmt(c.niNiOCrossedFraction)].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** One safe-window entry: for an atmosphere and hold time. */
export interface SafeWindow {
  readonly atmosphere: string;
  readonly time_s: number;
  /** Highest grid temperature with every grid temperature up to it below the threshold (median; upper 90 % bound), K; NaN when even the lowest is not. */
  readonly highestSafeMedian_K: number;
  readonly highestSafeHi90_K: number;
  /** Where the median (upper bound) crosses the threshold, linearly interpolated between grid temperatures, K; NaN when it does not within the grid. */
  readonly crossingMedian_K: number;
  readonly crossingHi90_K: number;
  /** True when the whole grid stays below the threshold (the safe temperature is at least the grid's top). */
  readonly allSafeMedian: boolean;
  readonly allSafeHi90: boolean;
}

/** Safe window for `quantity` < `threshold` (see SafeWindow). */
export function safeWindow(m: DryMap, quantity: DamageQuantityName, threshold: number): SafeWindow[] {
  const out: SafeWindow[] = [];
  for (const atm of m.atmospheres) {
    for (const t of m.times_s) {
      const cells = m.temperatures_K.map((T) => m.cells.find((c) => c.atmosphere === atm && c.temperature_K === T && c.time_s === t)!);
      const scan = (pick: (b: Band) => number) => {
        let highest = NaN, crossing = NaN, all = true;
        for (let i = 0; i < cells.length; i++) {
          const v = pick(cells[i]!.stats[quantity]!);
          if (v < threshold) {
            highest = m.temperatures_K[i]!;
            continue;
          }
          all = false;
          if (i > 0) {
            const v0 = pick(cells[i - 1]!.stats[quantity]!);
            const T0 = m.temperatures_K[i - 1]!, T1 = m.temperatures_K[i]!;
            crossing = v > v0 ? T0 + ((threshold - v0) / (v - v0)) * (T1 - T0) : T1;
          }
          break;
        }
        return { highest, crossing, all };
      };
      const med = scan((b) => b.median);
      const hi = scan((b) => b.hi90);
      out.push({ atmosphere: atm, time_s: t, highestSafeMedian_K: med.highest, highestSafeHi90_K: hi.highest, crossingMedian_K: med.crossing, crossingHi90_K: hi.crossing, allSafeMedian: med.all, allSafeHi90: hi.all });
    }
  }
  return out;
}

/** safe-window.csv. */
export function safeWindowCsv(w: readonly SafeWindow[], quantity: DamageQuantityName, threshold: number): string {
  const lines = ['atmosphere,time_h,quantity,threshold,highestSafeMedian_C,crossingMedian_C,wholeGridSafeMedian,highestSafeHi90_C,crossingHi90_C,wholeGridSafeHi90'];
  for (const s of w) {
    lines.push([s.atmosphere, fmt(H(s.time_s)), quantity, fmt(threshold), fmt(C(s.highestSafeMedian_K)), fmt(C(s.crossingMedian_K)), s.allSafeMedian ? 'yes' : 'no', fmt(C(s.highestSafeHi90_K)), fmt(C(s.crossingHi90_K)), s.allSafeHi90 ? 'yes' : 'no'].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** sensitivity.csv: Spearman ρ per atmosphere × temperature × parameter. */
export function sensitivityCsv(m: DryMap, quantity: DamageQuantityName): string {
  const lines = [`atmosphere,temperature_C,quantity,${m.parameters.map((p) => `rho_${p}`).join(',')}`];
  for (const r of m.rows) lines.push([r.atmosphere, fmt(C(r.temperature_K)), quantity, ...m.parameters.map((p) => fmt(r.sensitivity[p]!))].join(','));
  return `${lines.join('\n')}\n`;
}

/** What the answer hinges on in one atmosphere. */
export interface Dominance {
  readonly atmosphere: string;
  /**
   * Parameters by their spread-weighted mean |ρ| over the temperatures (weight: the 90 % width of the
   * quantity after the longest hold at that temperature, so rows where the draws barely differ count
   * little), largest first.
   */
  readonly ranking: readonly { name: string; meanAbsRho: number }[];
  /** |ρ| below this is indistinguishable from 0 with this many draws (≈ 5 % level). */
  readonly noise: number;
  /** Temperatures (K) that entered (the quantity varies across draws there). */
  readonly temperatures_K: readonly number[];
  /** One sentence. */
  readonly text: string;
}

/** The parameters the thresholded quantity hinges on, per atmosphere (see Dominance). */
export function dominance(m: DryMap, quantity: DamageQuantityName, unit: string): Dominance[] {
  const noise = spearmanNoise(m.draws);
  const lastTime = m.times_s[m.times_s.length - 1];
  return m.atmospheres.map((atm) => {
    const rows = m.rows.filter((r) => r.atmosphere === atm && m.parameters.some((p) => Number.isFinite(r.sensitivity[p]!)));
    const width = (r: MapRow) => {
      const b = m.cells.find((c) => c.atmosphere === atm && c.temperature_K === r.temperature_K && c.time_s === lastTime)?.stats[quantity];
      return b && Number.isFinite(b.hi90 - b.lo90) ? b.hi90 - b.lo90 : 0;
    };
    const ranking = m.parameters
      .map((name) => {
        let sw = 0, s = 0;
        for (const r of rows) {
          const rho = Math.abs(r.sensitivity[name]!);
          if (!Number.isFinite(rho)) continue;
          const w = width(r);
          sw += w;
          s += w * rho;
        }
        return { name, meanAbsRho: sw > 0 ? s / sw : NaN };
      })
      .filter((x) => Number.isFinite(x.meanAbsRho))
      .sort((a, b) => b.meanAbsRho - a.meanAbsRho || a.name.localeCompare(b.name));
    let text: string;
    if (rows.length === 0) text = `${quantity} does not vary across the draws at any temperature: no parameter moves it (${unit === 'Å' ? 'no damage in any draw' : 'constant'}).`;
    else if (!ranking.length || ranking[0]!.meanAbsRho < noise) text = `no parameter stands out (largest spread-weighted |ρ| ${ranking[0] ? ranking[0].meanAbsRho.toFixed(2) : '—'} < ${noise.toFixed(2)}, the noise level of ${m.draws} draws): the spread is KMC noise or many small effects.`;
    else {
      const top = ranking.filter((r) => r.meanAbsRho >= noise).slice(0, 3);
      text = `${top[0]!.name} dominates (spread-weighted |ρ| ${top[0]!.meanAbsRho.toFixed(2)} over ${rows.length} temperature${rows.length > 1 ? 's' : ''})${top.length > 1 ? `, then ${top.slice(1).map((t) => `${t.name} (${t.meanAbsRho.toFixed(2)})`).join(', ')}` : ''}.`;
    }
    return { atmosphere: atm, ranking, noise, temperatures_K: rows.map((r) => r.temperature_K), text };
  });
}
