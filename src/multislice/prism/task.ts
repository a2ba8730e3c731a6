/**
 * Piscina task of PRISM: a range of transmission slices, a range of S-matrix beams, or a chunk of probe positions. Inputs arrive as
 * SharedArrayBuffer-backed views (no copies). Kept free of top-level await: tsx-run workers need that.
 */
import { type ReconstructJob, reconstructProbes } from './reconstruct.js';
import { type SMatrixJob, computeBeams } from './smatrix.js';
import { type StackJob, buildStackSlices } from '../prepare.js';

/** One unit of PRISM work. */
export type PrismTask =
  | { readonly kind: 'slices'; readonly job: StackJob; readonly s0: number; readonly s1: number }
  | { readonly kind: 'beams'; readonly job: SMatrixJob; readonly b0: number; readonly b1: number }
  | { readonly kind: 'probes'; readonly job: ReconstructJob; readonly positions_A: Float64Array };

/** Runs one task: beams write into the shared S-matrix (returns an empty array); probes return their signals. */
export function runPrismTask(t: PrismTask): Float64Array {
  if (t.kind === 'slices') { buildStackSlices(t.job, t.s0, t.s1); return new Float64Array(0); }
  if (t.kind === 'beams') { computeBeams(t.job, t.b0, t.b1); return new Float64Array(0); }
  return reconstructProbes(t.job, t.positions_A);
}

export default runPrismTask;
