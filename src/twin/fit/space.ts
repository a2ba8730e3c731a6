/**
 * The fitting parameter space: each fitted parameter has a unit, a default, a prior range and a scale
 * (linear or log). The prior is uniform on that scale, so the unit cube u ∈ [0, 1]^d (u = 0 at the
 * prior's low end) carries a uniform prior: design, emulators and MCMC all work in u; values go back
 * to physical units only at the boundary.
 */
import { InputError } from '../../core/index.js';

/** One fitted parameter (a row of the parameter table, possibly with a narrowed prior). */
export interface FitParameter {
  /** Short name as the user writes it (`o2Release`). */
  readonly name: string;
  /** Unit of the values (`eV`, `Hz`). */
  readonly unit: string;
  /** Model default, in `unit`. */
  readonly default: number;
  /** Prior range [low, high], in `unit` (uniform on `scale`). */
  readonly prior: readonly [number, number];
  /** Scale on which the prior is uniform. */
  readonly scale: 'linear' | 'log';
  /** Where the default and prior come from. */
  readonly source?: string;
}

/** A fitted space: parameters in order; maps between physical values and the unit cube. */
export class ParameterSpace {
  readonly dim: number;
  constructor(readonly parameters: readonly FitParameter[]) {
    if (parameters.length === 0) throw new InputError('--params', '', 'at least one parameter to fit');
    const seen = new Set<string>();
    for (const p of parameters) {
      if (seen.has(p.name)) throw new InputError('--params', p.name, 'each parameter once');
      seen.add(p.name);
      const [lo, hi] = p.prior;
      if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo)) throw new InputError(`fit.priors.${p.name}`, p.prior, 'a finite range [low, high] with high > low');
      if (p.scale === 'log' && !(lo > 0)) throw new InputError(`fit.priors.${p.name}`, p.prior, 'a positive range for a log-scale parameter');
    }
    this.dim = parameters.length;
  }

  get names(): string[] {
    return this.parameters.map((p) => p.name);
  }

  /** Physical value of unit coordinate u_i of parameter i. */
  value(i: number, u: number): number {
    const p = this.parameters[i]!;
    const [lo, hi] = p.prior;
    return p.scale === 'log' ? Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo))) : lo + u * (hi - lo);
  }

  /** Unit coordinate of physical value x of parameter i (may fall outside [0, 1]). */
  unit(i: number, x: number): number {
    const p = this.parameters[i]!;
    const [lo, hi] = p.prior;
    return p.scale === 'log' ? (Math.log(x) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : (x - lo) / (hi - lo);
  }

  /** Physical values (name → value) of a unit-cube point. */
  toValues(u: ArrayLike<number>): Record<string, number> {
    const out: Record<string, number> = {};
    this.parameters.forEach((p, i) => (out[p.name] = this.value(i, u[i]!)));
    return out;
  }

  /** Unit-cube point of physical values (every parameter must be given). */
  fromValues(v: Readonly<Record<string, number>>): Float64Array {
    return Float64Array.from(this.parameters, (p, i) => {
      const x = v[p.name];
      if (x === undefined) throw new Error(`fromValues: missing ${p.name}`);
      return this.unit(i, x);
    });
  }

  /** True when u lies in the prior's support (the closed unit cube). */
  inside(u: ArrayLike<number>): boolean {
    for (let i = 0; i < this.dim; i++) if (!(u[i]! >= 0 && u[i]! <= 1)) return false;
    return true;
  }

  /** Sub-space: the listed parameters only, in that order. */
  pick(names: readonly string[]): ParameterSpace {
    return new ParameterSpace(names.map((n) => this.parameters.find((p) => p.name === n)!));
  }
}
