/**
 * Relativistic electron optics: wavelength and interaction parameter.
 * Kirkland (2010), Advanced Computing in Electron Microscopy, 2nd ed., eqs. (2.5) and (5.6).
 */
import {
  ELECTRON_MASS_KG,
  ELECTRON_REST_ENERGY_EV,
  ELEMENTARY_CHARGE_C,
  PLANCK_J_S,
  SPEED_OF_LIGHT_M_PER_S,
  checkFinite,
} from '../core/index.js';

/**
 * Relativistic electron wavelength λ = h / √(2 m₀ e V (1 + eV / 2m₀c²)), in Å.
 * @param energy_eV beam energy in eV (200 kV beam → 200e3).
 * @example wavelength_A(200e3) // 0.0250793…
 */
export function wavelength_A(energy_eV: number): number {
  checkFinite(energy_eV, 'energy', { min: 0, exclusiveMin: true, unit: 'eV' });
  const eV = ELEMENTARY_CHARGE_C * energy_eV;
  const p = Math.sqrt(2 * ELECTRON_MASS_KG * eV * (1 + eV / (2 * ELECTRON_MASS_KG * SPEED_OF_LIGHT_M_PER_S ** 2)));
  return (PLANCK_J_S / p) * 1e10;
}

/**
 * Interaction parameter σ = (2π / λV) · (m₀c² + eV) / (2m₀c² + eV), in rad/(V·Å) (Kirkland eq. 5.6).
 * @param energy_eV beam energy in eV.
 * @example interactionParameter_radPerVA(200e3) // 7.288e-4
 */
export function interactionParameter_radPerVA(energy_eV: number): number {
  const lambda = wavelength_A(energy_eV);
  const E0 = ELECTRON_REST_ENERGY_EV;
  return ((2 * Math.PI) / (lambda * energy_eV)) * ((E0 + energy_eV) / (2 * E0 + energy_eV));
}

/**
 * h² / (2π m₀ e) in V·Å²: the factor between the electron scattering factor f_e (Å) and the Fourier
 * transform of the projected potential, v_z(q) = (h²/2πm₀e) f_e(q) (Kirkland eq. 5.20; "2π a₀ e" = 47.878 V·Å²).
 */
export const POTENTIAL_PREFACTOR_V_A2 = (PLANCK_J_S ** 2 / (2 * Math.PI * ELECTRON_MASS_KG * ELEMENTARY_CHARGE_C)) * 1e20;
