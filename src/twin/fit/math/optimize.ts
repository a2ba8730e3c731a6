/**
 * Derivative-free minimisation by the Nelder–Mead simplex (Lagarias et al., SIAM J. Optim. 9, 112
 * (1998): reflection 1, expansion 2, contraction ½, shrink ½), inside box bounds (points are
 * clamped). Deterministic: no random restarts here; callers pass their own starting points.
 */

export interface MinimizeResult {
  x: Float64Array;
  f: number;
  evaluations: number;
}

/** Minimises f from x0 with initial step `step` per coordinate, within [lo, hi] per coordinate. */
export function nelderMead(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  o: { step: ArrayLike<number>; lo: ArrayLike<number>; hi: ArrayLike<number>; maxEvaluations?: number; tolerance?: number },
): MinimizeResult {
  const n = x0.length;
  const maxEval = o.maxEvaluations ?? 200 * n;
  const tol = o.tolerance ?? 1e-6;
  const clamp = (x: Float64Array) => {
    for (let i = 0; i < n; i++) x[i] = Math.min(o.hi[i]!, Math.max(o.lo[i]!, x[i]!));
    return x;
  };
  let evals = 0;
  const F = (x: Float64Array) => {
    evals++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const pts: Float64Array[] = [clamp(Float64Array.from(x0))];
  for (let i = 0; i < n; i++) {
    const p = Float64Array.from(pts[0]!);
    p[i] = p[i]! + o.step[i]!;
    if (p[i]! > o.hi[i]!) p[i] = pts[0]![i]! - o.step[i]!;
    pts.push(clamp(p));
  }
  const vals = pts.map(F);
  const order = () => {
    const idx = pts.map((_, i) => i).sort((a, b) => vals[a]! - vals[b]! || a - b);
    const p2 = idx.map((i) => pts[i]!);
    const v2 = idx.map((i) => vals[i]!);
    pts.splice(0, pts.length, ...p2);
    vals.splice(0, vals.length, ...v2);
  };
  const along = (c: Float64Array, w: Float64Array, t: number) => clamp(Float64Array.from(c, (ci, i) => ci + t * (w[i]! - ci)));
  while (evals < maxEval) {
    order();
    if (Math.abs(vals[n]! - vals[0]!) <= tol * (Math.abs(vals[0]!) + tol)) {
      let spread = 0;
      for (let i = 0; i < n; i++) spread = Math.max(spread, Math.abs(pts[n]![i]! - pts[0]![i]!));
      if (spread < 1e-4) break;
    }
    const c = new Float64Array(n);
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) c[i]! += pts[k]![i]! / n;
    const worst = pts[n]!;
    const xr = along(c, worst, -1);
    const fr = F(xr);
    if (fr < vals[0]!) {
      const xe = along(c, worst, -2);
      const fe = F(xe);
      if (fe < fr) {
        pts[n] = xe;
        vals[n] = fe;
      } else {
        pts[n] = xr;
        vals[n] = fr;
      }
      continue;
    }
    if (fr < vals[n - 1]!) {
      pts[n] = xr;
      vals[n] = fr;
      continue;
    }
    const outside = fr < vals[n]!;
    const xc = outside ? along(c, worst, -0.5) : along(c, worst, 0.5);
    const fc = F(xc);
    if (fc < (outside ? fr : vals[n]!)) {
      pts[n] = xc;
      vals[n] = fc;
      continue;
    }
    for (let k = 1; k <= n; k++) {
      pts[k] = along(pts[0]!, pts[k]!, 0.5);
      vals[k] = F(pts[k]!);
    }
  }
  order();
  return { x: pts[0]!, f: vals[0]!, evaluations: evals };
}
