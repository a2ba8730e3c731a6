import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/index.js';
import { BARRIER_NAMES, DEFAULT_NCM_PARAMS, PARAMETER_TABLE, parameterSpace, parseNcmOverrides } from '../../src/kinetics/ncm/params.js';
import { EVENT_NAMES, EventKind } from '../../src/kinetics/ncm/events.js';

describe('NCM parameters', () => {
  it('defaults are the MODEL.md §4 table values', () => {
    const p = DEFAULT_NCM_PARAMS;
    // MODEL.md §4 table (E_KRA / Ea at microscope conditions).
    expect(p.nu_Hz).toBe(1e13);
    expect(p.o2Release_barrier_eV).toBe(1.45);
    expect(p.vOMigrationBulk_barrier_eV).toBe(1.2);
    expect(p.vOMigrationSurface_barrier_eV).toBe(0.8);
    expect(p.tmMigrationNearVO_barrier_eV).toBe(1.45);
    expect(p.tmMigrationBulk_barrier_eV).toBe(2.2);
    expect(p.tmMigrationCoMn_barrier_eV).toBe(1.95);
    expect(p.surfaceDiffusion_barrier_eV).toBe(1.62);
    expect(p.apbMigration_barrier_eV).toBe(1.8);
    expect(p.rockSaltCoarsening_barrier_eV).toBe(2.15);
    expect(p.ni0Formation_barrier_eV).toBe(2.55);
    expect(p.bulkVOFormation_eV).toBe(2.0);
    expect(p.exchangeBulk_eV).toBe(0.6);
    expect([p.liHopDivacancy_barrier_eV, p.liHopSingle_barrier_eV]).toEqual([0.3, 0.7]);
    // μ_O offset inside the MODEL.md prior (0 to −1.5 eV).
    expect(p.muO_offset_eV).toBeLessThanOrEqual(0);
    expect(p.muO_offset_eV).toBeGreaterThanOrEqual(-1.5);
  });

  it('overrides take unit strings, by parameter name or event name, without touching the defaults', () => {
    const p = parseNcmOverrides({ o2Release: '1.5 eV', nu_Hz: '1e12 Hz', tmMigrationBulk_barrier_eV: '2200 meV', muOOffset: '-0.5 eV' });
    expect(p.o2Release_barrier_eV).toBeCloseTo(1.5, 12);
    expect(p.nu_Hz).toBeCloseTo(1e12, 0);
    expect(p.tmMigrationBulk_barrier_eV).toBeCloseTo(2.2, 12);
    expect(p.muO_offset_eV).toBeCloseTo(-0.5, 12);
    expect(DEFAULT_NCM_PARAMS.o2Release_barrier_eV).toBe(1.45);
  });

  it('an unknown event name is an InputError naming the field', () => {
    expect(() => parseNcmOverrides({ o2Relase: '1.5 eV' })).toThrow(InputError);
    expect(() => parseNcmOverrides({ o2Relase: '1.5 eV' })).toThrow(/kinetics\.params\.o2Relase/);
  });

  it('a negative barrier, ν ≤ 0 and a value without unit are InputErrors naming the field', () => {
    expect(() => parseNcmOverrides({ apbMigration: '-1 eV' })).toThrow(/kinetics\.params\.apbMigration.*≥ 0/);
    expect(() => parseNcmOverrides({ nu_Hz: '0 Hz' })).toThrow(/kinetics\.params\.nu_Hz.*> 0/);
    expect(() => parseNcmOverrides({ nu: '-1e13 Hz' })).toThrow(/kinetics\.params\.nu/);
    expect(() => parseNcmOverrides({ o2Release: '1.5' })).toThrow(/kinetics\.params\.o2Release/);
    expect(() => parseNcmOverrides({ o2Release: '1.5 K' })).toThrow(InputError);
  });

  it('the μ_O offset may be negative, other energies may not', () => {
    expect(parseNcmOverrides({ muO_offset_eV: '-1.2 eV' }).muO_offset_eV).toBeCloseTo(-1.2, 12);
    expect(() => parseNcmOverrides({ bondLi_eV: '-0.1 eV' })).toThrow(InputError);
  });

  it('the table has one row per parameter with a unique name, the defaults are the table\'s, and each prior brackets its default', () => {
    const keys = Object.keys(DEFAULT_NCM_PARAMS).sort();
    expect(PARAMETER_TABLE.map((r) => r.key).sort()).toEqual(keys);
    expect(new Set(PARAMETER_TABLE.map((r) => r.name)).size).toBe(PARAMETER_TABLE.length);
    for (const r of PARAMETER_TABLE) {
      expect(DEFAULT_NCM_PARAMS[r.key]).toBe(r.default);
      expect(r.source.length).toBeGreaterThan(10);
      expect(r.unit).toBe(r.key.endsWith('_Hz') ? '1/s' : 'eV');
      if (r.prior) expect(r.default >= r.prior[0] && r.default <= r.prior[1], r.name).toBe(true);
    }
  });

  it('the fitting space is the rows with a prior (MODEL.md §3–4): ν on a log scale 1e12–1e14, the μ_O offset −1.5…0 eV, the barriers linear', () => {
    const space = parameterSpace();
    const by = new Map(space.map((d) => [d.name, d]));
    expect(by.get('nu')).toMatchObject({ low: 1e12, high: 1e14, scale: 'log', default: 1e13 });
    expect(by.get('muOOffset')).toMatchObject({ low: -1.5, high: 0, scale: 'linear', default: -1.05 });
    expect(by.get('o2Release')).toMatchObject({ low: 1.2, high: 1.8, unit: 'eV' });
    for (const n of ['tmMigrationNearVO', 'surfaceDiffusion', 'apbMigration', 'tmMigrationCoMn', 'rockSaltCoarsening', 'ni0Formation', 'vOMigrationBulk', 'bulkVOFormation', 'tmMigrationBulk']) expect(by.has(n), n).toBe(true);
    expect(by.has('bondLi')).toBe(false);
    expect(parameterSpace(['o2Release', 'nu']).map((d) => d.name)).toEqual(['o2Release', 'nu']);
    expect(() => parameterSpace(['o2Relase'])).toThrow(/parameters\[0\].*o2Relase/);
    expect(() => parameterSpace(['bondLi'])).toThrow(/with a prior/);
  });

  it('every barrier row names the event kind it sets, and every event kind of the catalogue has a barrier row', () => {
    const kinds = new Set(Object.values(EventKind) as number[]);
    for (const r of PARAMETER_TABLE) if (r.event !== undefined) expect(kinds.has(r.event), r.name).toBe(true);
    for (const r of PARAMETER_TABLE.filter((q) => q.group === 'barrier')) expect(r.event, r.name).toBeDefined();
    // O2 adsorption is the reverse of release (same barrier, detailed balance); surface O diffusion is reserved (not in the catalogue).
    const without = new Set<number>([EventKind.NONE, EventKind.O2_ADSORPTION, EventKind.SURFACE_O_DIFFUSION]);
    for (const [name, id] of Object.entries(EventKind)) if (!without.has(id)) expect(PARAMETER_TABLE.some((r) => r.group === 'barrier' && r.event === id), `${name} (${EVENT_NAMES[id]})`).toBe(true);
    expect(BARRIER_NAMES).toEqual(PARAMETER_TABLE.filter((r) => r.group === 'barrier').map((r) => r.name));
  });

  it('numbers are taken in the row\'s unit (eV, 1/s) and names or fields both work', () => {
    const p = parseNcmOverrides({ o2Release: 1.52, nu: 2e12, muO_offset_eV: -0.4 });
    expect([p.o2Release_barrier_eV, p.nu_Hz, p.muO_offset_eV]).toEqual([1.52, 2e12, -0.4]);
    expect(() => parseNcmOverrides({ o2Release: NaN })).toThrow(/kinetics\.params\.o2Release/);
  });
});
