/**
 * Regions of a frame, on the same definitions as the simulation's (src/twin/run/regions.ts, src/kinetics facets):
 *
 * - pore: where the mass-thickness, read as the low-passed HAADF signal above the vacuum level, is below half the
 *   bulk's (the 80th percentile of the low-passed signal; the image counterpart of run's projected pore area: columns holding < 50 % of the bulk's matter);
 * - rim: outside the pore and within `rim_A` of its outline, in the pore's own antiphase domain, > `apb_A` from the APB;
 * - APB zone: the other antiphase domain (the layer phase jumps by π across a cation APB), within `apb_A` of the
 *   boundary, within 4·rim_A of the pore (all of it when there is no pore);
 * - bulk: the pore's domain, > 3·rim_A from the pore and > 2·apb_A from the APB;
 * - the pore outline's facets: boundary normals from the mass-thickness gradient, their angle to the layer normal (c),
 *   a 12-bin histogram over [0°, 180°), the facet anisotropy |⟨e^{2iθ}⟩|, the {003} share (normal within 15° of c),
 *   the {003} roughness (RMS position along c about each side's mean, Å) and the sharpness of the other facets
 *   (1 − circular variance of their doubled angles), as src/kinetics/ncm/facets.ts defines them on the lattice.
 */
import { boundaryFacets } from '../../core/index.js';
import type { PoreFacets as KineticsPoreFacets } from '../../kinetics/index.js';
import { gaussianBlur } from '../../multislice/index.js';
import { blockUpsample, smoothWide } from './spectral.js';
import { sample, sampleMedian, sortedQuantile } from './stats.js';
import type { LayerPhase } from './layers.js';
import type { Vec2 } from './lattice.js';

/** Region codes per pixel and column. */
export const Region = { NONE: 0, PORE: 1, RIM: 2, APB: 3, BULK: 4 } as const;
export const REGION_NAMES: readonly string[] = ['other', 'pore', 'rim', 'apb', 'bulk'];

/** Pore outline statistics: the kinetics' projected-pore statistics (same names, units, definitions) on the image. */
export type PoreFacets = KineticsPoreFacets & {
  /** Boundary pixels used. */
  boundaryPixels: number;
};

/** The regions of a frame. */
export interface FrameRegions {
  /** Region code per pixel (Region). */
  readonly map: Uint8Array;
  /** Pixel masks (1 = in region). */
  readonly pore: Uint8Array;
  readonly antiphase: Uint8Array;
  /** Mass-thickness proxy (low-passed signal above vacuum) relative to the bulk level (1 = bulk). */
  readonly massThickness: Float32Array;
  readonly facets: PoreFacets;
  /** Area per region, Å². */
  readonly area_A2: Record<string, number>;
  readonly warnings: string[];
}

/** Options of {@link segmentRegions}. */
export interface RegionOptions {
  readonly pixel_A: Vec2;
  /** Rim shell width and APB half-width, Å (run's defaults: 6 and 5). */
  readonly rim_A?: number;
  readonly apb_A?: number;
  /** Pore threshold: fraction of the bulk mass-thickness (default 0.5). */
  readonly poreThreshold?: number;
  /** Signal of vacuum (0 for a frame in fraction of the beam); undefined: unknown (the pore is then not segmented). */
  readonly vacuumLevel?: number;
  /** Low-pass width, px (half a lattice period: the rows average out). */
  readonly smooth_px: number;
  /** Smallest pore kept, px². */
  readonly minPore_px2: number;
  /** Unit vector of the layer normal (c) in image coordinates, for the facets. */
  readonly cAxis: Vec2;
  /** Layer phase (layered zone): antiphase domains. */
  readonly layers?: LayerPhase;
}

/**
 * Exact Euclidean distance (Å) from every pixel to the nearest pixel with `mask` set (Infinity when none), with pixel
 * sizes sx, sy: the separable lower-envelope transform of Felzenszwalb & Huttenlocher (Theory of Computing 8, 415 (2012)).
 */
