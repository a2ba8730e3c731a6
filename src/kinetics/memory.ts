/**
 * Memory of an NCM kinetics run, estimated before anything is allocated, and the guard that
 * refuses a lamella that would not fit (InputError naming the field, the sites, the bytes needed
 * and what fits).
 *
 * Bytes per site by part (typed arrays; what the code allocates, checked against a measurement in
 * test/kinetics/memory.test.ts):
 * - structure (src/lattice `SiteLattice` + the region id per site of kinetics/ncm/regions): ijk 12, layer 4,
 *   positions 24, sublattice, role, domain, species, region 1 each = 45;
 * - lattice view (`NcmLattice`: a packed-neighbour row index 4, anion and Li-layer flags 2 = 6 per site,
 *   plus 72 bytes per distinct row of neighbour offsets: ≈ 8·n^(2/3) rows for a lamella (its tiling
 *   order's rows meet the faces at varying offsets; measured 7.6–8.1 from 7e3 to 9.4e5 sites, zone 210),
 *   27 for a periodic box; the in-plane flags are per direction, 12 bytes in all);
 * - model (species, site codes, flags 1 each, packed neighbour counts 4, a class id per slot 2 × 12;
 *   class ids widen to 4 bytes past 65 535 classes, which the estimate assumes) = 55;
 * - selector (sum tree over sites, 16–32 by the power of two above n, dirty flags 1; on WebAssembly the same arrays in
 *   one memory with the model's slot ids, plus a fixed 4 KB dirty list and < 64 KB of page rounding);
 * - frames kept in memory (runKmc with keepFrames, the main run's KMC stage): 1 per site per frame;
 * plus the rate-class tables, independent of the size (~1 MB per 20 000 classes; 16 MB planned).
 */
import { InputError, memoryBudget } from '../core/index.js';

/** Bytes per site of each fixed part (see module doc). */
export const NCM_BYTES_PER_SITE = Object.freeze({ structure: 45, latticeView: 6, model: 55, selectorFlags: 1 });

/** Distinct packed-neighbour rows per n^(2/3) sites, planned (a lamella's; see module doc), and their bytes each. */
export const NCM_PACKED_ROWS = Object.freeze({ perSites23: 8, bytesPerRow: 72 });

/** Bytes planned for the rate-class tables (per class, not per site). */
export const CLASS_TABLE_BYTES = 16e6;


/** Estimated bytes of an NCM kinetics run on `nSites` sites keeping `frames` species snapshots. */
export interface KmcMemoryEstimate {
  readonly sites: number;
  readonly bytes: number;
  readonly bytesPerSite: number;
  /** By part, bytes. */
  readonly parts: { structure: number; latticeView: number; model: number; selector: number; frames: number; classTables: number };
}

/** Estimate the memory of an NCM kinetics run (structure + lattice view + model + selector + frames), before allocation. */
export function estimateKmcMemory(nSites: number, frames = 0): KmcMemoryEstimate {
  const n = nSites;
  let P = 1;
  while (P < n) P *= 2;
  const parts = {
    structure: NCM_BYTES_PER_SITE.structure * n,
    latticeView: NCM_BYTES_PER_SITE.latticeView * n + NCM_PACKED_ROWS.bytesPerRow * Math.min(n, Math.ceil(NCM_PACKED_ROWS.perSites23 * Math.cbrt(n) ** 2)),
    model: NCM_BYTES_PER_SITE.model * n,
    selector: 16 * P + NCM_BYTES_PER_SITE.selectorFlags * n,
    frames: frames * n,
    classTables: CLASS_TABLE_BYTES,
  };
  const bytes = parts.structure + parts.latticeView + parts.model + parts.selector + parts.frames + parts.classTables;
  return { sites: n, bytes, bytesPerSite: n > 0 ? bytes / n : 0, parts };
}

const fmt = (b: number): string => (b >= 1e9 ? `${(b / 1e9).toFixed(1)} GB` : `${(b / 1e6).toFixed(0)} MB`);

/**
 * Refuse, before anything is allocated, a lattice of `nSites` sites whose kinetics would not fit in
 * memory (or whose slot tables would exceed a typed array's 2^32 elements): InputError naming
 * `field`, the sites and bytes needed, and the largest site count that fits.
 * @param available_B memory to plan with (default: the one memory budget of src/core, `memoryBudget()`: 80 % of RAM or
 *   the container's limit, at most 90 % of what is free, or CATHODE_TWIN_MEMORY).
 */
export function assertKmcFits(nSites: number, field: string, o: { frames?: number; available_B?: number } = {}): KmcMemoryEstimate {
  if (!(nSites >= 1) || !Number.isFinite(nSites)) throw new InputError(field, nSites, 'a lattice of at least one site');
  const est = estimateKmcMemory(nSites, o.frames ?? 0);
  const budget = o.available_B ?? memoryBudget().usable_B;
  const maxByArrays = Math.floor((2 ** 32 - 1) / 12);
  if (est.bytes > budget || nSites > maxByArrays) {
    const perSite = est.bytesPerSite;
    const fits = Math.max(0, Math.min(maxByArrays, Math.floor((budget - CLASS_TABLE_BYTES) / ((est.bytes - CLASS_TABLE_BYTES) / nSites) / 1.1)));
    throw new InputError(
      field,
      `${nSites.toExponential(3)} sites`,
      `a lamella whose kinetics fits in memory: it needs ~${fmt(est.bytes)} (${perSite.toFixed(0)} B/site: structure, neighbour tables, model, selector${o.frames ? `, ${o.frames} frames` : ''}); ${fmt(budget)} is available (${o.available_B !== undefined ? 'as given' : memoryBudget().source}), enough for ~${fits.toExponential(2)} sites`,
      'make the lamella smaller or run on a machine with more memory',
    );
  }
  return est;
}
