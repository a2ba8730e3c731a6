import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { InputError } from '../../src/core/errors.js';
import { loadScenario, parseScenario, protocolProgram, regionHops, timesAtTemperatures, SCENARIOS_DIR, temperatureAt, doseAt } from '../../src/twin/scenario/index.js';
import { TemperatureProgram } from '../../src/kinetics/program.js';

const seedText = readFileSync(join(SCENARIOS_DIR, 'seed-insitu-heating.yaml'), 'utf8');

/** The seed scenario with one edit applied (path → value; undefined deletes). */
function edited(path: string, value: unknown): string {
  const doc = parse(seedText) as Record<string, unknown>;
  const keys = path.split('.');
  let o = doc as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  if (value === undefined) delete o[keys[keys.length - 1]!];
  else o[keys[keys.length - 1]!] = value;
  return stringify(doc);
}

function errorOf(text: string): InputError {
  try {
    parseScenario(text);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('the seed scenario (MODEL.md §1)', () => {
  const s = loadScenario();

  it('is the default and converts every unit once to SI: 25→500 °C, 0.1 K/s, 15 K steps, 300 s holds, 1.2e-5 Pa', () => {
    expect(s.name).toBe('seed-insitu-heating');
    expect(s.protocol.params.start_K).toBeCloseTo(298.15, 9);
    expect(s.protocol.params.end_K).toBeCloseTo(773.15, 9);
    expect(s.protocol.params.rate_KPerS).toBeCloseTo(0.1, 12);
    expect(s.protocol.params.step_K).toBeCloseTo(15, 12); // a difference: "15 degC" is 15 K, not 288.15 K
    expect(s.protocol.params.hold_s).toBe(300);
    expect(s.environment.pO2_Pa).toBeCloseTo(1.2e-5, 15);
    expect(s.imaging.energy_eV).toBe(200e3);
    expect(s.imaging.semiangle_mrad).toBeCloseTo(15.07, 10);
    expect([s.imaging.detectorInner_mrad, s.imaging.detectorOuter_mrad]).toEqual([70, 180]);
    expect(s.structure.composition).toEqual({ Ni: 0.85, Co: 0.1, Mn: 0.05 });
    expect(s.structure.niOnLi).toBeCloseTo(0.03, 12);
  });

  it('the staircase takes 475 K / 0.1 K/s + 32 holds × 300 s = 14350 s and acquires at RT and at the end of every hold', () => {
    expect(s.protocol.duration_s).toBeCloseTo(4750 + 32 * 300, 6);
    const t = s.protocol.acquisitionTimes_s;
    expect(t.length).toBe(33);
    expect(t[0]).toBe(0);
    // First hold ends at 150 s (ramp) + 300 s; it is at 40 °C.
    expect(t[1]).toBeCloseTo(450, 6);
    expect(temperatureAt(s.protocol, t[1]!) - 273.15).toBeCloseTo(40, 9);
    // Frames every 15 °C: 175 °C is a frame (25 + 10 × 15), then 490 °C and a partial step to 500 °C.
    const temps = t.map((x) => +(temperatureAt(s.protocol, x) - 273.15).toFixed(6));
    expect(temps).toContain(175);
    expect(temps).toContain(490);
    expect(temps[temps.length - 1]).toBe(500);
    // Mid-ramp the temperature is linear in time.
    expect(temperatureAt(s.protocol, 450 + 75)).toBeCloseTo(298.15 + 15 + 7.5, 9);
  });

  it('its programme is the kinetics\' TemperatureProgram.staircase, built once per scenario (an expression is compiled once)', () => {
    const p = protocolProgram(s.protocol);
    expect(protocolProgram(s.protocol)).toBe(p);
    const ref = TemperatureProgram.staircase({ start_K: 298.15, end_K: 773.15, step_K: 15, rate_KPerS: 0.1, hold_s: 300 });
    expect(p.pieces.length).toBe(ref.pieces.length);
    for (const t of [0, 75, 450, 9000.5, s.protocol.duration_s]) expect(p.temperature_K(t)).toBeCloseTo(ref.temperature_K(t), 9);
    expect(s.protocol.acquisitionTimes_s.slice(1)).toEqual(ref.holdEndTimes_s().map((t) => +t.toFixed(6)));
    const e = parseScenario(edited('protocol', { type: 'expression', temperature: '298.15 + 0.05*t', duration: '1 h', acquire: { temperatures: ['100 degC', '200 degC'] } }));
    expect(protocolProgram(e.protocol)).toBe(protocolProgram(e.protocol));
    expect(e.protocol.acquisitionTimes_s).toEqual([0, expect.closeTo(1500, 6), expect.closeTo(3500, 6)]);
    expect(temperatureAt(e.protocol, 1800)).toBeCloseTo(388.15, 9);
    expect(timesAtTemperatures(s.protocol, [448.15])[0]).toBeCloseTo(s.protocol.acquisitionTimes_s[10]!, 6);
    expect(() => timesAtTemperatures(s.protocol, [900])).toThrow(/temperatures_K\[0\]/);
  });

  it('checks and regions are data of the scenario: the seed lists its profile temperatures and 8 onset targets; the default regions are 4/2/4/7 hops', () => {
    expect(s.checks.profiles_K.map((t) => +(t - 273.15).toFixed(6))).toEqual([25, 175, 225, 300, 500]);
    expect(s.checks.targets.map((t) => t.stage)).toEqual(['liSiteRim', 'poreGrowth', 'facets', 'liSiteApb', 'rockSaltRim', 'tmDepleted', 'tmEnriched', 'rockSaltGrain', 'ni0Li2O']);
    expect(s.checks.targets[0]).toMatchObject({ min_K: expect.closeTo(433.15, 9), max_K: expect.closeTo(463.15, 9) });
    expect(s.checks.targets.find((t) => t.stage === 'liSiteApb')!.after).toBe('liSiteRim');
    expect(loadScenario('tiny').checks).toEqual({ profiles_K: [], targets: [] });
    expect(regionHops(s.regions)).toEqual({ rim_hops: 4, apb_hops: 2, apbRim_hops: 4, bulk_hops: 7 });
  });

  it('the dose schedule gives 5000 e/Å² below 275 °C and 2500 e/Å² from 275 °C', () => {
    expect(doseAt(s.imaging, 273.15 + 260)).toBe(5000);
    expect(doseAt(s.imaging, 273.15 + 275)).toBe(2500);
  });

  it('the other shipped scenarios load: drying (100 Pa, 300 °C, 12 h, hourly frames), charged state, tiny', () => {
    const d = loadScenario('drying-100Pa-300C-12h');
    expect(d.environment.pO2_Pa).toBe(100);
    expect(d.protocol.params.temperature_K).toBeCloseTo(573.15, 9);
    expect(d.protocol.params.duration_s).toBe(12 * 3600);
    expect(d.protocol.acquisitionTimes_s.length).toBeGreaterThanOrEqual(13);
    expect(loadScenario('charged-state').structure.lithium).toBeCloseTo(0.3, 12);
    expect(loadScenario('tiny').protocol.acquisitionTimes_s.length).toBe(4);
  });

  it('JSON files are accepted as well as YAML', () => {
    const json = JSON.stringify(parse(seedText));
    expect(parseScenario(json).protocol.duration_s).toBeCloseTo(s.protocol.duration_s, 9);
  });
});

describe('bad scenario files are InputErrors naming the field, the value and what is allowed', () => {
  it('a missing section names it', () => {
    const e = errorOf(edited('environment', undefined));
    expect(e.field).toBe('environment');
    expect(e.allowed).toMatch(/missing/);
  });

  it('a missing field names its path', () => {
    const e = errorOf(edited('protocol.hold', undefined));
    expect(e.field).toBe('protocol.hold');
  });

  it('a wrong unit names the field and the kind expected', () => {
    const e = errorOf(edited('protocol.hold', '5 eV'));
    expect(e.field).toBe('protocol.hold');
    expect(e.value).toBe('5 eV');
    expect(e.allowed).toMatch(/time/);
  });

  it('a bare number without a unit is refused with a hint', () => {
    const e = errorOf(edited('structure.thickness', 60));
    expect(e.field).toBe('structure.thickness');
    expect(e.hint).toMatch(/unit/);
  });

  it('an unknown key names it and lists the known keys', () => {
    const e = errorOf(edited('imaging.semiangel', '15 mrad'));
    expect(e.field).toBe('imaging.semiangel');
    expect(e.allowed).toMatch(/semiangle/);
    const top = errorOf(edited('colour', 'red'));
    expect(top.field).toBe('colour');
    expect(top.allowed).toMatch(/protocol/);
  });

  it('an out-of-range value names the field and the range with its unit', () => {
    const e = errorOf(edited('structure.pore.radius', '-3 Å'));
    expect(e.field).toBe('structure.pore.radius');
    expect(e.allowed).toMatch(/≥ 5 Å/);
    const t = errorOf(edited('protocol.end', '5000 degC'));
    expect(t.field).toBe('protocol.end');
    expect(t.allowed).toMatch(/≤ 1400 K/);
  });

  it('an end below the start is refused', () => {
    expect(errorOf(edited('protocol.end', '20 degC')).field).toBe('protocol.end');
  });

  it('a bad enum lists the choices; a bad protocol type names protocol.type', () => {
    const e = errorOf(edited('imaging.mode', 'holography'));
    expect(e.field).toBe('imaging.mode');
    expect(e.allowed).toMatch(/multislice/);
    const p = errorOf(edited('protocol.type', 'zigzag'));
    expect(p.field).toBe('protocol.type');
    expect(p.allowed).toMatch(/staircase/);
  });

  it('a composition that does not sum to 1 names structure.composition', () => {
    const e = errorOf(edited('structure.composition', { Ni: 0.8, Co: 0.1, Mn: 0.05 }));
    expect(e.field).toBe('structure.composition');
  });

  it('reducing gas needs both pH2O and pH2, and not pO2 as well', () => {
    const doc = parse(seedText) as { environment: Record<string, unknown> };
    doc.environment = { pH2O: '1e-6 Pa' };
    expect(errorOf(stringify(doc)).field).toBe('environment.pH2');
    doc.environment = { pH2O: '10 Pa', pH2: '100 Pa', pO2: '1 Pa' };
    expect(errorOf(stringify(doc)).field).toBe('environment.pO2');
    doc.environment = { pH2O: '10 Pa', pH2: '100 Pa' };
    expect(parseScenario(stringify(doc)).environment).toMatchObject({ pH2O_Pa: 10, pH2_Pa: 100 });
  });

  it('cycles is no field (it changed nothing physical): the error lists the known keys', () => {
    const e = errorOf(edited('structure.cycles', 100));
    expect(e.field).toBe('structure.cycles');
    expect(e.allowed).toMatch(/niOnLi/);
  });

  it('a malformed YAML file names the file, line and column', () => {
    const e = errorOf('name: x\nseed: [1, 2\nstructure: {');
    expect(e.field).toMatch(/^scenario:\d+:\d+$/);
    expect(e.allowed).toMatch(/YAML/);
  });

  it('a bad dose in the schedule names the list index', () => {
    const e = errorOf(edited('imaging.doseSchedule', [{ from: '275 degC', dose: '2500 Pa' }]));
    expect(e.field).toBe('imaging.doseSchedule[0].dose');
  });

  it('an unknown built-in scenario name is an InputError naming the argument', () => {
    expect(() => loadScenario('no-such-scenario')).toThrow(/scenario/);
  });
});