export function distanceTransform(mask: Uint8Array, W: number, H: number, sx: number, sy: number): Float32Array {
  const INF = 1e20;
  const f = new Float64Array(W * H);
  for (let i = 0; i < W * H; i++) f[i] = mask[i] ? 0 : INF;
  const n = Math.max(W, H);
  const v = new Int32Array(n), z = new Float64Array(n + 1), g = new Float64Array(n), d = new Float64Array(n);
  // One 1D pass of the lower envelope of parabolas g(q) + (s·(x − q))² over `len` values at `base + q·stride`.
  const pass = (base: number, stride: number, len: number, s: number): void => {
    const s2 = s * s;
    let k = -1;
    for (let q = 0; q < len; q++) {
      const gq = f[base + q * stride]!;
      g[q] = gq;
      if (gq >= INF) continue;
      if (k < 0) { k = 0; v[0] = q; z[0] = -Infinity; z[1] = Infinity; continue; }
      let p = v[k]!;
      let sp = (gq + s2 * q * q - (g[p]! + s2 * p * p)) / (2 * s2 * (q - p));
      while (sp <= z[k]!) { k--; p = v[k]!; sp = (gq + s2 * q * q - (g[p]! + s2 * p * p)) / (2 * s2 * (q - p)); }
      k++; v[k] = q; z[k] = sp; z[k + 1] = Infinity;
    }
    if (k < 0) return; // no finite value on this line
    k = 0;
    for (let q = 0; q < len; q++) {
      while (z[k + 1]! < q) k++;
      const p = v[k]!;
      d[q] = s2 * (q - p) * (q - p) + g[p]!;
    }
    for (let q = 0; q < len; q++) f[base + q * stride] = d[q]!;
  };
  for (let y = 0; y < H; y++) pass(y * W, 1, W, sx);
  for (let x = 0; x < W; x++) pass(x, W, H, sy);
  const out = new Float32Array(W * H);
  for (let i = 0; i < W * H; i++) out[i] = f[i]! >= INF / 2 ? Infinity : Math.sqrt(f[i]!);
  return out;
}

/** 4-connected components of `mask`: label per pixel (0 = background) and sizes (index = label − 1). */
export function components(mask: Uint8Array, W: number, H: number): { label: Int32Array; sizes: number[] } {
  const label = new Int32Array(W * H), sizes: number[] = [];
  const stack = new Int32Array(W * H);
  for (let s = 0; s < W * H; s++) {
    if (!mask[s] || label[s]) continue;
    const id = sizes.length + 1;
    let top = 0, n = 0;
    stack[top++] = s; label[s] = id;
    while (top > 0) {
      const p = stack[--top]!;
      n++;
      const x = p % W, y = (p - x) / W;
      if (x > 0 && mask[p - 1] && !label[p - 1]) { label[p - 1] = id; stack[top++] = p - 1; }
      if (x < W - 1 && mask[p + 1] && !label[p + 1]) { label[p + 1] = id; stack[top++] = p + 1; }
      if (y > 0 && mask[p - W] && !label[p - W]) { label[p - W] = id; stack[top++] = p - W; }
      if (y < H - 1 && mask[p + W] && !label[p + W]) { label[p + W] = id; stack[top++] = p + W; }
    }
    sizes.push(n);
  }
  return { label, sizes };
}

/** Drops components of `mask` smaller than `min` pixels, in place. */
function dropSmall(mask: Uint8Array, W: number, H: number, min: number): void {
  const { label, sizes } = components(mask, W, H);
  for (let i = 0; i < W * H; i++) if (mask[i] && sizes[label[i]! - 1]! < min) mask[i] = 0;
}

const median = sampleMedian;

/**
 * Antiphase mask from the layer phase: the doubled phase e^{2iφ} is the same in both domains, so its wide average
 * (unwrapped on a coarse grid) gives the reference phase ψ/2 up to π, smooth across the APB; a pixel whose phase is
 * more than π/2 from it lies in the other domain. The sign is fixed so that `reference` pixels (the pore's rim, or
 * the whole frame) are mostly in the reference domain.
 */
