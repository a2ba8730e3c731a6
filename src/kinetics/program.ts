/**
 * Temperature programs T(t): holds, linear ramps, staircases (the seed protocol) and user
 * expressions in t, composed piecewise. Built from already-parsed SI numbers (K, s, K/s); the
 * scenario layer parses unit strings. Every piece is monotone, so the maximum of T over any time
 * window inside one piece is at one of its ends: the exact bound the engine's thinning needs.
 *
 * @example
 *   const seed = TemperatureProgram.staircase({ start_K: 298.15, end_K: 773.15, step_K: 15, rate_KPerS: 0.1, hold_s: 300 });
 *   seed.temperature_K(150);            // 313.15 (end of the first ramp)
 *   seed.acquisitionTimes_s();          // [0, end of each hold …]
 *   TemperatureProgram.expression({ expression: '25 + 0.1*t', unit: 'degC', duration_s: 4750 });
 */
import { InputError, ZERO_CELSIUS_K, checkFinite, getMathJs } from '../core/index.js';

/** One monotone piece of a program, in its local time τ ∈ [0, duration_s]. */
export interface ProgramPiece {
  /** 'hold' | 'ramp' | 'expression'. */
  readonly kind: 'hold' | 'ramp' | 'expression';
  /** Duration, s (> 0). */
  readonly duration_s: number;
  /** Temperature at local time τ (s), K. */
  temperatureAt_K(tau_s: number): number;
  /** Human-readable description (for logs and summaries). */
  readonly label: string;
}

function piece(kind: ProgramPiece['kind'], duration_s: number, f: (tau: number) => number, label: string): ProgramPiece {
  return { kind, duration_s, temperatureAt_K: f, label };
}

/** Samples checked for finiteness, sign and monotonicity of an expression piece. */
const EXPRESSION_SAMPLES = 2048;

/** A piecewise temperature program; immutable. */
export class TemperatureProgram {
  /** Start time of each piece, s (starts[0] = 0). */
  readonly starts_s: Float64Array;
  /** Total duration, s. */
  readonly duration_s: number;

  constructor(readonly pieces: readonly ProgramPiece[]) {
    if (pieces.length === 0) throw new InputError('program', '[]', 'at least one hold, ramp or expression piece');
    this.starts_s = new Float64Array(pieces.length);
    let t = 0;
    pieces.forEach((p, i) => {
      this.starts_s[i] = t;
      t += p.duration_s;
    });
    this.duration_s = t;
  }

  /** A constant temperature `temperature_K` (≥ 0) for `duration_s` (> 0). */
  static hold(o: { temperature_K: number; duration_s: number }, field = 'program'): TemperatureProgram {
    return new TemperatureProgram([holdPiece(o.temperature_K, o.duration_s, field)]);
  }

  /** A linear ramp from `start_K` to `end_K` at |rate_KPerS| (> 0); heating or cooling. */
  static ramp(o: { start_K: number; end_K: number; rate_KPerS: number }, field = 'program'): TemperatureProgram {
    return new TemperatureProgram([rampPiece(o.start_K, o.end_K, o.rate_KPerS, field)]);
  }

  /**
   * The seed staircase: from `start_K`, ramp at `rate_KPerS` by `step_K`, hold `hold_s`, repeat
   * until `end_K` (the last step is shortened to land on `end_K`, then held). Seed study:
   * `{start_K: 298.15, end_K: 773.15, step_K: 15, rate_KPerS: 0.1, hold_s: 300}`.
   */
  static staircase(
    o: { start_K: number; end_K: number; step_K: number; rate_KPerS: number; hold_s: number },
    field = 'program',
  ): TemperatureProgram {
    checkTemperature(o.start_K, `${field}.start_K`);
    checkTemperature(o.end_K, `${field}.end_K`);
    checkFinite(o.step_K, `${field}.step_K`, { min: 0, exclusiveMin: true, unit: 'K' });
    checkFinite(o.hold_s, `${field}.hold_s`, { min: 0, unit: 's' });
    if (!(o.end_K > o.start_K)) throw new InputError(`${field}.end_K`, o.end_K, `a temperature above start_K = ${o.start_K} K`);
    const n = Math.ceil((o.end_K - o.start_K) / o.step_K - 1e-9);
    const pieces: ProgramPiece[] = [];
    for (let i = 0; i < n; i++) {
      const a = o.start_K + i * o.step_K;
      const b = i === n - 1 ? o.end_K : o.start_K + (i + 1) * o.step_K;
      pieces.push(rampPiece(a, b, o.rate_KPerS, field));
      if (o.hold_s > 0) pieces.push(holdPiece(b, o.hold_s, field));
    }
    return new TemperatureProgram(pieces);
  }

