/**
 * Load scenarios: YAML or JSON text → validated SI `Scenario`, with InputErrors naming the field.
 * The built-in default (the seed experiment) is resolved relative to the package, not the cwd.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { InputError, parseJson, readInputFile } from '../../core/index.js';
import { issueToInputError } from './errors.js';
import { scenarioFileSchema, toScenario, type Scenario } from './schema.js';

/** Folder of the scenarios shipped with the package. */
export const SCENARIOS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../scenarios');
/** The built-in default scenario: the seed in situ heating experiment. */
export const DEFAULT_SCENARIO = 'seed-insitu-heating';

/** Largest scenario file read, bytes (a scenario is a page of YAML; anything larger is not one). */
export const MAX_SCENARIO_BYTES = 1 << 20;

/** YAML text → plain data; InputError `source:line:col` on syntax errors, bounded alias expansion. */
function parseYamlText(text: string, source: string): unknown {
  let doc;
  try {
    doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    throw new InputError(source, text.slice(0, 40), 'well-formed YAML or JSON', (e as Error).message.split('\n')[0]);
  }
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const [line, col] = e.linePos?.[0] ? [e.linePos[0].line, e.linePos[0].col] : [0, 0];
    throw new InputError(`${source}:${line}:${col}`, e.code, 'well-formed YAML or JSON', e.message.split('\n')[0]);
  }
  try {
    // Aliases expand at most 100 times (a "billion laughs" file is refused, not expanded).
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new InputError(source, 'aliases (*name)', 'a scenario whose YAML aliases expand to a small document', (e as Error).message.split('\n')[0]);
  }
}

/**
 * Parse scenario text. A `.json` source is parsed as strict JSON (a trailing comma is an error); anything else as
 * YAML. `source` names the file in errors.
 */
export function parseScenario(text: string, source = 'scenario'): Scenario {
  if (text.length > MAX_SCENARIO_BYTES) throw new InputError(source, `${text.length} characters`, `a scenario file of at most ${MAX_SCENARIO_BYTES} bytes`);
  const raw: unknown = /\.json$/i.test(source) ? parseJson(text, source) : parseYamlText(text, source);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(source, raw, 'a mapping with name, seed, structure, protocol, environment, … at the top level');
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
  let bytes: Buffer;
  try {
    bytes = readInputFile(path, 'scenario', 'YAML/JSON scenario file', { maxBytes: MAX_SCENARIO_BYTES });
  } catch (e) {
    if (e instanceof InputError && /no such file/.test(e.message)) {
      throw new InputError('scenario', arg ?? path, 'a readable YAML/JSON file or a built-in scenario name (seed-insitu-heating, drying-100Pa-300C-12h, charged-state, tiny)');
    }
    throw e;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError('scenario', arg ?? path, 'a UTF-8 text file (YAML or JSON)', 'it holds bytes that are not UTF-8 text');
  }
  return parseScenario(text.replace(/^\uFEFF/, ''), path);
}
