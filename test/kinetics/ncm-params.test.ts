import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/index.js';
import { DEFAULT_NCM_PARAMS, parseNcmOverrides } from '../../src/kinetics/ncm/params.js';

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
    const p = parseNcmOverrides({ o2Release: '1.5 eV', nu_Hz: '1e12 Hz', tmMigrationBulk_barrier_eV: '2200 meV', muO_offset: '-0.5 eV' });
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
});
