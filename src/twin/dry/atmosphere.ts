/**
 * Drying atmospheres → the oxygen environment of the kinetics (MODEL.md §3), through the one thermo
 * (`src/kinetics/thermo.ts`): a nominal O2 partial pressure, or the H2O/H2 buffer of a reducing gas,
 * plus a μ_O offset.
 *
 * Kinds a recipe can state (exactly one per atmosphere):
 * - `pO2`: the O2 partial pressure itself (the microscope column: 1.2e-5 Pa);
 * - `pressure` + `oxygenFraction` (or `gas: air`, 20.95 % O2): a vacuum oven at a total pressure with its
 *   residual gas, an inert-gas oven or glovebox (Ar or N2 with ppm O2), or air;
 * - `pH2` and `pH2O` (or `pressure` + `hydrogenFraction`, `dewPoint`): a reducing gas; Δμ_O from
 *   ΔfG°(H2O) + kT ln(pH2O/pH2). A dry forming gas has no defined pH2O: its dew point must be stated.
 *
 * The μ_O offset (MODEL.md §3) is the part of Δμ_O,eff the nominal gas does not explain. In the
 * microscope it is −1.05 eV by default (fitted: residual H2/H2O, carbon and the beam); a clean oven has
 * no beam and no column residual gas, so an oven's offset is what the recipe says (default 0 eV), and
 * binder, carbon black or other reductants are stated as a negative offset. `muOOffset: fitted` takes
 * the column's offset from the posterior (or its prior) draw by draw: use it for the microscope only.
 */
import { BOLTZMANN_EV_PER_K, InputError } from '../../core/index.js';
import {
  deltaMuO_eV, deltaMuOReducing_eV, effectiveDeltaMuO_eV, niNiOLine_eV, waterVapourPressure_Pa, type OxygenEnvironment,
} from '../../kinetics/thermo.js';

/** Where an atmosphere's μ_O offset comes from. */
export type OffsetSpec =
  /** A stated value, eV (`source` says whether the recipe gave it or the oven default 0 eV applied). */
  | { readonly kind: 'fixed'; readonly offset_eV: number; readonly source: 'recipe' | 'default' }
  /** The fitted column offset of each posterior (or prior) draw. */
  | { readonly kind: 'fitted' };

/** One drying atmosphere, resolved to SI partial pressures. */
export interface DryAtmosphere {
  /** Name (map.csv `atmosphere` column; letters, digits, '.', '_', '-'). */
  readonly name: string;
  /** One-line description with the numbers (report, README). */
  readonly description: string;
  /** 'oxygen': set by pO2; 'reducing': set by the H2O/H2 buffer. */
  readonly mode: 'oxygen' | 'reducing';
  /** O2 partial pressure, Pa (mode 'oxygen'). */
  readonly pO2_Pa?: number;
  /** H2O and H2 partial pressures, Pa (mode 'reducing'). */
  readonly pH2O_Pa?: number;
  readonly pH2_Pa?: number;
  readonly offset: OffsetSpec;
}

/** The oxygen environment of an atmosphere for a draw's fitted column offset (used where `offset.kind` is 'fitted'). */
export function oxygenEnvironment(a: DryAtmosphere, fittedOffset_eV: number): OxygenEnvironment {
  const offset_eV = a.offset.kind === 'fitted' ? fittedOffset_eV : a.offset.offset_eV;
  return a.mode === 'reducing' ? { pH2O_Pa: a.pH2O_Pa!, pH2_Pa: a.pH2_Pa!, offset_eV } : { pO2_Pa: a.pO2_Pa!, offset_eV };
}

/** Δμ_O,eff(T) of an atmosphere, eV per O (thermo.ts). */
export function atmosphereDeltaMuO_eV(a: DryAtmosphere, temperature_K: number, fittedOffset_eV: number): number {
  return effectiveDeltaMuO_eV(temperature_K, oxygenEnvironment(a, fittedOffset_eV), `atmospheres.${a.name}`);
}

/** Nominal Δμ_O(T) without any offset, eV. */
export function nominalDeltaMuO_eV(a: DryAtmosphere, temperature_K: number): number {
  return a.mode === 'reducing' ? deltaMuOReducing_eV(temperature_K, a.pH2O_Pa! / a.pH2_Pa!) : deltaMuO_eV(temperature_K, a.pO2_Pa!);
}

