/**
 * Oxygen reservoir terms of the NCM events, in the Arrhenius form the engine evaluates.
 *
 * The engine turns (ν, Ea) into k(T) at whatever T the program demands, so the T-dependence of
 * Δμ_O,eff(T) must live in (ν, Ea). Δμ_O,eff is replaced by its tangent at T_lin,
 * μ(T) ≈ h + g·T (g = dμ/dT < 0): then exp(−(E + μ(T))/kT) = exp(−g/k)·exp(−(E + h)/kT), i.e. an
 * entropy-like prefactor and an enthalpy-like barrier. The model re-linearises at the start of every
 * ramp window (≤ window_K wide), where the engine rebuilds its rates anyway; the error is
 * ½·|μ''|·ΔT² ≈ 2e-7 eV for ΔT = 1 K (μ'' = −1.63e-4/T eV/K²). For the Ni/NiO gate the difference
 * Δμ_O,eff − line = offset + ½kT ln(p/p0) − ΔfG°(NiO, T) is exactly linear in T.
 */
import { KJ_PER_MOL_IN_EV, checkFinite } from '../../core/index.js';
import { effectiveDeltaMuO_eV, oxygenBuffer, type OxygenEnvironment } from '../thermo.js';

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
 * Linearise Δμ_O,eff(T; gas, offset) at `T_K` (> 0). `gas` is an O2 pressure in Pa or an oxygen
 * environment (O2 pressure or H2O/H2 buffer, thermo.ts); its own offset is ignored: the offset is
 * `offset_eV` (the model's μ_O offset parameter). Both modes are exactly linear in T apart from
 * Δμ_O(T, p0) (thermo.ts `oxygenBuffer`), so the Ni/NiO gap stays exact.
 */
export function linearizeOxygen(T_K: number, gas: number | OxygenEnvironment, offset_eV: number): OxygenLinearisation {
  checkFinite(T_K, 'temperature_K', { min: 0, exclusiveMin: true, unit: 'K' });
  const env: OxygenEnvironment = typeof gas === 'number' ? { pO2_Pa: gas, offset_eV } : { ...gas, offset_eV };
  if (typeof gas === 'number') checkFinite(gas, 'pO2_Pa', { min: 0, exclusiveMin: true, unit: 'Pa' });
  const { a_eV, b_eVPerK } = oxygenBuffer(env);
  const mu = effectiveDeltaMuO_eV(T_K, env);
  // d/dT of the JANAF fit −4.00477e-3 + 2.87695e-5·T − 1.627297e-4·T·ln T, plus the gas line's slope.
  const g = 2.87695e-5 - 1.627297e-4 * (Math.log(T_K) + 1) + b_eVPerK;
  const hNi = a_eV + 239.7 * KJ_PER_MOL_IN_EV;
  const gNi = b_eVPerK - 0.0945 * KJ_PER_MOL_IN_EV;
  return { T_K, h_eV: mu - g * T_K, g_eVPerK: g, hNi_eV: hNi, gNi_eVPerK: gNi, niGateOpen: hNi + gNi * T_K < 0 };
}

/** Temperature (K) at which Δμ_O,eff crosses the Ni/NiO line (Ni metal stable above it). */
export function niGateTemperature_K(gas: number | OxygenEnvironment, offset_eV: number): number {
  const l = linearizeOxygen(300, gas, offset_eV);
  return -l.hNi_eV / l.gNi_eVPerK;
}
