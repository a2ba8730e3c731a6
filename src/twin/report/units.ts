/**
 * Quantities in the user's units for the report header: temperatures in °C, heating rates in K/s,
 * durations in s/min/h, pressures in Pa, from the canonical names the scenario carries (`start_K`,
 * `rate_KPerS`, `hold_s`, …). The suffix says the unit (the project's naming rule), so this is the one
 * place that maps a name to how a person reads it.
 */

const fmt = (v: number) => String(+v.toPrecision(4));

/** A duration, s → "45 s", "5 min", "12 h". */
export function formatDuration_s(t: number): string {
  if (Math.abs(t) >= 3600 && Number.isInteger(+(t / 3600).toFixed(3))) return `${fmt(t / 3600)} h`;
  if (Math.abs(t) >= 60) return `${fmt(t / 60)} min`;
  return `${fmt(t)} s`;
}

/** A pressure, Pa → "1.2e-5 Pa", "100 Pa". */
export const formatPressure_Pa = (p: number): string => `${p !== 0 && (Math.abs(p) < 1e-2 || Math.abs(p) >= 1e5) ? p.toExponential(1).replace(/\.0e/, 'e').replace('e+', 'e') : +p.toPrecision(3)} Pa`;

/** A temperature, K → "175 °C". */
export const formatTemperature_K = (T: number): string => `${fmt(T - 273.15)} °C`;

/** Words for a camelCase parameter stem: `acquireEvery` → "acquire every". */
const words = (stem: string) => stem.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

/**
 * One programme parameter in the user's units: `start_K` 298.15 → ["start", "25 °C"]; `step_K` 15 →
 * ["step", "15 K"] (a difference: kelvin); `rate_KPerS` → K/s; `_s` → s/min/h; `_Pa` → Pa; arrays
 * element by element; names without a unit suffix as they are.
 */
export function formatParameter(name: string, v: number | string | readonly number[]): [string, string] {
  const m = /^(.*?)_(K|KPerS|s|Pa)$/.exec(name);
  if (!m) return [words(name), Array.isArray(v) ? v.join(', ') : String(v)];
  const stem = m[1]!, unit = m[2]!;
  const one = (x: number): string => {
    if (unit === 'KPerS') return `${fmt(x)} K/s`;
    if (unit === 's') return formatDuration_s(x);
    if (unit === 'Pa') return formatPressure_Pa(x);
    // Kelvin: a step or difference stays in K, a temperature reads in °C.
    return /step|delta|width|range/i.test(stem) ? `${fmt(x)} K` : formatTemperature_K(x);
  };
  return [words(stem), Array.isArray(v) ? (v as readonly number[]).map(one).join(', ') : typeof v === 'number' ? one(v) : String(v)];
}

/** A temperature programme's parameters as one line: "staircase: start 25 °C, end 500 °C, rate 0.1 K/s, step 15 K, hold 5 min". */
export function formatProtocol(type: string, params: Readonly<Record<string, number | string | readonly number[]>>): string {
  return `${type}: ${Object.entries(params).map(([k, v]) => formatParameter(k, v).join(' ')).join(', ')}`;
}
