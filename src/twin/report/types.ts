/** What report.html is built from (everything already computed by the run). */
import type { FidelityRow, Onset, Observables } from '../timeline/index.js';

/** A frame preview for the strip. */
export interface ReportFrame {
  temperature_K: number;
  time_s: number;
  /** PNG bytes (any bit depth) embedded as a data URI. */
  png: Uint8Array;
  /** Width of the field the PNG shows, Å (for its scale bar). */
  fieldWidth_A: number;
}

/** An inset profile across the layers. */
export interface ReportProfile {
  /** Region name (rim, apb, bulk). */
  region: string;
  temperature_K: number;
  y_A: ArrayLike<number>;
  intensity: ArrayLike<number>;
  mPhase_A: number;
  period_A: number;
  liSite: number;
  mSite: number;
}

/** A pass/fail check of a simulated onset against the seed. */
export interface SeedCheck {
  stage: string;
  text: string;
  pass: boolean | null;
  note: string;
}

/** Report input. */
export interface ReportData {
  title: string;
  description: string;
  /** Key parameters shown in the header table (already formatted with units). */
  parameters: [string, string][];
  temperatures_K: number[];
  observables: Observables[];
  frames: ReportFrame[];
  profiles: ReportProfile[];
  onsets: Onset[];
  /** The seed timeline against the rule table's onsets (src/twin/timeline/fidelity.ts). */
  fidelity: FidelityRow[];
  checks: SeedCheck[];
  /** Free notes (model limits, missing stages). */
  notes: string[];
  /** Wall time per stage, s. */
  timings_s: Record<string, number>;
  /** Versions and provenance. */
  provenance: Record<string, string | number>;
}
