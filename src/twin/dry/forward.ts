/**
 * One drying trajectory through the forward model: the recipe's lamella (scenario structure, with this
 * draw's pore radius), the draw's parameters on top of the recipe's kinetics overrides, the
 * atmosphere's oxygen environment, and the map row's programme; a frame at each hold time.
 *
 * INTERIM: runs `runKmc` on the `run` pipeline's lamella adapter until `simulateScenario` (issue 9)
 * lands; reducing atmospheres need that API's oxygen environment.
 */
import { InputError } from '../../core/index.js';
import { parseNcmOverrides, runKmc, type NcmLattice, type NcmObservables } from '../../kinetics/ncm/index.js';
import { lamellaToNcmLattice } from '../run/ncmKmc.js';
import { buildScenarioLamella } from '../run/structure.js';
import type { Scenario } from '../scenario/index.js';
import { oxygenEnvironment, type DryAtmosphere } from './atmosphere.js';
import type { BoxGeometry } from './damage.js';
import type { DryProgramme } from './programme.js';
import type { DryRecipe } from './recipe.js';

/** What a trajectory hands to the damage read-out. */
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
  /** Observables of the one observable set (absent for models outside the NCM event model). */
  readonly observables?: NcmObservables;
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
  /** The draw's parameter values by public name. */
  readonly values: Readonly<Record<string, number>>;
  /** The column offset of this draw (for `muOOffset: fitted` atmospheres), eV. */
  readonly fittedOffset_eV: number;
  readonly poreRadius_A: number;
  readonly seed: number;
}

/** The scenario of a trajectory (the recipe's structure with the draw's pore radius). */
function structureOf(recipe: DryRecipe, poreRadius_A: number): Scenario['structure'] {
  const st = recipe.structure;
  return st.pore && Number.isFinite(poreRadius_A) ? { ...st, pore: { ...st.pore, radius_A: poreRadius_A } } : st;
}

/** A forward model for one trajectory: `onStart` gets the lattice before the kinetics, `onFrame` each frame in order. */
export type DryForward = (i: ForwardInput, onStart: (s: ForwardStart) => void, onFrame: (f: ForwardFrame) => void) => { events: number };

/** Run one trajectory on the NCM forward model (see DryForward). Returns the event count. */
export function runForward(i: ForwardInput, onStart: (s: ForwardStart) => void, onFrame: (f: ForwardFrame) => void): { events: number } {
  const structure = structureOf(i.recipe, i.poreRadius_A);
  const lamella = buildScenarioLamella({ structure } as Scenario, i.seed % 2 ** 32);
  const lattice = lamellaToNcmLattice(lamella);
  const env = oxygenEnvironment(i.atmosphere, i.fittedOffset_eV);
  if (env.pO2_Pa === undefined) throw new InputError(`atmospheres.${i.atmosphere.name}`, 'pH2O/pH2', 'an O2 atmosphere (reducing gases need simulateScenario, issue 9)');
  const k = i.recipe.kinetics;
  const overrides: Record<string, number> = { ...k.barriers_eV, nu: k.attemptFrequency_Hz };
  for (const [name, v] of Object.entries(i.values)) overrides[name === 'muOOffset' ? 'muO_offset' : name] = v;
  overrides.muO_offset = env.offset_eV ?? 0;
  const params = parseNcmOverrides(overrides, undefined, 'kinetics');
  const species0 = Uint8Array.from(lamella.lattice.species);
  onStart({ lattice, box: { cell_A: lamella.lattice.cell_A, pbc: lamella.lattice.pbc }, species0 });
  const tr = runKmc({
    lattice,
    species: lamella.lattice.species,
    params,
    program: i.programme.program,
    pO2_Pa: env.pO2_Pa,
    seed: i.seed,
    frames_s: i.programme.frames_s,
    keepFrames: false,
    onFrame: (f) => onFrame({ index: f.index, time_s: f.time_s, temperature_K: f.temperature_K, species: f.species, observables: f.observables }),
  });
  return { events: tr.events };
}
