/**
 * The KMC engine: runs a `KmcModel` under a `TemperatureProgram`, exactly, by thinning.
 *
 * Time is cut into windows (piece boundaries, frame times, and ramp slices of ≤ `window_K`).
 * In a window [t0, t1] with T(t) ≤ T_max, the selector holds k_i(T_max). Candidates arrive as a
 * homogeneous Poisson process of rate R_max = Σ k_i(T_max); candidate i (∝ k_i(T_max)) is
 * accepted with probability k_i(T(t)) / k_i(T_max). This realises each event's inhomogeneous
 * Poisson process exactly (Lewis & Shedler, Nav. Res. Logist. Q. 26, 403 (1979)). A candidate
 * falling past t1 is discarded and the clock set to t1 (memoryless), where the rates are rebuilt at
 * the next window's T_max. In a hold (T constant) every candidate is accepted: plain BKL.
 *
 * Checkpoints are taken at window boundaries, where the state is (model bytes, time, RNG):
 * resuming gives bit-identical results to an uninterrupted run.
 *
 * Models with their own rate classes (`KmcModel.slotClasses`) run on a class-mode `BlockSelector`
 * by default: an event costs one block re-sum per changed block, a window one rate per class.
 *
 * @example
 *   const engine = new KmcEngine(model, program, { rng: Rng.stream(42) });
 *   engine.run({ onFrame: (f) => console.log(f.temperature_K, f.events) });
 */
import { Rng, writeFileAtomicSync, InputError } from '../core/index.js';
import { AffectedSlots, arrheniusRate_Hz, checkArrhenius, createSlotRate } from './model.js';
import type { EventSelector, KmcModel, SlotRate } from './model.js';
import type { EngineOptions, FrameInfo, RunOptions, RunResult } from './engine-options.js';
export type { EngineOptions, FrameInfo, ProgressInfo, RunOptions, RunResult } from './engine-options.js';
import { LinearSelector, SumTreeSelector } from './selector.js';
import { BlockSelector } from './selector-block.js';
import type { TemperatureProgram } from './program.js';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint.js';
import { RateClasses } from './rate-classes.js';
import { buildBoundaries } from './windows.js';

/** Class id of a slot changed since the last window change (its class is looked up lazily). */
const STALE = 0xffff;

export class KmcEngine {
  /** Events executed (accepted candidates). */
  events = 0;
  /** Candidates drawn (executed + rejected by thinning). */
  candidates = 0;
  private t = 0;
  private w = 0; // index of the window [b[w], b[w+1]] being run
  private nextFrame = 0;
  private inWindow = false;
  private treeT = NaN;
  private rng: Rng;
  private readonly sel: EventSelector;
  /** The same selector in class mode (models with `slotClasses`, default selector), else null. */
  private readonly csel: BlockSelector | null;
  /** Classes whose rate `csel.classRate` holds at the current window. */
  private knownClasses = 0;
  private readonly b: Float64Array;
  private readonly frames: Float64Array;
  private readonly rates: Float64Array;
  private readonly out: SlotRate = createSlotRate();
  private readonly affected = new AffectedSlots(1024);
  private readonly classes = new RateClasses();
  /** Class id per slot (null: direct evaluation). */
  private cls: Uint16Array | null;
  /** True when `cls` holds the class (or STALE) of every slot in the model's current state. */
  private classesValid = false;

  constructor(
    readonly model: KmcModel,
    readonly program: TemperatureProgram,
    opts: EngineOptions,
  ) {
    if (!(opts.rng instanceof Rng)) throw new InputError('engine.rng', opts.rng, 'an Rng (e.g. Rng.stream(seed))');
    this.rng = opts.rng;
    const G = model.slotsPerGroup ?? 1;
    const s = opts.selector ?? (G > 1 ? 'block' : 'tree');
    if (typeof s === 'string' && s !== 'tree' && s !== 'block' && s !== 'linear') throw new InputError('engine.selector', s, '"tree", "block" or "linear"');
    const { boundaries_s, frames_s } = buildBoundaries(program, opts.window_K ?? 1, opts.frames_s ?? program.acquisitionTimes_s());
    this.b = boundaries_s;
    this.frames = frames_s;
    if (model.slotClasses && opts.selector === undefined) {
      // class mode: the model's class ids are the per-slot state; no per-slot rates, no engine classes
      this.csel = new BlockSelector(G, model.slotClasses);
      this.sel = this.csel;
      this.rates = new Float64Array(0);
      this.cls = null;
      return;
    }
    this.csel = null;
    this.sel = s === 'tree' ? new SumTreeSelector() : s === 'block' ? new BlockSelector(G) : s === 'linear' ? new LinearSelector() : s;
    const prepare = (this.sel as { prepare?: (n: number) => Float64Array }).prepare;
    this.rates = prepare ? prepare.call(this.sel, model.slotCount) : new Float64Array(model.slotCount);
    const classes = opts.rateClasses ?? model.beginWindow !== undefined;
    this.cls = classes ? new Uint16Array(model.slotCount) : null;
  }

