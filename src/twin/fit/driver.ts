/**
 * The fit's driver: rounds of forward simulations → emulator → MCMC → the next round near the
 * posterior → … → the final posterior. Everything that decides a simulation (its point, its seed) is
 * a pure function of the inputs and of the simulations of earlier rounds, so the result is the same
 * bytes for any `workers`, any `--shard i/N` split, and after any kill -9 and resume.
 *
 * - Round 0: a maximin Latin hypercube over the prior (unit cube), `replicates` runs per point.
 * - Rounds 1…: `acquireBatch` picks points from the current posterior where the emulator is least sure.
 * - Sharding: `shard` runs the slice i, i+N, i+2N, … of the latest planned round and returns; `merge`
 *   checks the round is complete, then either plans the next round (run the shards again) or, after the
 *   last round, computes the posterior. A plain call (neither) does all of it in one process.
 */
import { createProgress, createWorkerPool, InputError, Rng, Stream, type WorkerPool } from '../../core/index.js';
import { maximinLhs } from './design.js';
import { Emulator, type TrainingPoint } from './emulator.js';
import { EmulatedLikelihood, type Observation } from './likelihood.js';
import { runMcmc, type McmcResult } from './mcmc.js';
import { acquireBatch } from './refine.js';
import { calibrateScale, type ScaleCalibration } from './calibrate.js';
import type { SimulatorSpec } from './simulators.js';
import { simulate } from './simulators.js';
import type { ParameterSpace } from './space.js';
import { FitStore, simId, stableHash, type FitPlan, type SimRecord } from './store.js';
import type { SimTask, SimTaskResult } from './task.js';
import type { SimOutput } from './types.js';

/** Schema of the plan and the simulation files; bump when their meaning changes. */
export const FIT_STATE_VERSION = 1;

/** What is being fitted. */
export interface FitProblem {
  space: ParameterSpace;
  simulator: SimulatorSpec;
  /** Statistics the emulator models, in order (a subset of what the simulator returns). */
  statNames: readonly string[];
  /** Onset stages whose latent onset is emulated. */
  stages: readonly string[];
  observation: Observation;
}

export interface FitSettings {
  outDir: string;
  seed: number;
  /** Total number of forward simulations. */
  budget: number;
  /** Replicate simulations per design point (≥ 2: the replicate variance is emulated). Default 2. */
  replicates?: number;
  /** Replicates per refinement point (near the posterior, where the replicate variance matters most). Default 4. */
  refineReplicates?: number;
  /** Replicates of each refinement round's anchor (the current posterior's most probable sample). Default 8. */
  anchorReplicates?: number;
  workers?: number;
  shard?: { index: number; count: number };
  merge?: boolean;
  quiet?: boolean;
  /** Stop (as if killed) after this many simulations finished in this call (tests of resume). */
  stopAfter?: number;
  /**
   * MCMC lengths per chain: the final posterior (default burn-in 1500, 4000 kept before thinning by 4)
   * and the intermediate rounds' (default 600, 1500). Chains: 4.
   */
  mcmc?: { burnIn?: number; iterations?: number; roundBurnIn?: number; roundIterations?: number };
  /** Calibrate the likelihood's scale by the coverage property (calibrate.ts; default true). */
  calibrate?: boolean;
}

export type FitOutcome =
  | { status: 'done'; result: FitResult; simulatedThisCall: number }
  | { status: 'shard-done'; round: number; ran: number; simulatedThisCall: number }
  | { status: 'next-round'; round: number; simulations: number; simulatedThisCall: number }
  | { status: 'stopped'; simulatedThisCall: number };

export interface FitResult {
  space: ParameterSpace;
  emulator: Emulator;
  likelihood: EmulatedLikelihood;
  mcmc: McmcResult;
  records: SimRecord[];
  plan: FitPlan;
  /** Per round: design points, emulator info and the MCMC diagnostics of the round's posterior. */
  roundInfo: { round: number; points: number; simulations: number; emulator: Emulator['info']; rhat?: number[]; calibration?: ScaleCalibration }[];
}

