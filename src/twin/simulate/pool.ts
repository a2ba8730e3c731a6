/** Pooling replicas frame by frame: mean and sample standard deviation of every observable. */
import type { Observables } from '../timeline/index.js';

/** Mean and sample SD (n − 1; 0 for one replica) over replicas, per observable; NaN where any replica has NaN. */
export function poolObservables(perReplica: readonly Observables[]): { mean: Observables; sd: Observables } {
  const mean: Observables = {};
  const sd: Observables = {};
  const n = perReplica.length;
  const keys = new Set<string>();
  for (const o of perReplica) for (const k of Object.keys(o)) keys.add(k);
  for (const k of [...keys].sort()) {
    let m = 0;
    for (const o of perReplica) m += o[k] ?? NaN;
    m /= n;
    let v = 0;
    for (const o of perReplica) v += ((o[k] ?? NaN) - m) ** 2;
    mean[k] = m;
    sd[k] = n > 1 ? Math.sqrt(v / (n - 1)) : 0;
  }
  return { mean, sd };
}
