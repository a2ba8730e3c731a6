/**
 * A drying recipe: a scenario file (name, seed, structure, kinetics) with a `drying:` section, in unit
 * strings converted once here. The `drying:` section states
 * - the temperature programme: start, heating rate, optional holds before the main one, cooling rate;
 * - the grid for maps: main-hold temperatures and hold times (each strictly increasing);
 * - the atmospheres (atmosphere.ts), each with its μ_O offset;
 * - material variations on the scenario's lamella: a pore-size distribution;
 * - the damage read-out: near-surface depth and the threshold of the safe window;
 * - the uncertainty: number of draws and the parameters drawn.
 *
 * Temperatures must lie in the model's validated range, 0–500 °C (`DRY_VALIDATED_RANGE_K`).
 *
 * @example
 *   const r = loadDryRecipe('dry-ncm851005');
 *   r.temperatures_K;   // [393.15, 453.15, 513.15, 573.15]
 *   r.atmospheres[1];   // { name: 'vacuum-oven-100Pa-air', mode: 'oxygen', pO2_Pa: 20.95, … }
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError, ZERO_CELSIUS_K } from '../../core/index.js';
import { issueToInputError, kineticsSchema, quantity, readYamlMapping, regionsSchema, resolveScenarioPath, structureSchema, temperatureDifference, type ScenarioKinetics, type ScenarioRegions, type ScenarioStructure } from '../scenario/index.js';
import { resolveAtmosphere, type AtmosphereFields, type DryAtmosphere } from './atmosphere.js';
import { applicableQuantities, DAMAGE_QUANTITIES, type DamageQuantityName } from './damage.js';

/**
 * The temperatures the model is validated over, K: the seed heating series (MODEL.md §1, RT to 500 °C)
 * against which the default parameters were set. Above it the model predicts phases it has not been
 * checked against (polycrystalline rock salt through the grain, Ni + Li2O); below 0 °C nothing moves.
 */
export const DRY_VALIDATED_RANGE_K: readonly [number, number] = [ZERO_CELSIUS_K, ZERO_CELSIUS_K + 500];
/** Default built-in recipe (scenarios/dry-ncm851005.yaml). */
export const DEFAULT_DRY_RECIPE = 'dry-ncm851005';
/** Most hold temperatures × times × atmospheres a recipe may ask for (a map cell count). */
export const MAX_MAP_CELLS = 20_000;

const validatedAllowed = `a temperature in the model's validated range ${DRY_VALIDATED_RANGE_K[0] - ZERO_CELSIUS_K}–${DRY_VALIDATED_RANGE_K[1] - ZERO_CELSIUS_K} °C (the seed series, RT–500 °C, the defaults were set against)`;

/** A temperature checked against the validated range (its own message: "above the model's validated range"). */
const dryTemperature = () =>
  quantity('temperature', { min: 0, max: 5000 }).transform((v, ctx) => {
    if (v > DRY_VALIDATED_RANGE_K[1] + 1e-9) {
      ctx.addIssue({ code: 'custom', message: 'range', input: `${+(v - ZERO_CELSIUS_K).toFixed(2)} degC`, params: { allowed: validatedAllowed, hint: 'above the model\'s validated range' } });
      return z.NEVER;
    }
    if (v < DRY_VALIDATED_RANGE_K[0] - 1e-9) {
      ctx.addIssue({ code: 'custom', message: 'range', input: `${+(v - ZERO_CELSIUS_K).toFixed(2)} degC`, params: { allowed: validatedAllowed, hint: 'below the model\'s validated range' } });
      return z.NEVER;
    }
    return v;
  });

/** A gas fraction: a number 0…1, "x %" or "x ppm". */
const gasFraction = z.union([z.string(), z.number()]).transform((s, ctx): number => {
  const allowed = 'a fraction 0…1 (number), "x %" or "x ppm"';
  let v = NaN;
  if (typeof s === 'number') v = s;
  else {
    const m = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(%|ppm)\s*$/.exec(s);
    if (m) v = Number(m[1]) / (m[2] === '%' ? 100 : 1e6);
  }
  if (!(v >= 0 && v <= 1)) {
    ctx.addIssue({ code: 'custom', message: allowed, input: s, params: { allowed } });
    return z.NEVER;
  }
  return v;
});

/** Pressures: 0 passes here so that resolveAtmosphere says what a 0 means. */
const pressure = () => quantity('pressure', { min: 0, max: 1e7 });

