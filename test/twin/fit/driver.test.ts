// The fit driver's guarantees on a cheap reference problem (≈ 15 s): same seed → same posterior bytes
// for any worker count and any shard split; a stopped fit resumes without losing or redoing a finished
// simulation; a budget below the method's need is a named-field error that writes nothing.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/index.js';
import { allocateBudget, defaultBudget, ParameterSpace, runFit, samplesCsv, simulateLinearGaussian, type FitProblem, type FitSettings, type LinearGaussianSpec } from '../../../src/twin/fit/index.js';
import { tempDirs } from './tmp.js';

const tmp = tempDirs('fit-driver-');

const spec: LinearGaussianSpec = { kind: 'linear-gaussian', names: ['a'], rho: 0.3, A: [[1], [0.5], [-0.7], [0.2]], b: [0, 0, 0.5, 0], sd: [0.05, 0.05, 0.05, 0.05] };
const space = new ParameterSpace([{ name: 'a', unit: '1', default: 0.5, prior: [0, 1], scale: 'linear' }]);
const obs = simulateLinearGaussian(spec, { a: 0.41 }, 9).stats;
const problem: FitProblem = { space, simulator: spec, statNames: Object.keys(obs), stages: [], observation: { stats: obs } };
const mcmc = { burnIn: 300, iterations: 800, roundBurnIn: 200, roundIterations: 400 };
const base = (outDir: string): FitSettings => ({ outDir, seed: 4, budget: 28, quiet: true, mcmc });

async function posteriorCsv(s: FitSettings): Promise<string> {
  const r = await runFit(problem, s);
  if (r.status !== 'done') throw new Error(r.status);
  return samplesCsv(r.result);
}

describe('fit driver', () => {
  it('gives the same posterior bytes with 1 or 2 workers and with a 3-way shard split merged round by round', async () => {
    const one = await posteriorCsv(base(tmp()));
    const two = await posteriorCsv({ ...base(tmp()), workers: 2 });
    expect(two).toBe(one);
    const d = tmp();
    let rounds = 0;
    for (;;) {
      for (let i = 0; i < 3; i++) {
        const r = await runFit(problem, { ...base(d), shard: { index: i, count: 3 } });
        expect(r.status).toBe('shard-done');
      }
      const m = await runFit(problem, { ...base(d), merge: true });
      if (m.status === 'done') {
        expect(samplesCsv(m.result)).toBe(one);
        break;
      }
      expect(m.status).toBe('next-round');
      expect(++rounds).toBeLessThan(5);
    }
    expect(rounds).toBeGreaterThan(0);
  });

  it('refuses to merge a round with missing shards, naming what is missing', async () => {
    const d = tmp();
    await runFit(problem, { ...base(d), shard: { index: 0, count: 2 } });
    await expect(runFit(problem, { ...base(d), merge: true })).rejects.toThrow(/--merge: got "\d+ of \d+ simulations of round 0 missing/);
  });

  it('resumes after a stop: finished simulations are neither lost nor redone, and the result is the same', async () => {
    const ref = await posteriorCsv(base(tmp()));
    const d = tmp();
    const first = await runFit(problem, { ...base(d), stopAfter: 7 });
    expect(first.status).toBe('stopped');
    const simDir = join(d, '.fit', 'sims');
    const before = new Map(readdirSync(simDir).map((f) => [f, statSync(join(simDir, f)).mtimeMs]));
    expect(before.size).toBe(7);
    const r = await runFit(problem, base(d));
    if (r.status !== 'done') throw new Error(r.status);
    expect(r.simulatedThisCall).toBe(r.result.records.length - 7);
    for (const [f, t] of before) expect(statSync(join(simDir, f)).mtimeMs).toBe(t);
    expect(samplesCsv(r.result)).toBe(ref);
  });

  it('a budget below the method\'s need is an InputError naming --budget, and nothing is written', async () => {
    expect(() => allocateBudget(15, 1, 2)).toThrow(InputError);
    expect(() => allocateBudget(15, 1, 2)).toThrow(/--budget: got 15; allowed: an integer ≥ 16 simulations for 1 parameter \(8 design points × 2 replicates\)/);
    expect(() => allocateBudget(27, 3, 2)).toThrow(/≥ 28 simulations for 3 parameters \(14 design points/);
    const d = join(tmp(), 'out');
    await expect(runFit(problem, { ...base(d), budget: 10 })).rejects.toThrow(/--budget/);
    expect(existsSync(d)).toBe(false);
  });

  it('the default budget meets the method\'s need and leaves refinement rounds near the posterior, for 1–8 parameters', () => {
    for (let d = 1; d <= 8; d++) {
      const a = allocateBudget(defaultBudget(d), d, 2);
      expect(a.rounds.length, `d = ${d}`).toBeGreaterThanOrEqual(1);
      expect(a.rounds.every((r) => r.points >= 1), `d = ${d}`).toBe(true);
    }
  });

  it('refuses a folder holding another fit', async () => {
    const d = tmp();
    await runFit(problem, { ...base(d), stopAfter: 2 });
    await expect(runFit(problem, { ...base(d), seed: 5 })).rejects.toThrow(/--out: .*another fit was started there/);
  });
});
