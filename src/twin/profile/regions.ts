/**
 * The observable regions in the image plane, for the layer profiles: NOT a second region definition,
 * but the sites' regions (src/kinetics/ncm/regions.ts) painted onto the pixel grid. Each pixel takes the
 * region of the nearest cation site of the lamella's mid-depth slab (within `reach_A`), the depth at
 * which the pore's outline is drawn; pixels farther than that from any such site (inside the pore)
 * belong to no region.
 *
 * The APB zone keeps only the antiphase domain across the boundary from the pore (lattice `domain`), so
 * that its layer profile is not the average of two domains with swapped Li/M planes.
 */
import { Region } from '../../kinetics/ncm/index.js';
import { SiteRole, Species, type Lamella } from '../../lattice/index.js';

/** Image geometry: pixel (i, j) is centred at origin + (i·sx, j·sy), Å. */
export interface PixelGrid {
  width: number;
  height: number;
  sampling_A: number;
  samplingY_A: number;
  origin_A: readonly [number, number];
}

/** Region masks (1 = in region). */
export interface RegionMasks {
  rim: Uint8Array;
  apb: Uint8Array;
  bulk: Uint8Array;
}

/** Options of {@link regionMasks}. */
export interface RegionMaskOptions {
  /** Half-thickness of the mid-depth slab of sites used, Å (default 3: one [210] repeat). */
  slab_A?: number;
  /** Largest pixel–site distance in the image plane, Å (default 1.6: half a column spacing and more). */
  reach_A?: number;
}

/** Pixel masks of rim, APB zone and bulk from the site regions `region` of `lamella` (see module doc). */
export function regionMasks(lamella: Lamella, region: Uint8Array, g: PixelGrid, o: RegionMaskOptions = {}): RegionMasks {
  const lat = lamella.lattice;
  const slab = o.slab_A ?? 3;
  const reach = o.reach_A ?? 1.6;
  const n = g.width * g.height;
  const best = new Float64Array(n).fill(reach * reach);
  const label = new Int8Array(n).fill(-1);
  const P = lat.position_A;
  const zc = lat.cell_A[2] / 2;
  // The pore's antiphase domain: the majority domain of the rim's cation sites.
  const dom = [0, 0];
  for (let t = 0; t < lat.n; t++) if (region[t] === Region.RIM && lat.role[t] !== SiteRole.ANION) dom[lat.domain[t]!]!++;
  const poreDomain = dom[1]! > dom[0]! ? 1 : 0;
  const [Lx, Ly] = [lat.cell_A[0], lat.cell_A[1]];
  for (let t = 0; t < lat.n; t++) {
    if (lat.role[t] === SiteRole.ANION || lat.species[t] === Species.VOID) continue;
    if (Math.abs(P[3 * t + 2]! - zc) > slab) continue;
    let r = region[t]!;
    if (r === Region.APB && lat.domain[t] === poreDomain) r = Region.OTHER;
    const x = P[3 * t]!;
    const y = P[3 * t + 1]!;
    const i0 = Math.floor((x - reach - g.origin_A[0]) / g.sampling_A);
    const i1 = Math.ceil((x + reach - g.origin_A[0]) / g.sampling_A);
    const j0 = Math.floor((y - reach - g.origin_A[1]) / g.samplingY_A);
    const j1 = Math.ceil((y + reach - g.origin_A[1]) / g.samplingY_A);
    for (let j = j0; j <= j1; j++) {
      const jj = ((j % g.height) + g.height) % g.height;
      let dy = g.origin_A[1] + j * g.samplingY_A - y;
      if (lat.pbc[1]) dy -= Ly * Math.round(dy / Ly);
      for (let i = i0; i <= i1; i++) {
        const ii = ((i % g.width) + g.width) % g.width;
        let dx = g.origin_A[0] + i * g.sampling_A - x;
        if (lat.pbc[0]) dx -= Lx * Math.round(dx / Lx);
        const d2 = dx * dx + dy * dy;
        const k = jj * g.width + ii;
        if (d2 < best[k]!) {
          best[k] = d2;
          label[k] = r;
        }
      }
    }
  }
  const rim = new Uint8Array(n);
  const apb = new Uint8Array(n);
  const bulk = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    if (label[k] === Region.RIM) rim[k] = 1;
    else if (label[k] === Region.APB) apb[k] = 1;
    else if (label[k] === Region.BULK) bulk[k] = 1;
  }
  return { rim, apb, bulk };
}
