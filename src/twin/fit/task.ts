/** Worker task: one forward simulation (see simulators.ts), optionally with its acquired frames. Loaded by createWorkerPool. */
import { simulateForFit } from './forward.js';
import { simulate, type SimulatorSpec } from './simulators.js';
import type { SimOutput } from './types.js';

export interface SimTask {
  spec: SimulatorSpec;
  values: Record<string, number>;
  seed: number;
  /** Return the acquired frames too (scenario simulator only: posterior-predictive frames). */
  keepFrames?: boolean;
}

export interface SimTaskResult {
  output: SimOutput;
  wall_s: number;
  frames?: Float32Array[];
  width?: number;
  height?: number;
}

export default async function run(t: SimTask): Promise<SimTaskResult> {
  const t0 = performance.now();
  if (t.keepFrames && t.spec.kind === 'scenario') {
    const r = await simulateForFit(t.spec, t.values, t.seed, { keepFrames: true });
    return { output: { stats: r.stats, onsets: r.onsets }, wall_s: (performance.now() - t0) / 1000, frames: r.frames ?? [], width: r.width ?? 0, height: r.height ?? 0 };
  }
  const output = await simulate(t.spec, t.values, t.seed);
  return { output, wall_s: (performance.now() - t0) / 1000 };
}
