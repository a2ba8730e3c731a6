/**
 * `analyseFrame`: one frame → columns (refined positions, widths, integrated intensities, sublattices, regions),
 * regions (pore, rim, APB zone, bulk) and pore facets, Li-site/M-site ratios per region (from the fitted columns and
 * from the seed's inset profiles across the layers), and the flat observables the onset rule table reads
 * (src/twin/timeline). Pure (no file I/O) and deterministic; the same on simulated and experimental frames.
 */
import { InputError } from '../../core/index.js';
import { NCM851005_METRIC, type LayeredMetric } from '../../lattice/index.js';
import { layerProfile, type LayerProfile } from '../profile/index.js';
import { findColumns } from './columns.js';
import { norm, type Vec2 } from './lattice.js';
import { LAYER_SUBLATTICES, zoneCell } from './layers.js';
import { Region, REGION_NAMES, segmentRegions, type PoreFacets } from './regions.js';

/** A frame: row-major values, width × height. */
export interface FrameImage {
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
}

/** What the numbers of a frame mean. */
export interface Calibration {
  /** Pixel size along x (and y unless pixelY_A), Å. */
  readonly pixelX_A: number;
  readonly pixelY_A?: number;
  /**
   * 'fraction': fraction of the incident beam (vacuum reads 0; integrated intensities are scattering cross-sections
   * in Å²); 'relative': unknown scale (ratios and positions still hold; the pore needs `vacuumLevel`).
   */
  readonly intensity: 'fraction' | 'relative';
  /** Signal of vacuum in image units (default 0 for 'fraction', unknown for 'relative'). */
  readonly vacuumLevel?: number;
}

/** Options of {@link analyseFrame}. */
export interface AnalyseOptions {
  /** Layered-oxide zone axis ('210'): sublattices from the layer phase, APB domains. Omit for a general crystal. */
  readonly zone?: string;
  /** Hexagonal metric of the layered oxide (default NCM851005). */
  readonly metric?: LayeredMetric;
  /**
   * Known lattice vectors in Å, image coordinates (x right, y down): skips the Fourier estimate (e.g. a simulated
   * frame whose orientation and pixel size are known). For a zone, a1 along the layers and a2 across them (c/3).
   */
  readonly lattice_A?: { readonly a1: Vec2; readonly a2: Vec2 };
  /** Keep the given lattice as is (default: refined on the columns). */
  readonly fixLattice?: boolean;
  /** Rim shell width, APB half-width, Å (run's defaults 6 and 5), pore threshold (fraction of bulk, default 0.5). */
  readonly rim_A?: number;
  readonly apb_A?: number;
  readonly poreThreshold?: number;
  /** Gaussian refinement sweeps (default 5). */
  readonly sweeps?: number;
  /**
   * Background of the Gaussian model: 'constant' (StatSTEM's ζ, fitted; default), 'smooth' (a coarse bilinear surface)
   * or 'vacuum' (fixed at the vacuum level: needs a calibrated frame).
   */
  readonly background?: 'constant' | 'smooth' | 'vacuum';
}

/** Columns of a frame, struct of arrays (Å, image units). */
export interface ColumnTable {
  readonly n: number;
  readonly x_A: Float64Array;
  readonly y_A: Float64Array;
  /** Sublattice id (names in FrameAnalysis.sublattices). */
  readonly sublattice: Uint8Array;
  /** Region code (REGION_NAMES). */
  readonly region: Uint8Array;
  /** Integrated intensity 2πAw² (image units × Å²; the scattering cross-section in Å² for a frame in fraction of beam). */
  readonly intensity: Float64Array;
  /** Peak amplitude above the background (image units). */
  readonly amplitude: Float64Array;
  /** Gaussian width σ, Å. */
  readonly width_A: Float64Array;
  /** r.m.s. fit residual within 1.5σ of the column, image units. */
  readonly residual: Float64Array;
  /** Standard error of the position per axis, Å. */
  readonly sigmaPos_A: Float64Array;
  /** Amplitude / its standard error. */
  readonly significance: Float64Array;
  /** 1: stands ≥ 4σ above the background (a column, not an empty site). */
  readonly detected: Uint8Array;
  /** 1: within 2σ of the frame edge (partial window). */
  readonly edge: Uint8Array;
  /** 1: had a local maximum of its own; 0: placed by the lattice. */
  readonly maximum: Uint8Array;
}

