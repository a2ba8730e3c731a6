/**
 * `checks:` what a run is compared with (the seed study's timeline, MODEL.md §1): the temperatures whose
 * layer profiles go into the report, and per stage the temperature it was seen at and an acceptance
 * window (or an order: "after" another stage). `regions:` the widths of the observable regions.
 * Both are data of the scenario; a scenario without them runs with no checks and default regions.
 */
import { z } from 'zod';
import { quantity } from './quantity.js';

const T = () => quantity('temperature', { min: 200, max: 1400 });

const target = z
  .strictObject({
    /** Onset stage id (a rule of the onset table: liSiteRim, facets, …). */
    stage: z.string().min(1),
    /** Temperature at which the study saw it. */
    seen: T(),
    /** Acceptance window: the simulated onset must lie in [min, max]. */
    min: T().optional(),
    max: T().optional(),
    /** The onset must come later than this stage's (or not at all, once that one is reached). */
    after: z.string().min(1).optional(),
    /** The target in words (report, summary.json). */
    text: z.string().min(1),
  })
  .transform((t) => ({ stage: t.stage, seen_K: t.seen, ...(t.min !== undefined ? { min_K: t.min } : {}), ...(t.max !== undefined ? { max_K: t.max } : {}), ...(t.after !== undefined ? { after: t.after } : {}), text: t.text }));

export const checksSchema = z
  .strictObject({
    /** Frames whose layer profiles are shown: the nearest frame within 20 K of each. */
    profiles: z.array(T()).max(50).default([]),
    targets: z.array(target).max(100).default([]),
  })
  .transform((c) => ({ profiles_K: c.profiles, targets: c.targets }));

export type ScenarioChecks = z.output<typeof checksSchema>;
export type ScenarioTarget = ScenarioChecks['targets'][number];

/** One hop on the first-shell graph: the cation–O distance a_cubic/2 = a_hex/√2 (NCM851005: 2.031 Å). */
export const HOP_A = 2.872 / Math.SQRT2;

const width = (def: string) => quantity('length', { min: 0, max: 200 }).prefault(def);

/** Widths of the observable regions (src/kinetics/ncm/regions.ts), as lengths; converted to hops of HOP_A. */
export const regionsSchema = z
  .strictObject({
    /** Pore-rim shell: matter within this distance of the pore (default 8 Å ≈ 4 hops). */
    rim: width('8 Å'),
    /** APB zone: within this distance of the boundary … (default 4 Å ≈ 2 hops) */
    apb: width('4 Å'),
    /** … and within this distance of the pore (default 8 Å ≈ 4 hops). */
    apbReach: width('8 Å'),
    /** Bulk: at least this far from pore, APB and free faces (default 14 Å ≈ 7 hops). */
    bulk: width('14 Å'),
  })
  .transform((r) => ({ rim_A: r.rim, apb_A: r.apb, apbReach_A: r.apbReach, bulk_A: r.bulk }));

export type ScenarioRegions = z.output<typeof regionsSchema>;

/** The kinetics' region options (hops) of a scenario's region widths. */
export function regionHops(r: ScenarioRegions): { rim_hops: number; apb_hops: number; apbRim_hops: number; bulk_hops: number } {
  const h = (x: number) => Math.max(1, Math.round(x / HOP_A));
  return { rim_hops: h(r.rim_A), apb_hops: h(r.apb_A), apbRim_hops: h(r.apbReach_A), bulk_hops: h(r.bulk_A) };
}
