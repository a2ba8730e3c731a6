/**
 * The forward model `simulateScenario`: `kmc` and `run` agree frame by frame, replicas give the same
 * bytes for any worker count and through checkpoint records, overrides reach the kinetics, the
 * reducing-gas mode runs end to end, and bad input is refused before anything is written.
 * ~30–40 s on 2 cores (tiny lamellae; the CI-size seed lamella to 175 °C once per verb).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ArgumentsCamelCase } from 'yargs';
import kmcCommand from '../../src/cli/commands/kmc.js';
import { InputError } from '../../src/core/index.js';
import { loadScenario, runScenario, simulateScenario, temperatureAt, type SimulationResult } from '../../src/twin/index.js';
import { gaussianImager } from './imager.js';
import { CI_SEED_EDITS, editedScenario, editedScenarioText } from './scenarios.js';

const dir = mkdtempSync(join(tmpdir(), 'simulate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** observables.csv as column → values (strings, as written). */
function columns(path: string): Map<string, string[]> {
  const [head, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const names = head!.split(',');
  return new Map(names.map((n, k) => [n, rows.map((r) => r.split(',')[k]!)]));
}

async function kmcCli(scenarioText: string, name: string): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, scenarioText);
  const out = join(dir, `kmc-${name}`);
  await kmcCommand.handler!({ scenario: file, out, json: false, resume: false, quiet: true, checkpointEvery: 30, workers: 1, _: [], $0: 'cathode-twin' } as unknown as ArgumentsCamelCase<never>);
  return join(out, 'observables.csv');
}

describe('kmc and run: one forward model, the same observables per frame for the same scenario and seed', () => {
  const cases: [string, string][] = [
    ['tiny', readFileSync(join(import.meta.dirname, '../../scenarios/tiny.yaml'), 'utf8')],
    ['seed (CI size, to 175 °C)', editedScenarioText('seed-insitu-heating', { ...CI_SEED_EDITS, 'protocol.end': '175 degC', name: 'seed-ci' })],
  ];
  for (const [label, text] of cases) {
    it(label, async () => {
      const name = label.split(' ')[0]!;
      const kmc = columns(await kmcCli(text, name));
      const scenarioFile = join(dir, `${name}.yaml`);
      const run = await runScenario(loadScenario(scenarioFile), { outDir: join(dir, `run-${name}`), quiet: true, imager: gaussianImager });
      const r = columns(join(run.outDir, 'observables.csv'));
      const kinetic = [...kmc.keys()];
      expect(kinetic).toEqual(expect.arrayContaining(['tmOnLi.rim', 'tmOnLi.apb', 'vO.rim', 'rockSalt.rim', 'poreArea_A2', 'events']));
      for (const k of kinetic) expect(r.get(k), k).toEqual(kmc.get(k));
      // Only the image observables are added by run.
      expect([...r.keys()].filter((k) => !kmc.has(k)).sort()).toEqual(['dose_ePerA2', ...[...r.keys()].filter((k) => k.startsWith('liMRatio.') || k.startsWith('liMColumnRatio.'))].sort());
      expect(Number(kmc.get('events')!.at(-1))).toBeGreaterThan(0);
    });
  }
});

describe('replicas', () => {
  const tiny = loadScenario('tiny');
  let one: SimulationResult;

  it('n replicas are n independent streams on one lamella, pooled frame by frame (mean, sample SD), the same bytes on 1 or 2 workers and through checkpoint records', async () => {
    one = await simulateScenario(tiny, { replicates: 2 });
    expect(one.frames[0]!.perReplica).toHaveLength(2);
    const last = one.frames.at(-1)!;
    const xs = last.perReplica.map((o) => o['tmOnLi.rim']!);
    const m = (xs[0]! + xs[1]!) / 2;
    expect(last.observables['tmOnLi.rim']).toBeCloseTo(m, 14);
    expect(last.spread['tmOnLi.rim']).toBeCloseTo(Math.abs(xs[0]! - xs[1]!) / Math.SQRT2, 14);
    expect(one.events.perReplica[0]).not.toBe(one.events.perReplica[1]);
    expect(one.onsets.find((o) => o.stage === 'liSiteRim')!.perReplica_C).toHaveLength(2);
    // 2 workers, a record every 2 frames.
    const records: Uint8Array[] = [];
    const two = await simulateScenario(tiny, { replicates: 2, workers: 2, checkpoint: { everyFrames: 2, save: (b) => void records.push(b) } });
    const bytes = (r: SimulationResult) => JSON.stringify({ f: r.frames.map((f) => [f.observables, f.spread, f.perReplica, f.events, f.species!.map((s) => Buffer.from(s).toString('base64'))]), o: r.onsets, e: r.events });
    expect(bytes(two)).toBe(bytes(one));
    expect(records.length).toBe(4); // 2 replicas × (frames 0–1, frames 2–3)
    // Resumed in this thread from the records of a run interrupted after its first round.
    const firstRound = records.filter((_b, i) => i < 2);
    const resumed = await simulateScenario(tiny, { replicates: 2, resumeFrom: firstRound, checkpoint: { everyFrames: 2, save: () => undefined } });
    expect(bytes(resumed)).toBe(bytes(one));
    await expect(simulateScenario(tiny, { replicates: 3, resumeFrom: firstRound })).rejects.toThrow(/resumeFrom\[0\]/);
  });

  it('the seed changes the trajectories; the replicate count comes from the scenario unless overridden', async () => {
    const other = await simulateScenario(tiny, { replicates: 1, seed: 8, keepSpecies: false });
    expect(JSON.stringify(other.frames.map((f) => f.perReplica[0]))).not.toBe(JSON.stringify(one.frames.map((f) => f.perReplica[0])));
    expect(other.frames[0]!.species).toBeUndefined();
    const fromFile = editedScenario('tiny', { 'kinetics.replicates': 2 });
    expect((await simulateScenario(fromFile, { kinetics: 'frozen' })).replicates).toBe(2);
  });
});

