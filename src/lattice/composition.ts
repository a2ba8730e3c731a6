/**
 * Transition-metal composition of Li(Ni_x Co_y Mn_z)O2: parsing and exact integer counts.
 */
import { InputError } from '../core/index.js';

/** Fractions of the transition-metal sites, summing to 1. */
export interface Composition {
  readonly Ni: number;
  readonly Co: number;
  readonly Mn: number;
}

/** NCM851005, the seed study's cathode. */
export const NCM851005: Composition = Object.freeze({ Ni: 0.85, Co: 0.1, Mn: 0.05 });

const ALLOWED = 'transition-metal fractions of Ni, Co, Mn summing to 1 (±1e-6), e.g. "Ni0.85Co0.10Mn0.05", "Ni1", "LiNi0.8Co0.1Mn0.1O2"';

/**
 * Parse "Ni0.85Co0.10Mn0.05" (a bare symbol means 1; an optional leading "Li" and trailing "O2"
 * are accepted) → Composition. Fractions must sum to 1 within 1e-6, else InputError naming `field`.
 */
export function parseComposition(text: string, field = 'composition'): Composition {
  if (typeof text !== 'string') throw new InputError(field, text, ALLOWED);
  let s = text.replace(/\s+/g, '');
  s = s.replace(/^Li(?=[A-Z])/, '').replace(/O2$/, '').replace(/^\(|\)$/g, '');
  const out = { Ni: 0, Co: 0, Mn: 0 };
  const re = /([A-Z][a-z]?)(\d*\.?\d*(?:[eE][-+]?\d+)?)/gy;
  let pos = 0;
  let any = false;
  for (let m = re.exec(s); m && m[0] !== ''; m = re.exec(s)) {
    const el = m[1]!;
    if (el !== 'Ni' && el !== 'Co' && el !== 'Mn') throw new InputError(field, text, ALLOWED, `unknown metal ${el}`);
    const x = m[2] === '' ? 1 : Number(m[2]);
    if (!Number.isFinite(x) || x < 0) throw new InputError(field, text, ALLOWED);
    out[el] += x;
    pos = re.lastIndex;
    any = true;
  }
  if (!any || pos !== s.length) throw new InputError(field, text, ALLOWED);
  const sum = out.Ni + out.Co + out.Mn;
  if (Math.abs(sum - 1) > 1e-6) throw new InputError(field, text, ALLOWED, `the fractions sum to ${+sum.toFixed(9)}`);
  return out;
}

/** Composition as "Ni0.85Co0.1Mn0.05" (zero fractions omitted). */
export function formatComposition(c: Composition): string {
  return (['Ni', 'Co', 'Mn'] as const)
    .filter((e) => c[e] > 0)
    .map((e) => `${e}${+c[e].toFixed(6)}`)
    .join('');
}

/**
 * Integer counts for `total` sites with fractions `f` that sum exactly to `total`: the
 * largest-remainder (Hamilton) method, ties broken by list order. Every count is floor(f·total)
 * or that plus one.
 */
export function apportion(fractions: readonly number[], total: number): number[] {
  const raw = fractions.map((f) => f * total);
  const counts = raw.map((x) => Math.floor(x + 1e-9));
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = raw.map((x, i) => ({ i, r: x - Math.floor(x + 1e-9) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0 && k < order.length; k++, left--) counts[order[k]!.i]!++;
  return counts;
}
