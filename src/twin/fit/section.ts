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
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { InputError } from '../../core/index.js';
import { parseScenario, resolveScenarioPath, type Scenario } from '../scenario/index.js';
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

/** Reads a scenario (file or built-in name) and its `fit:` section (see module doc). */
export function loadFitScenario(arg: string | undefined): { scenario: Scenario; fit: FitSection; path: string } {
  const path = resolveScenarioPath(arg);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError('--scenario', arg ?? path, 'a readable YAML/JSON scenario file or a built-in scenario name (seed-insitu-heating, tiny, …)');
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  let fit: FitSection = {};
  if (doc.errors.length === 0 && doc.has('fit')) {
    const raw: unknown = (doc.get('fit', true) as { toJSON?: () => unknown } | undefined)?.toJSON?.() ?? doc.toJS().fit;
    const r = sectionSchema.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new InputError(`fit.${issue.path.join('.')}`, raw, issue.message);
    }
    const priors: Record<string, [number, number]> = {};
    for (const [name, v] of Object.entries(r.data.priors ?? {})) priors[name] = parsePriorRange(name, v, `fit.priors.${name}`);
    fit = { ...r.data, ...(r.data.priors ? { priors } : {}) } as FitSection;
    doc.delete('fit');
    text = doc.toString();
  }
  return { scenario: parseScenario(text, path), fit, path };
}
