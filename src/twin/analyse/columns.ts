/**
 * Columns of one frame: lattice (Fourier estimate or given), local maxima, lattice refinement, basis (known zone cell
 * or folded), lattice-guided sites, sublattice assignment (layer phase for a layered zone, basis position otherwise),
 * and the joint Gaussian refinement (gaussfit.ts). Everything here is in pixels; frame.ts converts to Å.
 */
import { InputError } from '../../core/index.js';
import { gaussianBlur } from '../../multislice/index.js';
import { fitColumns, type GaussFit } from './gaussfit.js';
import { braggPeaks, cross, dot, estimateLattice, norm, pixelLattice, type PixelLattice, type Vec2 } from './lattice.js';
import { layerCoordinate, layerPhase, roleOf, type LayerPhase, type ZoneCell } from './layers.js';
import { displacementField, foldBasis, fractional, localMaxima, minSiteSeparation, pixelNoise, predictSites, refineOnMaxima, type Maximum } from './sites.js';
import { paddedSpectrum, type PaddedSpectrum } from './spectral.js';

/** Columns of a frame in pixels (struct of arrays). */
export interface PixelColumns {
  readonly n: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Sublattice id (zone: SiteRole 0 Li-layer, 1 M-layer, 2 O; general: basis index by decreasing intensity). */
  readonly sublattice: Uint8Array;
  /** 1 when the column had a local maximum of its own (else placed by the lattice). */
  readonly snapped: Uint8Array;
  /** Layer coordinate u (zone only; NaN otherwise). */
  readonly layerU: Float64Array;
  readonly fit: GaussFit;
  readonly amplitude: Float64Array;
}

/** What the column stage found. */
export interface ColumnStage {
  readonly lattice: PixelLattice;
  readonly origin: Vec2;
  /** Basis fractional positions and, per basis site, its sublattice (general mode). */
  readonly basis: Vec2[];
  readonly sublatticeNames: string[];
  readonly columns: PixelColumns;
  readonly maxima: number;
  readonly latticeRms_px: number;
  readonly layers?: LayerPhase;
  readonly spectrum: PaddedSpectrum;
  readonly smoothed: Float32Array;
  readonly pixelNoise: number;
  readonly warnings: string[];
  /** Wall time per stage, ms. */
  readonly timings_ms: Record<string, number>;
}

/** Options of {@link findColumns}. */
export interface ColumnOptions {
  /** Layered zone cell (layer-phase sublattices) or undefined (general: basis by folding). */
  readonly zone?: ZoneCell;
  /** Pixel size (x, y), Å: to check the lattice against the zone's. */
  readonly pixel_A: Vec2;
  /** Known lattice vectors in px (skips the Fourier estimate); still refined on the columns unless `fixLattice`. */
  readonly lattice?: { a1: Vec2; a2: Vec2 };
  readonly fixLattice?: boolean;
  readonly sweeps?: number;
  readonly background?: 'constant' | 'smooth' | 'vacuum';
  /** Vacuum level for background 'vacuum'. */
  readonly vacuumLevel?: number;
}

/** For a zone: the basis (a1 along the layers, a2 across) matching the zone cell among short lattice vectors. */
function matchZone(L: PixelLattice, zone: ZoneCell, px: Vec2, warnings: string[]): PixelLattice | undefined {
  const toA = (v: Vec2): number => Math.hypot(v[0] * px[0], v[1] * px[1]);
  const cands: Vec2[] = [];
  for (const [i, j] of [[1, 0], [0, 1], [1, 1], [1, -1], [2, 0], [0, 2], [2, 1], [1, 2], [2, -1], [1, -2]] as const) {
    cands.push([i * L.a1[0] + j * L.a2[0], i * L.a1[1] + j * L.a2[1]]);
  }
  // Half-vectors too: the c/3 fringe of two antiphase domains can cancel, leaving c/6 as the apparent period.
  const best = (len: number): Vec2 | undefined => {
    let b: Vec2 | undefined, e = Infinity;
    for (const v of cands) for (const m of [1, 2]) {
      const w: Vec2 = [v[0] * m, v[1] * m];
      const err = Math.abs(toA(w) / len - 1);
      if (err < e) { e = err; b = w; }
    }
    return e < 0.08 ? b : undefined;
  };
  const a1 = best(zone.a1_A), a2 = best(zone.a2_A);
  if (!a1 || !a2 || Math.abs(dot(a1, a2)) > 0.15 * norm(a1) * norm(a2)) {
    warnings.push(`the lattice found (|a1| = ${toA(L.a1).toFixed(3)} Å, |a2| = ${toA(L.a2).toFixed(3)} Å) does not match the [${zone.zone}] layered cell (${zone.a1_A.toFixed(3)} × ${zone.a2_A.toFixed(3)} Å): check --pixel-size and --zone; columns are assigned by basis position instead`);
    return undefined;
  }
  // a2 across the layers, right-handed.
  const b2: Vec2 = cross(a1, a2) > 0 ? a2 : [-a2[0], -a2[1]];
  return pixelLattice(a1, b2);
}