/**
 * The default budget for d fitted parameters: 28 + 24·d simulations (52, 76, 100 for 1, 2, 3). Measured
 * (bench/RESULTS.md, `npm run bench -- fit`): the 3-parameter recovery case A met every criterion with 100
 * simulations, and with the former default 24 + 16·d = 72 its rim-onset interval stayed one 15 °C frame too
 * wide (45 °C); 2 parameters met them with 56, 1 parameter covered 10 of 10 calibration cases with 24.
 */
export function defaultBudget(d: number): number {
  return 28 + 24 * d;
}

/** Smallest number of round-0 design points for d parameters. */
export function minDesignPoints(d: number): number {
  return Math.max(8, 4 * d + 2);
}

/** A refinement round's size: an anchor point with `anchor` replicates (0: none) and `points` acquired points. */
export interface RoundSize {
  anchor: number;
  points: number;
}

/**
 * How a budget splits into rounds: the design gets ~60 % (at least `minDesignPoints` × `replicates`);
 * the rest goes to up to 3 refinement rounds, each an anchor (the current posterior's most probable
 * sample, `anchorReplicates` runs: the replicate covariance near the posterior, with its cross-frame
 * correlations, is what the synthetic likelihood's width rests on) plus acquired points with
 * `refineReplicates` runs each. Throws a named-field error below the method's need.
 */
export function allocateBudget(budget: number, d: number, replicates: number, refineReplicates = 4, anchorReplicates = 8): { design: number; rounds: RoundSize[] } {
  if (!Number.isInteger(replicates) || replicates < 2 || replicates > 16) throw new InputError('--replicates', replicates, 'an integer 2 … 16 (the replicate variance is emulated)');
  if (!Number.isInteger(refineReplicates) || refineReplicates < 2 || refineReplicates > 16) throw new InputError('--refine-replicates', refineReplicates, 'an integer 2 … 16');
  const n0min = minDesignPoints(d);
  const need = n0min * replicates;
  if (!Number.isInteger(budget) || budget < need) {
    throw new InputError('--budget', budget, `an integer ≥ ${need} simulations for ${d} parameter${d > 1 ? 's' : ''} (${n0min} design points × ${replicates} replicates)`);
  }
  const design = Math.max(n0min, Math.floor((0.6 * budget) / replicates));
  const rest = budget - design * replicates;
  const rounds: RoundSize[] = [];
  const full = anchorReplicates + 2 * refineReplicates;
  if (rest >= full) {
    const k = Math.min(3, Math.floor(rest / full));
    for (let r = 0; r < k; r++) {
      const sims = Math.floor(rest / k) + (r < rest % k ? 1 : 0);
      rounds.push({ anchor: anchorReplicates, points: Math.floor((sims - anchorReplicates) / refineReplicates) });
    }
  } else if (rest >= 2 * refineReplicates) {
    rounds.push({ anchor: 0, points: Math.floor(rest / refineReplicates) });
  }
  return { design, rounds };
}

/** Seed of one forward simulation (a safe integer), from the fit seed and its place in the plan. */
export function simulationSeed(seed: number, round: number, point: number, replicate: number): number {
  const r = Rng.stream(seed, Stream.FIT_SIMULATION, round, point, replicate);
  return r.nextU32() * 2097152 + (r.nextU32() >>> 11);
}

/** The key of a fit: everything that decides its simulations and its plan. */
export function fitKey(p: FitProblem, s: FitSettings): string {
  return stableHash({
    version: FIT_STATE_VERSION,
    simulator: p.simulator,
    parameters: p.space.parameters,
    statNames: p.statNames,
    stages: p.stages,
    observation: p.observation,
    seed: s.seed,
    budget: s.budget,
    replicates: s.replicates ?? 2,
    refineReplicates: s.refineReplicates ?? 4,
    anchorReplicates: s.anchorReplicates ?? 8,
  });
}

interface SimJob {
  id: string;
  round: number;
  point: number;
  replicate: number;
  u: number[];
}

