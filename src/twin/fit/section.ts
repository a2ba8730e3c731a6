/**
 * The optional `fit:` section of a scenario file, parsed here (the scenario schema stays the forward
 * model's): which parameters, narrowed priors, budget, replicates, statistics. The rest of the file goes
 * through the scenario loader unchanged. Flags given on the command line win over the section.
 *
 * @example
 *   fit:
 *     params: [o2Release, tmMigrationNearVO, muOOffset]
 *     priors: { o2Release: "1.3:1.7 eV" }
 *     budget: 72
 */
import { z } from 'zod';
import { InputError, readInputFile } from '../../core/index.js';
import { MAX_SCENARIO_BYTES, parseScenario, readYamlMapping, resolveScenarioPath, type Scenario } from '../scenario/index.js';
import { parsePriorRange } from './priors.js';

export interface FitSection {
  params?: string[];
  /** Narrowed priors, name → [low, high] in the parameter's unit. */
  priors?: Record<string, [number, number]>;
  budget?: number;
  replicates?: number;
  statistics?: string[];
}

const sectionSchema = z.strictObject({
  params: z.array(z.string()).min(1).max(12).optional(),
  priors: z.record(z.string(), z.union([z.string(), z.array(z.union([z.string(), z.number()])).length(2)])).optional(),
  budget: z.number().int().min(1).max(100000).optional(),
  replicates: z.number().int().min(2).max(16).optional(),
  statistics: z.array(z.string()).min(1).optional(),
});

/**
 * Reads a scenario (file or built-in name) and its `fit:` section (see module doc), through the scenario
 * module's one reader (`readInputFile` with the scenario size limit, `readYamlMapping`: strict JSON for
 * .json, bounded aliases). A file without a `fit:` section goes to `parseScenario` as written; with one,
 * the rest of the mapping does (as JSON text: the same values, the errors name the same fields).
 */
export function loadFitScenario(arg: string | undefined): { scenario: Scenario; fit: FitSection; path: string } {
  const path = resolveScenarioPath(arg);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(readInputFile(path, '--scenario', 'YAML/JSON scenario file or built-in scenario name (seed-insitu-heating, tiny, …)', { maxBytes: MAX_SCENARIO_BYTES })).replace(/^\uFEFF/, '');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError('--scenario', arg ?? path, 'a UTF-8 text file (YAML or JSON)', 'it holds bytes that are not UTF-8 text');
  }
  const raw = readYamlMapping(text, path);
  if (!('fit' in raw)) return { scenario: parseScenario(text, path), fit: {}, path };
  const { fit: section, ...rest } = raw;
  const r = sectionSchema.safeParse(section);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new InputError(`fit.${issue.path.join('.')}`, section, issue.message);
  }
  const priors: Record<string, [number, number]> = {};
  for (const [name, v] of Object.entries(r.data.priors ?? {})) priors[name] = parsePriorRange(name, v, `fit.priors.${name}`);
  const fit = { ...r.data, ...(r.data.priors ? { priors } : {}) } as FitSection;
  return { scenario: parseScenario(JSON.stringify(rest), path), fit, path };
}