/** True where Δμ_O,eff lies below the Ni/NiO line (Ni⁰ stable). */
export function niNiOCrossed(a: DryAtmosphere, temperature_K: number, fittedOffset_eV: number): boolean {
  return atmosphereDeltaMuO_eV(a, temperature_K, fittedOffset_eV) < niNiOLine_eV(temperature_K);
}

/**
 * The O2 partial pressure (Pa) with the same Δμ_O(T) as the atmosphere's nominal gas: for a reducing
 * gas it depends on T (reported, e.g. 5 % H2 at −40 °C dew point ≈ 1e-32 Pa at 300 °C).
 */
export function equivalentPO2_Pa(a: DryAtmosphere, temperature_K: number): number {
  if (a.mode === 'oxygen') return a.pO2_Pa!;
  const mu = nominalDeltaMuO_eV(a, temperature_K);
  const mu0 = deltaMuO_eV(temperature_K, 1e5);
  return 1e5 * Math.exp((2 * (mu - mu0)) / (BOLTZMANN_EV_PER_K * temperature_K));
}

/** Raw atmosphere fields after unit conversion (what the recipe schema hands over). */
export interface AtmosphereFields {
  name: string;
  gas?: 'air' | 'Ar' | 'N2' | 'vacuum' | 'H2/Ar' | 'H2/N2' | 'column';
  pO2_Pa?: number;
  pressure_Pa?: number;
  oxygenFraction?: number;
  pH2_Pa?: number;
  pH2O_Pa?: number;
  hydrogenFraction?: number;
  dewPoint_K?: number;
  muOOffset?: number | 'fitted';
}

/** Fraction of O2 in dry air (by volume). */
export const AIR_O2_FRACTION = 0.2095;

const fmtP = (p: number) => `${+p.toPrecision(3)} Pa`;
const fmtPct = (x: number) => (x >= 1e-3 ? `${+(x * 100).toPrecision(3)} %` : `${+(x * 1e6).toPrecision(3)} ppm`);

/**
 * Resolve one atmosphere (fields already in Pa, K, fractions); throws InputError naming
 * `${field}.<key>`: a pressure of 0, pO2 together with pH2O/pH2, a reducing gas without a stated water
 * pressure, an oxygen fraction without a total pressure.
 */
