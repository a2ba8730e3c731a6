/**
 * Hexagonal Miller indices (h k l) of the R-3m cell (hexagonal axes): plane normals, interplanar
 * spacings and symmetry-equivalent families under the point group −3m (D3d), plus parsing of
 * plane strings such as "104", "(1 -2 0)", "1-20", "(10-14)" (four-index, i = −(h+k) dropped).
 */
import { InputError } from '../core/index.js';
import type { LayeredMetric } from './parent.js';

export type Miller = readonly [number, number, number];

/** Parse a plane: "104", "(104)", "1 0 4", "1,-2,0", "1-20", "(10-14)" (four-index). */
export function parseMiller(text: string | readonly number[], field = 'plane'): Miller {
  const allowed = 'hexagonal Miller indices (h k l) such as "104", "(1 -2 0)", "1-20" or four-index "(10-14)"';
  if (Array.isArray(text)) {
    const v = text as readonly number[];
    if (v.length !== 3 || !v.every(Number.isInteger) || v.every((x) => x === 0)) throw new InputError(field, text, allowed);
    return [v[0]!, v[1]!, v[2]!];
  }
  const s = String(text).trim().replace(/^[({[]|[)}\]]$/g, '').trim();
  let parts: number[];
  if (/[\s,]/.test(s)) parts = s.split(/[\s,]+/).map(Number);
  else parts = (s.match(/-?\d/g) ?? []).map(Number);
  if (parts.length === 4) {
    if (parts[2] !== -(parts[0]! + parts[1]!)) throw new InputError(field, text, allowed, 'four-index planes need i = −(h + k)');
    parts = [parts[0]!, parts[1]!, parts[3]!];
  }
  if (parts.length !== 3 || !parts.every(Number.isInteger) || parts.every((x) => x === 0)) throw new InputError(field, text, allowed);
  return [parts[0]!, parts[1]!, parts[2]!];
}

/** Plane normal G = h·b1 + k·b2 + l·b3 (1/Å, no 2π) in the hexagonal Cartesian frame (x ∥ a1, z ∥ c). */
export function millerNormal(hkl: Miller, metric: LayeredMetric): [number, number, number] {
  const a = metric.a_A;
  const [h, k, l] = hkl;
  return [h / a, (h + 2 * k) / (Math.sqrt(3) * a), l / metric.c_A];
}

/** Interplanar spacing d_hkl, Å (e.g. d_003 = c/3). */
export function dSpacing_A(hkl: Miller, metric: LayeredMetric): number {
  const g = millerNormal(hkl, metric);
  return 1 / Math.hypot(g[0], g[1], g[2]);
}

/** The 12 operations of −3m on Cartesian vectors (3-fold about z, 2-fold about x ∥ a1, inversion). */
function pointGroup(): ((v: readonly number[]) => [number, number, number])[] {
  const ops: ((v: readonly number[]) => [number, number, number])[] = [];
  for (let r = 0; r < 3; r++) {
    const t = (2 * Math.PI * r) / 3;
    const c = Math.cos(t);
    const s = Math.sin(t);
    const rot = (v: readonly number[]): [number, number, number] => [c * v[0]! - s * v[1]!, s * v[0]! + c * v[1]!, v[2]!];
    for (const two of [false, true])
      for (const inv of [1, -1])
        ops.push((v) => {
          const w = two ? [v[0]!, -v[1]!, -v[2]!] : v;
          const x = rot(w);
          return [inv * x[0], inv * x[1], inv * x[2]];
        });
  }
  return ops;
}

/** Unit normals (hexagonal Cartesian) of all planes symmetry-equivalent to (hkl) under −3m, ± both included. */
export function familyNormals(hkl: Miller, metric: LayeredMetric): [number, number, number][] {
  const g = millerNormal(hkl, metric);
  const len = Math.hypot(g[0], g[1], g[2]);
  const u = [g[0] / len, g[1] / len, g[2] / len];
  const out: [number, number, number][] = [];
  for (const op of pointGroup()) {
    const v = op(u);
    if (!out.some((w) => Math.hypot(w[0] - v[0], w[1] - v[1], w[2] - v[2]) < 1e-9)) out.push(v);
  }
  return out;
}
