/**
 * Temperature programmes from the scenario's protocol: piecewise-linear segments, T(t) lookup,
 * and acquisition times. The seed staircase: from `start`, ramp `step` at `rate`, hold `hold`,
 * acquire at the end of the hold, repeat until `end` (the last step may be partial); a frame is
 * also acquired at t = 0 (room temperature).
 */
import { getMathJs, InputError } from '../../core/index.js';
import type { RawProtocol, ScenarioProtocol, Segment } from './protocol.js';

function pushRamp(segs: Segment[], T1_K: number, rate_KPerS: number): void {
  const last = segs[segs.length - 1]!;
  const dt = Math.abs(T1_K - last.T1_K) / rate_KPerS;
  if (dt > 0) segs.push({ t0_s: last.t1_s, t1_s: last.t1_s + dt, T0_K: last.T1_K, T1_K });
}
function pushHold(segs: Segment[], dt_s: number): void {
  const last = segs[segs.length - 1]!;
  if (dt_s > 0) segs.push({ t0_s: last.t1_s, t1_s: last.t1_s + dt_s, T0_K: last.T1_K, T1_K: last.T1_K });
}

/** T in K at time t in s on a piecewise-linear programme (clamped to its ends). */
export function temperatureOnSegments(segs: readonly Segment[], t_s: number): number {
  if (segs.length === 0) return NaN;
  for (const s of segs) {
    if (t_s <= s.t1_s) {
      if (t_s <= s.t0_s) return s.T0_K;
      return s.T0_K + ((s.T1_K - s.T0_K) * (t_s - s.t0_s)) / (s.t1_s - s.t0_s);
    }
  }
  return segs[segs.length - 1]!.T1_K;
}

/** Compile an expression programme T_K(t_s); throws InputError naming `field` when it does not evaluate to a finite temperature. */
export function compileExpression(expr: string, field: string, duration_s: number): (t_s: number) => number {
  const allowed = 'a mathjs expression of t (s) giving T in K between 200 and 1400, e.g. "298.15 + 0.1*t"';
  let code: { evaluate(scope: Record<string, number>): unknown };
  try {
    code = getMathJs().compile(expr);
  } catch {
    throw new InputError(field, expr, allowed);
  }
  const f = (t_s: number) => Number(code.evaluate({ t: t_s }));
  for (const t of [0, duration_s / 2, duration_s]) {
    let v: number;
    try {
      v = f(t);
    } catch {
      throw new InputError(field, expr, allowed);
    }
    if (!(v >= 200 && v <= 1400)) throw new InputError(field, expr, allowed, `T(${t} s) = ${v}`);
  }
  return f;
}

/** Convert the validated protocol (already in K, s, K/s) into segments and acquisition times. */
export function buildProgramme(p: RawProtocol): ScenarioProtocol {
  const segs: Segment[] = [];
  const params: Record<string, number | string | number[]> = {};
  let T: (t_s: number) => number;
  let duration_s: number;
  if (p.type === 'expression') {
    duration_s = p.duration;
    T = compileExpression(p.temperature, 'protocol.temperature', duration_s);
    Object.assign(params, { temperature: p.temperature, duration_s });
  } else {
    const start = p.start;
    segs.push({ t0_s: 0, t1_s: 0, T0_K: start, T1_K: start });
    if (p.type === 'staircase') {
      if (!(p.end > p.start)) throw new InputError('protocol.end', p.end, `a temperature above protocol.start (${p.start} K)`);
      let cur = start;
      while (cur < p.end - 1e-9) {
        cur = Math.min(p.end, cur + p.step);
        pushRamp(segs, cur, p.rate);
        pushHold(segs, p.hold);
      }
      Object.assign(params, { start_K: p.start, end_K: p.end, rate_KPerS: p.rate, step_K: p.step, hold_s: p.hold });
    } else if (p.type === 'ramp') {
      if (!(p.end > p.start)) throw new InputError('protocol.end', p.end, `a temperature above protocol.start (${p.start} K)`);
      pushRamp(segs, p.end, p.rate);
      Object.assign(params, { start_K: p.start, end_K: p.end, rate_KPerS: p.rate });
    } else {
      pushRamp(segs, p.temperature, p.rate);
      pushHold(segs, p.duration);
      Object.assign(params, { start_K: p.start, rate_KPerS: p.rate, temperature_K: p.temperature, duration_s: p.duration });
    }
    segs.shift();
    if (segs.length === 0) segs.push({ t0_s: 0, t1_s: 0, T0_K: start, T1_K: start });
    duration_s = segs[segs.length - 1]!.t1_s;
    T = (t) => temperatureOnSegments(segs, t);
  }

  let times: number[] = [0];
  const acq = p.acquire;
  if (acq === 'end-of-hold') {
    if (p.type !== 'staircase' && p.type !== 'isothermal') throw new InputError('protocol.acquire', acq, '"end-of-hold" only for staircase or isothermal programmes; else {every: …} or {temperatures: […]}');
    for (const s of segs) if (s.T0_K === s.T1_K && s.t1_s > s.t0_s) times.push(s.t1_s);
    params.acquire = 'end-of-hold';
  } else if ('every' in acq) {
    for (let t = acq.every; t <= duration_s + 1e-9; t += acq.every) times.push(t);
    if (times.length > 2001) throw new InputError('protocol.acquire.every', acq.every, `an interval giving ≤ 2000 frames over ${duration_s} s`);
    params.acquireEvery_s = acq.every;
  } else {
    // Listed temperatures: the end of the plateau at that temperature, else the first crossing.
    for (const [k, Tk] of acq.temperatures.entries()) {
      let t = NaN;
      if (segs.length) {
        for (const s of segs) {
          const lo = Math.min(s.T0_K, s.T1_K);
          const hi = Math.max(s.T0_K, s.T1_K);
          if (Tk < lo - 1e-6 || Tk > hi + 1e-6) continue;
          t = s.T0_K === s.T1_K ? s.t1_s : s.t0_s + ((Tk - s.T0_K) / (s.T1_K - s.T0_K)) * (s.t1_s - s.t0_s);
          // A plateau right after the crossing counts as "at" that temperature.
          const next = segs[segs.indexOf(s) + 1];
          if (s.T0_K !== s.T1_K && Math.abs(Tk - s.T1_K) < 1e-6 && next && next.T0_K === next.T1_K) t = next.t1_s;
          break;
        }
      } else {
        for (let tt = 0; tt <= duration_s; tt += Math.max(1, duration_s / 1e5)) if (T(tt) >= Tk) { t = tt; break; }
      }
      if (!Number.isFinite(t)) throw new InputError(`protocol.acquire.temperatures[${k}]`, Tk, 'a temperature the programme reaches');
      times.push(t);
    }
    params.acquireTemperatures_K = acq.temperatures;
  }
  times = [...new Set(times.map((t) => +t.toFixed(6)))].sort((a, b) => a - b);
  return { type: p.type, segments: segs, expression: p.type === 'expression' ? p.temperature : undefined, duration_s, acquisitionTimes_s: times, params };
}

/** T in K at time t (s) for a converted protocol (segments or expression). */
export function temperatureAt(p: ScenarioProtocol, t_s: number): number {
  if (p.expression !== undefined) return Number(getMathJs().evaluate(p.expression, { t: t_s }));
  return temperatureOnSegments(p.segments, t_s);
}