describe('overrides reach the kinetics (fit, dry)', () => {
  const tiny = loadScenario('tiny');

  it('params by table name, the environment offset, and frame times; the frozen double keeps the as-built structure', async () => {
    const r = await simulateScenario(tiny, { kinetics: 'frozen', params: { o2Release: '1.6 eV', nu: 2e12 }, environment: { pO2_Pa: 1e-3, offset_eV: -0.5 }, frameTimes_s: [0, 100, 1000] });
    expect(r.params.o2Release_barrier_eV).toBeCloseTo(1.6, 12);
    expect(r.params.nu_Hz).toBe(2e12);
    expect(r.params.muO_offset_eV).toBe(-0.5);
    expect(r.environment).toEqual({ pO2_Pa: 1e-3, offset_eV: -0.5 });
    expect(r.frames.map((f) => f.time_s)).toEqual([0, 100, 1000]);
    expect(r.frames[2]!.temperature_K).toBeCloseTo(temperatureAt(tiny.protocol, 1000), 12);
    expect(Buffer.from(r.frames[2]!.species![0]!).equals(Buffer.from(r.lamella.lattice.species))).toBe(true);
    expect(r.stages.kinetics).toMatch(/frozen/);
    // A muOOffset in params wins over the environment's offset.
    expect((await simulateScenario(tiny, { kinetics: 'frozen', params: { muOOffset: -0.2 }, environment: { pO2_Pa: 1, offset_eV: -0.5 } })).params.muO_offset_eV).toBe(-0.2);
  });
});

describe('reducing gas (MODEL.md §3: Δμ_O = ΔfG(H2O, T) + kT ln(pH2O/pH2))', () => {
  const dry = (gas: Record<string, string>) =>
    editedScenario('drying-100Pa-300C-12h', {
      'structure.width': '3 nm', 'structure.height': '2.5 nm', 'structure.thickness': '2 nm', 'structure.pore': { radius: '0.7 nm', shape: 'ellipsoid', aspect: 1.2 },
      'protocol.duration': '2 h', 'protocol.acquire': { every: '1 h' }, environment: { ...gas, muOOffset: '0 eV' },
    });

  it('at 300 °C for 2 h, pH2O/pH2 = 1 removes more O than 100 Pa of O2 (same lamella, seed, μ_O offset 0)', async () => {
    const o2 = await simulateScenario(dry({ pO2: '100 Pa' }), { keepSpecies: false });
    const h2 = await simulateScenario(dry({ pH2O: '100 Pa', pH2: '100 Pa' }), { keepSpecies: false });
    expect(h2.environment).toEqual({ pH2O_Pa: 100, pH2_Pa: 100, offset_eV: 0 });
    expect(h2.events.o2Released).toBeGreaterThan(o2.events.o2Released);
    expect(h2.frames.at(-1)!.observables['vO.all']!).toBeGreaterThan(o2.frames.at(-1)!.observables['vO.all']!);
    expect(h2.events.o2Released).toBeGreaterThan(0);
  });

  it('a pH2O/pH2 scenario runs end to end through run (files written, gas in summary.json)', async () => {
    const out = join(dir, 'h2-run');
    const s = editedScenario('tiny', { environment: { pH2O: '10 Pa', pH2: '100 Pa' } });
    const r = await runScenario(s, { outDir: out, quiet: true, imager: gaussianImager });
    expect(existsSync(join(out, 'frames.tif'))).toBe(true);
    const js = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { environment: Record<string, number> };
    expect(js.environment).toMatchObject({ pH2O_Pa: 10, pH2_Pa: 100 });
    expect(r.summary.events.o2Released).toBeGreaterThan(0);
  });
});

