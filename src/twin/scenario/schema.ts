/** The whole scenario file: sections, defaults, and the SI `Scenario` it converts to. */
import { z } from 'zod';
import { checksSchema, regionsSchema, type ScenarioChecks, type ScenarioRegions } from './checks.js';
import { environmentSchema, kineticsSchema, type ScenarioEnvironment, type ScenarioKinetics } from './environment.js';
import { imagingSchema, type ScenarioImaging } from './imaging.js';
import { buildProgramme } from './programme.js';
import { protocolSchema, type ScenarioProtocol } from './protocol.js';
import { structureSchema, type ScenarioStructure } from './structure.js';

export const SCENARIO_SCHEMA_VERSION = 1;

export const scenarioFileSchema = z.strictObject({
  /** Run name: also the output folder name under `output.dir`. */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$/, 'letters, digits, ".", "_", "-"'),
  description: z.string().max(2000).default(''),
  /** Master seed: every stochastic stage derives its streams from it. */
  seed: z.number().int().min(0).max(2 ** 32 - 1),
  structure: structureSchema,
  protocol: protocolSchema,
  environment: environmentSchema,
  kinetics: kineticsSchema.prefault({}),
  imaging: imagingSchema.prefault({}),
  /** Widths of the observable regions (pore rim, APB zone, bulk). */
  regions: regionsSchema.prefault({}),
  /** What the run is compared with: profile temperatures and onset targets (the seed's, in its file). */
  checks: checksSchema.prefault({}),
  output: z.strictObject({ dir: z.string().min(1).default('out') }).default({ dir: 'out' }),
});

/** A validated scenario in SI units (Å, K, Pa, s, eV, mrad, e/Å²). */
export interface Scenario {
  schemaVersion: number;
  name: string;
  description: string;
  seed: number;
  structure: ScenarioStructure;
  protocol: ScenarioProtocol;
  environment: ScenarioEnvironment;
  kinetics: ScenarioKinetics;
  imaging: ScenarioImaging;
  regions: ScenarioRegions;
  checks: ScenarioChecks;
  output: { dir: string };
}

/** Convert the schema's output to the Scenario (programme segments and acquisition times). */
export function toScenario(f: z.output<typeof scenarioFileSchema>): Scenario {
  return {
    schemaVersion: SCENARIO_SCHEMA_VERSION,
    name: f.name,
    description: f.description,
    seed: f.seed,
    structure: f.structure,
    protocol: buildProgramme(f.protocol),
    environment: f.environment,
    kinetics: f.kinetics,
    imaging: f.imaging,
    regions: f.regions,
    checks: f.checks,
    output: f.output,
  };
}
