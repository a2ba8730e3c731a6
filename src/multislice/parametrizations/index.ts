/**
 * Electron scattering factors f_e(g) and the matching closed-form projected potentials of single atoms,
 * for the Lobato & Van Dyck (2014) and Kirkland (2010) parametrisations.
 *
 * Projected potential (V·Å) of an isolated atom at distance r (Å), from the 2D Hankel transform of
 * v_z(q) = (h²/2πm₀e) f_e(q) with C = h²/2πm₀e = 47.878 V·Å²:
 *  - Lobato: v_z(r) = C Σ a_i 2π/b_i [K0(2πr/√b_i) + (πr/√b_i) K1(2πr/√b_i)]
 *    (from ∫ J0(2πgr) 2πg dg/(1+bg²) = (2π/b) K0(2πr/√b) and the derivative in b of it).
 *  - Kirkland: v_z(r) = C Σ [2π a_i K0(2πr√b_i) + (π c_i/d_i) exp(−π²r²/d_i)] (Kirkland eq. C.20).
 */
import { InputError } from '../../core/index.js';
import { ELEMENT_SYMBOLS } from '../../lattice/atoms.js';
import { POTENTIAL_PREFACTOR_V_A2 } from '../optics.js';
import { besselK0, besselK1 } from './bessel.js';
import { KIRKLAND_COEFFICIENTS } from './kirkland.js';
import { LOBATO_COEFFICIENTS } from './lobato.js';

export { LOBATO_COEFFICIENTS } from './lobato.js';
export { KIRKLAND_COEFFICIENTS } from './kirkland.js';
export { besselK0, besselK1 } from './bessel.js';

/** Which scattering-factor parametrisation to use (default 'lobato'). */
export type Parametrization = 'lobato' | 'kirkland';

/** Throws InputError naming `field` when Z has no coefficients in the parametrisation. */
export function checkElement(Z: number, param: Parametrization, field = 'atoms.Z'): void {
  const table = param === 'lobato' ? LOBATO_COEFFICIENTS : KIRKLAND_COEFFICIENTS;
  if (!Number.isInteger(Z) || !table[Z]) {
    throw new InputError(field, ELEMENT_SYMBOLS[Z] ?? Z, `an element with ${param} coefficients (Z = 1…${Object.keys(table).length})`);
  }
}

/**
 * Electron scattering factor f_e in Å at spatial frequency g (1/Å), given g² (1/Å²).
 * @example scatteringFactor_A(28, 0, 'lobato') // f_e(0) of Ni, ≈ 5.9 Å... (Σ 2a_i)
 */
export function scatteringFactor_A(Z: number, g2_perA2: number, param: Parametrization = 'lobato'): number {
  checkElement(Z, param);
  if (param === 'lobato') {
    const [a, b] = LOBATO_COEFFICIENTS[Z]!;
    let f = 0;
    for (let i = 0; i < 5; i++) {
      const d = 1 + b[i]! * g2_perA2;
      f += (a[i]! * (2 + b[i]! * g2_perA2)) / (d * d);
    }
    return f;
  }
  const [a, b, c, d] = KIRKLAND_COEFFICIENTS[Z]!;
  let f = 0;
  for (let i = 0; i < 3; i++) f += a[i]! / (g2_perA2 + b[i]!) + c[i]! * Math.exp(-d[i]! * g2_perA2);
  return f;
}

/**
 * Closed-form projected potential (V·Å) of one isolated atom at in-plane distance r_A > 0 (Å).
 * Diverges logarithmically at r → 0.
 */
export function projectedPotentialClosedForm_VA(Z: number, r_A: number, param: Parametrization = 'lobato'): number {
  checkElement(Z, param);
  const C = POTENTIAL_PREFACTOR_V_A2;
  let v = 0;
  if (param === 'lobato') {
    const [a, b] = LOBATO_COEFFICIENTS[Z]!;
    for (let i = 0; i < 5; i++) {
      const x = (2 * Math.PI * r_A) / Math.sqrt(b[i]!);
      v += ((a[i]! * 2 * Math.PI) / b[i]!) * (besselK0(x) + 0.5 * x * besselK1(x));
    }
  } else {
    const [a, b, c, d] = KIRKLAND_COEFFICIENTS[Z]!;
    for (let i = 0; i < 3; i++) {
      v += 2 * Math.PI * a[i]! * besselK0(2 * Math.PI * r_A * Math.sqrt(b[i]!));
      v += ((Math.PI * c[i]!) / d[i]!) * Math.exp((-Math.PI * Math.PI * r_A * r_A) / d[i]!);
    }
  }
  return C * v;
}