const atmosphereSchema = z
  .strictObject({
    /** Name: the `atmosphere` column of map.csv. */
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,60}$/, 'letters, digits, ".", "_", "-"'),
    /** Label only, except `air` (sets oxygenFraction 20.95 %). */
    gas: z.enum(['air', 'Ar', 'N2', 'vacuum', 'H2/Ar', 'H2/N2', 'column']).optional(),
    pO2: pressure().optional(),
    pressure: pressure().optional(),
    oxygenFraction: gasFraction.optional(),
    pH2: pressure().optional(),
    pH2O: pressure().optional(),
    hydrogenFraction: gasFraction.optional(),
    /** Dew (frost) point of the gas, sets pH2O (Murphy & Koop 2005). */
    dewPoint: quantity('temperature', { min: 110, max: 332 }).optional(),
    /** μ_O offset, eV, or "fitted" (the column's offset of each draw). Default 0 eV (an oven: no beam). */
    muOOffset: z.union([z.literal('fitted'), quantity('energy', { min: -3, max: 1 })]).optional(),
  })
  .transform((a): AtmosphereFields => ({
    name: a.name, gas: a.gas, pO2_Pa: a.pO2, pressure_Pa: a.pressure, oxygenFraction: a.oxygenFraction, pH2_Pa: a.pH2, pH2O_Pa: a.pH2O,
    hydrogenFraction: a.hydrogenFraction, dewPoint_K: a.dewPoint, muOOffset: a.muOOffset,
  }));

const temperatureGrid = z.union([
  z.array(dryTemperature()).min(1).max(200),
  z.strictObject({ from: dryTemperature(), to: dryTemperature(), step: temperatureDifference({ min: 0.1, max: 500 }) }),
]);

const lengthDistribution = z.union([
  quantity('length', { min: 5, max: 200 }),
  z.strictObject({
    /** Discrete radii with weights (default equal). */
    values: z.array(quantity('length', { min: 5, max: 200 })).min(1).max(100),
    weights: z.array(z.number().positive()).optional(),
  }),
  z.strictObject({
    /** Log-normal radius: median and geometric standard deviation, truncated to [min, max]. */
    lognormal: z.strictObject({ median: quantity('length', { min: 5, max: 200 }), gsd: z.number().min(1).max(5) }),
    min: quantity('length', { min: 5, max: 200 }),
    max: quantity('length', { min: 5, max: 200 }),
  }),
]);

const dryingSchema = z.strictObject({
  programme: z
    .strictObject({
      start: dryTemperature().prefault('25 degC'),
      heatingRate: quantity('heatingRate', { min: 1e-4, max: 100 }).prefault('5 degC/min'),
      /** Holds before the main (mapped) one, in order. */
      preHolds: z.array(z.strictObject({ temperature: dryTemperature(), duration: quantity('time', { min: 1, max: 86400 * 30 }) })).max(20).default([]),
      coolingRate: quantity('heatingRate', { min: 1e-4, max: 100 }).prefault('5 degC/min'),
      /** Where the cool-down ends (default: start). */
      end: dryTemperature().optional(),
    })
    .prefault({}),
  /** Main-hold temperatures (strictly increasing), or { from, to, step }. */
  temperatures: temperatureGrid,
  /** Hold times read out (strictly increasing; 0 = the end of the heating ramp). */
  times: z.array(quantity('time', { min: 0, max: 86400 * 30 })).min(1).max(200),
  atmospheres: z.array(atmosphereSchema).min(1).max(20),
  material: z
    .strictObject({
      /** Pore radius distribution, drawn once per draw (replaces structure.pore.radius). */
      poreRadius: lengthDistribution.optional(),
    })
    .default({}),
  damage: z
    .strictObject({
      /** Depth below the initial surfaces that counts as "near-surface" for the transformed fraction. */
      nearSurface: quantity('length', { min: 2, max: 200 }).prefault('1 nm'),
      /** Threshold of the safe window: a length (on rimRockSaltDepth_A) or { quantity, value }. */
      threshold: z
        .union([
          quantity('length', { min: 0, exclusiveMin: true, max: 1000 }).transform((v) => ({ quantity: 'rimRockSaltDepth_A' as DamageQuantityName, value: v })),
          z.strictObject({ quantity: z.enum(DAMAGE_QUANTITIES.map((q) => q.name) as [DamageQuantityName, ...DamageQuantityName[]]), value: z.union([z.number().positive(), z.string()]) }),
        ])
        .prefault('5 Å'),
    })
    .prefault({}),
  uncertainty: z
    .strictObject({
      /** Draws of the parameters (posterior samples or the prior). */
      draws: z.number().int().min(1).max(4096).default(32),
      /** Parameters drawn from the prior when there is no posterior: "all" rows with a prior, or a list of names. */
      parameters: z.union([z.literal('all'), z.array(z.string().min(1)).min(1).max(64)]).default('all'),
    })
    .prefault({}),
});