/** Per sublattice summary. */
export interface SublatticeSummary {
  id: number;
  name: string;
  /** Position in the cell (fractions of a1, a2). */
  fraction: Vec2;
  count: number;
  detected: number;
  meanIntensity: number;
  width_A: number;
}

/** The Li-site/M-site ratio of a region. */
export interface RegionRatio {
  /** Mean Li-column / mean M-column integrated intensity (NaN without columns of both kinds). */
  columns: number;
  /** The inset profile's liSite / mSite (same definition as run's liMRatio). */
  profile: number;
  liColumns: number;
  mColumns: number;
}

/** The analysis of one frame. */
export interface FrameAnalysis {
  readonly width: number;
  readonly height: number;
  readonly calibration: Required<Pick<Calibration, 'pixelX_A' | 'pixelY_A' | 'intensity'>> & { vacuumLevel?: number };
  readonly zone?: string;
  /** The refined lattice in Å (image coordinates) and where it came from. */
  readonly lattice: { a1_A: Vec2; a2_A: Vec2; length1_A: number; length2_A: number; angle_deg: number; rotation_deg: number; origin_A: Vec2; source: 'fourier' | 'given'; rms_A: number };
  readonly sublattices: SublatticeSummary[];
  readonly columns: ColumnTable;
  readonly regions: { map: Uint8Array; area_A2: Record<string, number>; facets: PoreFacets; massThickness: Float32Array; antiphase: Uint8Array };
  readonly ratios: Record<string, RegionRatio>;
  /** The seed's inset profiles across the layers, per region (layered zone only). */
  readonly profiles: Record<string, LayerProfile>;
  /** Flat observables (names of src/twin/timeline's onset rules, e.g. liMRatio.rim, poreArea_A2, roughness003_A). */
  readonly observables: Record<string, number>;
  /** Layer normal (unit vector across the layers, image coordinates); zone only. */
  readonly layerNormal?: Vec2;
  /** The residual image (data − model) and the fitted background. */
  readonly residual: Float32Array;
  readonly background: Float32Array;
  readonly noise: number;
  readonly warnings: string[];
  readonly timings_ms: Record<string, number>;
}

/** Observables analyseFrame computes (the image-side names of the onset rule table, and the rest). */
export const FRAME_OBSERVABLES: readonly string[] = Object.freeze([
  'liMRatio.rim', 'liMRatio.apb', 'liMRatio.bulk', 'liMColumnRatio.rim', 'liMColumnRatio.apb', 'liMColumnRatio.bulk',
  'poreArea_A2', 'facetAnisotropy', 'fraction003', 'roughness003_A', 'sharpnessOther', 'apbArea_A2',
]);