  /** Simulated time, s. */
  get time_s(): number {
    return this.t;
  }

  /** Thinning windows of this run (boundaries, s). */
  get boundaries_s(): Float64Array {
    return this.b.slice();
  }

  /** Bytes held in typed arrays by the engine and its selector (when the selector reports it). */
  get byteLength(): number {
    const sel = this.sel as { byteLength?: number };
    const cls = (this.cls?.byteLength ?? 0) + this.classes.byteLength;
    // the sum tree's leaves are `rates` (a view), the block selector adopts `rates`: counted there
    const ownRates = this.sel instanceof SumTreeSelector || this.sel instanceof BlockSelector ? 0 : this.rates.byteLength;
    return ownRates + cls + this.b.byteLength + this.frames.byteLength + this.affected.ids.byteLength + (sel.byteLength ?? 0);
  }

  /** Rate of `slot` as held by the selector (at the current window's T_max), 1/s. For consistency checks. */
  storedRate_Hz(slot: number): number {
    return this.sel.rate(slot);
  }

  /** Rate of `slot` recomputed from the model now at the selector's temperature, 1/s (NaN before the first window). */
  freshRate_Hz(slot: number): number {
    const out = this.out;
    out.cap_Hz = Infinity;
    this.model.slotRate(slot, out);
    return arrheniusRate_Hz(out, this.treeT);
  }

  /** Current random state (for tests). */
  get rngState(): [number, number, number, number] {
    return this.rng.getState();
  }

  /** Run until the program ends, `stopAt_s` or `maxEvents`. */
  run(o: RunOptions = {}): RunResult {
    const b = this.b;
    const last = b.length - 1;
    const stopAt = o.stopAt_s ?? Infinity;
    const everyWall_ms = (o.checkpoint?.everyWall_s ?? 60) * 1000;
    const everyWin = o.checkpoint?.everyWindows ?? Infinity;
    let lastCk = Date.now();
    let winSinceCk = 0;
    const eventLimit = o.maxEvents === undefined ? Infinity : this.events + o.maxEvents;
    for (;;) {
      if (!this.inWindow) {
        this.emitFrames(o);
        o.onProgress?.({ time_s: this.t, temperature_K: this.program.temperature_K(this.t), events: this.events, fraction: this.t / b[last]! });
        if (o.checkpoint && (winSinceCk >= everyWin || Date.now() - lastCk >= everyWall_ms)) {
          writeFileAtomicSync(o.checkpoint.path, this.checkpoint());
          lastCk = Date.now();
          winSinceCk = 0;
        }
        if (this.w >= last || this.t >= stopAt) break;
        this.inWindow = true;
      }
      const done = this.runWindow(eventLimit, o.onEvent);
      if (!done) return this.result(false);
      this.inWindow = false;
      this.w++;
      this.t = b[this.w]!;
      winSinceCk++;
    }
    return this.result(this.w >= last);
  }

  private result(finishedFlag: boolean): RunResult {
    return { finished: finishedFlag, time_s: this.t, events: this.events, candidates: this.candidates };
  }

  private emitFrames(o: RunOptions): void {
    while (this.nextFrame < this.frames.length && this.frames[this.nextFrame]! <= this.t) {
      const time_s = this.frames[this.nextFrame]!;
      o.onFrame?.({ index: this.nextFrame, time_s, temperature_K: this.program.temperature_K(time_s), events: this.events }, this.model);
      this.nextFrame++;
    }
  }