/** Finds, assigns and refines the columns of a frame (see module doc). */
export function findColumns(img: Float32Array, W: number, H: number, o: ColumnOptions): ColumnStage {
  const warnings: string[] = [];
  const timings_ms: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (k: string): void => { const t = performance.now(); timings_ms[k] = (timings_ms[k] ?? 0) + t - t0; t0 = t; };
  let zone = o.zone;
  let L0: PixelLattice | undefined;
  let failed: unknown;
  if (o.lattice) L0 = pixelLattice(o.lattice.a1, o.lattice.a2);
  else try { L0 = estimateLattice(img, W, H); } catch (e) { failed = e; }
  let rowsOnly = false;
  if (zone && !o.lattice) {
    const notes: string[] = [];
    const m = L0 ? matchZone(L0, zone, o.pixel_A, notes) : undefined;
    const fringe = m ? undefined : layerFringe(img, W, H, zone, o.pixel_A);
    if (m) L0 = m;
    else if (fringe) {
      L0 = fringe; rowsOnly = true;
      warnings.push(`the columns along the layers are not resolved (a/2 = ${(zone.a1_A / o.pixel_A[0]).toFixed(1)} px here): no column fits; the layer phase, regions, inset profiles and facets come from the layer fringe`);
    } else { warnings.push(...notes); zone = undefined; }
  }
  if (!L0) throw failed;
  // a1 points right (or down when vertical): a lattice is symmetric under a half turn, so the sign is a convention.
  if (L0.a1[0] < -1e-9 || (Math.abs(L0.a1[0]) <= 1e-9 && L0.a1[1] < 0)) L0 = pixelLattice([-L0.a1[0], -L0.a1[1]], [-L0.a2[0], -L0.a2[1]]);
  lap('lattice');
  if (rowsOnly) return layersOnly(img, W, H, L0, warnings, timings_ms);
  const amin = Math.min(norm(L0.a1), norm(L0.a2));
  // At least 3 cells along each lattice direction inside the frame.
  const span = (a: Vec2): number => Math.min(Math.abs(a[0]) > 1e-9 ? W / Math.abs(a[0]) : Infinity, Math.abs(a[1]) > 1e-9 ? H / Math.abs(a[1]) : Infinity);
  if (span(L0.a1) < 3 || span(L0.a2) < 3 || amin < 2.5) {
    throw new InputError('image', `${W}×${H} px with lattice vectors ${norm(L0.a1).toFixed(1)} and ${norm(L0.a2).toFixed(1)} px`, 'frames spanning at least 3 lattice periods in each direction, with columns ≥ 2.5 px apart');
  }
  const zoneBasis: Vec2[] | undefined = zone ? zone.basis.map((b) => b.f) : undefined;
  const sep0 = zoneBasis ? minSiteSeparation(L0, zoneBasis) : 0.5 * amin;
  const sigmaS = Math.max(1, Math.min(3, 0.15 * sep0));
  const smoothed = gaussianBlur(img, W, H, sigmaS, sigmaS, false);
  const noise = pixelNoise(img, W, H);
  const noiseS = noise / (2 * Math.sqrt(Math.PI) * sigmaS);
  let maxima = localMaxima(smoothed, W, H, 0.4 * sep0, 4 * noiseS);
  if (maxima.length < 6) throw new InputError('image', `${W}×${H} px, ${maxima.length} column(s) found`, 'a frame with resolved atomic columns (at least 6 above the noise)');
  lap('maxima');
  // Lattice and origin on the bright maxima (mostly one sublattice).
  const bright = [...maxima].sort((a, b) => b.prominence - a.prominence).slice(0, Math.max(20, Math.floor(0.3 * maxima.length)));
  const refined = o.fixLattice ? { lattice: L0, origin: refineOnMaxima(L0, bright).origin, rms_px: NaN } : refineOnMaxima(L0, bright);
  let L = refined.lattice, origin = refined.origin;
  // Basis.
  let basis: Vec2[];
  let names: string[];
  if (zone) {
    basis = zone.basis.map((b) => b.f);
    names = [];
  } else {
    const folded = foldBasis(L, origin, maxima);
    if (folded.length === 0) throw new InputError('image', `${W}×${H} px`, 'a crystalline frame whose columns repeat with the lattice');
    const f0 = folded[0]!.f;
    origin = [origin[0] + f0[0] * L.a1[0] + f0[1] * L.a2[0], origin[1] + f0[0] * L.a1[1] + f0[1] * L.a2[1]];
    basis = folded.map((s) => { const u = s.f[0] - f0[0], v = s.f[1] - f0[1]; return [u - Math.floor(u + 1e-9), v - Math.floor(v + 1e-9)] as Vec2; });
    names = basis.map((_, i) => String.fromCharCode(65 + i));
  }
  const sep = minSiteSeparation(L, basis);
  if (sep < 2) warnings.push(`two basis sites are only ${sep.toFixed(2)} px apart: positions of overlapping columns are poorly determined`);
  // Displacement field of the maxima from their nearest predicted site.
  const nearestSite = (m: Maximum): [number, number] | undefined => {
    const [u, v] = fractional(L, origin, m.x, m.y);
    let best: [number, number] | undefined, bd = Infinity;
    for (const b of basis) {
      const du = u - b[0] - Math.round(u - b[0]), dv = v - b[1] - Math.round(v - b[1]);
      const dx = du * L.a1[0] + dv * L.a2[0], dy = du * L.a1[1] + dv * L.a2[1];
      const d = dx * dx + dy * dy;
      if (d < bd) { bd = d; best = [dx, dy]; }
    }
    return best && Math.sqrt(bd) < 0.4 * sep ? best : undefined;
  };
  const samples: { x: number; y: number; dx: number; dy: number }[] = [];
  for (const m of bright) { const d = nearestSite(m); if (d) samples.push({ x: m.x, y: m.y, dx: d[0], dy: d[1] }); }
  const field = samples.length >= 10 ? displacementField(W, H, samples, 2 * Math.max(norm(L.a1), norm(L.a2))) : undefined;
  const sites = predictSites(L, origin, basis, W, H, field, maxima, 0.35 * sep);
  lap('sites');
  // Layer phase (zone) → sublattices.
  const spectrum = paddedSpectrum(img, W, H, 3 * Math.max(norm(L.a1), norm(L.a2)));
  let layers: LayerPhase | undefined;
  const n = sites.length;
  const sub = new Uint8Array(n), layerU = new Float64Array(n).fill(NaN);
  if (zone) {
    layers = layerPhase(spectrum, L.g2, L.a1, Math.max(1.5, 0.45 * norm(L.a1)), Math.max(2, norm(L.a2)));
    sites.forEach((s, t) => { const u = layerCoordinate(layers!, s.x, s.y); layerU[t] = u; sub[t] = roleOf(u, zone!); });
  } else sites.forEach((s, t) => { sub[t] = s.basis; });
  lap('layers');
  // Joint Gaussian refinement, widths per sublattice.
  const groups = zone ? 3 : basis.length;
  const x = Float64Array.from(sites, (s) => s.x), y = Float64Array.from(sites, (s) => s.y);
  let lo = Infinity;
  for (let i = 0; i < W * H; i += 3) lo = Math.min(lo, smoothed[i]!);
  const A = Float64Array.from(sites, (s) => Math.max(0, smoothed[Math.min(H - 1, Math.max(0, Math.round(s.y))) * W + Math.min(W - 1, Math.max(0, Math.round(s.x)))]! - lo));
  const free = Uint8Array.from(sites, (s) => (s.snapped ? 1 : 0));
  const snapped = Uint8Array.from(free);
  const fit = fitColumns(img, W, H, { n, x, y, A, group: sub, free }, {
    width0_px: new Array<number>(groups).fill(Math.max(0.8, 0.25 * sep)),
    backgroundStep_px: Math.max(12, 2.5 * Math.max(norm(L.a1), norm(L.a2))),
    ...(o.sweeps !== undefined ? { sweeps: o.sweeps } : {}), ...(o.background ? { background: o.background } : {}), ...(o.vacuumLevel !== undefined ? { vacuumLevel: o.vacuumLevel } : {}),
  });
  lap('fit');
  // General mode: rename basis sublattices by decreasing mean integrated intensity.
  if (!zone) {
    const mean = basis.map((_, b) => { let s = 0, k = 0; for (let i = 0; i < n; i++) if (sub[i] === b) { s += fit.volume[i]!; k++; } return k ? s / k : -Infinity; });
    const order = basis.map((_, b) => b).sort((p, q) => mean[q]! - mean[p]!);
    const rank = new Array<number>(basis.length);
    order.forEach((b, r) => { rank[b] = r; });
    for (let i = 0; i < n; i++) sub[i] = rank[sub[i]!]!;
    basis = order.map((b) => basis[b]!);
    const w = order.map((b) => fit.width_px[b]!);
    fit.width_px.set(w);
  }
  return {
    lattice: L, origin, basis, sublatticeNames: names,
    columns: { n, x, y, sublattice: sub, snapped, layerU, fit, amplitude: A },
    maxima: maxima.length, latticeRms_px: refined.rms_px, ...(layers ? { layers } : {}), spectrum, smoothed, pixelNoise: noise, warnings, timings_ms,
  };
}