const recipeFileSchema = z.looseObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$/, 'letters, digits, ".", "_", "-"'),
  description: z.string().max(2000).default(''),
  seed: z.number().int().min(0).max(2 ** 32 - 1),
  structure: structureSchema,
  kinetics: kineticsSchema.prefault({}),
  /** Widths of the observable regions (pore rim: rimTmOnLi_pct). */
  regions: regionsSchema.prefault({}),
  drying: dryingSchema,
});

/** Pore-radius distribution, Å. */
export type RadiusDistribution =
  | { readonly kind: 'fixed'; readonly radius_A: number }
  | { readonly kind: 'discrete'; readonly values_A: readonly number[]; readonly weights: readonly number[] }
  | { readonly kind: 'lognormal'; readonly median_A: number; readonly gsd: number; readonly min_A: number; readonly max_A: number };

/** The drying programme in SI units. */
export interface DryProgrammeSpec {
  readonly start_K: number;
  readonly heatingRate_KPerS: number;
  readonly preHolds: readonly { readonly temperature_K: number; readonly duration_s: number }[];
  readonly coolingRate_KPerS: number;
  readonly end_K: number;
}

/** A validated drying recipe, SI units. */
export interface DryRecipe {
  readonly name: string;
  readonly description: string;
  readonly seed: number;
  /** The lamella (scenario `structure:` section). */
  readonly structure: ScenarioStructure;
  /** Barrier / ν overrides (scenario `kinetics:` section). */
  readonly kinetics: ScenarioKinetics;
  /** Region widths (scenario `regions:` section). */
  readonly regions: ScenarioRegions;
  readonly programme: DryProgrammeSpec;
  /** Main-hold temperatures, K (strictly increasing). */
  readonly temperatures_K: readonly number[];
  /** Hold times read out, s (strictly increasing). */
  readonly times_s: readonly number[];
  readonly atmospheres: readonly DryAtmosphere[];
  readonly poreRadius: RadiusDistribution;
  readonly nearSurface_A: number;
  readonly threshold: { readonly quantity: DamageQuantityName; readonly value: number };
  readonly draws: number;
  readonly parameters: 'all' | readonly string[];
  /** Sections of the file that `dry` does not use (stated in the report). */
  readonly unusedSections: readonly string[];
  /** The file's mapping as given (after CLI overrides): hashed into the run key, sent to workers. */
  readonly raw: Record<string, unknown>;
}

/** Sections of a scenario that a recipe may carry but `dry` does not use. */
const UNUSED_SECTIONS = ['protocol', 'environment', 'imaging', 'checks', 'output'];

function increasing(values: readonly number[], field: string, show: (v: number) => string): void {
  for (let i = 1; i < values.length; i++) {
    if (!(values[i]! > values[i - 1]!)) throw new InputError(`${field}[${i}]`, show(values[i]!), `a value above ${field}[${i - 1}] = ${show(values[i - 1]!)} (the grid must increase)`);
  }
}

const showC = (K: number) => `${+(K - ZERO_CELSIUS_K).toFixed(3)} degC`;
const showH = (s: number) => `${+(s / 3600).toPrecision(6)} h`;

