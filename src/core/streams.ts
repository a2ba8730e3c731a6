/**
 * The one registry of RNG stream ids: every `Rng.stream(seed, id, …)` / `rng.child(id, …)` in the project names its
 * id here, so two stages can never draw from the same stream by accident (a test checks the ids are distinct).
 * Values are frozen: changing one changes every seeded result that uses it.
 */
export const Stream = {
  /** lattice/occupy: M-layer composition shuffle. */
  OCCUPY_M_LAYER: 1,
  /** lattice/occupy: Li-layer composition shuffle. */
  OCCUPY_LI_LAYER: 2,
  /** lattice/occupy: Ni²⁺/Ni³⁺ charge states. */
  OCCUPY_STATE: 3,
  /** twin/run: acquisition of frame i (child of the run seed). */
  RUN_ACQUISITION: 7,
  /** twin/dataset: per-sample parameter draws (then the sample index). */
  DATASET_SAMPLE: 0x44534d50,
  /** twin/dataset: partial occupancies of a sample's structure. */
  DATASET_OCCUPATION: 7717,
  /** twin/dataset: draws of synthetic specimen g (then the specimen id). */
  DATASET_SPECIMEN: 0x44535043,
  /** twin/dataset: draws of kinetic trajectory j of split s (then s, j). */
  DATASET_TRAJECTORY: 0x44545241,
  /** twin/dataset: per-sample noise (drift walk, jitter, Poisson, read noise) from the sample's noise seed. */
  DATASET_NOISE: 0x444e4f49,
  /** twin/dataset: offsets of the split and kinetic-share sequences (then 0 split, 1 kinetic). */
  DATASET_SPLIT: 0x4453504c,
  /** multislice/phonons: frozen-phonon displacements of configuration c. */
  PHONON_DISPLACEMENT: 7101,
  /** multislice/phonons: partial-occupancy draws of configuration c. */
  PHONON_OCCUPANCY: 7102,
  /** multislice/acquisition: fast frame f (Poisson, drift, jitter). */
  ACQUISITION_FRAME: 9301,
  /** kinetics: the KMC engine of an NCM run. */
  KMC_ENGINE: 0x4b4d43,
  /** kinetics/ncm/box: test boxes' species. */
  NCM_BOX: 0x4e434d,
  /** kinetics/vacancy-fcc: initial vacancy placement. */
  VACANCY_FCC_INIT: 0x7acf,
  /** kinetics/benchmark: the benchmark engine. */
  KMC_BENCHMARK: 0x424e4348,
  /** twin/fit: the space-filling design of round 0 (Latin hypercube candidates). */
  FIT_DESIGN: 0x46495401,
  /** twin/fit: forward simulation (then round, point, replicate): its seed for the forward model. */
  FIT_SIMULATION: 0x46495402,
  /** twin/fit: MCMC chain c (then round, chain). */
  FIT_MCMC: 0x46495403,
  /** twin/fit: ABC rejection baseline prior draws. */
  FIT_ABC: 0x46495404,
  /** twin/fit: posterior-predictive draws (outputs, onsets). */
  FIT_PREDICTIVE: 0x46495405,
  /** twin/dry: the prior design of the parameter draws (Latin hypercube). */
  DRY_PRIOR: 0x44525901,
  /** twin/dry: draw d (then the draw index): its KMC seed and its pore radius. */
  DRY_DRAW: 0x44525902,
  /** twin/dry: the offset of the systematic thinning of posterior samples. */
  DRY_POSTERIOR: 0x44525903,
} as const;

export type StreamName = keyof typeof Stream;
