// `cathode-twin fit` bad input: every kind gives an InputError naming the field and writes nothing
// (≈ 3 s; everything fails before any simulation). Also the fit: section and the timeline file.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/index.js';
import { runFitCommand, type FitArgs } from '../../../src/cli/commands/fit.js';
import { encodeTiffFloat32 } from '../../../src/twin/imageio/index.js';
import { fitSpace, loadFitScenario, readTimeline, seedTimeline } from '../../../src/twin/fit/index.js';

const root = mkdtempSync(join(tmpdir(), 'fit-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const scenario = join(import.meta.dirname, 'fixtures', 'fit-ci.yaml');

/** A 3-frame series with a sidecar (temperatures °C, or none). */
function series(name: string, temps_C: (number | null)[]): string {
  const dir = join(root, name);
  const frames = temps_C.map((_, k) => Float32Array.from({ length: 48 * 40 }, (_v, i) => 0.01 * (1 + Math.sin(i + k))));
  const path = join(dir, 'frames.tif');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, encodeTiffFloat32(frames, 48, 40, { pixelSize_A: 0.25, unit: 'A' }));
  writeFileSync(join(dir, 'frames.json'), JSON.stringify({ pixelSize_A: 0.25, units: 'fraction of incident beam', frames: temps_C.map((t, i) => ({ index: i, ...(t === null ? {} : { temperature_K: t + 273.15 }), dose_ePerA2: 5000 })) }));
  return path;
}

const args = (over: Partial<FitArgs>): FitArgs => ({
  series: [series('ok', [25, 125, 225])], scenario, params: 'o2Release', normalise: 'auto', 'refine-replicates': 4, predictive: 0, zone: '210', rim: '6 Å', apb: '5 Å',
  merge: false, out: join(root, `out-${Math.random().toString(36).slice(2)}`), workers: 1, quiet: true, json: false, ...over,
});

async function refused(over: Partial<FitArgs>, field: RegExp): Promise<void> {
  const a = args(over);
  const err = await runFitCommand(a, () => {}).then(() => undefined, (e: unknown) => e);
  expect(err, 'an InputError').toBeInstanceOf(InputError);
  expect((err as InputError).field).toMatch(field);
  expect(existsSync(a.out), 'nothing written').toBe(false);
}

describe('fit: bad input is refused by name, nothing written', () => {
  it('a parameter not in the table', () => refused({ params: 'o2Release,notAParameter' }, /^--params\[1\]$/));
  it('a parameter without a prior (held at its default)', () => refused({ params: 'bondLi' }, /^--params\[0\]$/));
  it('a prior outside the physical range (a negative barrier)', () => refused({ prior: ['o2Release=-0.2:1.5'] }, /^fit\.priors\.o2Release$/));
  it('a prior wider than the table\'s', () => refused({ prior: ['o2Release=1.0:1.6'] }, /^fit\.priors\.o2Release$/));
  it('a series without temperatures', () => refused({ series: [series('notemp', [null, null, null])] }, /^--sidecar$/));
  it('a scenario whose protocol does not cover the series\' temperatures', () => refused({ series: [series('hot', [25, 125, 500])] }, /^scenario\.protocol$/));
  it('a budget below what the method needs', () => refused({ budget: 12 }, /^--budget$/));
  it('--shard malformed, and --shard with --merge', async () => {
    await refused({ shard: '3/3' }, /^--shard$/);
    await refused({ shard: '0/2', merge: true }, /^--merge$/);
  });
  it('a timeline with an unknown stage', () => {
    const f = join(root, 'bad-timeline.yaml');
    writeFileSync(f, 'timeline:\n  - { stage: meltdown, after: 160 degC, onset: 175 degC }\n');
    return refused({ series: undefined, timeline: f }, /^--timeline\[0\]\.stage$/);
  });
});

describe('fit inputs', () => {
  it('the priors come from the parameter table, narrowed by flags: o2Release 1.2–1.8 eV linear, nu log-scale', () => {
    const s = fitSpace(['o2Release', 'nu', 'muOOffset'], { o2Release: [1.3, 1.6] });
    expect(s.parameters.map((p) => [p.name, p.unit, p.prior, p.scale])).toEqual([
      ['o2Release', 'eV', [1.3, 1.6], 'linear'],
      ['nu', '1/s', [1e12, 1e14], 'log'],
      ['muOOffset', 'eV', [-1.5, 0], 'linear'],
    ]);
  });

  it('reads a fit: section from a scenario file and leaves the rest to the scenario loader', () => {
    const f = join(root, 'with-fit.yaml');
    writeFileSync(f, `${readFileSync(scenario, 'utf8')}fit:\n  params: [o2Release, muOOffset]\n  priors: { o2Release: "1.3:1.7 eV" }\n  budget: 40\n`);
    const r = loadFitScenario(f);
    expect(r.scenario.name).toBe('fit-ci');
    expect(r.fit).toEqual({ params: ['o2Release', 'muOOffset'], priors: { o2Release: [1.3, 1.7] }, budget: 40 });
  });

  it('reads the scenario through the one scenario reader: a bad fit: field, a trailing comma in JSON and an alias bomb are named errors', () => {
    const bad = join(root, 'bad-fit.yaml');
    writeFileSync(bad, `${readFileSync(scenario, 'utf8')}fit:\n  budget: -3\n`);
    expect(() => loadFitScenario(bad)).toThrow(/fit\.budget/);
    const json = join(root, 'trailing.json');
    writeFileSync(json, '{ "name": "x", }');
    expect(() => loadFitScenario(json)).toThrow(InputError);
    const bomb = join(root, 'bomb.yaml');
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    writeFileSync(bomb, `${lines.join('\n')}\nfit:\n  budget: 40\n`);
    expect(() => loadFitScenario(bomb)).toThrow(/aliases/);
  });

  it('the seed\'s published timeline: liSiteRim seen at 175 °C after 160 °C, and the other observed stages', () => {
    const t = seedTimeline();
    expect(t.find((r) => r.stage === 'liSiteRim')).toEqual({ stage: 'liSiteRim', after_C: 160, onset_C: 175 });
    expect(t.map((r) => r.stage).sort()).toEqual(['facets', 'liSiteApb', 'liSiteRim', 'ni0Li2O', 'poreGrowth', 'rockSaltGrain', 'rockSaltRim', 'tmDepleted', 'tmEnriched']);
    expect(readTimeline('seed')).toEqual(t);
  });
});
