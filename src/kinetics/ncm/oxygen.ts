/**
 * Oxygen reservoir terms of the NCM events, in the Arrhenius form the engine evaluates.
 *
 * The engine turns (ν, Ea) into k(T) at whatever T the program demands, so the T-dependence of
 * Δμ_O,eff(T) must live in (ν, Ea). Δμ_O,eff is replaced by its tangent at T_lin,
 * μ(T) ≈ h + g·T (g = dμ/dT < 0): then exp(−(E + μ(T))/kT) = exp(−g/k)·exp(−(E + h)/kT), i.e. an
 * entropy-like prefactor and an enthalpy-like barrier. The model re-linearises at the start of every
 * ramp window (≤ window_K wide), where the engine rebuilds its rates anyway; the error is
 * ½·|μ''|·ΔT² ≈ 2e-7 eV for ΔT = 1 K (μ'' = −1.63e-4/T eV/K²). For the Ni/NiO gate the difference
 * Δμ_O,eff − line = offset + ½kT ln(p/p0) − ΔfG°(NiO, T) is exactly linear in T; in the reducing-gas
 * mode (H2O/H2 buffer) it is offset + ΔfG°(H2O, T) − ΔfG°(NiO, T) + kT ln(p_H2O/p_H2), linear too.
 */
import { BOLTZMANN_EV_PER_K, KJ_PER_MOL_IN_EV, STANDARD_PRESSURE_PA, checkFinite } from '../../core/index.js';
import { InputError } from '../../core/index.js';
import { effectiveDeltaMuO_eV, type OxygenEnvironment } from '../thermo.js';

/** Linearised oxygen terms at one temperature. */
export interface OxygenLinearisation {
  /** Linearisation temperature, K. */
  readonly T_K: number;
  /** Δμ_O,eff(T) ≈ h_eV + g_eVPerK·T. */
  readonly h_eV: number;
  readonly g_eVPerK: number;
  /** Δμ_O,eff − (Ni/NiO line) = hNi_eV + gNi_eVPerK·T (exact). */
  readonly hNi_eV: number;
  readonly gNi_eVPerK: number;
  /** Ni metal stable at T_lin (the Ni⁰ + Li2O gate). */
  readonly niGateOpen: boolean;
}

/**
 * Linearise Δμ_O,eff(T) at `T_K` (> 0) for a nominal O2 pressure (`pO2_Pa` > 0, a number) or an
 * oxygen environment (thermo.ts: pO2_Pa, or the H2O/H2 buffer `pH2OOverPH2`), plus `offset_eV`
 * (the model's μ_O offset parameter; an environment must not carry a second one).
 */
export function linearizeOxygen(T_K: number, oxygen: number | OxygenEnvironment, offset_eV: number): OxygenLinearisation {
  checkFinite(T_K, 'temperature_K', { min: 0, exclusiveMin: true, unit: 'K' });
  const env: OxygenEnvironment = typeof oxygen === 'number' ? { pO2_Pa: oxygen } : oxygen;
  if (env.offset_eV !== undefined) throw new InputError('oxygen.offset_eV', env.offset_eV, 'no offset here: the μ_O offset is the kinetics parameter muO_offset_eV');
  // d/dT of the JANAF fit −4.00477e-3 + 2.87695e-5·T − 1.627297e-4·T·ln T.
  const dStd = 2.87695e-5 - 1.627297e-4 * (Math.log(T_K) + 1);
  let g: number, hNi: number, gNi: number;
  if (env.pH2OOverPH2 !== undefined) {
    checkFinite(env.pH2OOverPH2, 'oxygen.pH2OOverPH2', { min: 0, exclusiveMin: true });
    const kLn = BOLTZMANN_EV_PER_K * Math.log(env.pH2OOverPH2);
    g = dStd + 0.0445 * KJ_PER_MOL_IN_EV + kLn;
    hNi = offset_eV + (-241.8 + 239.7) * KJ_PER_MOL_IN_EV;
    gNi = (0.0445 - 0.0945) * KJ_PER_MOL_IN_EV + kLn;
  } else {
    checkFinite(env.pO2_Pa ?? NaN, 'pO2_Pa', { min: 0, exclusiveMin: true, unit: 'Pa' });
    const half = 0.5 * BOLTZMANN_EV_PER_K * Math.log(env.pO2_Pa! / STANDARD_PRESSURE_PA);
    g = dStd + half;
    hNi = offset_eV + 239.7 * KJ_PER_MOL_IN_EV;
    gNi = half - 0.0945 * KJ_PER_MOL_IN_EV;
  }
  const mu = effectiveDeltaMuO_eV(T_K, { ...env, offset_eV });
  return { T_K, h_eV: mu - g * T_K, g_eVPerK: g, hNi_eV: hNi, gNi_eVPerK: gNi, niGateOpen: hNi + gNi * T_K < 0 };
}

/** Temperature (K) at which Δμ_O,eff crosses the Ni/NiO line (Ni metal stable above it). */
export function niGateTemperature_K(oxygen: number | OxygenEnvironment, offset_eV: number): number {
  const l = linearizeOxygen(300, oxygen, offset_eV);
  return -l.hNi_eV / l.gNi_eVPerK;
}