describe('bad input is an InputError naming the field, and nothing is written', () => {
  const tiny = loadScenario('tiny');
  const refused = async (o: Parameters<typeof runScenario>[1], field: RegExp) => {
    const out = join(dir, `bad-${Math.random().toString(36).slice(2)}`);
    const e = await runScenario(tiny, { ...o, outDir: out, quiet: true, imager: gaussianImager }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).field).toMatch(field);
    expect(existsSync(out)).toBe(false);
  };

  it('an unknown parameter, 0 or 65 replicates, a gas mode together with pO2', async () => {
    await expect(simulateScenario(tiny, { params: { o2Relase: 1.5 } })).rejects.toThrow(/^params\.o2Relase: .*o2Release/);
    await expect(simulateScenario(tiny, { environment: { pO2_Pa: 1, pH2O_Pa: 1, pH2_Pa: 1 } })).rejects.toThrow(/^environment\.pO2_Pa: .*not both/);
    await refused({ replicates: 0 }, /^replicates$/);
    await refused({ replicates: 65 }, /^replicates$/);
    const e = (() => {
      try {
        editedScenario('tiny', { 'environment.pH2O': '1 Pa', 'environment.pH2': '1 Pa' });
      } catch (x) {
        return x as InputError;
      }
    })();
    expect(e?.field).toBe('environment.pO2');
    expect(() => editedScenario('tiny', { 'kinetics.replicates': 65 })).toThrow(/kinetics\.replicates/);
    expect(() => editedScenario('tiny', { 'kinetics.barriers': { o2Relase: '1.5 eV' } })).toThrow(/kinetics\.barriers\.o2Relase/);
    expect(() => editedScenario('tiny', { 'structure.cycles': 100 })).toThrow(/structure\.cycles/);
    await expect(simulateScenario(tiny, { frameTimes_s: [0, 5, 3] })).rejects.toThrow(/^frameTimes_s\[2\]/);
  });

  it('imageAnalysis: false (a caller that analyses the frames itself, e.g. the fit) skips the column analysis, and refuses a non-boolean or extra imaged replicas', async () => {
    await expect(simulateScenario(tiny, { imageAnalysis: 'no' as unknown as boolean })).rejects.toThrow(/^imageAnalysis: /);
    await expect(simulateScenario(tiny, { replicates: 2, imageReplicas: 2, images: 'acquired', imageAnalysis: false })).rejects.toThrow(/^imageReplicas: /);
    const frameTimes_s = tiny.protocol.acquisitionTimes_s.slice(0, 2);
    const keys = (r: SimulationResult) => Object.keys(r.frames[1]!.observables).filter((k) => k.startsWith('liMColumnRatio.'));
    const on = await simulateScenario(tiny, { frameTimes_s, images: 'acquired', imager: gaussianImager });
    const off = await simulateScenario(tiny, { frameTimes_s, images: 'acquired', imager: gaussianImager, imageAnalysis: false });
    expect(keys(on).length).toBeGreaterThan(0);
    expect(keys(off)).toEqual([]);
    // Same KMC and the same acquired frames either way: only the analysis is skipped.
    expect(off.frames[1]!.image!.acquired!.data).toEqual(on.frames[1]!.image!.acquired!.data);
  });

  it('a lamella whose kinetics would not fit in memory is refused before anything is built, with the sites, the bytes and what fits', async () => {
    // A scenario file is refused when it is loaded, with its fields and values as written (src/twin/scenario/load.ts) …
    expect(() => editedScenario('tiny', { 'structure.width': '2000 Å', 'structure.height': '2000 Å', 'structure.thickness': '1000 Å' }))
      .toThrow(/^structure\.width × height × thickness: got "2000 Å × 2000 Å × 1000 Å"; allowed: at most [\d.e]+ lattice sites on this machine/);
    // … and a scenario made in code is refused by the forward model before anything is built.
    const tiny = editedScenario('tiny', {});
    const huge = { ...tiny, structure: { ...tiny.structure, width_A: 2000, height_A: 2000, thickness_A: 1000 } };
    await expect(simulateScenario(huge, { seed: 1 })).rejects.toThrow(/^structure \(width × height × thickness\): got "4\.7\d*e\+8 sites"; allowed: .*GB .* enough for ~[\d.]+e\+\d+ sites/);
  });
});
