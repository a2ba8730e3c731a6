/**
 * Summary statistics over draws: quantiles (Hyndman & Fan type 7, R's default: linear between order
 * statistics), the median and the central 90 % interval, and Spearman rank correlation (average ranks
 * for ties). NaN values are left out.
 */

/** Quantile q ∈ [0, 1] of finite values (type 7); NaN when none. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const v = Array.from(values).filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const h = (v.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(v.length - 1, lo + 1);
  return v[lo]! + (h - lo) * (v[hi]! - v[lo]!);
}

/** Median and central 90 % interval (5 % and 95 % quantiles). */
export function summarise(values: ArrayLike<number>): { median: number; lo90: number; hi90: number } {
  return { median: quantile(values, 0.5), lo90: quantile(values, 0.05), hi90: quantile(values, 0.95) };
}

/** Ranks 1…n, ties get their average rank. */
export function ranks(values: readonly number[]): number[] {
  const idx = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const r = new Array<number>(values.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && values[idx[j + 1]!] === values[idx[i]!]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[idx[k]!] = avg;
    i = j + 1;
  }
  return r;
}

/** Spearman rank correlation of paired values (pairs with a non-finite member left out); NaN if either side is constant or n < 3. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  const px: number[] = [], py: number[] = [];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (Number.isFinite(x[i]!) && Number.isFinite(y[i]!)) {
      px.push(x[i]!);
      py.push(y[i]!);
    }
  }
  const n = px.length;
  if (n < 3) return NaN;
  const rx = ranks(px), ry = ranks(py);
  const mx = rx.reduce((a, b) => a + b, 0) / n, my = ry.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const a = rx[i]! - mx, b = ry[i]! - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/**
 * |ρ| below which a Spearman correlation over n draws is indistinguishable from 0 at about the 5 %
 * level (two-sided, large-n approximation 1.96/√(n − 1)).
 */
export function spearmanNoise(n: number): number {
  return n > 1 ? 1.96 / Math.sqrt(n - 1) : 1;
}
