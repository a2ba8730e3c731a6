/**
 * Load scenarios: YAML or JSON text → validated SI `Scenario`, with InputErrors naming the field.
 * The built-in default (the seed experiment) is resolved relative to the package, not the cwd.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { InputError } from '../../core/index.js';
import { issueToInputError } from './errors.js';
import { scenarioFileSchema, toScenario, type Scenario } from './schema.js';

/** Folder of the scenarios shipped with the package. */
export const SCENARIOS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../scenarios');
/** The built-in default scenario: the seed in situ heating experiment. */
export const DEFAULT_SCENARIO = 'seed-insitu-heating';

/** YAML (or JSON) text → its top-level mapping; InputError `source:line:col` on a syntax error. */
export function readYamlMapping(text: string, source = 'scenario'): Record<string, unknown> {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const [line, col] = e.linePos?.[0] ? [e.linePos[0].line, e.linePos[0].col] : [0, 0];
    throw new InputError(`${source}:${line}:${col}`, e.code, 'well-formed YAML or JSON', e.message.split('\n')[0]);
  }
  const raw: unknown = doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(source, raw, 'a mapping with name, seed, structure, protocol, environment, … at the top level');
  return raw as Record<string, unknown>;
}

/** Parse scenario text (YAML, of which JSON is a subset). `source` names the file in errors. */
export function parseScenario(text: string, source = 'scenario'): Scenario {
  const raw = readYamlMapping(text, source);
  const r = scenarioFileSchema.safeParse(raw);
  if (!r.success) throw issueToInputError(r.error, scenarioFileSchema, raw);
  return toScenario(r.data);
}

/**
 * Resolve a scenario argument: a path to a file, or the name of a built-in scenario
 * (`seed-insitu-heating`, `tiny`, …), or undefined for the default.
 */
export function resolveScenarioPath(arg?: string): string {
  if (arg === undefined || arg === '') return join(SCENARIOS_DIR, `${DEFAULT_SCENARIO}.yaml`);
  if (/[\\/]|\.(ya?ml|json)$/i.test(arg)) return resolve(arg);
  return join(SCENARIOS_DIR, `${arg}.yaml`);
}

/** Read and validate a scenario file (or a built-in scenario by name; default the seed experiment). */
export function loadScenario(arg?: string): Scenario {
  const path = resolveScenarioPath(arg);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError('scenario', arg ?? path, 'a readable YAML/JSON file or a built-in scenario name (seed-insitu-heating, drying-100Pa-300C-12h, charged-state, tiny)');
  }
  return parseScenario(text, path);
}
