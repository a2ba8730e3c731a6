/** Adapter from src/kinetics (NCM model) to the run's KmcStage; undefined until the kinetics exports a runnable model. */
import type { KmcStage } from './kmc.js';

export function ncmKmc(): KmcStage | undefined {
  return undefined;
}