  /**
   * A user expression in `t` (s), e.g. "25 + 0.1*t" with unit 'degC', over [0, duration_s];
   * compiled once by mathjs. It must be finite, ≥ 0 K and monotone on the piece (checked on
   * 2048 samples); split a non-monotone program into monotone pieces with `concat`.
   */
  static expression(o: { expression: string; unit: 'K' | 'degC'; duration_s: number }, field = 'program'): TemperatureProgram {
    return new TemperatureProgram([expressionPiece(o.expression, o.unit, o.duration_s, field)]);
  }

  /** Programs one after the other (piecewise composition; jumps between pieces are allowed). */
  static concat(...programs: TemperatureProgram[]): TemperatureProgram {
    return new TemperatureProgram(programs.flatMap((p) => p.pieces));
  }

  /** Index of the piece containing `t_s` (the later piece at a boundary; the last one at the end). */
  pieceIndex(t_s: number): number {
    const s = this.starts_s;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= t_s) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** T(t), K, for t in [0, duration_s] (clamped outside). */
  temperature_K(t_s: number): number {
    const t = t_s < 0 ? 0 : t_s > this.duration_s ? this.duration_s : t_s;
    const i = this.pieceIndex(t);
    const p = this.pieces[i]!;
    const tau = Math.min(t - this.starts_s[i]!, p.duration_s);
    return p.temperatureAt_K(tau);
  }

  /**
   * max T on [t0_s, t1_s] for a window lying inside one piece (exact: pieces are monotone).
   * For a window spanning pieces, the max over the pieces it touches.
   */
  maxTemperature_K(t0_s: number, t1_s: number): number {
    return this.temperatureRange_K(t0_s, t1_s).max_K;
  }

  /** min and max of T on [t0_s, t1_s], K (exact: pieces are monotone; piece ends count on their own side). */
  temperatureRange_K(t0_s: number, t1_s: number): { min_K: number; max_K: number } {
    const i0 = this.pieceIndex(t0_s);
    const i1 = Math.max(i0, this.pieceIndexBefore(t1_s));
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = i0; i <= i1; i++) {
      const p = this.pieces[i]!;
      const a = Math.max(0, t0_s - this.starts_s[i]!);
      const b = Math.min(p.duration_s, Math.max(a, t1_s - this.starts_s[i]!));
      const Ta = p.temperatureAt_K(a);
      const Tb = p.temperatureAt_K(b);
      lo = Math.min(lo, Ta, Tb);
      hi = Math.max(hi, Ta, Tb);
    }
    return { min_K: lo, max_K: hi };
  }

  /** Index of the piece containing times just before `t_s` (the earlier piece at a boundary). */
  private pieceIndexBefore(t_s: number): number {
    const i = this.pieceIndex(t_s);
    return i > 0 && this.starts_s[i] === t_s ? i - 1 : i;
  }

  /**
   * Window boundaries for thinning, s: every piece boundary; holds are one window; ramps and
   * expressions are split so that T changes by at most `maxStep_K` per window. Sorted, from 0 to
   * duration_s inclusive.
   */
  windowBoundaries_s(maxStep_K = 1): Float64Array {
    checkFinite(maxStep_K, 'engine.window_K', { min: 0, exclusiveMin: true, unit: 'K' });
    const out: number[] = [0];
    this.pieces.forEach((p, i) => {
      const t0 = this.starts_s[i]!;
      const cuts: number[] = [];
      if (p.kind !== 'hold') splitMonotone(p, 0, p.duration_s, maxStep_K, cuts, 0);
      for (const c of cuts) out.push(t0 + c);
      out.push(i === this.pieces.length - 1 ? this.duration_s : this.starts_s[i + 1]!);
    });
    return Float64Array.from(out);
  }

  /** End time of every hold, s (the seed protocol acquires a frame there). */
  holdEndTimes_s(): number[] {
    const out: number[] = [];
    this.pieces.forEach((p, i) => {
      if (p.kind === 'hold') out.push(i === this.pieces.length - 1 ? this.duration_s : this.starts_s[i + 1]!);
    });
    return out;
  }

  /** Default acquisition times, s: t = 0 (baseline, unless `includeStart` is false) and each hold end. */
  acquisitionTimes_s(o: { includeStart?: boolean } = {}): number[] {
    return [...(o.includeStart === false ? [] : [0]), ...this.holdEndTimes_s()];
  }
}

