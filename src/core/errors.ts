/**
 * The one error type for bad input anywhere in cathode-twin.
 *
 * It names the field (a scenario path such as `protocol.hold`, or a CLI option such as `--size`),
 * the value given, and what is allowed, so the user can fix the input without reading code.
 *
 * @example
 *   throw new InputError('structure.poreRadius', '-3 Å', 'a length ≥ 0 Å');
 *   // InputError: structure.poreRadius: got -3 Å; allowed: a length ≥ 0 Å
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    /** Dotted path of the offending field or CLI option. */
    readonly field: string,
    /** The value as given (stringified for the message). */
    readonly value: unknown,
    /** Human-readable description of what is allowed. */
    readonly allowed: string,
    /** Optional extra detail (e.g. a suggested fix). */
    readonly hint?: string,
  ) {
    super(oneLine(`${field}: got ${formatValue(value)}; allowed: ${allowed}${hint ? ` (${hint})` : ''}`));
  }
}

/** The message is always one line: control characters (line breaks from a library's message) become spaces. */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') {
    const s = JSON.stringify(v);
    return s.length > 200 ? `${s.slice(0, 196)}..."` : s;
  }
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  try {
    const s = JSON.stringify(v);
    return s.length > 200 ? `${s.slice(0, 197)}...` : s;
  } catch {
    return String(v);
  }
}

/** Throw an InputError unless `ok`. */
export function check(ok: boolean, field: string, value: unknown, allowed: string, hint?: string): asserts ok {
  if (!ok) throw new InputError(field, value, allowed, hint);
}

/** Throw unless `x` is a finite number (optionally within [min, max]). Returns x. */
export function checkFinite(
  x: number,
  field: string,
  opts: { min?: number; max?: number; exclusiveMin?: boolean; unit?: string } = {},
): number {
  const u = opts.unit ? ` ${opts.unit}` : '';
  const lo = opts.min === undefined ? '' : `${opts.exclusiveMin ? '>' : '≥'} ${opts.min}${u}`;
  const hi = opts.max === undefined ? '' : `≤ ${opts.max}${u}`;
  const allowed = ['a finite number', lo, hi].filter(Boolean).join(', ');
  if (!Number.isFinite(x)) throw new InputError(field, x, allowed);
  if (opts.min !== undefined && (opts.exclusiveMin ? x <= opts.min : x < opts.min)) throw new InputError(field, x, allowed);
  if (opts.max !== undefined && x > opts.max) throw new InputError(field, x, allowed);
  return x;
}