/** Checks the frame's values: all finite (a few non-finite pixels are replaced by the median, with a warning). */
function cleanFrame(img: FrameImage, warnings: string[]): Float32Array {
  const { data, width: W, height: H } = img;
  if (!Number.isInteger(W) || !Number.isInteger(H) || W < 1 || H < 1 || data.length !== W * H) throw new InputError('image', `${data.length} values for ${W}×${H}`, 'width × height values');
  if (W < 16 || H < 16) throw new InputError('image', `${W}×${H} px`, 'frames of at least 16×16 px holding several lattice periods');
  let bad = 0;
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) bad++;
  if (bad === data.length) throw new InputError('image', `all ${bad} pixels NaN or infinite`, 'finite pixel values');
  if (bad > 0.01 * data.length) throw new InputError('image', `${bad} of ${data.length} pixels NaN or infinite`, 'finite pixel values (at most 1 % bad pixels, which are replaced by the median)');
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < data.length; i++) if (Number.isFinite(data[i]!)) { lo = Math.min(lo, data[i]!); hi = Math.max(hi, data[i]!); }
  if (!(hi > lo)) throw new InputError('image', `constant ${lo}`, 'a frame with contrast (atomic columns)');
  if (bad === 0) return data;
  const s: number[] = [];
  for (let i = 0; i < data.length; i += 7) if (Number.isFinite(data[i]!)) s.push(data[i]!);
  s.sort((a, b) => a - b);
  const med = s[Math.floor(s.length / 2)]!;
  warnings.push(`${bad} non-finite pixel(s) replaced by the median ${med}`);
  return Float32Array.from(data, (v) => (Number.isFinite(v) ? v : med));
}

