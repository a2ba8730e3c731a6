/**
 * zod building blocks for scenario files: quantities given as unit strings ("175 degC",
 * "1.2e-5 Pa"), converted once with src/core parseQuantity and range-checked, with issues that
 * carry the allowed values so that errors name the field, the value and what is allowed.
 */
import { z } from 'zod';
import { InputError, parseQuantity, parseQuantityRange, type QuantityKind } from '../../core/index.js';

/** Range limits in canonical units, with a label for messages. */
export interface Limits {
  min?: number;
  max?: number;
  /** Strict lower bound (value must be > min). */
  exclusiveMin?: boolean;
}

const UNIT: Record<QuantityKind, string> = {
  length: 'Å',
  temperature: 'K',
  pressure: 'Pa',
  time: 's',
  angle: 'mrad',
  voltage: 'V',
  energy: 'eV',
  frequency: '1/s',
  dose: 'e/Å²',
  heatingRate: 'K/s',
};

function describe(kind: QuantityKind, lim: Limits, unit = UNIT[kind]): string {
  const parts = [`a ${kind} with a unit`];
  if (lim.min !== undefined) parts.push(`${lim.exclusiveMin ? '>' : '≥'} ${lim.min} ${unit}`);
  if (lim.max !== undefined) parts.push(`≤ ${lim.max} ${unit}`);
  return parts.join(', ');
}

function inRange(v: number, lim: Limits): boolean {
  if (lim.min !== undefined && (lim.exclusiveMin ? v <= lim.min : v < lim.min)) return false;
  if (lim.max !== undefined && v > lim.max) return false;
  return true;
}

/** Report a failed conversion as a zod issue carrying `allowed`. */
function fail(ctx: z.core.$RefinementCtx, input: unknown, allowed: string, hint?: string): never {
  ctx.addIssue({ code: 'custom', message: allowed, input, params: { allowed, hint } });
  return z.NEVER as never;
}

/** A quantity string of `kind` → number in canonical units, range-checked. Bare numbers are refused (the unit is required). */
export function quantity(kind: QuantityKind, lim: Limits = {}) {
  const allowed = describe(kind, lim);
  return z.union([z.string(), z.number()]).transform((s, ctx): number => {
    if (typeof s === 'number') return fail(ctx, s, allowed, `write the unit, e.g. "${s} ${UNIT[kind]}"`);
    let v: number;
    try {
      v = +parseQuantity(s, kind, 'x').toPrecision(12);
    } catch (e) {
      return fail(ctx, s, allowed, e instanceof InputError ? e.hint : undefined);
    }
    if (!inRange(v, lim)) return fail(ctx, s, allowed, `that is ${+v.toPrecision(6)} ${UNIT[kind]}`);
    return v;
  });
}

/**
 * A temperature difference ("15 K", "15 degC", "15 °C"): degrees Celsius and kelvins have the same
 * size, so "15 degC" is 15 K here (not 288.15 K).
 */
export function temperatureDifference(lim: Limits = {}) {
  const allowed = describe('temperature', lim).replace('a temperature', 'a temperature difference');
  return z.union([z.string(), z.number()]).transform((s, ctx): number => {
    if (typeof s === 'number') return fail(ctx, s, allowed, `write the unit, e.g. "${s} K"`);
    let v: number;
    try {
      v = parseQuantity(s.replace(/°C|degC|celsius/g, 'K'), 'temperature', 'x');
    } catch {
      return fail(ctx, s, allowed);
    }
    if (!inRange(v, lim)) return fail(ctx, s, allowed);
    return v;
  });
}

/** A range string "70-180 mrad" → [lo, hi] with lo < hi, both within limits. */
export function quantityRange(kind: QuantityKind, lim: Limits = {}) {
  const allowed = `${describe(kind, lim)}, as "LO-HI unit" with LO < HI`;
  return z.string().transform((s, ctx): [number, number] => {
    let r: [number, number];
    try {
      r = parseQuantityRange(s, kind, 'x');
    } catch {
      return fail(ctx, s, allowed);
    }
    if (!(r[0] < r[1]) || !inRange(r[0], lim) || !inRange(r[1], lim)) return fail(ctx, s, allowed);
    return r;
  });
}

/** A fraction given as a number 0…1 or a percentage string "3 %". */
export function fraction(lim: { max?: number } = {}) {
  const max = lim.max ?? 1;
  const allowed = `a fraction 0…${max} (number) or a percentage 0…${max * 100} % (string)`;
  return z.union([z.string(), z.number()]).transform((s, ctx): number => {
    let v: number;
    if (typeof s === 'number') v = s;
    else {
      const m = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*%\s*$/.exec(s);
      if (!m) return fail(ctx, s, allowed);
      v = Number(m[1]) / 100;
    }
    if (!(v >= 0 && v <= max)) return fail(ctx, s, allowed);
    return v;
  });
}
