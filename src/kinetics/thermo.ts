/**
 * Oxygen chemical potential and the gates it sets (MODEL.md §3).
 *
 * Reference: per O atom, relative to ½ E(O2) (Reuter & Scheffler, PRB 65, 035406 (2002)):
 *   Δμ_O(T, p) = Δμ_O(T, p0) + ½ k_B T ln(p_O2 / p0),  p0 = 1 bar,
 *   Δμ_O(T, p0) [eV] = −4.00477e-3 + 2.87695e-5·T − 1.627297e-4·T·ln T
 * (fit to JANAF O2, 200–1000 K, ±0.3 meV; /work/shared/design/calc/janaf_mu.py).
 *
 * Standard Gibbs energies of formation ΔfG°(T) are relative to O2 in its standard state *at T*,
 * so in this reference a coexistence or gas-buffer condition reads
 *   Δμ_O = Δμ_O(T, p0) + ΔfG°(T)/N_A (+ the buffer's kT ln term),
 * which reproduces the Ellingham-diagram oxygen pressures (Ni/NiO at 500 °C: p_O2 ≈ 3e-23 bar).
 */
import { BOLTZMANN_EV_PER_K, InputError, KJ_PER_MOL_IN_EV, STANDARD_PRESSURE_PA, checkFinite } from '../core/index.js';

/** Δμ_O(T, p0 = 1 bar), eV per O atom (JANAF fit, valid 200–1000 K; T > 0). */
export function deltaMuOStandard_eV(temperature_K: number): number {
  checkFinite(temperature_K, 'temperature_K', { min: 0, exclusiveMin: true, unit: 'K' });
  const T = temperature_K;
  return -4.00477e-3 + 2.87695e-5 * T - 1.627297e-4 * T * Math.log(T);
}

/** Δμ_O(T, p_O2), eV per O atom, relative to ½ E(O2). `pO2_Pa` > 0. */
export function deltaMuO_eV(temperature_K: number, pO2_Pa: number): number {
  checkFinite(pO2_Pa, 'pO2_Pa', { min: 0, exclusiveMin: true, unit: 'Pa' });
  const mu0 = deltaMuOStandard_eV(temperature_K);
  return mu0 + 0.5 * BOLTZMANN_EV_PER_K * temperature_K * Math.log(pO2_Pa / STANDARD_PRESSURE_PA);
}

/** Inverse of `deltaMuO_eV` at fixed T: the O2 partial pressure (Pa) giving `deltaMuO_eV`. */
export function pO2ForDeltaMuO_Pa(temperature_K: number, deltaMuO: number): number {
  checkFinite(deltaMuO, 'deltaMuO_eV', { unit: 'eV' });
  const mu0 = deltaMuOStandard_eV(temperature_K);
  return STANDARD_PRESSURE_PA * Math.exp((2 * (deltaMuO - mu0)) / (BOLTZMANN_EV_PER_K * temperature_K));
}

/** ΔfG°(H2O, g), eV per molecule ≈ (−241.8 + 0.0445·T) kJ/mol (MODEL.md §3; JANAF, ±1 kJ/mol 300–1000 K). */
export function formationGibbsH2O_eV(temperature_K: number): number {
  checkFinite(temperature_K, 'temperature_K', { min: 0, exclusiveMin: true, unit: 'K' });
  return (-241.8 + 0.0445 * temperature_K) * KJ_PER_MOL_IN_EV;
}

/** ΔfG°(NiO), eV per formula unit (= per O) ≈ (−239.7 + 0.0945·T) kJ/mol (MODEL.md §3). */
export function formationGibbsNiO_eV(temperature_K: number): number {
  checkFinite(temperature_K, 'temperature_K', { min: 0, exclusiveMin: true, unit: 'K' });
  return (-239.7 + 0.0945 * temperature_K) * KJ_PER_MOL_IN_EV;
}

