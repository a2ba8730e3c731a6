/**
 * ABC rejection, the baseline the emulator-based fit is measured against (Pritchard et al., Mol. Biol.
 * Evol. 16, 1791 (1999); Beaumont, Zhang & Balding, Genetics 162, 2025 (2002)): draw θ from the prior,
 * simulate, keep the `accept` draws whose statistics lie closest to the observation. Distance: Euclidean
 * over the statistics, each scaled by its median absolute deviation over the prior-predictive
 * simulations (a robust, unit-free scale), plus, per observed onset, the distance of the simulated latent
 * onset to the observed interval scaled the same way. Every simulation is independent, so the cost is
 * counted in simulations: to shrink the 90 % interval by 2 in each of d dimensions takes ~2^d as many.
 */
import { createWorkerPool, Rng, Stream } from '../../core/index.js';
import type { Observation } from './likelihood.js';
import { simulate, type SimulatorSpec } from './simulators.js';
import type { ParameterSpace } from './space.js';
import type { SimTask, SimTaskResult } from './task.js';
import type { SimOutput } from './types.js';

export interface AbcRun {
  /** Unit-cube prior draws, in draw order. */
  u: Float64Array[];
  outputs: SimOutput[];
}

/** Simulates `n` prior draws (draw i: unit point from stream (seed, FIT_ABC, 0, i), simulation seed (seed, FIT_ABC, 1, i)). */
export async function abcSimulate(space: ParameterSpace, spec: SimulatorSpec, n: number, seed: number, workers = 1, from = 0): Promise<AbcRun> {
  const d = space.dim;
  const u = Array.from({ length: n }, (_, k) => {
    const rng = Rng.stream(seed, Stream.FIT_ABC, 0, from + k);
    return Float64Array.from({ length: d }, () => rng.uniform());
  });
  const seeds = u.map((_, k) => Rng.stream(seed, Stream.FIT_ABC, 1, from + k).nextU32());
  let outputs: SimOutput[];
  if (workers > 1) {
    const pool = createWorkerPool<SimTask, SimTaskResult>(new URL('./task', import.meta.url), { workers });
    try {
      outputs = (await Promise.all(u.map((x, k) => pool.run({ spec, values: space.toValues(x), seed: seeds[k]! })))).map((r) => r.output);
    } finally {
      await pool.close();
    }
  } else {
    outputs = [];
    for (let k = 0; k < n; k++) outputs.push(await simulate(spec, space.toValues(u[k]!), seeds[k]!));
  }
  return { u, outputs };
}

/** The `accept` closest draws of a run (see module doc): their unit points and distances. */
export function abcAccept(run: AbcRun, observation: Observation, statNames: readonly string[], accept: number): { samples: Float64Array[]; distances: number[]; threshold: number } {
  const obs = observation.stats ?? {};
  const used = statNames.filter((n) => Number.isFinite(obs[n]) && run.outputs.every((o) => Number.isFinite(o.stats[n])));
  const mad = (v: number[]) => {
    const s = [...v].sort((a, b) => a - b);
    const med = s[Math.floor(s.length / 2)]!;
    const dev = s.map((x) => Math.abs(x - med)).sort((a, b) => a - b);
    return dev[Math.floor(dev.length / 2)]! * 1.4826 || 1e-12;
  };
  const scale = used.map((n) => mad(run.outputs.map((o) => o.stats[n]!)));
  const onsets = (observation.onsets ?? []).filter((ob) => run.outputs.every((o) => Number.isFinite(o.onsets[ob.stage]?.latent_C)));
  const oScale = onsets.map((ob) => mad(run.outputs.map((o) => o.onsets[ob.stage]!.latent_C)));
  const dist = run.outputs.map((o) => {
    let s = 0;
    used.forEach((n, j) => (s += ((o.stats[n]! - obs[n]!) / scale[j]!) ** 2));
    onsets.forEach((ob, j) => {
      const t = o.onsets[ob.stage]!.latent_C;
      const lo = ob.after_C ?? -Infinity;
      const hi = ob.onset_C ?? Infinity;
      const gap = t <= lo ? lo - t : t > hi ? t - hi : 0;
      s += (gap / oScale[j]!) ** 2;
    });
    return Math.sqrt(s);
  });
  const order = dist.map((_, i) => i).sort((a, b) => dist[a]! - dist[b]! || a - b).slice(0, Math.min(accept, dist.length));
  return { samples: order.map((i) => run.u[i]!), distances: order.map((i) => dist[i]!), threshold: dist[order[order.length - 1]!] ?? 0 };
}
