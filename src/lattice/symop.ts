/**
 * Crystallographic symmetry operations in the CIF "x,y,z" notation ('-y, x-y, z+1/3', '1/2+x, y, z').
 */
import { InputError } from '../core/index.js';

/** A symmetry operation on fractional coordinates: f' = R·f + t (R row-major 3×3). */
export interface SymOp {
  readonly R: readonly number[];
  readonly t: readonly number[];
}

/** Parse one operation string; `field` names the CIF line in errors. */
export function parseSymOp(text: string, field: string): SymOp {
  const parts = text.toLowerCase().replace(/\s+/g, '').split(',');
  const allowed = 'three comma-separated expressions in x, y, z such as "-y, x-y, z+1/3"';
  if (parts.length !== 3) throw new InputError(field, text, allowed);
  const R: number[] = [];
  const t: number[] = [];
  for (const p of parts) {
    if (p === '' || !/^[-+xyz0-9./*]+$/.test(p)) throw new InputError(field, text, allowed);
    const row = [0, 0, 0];
    let tr = 0;
    const terms = p.match(/[+-]?[^+-]+/g) ?? [];
    for (const term of terms) {
      const m = /^([+-]?)(?:(\d+(?:\.\d*)?(?:\/\d+)?)\*?)?([xyz])?$/.exec(term);
      if (!m || (m[2] === undefined && m[3] === undefined)) throw new InputError(field, text, allowed);
      const sign = m[1] === '-' ? -1 : 1;
      let num = 1;
      if (m[2] !== undefined) {
        const [a, b] = m[2].split('/');
        num = Number(a) / (b === undefined ? 1 : Number(b));
      }
      if (!Number.isFinite(num)) throw new InputError(field, text, allowed);
      if (m[3] === undefined) tr += sign * num;
      else {
        const c = 'xyz'.indexOf(m[3]);
        row[c] = row[c]! + sign * num;
      }
    }
    R.push(...row);
    t.push(tr);
  }
  return { R, t };
}

/** Apply an operation to fractional (u,v,w) and wrap into [0, 1). */
export function applySymOp(op: SymOp, u: number, v: number, w: number): [number, number, number] {
  const out: [number, number, number] = [0, 0, 0];
  for (let r = 0; r < 3; r++) {
    let x = op.R[3 * r]! * u + op.R[3 * r + 1]! * v + op.R[3 * r + 2]! * w + op.t[r]!;
    x -= Math.floor(x);
    if (x >= 1 - 1e-12) x = 0;
    out[r] = x;
  }
  return out;
}
