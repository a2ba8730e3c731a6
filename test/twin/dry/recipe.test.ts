// Drying recipes: units once, the shipped recipe, and bad input with named fields; runtime < 1 s.
import { inputErrorOf } from '../../input-error.js';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/index.js';
import { dryProgramme } from '../../../src/twin/dry/programme.js';
import { DRY_VALIDATED_RANGE_K, dryRecipeFromObject, loadDryRecipe, readDryRecipe } from '../../../src/twin/dry/recipe.js';

const base = () => readDryRecipe('dry-ncm851005').raw;

/** The shipped recipe with one edit under drying (path → value). */
function edited(path: string, value: unknown): Record<string, unknown> {
  const raw = structuredClone(base());
  const keys = path.split('.');
  let o = raw as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  o[keys[keys.length - 1]!] = value;
  return raw;
}

const errorOf = (raw: Record<string, unknown>): InputError => inputErrorOf(() => dryRecipeFromObject(raw));

describe('the shipped recipe scenarios/dry-ncm851005.yaml', () => {
  const r = loadDryRecipe();

  it('is the default and holds the README grid: 120/180/240/300 °C, up to 12 h, four atmospheres with stated offsets', () => {
    expect(r.name).toBe('dry-ncm851005');
    expect(r.temperatures_K).toEqual([393.15, 453.15, 513.15, 573.15]);
    expect(r.times_s.at(-1)).toBe(12 * 3600);
    expect(r.atmospheres.map((a) => a.name)).toEqual(['microscope-column', 'vacuum-oven-100Pa-air', 'Ar-glovebox-1ppm-O2', '5pct-H2-in-Ar']);
    expect(r.atmospheres[0]!.offset.kind).toBe('fitted');
    for (const a of r.atmospheres.slice(1)) expect(a.offset).toEqual({ kind: 'fixed', offset_eV: 0, source: 'recipe' });
    expect(r.atmospheres[1]!.pO2_Pa).toBeCloseTo(20.95, 10);
    expect(r.atmospheres[2]!.pO2_Pa).toBeCloseTo(0.101325, 10);
    expect(r.atmospheres[3]!.mode).toBe('reducing');
    expect(r.threshold).toEqual({ quantity: 'rimRockSaltDepth_A', value: 5 });
    expect(r.draws).toBe(32);
  });

  it('builds each row\'s programme on TemperatureProgram: ramp at 5 K/min, hold, cool; frames at the hold times', () => {
    const p = dryProgramme(r.programme, 573.15, r.times_s);
    expect(p.holdStart_s).toBeCloseTo((573.15 - 298.15) / (5 / 60), 6);
    expect(p.frames_s[0]).toBe(0);
    p.holdFrames.forEach((k, i) => {
      expect(p.frames_s[k]).toBeCloseTo(p.holdStart_s + r.times_s[i]!, 6);
      expect(p.program.temperature_K(p.frames_s[k]!)).toBeCloseTo(573.15, 9);
    });
    expect(p.program.temperature_K(p.frames_s[p.cooledFrame]!)).toBeCloseTo(298.15, 9);
    expect(p.program.duration_s).toBeCloseTo(2 * p.holdStart_s + 12 * 3600, 6);
  });
});

describe('bad recipes: a named-field InputError', () => {
  it('a temperature above the model\'s validated range, said as such', () => {
    const e = errorOf(edited('drying.temperatures', ['120 degC', '650 degC']));
    expect(e.field).toBe('drying.temperatures[1]');
    expect(e.allowed).toMatch(/validated range 0–500 °C/);
    expect(e.message).toMatch(/above the model's validated range/);
    expect(DRY_VALIDATED_RANGE_K[1]).toBeCloseTo(773.15, 9);
    expect(errorOf(edited('drying.programme', { preHolds: [{ temperature: '520 degC', duration: '1 h' }] })).field).toBe('drying.programme.preHolds[0].temperature');
  });

  it('a time grid or a temperature grid that does not increase', () => {
    const e = errorOf(edited('drying.times', ['1 h', '2 h', '2 h']));
    expect(e.field).toBe('drying.times[2]');
    expect(e.allowed).toMatch(/must increase/);
    expect(errorOf(edited('drying.temperatures', ['180 degC', '120 degC'])).field).toBe('drying.temperatures[1]');
  });

  it('a pressure of 0, and both pO2 and pH2O/pH2', () => {
    const raw = base();
    const atm = (a: Record<string, unknown>) => edited('drying.atmospheres', [...((raw.drying as { atmospheres: unknown[] }).atmospheres.slice(0, 1)), a]);
    const zero = errorOf(atm({ name: 'oven', gas: 'air', pressure: '0 Pa' }));
    expect(zero.field).toBe('drying.atmospheres[1].pressure');
    expect(zero.allowed).toMatch(/> 0/);
    const both = errorOf(atm({ name: 'mixed', pO2: '1 Pa', pH2O: '10 Pa', pH2: '5000 Pa' }));
    expect(both.field).toBe('drying.atmospheres[1].pO2');
    expect(both.allowed).toMatch(/either pO2 or pH2O\/pH2/);
  });

  it('unknown keys, a missing unit, a duplicate atmosphere name', () => {
    expect(errorOf(edited('drying.tempratures', ['120 degC'])).field).toBe('drying.tempratures');
    expect(errorOf(edited('drying.damage', { threshold: { quantity: 'surfaceRockSaltDepth_A', value: '5 Å' } })).field).toBe('drying.damage.threshold.quantity'); // periodic lamella: no free faces
    expect(errorOf(edited('drying.times', [1, 2])).field).toBe('drying.times[0]');
    const raw = base();
    const a0 = (raw.drying as { atmospheres: unknown[] }).atmospheres[0];
    expect(errorOf(edited('drying.atmospheres', [a0, a0])).field).toBe('drying.atmospheres[1].name');
  });
});
