// Drying atmospheres → Δμ_O through the one thermo (src/kinetics/thermo.ts); runtime < 0.1 s.
import { inputErrorOf } from '../../input-error.js';
import { describe, expect, it } from 'vitest';
import { BOLTZMANN_EV_PER_K, KJ_PER_MOL_IN_EV } from '../../../src/core/index.js';
import { deltaMuO_eV, effectiveDeltaMuO_eV, waterVapourPressure_Pa } from '../../../src/kinetics/thermo.js';
import { AIR_O2_FRACTION, atmosphereDeltaMuO_eV, equivalentPO2_Pa, niNiOCrossed, resolveAtmosphere } from '../../../src/twin/dry/atmosphere.js';

const inputError = inputErrorOf;

describe('water vapour pressure at a dew (frost) point (Murphy & Koop, QJRMS 131, 1539 (2005))', () => {
  it('gives 611.657 Pa at the triple point from both branches, 3169.9 Pa at 25 °C (IAPWS-95: 3169.93 Pa) and 12.84 Pa at a −40 °C frost point (M&K eq. 7), within 0.1 %', () => {
    expect(waterVapourPressure_Pa(273.16)).toBeCloseTo(611.657, 1);
    expect(Math.abs(waterVapourPressure_Pa(273.16 - 1e-9) / waterVapourPressure_Pa(273.16) - 1)).toBeLessThan(1e-3);
    expect(Math.abs(waterVapourPressure_Pa(298.15) / 3169.93 - 1)).toBeLessThan(1e-3);
    expect(Math.abs(waterVapourPressure_Pa(233.15) / 12.84 - 1)).toBeLessThan(1e-3);
  });
});

describe('atmospheres', () => {
  it('a 100 Pa air vacuum oven is pO2 = 20.95 Pa; the column at 1.2e-5 Pa gives MODEL.md §3 check values; the fitted offset adds on', () => {
    const oven = resolveAtmosphere({ name: 'oven', gas: 'air', pressure_Pa: 100 }, 'a');
    expect(oven.pO2_Pa).toBeCloseTo(100 * AIR_O2_FRACTION, 12);
    expect(oven.offset).toEqual({ kind: 'fixed', offset_eV: 0, source: 'default' });
    expect(atmosphereDeltaMuO_eV(oven, 573.15, -1.05)).toBeCloseTo(deltaMuO_eV(573.15, 20.95), 12);
    const column = resolveAtmosphere({ name: 'column', pO2_Pa: 1.2e-5, muOOffset: 'fitted' }, 'a');
    // MODEL.md §3: −0.878 eV at 175 °C and −1.144 eV at 300 °C at 1.2e-5 Pa (2 meV).
    expect(Math.abs(atmosphereDeltaMuO_eV(column, 448.15, 0) + 0.878)).toBeLessThan(2e-3);
    expect(Math.abs(atmosphereDeltaMuO_eV(column, 573.15, -1.05) - (-1.144 - 1.05))).toBeLessThan(2e-3);
    const glovebox = resolveAtmosphere({ name: 'gb', gas: 'Ar', pressure_Pa: 101325, oxygenFraction: 1e-6 }, 'a');
    expect(glovebox.pO2_Pa).toBeCloseTo(0.101325, 12);
  });

  it('5 % H2 in Ar at 1 atm with a −40 °C dew point: pH2 = 5066 Pa, pH2O = 12.84 Pa; Ni/NiO crossed exactly below pH2O/pH2 = exp(−ΔG°/kT) of NiO + H2 → Ni + H2O (≈ 636 at 300 °C)', () => {
    const h2 = resolveAtmosphere({ name: 'h2', pressure_Pa: 101325, hydrogenFraction: 0.05, dewPoint_K: 233.15 }, 'a');
    expect(h2.mode).toBe('reducing');
    expect(h2.pH2_Pa).toBeCloseTo(5066.25, 6);
    expect(Math.abs(h2.pH2O_Pa! / 12.84 - 1)).toBeLessThan(1e-3);
    const T = 573.15;
    expect(niNiOCrossed(h2, T, 0)).toBe(true);
    // Independent: ΔG°(T) = ΔfG°(H2O) − ΔfG°(NiO) = (−2.1 − 0.05·T) kJ/mol (MODEL.md §3 fits).
    const K = Math.exp(-((-2.1 - 0.05 * T) * KJ_PER_MOL_IN_EV) / (BOLTZMANN_EV_PER_K * T));
    expect(K).toBeGreaterThan(600);
    expect(K).toBeLessThan(680);
    const at = (ratio: number) => resolveAtmosphere({ name: 'r', pH2_Pa: 1000, pH2O_Pa: 1000 * ratio }, 'a');
    expect(niNiOCrossed(at(K * 0.99), T, 0)).toBe(true);
    expect(niNiOCrossed(at(K * 1.01), T, 0)).toBe(false);
    // Its equivalent O2 pressure is far below any vacuum: ~1e-31 Pa at 300 °C.
    expect(Math.log10(equivalentPO2_Pa(h2, T))).toBeLessThan(-25);
    expect(atmosphereDeltaMuO_eV(h2, T, -1.05)).toBeCloseTo(effectiveDeltaMuO_eV(T, { pH2O_Pa: h2.pH2O_Pa!, pH2_Pa: h2.pH2_Pa!, offset_eV: 0 }), 12);
  });

  it('orders the atmospheres by reducing strength: Δμ_O falls as pO2 falls and as pH2/pH2O rises', () => {
    const T = 513.15;
    const mu = (f: Parameters<typeof resolveAtmosphere>[0]) => atmosphereDeltaMuO_eV(resolveAtmosphere(f, 'a'), T, 0);
    expect(mu({ name: 'a', pO2_Pa: 1e3 })).toBeGreaterThan(mu({ name: 'b', pO2_Pa: 1 }));
    expect(mu({ name: 'b', pO2_Pa: 1 })).toBeGreaterThan(mu({ name: 'c', pO2_Pa: 1e-5 }));
    expect(mu({ name: 'd', pH2_Pa: 100, pH2O_Pa: 10 })).toBeGreaterThan(mu({ name: 'e', pH2_Pa: 1000, pH2O_Pa: 10 }));
  });

  it('refuses a pressure of 0, pO2 with pH2O/pH2, a reducing gas without a stated water pressure, and a gas without an O2 fraction, naming the field', () => {
    expect(inputError(() => resolveAtmosphere({ name: 'v', pressure_Pa: 0, oxygenFraction: 0.2 }, 'drying.atmospheres[1]')).field).toBe('drying.atmospheres[1].pressure');
    expect(inputError(() => resolveAtmosphere({ name: 'v', pO2_Pa: 0 }, 'x')).field).toBe('x.pO2');
    const both = inputError(() => resolveAtmosphere({ name: 'v', pO2_Pa: 1, pH2_Pa: 10, pH2O_Pa: 1 }, 'x'));
    expect(both.field).toBe('x.pO2');
    expect(both.allowed).toMatch(/not both/);
    const dry = inputError(() => resolveAtmosphere({ name: 'v', pressure_Pa: 1e5, hydrogenFraction: 0.05 }, 'x'));
    expect(dry.field).toBe('x.pH2O');
    expect(dry.allowed).toMatch(/dew/);
    expect(inputError(() => resolveAtmosphere({ name: 'v', gas: 'Ar', pressure_Pa: 1e5 }, 'x')).field).toBe('x.oxygenFraction');
  });
});
