import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/index.js';
import {
  deltaMuO_eV,
  deltaMuOReducing_eV,
  deltaMuOStandard_eV,
  effectiveDeltaMuO_eV,
  nickelMetalStable,
  niNiOLine_eV,
  pO2ForDeltaMuO_Pa,
} from '../../src/kinetics/index.js';

// Reference values: MODEL.md §3 (Reuter & Scheffler PRB 65 035406, JANAF O2 fit), tolerance 2 meV.
describe('Δμ_O(T, p) (Reuter & Scheffler reference, JANAF fit)', () => {
  it.each([
    [300, 1e5, -0.274],
    [500, 1e5, -0.495],
    [800, 1e5, -0.851],
    [448.15, 1.2e-5, -0.878],
    [573.15, 1.2e-5, -1.144],
    [773.15, 1.2e-5, -1.579],
  ])('at %f K and %g Pa equals %f eV within 2 meV', (T, p, ref) => {
    expect(Math.abs(deltaMuO_eV(T, p) - ref)).toBeLessThan(2e-3);
  });

  it('agrees with the tabulated JANAF O2 values (calc/janaf_mu.py) within the stated ±0.3 meV fit error, 300–1000 K', () => {
    // (H(T) − H(0) − T·S(T)) / 2 per O, from JANAF O-029: 8.683 kJ/mol = H(298.15) − H(0).
    const kJ = 0.01036427;
    const rows: [number, number, number][] = [[300, 205.329, 0.054], [500, 220.693, 6.084], [700, 231.466, 12.499], [1000, 243.578, 22.703]];
    for (const [T, S, dH] of rows) {
      const janaf = ((dH + 8.683) * kJ - (T * S * kJ) / 1000) / 2;
      expect(Math.abs(deltaMuOStandard_eV(T) - janaf)).toBeLessThan(1e-3);
    }
  });

  it('rises by ½ kT ln 10 per decade of pressure and inverts exactly to the pressure', () => {
    const T = 600;
    const step = deltaMuO_eV(T, 10) - deltaMuO_eV(T, 1);
    expect(step).toBeCloseTo(0.5 * 8.617333262e-5 * T * Math.log(10), 10);
    expect(pO2ForDeltaMuO_Pa(T, deltaMuO_eV(T, 3.3e-7)) / 3.3e-7).toBeCloseTo(1, 10);
  });

  it('puts the Ni/NiO line at p_O2 ≈ 1e-22 bar at 500 °C (MODEL.md §3; Ellingham: 2Ni + O2 → 2NiO, ΔG° = −333 kJ/mol at 773 K)', () => {
    const T = 773.15;
    const p_bar = pO2ForDeltaMuO_Pa(T, niNiOLine_eV(T)) / 1e5;
    expect(Math.log10(p_bar)).toBeGreaterThan(-23.5);
    expect(Math.log10(p_bar)).toBeLessThan(-21.5);
    // the microscope vacuum alone cannot reduce NiO; an offset of −1.5 eV can.
    expect(nickelMetalStable(T, deltaMuO_eV(T, 1.2e-5))).toBe(false);
    expect(nickelMetalStable(T, effectiveDeltaMuO_eV(T, { pO2_Pa: 1.2e-5, offset_eV: -1.5 }))).toBe(true);
  });

  it('puts the Ni/NiO line at log10 p_O2 = −16.35 ± 0.7 at 700 °C (equilibrium constant of 2Ni + O2 = 2NiO, log K = 16.35: J. Spectroscopy 2014, 949168, Table 3)', () => {
    const T = 973.15;
    const p_atm = pO2ForDeltaMuO_Pa(T, niNiOLine_eV(T)) / 101325;
    expect(Math.abs(Math.log10(p_atm) + 16.35)).toBeLessThan(0.7);
  });

  it('in reducing-gas mode equals Δμ_O at the O2 pressure of the H2 + ½O2 ⇌ H2O equilibrium (K = exp(−ΔfG°/kT))', () => {
    const T = 700;
    const kT = 8.617333262e-5 * T;
    const dG = (-241.8 + 0.0445 * T) * 1.036427e-2; // eV per H2O
    for (const ratio of [1e-3, 1, 100]) {
      // ½ kT ln(p_O2/p0) = ΔfG° + kT ln(p_H2O/p_H2)
      const pO2_Pa = 1e5 * Math.exp((2 * (dG + kT * Math.log(ratio))) / kT);
      expect(deltaMuOReducing_eV(T, ratio)).toBeCloseTo(deltaMuO_eV(T, pO2_Pa), 4);
    }
    // H2/H2O = 1 at 500 °C reduces NiO (textbook: hydrogen reduces NiO above ~200 °C).
    expect(nickelMetalStable(773.15, deltaMuOReducing_eV(773.15, 1))).toBe(true);
    // The environment form (partial pressures, only their ratio enters) is the same line.
    for (const T of [450, 573.15, 900]) expect(effectiveDeltaMuO_eV(T, { pH2O_Pa: 50, pH2_Pa: 5, offset_eV: -0.2 })).toBeCloseTo(deltaMuOReducing_eV(T, 10) - 0.2, 12);
  });

  it('rejects a pressure ≤ 0, a non-finite offset and a temperature ≤ 0 with an InputError naming the field', () => {
    expect(() => deltaMuO_eV(300, 0)).toThrow(/pO2_Pa/);
    expect(() => deltaMuO_eV(300, -1)).toThrow(InputError);
    expect(() => effectiveDeltaMuO_eV(300, { pO2_Pa: -5 })).toThrow(/oxygen\.pO2_Pa/);
    expect(() => effectiveDeltaMuO_eV(300, { pO2_Pa: 1, offset_eV: NaN })).toThrow(/oxygen\.offset_eV/);
    expect(() => effectiveDeltaMuO_eV(300, { pH2O_Pa: 0, pH2_Pa: 1 })).toThrow(/oxygen\.pH2O_Pa/);
    expect(() => effectiveDeltaMuO_eV(300, { pH2O_Pa: 1 })).toThrow(/oxygen\.pH2_Pa/);
    expect(() => effectiveDeltaMuO_eV(300, { pO2_Pa: 1, pH2O_Pa: 1, pH2_Pa: 1 })).toThrow(/oxygen\.pO2_Pa.*not both/);
    expect(() => deltaMuOStandard_eV(0)).toThrow(/temperature_K/);
  });
});
