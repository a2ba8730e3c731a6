/** Scenario fixtures for tests (not a test file): the shipped scenarios with edits. */
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { SCENARIOS_DIR, parseScenario, type Scenario } from '../../src/twin/scenario/index.js';

/** A shipped scenario's YAML with edits applied (dotted path → value; undefined deletes). */
export function editedScenario(name: string, edits: Record<string, unknown>): Scenario {
  const doc = parse(readFileSync(`${SCENARIOS_DIR}/${name}.yaml`, 'utf8')) as Record<string, unknown>;
  for (const [path, value] of Object.entries(edits)) {
    const keys = path.split('.');
    let o = doc;
    for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
    if (value === undefined) delete o[keys.at(-1)!];
    else o[keys.at(-1)!] = value;
  }
  return parseScenario(stringify(doc));
}

/**
 * The seed scenario at CI size: 4.8 × 4.8 nm, 2.8 nm deep, pore r = 1.2 nm, bulk ≥ 10 Å from pore and
 * APB, to `end` (7 344 sites).
 */
export function ciSeedScenario(end = '265 degC'): Scenario {
  return editedScenario('seed-insitu-heating', { 'structure.width': '4.8 nm', 'structure.height': '4.8 nm', 'structure.thickness': '2.8 nm', 'structure.pore.radius': '1.2 nm', 'protocol.end': end, 'regions.bulk': '10 Å' });
}