/** Analyses one frame (see module doc). Throws InputError (field `image`, `calibration.*`, `--zone`) on bad input. */
export function analyseFrame(img: FrameImage, cal: Calibration, o: AnalyseOptions = {}): FrameAnalysis {
  const warnings: string[] = [];
  const sx = cal.pixelX_A, sy = cal.pixelY_A ?? cal.pixelX_A;
  if (!(sx > 0 && Number.isFinite(sx))) throw new InputError('calibration.pixelX_A', sx, 'a pixel size > 0 Å (from the file, a sidecar or --pixel-size)');
  if (!(sy > 0 && Number.isFinite(sy))) throw new InputError('calibration.pixelY_A', sy, 'a pixel size > 0 Å');
  if (cal.intensity !== 'fraction' && cal.intensity !== 'relative') throw new InputError('calibration.intensity', cal.intensity, "'fraction' or 'relative'");
  if (o.background !== undefined && o.background !== 'constant' && o.background !== 'smooth' && o.background !== 'vacuum') throw new InputError('background', o.background, "'constant', 'smooth' or 'vacuum'");
  const vac0 = cal.vacuumLevel ?? (cal.intensity === 'fraction' ? 0 : undefined);
  if (o.background === 'vacuum' && vac0 === undefined) throw new InputError('background', 'vacuum', "a known vacuum level: a frame in fraction of the beam, or calibration.vacuumLevel");
  for (const [k, v] of [['rim_A', o.rim_A], ['apb_A', o.apb_A]] as const) if (v !== undefined && !(v > 0 && Number.isFinite(v))) throw new InputError(k, v, 'a length > 0 Å');
  if (o.poreThreshold !== undefined && !(o.poreThreshold > 0 && o.poreThreshold < 1)) throw new InputError('poreThreshold', o.poreThreshold, 'a fraction of the bulk level in (0, 1)');
  const data = cleanFrame(img, warnings);
  const W = img.width, H = img.height;
  const zone = o.zone !== undefined ? zoneCell(o.zone, o.metric ?? NCM851005_METRIC) : undefined;
  const given = o.lattice_A ? { a1: [o.lattice_A.a1[0] / sx, o.lattice_A.a1[1] / sy] as Vec2, a2: [o.lattice_A.a2[0] / sx, o.lattice_A.a2[1] / sy] as Vec2 } : undefined;
  const st = findColumns(data, W, H, { ...(zone ? { zone } : {}), pixel_A: [sx, sy], ...(given ? { lattice: given } : {}), ...(o.fixLattice ? { fixLattice: true } : {}), ...(o.sweeps !== undefined ? { sweeps: o.sweeps } : {}), ...(o.background ? { background: o.background } : {}), ...(vac0 !== undefined ? { vacuumLevel: vac0 } : {}) });
  warnings.push(...st.warnings);
  const timings_ms = { ...st.timings_ms };
  let t0 = performance.now();
  const L = st.lattice;
  const zoned = zone !== undefined && st.layers !== undefined;
  // Layer normal (c) in image coordinates: g2 (across the layers) for a zone, else g2 of the reduced basis.
  const gA: Vec2 = [L.g2[0] / sx, L.g2[1] / sy];
  const gl = norm(gA);
  const cAxis: Vec2 = [gA[0] / gl, gA[1] / gl];
  const vacuum = cal.vacuumLevel ?? (cal.intensity === 'fraction' ? 0 : undefined);
  const period = Math.max(norm(L.a1), norm(L.a2));
  const regions = segmentRegions(data, W, H, {
    pixel_A: [sx, sy], ...(o.rim_A !== undefined ? { rim_A: o.rim_A } : {}), ...(o.apb_A !== undefined ? { apb_A: o.apb_A } : {}),
    ...(o.poreThreshold !== undefined ? { poreThreshold: o.poreThreshold } : {}), ...(vacuum !== undefined ? { vacuumLevel: vacuum } : {}),
    smooth_px: Math.max(2, 0.5 * period), minPore_px2: Math.max(16, 2 * Math.abs(L.a1[0] * L.a2[1] - L.a1[1] * L.a2[0])), cAxis,
    ...(zoned ? { layers: st.layers! } : {}),
  });
  warnings.push(...regions.warnings);
  timings_ms.regions = performance.now() - t0;
  t0 = performance.now();
  // Column table in Å.
  const c = st.columns, f = c.fit, n = c.n;
  const area = sx * sy, wScale = Math.sqrt(sx * sy);
  const table: ColumnTable = {
    n, x_A: Float64Array.from(c.x, (v) => v * sx), y_A: Float64Array.from(c.y, (v) => v * sy), sublattice: c.sublattice,
    region: new Uint8Array(n), intensity: Float64Array.from(f.volume, (v) => v * area), amplitude: Float64Array.from(c.amplitude),
    width_A: Float64Array.from(c.sublattice, (g) => f.width_px[g]! * wScale), residual: Float64Array.from(f.residual),
    sigmaPos_A: Float64Array.from(f.sigmaPos_px, (v) => v * wScale), significance: new Float64Array(n), detected: new Uint8Array(n),
    edge: new Uint8Array(n), maximum: Uint8Array.from(c.snapped),
  };
  for (let i = 0; i < n; i++) {
    const xi = Math.min(W - 1, Math.max(0, Math.round(c.x[i]!))), yi = Math.min(H - 1, Math.max(0, Math.round(c.y[i]!)));
    table.region[i] = regions.map[yi * W + xi]!;
    table.significance[i] = c.amplitude[i]! / f.sigmaA[i]!;
    table.detected[i] = table.significance[i]! >= 4 ? 1 : 0;
    const m = 2 * f.width_px[c.sublattice[i]!]!;
    table.edge[i] = c.x[i]! < m || c.y[i]! < m || c.x[i]! > W - 1 - m || c.y[i]! > H - 1 - m ? 1 : 0;
  }
  const names = zoned ? [...LAYER_SUBLATTICES] : st.sublatticeNames;
  const sublattices: SublatticeSummary[] = names.map((name, id) => {
    let count = 0, det = 0, s = 0;
    for (let i = 0; i < n; i++) if (c.sublattice[i] === id && !table.edge[i]) { count++; det += table.detected[i]!; s += table.intensity[i]!; }
    const frac: Vec2 = zoned ? (zone!.basis.find((b) => b.role === id)?.f ?? [0, 0]) : (st.basis[id] ?? [0, 0]);
    return { id, name, fraction: frac, count, detected: det, meanIntensity: count ? s / count : NaN, width_A: f.width_px[id]! * wScale };
  });
  // Ratios and inset profiles per region (layered zone).
  const ratios: Record<string, RegionRatio> = {};
  const profiles: Record<string, LayerProfile> = {};
  const observables: Record<string, number> = {};
  if (zoned) {
    const LI = 0, M = 1;
    const normalA: Vec2 = cAxis;
    const periodA = 1 / gl;
    for (const r of [Region.RIM, Region.APB, Region.BULK]) {
      const nm = REGION_NAMES[r]!;
      let sLi = 0, nLi = 0, sM = 0, nM = 0, cu = 0, su = 0;
      for (let i = 0; i < n; i++) {
        if (table.region[i] !== r || table.edge[i]) continue;
        if (c.sublattice[i] === LI) { sLi += table.intensity[i]!; nLi++; }
        if (c.sublattice[i] === M) {
          sM += table.intensity[i]!; nM++;
          // M-row phase along the normal for the profile, as u = n·r of the pixel-centre convention of layerProfile.
          const u = (c.x[i]! + 0.5) * sx * normalA[0] + (c.y[i]! + 0.5) * sy * normalA[1];
          cu += Math.cos((2 * Math.PI * u) / periodA); su += Math.sin((2 * Math.PI * u) / periodA);
        }
      }
      const mask = new Uint8Array(W * H);
      let pix = 0;
      for (let i = 0; i < W * H; i++) if (regions.map[i] === r) { mask[i] = 1; pix++; }
      let prof = NaN;
      if (pix > 0) {
        // The M rows' phase from the fitted M columns; without columns, the profile's own brightest fold phase.
        let ph = (Math.atan2(su, cu) / (2 * Math.PI)) * periodA;
        ph = ((ph % periodA) + periodA) % periodA;
        const p = layerProfile(data, W, H, { mask }, { sampling_A: sy, samplingX_A: sx, period_A: periodA, normal: normalA, ...(nM > 0 ? { mPhase_A: ph } : {}) });
        profiles[nm] = p;
        prof = p.ratio;
      }
      ratios[nm] = { columns: nLi && nM ? sLi / nLi / (sM / nM) : NaN, profile: prof, liColumns: nLi, mColumns: nM };
      observables[`liMRatio.${nm}`] = prof;
      observables[`liMColumnRatio.${nm}`] = ratios[nm]!.columns;
    }
  }
  if (vacuum !== undefined) observables.poreArea_A2 = regions.facets.area_A2;
  if (regions.facets.boundaryPixels > 0) {
    observables.facetAnisotropy = regions.facets.facetAnisotropy;
    observables.fraction003 = regions.facets.fraction003;
    observables.roughness003_A = regions.facets.roughness003_A;
    observables.sharpnessOther = regions.facets.sharpnessOther;
  }
  if (zoned) observables.apbArea_A2 = regions.area_A2.apb ?? 0;
  timings_ms.ratios = performance.now() - t0;
  const a1: Vec2 = [L.a1[0] * sx, L.a1[1] * sy], a2: Vec2 = [L.a2[0] * sx, L.a2[1] * sy];
  const ang = (Math.acos(Math.max(-1, Math.min(1, (a1[0] * a2[0] + a1[1] * a2[1]) / (norm(a1) * norm(a2))))) * 180) / Math.PI;
  return {
    width: W, height: H, calibration: { pixelX_A: sx, pixelY_A: sy, intensity: cal.intensity, ...(vacuum !== undefined ? { vacuumLevel: vacuum } : {}) },
    ...(zoned ? { zone: zone!.zone } : {}),
    lattice: {
      a1_A: a1, a2_A: a2, length1_A: norm(a1), length2_A: norm(a2), angle_deg: ang, rotation_deg: (Math.atan2(a1[1], a1[0]) * 180) / Math.PI,
      origin_A: [st.origin[0] * sx, st.origin[1] * sy], source: given ? 'given' : 'fourier', rms_A: st.latticeRms_px * wScale,
    },
    sublattices, columns: table,
    regions: { map: regions.map, area_A2: regions.area_A2, facets: regions.facets, massThickness: regions.massThickness, antiphase: regions.antiphase },
    ratios, profiles, observables, ...(zoned ? { layerNormal: cAxis } : {}),
    residual: f.residualImage, background: f.background, noise: f.noise, warnings, timings_ms,
  };
}