  /** Rate of `slot` at the window temperature, from the model, interning its rate class (hot path). */
  private slotRateNow(slot: number): number {
    const out = this.out;
    out.cap_Hz = Infinity;
    this.model.slotRate(slot, out);
    const cls = this.cls;
    if (cls !== null) {
      const id = this.classes.idOf(out, slot);
      if (id >= 0) {
        cls[slot] = id;
        return this.classes.rate_Hz[id]!;
      }
      this.cls = null; // too many classes: direct evaluation from now on (same numbers)
      this.classesValid = false;
    }
    return arrheniusRate_Hz(out, this.treeT);
  }

  /** Class mode: rate of every class at `T_K` into the selector (validated), then every block sum. */
  private rebuildClasses(T_K: number): void {
    this.treeT = T_K;
    const changed = this.affected;
    changed.clear();
    this.model.beginWindow?.(T_K, changed);
    this.knownClasses = 0;
    this.syncClasses();
    this.csel!.initClasses(this.model.slotCount);
  }

  /** Class mode: compute the rates of classes created since the last call (at the window's T_max). */
  private syncClasses(): void {
    const table = this.model.slotClasses!;
    const csel = this.csel!;
    const count = table.count;
    csel.ensureClasses(count);
    const out = this.out;
    const r = csel.classRate;
    for (let id = this.knownClasses; id < count; id++) {
      out.nu_Hz = table.nu_Hz[id]!;
      out.barrier_eV = table.barrier_eV[id]!;
      out.cap_Hz = table.cap_Hz[id]!;
      if (!(out.nu_Hz >= 0 && out.nu_Hz < Infinity && out.barrier_eV >= 0 && out.barrier_eV < Infinity && out.cap_Hz >= 0)) {
        checkArrhenius(out.nu_Hz === 0 ? 1 : out.nu_Hz, out.barrier_eV, `model class ${id}`);
        throw new InputError(`model class ${id}.cap_Hz`, out.cap_Hz, 'a rate cap ≥ 0 (1/s)');
      }
      r[id] = id === 0 ? 0 : arrheniusRate_Hz(out, this.treeT);
    }
    this.knownClasses = count;
  }

  /** Start a window at `T_K`: let the model adapt, then put every slot's rate into the selector. */
  private rebuild(T_K: number): void {
    const m = this.model;
    const r = this.rates;
    this.treeT = T_K;
    this.classes.setTemperature(T_K);
    let sweep = !this.classesValid;
    if (m.beginWindow) {
      const changed = this.affected;
      changed.clear();
      if (m.beginWindow(T_K, changed) === true && !sweep) {
        for (let k = 0; k < changed.count; k++) this.slotRateNow(changed.ids[k]!);
      } else sweep = true;
    }
    const cls = this.cls;
    if (!sweep && cls !== null) {
      for (let i = 0; i < r.length; i++) {
        const c = cls[i]!;
        r[i] = c === STALE ? this.slotRateNow(i) : this.classes.rate_Hz[c]!;
      }
      if (this.cls === null) this.classesValid = false;
    } else {
      const out = this.out;
      for (let i = 0; i < r.length; i++) {
        r[i] = this.slotRateNow(i);
        if (this.cls === null && !(out.nu_Hz >= 0 && out.nu_Hz < Infinity && out.barrier_eV >= 0 && out.barrier_eV < Infinity && out.cap_Hz >= 0)) {
          checkArrhenius(out.nu_Hz === 0 ? 1 : out.nu_Hz, out.barrier_eV, `model slot ${i}`);
          throw new InputError(`model slot ${i}.cap_Hz`, out.cap_Hz, 'a rate cap ≥ 0 (1/s)');
        }
      }
      this.classesValid = this.cls !== null;
    }
    this.sel.init(r);
  }

  /** Rate of candidate `slot` at temperature `T_K` now (thinning acceptance), 1/s. */
  private rateAt_Hz(slot: number, T_K: number): number {
    const out = this.out;
    const table = this.csel ? this.model.slotClasses! : null;
    if (table !== null) {
      const c = table.ids[slot]!;
      out.nu_Hz = table.nu_Hz[c]!;
      out.barrier_eV = table.barrier_eV[c]!;
      out.cap_Hz = table.cap_Hz[c]!;
      return arrheniusRate_Hz(out, T_K);
    }
    const c = this.cls === null ? STALE : this.cls[slot]!;
    if (c !== STALE) return this.classes.rateAt_Hz(c, T_K);
    out.cap_Hz = Infinity;
    this.model.slotRate(slot, out);
    return arrheniusRate_Hz(out, T_K);
  }

