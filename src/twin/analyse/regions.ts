/**
 * Regions of a frame, on the same definitions as the simulation's (src/twin/run/regions.ts, src/kinetics facets):
 *
 * - pore: where the mass-thickness, read as the low-passed HAADF signal above the vacuum level, is below half the
 *   bulk's (the image counterpart of run's projected pore area: columns holding < 50 % of the bulk's matter);
 * - rim: outside the pore and within `rim_A` of its outline, in the pore's own antiphase domain, > `apb_A` from the APB;
 * - APB zone: the other antiphase domain (the layer phase jumps by π across a cation APB), within `apb_A` of the
 *   boundary, within 4·rim_A of the pore (all of it when there is no pore);
 * - bulk: the pore's domain, > 3·rim_A from the pore and > 2·apb_A from the APB;
 * - the pore outline's facets: boundary normals from the mass-thickness gradient, their angle to the layer normal (c),
 *   a 12-bin histogram over [0°, 180°), the facet anisotropy |⟨e^{2iθ}⟩|, the {003} share (normal within 15° of c),
 *   the {003} roughness (RMS position along c about each side's mean, Å) and the sharpness of the other facets
 *   (1 − circular variance of their doubled angles), as src/kinetics/ncm/facets.ts defines them on the lattice.
 */
import { gaussianBlur } from '../../multislice/index.js';
import type { LayerPhase } from './layers.js';
import type { Vec2 } from './lattice.js';

/** Region codes per pixel and column. */
export const Region = { NONE: 0, PORE: 1, RIM: 2, APB: 3, BULK: 4 } as const;
export const REGION_NAMES: readonly string[] = ['other', 'pore', 'rim', 'apb', 'bulk'];

/** Pore outline statistics (same names and units as src/kinetics/ncm/facets.ts). */
export interface PoreFacets {
  area_A2: number;
  orientationHistogram: number[];
  facetAnisotropy: number;
  fraction003: number;
  roughness003_A: number;
  sharpnessOther: number;
  /** Boundary pixels used. */
  boundaryPixels: number;
}

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
  /** Low-pass width, px (about one lattice period). */
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
  const pass = (n: number, get: (k: number) => number, set: (k: number, v: number) => void, s: number) => {
    const v = new Int32Array(n), z = new Float64Array(n + 1), d = new Float64Array(n), g = new Float64Array(n);
    for (let q = 0; q < n; q++) g[q] = get(q);
    let k = 0;
    v[0] = 0; z[0] = -Infinity; z[1] = Infinity;
    for (let q = 1; q < n; q++) {
      let sp: number;
      for (;;) {
        const p = v[k]!;
        sp = (g[q]! + (s * q) ** 2 - (g[p]! + (s * p) ** 2)) / (2 * s * s * (q - p));
        if (sp <= z[k]! && k > 0) k--; else break;
      }
      if (sp <= z[k]!) { v[0] = q; z[0] = -Infinity; z[1] = Infinity; k = 0; continue; }
      k++; v[k] = q; z[k] = sp; z[k + 1] = Infinity;
    }
    k = 0;
    for (let q = 0; q < n; q++) {
      while (z[k + 1]! < q) k++;
      const p = v[k]!;
      d[q] = (s * (q - p)) ** 2 + g[p]!;
    }
    for (let q = 0; q < n; q++) set(q, d[q]!);
  };
  for (let y = 0; y < H; y++) pass(W, (q) => f[y * W + q]!, (q, val) => { f[y * W + q] = val; }, sx);
  for (let x = 0; x < W; x++) pass(H, (q) => f[q * W + x]!, (q, val) => { f[q * W + x] = val; }, sy);
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

