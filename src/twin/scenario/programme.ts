/**
 * The scenario's temperature programme. There is ONE programme type, the kinetics'
 * `TemperatureProgram` (src/kinetics/program.ts): the protocol section is converted into one here,
 * once (the seed staircase is `TemperatureProgram.staircase`; an expression is compiled by mathjs once),
 * and the acquisition times are read off it. `ScenarioProtocol` keeps the programme as plain data
 * (linear segments or the expression) so a scenario can be echoed to summary.json and sent to a worker;
 * `protocolProgram` turns it back into the (cached) `TemperatureProgram`.
 *
 * Acquisition (the seed): a frame at t = 0 (room temperature) and at the end of every hold; or every Δt;
 * or at listed temperatures (the end of the plateau at that temperature, else the first crossing).
 */
import { InputError } from '../../core/index.js';
import { TemperatureProgram } from '../../kinetics/program.js';
import type { RawProtocol, ScenarioProtocol, Segment } from './protocol.js';

/** Allowed range of programme temperatures, K. */
const T_MIN_K = 200;
const T_MAX_K = 1400;

/** Compiled programmes by protocol object (scenarios are immutable once built). */
const CACHE = new WeakMap<ScenarioProtocol, TemperatureProgram>();

/** The protocol's `TemperatureProgram` (built once per protocol object). */
export function protocolProgram(p: ScenarioProtocol): TemperatureProgram {
  let prog = CACHE.get(p);
  if (!prog) {
    prog = p.expression !== undefined ? expressionProgram(p.expression, p.duration_s) : segmentsProgram(p.segments);
    CACHE.set(p, prog);
  }
  return prog;
}

/** T in K at time t (s) of a converted protocol. */
export function temperatureAt(p: ScenarioProtocol, t_s: number): number {
  return protocolProgram(p).temperature_K(t_s);
}

function expressionProgram(expr: string, duration_s: number): TemperatureProgram {
  const allowed = `a mathjs expression of t (s) giving T in K between ${T_MIN_K} and ${T_MAX_K}, monotone over the programme, e.g. "298.15 + 0.1*t"`;
  let prog: TemperatureProgram;
  try {
    prog = TemperatureProgram.expression({ expression: expr, unit: 'K', duration_s }, 'protocol');
  } catch (e) {
    if (e instanceof InputError) throw new InputError('protocol.temperature', expr, allowed, e.hint);
    throw e;
  }
  const { min_K, max_K } = prog.temperatureRange_K(0, duration_s);
  if (!(min_K >= T_MIN_K && max_K <= T_MAX_K)) throw new InputError('protocol.temperature', expr, allowed, `T spans ${+min_K.toFixed(3)} … ${+max_K.toFixed(3)} K`);
  return prog;
}

function segmentsProgram(segs: readonly Segment[]): TemperatureProgram {
  const pieces = segs
    .filter((g) => g.t1_s > g.t0_s)
    .map((g) =>
      g.T0_K === g.T1_K
        ? TemperatureProgram.hold({ temperature_K: g.T0_K, duration_s: g.t1_s - g.t0_s }, 'protocol')
        : TemperatureProgram.ramp({ start_K: g.T0_K, end_K: g.T1_K, rate_KPerS: Math.abs(g.T1_K - g.T0_K) / (g.t1_s - g.t0_s) }, 'protocol'),
    );
  if (pieces.length === 0) throw new InputError('protocol', '(no segment)', 'a programme of positive duration');
  return TemperatureProgram.concat(...pieces);
}

/** The linear segments of a ramp/hold programme (its pieces, in absolute time). */
function segmentsOf(prog: TemperatureProgram): Segment[] {
  return prog.pieces.map((q, i) => ({ t0_s: prog.starts_s[i]!, t1_s: prog.starts_s[i]! + q.duration_s, T0_K: q.temperatureAt_K(0), T1_K: q.temperatureAt_K(q.duration_s) }));
}

/** The programme of a validated protocol (K, s, K/s). */
function rawProgram(p: RawProtocol): TemperatureProgram {
  if (p.type === 'expression') return expressionProgram(p.temperature, p.duration);
  if (p.type !== 'isothermal' && !(p.end > p.start)) throw new InputError('protocol.end', p.end, `a temperature above protocol.start (${p.start} K)`);
  if (p.type === 'staircase') {
    if (p.hold === 0 && p.acquire === 'end-of-hold') throw new InputError('protocol.hold', p.hold, 'a hold > 0 s when frames are acquired at the end of each hold');
    return TemperatureProgram.staircase({ start_K: p.start, end_K: p.end, step_K: p.step, rate_KPerS: p.rate, hold_s: p.hold }, 'protocol');
  }
  if (p.type === 'ramp') return TemperatureProgram.ramp({ start_K: p.start, end_K: p.end, rate_KPerS: p.rate }, 'protocol');
  const hold = TemperatureProgram.hold({ temperature_K: p.temperature, duration_s: p.duration }, 'protocol');
  return p.start === p.temperature ? hold : TemperatureProgram.concat(TemperatureProgram.ramp({ start_K: p.start, end_K: p.temperature, rate_KPerS: p.rate }, 'protocol'), hold);
}

