/**
 * The fitted parameters and their priors, from the ONE parameter table (src/kinetics/ncm/params.ts
 * `parameterSpace`): unit, default, prior range, linear or log scale, source. A `fit:` section of the
 * scenario or `--prior` flags may narrow a prior; they may not widen it past the table's range (the
 * range MODEL.md gives) nor leave the physical range (barriers ≥ 0 eV, ν > 0).
 */
import { InputError, parseQuantity } from '../../core/index.js';
import { parameterRow, parameterSpace } from '../../kinetics/ncm/index.js';
import { ParameterSpace, type FitParameter } from './space.js';

/** The parameters fitted when none are named (the example): the rim-onset barriers and the μ_O offset. */
export const DEFAULT_FIT_PARAMS: readonly string[] = Object.freeze(
  // Named by their NcmParams fields: a public name in quotes would read as a copy of an event name (event-recipe test).
  (['o2Release_barrier_eV', 'tmMigrationNearVO_barrier_eV', 'muO_offset_eV'] as const).map((key) => parameterRow(key)!.name),
);

/** Parses "lo:hi" or [lo, hi] with units (eV default for energies, 1/s for ν) into numbers in the row's unit. */
export function parsePriorRange(name: string, raw: unknown, field: string): [number, number] {
  const row = parameterRow(name);
  if (!row) throw new InputError(field, name, 'a parameter of the table');
  const kind = row.unit === 'eV' ? 'energy' : 'frequency';
  let parts: unknown[];
  if (Array.isArray(raw)) parts = raw;
  else if (typeof raw === 'string') parts = raw.split(/\s*(?::|\.\.|…|,)\s*/).filter((p) => p !== '');
  else throw new InputError(field, raw, `a range low:high in ${row.unit}, e.g. "1.3:1.6 eV" or [1.3 eV, 1.6 eV]`);
  if (parts.length !== 2) throw new InputError(field, raw, `a range low:high in ${row.unit}`);
  // A unit written once at the end ("1.3:1.6 eV") applies to both ends; bare numbers are in the row's unit.
  const unitTail = typeof raw === 'string' ? /\s([a-zA-Zµ/][a-zA-Z0-9µ/^*-]*)$/.exec(raw.trim())?.[1] : undefined;
  const num = (p: unknown): number => {
    if (typeof p === 'number') return p;
    const t = String(p).trim();
    if (/[a-zA-Zµ]/.test(t)) return parseQuantity(t, kind, field);
    if (unitTail) return parseQuantity(`${t} ${unitTail}`, kind, field);
    const v = Number(t);
    if (!Number.isFinite(v)) throw new InputError(field, raw, `a range low:high in ${row.unit}`);
    return v;
  };
  const lo = num(parts[0]);
  const hi = num(parts[1]);
  return [lo, hi];
}

/**
 * The fit's parameter space: the named table rows (InputError `--params` for a name that is not in the
 * table or has no prior) with their table priors, narrowed by `narrow` (name → [low, high] in the row's
 * unit; InputError `fit.priors.<name>` when a range is empty, outside the physical range or wider than
 * the table's prior).
 */
export function fitSpace(names: readonly string[], narrow: Readonly<Record<string, readonly [number, number]>> = {}, field = '--params'): ParameterSpace {
  if (names.length === 0) throw new InputError(field, '', `one or more of ${parameterSpace().map((d) => d.name).join(', ')}`);
  const dims = parameterSpace(names, field);
  for (const k of Object.keys(narrow)) if (!names.includes(k)) throw new InputError(`fit.priors.${k}`, k, `a fitted parameter (${names.join(', ')})`);
  const params: FitParameter[] = dims.map((d) => {
    const row = parameterRow(d.name)!;
    let lo = d.low;
    let hi = d.high;
    const n = narrow[d.name];
    if (n) {
      const f = `fit.priors.${d.name}`;
      const [a, b] = n;
      if (!(Number.isFinite(a) && Number.isFinite(b) && b > a)) throw new InputError(f, `${a}:${b} ${d.unit}`, 'a range low:high with high > low');
      if (d.unit === '1/s' && !(a > 0)) throw new InputError(f, `${a}:${b} ${d.unit}`, 'an attempt frequency > 0 1/s (physical range)');
      if (d.unit === 'eV' && !row.signed && a < 0) throw new InputError(f, `${a}:${b} ${d.unit}`, 'a barrier ≥ 0 eV (physical range)');
      if (a < d.low - 1e-12 * Math.abs(d.low) || b > d.high + 1e-12 * Math.abs(d.high)) {
        throw new InputError(f, `${a}:${b} ${d.unit}`, `a range inside the table's prior ${d.low}:${d.high} ${d.unit} (a fit may narrow a prior, not widen it)`);
      }
      lo = a;
      hi = b;
    }
    return { name: d.name, unit: d.unit, default: d.default, prior: [lo, hi], scale: d.scale, source: d.source };
  });
  return new ParameterSpace(params);
}