/**
 * Reducing-gas mode: Δμ_O set by the H2 + ½O2 ⇌ H2O equilibrium,
 * Δμ_O = Δμ_O(T, p0) + ΔfG°(H2O, T) + k_B T ln(p_H2O / p_H2), eV per O. `ratio` = p_H2O/p_H2 > 0.
 */
export function deltaMuOReducing_eV(temperature_K: number, pH2OOverPH2: number): number {
  checkFinite(pH2OOverPH2, 'pH2OOverPH2', { min: 0, exclusiveMin: true });
  const kT = BOLTZMANN_EV_PER_K * temperature_K;
  return deltaMuOStandard_eV(temperature_K) + formationGibbsH2O_eV(temperature_K) + kT * Math.log(pH2OOverPH2);
}

/**
 * The Ni/NiO line: Δμ_O (eV per O, same reference as `deltaMuO_eV`) at which Ni and NiO coexist,
 * Δμ_O(T, p0) + ΔfG°(NiO, T). Below it Ni⁰ is stable (the Ni²⁺ → Ni⁰ + Li2O event is allowed).
 */
export function niNiOLine_eV(temperature_K: number): number {
  return deltaMuOStandard_eV(temperature_K) + formationGibbsNiO_eV(temperature_K);
}

/** True where Ni metal is stable: Δμ_O,eff below the Ni/NiO line. */
export function nickelMetalStable(temperature_K: number, deltaMuOEff_eV: number): boolean {
  return deltaMuOEff_eV < niNiOLine_eV(temperature_K);
}

/**
 * The gas that sets μ_O, plus the fitted offset. Exactly one mode:
 * - an O2 partial pressure `pO2_Pa` (> 0): vacuum (the column: 1.2e-5 Pa), air (0.21 × p_total),
 *   argon or nitrogen with x ppm O2 (x·1e-6 × p_total), pure O2;
 * - a reducing H2O/H2 buffer `pH2O_Pa` + `pH2_Pa` (both > 0): forming gas, a drying oven under H2,
 *   wet hydrogen (only the ratio enters: Δμ_O = Δμ_O(T, p0) + ΔfG°(H2O, T) + kT ln(pH2O/pH2)).
 */
export interface OxygenEnvironment {
  /** O2 partial pressure, Pa (> 0). */
  readonly pO2_Pa?: number;
  /** Reducing-gas mode: H2O partial pressure, Pa (> 0, with pH2_Pa). */
  readonly pH2O_Pa?: number;
  /** Reducing-gas mode: H2 partial pressure, Pa (> 0, with pH2O_Pa). */
  readonly pH2_Pa?: number;
  /** Effective-μ_O offset, eV (default 0; prior 0 to −1.5 eV: residual gas, carbon, beam). */
  readonly offset_eV?: number;
}

/**
 * Check that `env` names exactly one gas mode with positive pressures; InputError naming `field.pO2_Pa`,
 * `field.pH2O_Pa` or `field.pH2_Pa` otherwise. Returns env.
 */
export function checkOxygenEnvironment(env: OxygenEnvironment, field = 'oxygen'): OxygenEnvironment {
  const gas = env.pH2O_Pa !== undefined || env.pH2_Pa !== undefined;
  if (gas && env.pO2_Pa !== undefined) throw new InputError(`${field}.pO2_Pa`, env.pO2_Pa, 'either pO2 or the reducing-gas pair pH2O/pH2, not both');
  if (gas) {
    if (env.pH2O_Pa === undefined) throw new InputError(`${field}.pH2O_Pa`, undefined, 'a pressure > 0 Pa given together with pH2_Pa');
    if (env.pH2_Pa === undefined) throw new InputError(`${field}.pH2_Pa`, undefined, 'a pressure > 0 Pa given together with pH2O_Pa');
    checkFinite(env.pH2O_Pa, `${field}.pH2O_Pa`, { min: 0, exclusiveMin: true, unit: 'Pa' });
    checkFinite(env.pH2_Pa, `${field}.pH2_Pa`, { min: 0, exclusiveMin: true, unit: 'Pa' });
  } else {
    if (env.pO2_Pa === undefined) throw new InputError(`${field}.pO2_Pa`, undefined, 'an O2 pressure > 0 Pa, or the reducing-gas pair pH2O/pH2');
    checkFinite(env.pO2_Pa, `${field}.pO2_Pa`, { min: 0, exclusiveMin: true, unit: 'Pa' });
  }
  checkFinite(env.offset_eV ?? 0, `${field}.offset_eV`, { unit: 'eV' });
  return env;
}

