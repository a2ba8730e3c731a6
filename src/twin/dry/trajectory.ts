/**
 * One trajectory per (atmosphere, main-hold temperature, draw): the programme of that temperature, one
 * forward run, the damage at every hold time of the grid (and at t = 0 and after the cool). Its result
 * is plain JSON, stored atomically under `trajectories/` and keyed by a hash of everything it depends
 * on, so a resumed or sharded run reuses it and a changed input recomputes it.
 */
import { inputsHash } from '../../core/index.js';
import { atmosphereDeltaMuO_eV, niNiOCrossed, type DryAtmosphere } from './atmosphere.js';
import { applicableQuantities, damageGeometry, damageOfFrame, depthCapacity_A, type DamageGeometry, type DamageQuantityName, type DamageValues } from './damage.js';
import type { Draw } from './draws.js';
import { runForward, type DryForward, type ForwardStart } from './forward.js';
import { dryProgramme } from './programme.js';
import type { DryRecipe } from './recipe.js';

/** Format version of trajectory files and of the damage read-out (part of every input hash). */
export const TRAJECTORY_SCHEMA_VERSION = 2;

/** One unit of work. */
export interface TrajectoryTask {
  readonly atmosphere: number;
  readonly temperature: number;
  readonly draw: number;
}

/** A finished trajectory (JSON; NaN stored as null). */
export interface TrajectoryResult {
  readonly schemaVersion: number;
  readonly inputsHash: string;
  readonly atmosphere: string;
  readonly temperature_K: number;
  readonly draw: number;
  readonly seed: number;
  readonly values: Readonly<Record<string, number>>;
  readonly poreRadius_A: number | null;
  /** μ_O offset used, eV. */
  readonly offset_eV: number;
  /** Δμ_O,eff at the hold temperature, eV. */
  readonly deltaMuO_eV: number;
  /** Δμ_O,eff below the Ni/NiO line at the hold temperature. */
  readonly niNiOCrossed: boolean;
  /** Hold times, s. */
  readonly times_s: readonly number[];
  /** Damage per quantity at each hold time (null: does not apply). */
  readonly damage: Readonly<Partial<Record<DamageQuantityName, (number | null)[]>>>;
  /** Damage of the as-built lamella (t = 0) and after the cool (null when the programme ends at the hold). */
  readonly initial: Readonly<Partial<Record<DamageQuantityName, number | null>>>;
  readonly cooled: Readonly<Partial<Record<DamageQuantityName, number | null>>> | null;
  /** Largest reading of each depth quantity this lamella allows, Å (`depthCapacity_A`). */
  readonly capacity_A: Readonly<Partial<Record<DamageQuantityName, number | null>>>;
  readonly events: number;
}

/** The column offset a draw gives `muOOffset: fitted` atmospheres (its value, or the default). */
export function fittedOffset_eV(draw: Draw, defaultOffset_eV: number): number {
  return draw.values.muOOffset ?? defaultOffset_eV;
}

/** Everything a trajectory depends on (hashed). */
function inputsOf(recipe: DryRecipe, atm: DryAtmosphere, hold_K: number, draw: Draw, offset_eV: number, codeVersion: string) {
  return {
    schemaVersion: TRAJECTORY_SCHEMA_VERSION,
    codeVersion,
    structure: recipe.structure,
    kinetics: recipe.kinetics,
    regions: recipe.regions,
    programme: recipe.programme,
    hold_K,
    times_s: recipe.times_s,
    atmosphere: atm,
    offset_eV,
    values: draw.values,
    poreRadius_A: draw.poreRadius_A,
    seed: draw.seed,
    nearSurface_A: recipe.nearSurface_A,
  };
}

/** Hash (core `inputsHash`) of a trajectory's inputs. */
export function trajectoryHash(recipe: DryRecipe, task: TrajectoryTask, draw: Draw, defaultOffset_eV: number, codeVersion: string): string {
  const atm = recipe.atmospheres[task.atmosphere]!;
  const offset = atm.offset.kind === 'fitted' ? fittedOffset_eV(draw, defaultOffset_eV) : atm.offset.offset_eV;
  return inputsHash(inputsOf(recipe, atm, recipe.temperatures_K[task.temperature]!, draw, offset, codeVersion));
}

/** Relative path of a task's file under the output folder. */
export function trajectoryPath(recipe: DryRecipe, task: TrajectoryTask): string {
  const atm = recipe.atmospheres[task.atmosphere]!.name;
  const T = recipe.temperatures_K[task.temperature]!.toFixed(2);
  return `trajectories/${atm}/${T}K/draw-${String(task.draw).padStart(4, '0')}.json`;
}

const nullable = (v: number) => (Number.isFinite(v) ? +v.toPrecision(10) : null);

/** Run one trajectory (pure: no file I/O); `forward` defaults to the forward model (simulateScenario). */
export async function runTrajectory(recipe: DryRecipe, task: TrajectoryTask, draw: Draw, defaultOffset_eV: number, codeVersion: string, forward: DryForward = runForward): Promise<TrajectoryResult> {
  const atm = recipe.atmospheres[task.atmosphere]!;
  const hold_K = recipe.temperatures_K[task.temperature]!;
  const offset = fittedOffset_eV(draw, defaultOffset_eV);
  const programme = dryProgramme(recipe.programme, hold_K, recipe.times_s);
  let geom: DamageGeometry | undefined;
  let start: ForwardStart | undefined;
  const perFrame: DamageValues[] = [];
  const { events } = await forward(
    { recipe, atmosphere: atm, programme, values: draw.values, fittedOffset_eV: offset, poreRadius_A: draw.poreRadius_A, seed: draw.seed },
    (s) => {
      start = s;
      geom = damageGeometry(s.lattice, s.species0, s.box, recipe.nearSurface_A);
    },
    (f) => {
      const tr = f.transformed;
      perFrame[f.index] = damageOfFrame(geom!, start!.lattice, f.species, f.observables, tr ? (s) => tr[s] === 1 : undefined);
    },
  );
  const names = applicableQuantities(geom!).map((q) => q.name);
  const pick = (v: DamageValues) => Object.fromEntries(names.map((n) => [n, nullable(v[n])]));
  const damage = Object.fromEntries(names.map((n) => [n, programme.holdFrames.map((k) => nullable(perFrame[k]![n]))]));
  const initial = programme.frames_s[0] === 0 && programme.holdFrames[0] !== 0 ? pick(perFrame[0]!) : pick(perFrame[programme.holdFrames[0]!]!);
  const usedOffset = atm.offset.kind === 'fitted' ? offset : atm.offset.offset_eV;
  return {
    schemaVersion: TRAJECTORY_SCHEMA_VERSION,
    inputsHash: trajectoryHash(recipe, task, draw, defaultOffset_eV, codeVersion),
    atmosphere: atm.name,
    temperature_K: hold_K,
    draw: draw.index,
    seed: draw.seed,
    values: draw.values,
    poreRadius_A: Number.isFinite(draw.poreRadius_A) ? draw.poreRadius_A : null,
    offset_eV: usedOffset,
    deltaMuO_eV: +atmosphereDeltaMuO_eV(atm, hold_K, offset).toFixed(6),
    niNiOCrossed: niNiOCrossed(atm, hold_K, offset),
    times_s: recipe.times_s,
    damage,
    initial,
    cooled: programme.cooledFrame >= 0 ? pick(perFrame[programme.cooledFrame]!) : null,
    capacity_A: Object.fromEntries(Object.entries(depthCapacity_A(geom!)).filter(([k]) => names.includes(k as DamageQuantityName)).map(([k, v]) => [k, nullable(v)])),
    events,
  };
}
