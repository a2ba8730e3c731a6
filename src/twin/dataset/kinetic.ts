/**
 * Kinetics-evolved samples: frames of forward-model trajectories (src/twin/simulate simulateScenario).
 * Placeholder until the forward model's API is merged: a kinetic share above 0 is refused.
 */
import { InputError } from '../../core/index.js';
import type { SampleParams } from './params.js';
import type { DatasetCalibrations, FrameSource } from './source.js';

/** Per-thread state of the kinetic sources. */
export interface KineticSources {
  readonly out: string;
  readonly seed: number;
  readonly count: number;
  readonly cal: DatasetCalibrations;
  readonly trajectories: Map<string, unknown>;
}

/** The frame source of a kinetic sample. */
export function kineticSource(k: KineticSources, p: SampleParams): FrameSource {
  void k;
  throw new InputError('--kinetic-share', p.kind, '0 until the forward model (simulateScenario) is available');
}