function roundJobs(plan: FitPlan, round: number): SimJob[] {
  const r = plan.rounds[round]!;
  const jobs: SimJob[] = [];
  r.points.forEach((u, point) => {
    const n = r.pointReplicates?.[point] ?? r.replicates;
    for (let k = 0; k < n; k++) jobs.push({ id: simId(round, point, k), round, point, replicate: k, u });
  });
  return jobs;
}

class Stop extends Error {}

/** Runs (or resumes, or runs one shard of, or merges) a fit; see module doc. */
export async function runFit(problem: FitProblem, s: FitSettings): Promise<FitOutcome> {
  const R = s.replicates ?? 2;
  const Rr = s.refineReplicates ?? 4;
  const d = problem.space.dim;
  const alloc = allocateBudget(s.budget, d, R, Rr, s.anchorReplicates ?? 8);
  if (s.shard && s.merge) throw new InputError('--merge', true, 'either --shard i/N or --merge, not both');
  const store = new FitStore(s.outDir, fitKey(problem, s));
  let plan = store.loadPlan();
  if (!plan) {
    const design = maximinLhs(alloc.design, d, Rng.stream(s.seed, Stream.FIT_DESIGN));
    const points: number[][] = [];
    for (let i = 0; i < design.n; i++) points.push(Array.from(design.u.subarray(i * d, (i + 1) * d)));
    plan = { key: store.key, totalRounds: 1 + alloc.rounds.length, rounds: [{ index: 0, points, replicates: R }] };
    store.savePlan(plan);
  }
  let simulated = 0;
  const runJobs = async (jobs: SimJob[]): Promise<void> => {
    const todo = jobs.filter((j) => !store.has(j.id));
    if (todo.length === 0) return;
    const bar = createProgress({ label: `fit simulations (round ${jobs[0]!.round})`, total: jobs.length, quiet: s.quiet, fields: ['sims'] });
    let done = jobs.length - todo.length;
    bar.update(done, { sims: `${done}/${jobs.length}` });
    const workers = s.workers ?? 1;
    const pool: WorkerPool<SimTask, SimTaskResult> | undefined = workers > 1 ? createWorkerPool(new URL('./task', import.meta.url), { workers }) : undefined;
    const finish = (j: SimJob, seed: number, values: Record<string, number>, r: { output: SimOutput; wall_s: number }) => {
      store.save({ key: store.key, id: j.id, round: j.round, point: j.point, replicate: j.replicate, u: j.u, values, seed, output: r.output, wall_s: r.wall_s });
      simulated++;
      done++;
      bar.update(done, { sims: `${done}/${jobs.length}` });
      if (s.stopAfter !== undefined && simulated >= s.stopAfter) throw new Stop();
    };
    try {
      if (pool) {
        let failure: unknown;
        await Promise.all(todo.map(async (j) => {
          const seed = simulationSeed(s.seed, j.round, j.point, j.replicate);
          const values = problem.space.toValues(j.u);
          const r = await pool.run({ spec: problem.simulator, values, seed });
          if (failure) return;
          try {
            finish(j, seed, values, r);
          } catch (e) {
            failure = e;
          }
        }));
        if (failure) throw failure;
      } else {
        for (const j of todo) {
          const seed = simulationSeed(s.seed, j.round, j.point, j.replicate);
          const values = problem.space.toValues(j.u);
          const t0 = performance.now();
          const output = await simulate(problem.simulator, values, seed);
          finish(j, seed, values, { output, wall_s: (performance.now() - t0) / 1000 });
        }
      }
    } finally {
      bar.stop();
      await pool?.close();
    }
  };

  try {
    if (s.shard) {
      const round = plan.rounds.length - 1;
      const mine = roundJobs(plan, round).filter((_, i) => i % s.shard!.count === s.shard!.index);
      await runJobs(mine);
      return { status: 'shard-done', round, ran: mine.length, simulatedThisCall: simulated };
    }
    const roundInfo: FitResult['roundInfo'] = [];
    for (;;) {
      const round: number = plan.rounds.length - 1;
      const jobs = roundJobs(plan, round);
      if (s.merge) {
        const missing = jobs.filter((j) => !store.has(j.id));
        if (missing.length) throw new InputError('--merge', `${missing.length} of ${jobs.length} simulations of round ${round} missing (e.g. ${missing[0]!.id})`, 'every shard of the round finished first', 'run the missing shards (fit --shard i/N with the same inputs), then --merge again');
      } else {
        await runJobs(jobs);
      }
      const records = loadAll(store, plan);
      const ts = trainingSet(problem, records, d);
      const emulator = Emulator.build(ts);
      const calibration = s.calibrate === false ? undefined : calibrateScale(ts, emulator, problem.observation);
      const likelihood = new EmulatedLikelihood(emulator, problem.observation, calibration?.scale ?? 1);
      const last = plan.rounds.length >= plan.totalRounds;
      const mcmc = runMcmc((u) => likelihood.logLik(u), d, {
        seed: s.seed,
        tag: round,
        burnIn: last ? (s.mcmc?.burnIn ?? 1500) : (s.mcmc?.roundBurnIn ?? 600),
        iterations: last ? (s.mcmc?.iterations ?? 4000) : (s.mcmc?.roundIterations ?? 1500),
        thin: 4,
      });
      roundInfo.push({ round, points: plan.rounds[round]!.points.length, simulations: records.length, emulator: emulator.info, rhat: mcmc.rhat, ...(calibration ? { calibration } : {}) });
      if (last) return { status: 'done', result: { space: problem.space, emulator, likelihood, mcmc, records, plan, roundInfo }, simulatedThisCall: simulated };
      const existing: number[][] = plan.rounds.flatMap((r) => r.points);
      const size: RoundSize = alloc.rounds[round]!;
      const points: number[][] = acquireBatch(emulator, mcmc.samples, existing, size.points, Rr).map((p) => Array.from(p));
      let pointReplicates: number[] | undefined;
      if (size.anchor > 0) {
        let best = 0;
        mcmc.logPost.forEach((v, i) => (v > mcmc.logPost[best]! ? (best = i) : 0));
        points.unshift(Array.from(mcmc.samples[best]!));
        pointReplicates = points.map((_p: number[], i: number): number => (i === 0 ? size.anchor : Rr));
      }
      plan = { ...plan, rounds: [...plan.rounds, { index: round + 1, points, replicates: Rr, ...(pointReplicates ? { pointReplicates } : {}) }] };
      store.savePlan(plan);
      if (s.merge) return { status: 'next-round', round: round + 1, simulations: roundJobs(plan, round + 1).length, simulatedThisCall: simulated };
    }
  } catch (e) {
    if (e instanceof Stop) return { status: 'stopped', simulatedThisCall: simulated };
    throw e;
  }
}

