/**
 * Display scaling shared by the PNG/GIF/contact-sheet writers: a percentile window
 * (default 0.5 %–99.5 %) mapped linearly to 0…levels−1, non-finite values to 0.
 */

/** Value at quantile `q` (0…1) of the finite entries of `data` (linear interpolation). */
export function quantile(data: ArrayLike<number>, q: number): number {
  const v: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!;
    if (Number.isFinite(x)) v.push(x);
  }
  if (v.length === 0) return 0;
  const s = Float64Array.from(v).sort();
  const pos = Math.min(1, Math.max(0, q)) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/** Display window options. */
export interface ContrastOptions {
  /** Value mapped to black. Default: the `lowPercentile` of the data. */
  min?: number;
  /** Value mapped to white. Default: the `highPercentile` of the data. */
  max?: number;
  /** Lower percentile (0–100) for auto contrast. Default 0.5. */
  lowPercentile?: number;
  /** Upper percentile (0–100) for auto contrast. Default 99.5. */
  highPercentile?: number;
}

/** The [min, max] window for `data` (auto by percentiles unless given). Never returns min === max. */
export function contrastWindow(data: ArrayLike<number>, opts: ContrastOptions = {}): [number, number] {
  const lo = opts.min ?? quantile(data, (opts.lowPercentile ?? 0.5) / 100);
  let hi = opts.max ?? quantile(data, (opts.highPercentile ?? 99.5) / 100);
  if (!(hi > lo)) hi = lo + (Math.abs(lo) > 0 ? Math.abs(lo) * 1e-6 : 1);
  return [lo, hi];
}

/** Map `data` through the window [lo, hi] to integers 0…levels−1 (clamped). */
export function toLevels<T extends Uint8Array | Uint16Array>(data: ArrayLike<number>, lo: number, hi: number, out: T): T {
  const levels = out instanceof Uint16Array ? 65535 : 255;
  const k = levels / (hi - lo);
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!;
    const y = Number.isFinite(x) ? Math.round((x - lo) * k) : 0;
    out[i] = y < 0 ? 0 : y > levels ? levels : y;
  }
  return out;
}
