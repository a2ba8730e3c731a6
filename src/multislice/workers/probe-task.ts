/**
 * Piscina task: runs a chunk of probe positions through a shared transmission stack on the CPU backend, or builds a
 * range of slices of a configuration's stack (both write or read SharedArrayBuffers).
 * Inputs arrive as SharedArrayBuffer-backed views (no copies); the result is a transferable Float64Array.
 */
import { createCpuBackend } from '../backend/cpu/index.js';
import type { MultisliceBackend } from '../backend/types.js';
import { type MultisliceSetup, type TransmissionStack, runProbeOnBackend, runProbePosition } from '../engine.js';
import { heapStack, residentSupports, runProbeResident } from '../resident.js';
import { type StackJob, buildStackSlices } from '../prepare.js';

/** One chunk: positions interleaved x, y in Å. */
export interface ProbeTask {
  setup: MultisliceSetup;
  stack: TransmissionStack;
  positions_A: Float64Array;
  /** 'planar' forces the per-probe backend path (benchmark baseline); default: the resident loop where the grid allows. */
  engine?: 'auto' | 'planar';
}

let backend: MultisliceBackend | undefined;

/**
 * Fewest probes in a chunk for which the transmission stack is copied into the heap once (`heapStack`). Measured idle
 * at 720² with 10 slices (bench/RESULTS.md, multislice, 2026-12-07): with the copy, 1 thread ran 4 % faster per
 * probe per slice over 192 probes; 2 workers ran 7 % slower with chunks of 3 probes (the copy, ~1/3 of a probe's
 * work, was not amortised) and the same with chunks of 16.
 */
export const HEAP_STACK_MIN_PROBES = 16;

/** Runs every position of the chunk; returns signals laid out [position][record][detector]. */
export function runProbeChunk(task: ProbeTask, be?: MultisliceBackend): Float64Array {
  const b = be ?? (backend ??= createCpuBackend());
  const per = task.setup.recordAfter.length * task.setup.masks.length;
  const np = task.positions_A.length / 2;
  const out = new Float64Array(np * per);
  const resident = b.name === 'cpu' && task.engine !== 'planar' && residentSupports(task.setup.grid.nx, task.setup.grid.ny);
  // the chunk's probes read one heap copy of the stack (freed with the chunk: the stack may change after it); the copy
  // pays only over many probes (HEAP_STACK_MIN_PROBES)
  const heap = resident && np >= HEAP_STACK_MIN_PROBES ? heapStack(task.setup.grid, task.stack) : undefined;
  try {
    for (let p = 0; p < np; p++) {
      const x = task.positions_A[2 * p]!, y = task.positions_A[2 * p + 1]!;
      const r = resident ? runProbeResident(task.setup, task.stack, x, y, heap)
        : task.engine === 'planar' ? runProbePosition(task.setup, task.stack, b, x, y) : runProbeOnBackend(task.setup, task.stack, b, x, y);
      out.set(r, p * per);
    }
  } finally {
    heap?.free();
  }
  return out;
}

/** Slices [s0, s1) of a configuration's transmission stack, written into its shared arrays. */
export interface SlicesTask { kind: 'slices'; job: StackJob; s0: number; s1: number }

export default function probeTask(task: ProbeTask | SlicesTask): Float64Array {
  if ('kind' in task) { buildStackSlices(task.job, task.s0, task.s1); return new Float64Array(0); }
  return runProbeChunk(task);
}