/**
 * A layered zone whose columns along the layers are not resolved (too coarse a pixel, too much noise): the layer
 * fringe alone, the strongest Bragg peak at 1/(c/3) (or at 2/(c/3) when two antiphase domains cancel the first),
 * gives the layer normal; a1 is set along the layers at the zone's a/2. Undefined when there is no such fringe.
 */
function layerFringe(img: Float32Array, W: number, H: number, zone: ZoneCell, px: Vec2): PixelLattice | undefined {
  let best: { g: Vec2; p: number } | undefined;
  for (const q of braggPeaks(img, W, H, 24)) {
    const kA = Math.hypot(q.kx / px[0], q.ky / px[1]) * zone.a2_A; // in units of 1/(c/3)
    for (const m of [1, 2]) {
      if (Math.abs(kA / m - 1) > 0.08 || (best && best.p >= q.p)) continue;
      best = { g: [q.kx / m, q.ky / m], p: q.p };
    }
  }
  if (!best) return undefined;
  // Unit normal in Å space, then the cell vectors in px.
  const gA: Vec2 = [best.g[0] / px[0], best.g[1] / px[1]];
  const l = Math.hypot(gA[0], gA[1]);
  const n: Vec2 = [gA[0] / l, gA[1] / l], t: Vec2 = [-n[1], n[0]];
  const a1: Vec2 = [(t[0] * zone.a1_A) / px[0], (t[1] * zone.a1_A) / px[1]], a2: Vec2 = [(n[0] * zone.a2_A) / px[0], (n[1] * zone.a2_A) / px[1]];
  return cross(a1, a2) > 0 ? pixelLattice(a1, a2) : pixelLattice([-a1[0], -a1[1]], a2);
}