function antiphaseMask(p: LayerPhase, reference: Uint8Array | undefined, cell_px: number, minArea_px: number): Uint8Array {
  const W = p.width, H = p.height;
  const b = Math.max(4, Math.round(cell_px));
  const gw = Math.ceil(W / b), gh = Math.ceil(H / b);
  const cr = new Float32Array(gw * gh), ci = new Float32Array(gw * gh);
  const med = median(p.amplitude);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const i = y * W + x, a = p.amplitude[i]!;
    if (!(a >= 0.3 * med)) continue;
    const g = Math.floor(y / b) * gw + Math.floor(x / b);
    cr[g]! += a * Math.cos(2 * p.phase[i]!);
    ci[g]! += a * Math.sin(2 * p.phase[i]!);
  }
  const sr = gaussianBlur(cr, gw, gh, 2, 2, false), si = gaussianBlur(ci, gw, gh, 2, 2, false);
  // Quality-guided unwrapping of ψ on the grid, from the strongest node.
  const mag = Float32Array.from(sr, (v, i) => Math.hypot(v, si[i]!));
  const psi = Float64Array.from(sr, (v, i) => Math.atan2(si[i]!, v));
  const un = new Float64Array(gw * gh).fill(NaN);
  let start = 0;
  for (let i = 1; i < gw * gh; i++) if (mag[i]! > mag[start]!) start = i;
  un[start] = psi[start]!;
  const queue: number[] = [start];
  const seen = new Uint8Array(gw * gh);
  seen[start] = 1;
  while (queue.length > 0) {
    // Pop the strongest pending node (grids are small: a linear scan is fine).
    let bi = 0;
    for (let k = 1; k < queue.length; k++) if (mag[queue[k]!]! > mag[queue[bi]!]!) bi = k;
    const q = queue.splice(bi, 1)[0]!;
    const qx = q % gw, qy = (q - qx) / gw;
    for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) {
      const nx = qx + dx, ny = qy + dy;
      if (nx < 0 || ny < 0 || nx >= gw || ny >= gh) continue;
      const m = ny * gw + nx;
      if (seen[m]) continue;
      seen[m] = 1;
      const d = psi[m]! - psi[q]!;
      un[m] = un[q]! + d - 2 * Math.PI * Math.round(d / (2 * Math.PI));
      queue.push(m);
    }
  }
  const refMap = blockUpsample(un, gw, gh, b, W, H);
  const ref = (x: number, y: number): number => refMap[y * W + x]! / 2;
  const sign = new Int8Array(W * H);
  let plus = 0, minus = 0;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const i = y * W + x;
    if (!(p.amplitude[i]! >= 0.3 * med)) continue;
    const s = Math.cos(p.phase[i]! - ref(x, y)) >= 0 ? 1 : -1;
    sign[i] = s;
    if (!reference || reference[i]) { if (s > 0) plus++; else minus++; }
  }
  const anti = plus >= minus ? -1 : 1;
  const mask = new Uint8Array(W * H);
  for (let i = 0; i < W * H; i++) if (sign[i] === anti) mask[i] = 1;
  dropSmall(mask, W, H, minArea_px);
  return mask;
}