  /** Run the current window to its end (true) or until `eventLimit` (false). */
  private runWindow(eventLimit: number, onEvent?: (slot: number, time_s: number) => void): boolean {
    const t1 = this.b[this.w + 1]!;
    const { min_K, max_K } = this.program.temperatureRange_K(this.b[this.w]!, t1);
    const csel = this.csel;
    if (max_K !== this.treeT) {
      if (csel) this.rebuildClasses(max_K);
      else this.rebuild(max_K);
    }
    const isothermal = min_K === max_K;
    const { sel, model, rng, out, affected, program } = this;
    const table = csel ? model.slotClasses! : null;
    let t = this.t;
    for (;;) {
      if (this.events >= eventLimit) {
        this.t = t;
        return false;
      }
      const R = sel.total();
      if (!(R > 0)) break;
      const dt = -Math.log(rng.uniformOpen()) / R;
      if (t + dt >= t1) break;
      t += dt;
      const i = sel.select(rng.uniform() * R);
      this.candidates++;
      if (!isothermal) {
        const kNow = this.rateAt_Hz(i, program.temperature_K(t));
        const kMax = sel.rate(i);
        if (kNow > kMax * (1 + 1e-12)) throw new Error(`thinning bound violated at t = ${t} s (slot ${i}): the program is not monotone in this window`);
        if (rng.uniform() * kMax >= kNow) continue;
      }
      affected.clear();
      model.execute(i, rng, affected);
      this.events++;
      const ids = affected.ids;
      if (table !== null) {
        // class mode: the pushed slots changed class; their rates are their classes' (new ones priced now)
        if (table.count > this.knownClasses) this.syncClasses();
        for (let k = 0; k < affected.count; k++) csel!.markDirty(ids[k]!);
      } else {
        // direct evaluation in the hot path; the slot's class is looked up at the next window change
        const T = this.treeT;
        const cls = this.cls;
        for (let k = 0; k < affected.count; k++) {
          const a = ids[k]!;
          out.cap_Hz = Infinity;
          model.slotRate(a, out);
          sel.update(a, arrheniusRate_Hz(out, T));
          if (cls !== null) cls[a] = STALE;
        }
      }
      onEvent?.(i, t);
    }
    this.t = t1;
    return true;
  }

  /** Byte snapshot of engine + RNG + model; only at a window boundary (between `run` calls that stopped at one). */
  checkpoint(): Uint8Array {
    if (this.inWindow) throw new Error('KmcEngine.checkpoint: the engine is inside a window (stopped by maxEvents); checkpoints are taken at window boundaries');
    return encodeCheckpoint(
      {
        version: 1,
        time_s: this.t,
        boundaryIndex: this.w,
        boundaryCount: this.b.length,
        duration_s: this.program.duration_s,
        nextFrame: this.nextFrame,
        events: this.events,
        candidates: this.candidates,
        rng: this.rng.getState(),
      },
      this.model.snapshot(),
    );
  }

  /**
   * Rebuild an engine from checkpoint bytes: `model` (built with the same parameters) is restored
   * from them; `opts` must match the original run's window_K and frames (checked by boundary count).
   */
  static resume(model: KmcModel, program: TemperatureProgram, bytes: Uint8Array, opts: Omit<EngineOptions, 'rng'>): KmcEngine {
    const { header, model: mb } = decodeCheckpoint(bytes);
    const e = new KmcEngine(model, program, { ...opts, rng: Rng.fromState(header.rng) });
    if (header.boundaryCount !== e.b.length || header.duration_s !== program.duration_s || e.b[header.boundaryIndex] !== header.time_s) {
      throw new InputError('checkpoint', `${header.boundaryCount} windows, ${header.duration_s} s`, `a checkpoint of this program (${e.b.length} windows, ${program.duration_s} s) with the same window_K and frames`);
    }
    model.restore(mb);
    e.t = header.time_s;
    e.w = header.boundaryIndex;
    e.nextFrame = header.nextFrame;
    e.events = header.events;
    e.candidates = header.candidates;
    return e;
  }
}
