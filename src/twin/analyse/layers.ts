/**
 * Layered oxides seen edge-on: the projected cell of a zone axis, and the local layer phase.
 *
 * Hexagonal [210] of R-3m LiMO2 (src/lattice, MODEL.md §2) projects onto a rectangular cell: a/2 along the layers
 * (every cation and anion column of a layer sits on the same in-plane positions: the ABC stacking shift projects to
 * zero) and c/3 across them, with an M row at 0, O rows at ±(1/3 − z_O)·c and a Li row at c/6 (fractions 0, ±0.224,
 * ½ of c/3 for NCM851005). The cation APB swaps Li and M planes (a shift of c/6 across the layers), so which row of a
 * cell is the M row is decided locally, by the layer phase: the phase of the image's c/3 fringe (lock-in at the
 * (003) reciprocal vector, as geometric phase analysis does); M rows are the fringe maxima (heavy cations scatter far
 * more than Li or O). A column's layer coordinate u = g·r + φ(r)/2π (mod 1) is ≈ 0 on M rows, ≈ ½ on Li rows and
 * ≈ ±0.224 on O rows.
 */
import { InputError } from '../../core/index.js';
import { NCM851005_METRIC, SITE_LABELS, SiteRole, type LayeredMetric } from '../../lattice/index.js';
import type { Vec2 } from './lattice.js';
import { lockIn, lockInCoarse, type PaddedSpectrum } from './spectral.js';
import { sampleMedian } from './stats.js';

/** Zone axes with a built-in projected cell. */
export const ANALYSE_ZONES = ['210'] as const;
export type AnalyseZone = (typeof ANALYSE_ZONES)[number];

/** A zone's projected cell: a1 along the layers, a2 across them (Å), and its basis rows. */
export interface ZoneCell {
  readonly zone: AnalyseZone;
  /** Lengths of a1 (in the layers) and a2 (across them, one M-layer period), Å. */
  readonly a1_A: number;
  readonly a2_A: number;
  /** Basis: fractional (along a1, along a2 from an M row) and the site role (SiteRole: 0 Li-layer, 1 M-layer, 2 O). */
  readonly basis: readonly { f: Vec2; role: number }[];
  /** Half-width of the M / O / Li bands in the layer coordinate u. */
  readonly oRow: number;
}

/** The projected cell of a layered-oxide zone axis (only [210] is built in). */
export function zoneCell(zone: string, metric: LayeredMetric = NCM851005_METRIC): ZoneCell {
  if (zone !== '210') throw new InputError('--zone', zone, `one of ${ANALYSE_ZONES.join(', ')} (layered R-3m, hexagonal 3-index), or omit it for a general crystal`);
  const o = 3 * (1 / 3 - metric.zO); // O row offset from the M row in units of c/3
  return {
    zone: '210', a1_A: metric.a_A / 2, a2_A: metric.c_A / 3, oRow: o,
    basis: [
      { f: [0, 0], role: SiteRole.M_LAYER },
      { f: [0, o], role: SiteRole.ANION },
      { f: [0, 0.5], role: SiteRole.LI_LAYER },
      { f: [0, 1 - o], role: SiteRole.ANION },
    ],
  };
}

/** Names of the layered sublattices by SiteRole id. */
export const LAYER_SUBLATTICES: readonly string[] = SITE_LABELS;

/** The local layer phase of a frame. */
export interface LayerPhase {
  /** Reciprocal vector across the layers, cycles/px (|g| = 1 / layer period). */
  readonly g: Vec2;
  /** Phase φ(r), rad, and the fringe amplitude |Z|, per pixel. */
  readonly phase: Float32Array;
  readonly amplitude: Float32Array;
  readonly width: number;
  readonly height: number;
}

/**
 * The layer phase at frequency g (lock-in widths σ along and across the layers, px); where the fringe is weak (below a
 * quarter of its median: a pore, rock salt) the phase of a 3× wider isotropic lock-in is used, which carries the
 * surrounding layers' phase in.
 */
export function layerPhase(spec: PaddedSpectrum, g: Vec2, along: Vec2, sigmaAlong_px: number, sigmaAcross_px: number): LayerPhase {
  // Narrow along the layers (an APB edge-on across them is resolved to a column), a layer period across them. Mixing in
  // the other antiphase domain only lowers |Z| (its Z is −Z), so the phase flips where the two domains weigh equally.
  const near = lockIn(spec, g[0], g[1], { along, sigmaAlong_px, sigmaAcross_px });
  const far = lockInCoarse(spec, g[0], g[1], 3 * sigmaAcross_px);
  const n = spec.width * spec.height;
  const amp = new Float32Array(n), phase = new Float32Array(n);
  for (let i = 0; i < n; i++) amp[i] = Math.hypot(near.re[i]!, near.im[i]!);
  const med = sampleMedian(amp);
  for (let i = 0; i < n; i++) {
    phase[i] = amp[i]! >= 0.25 * med ? Math.atan2(near.im[i]!, near.re[i]!) : Math.atan2(far.im[i]!, far.re[i]!);
  }
  return { g, phase, amplitude: amp, width: spec.width, height: spec.height };
}

/** Layer coordinate u ∈ (−½, ½] of the point (x, y) px: 0 on M rows, ½ on Li rows (nearest-pixel phase). */
export function layerCoordinate(p: LayerPhase, x: number, y: number): number {
  const ix = Math.min(p.width - 1, Math.max(0, Math.round(x))), iy = Math.min(p.height - 1, Math.max(0, Math.round(y)));
  const u = p.g[0] * x + p.g[1] * y + p.phase[iy * p.width + ix]! / (2 * Math.PI);
  return u - Math.round(u);
}

/** The SiteRole of a column from its layer coordinate (bands split halfway between the rows). */
export function roleOf(u: number, cell: ZoneCell): number {
  const a = Math.abs(u);
  if (a < cell.oRow / 2) return SiteRole.M_LAYER;
  if (a < (cell.oRow + 0.5) / 2) return SiteRole.ANION;
  return SiteRole.LI_LAYER;
}
