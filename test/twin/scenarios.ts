/** Scenario fixtures for tests (not a test file): the shipped scenarios with edits. */
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { SCENARIOS_DIR, parseScenario, type Scenario } from '../../src/twin/scenario/index.js';

/** A shipped scenario's YAML text with edits applied (dotted path → value; undefined deletes). */
export function editedScenarioText(name: string, edits: Record<string, unknown>): string {
  const doc = parse(readFileSync(`${SCENARIOS_DIR}/${name}.yaml`, 'utf8')) as Record<string, unknown>;
  for (const [path, value] of Object.entries(edits)) {
    const keys = path.split('.');
    let o = doc;
    for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
    if (value === undefined) delete o[keys.at(-1)!];
    else o[keys.at(-1)!] = value;
  }
  return stringify(doc);
}

/** A shipped scenario with edits applied (see editedScenarioText). */
export function editedScenario(name: string, edits: Record<string, unknown>): Scenario {
  return parseScenario(editedScenarioText(name, edits));
}

/** The edits that make the seed scenario CI-sized (see ciSeedScenario). */
export const CI_SEED_EDITS: Readonly<Record<string, unknown>> = { 'structure.width': '4.8 nm', 'structure.height': '4.8 nm', 'structure.thickness': '2.8 nm', 'structure.pore.radius': '1.2 nm', 'regions.bulk': '10 Å' };

/**
 * The seed scenario at CI size: 4.8 × 4.8 nm, 2.8 nm deep, pore r = 1.2 nm, bulk ≥ 10 Å from pore and
 * APB, to `end` (7 344 sites).
 */
export function ciSeedScenario(end = '265 degC'): Scenario {
  return editedScenario('seed-insitu-heating', { ...CI_SEED_EDITS, 'protocol.end': end });
}
