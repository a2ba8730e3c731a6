/**
 * The seed study's observation timeline (MODEL.md §1, /work/shared/seed/insitu-heating-ncm851005.md),
 * the table the twin must reproduce with default parameters.
 */

/** One row of the seed timeline. */
export interface SeedObservation {
  /** Stage id, matched by the simulated onsets (see onsets.ts). */
  stage: string;
  /** Temperature of the observation, °C (RT = 25). */
  temperature_C: number;
  /** What was seen. */
  observation: string;
}

/** The seed timeline, in order. */
export const SEED_TIMELINE: readonly SeedObservation[] = Object.freeze([
  { stage: 'initial', temperature_C: 25, observation: 'layered nanopore inside a primary grain; an antiphase boundary (APB) at its edge' },
  { stage: 'liSiteRim', temperature_C: 175, observation: 'onset: brighter rim, darker pore centre; intensity at Li sites at the pore boundary (TM migration, layered → rock-salt-like)' },
  { stage: 'poreGrowth', temperature_C: 200, observation: 'other nanopores grow' },
  { stage: 'facets', temperature_C: 225, observation: 'sharp facets: {003} densified and rough, sharp (114)/(118)-type non-(003) facets; Li-site intensity reaches the APB only now' },
  { stage: 'rockSaltRim', temperature_C: 250, observation: 'boundary diffuse, high mass-thickness contrast, rock salt at the pore boundary, epitaxial on the layered phase' },
  { stage: 'apbStable', temperature_C: 275, observation: 'APB region still stable (then imaging fails: drift)' },
  { stage: 'tmDepleted', temperature_C: 300, observation: 'TM-depleted regions' },
  { stage: 'tmEnriched', temperature_C: 325, observation: 'TM-enriched, nanoparticle-like (amorphous) growth at the pore boundary' },
  { stage: 'rockSaltGrain', temperature_C: 400, observation: 'polycrystalline rock salt through the primary grain' },
  { stage: 'ni0Li2O', temperature_C: 500, observation: 'Ni metal nanoparticles (fcc) next to Li2O decorated by NiO-like clusters' },
]);

/** Temperatures (°C) at which the seed reports an observation, for plot markers. */
export const SEED_MARKERS_C: readonly number[] = Object.freeze(SEED_TIMELINE.map((r) => r.temperature_C));

/** Seed temperature (°C) per simulated stage id, and the acceptance window the issue states. */
export const SEED_STAGE_TARGETS: Readonly<Record<string, { seed_C: number; min_C?: number; max_C?: number; text: string }>> = Object.freeze({
  liSiteRim: { seed_C: 175, min_C: 160, max_C: 190, text: 'Li-site intensity at the pore rim rises at 175 ± 15 °C' },
  poreGrowth: { seed_C: 200, text: 'other nanopores grow at ~200 °C' },
  facets: { seed_C: 225, max_C: 240, text: 'facet anisotropy by 225 ± 15 °C' },
  liSiteApb: { seed_C: 225, text: 'Li-site intensity reaches the APB at ~225 °C, later than the rest of the rim' },
  rockSaltRim: { seed_C: 250, text: 'rock salt at the pore boundary at ~250 °C' },
  tmDepleted: { seed_C: 300, text: 'TM-depleted regions at ~300 °C' },
  rockSaltGrain: { seed_C: 400, text: 'polycrystalline rock salt through the grain at ~400 °C' },
  ni0Li2O: { seed_C: 500, min_C: 450, text: 'Ni⁰ + Li2O only at ≥ 450 °C' },
});
