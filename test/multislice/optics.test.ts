import { describe, expect, it } from 'vitest';
import { POTENTIAL_PREFACTOR_V_A2, interactionParameter_radPerVA, wavelength_A } from '../../src/multislice/index.js';
import { InputError } from '../../src/core/index.js';

describe('relativistic electron optics', () => {
  it('gives λ = 0.025079 Å at 200 kV within 1e-5 Å (Kirkland 2010, Table 2.2: 0.02508 Å)', () => {
    expect(Math.abs(wavelength_A(200e3) - 0.025079)).toBeLessThan(1e-5);
  });
  it('gives λ = 0.019687 Å at 300 kV within 1e-5 Å (Kirkland 2010, Table 2.2: 0.01969 Å)', () => {
    expect(Math.abs(wavelength_A(300e3) - 0.019687)).toBeLessThan(1e-5);
  });
  it('gives σ = 7.29e-4 rad/(V·Å) at 200 kV within 0.5 % (Kirkland 2010, Fig. 5.5 / MODEL.md §5)', () => {
    expect(Math.abs(interactionParameter_radPerVA(200e3) / 7.29e-4 - 1)).toBeLessThan(0.005);
  });
  it('gives σ = 6.53e-4 rad/(V·Å) at 300 kV within 0.5 % (Kirkland 2010, Fig. 5.5)', () => {
    expect(Math.abs(interactionParameter_radPerVA(300e3) / 6.526e-4 - 1)).toBeLessThan(0.005);
  });
  it('has h²/(2π m₀ e) = 2π a₀ e = 47.878 V·Å² (Kirkland 2010, eq. 5.20: a₀ = 0.5292 Å, e = 14.4 V·Å)', () => {
    expect(POTENTIAL_PREFACTOR_V_A2).toBeCloseTo(2 * Math.PI * 0.529177210903 * 14.39964548, 3);
  });
  it('rejects a non-positive energy naming the field', () => {
    expect(() => wavelength_A(0)).toThrow(InputError);
    expect(() => wavelength_A(-5)).toThrow(/energy/);
  });
});
