/**
 * Where a sample's structure comes from: a frame (species snapshot) of a lattice with its projected columns, per-site
 * phases and, per calibration node, the columns' cross-sections. Synthetic specimens (structure.ts) and frames of
 * kinetic trajectories (kinetic.ts) both become a `FrameSource`; the renderer and the labels only see this.
 */
import type { SiteLattice } from '../../lattice/index.js';
import { type FrameCrossSections, NodeCalibrations, columnSpacings, defocusNodes, frameCrossSections } from './calibration.js';
import { type DatasetConfig, specimenParams } from './params.js';
import { type ColumnGeometry, type FrameColumns, cachedColumnGeometry, frameColumns } from './specimen.js';
import { buildSpecimenStructure } from './structure.js';

/** One structure to cut samples from. */
export interface FrameSource {
  readonly lattice: SiteLattice;
  readonly species: Uint8Array;
  readonly frame: FrameColumns;
  /** Cross-sections of the columns at calibration node `node` (defocusNodes order; cached). */
  crossSections(node: number): FrameCrossSections;
  /** What the manifest says about the structure (units in the names). */
  readonly describe: Record<string, unknown>;
}

/** The calibrations of a configuration, per defocus node (one per thread). */
export class DatasetCalibrations {
  readonly nodes: number[];
  private readonly perNode: NodeCalibrations[];
  constructor(readonly config: DatasetConfig) {
    this.nodes = defocusNodes(config);
    const spacings = columnSpacings(config);
    this.perNode = this.nodes.map((d) => new NodeCalibrations(config, d, spacings));
  }
  node(i: number): NodeCalibrations {
    return this.perNode[i]!;
  }
  /** Bracketing nodes and weight of node i1 for defocus d: σ(d) = (1 − t)σ(i0) + tσ(i1). */
  bracket(defocus_A: number): { i0: number; i1: number; t: number } {
    const n = this.nodes;
    if (n.length === 1) return { i0: 0, i1: 0, t: 0 };
    let i = 0;
    while (i < n.length - 2 && defocus_A > n[i + 1]!) i++;
    const t = Math.min(1, Math.max(0, (defocus_A - n[i]!) / (n[i + 1]! - n[i]!)));
    return { i0: i, i1: i + 1, t };
  }
}

/** A frame source over a lattice and a species snapshot with per-site phases. */
export function frameSource(lattice: SiteLattice, species: Uint8Array, phase: Uint8Array, cal: DatasetCalibrations, describe: Record<string, unknown>, geometry?: ColumnGeometry): FrameSource {
  const frame = frameColumns(geometry ?? cachedColumnGeometry(lattice), species, phase);
  const cs = new Map<number, FrameCrossSections>();
  return {
    lattice, species, frame, describe,
    crossSections(node: number): FrameCrossSections {
      let x = cs.get(node);
      if (!x) { x = frameCrossSections(frame, cal.node(node)); cs.set(node, x); }
      return x;
    },
  };
}

/** Synthetic specimen `id` of the set as a frame source. */
export function syntheticSource(seed: number, id: number, cal: DatasetCalibrations): FrameSource {
  const p = specimenParams(seed, id, cal.config);
  const { lamella, phase } = buildSpecimenStructure(p);
  const L = lamella.lattice;
  return frameSource(L, L.species, phase, cal, {
    kind: 'synthetic', specimen: id, zone: p.zone, composition: p.composition, thicknessRequested_A: p.thickness_A, thickness_A: L.cell_A[2], cell_A: L.cell_A,
    mixing: p.mixing, liContent: p.liContent,
    pore: p.pore ? { radius_A: p.pore.radius_A, centre_A: [p.pore.centre[0] * L.cell_A[0], p.pore.centre[1] * L.cell_A[1]] } : null,
    apb: p.apb ? { plane: '(1 -2 0)', placement: p.pore ? 'tangent to the pore' : 'cell centre' } : null,
    patches: p.patches.map((q) => ({ phase: q.phase, radius_A: q.radius_A, centre_A: [q.centre[0] * L.cell_A[0], q.centre[1] * L.cell_A[1]] })),
    occupationSeed: p.occupationSeed, sites: L.n,
  });
}
