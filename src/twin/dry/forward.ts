/**
 * One drying trajectory through THE forward model, `simulateScenario` (src/twin/simulate): the recipe's
 * lamella (scenario structure, with this draw's pore radius; built by `prepareLamella`, the one
 * scenario → lamella → KMC-lattice path), the draw's parameters on top of the recipe's kinetics section,
 * the atmosphere's oxygen environment with the offset this atmosphere gets, and the map row's programme
 * (a `TemperatureProgram`) with a frame at each hold time. One replica per draw: the spread over draws
 * carries both the parameter uncertainty and the KMC noise of one lamella.
 */
import { checksSchema, imagingSchema, protocolFromProgram, SCENARIO_SCHEMA_VERSION, type Scenario, type ScenarioEnvironment } from '../scenario/index.js';
import { prepareLamella, simulateScenario } from '../simulate/index.js';
import type { NcmLattice } from '../../kinetics/ncm/index.js';
import type { Observables } from '../timeline/index.js';
import { oxygenEnvironment, type DryAtmosphere } from './atmosphere.js';
import type { BoxGeometry } from './damage.js';
import type { DryProgramme } from './programme.js';
import type { DryRecipe } from './recipe.js';

/** What a trajectory hands to the damage read-out before the kinetics. */
export interface ForwardStart {
  readonly lattice: NcmLattice;
  readonly box: BoxGeometry;
  readonly species0: Uint8Array;
}

/** One frame. */
export interface ForwardFrame {
  readonly index: number;
  readonly time_s: number;
  readonly temperature_K: number;
  readonly species: Uint8Array;
  /** The one observable set, flat (`tmOnLi.rim`, `vO.all`, …); absent for models outside the NCM event model. */
  readonly observables?: Observables;
  /**
   * Per-site transformed flags, for a model that knows its transformed sites directly (a one-event
   * first-order model); absent: the observable set's rock-salt criterion classifies the sites.
   */
  readonly transformed?: Uint8Array;
}

/** Inputs of one trajectory. */
export interface ForwardInput {
  readonly recipe: DryRecipe;
  readonly atmosphere: DryAtmosphere;
  readonly programme: DryProgramme;
  /** The draw's parameter values by public name (parameter table). */
  readonly values: Readonly<Record<string, number>>;
  /** The column offset of this draw (for `muOOffset: fitted` atmospheres), eV. */
  readonly fittedOffset_eV: number;
  readonly poreRadius_A: number;
  readonly seed: number;
}

/** A forward model for one trajectory: `onStart` gets the lattice before the kinetics, `onFrame` each frame in order. */
export type DryForward = (i: ForwardInput, onStart: (s: ForwardStart) => void, onFrame: (f: ForwardFrame) => void) => { events: number } | Promise<{ events: number }>;

const IMAGING = imagingSchema.parse({});
const NO_CHECKS = checksSchema.parse({});

/** The scenario of one trajectory: the recipe's structure (this draw's pore radius), kinetics and regions, the row's programme, the atmosphere's gas. */
export function dryScenario(recipe: DryRecipe, programme: DryProgramme, atm: DryAtmosphere, poreRadius_A: number): Scenario {
  const st = recipe.structure;
  const structure = st.pore && Number.isFinite(poreRadius_A) ? { ...st, pore: { ...st.pore, radius_A: poreRadius_A } } : st;
  const protocol = protocolFromProgram(programme.program, programme.frames_s, { holdStart_s: programme.holdStart_s, pieces: programme.program.pieces.map((q) => q.label).join('; ') }, 'drying.programme');
  const environment: ScenarioEnvironment = atm.mode === 'reducing' ? { pO2_Pa: undefined, pH2O_Pa: atm.pH2O_Pa, pH2_Pa: atm.pH2_Pa, muOOffset_eV: undefined } : { pO2_Pa: atm.pO2_Pa, pH2O_Pa: undefined, pH2_Pa: undefined, muOOffset_eV: undefined };
  return {
    schemaVersion: SCENARIO_SCHEMA_VERSION,
    name: recipe.name,
    description: recipe.description,
    seed: recipe.seed,
    structure,
    protocol,
    environment,
    kinetics: { ...recipe.kinetics, replicates: 1 },
    imaging: IMAGING,
    regions: recipe.regions,
    checks: NO_CHECKS,
    output: { dir: 'out' },
  };
}

/** Run one trajectory on `simulateScenario` (see module doc). */
export const runForward: DryForward = async (i, onStart, onFrame) => {
  const scenario = dryScenario(i.recipe, i.programme, i.atmosphere, i.poreRadius_A);
  const prep = prepareLamella(scenario.structure, scenario.regions, i.seed);
  onStart({ lattice: prep.lattice, box: { cell_A: prep.lamella.lattice.cell_A, pbc: prep.lamella.lattice.pbc }, species0: prep.lamella.lattice.species });
  // The offset goes with the gas (fixed for an oven, the draw's for the column): never the draw's muOOffset as a parameter.
  const { muOOffset: _drawnOffset, ...params } = i.values;
  const r = await simulateScenario(scenario, { seed: i.seed, replicates: 1, workers: 1, params, environment: oxygenEnvironment(i.atmosphere, i.fittedOffset_eV), keepSpecies: true, images: 'none' });
  for (const f of r.frames) onFrame({ index: f.index, time_s: f.time_s, temperature_K: f.temperature_K, species: f.species![0]!, observables: f.observables });
  return { events: r.events.total };
};
