/**
 * Physical constants, exact CODATA 2018 values (SI 2019 defined constants are exact).
 * Source: NIST CODATA 2018, https://physics.nist.gov/cuu/Constants/
 * mathjs is used only to parse user input; its eV (2010 value) is never used for physics.
 */

/** Elementary charge, C (exact). */
export const ELEMENTARY_CHARGE_C = 1.602176634e-19;
/** Planck constant, J·s (exact). */
export const PLANCK_J_S = 6.62607015e-34;
/** Reduced Planck constant ħ, J·s. */
export const HBAR_J_S = PLANCK_J_S / (2 * Math.PI);
/** Boltzmann constant, J/K (exact). */
export const BOLTZMANN_J_PER_K = 1.380649e-23;
/** Boltzmann constant, eV/K (exact ratio of exact constants: 8.617333262…e-5). */
export const BOLTZMANN_EV_PER_K = BOLTZMANN_J_PER_K / ELEMENTARY_CHARGE_C;
/** Avogadro constant, 1/mol (exact). */
export const AVOGADRO_PER_MOL = 6.02214076e23;
/** Speed of light in vacuum, m/s (exact). */
export const SPEED_OF_LIGHT_M_PER_S = 299792458;
/** Electron rest mass, kg (CODATA 2018, 9.1093837015(28)e-31). */
export const ELECTRON_MASS_KG = 9.1093837015e-31;
/** Electron rest energy m_e c², eV. */
export const ELECTRON_REST_ENERGY_EV = (ELECTRON_MASS_KG * SPEED_OF_LIGHT_M_PER_S ** 2) / ELEMENTARY_CHARGE_C;
/** Bohr radius, Å (CODATA 2018, 0.529177210903(80) Å). */
export const BOHR_RADIUS_A = 0.529177210903;
/** Standard pressure p° = 1 bar, Pa. */
export const STANDARD_PRESSURE_PA = 1e5;
/** 0 °C in K (exact). */
export const ZERO_CELSIUS_K = 273.15;
/** Faraday-based conversion: 1 kJ/mol in eV per particle. */
export const KJ_PER_MOL_IN_EV = 1e3 / (AVOGADRO_PER_MOL * ELEMENTARY_CHARGE_C);
/** Atomic mass constant, g (1 u in grams = 1/N_A g/mol). */
export const ATOMIC_MASS_G = 1 / AVOGADRO_PER_MOL;
