/**
 * The fit's on-disk state, under `<out>/.fit/`: the plan (rounds of design points) and one file per
 * finished forward simulation, each written atomically (`writeFileAtomicSync`), so a run killed at
 * any moment (kill -9) loses no finished simulation and redoes none. Every file carries the fit's
 * key (a hash of everything that determines the simulations); files of another fit are refused.
 * Shards on several machines share the folder (a cluster filesystem); they only ever add files.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, writeFileAtomicSync } from '../../core/index.js';
import type { SimOutput } from './types.js';

/** One planned round: design points in the unit cube. */
export interface PlannedRound {
  index: number;
  /** Unit-cube points (each d numbers). */
  points: number[][];
  /** Replicates per point. */
  replicates: number;
  /** Replicates of individual points where they differ (e.g. the anchor, point 0 of a refinement round). */
  pointReplicates?: number[];
}

export interface FitPlan {
  key: string;
  /** Total number of rounds this budget allows (round 0 = the space-filling design). */
  totalRounds: number;
  rounds: PlannedRound[];
}

/** One finished simulation. */
export interface SimRecord {
  key: string;
  id: string;
  round: number;
  point: number;
  replicate: number;
  u: number[];
  values: Record<string, number>;
  seed: number;
  output: SimOutput;
  wall_s: number;
}

/** A stable SHA-256 of a JSON-able value (object keys sorted). */
export function stableHash(v: unknown): string {
  const canon = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(canon);
    if (x && typeof x === 'object' && !ArrayBuffer.isView(x)) {
      return Object.fromEntries(Object.keys(x as object).sort().map((k) => [k, canon((x as Record<string, unknown>)[k])]));
    }
    if (ArrayBuffer.isView(x)) return Array.from(x as unknown as ArrayLike<number>);
    return x;
  };
  return createHash('sha256').update(JSON.stringify(canon(v))).digest('hex').slice(0, 32);
}

/** Simulation id: round, point, replicate. */
export function simId(round: number, point: number, replicate: number): string {
  return `r${round}-p${String(point).padStart(4, '0')}-k${replicate}`;
}

export class FitStore {
  readonly dir: string;
  private readonly simDir: string;
  constructor(outDir: string, readonly key: string) {
    this.dir = join(outDir, '.fit');
    this.simDir = join(this.dir, 'sims');
  }

  /** The plan, or undefined when none was written; throws when it belongs to another fit. */
  loadPlan(): FitPlan | undefined {
    const p = join(this.dir, 'plan.json');
    if (!existsSync(p)) return undefined;
    const plan = JSON.parse(readFileSync(p, 'utf8')) as FitPlan;
    if (plan.key !== this.key) {
      throw new InputError('--out', this.dir, 'a folder holding no fit, or this same fit (same series, scenario, parameters, priors, budget and seed) to resume', 'another fit was started there: choose another --out or remove it');
    }
    return plan;
  }

  savePlan(plan: FitPlan): void {
    mkdirSync(this.dir, { recursive: true });
    writeFileAtomicSync(join(this.dir, 'plan.json'), `${JSON.stringify(plan)}\n`);
  }

  has(id: string): boolean {
    return existsSync(join(this.simDir, `${id}.json`));
  }

  save(rec: SimRecord): void {
    writeFileAtomicSync(join(this.simDir, `${rec.id}.json`), `${JSON.stringify(rec)}\n`);
  }

  load(id: string): SimRecord {
    const rec = JSON.parse(readFileSync(join(this.simDir, `${id}.json`), 'utf8')) as SimRecord;
    if (rec.key !== this.key) throw new Error(`${id}: simulation of another fit in ${this.simDir}`);
    return rec;
  }

  /** Ids of all finished simulations (sorted). */
  finished(): string[] {
    if (!existsSync(this.simDir)) return [];
    return readdirSync(this.simDir).filter((f) => /^r\d+-p\d+-k\d+\.json$/.test(f)).map((f) => f.slice(0, -5)).sort();
  }
}
