/**
 * Load scenarios: YAML or JSON text → validated SI `Scenario`, with InputErrors naming the field.
 * The built-in default (the seed experiment) is resolved relative to the package, not the cwd.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { InputError, guardSize, parseJson, readInputFile } from '../../core/index.js';
import { lamellaSiteCount } from '../../lattice/index.js';
import { wavelength_A } from '../../multislice/index.js';
import { estimateKmcMemory } from '../../kinetics/index.js';
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
 * Scenario-like text (a scenario, a drying recipe) → its top-level mapping. A `.json` source is parsed as strict JSON
 * (a trailing comma is an error), anything else as YAML with bounded aliases; text over MAX_SCENARIO_BYTES is refused.
 * `source` names the file in errors.
 */
export function readYamlMapping(text: string, source = 'scenario'): Record<string, unknown> {
  if (text.length > MAX_SCENARIO_BYTES) throw new InputError(source, `${text.length} characters`, `a scenario file of at most ${MAX_SCENARIO_BYTES} bytes`);
  const raw: unknown = /\.json$/i.test(source) ? parseJson(text, source) : parseYamlText(text, source);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(source, raw, 'a mapping with name, seed, structure, protocol, environment, … at the top level');
  return raw as Record<string, unknown>;
}

/** Parse scenario text (YAML, or strict JSON for a `.json` source). `source` names the file in errors. */
export function parseScenario(text: string, source = 'scenario'): Scenario {
  const raw = readYamlMapping(text, source);
  const r = scenarioFileSchema.safeParse(raw);
  if (!r.success) throw issueToInputError(r.error, scenarioFileSchema, raw);
  const scenario = toScenario(r.data);
  checkScenarioSizes(scenario, raw as Record<string, unknown>);
  return scenario;
}

/** Most image pixels per frame (the incoherent renderer's limit, 4096²). */
const MAX_FRAME_PIXELS = 2 ** 24;
/** Largest multislice wave grid side (src/multislice makeGrid's limit). */
const MAX_WAVE_SIDE = 4096;

/**
 * Refuses, when the scenario is loaded (before the lamella is built or any kinetics runs), sizes this machine cannot
 * hold or the simulators cannot image. Errors name the scenario fields with the values as written in the file.
 */
export function checkScenarioSizes(s: Scenario, raw: Record<string, unknown> = {}): void {
  const given = (section: string, key: string, si: number, unit: string): string => {
    const v = (raw[section] as Record<string, unknown> | undefined)?.[key];
    return typeof v === 'string' || typeof v === 'number' ? String(v) : `${+si.toPrecision(6)} ${unit}`;
  };
  const st = s.structure;
  const size = `${given('structure', 'width', st.width_A, 'Å')} × ${given('structure', 'height', st.height_A, 'Å')} × ${given('structure', 'thickness', st.thickness_A, 'Å')}`;
  const sites = lamellaSiteCount({ zone: st.zone, size_A: [st.width_A, st.height_A], thickness_A: st.thickness_A });
  // The kinetics' own estimate (src/kinetics/memory.ts: structure, neighbour tables, model, selector, a species
  // snapshot per frame), refused here with the scenario's fields and values before anything is built.
  const est = estimateKmcMemory(Math.max(1, sites), s.protocol.acquisitionTimes_s.length);
  guardSize({
    field: 'structure.width × height × thickness', value: size, what: 'lattice sites', count: sites, bytesEach: (est.bytes - est.parts.classTables) / Math.max(1, sites),
    fixedBytes: est.parts.classTables, maxCount: Math.floor((2 ** 32 - 1) / 12), maxReason: 'typed arrays of 2^32 rate slots',
  });
  const im = s.imaging;
  const area_A2 = st.width_A * st.height_A;
  const pixels = Math.max(1, Math.round(st.width_A / im.sampling_A)) * Math.max(1, Math.round(st.height_A / im.sampling_A));
  const frames = im.frames + s.protocol.acquisitionTimes_s.length;
  guardSize({
    field: 'imaging.sampling', value: given('imaging', 'sampling', im.sampling_A, 'Å'), what: 'pixels per frame', count: pixels, bytesEach: 4 * frames + 64,
    maxCount: MAX_FRAME_PIXELS, maxReason: 'the image size the simulators support (4096²)',
    fit: (n) => `a sampling ≥ ${(Math.sqrt(area_A2 / n) * 1.001).toPrecision(3)} Å for a ${+(st.width_A / 10).toPrecision(4)} × ${+(st.height_A / 10).toPrecision(4)} nm field`,
  });
  if (im.mode === 'multislice') {
    // The wave is sampled finely enough for the detector's outer angle (≤ λ/(3θ), at most 0.05 Å) over the whole cell.
    const wave_A = Math.min(0.05, wavelength_A(im.energy_eV) / (3 * im.detectorOuter_mrad * 1e-3));
    const side = Math.ceil(Math.max(st.width_A, st.height_A) / wave_A);
    guardSize({
      field: st.width_A >= st.height_A ? 'structure.width' : 'structure.height', value: given('structure', st.width_A >= st.height_A ? 'width' : 'height', Math.max(st.width_A, st.height_A), 'Å'),
      what: 'wave pixels along a side for imaging.mode multislice', count: side, maxCount: MAX_WAVE_SIDE, maxReason: `a ${MAX_WAVE_SIDE}² wave grid at ${wave_A.toPrecision(3)} Å`,
      fit: () => `a field ≤ ${(MAX_WAVE_SIDE * wave_A).toFixed(0)} Å, or imaging.mode incoherent`,
    });
  }
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
