/**
 * The forward simulators a fit can call, one discriminated union of plain-data specs (so a spec
 * travels to worker threads and into the fit's key): the reference problems of analytic.ts and the
 * scenario forward model (forward.ts). `simulate` is the only entry point; the worker task module
 * (task.ts) calls it too, so in-process and worker results are the same bytes.
 */
import { simulateFirstOrder, simulateLinearGaussian, type FirstOrderSpec, type LinearGaussianSpec } from './analytic.js';
import { simulateForFit, type ScenarioSpec } from './forward.js';
import type { SimOutput } from './types.js';

export type SimulatorSpec = LinearGaussianSpec | FirstOrderSpec | ScenarioSpec;

/** Runs one forward simulation of `spec` at parameter values (by name) with its own seed. */
export async function simulate(spec: SimulatorSpec, values: Readonly<Record<string, number>>, seed: number): Promise<SimOutput> {
  switch (spec.kind) {
    case 'linear-gaussian':
      return simulateLinearGaussian(spec, values, seed);
    case 'first-order':
      return simulateFirstOrder(spec, values, seed);
    case 'scenario': {
      const { stats, onsets } = await simulateForFit(spec, values, seed);
      return { stats, onsets };
    }
  }
}