export function resolveAtmosphere(f: AtmosphereFields, field: string): DryAtmosphere {
  const positive = (v: number | undefined, key: string, what: string) => {
    if (v !== undefined && !(v > 0)) throw new InputError(`${field}.${key}`, v === 0 ? `0 ${key === 'oxygenFraction' || key === 'hydrogenFraction' ? '' : 'Pa'}`.trim() : v, `${what} > 0 (a pressure of 0 has no defined μ_O: give the residual O2 or H2O)`);
  };
  positive(f.pO2_Pa, 'pO2', 'a pressure');
  positive(f.pressure_Pa, 'pressure', 'a total pressure');
  positive(f.pH2_Pa, 'pH2', 'a pressure');
  positive(f.pH2O_Pa, 'pH2O', 'a pressure');
  positive(f.oxygenFraction, 'oxygenFraction', 'a fraction');
  positive(f.hydrogenFraction, 'hydrogenFraction', 'a fraction');
  const offset: OffsetSpec = f.muOOffset === 'fitted' ? { kind: 'fitted' } : f.muOOffset === undefined ? { kind: 'fixed', offset_eV: 0, source: 'default' } : { kind: 'fixed', offset_eV: f.muOOffset, source: 'recipe' };
  const reducing = f.pH2_Pa !== undefined || f.pH2O_Pa !== undefined || f.hydrogenFraction !== undefined || f.dewPoint_K !== undefined;
  if (reducing && f.pO2_Pa !== undefined) throw new InputError(`${field}.pO2`, `${f.pO2_Pa} Pa`, 'either pO2 or pH2O/pH2 (a reducing gas sets μ_O through its H2O/H2 ratio), not both');
  if (reducing && f.oxygenFraction !== undefined) throw new InputError(`${field}.oxygenFraction`, f.oxygenFraction, 'either an O2 fraction or pH2O/pH2, not both');
  if (reducing) {
    if (f.pH2_Pa !== undefined && f.hydrogenFraction !== undefined) throw new InputError(`${field}.hydrogenFraction`, f.hydrogenFraction, 'either pH2 or pressure + hydrogenFraction, not both');
    if (f.pH2O_Pa !== undefined && f.dewPoint_K !== undefined) throw new InputError(`${field}.dewPoint`, `${+(f.dewPoint_K - 273.15).toFixed(2)} degC`, 'either pH2O or a dew point, not both');
    let pH2 = f.pH2_Pa;
    if (pH2 === undefined) {
      if (f.hydrogenFraction === undefined) throw new InputError(`${field}.pH2`, undefined, 'the H2 partial pressure (e.g. "5066 Pa"), or pressure + hydrogenFraction (e.g. 1 atm and 5 %)');
      if (f.pressure_Pa === undefined) throw new InputError(`${field}.pressure`, undefined, 'the total pressure of the gas (e.g. "1 atm") to turn hydrogenFraction into pH2');
      pH2 = f.pressure_Pa * f.hydrogenFraction;
    }
    let pH2O = f.pH2O_Pa;
    if (pH2O === undefined) {
      if (f.dewPoint_K === undefined) throw new InputError(`${field}.pH2O`, undefined, 'a stated water pressure: pH2O (e.g. "12.8 Pa") or dewPoint (e.g. "-40 degC"); a "dry" reducing gas has no defined μ_O');
      pH2O = waterVapourPressure_Pa(f.dewPoint_K);
    }
    if (f.pressure_Pa !== undefined && pH2 + pH2O > f.pressure_Pa * (1 + 1e-9)) throw new InputError(`${field}.pressure`, `${f.pressure_Pa} Pa`, `a total pressure ≥ pH2 + pH2O = ${fmtP(pH2 + pH2O)}`);
    const dew = f.dewPoint_K !== undefined ? ` (dew point ${+(f.dewPoint_K - 273.15).toFixed(1)} °C)` : '';
    const gas = f.gas ? `${f.gas}: ` : '';
    return { name: f.name, mode: 'reducing', pH2_Pa: pH2, pH2O_Pa: pH2O, offset, description: `${gas}pH2 = ${fmtP(pH2)}, pH2O = ${fmtP(pH2O)}${dew}, pH2O/pH2 = ${(pH2O / pH2).toExponential(2)}` };
  }
  if (f.pO2_Pa !== undefined) {
    if (f.pressure_Pa !== undefined && f.pO2_Pa > f.pressure_Pa * (1 + 1e-9)) throw new InputError(`${field}.pO2`, `${f.pO2_Pa} Pa`, `at most the total pressure ${fmtP(f.pressure_Pa)}`);
    return { name: f.name, mode: 'oxygen', pO2_Pa: f.pO2_Pa, offset, description: `${f.gas ? `${f.gas}: ` : ''}pO2 = ${fmtP(f.pO2_Pa)}` };
  }
  if (f.pressure_Pa === undefined) throw new InputError(`${field}.pressure`, undefined, 'an oxygen environment: pO2, or pressure + oxygenFraction (or gas: air), or pH2O + pH2 (or dewPoint + hydrogenFraction)');
  let x = f.oxygenFraction;
  if (x === undefined) {
    if (f.gas !== 'air') throw new InputError(`${field}.oxygenFraction`, undefined, `the residual O2 fraction of the gas at ${fmtP(f.pressure_Pa)} (e.g. "1 ppm" for an Ar glovebox, "20.95 %" for air; gas: air sets it)`);
    x = AIR_O2_FRACTION;
  }
  if (x > 1) throw new InputError(`${field}.oxygenFraction`, x, 'a fraction 0 … 1');
  const pO2 = f.pressure_Pa * x;
  return { name: f.name, mode: 'oxygen', pO2_Pa: pO2, offset, description: `${f.gas ? `${f.gas} ` : ''}${fmtP(f.pressure_Pa)} with ${fmtPct(x)} O2: pO2 = ${fmtP(pO2)}` };
}

/** How the offset of an atmosphere reads in the report. */
export function describeOffset(a: DryAtmosphere, fittedLabel: string): string {
  if (a.offset.kind === 'fitted') return `fitted column offset, draw by draw (${fittedLabel})`;
  return `${a.offset.offset_eV} eV (${a.offset.source === 'recipe' ? 'stated in the recipe' : 'default for an oven: no beam, no column residual gas; binder/carbon would make it negative'})`;
}
