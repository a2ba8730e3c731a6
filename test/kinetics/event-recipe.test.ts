/**
 * The README's "A KMC event type" recipe is true and complete: the source files that name a specific
 * event kind (an `EventKind.X`, a local `K_X` copy of an id, or an event name in quotes) are exactly the
 * files the recipe lists, and their number is the one it states. A new copy of event ids or names
 * elsewhere fails here until the recipe says so. Generated lists (scenario barrier keys, override
 * names, the fit space, event-count names) are checked to follow the tables. < 1 s.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, EventKind } from '../../src/kinetics/ncm/events.js';
import { BARRIER_NAMES, PARAMETER_TABLE, parameterSpace, parseNcmOverrides } from '../../src/kinetics/ncm/params.js';
import { editedScenario } from '../twin/scenarios.js';

const ROOT = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The recipe's section of the README and the files it lists. */
function recipe(): { count: number; files: string[] } {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('**A KMC event type**');
  const section = readme.slice(start, readme.indexOf('\n\n**', start + 10));
  const count = Number(/\((\d+) places/.exec(section)?.[1]);
  const files = [...section.matchAll(/^\d+\. `(src\/[^`]+\.ts)`/gm)].map((m) => m[1]!);
  return { count, files };
}

describe('adding an event type', () => {
  it('touches exactly the files the README recipe lists, as many as it says', () => {
    const { count, files } = recipe();
    expect(files.length).toBe(count);
    expect(count).toBe(4);
    const kinds = Object.keys(EventKind).filter((k) => k !== 'NONE');
    const named = new RegExp(`EventKind\\.[A-Z]|\\bK_(${kinds.join('|')})\\b|['"](${EVENT_NAMES.slice(1).join('|')})['"]`);
    const touching = sources(join(ROOT, 'src'))
      .filter((f) => named.test(readFileSync(f, 'utf8')))
      .map((f) => relative(ROOT, f).split('\\').join('/'))
      .sort();
    expect(touching).toEqual([...files].sort());
  });

  it('the lists that name events or barriers elsewhere are generated from the tables', () => {
    // The scenario's kinetics.barriers keys are the table's barrier rows.
    const all = editedScenario('tiny', { 'kinetics.barriers': Object.fromEntries(BARRIER_NAMES.map((n) => [n, '1.11 eV'])) });
    expect(Object.keys(all.kinetics.barriers_eV)).toEqual([...BARRIER_NAMES]);
    expect(() => editedScenario('tiny', { 'kinetics.barriers': { muOOffset: '1 eV' } })).toThrow(/kinetics\.barriers\.muOOffset/);
    // Every row is accepted by name; the fit space is the rows with priors.
    for (const r of PARAMETER_TABLE) expect(parseNcmOverrides({ [r.name]: r.default })[r.key]).toBe(r.default);
    expect(parameterSpace().map((d) => d.name)).toEqual(PARAMETER_TABLE.filter((r) => r.prior).map((r) => r.name));
    // Event names: one per kind id.
    expect(EVENT_NAMES.length).toBe(Math.max(...Object.values(EventKind)) + 1);
  });
});