/** Validate a recipe mapping (YAML already read); InputErrors name the field (`drying.times[2]`). */
export function dryRecipeFromObject(raw: Record<string, unknown>, source = 'recipe'): DryRecipe {
  if (raw.drying === undefined) throw new InputError('drying', undefined, `a drying: section (programme, temperatures, times, atmospheres) in ${source}`);
  const known = new Set(['name', 'description', 'seed', 'structure', 'kinetics', 'regions', 'drying', ...UNUSED_SECTIONS]);
  for (const k of Object.keys(raw)) if (!known.has(k)) throw new InputError(k, k, `known top-level keys: ${[...known].join(', ')}`);
  const r = recipeFileSchema.safeParse(raw);
  if (!r.success) throw issueToInputError(r.error, recipeFileSchema, raw);
  const f = r.data;
  const d = f.drying;
  let temperatures: number[];
  if (Array.isArray(d.temperatures)) {
    temperatures = d.temperatures;
    increasing(temperatures, 'drying.temperatures', showC);
  } else {
    const g = d.temperatures;
    if (!(g.to > g.from)) throw new InputError('drying.temperatures.to', showC(g.to), `a temperature above from = ${showC(g.from)}`);
    const n = Math.floor((g.to - g.from) / g.step + 1e-9);
    if (n + 1 > 200) throw new InputError('drying.temperatures.step', g.step, 'a step giving ≤ 200 temperatures');
    temperatures = Array.from({ length: n + 1 }, (_, i) => +(g.from + i * g.step).toFixed(9));
  }
  increasing(d.times, 'drying.times', showH);
  const names = new Set<string>();
  const atmospheres = d.atmospheres.map((a, i) => {
    if (names.has(a.name)) throw new InputError(`drying.atmospheres[${i}].name`, a.name, 'a name not used by another atmosphere');
    names.add(a.name);
    return resolveAtmosphere(a, `drying.atmospheres[${i}]`);
  });
  const cells = temperatures.length * d.times.length * atmospheres.length;
  if (cells > MAX_MAP_CELLS) throw new InputError('drying.times', d.times.length, `a map of ≤ ${MAX_MAP_CELLS} cells (temperatures × times × atmospheres = ${cells})`);
  const st = f.structure;
  let poreRadius: RadiusDistribution;
  const pr = d.material.poreRadius;
  if (pr !== undefined && !st.pore) throw new InputError('drying.material.poreRadius', pr, 'a structure with a pore (structure.pore) whose radius it replaces');
  if (pr === undefined) poreRadius = { kind: 'fixed', radius_A: st.pore?.radius_A ?? NaN };
  else if (typeof pr === 'number') poreRadius = { kind: 'fixed', radius_A: pr };
  else if ('values' in pr) {
    const w = pr.weights ?? pr.values.map(() => 1);
    if (w.length !== pr.values.length) throw new InputError('drying.material.poreRadius.weights', w, `${pr.values.length} positive weights, one per value`);
    poreRadius = { kind: 'discrete', values_A: pr.values, weights: w };
  } else {
    if (!(pr.max > pr.min)) throw new InputError('drying.material.poreRadius.max', pr.max, `a radius above min = ${pr.min} Å`);
    poreRadius = { kind: 'lognormal', median_A: pr.lognormal.median, gsd: pr.lognormal.gsd, min_A: pr.min, max_A: pr.max };
  }
  const th = d.damage.threshold;
  let threshold: DryRecipe['threshold'];
  if ('value' in th && typeof th.value === 'string') {
    const q = DAMAGE_QUANTITIES.find((x) => x.name === th.quantity)!;
    if (q.kind !== 'length') throw new InputError('drying.damage.threshold.value', th.value, `a number in ${q.unit} for ${q.name}`);
    const v = quantity('length', { min: 0, exclusiveMin: true }).safeParse(th.value);
    if (!v.success) throw new InputError('drying.damage.threshold.value', th.value, 'a length > 0 with a unit, e.g. "5 Å"');
    threshold = { quantity: th.quantity, value: v.data };
  } else threshold = th as DryRecipe['threshold'];
  const applies = applicableQuantities({ hasPore: st.pore !== undefined, hasFaces: st.surfaces === 'free' }).map((q) => q.name);
  if (!applies.includes(threshold.quantity)) throw new InputError('drying.damage.threshold.quantity', threshold.quantity, `a quantity this lamella has: ${applies.join(', ')}`);
  const p = d.programme;
  return {
    name: f.name,
    description: f.description,
    seed: f.seed,
    structure: st,
    kinetics: f.kinetics,
    regions: f.regions,
    programme: { start_K: p.start, heatingRate_KPerS: p.heatingRate, preHolds: p.preHolds.map((h) => ({ temperature_K: h.temperature, duration_s: h.duration })), coolingRate_KPerS: p.coolingRate, end_K: p.end ?? p.start },
    temperatures_K: temperatures,
    times_s: d.times,
    atmospheres,
    poreRadius,
    nearSurface_A: d.damage.nearSurface,
    threshold,
    draws: d.uncertainty.draws,
    parameters: d.uncertainty.parameters,
    unusedSections: UNUSED_SECTIONS.filter((k) => raw[k] !== undefined),
    raw,
  };
}

/** Read a recipe file (a path, or a built-in name; default `dry-ncm851005`) as its raw mapping. */
export function readDryRecipe(arg?: string): { raw: Record<string, unknown>; source: string } {
  const path = resolveScenarioPath(arg === undefined || arg === '' ? DEFAULT_DRY_RECIPE : arg);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError('recipe', arg ?? path, `a readable YAML/JSON file or a built-in recipe name (${DEFAULT_DRY_RECIPE})`);
  }
  return { raw: readYamlMapping(text, path), source: path };
}

/** Read and validate a recipe (see `readDryRecipe`). */
export function loadDryRecipe(arg?: string): DryRecipe {
  const { raw, source } = readDryRecipe(arg);
  return dryRecipeFromObject(raw, source);
}
