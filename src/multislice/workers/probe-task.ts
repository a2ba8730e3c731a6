/**
 * Piscina task: runs a chunk of probe positions through a shared transmission stack on the CPU backend.
 * Inputs arrive as SharedArrayBuffer-backed views (no copies); the result is a transferable Float64Array.
 */
import { createCpuBackend } from '../backend/cpu/index.js';
import type { MultisliceBackend } from '../backend/types.js';
import { type MultisliceSetup, type TransmissionStack, runProbePosition } from '../engine.js';

/** One chunk: positions interleaved x, y in Å. */
export interface ProbeTask {
  setup: MultisliceSetup;
  stack: TransmissionStack;
  positions_A: Float64Array;
}

let backend: MultisliceBackend | undefined;

/** Runs every position of the chunk; returns signals laid out [position][record][detector]. */
export function runProbeChunk(task: ProbeTask, be?: MultisliceBackend): Float64Array {
  const b = be ?? (backend ??= createCpuBackend());
  const per = task.setup.recordAfter.length * task.setup.masks.length;
  const np = task.positions_A.length / 2;
  const out = new Float64Array(np * per);
  for (let p = 0; p < np; p++) out.set(runProbePosition(task.setup, task.stack, b, task.positions_A[2 * p]!, task.positions_A[2 * p + 1]!), p * per);
  return out;
}

export default function probeTask(task: ProbeTask): Float64Array {
  return runProbeChunk(task);
}