/** Interior cut points of [a, b] (local time) such that |T(b') − T(a')| ≤ step on every window. */
function splitMonotone(p: ProgramPiece, a: number, b: number, step: number, out: number[], depth: number): void {
  const dT = Math.abs(p.temperatureAt_K(b) - p.temperatureAt_K(a));
  if (dT <= step || depth > 40) return;
  if (p.kind === 'ramp') {
    const n = Math.ceil(dT / step - 1e-12);
    for (let k = 1; k < n; k++) out.push(a + ((b - a) * k) / n);
    return;
  }
  const m = 0.5 * (a + b);
  splitMonotone(p, a, m, step, out, depth + 1);
  out.push(m);
  splitMonotone(p, m, b, step, out, depth + 1);
}

function checkTemperature(T: number, field: string): void {
  checkFinite(T, field, { min: 0, unit: 'K' });
}

function holdPiece(T: number, duration_s: number, field: string): ProgramPiece {
  checkTemperature(T, `${field}.temperature_K`);
  checkFinite(duration_s, `${field}.duration_s`, { min: 0, exclusiveMin: true, unit: 's' });
  return piece('hold', duration_s, () => T, `hold ${T} K for ${duration_s} s`);
}

function rampPiece(start_K: number, end_K: number, rate_KPerS: number, field: string): ProgramPiece {
  checkTemperature(start_K, `${field}.start_K`);
  checkTemperature(end_K, `${field}.end_K`);
  checkFinite(rate_KPerS, `${field}.rate_KPerS`, { unit: 'K/s' });
  if (rate_KPerS === 0) throw new InputError(`${field}.rate_KPerS`, rate_KPerS, 'a non-zero finite heating rate (K/s)');
  if (start_K === end_K) throw new InputError(`${field}.end_K`, end_K, `a temperature different from start_K = ${start_K} K (use a hold)`);
  const rate = Math.sign(end_K - start_K) * Math.abs(rate_KPerS);
  const duration_s = (end_K - start_K) / rate;
  return piece('ramp', duration_s, (tau) => (tau >= duration_s ? end_K : start_K + rate * tau), `ramp ${start_K} → ${end_K} K at ${Math.abs(rate)} K/s`);
}

function expressionPiece(expression: string, unit: 'K' | 'degC', duration_s: number, field: string): ProgramPiece {
  const f = `${field}.expression`;
  if (typeof expression !== 'string' || expression.trim() === '') throw new InputError(f, expression, 'an expression in t (s), e.g. "25 + 0.1*t"');
  if (unit !== 'K' && unit !== 'degC') throw new InputError(`${field}.unit`, unit, '"K" or "degC"');
  checkFinite(duration_s, `${field}.duration_s`, { min: 0, exclusiveMin: true, unit: 's' });
  let code: { evaluate(scope: Record<string, number>): unknown };
  try {
    code = getMathJs().compile(expression);
  } catch (e) {
    throw new InputError(f, expression, 'an expression in t (s), e.g. "25 + 0.1*t"', (e as Error).message);
  }
  const offset = unit === 'degC' ? ZERO_CELSIUS_K : 0;
  const scope = { t: 0 };
  const T = (tau: number): number => {
    scope.t = tau;
    let v: unknown;
    try {
      v = code.evaluate(scope);
    } catch (e) {
      throw new InputError(f, expression, 'an expression of t alone evaluating to a number', (e as Error).message);
    }
    return typeof v === 'number' ? v + offset : NaN;
  };
  let prev = T(0);
  let dir = 0;
  for (let k = 0; k <= EXPRESSION_SAMPLES; k++) {
    const tau = (duration_s * k) / EXPRESSION_SAMPLES;
    const v = T(tau);
    if (!Number.isFinite(v) || v < 0) {
      throw new InputError(f, expression, 'a finite temperature ≥ 0 K over the whole piece', `T(${tau} s) = ${v} K`);
    }
    const d = Math.sign(v - prev);
    if (d !== 0 && dir !== 0 && d !== dir) {
      throw new InputError(f, expression, 'a monotone T(t) on each piece (split it with concat)', `direction changes near t = ${tau} s`);
    }
    if (d !== 0) dir = d;
    prev = v;
  }
  return piece('expression', duration_s, T, `${expression} (${unit}) for ${duration_s} s`);
}