/** Segments the regions of a frame (see module doc). */
export function segmentRegions(img: Float32Array, W: number, H: number, o: RegionOptions): FrameRegions {
  const [sx, sy] = o.pixel_A;
  const rim = o.rim_A ?? 6, apb = o.apb_A ?? 5;
  const warnings: string[] = [];
  const smooth = smoothWide(img, W, H, o.smooth_px);
  const vac = o.vacuumLevel;
  // The bulk level: the 80th percentile of the low-passed signal (the median when crystal fills the frame is a little
  // lower; a particle on vacuum, or a large pore, would pull a median down to the vacuum).
  const bulkLevel = sortedQuantile(sample(smooth), 0.8);
  const mt = new Float32Array(W * H);
  const pore = new Uint8Array(W * H);
  if (vac === undefined) {
    warnings.push('intensity offset unknown (no vacuum level): the pore (mass-thickness < 50 % of the bulk) is not segmented; normalise to fraction of the beam (--normalise fraction, --detector-scan, or a dose with counts)');
    mt.fill(NaN);
  } else {
    const den = bulkLevel - vac;
    for (let i = 0; i < W * H; i++) mt[i] = den > 0 ? (smooth[i]! - vac) / den : NaN;
    const th = o.poreThreshold ?? 0.5;
    for (let i = 0; i < W * H; i++) if (mt[i]! < th) pore[i] = 1;
    dropSmall(pore, W, H, o.minPore_px2);
    // Fill holes: background components not touching the frame edge.
    const inv = Uint8Array.from(pore, (v) => 1 - v);
    const { label, sizes } = components(inv, W, H);
    const touches = new Uint8Array(sizes.length + 1);
    for (let x = 0; x < W; x++) { touches[label[x]!] = 1; touches[label[(H - 1) * W + x]!] = 1; }
    for (let y = 0; y < H; y++) { touches[label[y * W]!] = 1; touches[label[y * W + W - 1]!] = 1; }
    for (let i = 0; i < W * H; i++) if (inv[i] && !touches[label[i]!]) pore[i] = 1;
  }
  const hasPore = pore.some((v) => v === 1);
  const dPore = hasPore ? distanceTransform(pore, W, H, sx, sy) : new Float32Array(W * H).fill(Infinity);
  // Antiphase domain (layered zone only).
  let anti: Uint8Array = new Uint8Array(W * H);
  if (o.layers) {
    let reference: Uint8Array | undefined;
    if (hasPore) {
      reference = new Uint8Array(W * H);
      for (let i = 0; i < W * H; i++) if (!pore[i] && dPore[i]! <= rim) reference[i] = 1;
    }
    anti = antiphaseMask(o.layers, reference, 2 * o.smooth_px, o.minPore_px2);
  }
  const hasApb = anti.some((v) => v === 1);
  let dApb: Float32Array = new Float32Array(W * H).fill(Infinity);
  if (hasApb) {
    // Boundary: pixels of either domain with a 4-neighbour in the other (pore pixels excluded).
    const edge = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      const i = y * W + x;
      if (pore[i]) continue;
      const a = anti[i];
      if ((x > 0 && !pore[i - 1] && anti[i - 1] !== a) || (x < W - 1 && !pore[i + 1] && anti[i + 1] !== a) || (y > 0 && !pore[i - W] && anti[i - W] !== a) || (y < H - 1 && !pore[i + W] && anti[i + W] !== a)) edge[i] = 1;
    }
    dApb = distanceTransform(edge, W, H, sx, sy);
  }
  const map = new Uint8Array(W * H);
  for (let i = 0; i < W * H; i++) {
    if (pore[i]) { map[i] = Region.PORE; continue; }
    const dp = dPore[i]!, da = dApb[i]!;
    if (!anti[i] && dp <= rim && da > apb) map[i] = Region.RIM;
    else if (anti[i] && da <= apb && (!hasPore || dp <= 4 * rim)) map[i] = Region.APB;
    else if (!anti[i] && dp > 3 * rim && da > 2 * apb) map[i] = Region.BULK;
  }
  const area_A2: Record<string, number> = {};
  REGION_NAMES.forEach((nm, r) => { let k = 0; for (let i = 0; i < W * H; i++) if (map[i] === r) k++; area_A2[nm] = k * sx * sy; });
  const facets = poreFacets(pore, mt, W, H, o.pixel_A, o.cAxis);
  return { map, pore, antiphase: anti, massThickness: mt, facets, area_A2, warnings };
}

/** Facet statistics of the pore outline (see module doc; src/core/image boundaryFacets, lengths in Å). */
export function poreFacets(pore: Uint8Array, field: Float32Array, W: number, H: number, pixel_A: Vec2, cAxis: Vec2): PoreFacets {
  const f = boundaryFacets(pore, field, W, H, pixel_A[0], pixel_A[1], cAxis);
  return {
    area_A2: f.area, orientationHistogram: f.orientationHistogram, facetAnisotropy: f.facetAnisotropy, fraction003: f.fraction003,
    roughness003_A: f.roughness003, sharpnessOther: f.sharpnessOther, boundaryPixels: f.boundaryPixels,
  };
}
