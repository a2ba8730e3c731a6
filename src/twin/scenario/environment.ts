/**
 * `environment:` (gas and μ_O offset) and `kinetics:` (barrier and prefactor overrides, replicates)
 * sections. The gas is an O2 partial pressure (vacuum, air, Ar with ppm O2: give its pO2) or the
 * reducing H2O/H2 pair; the kinetics takes either (src/kinetics/thermo.ts `OxygenEnvironment`).
 */
import { z } from 'zod';
import { BARRIER_NAMES } from '../../kinetics/ncm/params.js';
import type { OxygenEnvironment } from '../../kinetics/thermo.js';
import { quantity } from './quantity.js';

export const environmentSchema = z
  .strictObject({
    /** O2 partial pressure (the column vacuum: 1.2e-5 Pa). */
    pO2: quantity('pressure', { min: 1e-30, max: 1e7 }).optional(),
    /** Reducing-gas mode: H2O and H2 partial pressures (both or neither). */
    pH2O: quantity('pressure', { min: 1e-30, max: 1e7 }).optional(),
    pH2: quantity('pressure', { min: 1e-30, max: 1e7 }).optional(),
    /** Offset added to μ_O (the column is more reducing than its nominal pO2; prior 0 to −1.5 eV). Default: the parameter table's `muOOffset` (−1.05 eV). */
    muOOffset: quantity('energy', { min: -3, max: 1 }).optional(),
  })
  .superRefine((e, ctx) => {
    const gas = e.pH2O !== undefined || e.pH2 !== undefined;
    if (gas && (e.pH2O === undefined || e.pH2 === undefined)) {
      ctx.addIssue({ code: 'custom', path: [e.pH2O === undefined ? 'pH2O' : 'pH2'], message: 'both', input: undefined, params: { allowed: 'pH2O and pH2 given together' } });
    }
    if (gas && e.pO2 !== undefined) ctx.addIssue({ code: 'custom', path: ['pO2'], message: 'one', input: e.pO2, params: { allowed: 'either pO2 or pH2O/pH2, not both' } });
    if (!gas && e.pO2 === undefined) ctx.addIssue({ code: 'custom', path: ['pO2'], message: 'missing', input: undefined, params: { allowed: 'a pressure with a unit, e.g. "1.2e-5 Pa" (or pH2O and pH2)' } });
  })
  .transform((e) => ({ pO2_Pa: e.pO2, pH2O_Pa: e.pH2O, pH2_Pa: e.pH2, muOOffset_eV: e.muOOffset }));

export type ScenarioEnvironment = z.output<typeof environmentSchema>;

/** The scenario's gas as the kinetics' oxygen environment (the μ_O offset travels as the `muOOffset` parameter). */
export function scenarioOxygen(e: ScenarioEnvironment): OxygenEnvironment {
  return e.pO2_Pa !== undefined ? { pO2_Pa: e.pO2_Pa } : { pH2O_Pa: e.pH2O_Pa!, pH2_Pa: e.pH2_Pa! };
}

/** Barrier names a scenario may override under `kinetics.barriers`: the parameter table's barrier rows (src/kinetics/ncm/params.ts). */
export { BARRIER_NAMES };

const barrier = quantity('energy', { min: 0.05, max: 5 });
const barriers = z.strictObject(Object.fromEntries(BARRIER_NAMES.map((n) => [n, barrier.optional()])) as Record<string, z.ZodOptional<typeof barrier>>);

/** Largest replicate count (`kinetics.replicates`, `simulateScenario({ replicates })`). */
export const MAX_REPLICATES = 64;

export const kineticsSchema = z
  .strictObject({
    /** Attempt frequency ν (prior 1e12–1e14 1/s). */
    attemptFrequency: quantity('frequency', { min: 1e8, max: 1e17 }).prefault('1e13 Hz'),
    /** Barrier overrides, eV (unlisted ones keep the parameter table's defaults). */
    barriers: barriers.default({}),
    /** Replicate KMC runs (independent RNG streams of one lamella), pooled frame by frame. */
    replicates: z.number().int().min(1).max(MAX_REPLICATES).default(1),
  })
  .transform((k) => {
    const b: Record<string, number> = {};
    for (const n of BARRIER_NAMES) if (k.barriers[n] !== undefined) b[n] = k.barriers[n]!;
    return { attemptFrequency_Hz: k.attemptFrequency, barriers_eV: b, replicates: k.replicates };
  });

export type ScenarioKinetics = z.output<typeof kineticsSchema>;
