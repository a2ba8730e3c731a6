/**
 * The seed study's observation timeline (MODEL.md §1, /work/shared/seed/insitu-heating-ncm851005.md),
 * shown in the report beside the simulated onsets. The acceptance windows a run is checked against are
 * data of the scenario (`checks.targets` in scenarios/seed-insitu-heating.yaml).
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

/** The seed's temperature step, °C (MODEL.md §1: data after every 15 °C increase): the resolution of its onsets. */
export const SEED_STEP_C = 15;

/** Temperatures (°C) at which the seed reports an observation, for plot markers. */
export const SEED_MARKERS_C: readonly number[] = Object.freeze(SEED_TIMELINE.map((r) => r.temperature_C));
