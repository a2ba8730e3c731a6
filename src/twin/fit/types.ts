/**
 * What one forward simulation hands to the fit: summary statistics by name (per-frame values such as
 * `liMRatio.rim@175C`) and the onset of each stage read off the same frames, with a continuous
 * latent onset for the emulator (see onset.ts).
 */

/** One stage's onset in one simulation. */
export interface SimOnset {
  /** Temperature of the first frame meeting the stage's rule, °C (null: not reached). */
  onset_C: number | null;
  /** Temperature of the frame before it, °C (the onset lies in (after_C, onset_C]). */
  after_C: number | null;
  /**
   * Continuous onset, °C: the rule's rise interpolated linearly to its threshold between the two
   * frames (so latent ∈ (after_C, onset_C] exactly when the rule fires at onset_C); when never
   * reached, the last frame's temperature plus one step (a censored stand-in, flagged).
   */
  latent_C: number;
  /** True when the stage was not reached in the simulated frames. */
  censored: boolean;
}

/** The output of one forward simulation. */
export interface SimOutput {
  stats: Record<string, number>;
  onsets: Record<string, SimOnset>;
}
