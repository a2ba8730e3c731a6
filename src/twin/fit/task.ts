/** Worker task: one forward simulation (see simulators.ts). Loaded by createWorkerPool. */
import { simulate, type SimulatorSpec } from './simulators.js';
import type { SimOutput } from './types.js';

export interface SimTask {
  spec: SimulatorSpec;
  values: Record<string, number>;
  seed: number;
}

export default async function run(t: SimTask): Promise<{ output: SimOutput; wall_s: number }> {
  const t0 = performance.now();
  const output = await simulate(t.spec, t.values, t.seed);
  return { output, wall_s: (performance.now() - t0) / 1000 };
}