/** Every planned simulation's record, in plan order (all must be finished). */
function loadAll(store: FitStore, plan: FitPlan): SimRecord[] {
  return plan.rounds.flatMap((_, r) => roundJobs(plan, r).map((j) => store.load(j.id)));
}

/**
 * Groups records by design point into the emulator's training set. Statistics or stages that are not
 * finite in every simulation (a region absent from the lamella, say) are left out, and listed.
 */
export function trainingSet(problem: FitProblem, records: readonly SimRecord[], d: number) {
  const statNames = problem.statNames.filter((n) => records.every((r) => Number.isFinite(r.output.stats[n])));
  const stages = problem.stages.filter((st) => records.every((r) => Number.isFinite(r.output.onsets[st]?.latent_C)));
  const byPoint = new Map<string, SimRecord[]>();
  for (const r of records) {
    const k = `${r.round}:${r.point}`;
    if (!byPoint.has(k)) byPoint.set(k, []);
    byPoint.get(k)!.push(r);
  }
  const points: TrainingPoint[] = [...byPoint.values()].map((rs) => ({
    u: rs[0]!.u,
    stats: rs.map((r) => statNames.map((n) => r.output.stats[n]!)),
    onsets: rs.map((r) => stages.map((st) => r.output.onsets[st]!.latent_C)),
  }));
  const dropped = [...problem.statNames.filter((n) => !statNames.includes(n)), ...problem.stages.filter((n) => !stages.includes(n))];
  return { d, statNames, stages, points, dropped };
}
