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
  /** twin/dry: the prior design of the parameter draws (Latin hypercube). */
  DRY_PRIOR: 0x44525901,
  /** twin/dry: draw d (then the draw index): its KMC seed and its pore radius. */
  DRY_DRAW: 0x44525902,
  /** twin/dry: the offset of the systematic thinning of posterior samples. */
  DRY_POSTERIOR: 0x44525903,
} as const;

export type StreamName = keyof typeof Stream;