/** Median of a sample of the values of `a` where `use` (or everywhere). */
function median(a: ArrayLike<number>, use?: Uint8Array): number {
  const s: number[] = [];
  const step = Math.max(1, Math.floor(a.length / 100000));
  for (let i = 0; i < a.length; i += step) if (!use || use[i]) s.push(a[i]!);
  if (s.length === 0) return NaN;
  s.sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)]!;
}

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
  const ref = (x: number, y: number): number => {
    const gx = Math.min(gw - 1.000001, Math.max(0, x / b - 0.5)), gy = Math.min(gh - 1.000001, Math.max(0, y / b - 0.5));
    const ix = Math.floor(gx), iy = Math.floor(gy), tx = gx - ix, ty = gy - iy;
    const i00 = iy * gw + ix, i01 = Math.min(i00 + 1, gw * gh - 1), i10 = Math.min(i00 + gw, gw * gh - 1), i11 = Math.min(i10 + 1, gw * gh - 1);
    return ((un[i00]! * (1 - tx) + un[i01]! * tx) * (1 - ty) + (un[i10]! * (1 - tx) + un[i11]! * tx) * ty) / 2;
  };
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
  const smooth = gaussianBlur(img, W, H, o.smooth_px, o.smooth_px, false);
  const vac = o.vacuumLevel;
  const bulkLevel = median(smooth);
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

/** Facet statistics of the pore outline (see module doc); the gradient of `field` gives the boundary normals. */
export function poreFacets(pore: Uint8Array, field: Float32Array, W: number, H: number, pixel_A: Vec2, cAxis: Vec2): PoreFacets {
  const [sx, sy] = pixel_A;
  const cn = Math.hypot(cAxis[0], cAxis[1]) || 1;
  const ux = cAxis[0] / cn, uy = cAxis[1] / cn;
  const hist = new Array<number>(12).fill(0);
  let re = 0, im = 0, nb = 0, reO = 0, imO = 0, nO = 0, area = 0;
  const n003: { along: number; side: number }[] = [];
  for (let i = 0; i < W * H; i++) if (pore[i]) area++;
  for (let y = 1; y < H - 1; y++) for (let x = 1; x < W - 1; x++) {
    const p = y * W + x;
    if (!pore[p] || (pore[p - 1] && pore[p + 1] && pore[p - W] && pore[p + W])) continue;
    // Outward normal of the pore: towards increasing mass-thickness. Physical units (per Å).
    const gx = (field[p + 1]! - field[p - 1]!) / (2 * sx), gy = (field[p + W]! - field[p - W]!) / (2 * sy);
    const gl = Math.hypot(gx, gy);
    if (!(gl > 0)) continue;
    const dot = (gx * ux + gy * uy) / gl, crs = (gx * uy - gy * ux) / gl;
    let th = Math.atan2(crs, dot);
    if (th < 0) th += Math.PI;
    if (th >= Math.PI) th -= Math.PI;
    hist[Math.min(11, Math.floor((th / Math.PI) * 12))]!++;
    re += Math.cos(2 * th); im += Math.sin(2 * th); nb++;
    const dev = Math.min(th, Math.PI - th);
    const X = x * sx, Y = y * sy;
    if (dev < (15 * Math.PI) / 180) n003.push({ along: X * ux + Y * uy, side: gx * ux + gy * uy > 0 ? 1 : 0 });
    else { reO += Math.cos(2 * th); imO += Math.sin(2 * th); nO++; }
  }
  let rough = 0;
  if (n003.length > 0) {
    let ss = 0;
    for (const side of [0, 1]) {
      const v = n003.filter((q) => q.side === side).map((q) => q.along);
      if (v.length === 0) continue;
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      ss += v.reduce((a, b) => a + (b - m) ** 2, 0);
    }
    rough = Math.sqrt(ss / n003.length);
  }
  return {
    area_A2: area * sx * sy,
    orientationHistogram: hist.map((h) => (nb > 0 ? h / nb : 0)),
    facetAnisotropy: nb > 0 ? Math.hypot(re, im) / nb : 0,
    fraction003: nb > 0 ? n003.length / nb : 0,
    roughness003_A: rough,
    sharpnessOther: nO > 0 ? Math.hypot(reO, imO) / nO : 0,
    boundaryPixels: nb,
  };
}