/**
 * The gas term of Δμ_O,eff as a line in T: Δμ_O,eff(T) = Δμ_O(T, p0) + a_eV + b_eVPerK·T (offset
 * included in a_eV). O2: a = offset, b = ½ k ln(pO2/p0). H2O/H2: a = offset − 241.8 kJ/mol,
 * b = 0.0445 kJ/(mol·K) + k ln(pH2O/pH2) (MODEL.md §3). Exact, so linearisations and the Ni/NiO gate
 * stay exact in both modes.
 */
export function oxygenBuffer(env: OxygenEnvironment, field = 'oxygen'): { a_eV: number; b_eVPerK: number } {
  checkOxygenEnvironment(env, field);
  const offset = env.offset_eV ?? 0;
  if (env.pO2_Pa !== undefined) return { a_eV: offset, b_eVPerK: 0.5 * BOLTZMANN_EV_PER_K * Math.log(env.pO2_Pa / STANDARD_PRESSURE_PA) };
  return { a_eV: offset - 241.8 * KJ_PER_MOL_IN_EV, b_eVPerK: 0.0445 * KJ_PER_MOL_IN_EV + BOLTZMANN_EV_PER_K * Math.log(env.pH2O_Pa! / env.pH2_Pa!) };
}

/**
 * Δμ_O,eff(T) = Δμ_O(gas) + offset, eV per O. Field names in errors are prefixed by `field`.
 * @example effectiveDeltaMuO_eV(448.15, { pO2_Pa: 1.2e-5 }) // ≈ −0.878
 */
export function effectiveDeltaMuO_eV(temperature_K: number, env: OxygenEnvironment, field = 'oxygen'): number {
  const { a_eV, b_eVPerK } = oxygenBuffer(env, field);
  return deltaMuOStandard_eV(temperature_K) + a_eV + b_eVPerK * temperature_K;
}

/**
 * Saturation vapour pressure of water, Pa, at a dew (frost) point `dewPoint_K`: over ice below
 * 273.16 K (a frost point, as gas suppliers and glovebox hygrometers quote sub-zero "dew points"),
 * over liquid water above. Murphy & Koop, Q. J. R. Meteorol. Soc. 131, 1539 (2005), eq. 7 (ice,
 * T > 110 K) and eq. 10 (liquid, 123–332 K); both give 611.66 Pa at the triple point.
 * This is how a reducing gas's p_H2O is set from its dew point (e.g. 5 % H2 in Ar at −40 °C: 12.8 Pa).
 * @example waterVapourPressure_Pa(233.15) // ≈ 12.84 (frost point −40 °C)
 */
export function waterVapourPressure_Pa(dewPoint_K: number): number {
  checkFinite(dewPoint_K, 'dewPoint_K', { min: 110, max: 332, unit: 'K' });
  const T = dewPoint_K;
  if (T < 273.16) return Math.exp(9.550426 - 5723.265 / T + 3.53068 * Math.log(T) - 0.00728332 * T);
  const lnP =
    54.842763 - 6763.22 / T - 4.21 * Math.log(T) + 0.000367 * T +
    Math.tanh(0.0415 * (T - 218.8)) * (53.878 - 1331.22 / T - 9.44523 * Math.log(T) + 0.014025 * T);
  return Math.exp(lnP);
}
