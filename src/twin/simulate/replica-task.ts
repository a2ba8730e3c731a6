/** Piscina task: one chunk of one KMC replica (replica.ts), on a worker thread of `createWorkerPool`. */
import { runReplicaChunk, type ReplicaChunk, type ReplicaTask } from './replica.js';

export default function replicaTask(task: ReplicaTask): ReplicaChunk {
  return runReplicaChunk(task);
}
