/**
 * Robust statistics on large frames without sorting them: quantiles of a strided sample of at most `max` finite values
 * (typed-array sort). A 1024² frame is summarised from 20 000 pixels, far more than a median or a MAD needs.
 */

/** Strided sample of the finite values of `a` (where `use` is set, if given), at most `max` of them. */
export function sample(a: ArrayLike<number>, max = 20000, use?: ArrayLike<number>): Float64Array {
  const n = a.length;
  let count = 0;
  if (use) { for (let i = 0; i < n; i++) if (use[i]) count++; } else count = n;
  const step = Math.max(1, Math.floor(count / max));
  const out = new Float64Array(Math.min(max, count) + 1);
  let k = 0, seen = 0;
  for (let i = 0; i < n && k < out.length; i++) {
    if (use && !use[i]) continue;
    if (seen++ % step !== 0) continue;
    const v = a[i]!;
    if (Number.isFinite(v)) out[k++] = v;
  }
  return out.subarray(0, k).sort();
}

/** Quantile q (0…1) of a sample sorted ascending (nearest rank); NaN when empty. */
export function sortedQuantile(s: Float64Array, q: number): number {
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.floor(q * s.length)))]! : NaN;
}

/** Median of the finite values of `a` (where `use`), from a sample. */
export function sampleMedian(a: ArrayLike<number>, use?: ArrayLike<number>): number {
  return sortedQuantile(sample(a, 20000, use), 0.5);
}

/** Robust σ: 1.4826 × the median absolute deviation, from a sample. */
export function robustSigma(a: ArrayLike<number>): number {
  const s = sample(a);
  if (s.length === 0) return 0;
  const med = sortedQuantile(s, 0.5);
  for (let i = 0; i < s.length; i++) s[i] = Math.abs(s[i]! - med);
  return 1.4826 * sortedQuantile(s.sort(), 0.5);
}
