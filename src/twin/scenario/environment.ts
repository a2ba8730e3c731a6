/** `environment:` (gas and μ_O offset) and `kinetics:` (barrier and prefactor overrides) sections. */
import { z } from 'zod';
import { quantity } from './quantity.js';

export const environmentSchema = z
  .strictObject({
    /** O2 partial pressure (the column vacuum: 1.2e-5 Pa). */
    pO2: quantity('pressure', { min: 1e-30, max: 1e7 }).optional(),
    /** Reducing-gas mode: H2O and H2 partial pressures (both or neither). */
    pH2O: quantity('pressure', { min: 1e-30, max: 1e7 }).optional(),
    pH2: quantity('pressure', { min: 1e-30, max: 1e7 }).optional(),
    /** Offset added to μ_O (the column is more reducing than its nominal pO2; prior 0 to −1.5 eV). Default: the kinetics' fitted value. */
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

/** Barrier names a scenario may override (MODEL.md §4 table; the names src/kinetics/ncm accepts), eV. */
export const BARRIER_NAMES = [
  'o2Release',
  'vOMigrationBulk',
  'vOMigrationSurface',
  'tmMigrationNearVO',
  'tmMigrationBulk',
  'tmMigrationCoMn',
  'surfaceDiffusion',
  'apbMigration',
  'rockSaltCoarsening',
  'ni0Formation',
  'liHop',
] as const;
export type BarrierName = (typeof BARRIER_NAMES)[number];

const barrier = quantity('energy', { min: 0.05, max: 5 });
const barriers = z.strictObject(Object.fromEntries(BARRIER_NAMES.map((n) => [n, barrier.optional()])) as Record<BarrierName, z.ZodOptional<typeof barrier>>);

export const kineticsSchema = z
  .strictObject({
    /** Attempt frequency ν (prior 1e12–1e14 1/s). */
    attemptFrequency: quantity('frequency', { min: 1e8, max: 1e17 }).prefault('1e13 Hz'),
    /** Barrier overrides, eV (unlisted ones keep the model defaults). */
    barriers: barriers.default({}),
    /** Replicate KMC runs (independent streams) averaged for observables. */
    replicates: z.number().int().min(1).max(64).default(1),
  })
  .transform((k) => {
    const b: Partial<Record<BarrierName, number>> = {};
    for (const n of BARRIER_NAMES) if (k.barriers[n] !== undefined) b[n] = k.barriers[n];
    return { attemptFrequency_Hz: k.attemptFrequency, barriers_eV: b, replicates: k.replicates };
  });

export type ScenarioKinetics = z.output<typeof kineticsSchema>;