/** The column stage without columns: the layer phase only (layerFringe). */
function layersOnly(img: Float32Array, W: number, H: number, L: PixelLattice, warnings: string[], timings_ms: Record<string, number>): ColumnStage {
  const t0 = performance.now();
  const spectrum = paddedSpectrum(img, W, H, 3 * Math.max(norm(L.a1), norm(L.a2)));
  const layers = layerPhase(spectrum, L.g2, L.a1, Math.max(1.5, 0.45 * norm(L.a1)), Math.max(2, norm(L.a2)));
  timings_ms.layers = performance.now() - t0;
  let mean = 0;
  for (let i = 0; i < W * H; i++) mean += img[i]!;
  mean /= W * H;
  const empty = new Float64Array(0);
  const fit: GaussFit = {
    width_px: Float64Array.of(NaN, NaN, NaN), volume: empty, sigmaA: empty, sigmaPos_px: empty, residual: empty,
    background: new Float32Array(W * H).fill(mean), residualImage: Float32Array.from(img, (v) => v - mean), noise: pixelNoise(img, W, H), sweeps: 0,
  };
  return {
    lattice: L, origin: [0, 0], basis: [], sublatticeNames: [],
    columns: { n: 0, x: empty, y: empty, sublattice: new Uint8Array(0), snapped: new Uint8Array(0), layerU: empty, fit, amplitude: empty },
    maxima: 0, latticeRms_px: NaN, layers, spectrum, smoothed: img, pixelNoise: fit.noise, warnings, timings_ms,
  };
}