/** Time (s) at which the programme is "at" Tk: the end of a plateau at Tk, else its first crossing; NaN if never. */
function timeAtTemperature(prog: TemperatureProgram, Tk: number): number {
  for (let i = 0; i < prog.pieces.length; i++) {
    const q = prog.pieces[i]!;
    const t0 = prog.starts_s[i]!;
    const a = q.temperatureAt_K(0);
    const b = q.temperatureAt_K(q.duration_s);
    if (Tk < Math.min(a, b) - 1e-6 || Tk > Math.max(a, b) + 1e-6) continue;
    if (q.kind === 'hold') return t0 + q.duration_s;
    // A plateau right after the crossing counts as "at" that temperature.
    const next = prog.pieces[i + 1];
    if (Math.abs(Tk - b) < 1e-6 && next?.kind === 'hold') return prog.starts_s[i + 1]! + next.duration_s;
    // Monotone piece: bisection (exact for ramps to 1e-9 s).
    let lo = 0;
    let hi = q.duration_s;
    const up = b >= a;
    for (let k = 0; k < 200 && hi - lo > 1e-9; k++) {
      const m = 0.5 * (lo + hi);
      if (q.temperatureAt_K(m) >= Tk === up) hi = m;
      else lo = m;
    }
    return t0 + hi;
  }
  return NaN;
}

/** Convert the validated protocol (already in K, s, K/s) into the programme and acquisition times. */
export function buildProgramme(p: RawProtocol): ScenarioProtocol {
  const params: Record<string, number | string | number[]> = {};
  if (p.type === 'expression') Object.assign(params, { temperature: p.temperature, duration_s: p.duration });
  else if (p.type === 'staircase') Object.assign(params, { start_K: p.start, end_K: p.end, rate_KPerS: p.rate, step_K: p.step, hold_s: p.hold });
  else if (p.type === 'ramp') Object.assign(params, { start_K: p.start, end_K: p.end, rate_KPerS: p.rate });
  else Object.assign(params, { start_K: p.start, rate_KPerS: p.rate, temperature_K: p.temperature, duration_s: p.duration });
  const prog = rawProgram(p);
  const duration_s = prog.duration_s;

  let times: number[] = [0];
  const acq = p.acquire;
  if (acq === 'end-of-hold') {
    if (p.type !== 'staircase' && p.type !== 'isothermal') throw new InputError('protocol.acquire', acq, '"end-of-hold" only for staircase or isothermal programmes; else {every: …} or {temperatures: […]}');
    times.push(...prog.holdEndTimes_s());
    params.acquire = 'end-of-hold';
  } else if ('every' in acq) {
    const n = Math.floor(duration_s / acq.every + 1e-9);
    if (n > 2000) throw new InputError('protocol.acquire.every', acq.every, `an interval giving ≤ 2000 frames over ${duration_s} s`);
    for (let k = 1; k <= n; k++) times.push(k * acq.every);
    params.acquireEvery_s = acq.every;
  } else {
    for (const [k, Tk] of acq.temperatures.entries()) {
      const t = timeAtTemperature(prog, Tk);
      if (!Number.isFinite(t)) throw new InputError(`protocol.acquire.temperatures[${k}]`, Tk, 'a temperature the programme reaches');
      times.push(t);
    }
    params.acquireTemperatures_K = acq.temperatures;
  }
  times = [...new Set(times.map((t) => Math.min(duration_s, +t.toFixed(6))))].sort((a, b) => a - b);
  const protocol: ScenarioProtocol = { type: p.type, segments: p.type === 'expression' ? [] : segmentsOf(prog), ...(p.type === 'expression' ? { expression: p.temperature } : {}), duration_s, acquisitionTimes_s: times, params };
  CACHE.set(protocol, prog);
  return protocol;
}

/**
 * A protocol from a programme built directly with `TemperatureProgram` (ramps and holds; twin/dry's drying
 * programmes), with its acquisition times (ascending, within the programme) and the parameters to echo.
 */
export function protocolFromProgram(prog: TemperatureProgram, acquisitionTimes_s: readonly number[], params: Record<string, number | string | number[]>, field = 'programme'): ScenarioProtocol {
  if (prog.pieces.some((q) => q.kind === 'expression')) throw new InputError(field, 'expression', 'a programme of ramps and holds');
  const base: ScenarioProtocol = { type: 'isothermal', segments: segmentsOf(prog), duration_s: prog.duration_s, acquisitionTimes_s: [0], params };
  CACHE.set(base, prog);
  return withAcquisitionTimes(base, acquisitionTimes_s, `${field}.frames_s`);
}

/**
 * The protocol with other acquisition times (strictly ascending, within the programme; InputError naming
 * `field`), sharing the compiled programme.
 */
export function withAcquisitionTimes(p: ScenarioProtocol, times_s: readonly number[], field = 'frameTimes_s'): ScenarioProtocol {
  if (!Array.isArray(times_s) || times_s.length === 0 || times_s.length > 2001) throw new InputError(field, times_s, 'a list of 1 … 2001 times in s');
  let prev = -Infinity;
  for (const [k, t] of times_s.entries()) {
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || t > p.duration_s) throw new InputError(`${field}[${k}]`, t, `a time in [0, ${p.duration_s}] s (the programme's duration)`);
    if (!(t > prev)) throw new InputError(`${field}[${k}]`, t, `times in strictly ascending order (previous ${prev} s)`);
    prev = t;
  }
  const q: ScenarioProtocol = { ...p, acquisitionTimes_s: [...times_s] };
  CACHE.set(q, protocolProgram(p));
  return q;
}

/**
 * Times (s) at which the protocol is "at" each temperature (K): the end of a plateau at it, else its first
 * crossing; InputError naming `field[k]` for a temperature the programme never reaches. For
 * `simulateScenario({ frameTimes_s })` when frames are known by temperature (a measured series).
 */
export function timesAtTemperatures(p: ScenarioProtocol, temperatures_K: readonly number[], field = 'temperatures_K'): number[] {
  const prog = protocolProgram(p);
  return temperatures_K.map((T, k) => {
    const t = timeAtTemperature(prog, T);
    if (!Number.isFinite(t)) throw new InputError(`${field}[${k}]`, T, 'a temperature the programme reaches');
    return t;
  });
}
