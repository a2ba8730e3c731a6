/** The `structure:` section of a scenario: the lamella to build (SI output names). */
import { z } from 'zod';
import { fraction, quantity } from './quantity.js';

const composition = z
  .strictObject({ Ni: z.number().min(0).max(1), Co: z.number().min(0).max(1).default(0), Mn: z.number().min(0).max(1).default(0) })
  .superRefine((c, ctx) => {
    const s = c.Ni + c.Co + c.Mn;
    if (Math.abs(s - 1) > 1e-3) ctx.addIssue({ code: 'custom', message: 'fractions summing to 1', input: c, params: { allowed: 'Ni + Co + Mn = 1 (±0.001)' } });
  });

/** Nanopore (void) in the lamella. */
const pore = z
  .strictObject({
    /** Equivalent radius in the image plane. */
    radius: quantity('length', { min: 5, max: 200 }),
    /** ellipsoid: smooth void; faceted: bounded by {003} and {104}-type planes. */
    shape: z.enum(['ellipsoid', 'faceted']).default('ellipsoid'),
    /** Ratio of the in-plane axes (along the layers : across the layers). */
    aspect: z.number().min(0.25).max(4).default(1.3),
    /** Depth of the pore along the beam as a fraction of the thickness (1 = through-hole). */
    depthFraction: z.number().gt(0).max(1).default(0.6),
  })
  .transform((p) => ({ radius_A: p.radius, shape: p.shape, aspect: p.aspect, depthFraction: p.depthFraction }));

/** Cationic antiphase boundary: Li and M planes meet across it; O sublattice continuous. */
const apb = z
  .strictObject({
    /** Boundary plane, hexagonal Miller indices (e.g. "1 -2 0", edge-on in [210]; not (00l)); checked by src/lattice. */
    plane: z.string().min(1).default('1 -2 0'),
    /** Where it sits: touching the pore edge (the seed), or through the centre of the cell. */
    position: z.enum(['pore-edge', 'center']).default('pore-edge'),
  })
  .transform((a) => ({ plane: a.plane, position: a.position }));

export const structureSchema = z
  .strictObject({
    /**
     * Label for reports, including the sample's history (e.g. "NCM851005, 100 cycles to 4.2 V"). There is
     * no `cycles` field: cycling history changed nothing physical in the model (no source ties a
     * surface rock-salt depth or initial mixing to a cycle count), so it is given through what it does:
     * `niOnLi`, `lithium`.
     */
    material: z.string().min(1).default('NCM851005'),
    composition: composition.default({ Ni: 0.85, Co: 0.1, Mn: 0.05 }),
    /** x in Li_x MO2: 1 = lithiated (discharged), ~0.3 = charged to 4.3 V. */
    lithium: z.number().min(0.05).max(1).default(1),
    /** Ni on Li sites (cation mixing) initially. */
    niOnLi: fraction({ max: 0.2 }).default(0.03),
    /** Zone axis (hexagonal 3-index): [210] shows Li and M layers edge-on. */
    zone: z.enum(['210', '100', '110', '001']).default('210'),
    /** Field of view: width (x, in the image). */
    width: quantity('length', { min: 10, max: 2000 }),
    /** Field of view: height (y, in the image). */
    height: quantity('length', { min: 10, max: 2000 }),
    /** Lamella thickness along the beam. */
    thickness: quantity('length', { min: 5, max: 1000 }),
    /**
     * Lamella faces normal to the beam: 'periodic' models the interior of a thicker lamella around
     * an internal pore (the seed's nanopore lies inside a primary grain); 'free' adds the two FIB
     * surfaces as open faces (more surface events: slower, and surface reduction competes with the pore).
     */
    surfaces: z.enum(['periodic', 'free']).default('periodic'),
    pore: pore.optional(),
    apb: apb.optional(),
  })
  .transform((s) => ({
    material: s.material,
    composition: { Ni: s.composition.Ni, Co: s.composition.Co, Mn: s.composition.Mn },
    lithium: s.lithium,
    niOnLi: s.niOnLi,
    zone: s.zone,
    width_A: s.width,
    height_A: s.height,
    thickness_A: s.thickness,
    surfaces: s.surfaces,
    pore: s.pore,
    apb: s.apb,
  }));

/** The structure to build, SI units (Å). */
export type ScenarioStructure = z.output<typeof structureSchema>;
