/**
 * The training set's configuration (ranges with units in their names) and the per-item draws made from it.
 *
 * Units of work and their random streams, all pure functions of (seed, id, config), so that any item can be made alone
 * (shards, worker threads, resume) with the same bytes:
 *  - sample k: `Rng.stream(seed, Stream.DATASET_SAMPLE, k)`: view (rotation, crop centre, pixel size), optics
 *    (defocus, source size), acquisition (dose, frames, drift, jitter, scan distortion) and, for a kinetics-evolved
 *    sample, the trajectory frame (temperature);
 *  - synthetic specimen g = ⌊k / samplesPerSpecimen⌋: `Rng.stream(seed, Stream.DATASET_SPECIMEN, g)`: zone, composition,
 *    thickness, pore, APB, product-phase patches, occupation;
 *  - bundle b = ⌊k / bundleSize⌋ (the unit of sharding and of the train/validation/test split);
 *  - kinetic trajectory j of split s: `Rng.stream(seed, Stream.DATASET_TRAJECTORY, s, j)` (kinetic.ts).
 * Which samples are kinetics-evolved and which split a bundle belongs to follow golden-ratio (low-discrepancy)
 * sequences shifted by the seed, so the shares hold to within one item over any run of items.
 */
import { InputError, Rng, Stream } from '../../core/index.js';
import { ZONE_AXES, type ZoneAxis } from '../../lattice/index.js';
import { SEED_MICROSCOPE } from '../../multislice/index.js';

/** A closed range [min, max] (min = max: a fixed value). */
export type Range = readonly [number, number];

/** Product-phase patches a synthetic specimen may hold (labels: phases.ts). */
export const PATCH_PHASES = ['rocksalt', 'NiO', 'Ni', 'Li2O'] as const;
export type PatchPhase = (typeof PATCH_PHASES)[number];

/** Imaging of a sample: the fast calibrated incoherent renderer or PRISM (multislice with the S-matrix). */
export type SampleRenderer = 'incoherent' | 'prism';

/** Output formats: NumPy bundles and/or one set of files per sample. */
export const DATASET_FORMATS = ['npz', 'files'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

/** Kinetics-evolved samples: trajectories of the forward model (kinetic.ts). */
export interface KineticConfig {
  /** Temperature programmes drawn from: the seed study's staircase to 500 °C and/or the drying recipe. */
  readonly protocols: readonly ('seed' | 'drying')[];
  /** Lamella of a trajectory: lateral size and thickness, Å (KMC cost grows with the site count). */
  readonly lamellaSize_A: number;
  readonly thickness_A: number;
  /** Pore radius range, Å; APB probability. */
  readonly poreRadius_A: Range;
  readonly apbProbability: number;
  /** Samples served by one trajectory (its KMC cost is paid once for all of them). */
  readonly samplesPerTrajectory: number;
}

/** Ranges the samples are drawn from. */
export interface DatasetConfig {
  /** Image side, px (square images). */
  readonly size_px: number;
  /** Pixel size range, Å (uniform). */
  readonly pixel_A: Range;
  /** In-plane rotation range, degrees (uniform). */
  readonly rotation_deg: Range;
  /** Zone axes (uniform). */
  readonly zones: readonly ZoneAxis[];
  /** Lamella thickness range, Å (uniform; rounded to whole periods by the builder). */
  readonly thickness_A: Range;
  /** Ni share of the TM sites (Co:Mn split uniformly), Li/Ni mixing, Li content of the Li layers. */
  readonly niFraction: Range;
  readonly mixing: Range;
  readonly liContent: Range;
  /** Probability and radius range (Å) of a nanopore through the lamella's middle. */
  readonly poreProbability: number;
  readonly poreRadius_A: Range;
  /** Probability of a cationic APB on (1 −2 0) (zone [210] only, where it is edge-on). */
  readonly apbProbability: number;
  /** Expected number of product-phase patches per specimen (Poisson), their radius (Å) and phases. */
  readonly patchesPerSpecimen: number;
  readonly patchRadius_A: Range;
  readonly patchPhases: readonly PatchPhase[];
  /** Samples (views) cut from one synthetic specimen. */
  readonly samplesPerSpecimen: number;
  /** Share of kinetics-evolved samples, 0…1. */
  readonly kineticShare: number;
  readonly kinetics: KineticConfig;
  /** Microscope: beam energy (eV), probe semi-angle (mrad), HAADF detector (mrad), Cs (Å). */
  readonly energy_eV: number;
  readonly semiangle_mrad: number;
  readonly detector_mrad: Range;
  readonly Cs_A: number;
  /** Defocus range, Å (drawn on a DEFOCUS_GRID_A grid); calibrations at nodes every defocusNodeStep_A, interpolated. */
  readonly defocus_A: Range;
  readonly defocusNodeStep_A: number;
  /** Gaussian source size σ range, Å. */
  readonly sourceSize_A: Range;
  /** Column calibration by multislice: wave sampling (Å) and frozen-phonon configurations (0 = static lattice). */
  readonly calibrationSampling_A: number;
  readonly phonons: number;
  /** Total dose range, e⁻/Å² (log-uniform). */
  readonly dose_ePerA2: Range;
  /** Fast frames per image (integer range), registered and summed. */
  readonly frames: Range;
  /** r.m.s. linear drift per frame and axis, Å; random-walk drift r.m.s. per frame, Å. */
  readonly drift_APerFrame: number;
  readonly driftWalk_APerFrame: number;
  /** Scan-line jitter r.m.s. range, Å (a random x offset per line; not in the labels). */
  readonly lineJitter_A: Range;
  /** Largest scan distortion: relative x/y scale error and shear, dimensionless (e.g. 0.02 = 2 %). */
  readonly scanDistortion: number;
  /** Line-synchronous oscillation (mains pick-up): amplitude range, Å, and period range in scan lines. */
  readonly hum_A: Range;
  readonly humPeriod_lines: Range;
  /** Detector: gain (counts per electron), offset (counts), Gaussian read noise (counts r.m.s. per frame). */
  readonly gain: number;
  readonly offset: number;
  readonly readNoise: number;
  /** Share of samples imaged by PRISM instead of the incoherent renderer, 0…1 (slow: minutes per 256² sample). */
  readonly prismShare: number;
  /** Standard deviation of the Gaussian heat-map peaks, Å. */
  readonly heatmapSigma_A: number;
  /** Samples per .npz bundle (a multiple of samplesPerSpecimen). */
  readonly bundleSize: number;
  /** Train/validation/test shares (sum 1), assigned per bundle. */
  readonly split: readonly [number, number, number];
  readonly formats: readonly DatasetFormat[];
}

/** Defocus values are drawn on this grid, Å (the probe kernels are cached per value). */
export const DEFOCUS_GRID_A = 1;

export const DEFAULT_DATASET_CONFIG: DatasetConfig = Object.freeze({
  size_px: 256, pixel_A: [0.2, 0.3] as const, rotation_deg: [0, 360] as const, zones: ['210', '100', '110'] as const, thickness_A: [30, 80] as const,
  niFraction: [0.6, 0.9] as const, mixing: [0, 0.1] as const, liContent: [0.5, 1] as const,
  poreProbability: 0.5, poreRadius_A: [5, 20] as const, apbProbability: 0.3,
  patchesPerSpecimen: 1.5, patchRadius_A: [5, 15] as const, patchPhases: PATCH_PHASES,
  samplesPerSpecimen: 32, kineticShare: 0,
  kinetics: Object.freeze({ protocols: ['seed', 'drying'] as const, lamellaSize_A: 80, thickness_A: 40, poreRadius_A: [10, 20] as const, apbProbability: 0.5, samplesPerTrajectory: 4096 }),
  energy_eV: SEED_MICROSCOPE.energy_eV, semiangle_mrad: SEED_MICROSCOPE.semiangle_mrad,
  detector_mrad: [SEED_MICROSCOPE.detector.inner_mrad, SEED_MICROSCOPE.detector.outer_mrad] as const, Cs_A: 0,
  defocus_A: [-30, 30] as const, defocusNodeStep_A: 15, sourceSize_A: [0.25, 0.45] as const, calibrationSampling_A: 0.045, phonons: 4,
  dose_ePerA2: [2e3, 1e5] as const, frames: [1, 1] as const, drift_APerFrame: 0.3, driftWalk_APerFrame: 0.1, lineJitter_A: [0, 0.08] as const,
  scanDistortion: 0.02, hum_A: [0, 0.05] as const, humPeriod_lines: [8, 64] as const, gain: 1, offset: 0, readNoise: 0,
  prismShare: 0, heatmapSigma_A: 0.35, bundleSize: 64, split: [0.8, 0.1, 0.1] as const, formats: ['npz'] as const,
});

/** The CLI option (or config key) each field is reported under in errors. */
export const CONFIG_FIELDS: Readonly<Record<string, string>> = Object.freeze({
  size_px: '--size', pixel_A: '--pixel', rotation_deg: '--rotation', zones: '--zones', thickness_A: '--thickness', niFraction: '--ni-fraction',
  mixing: '--mixing', liContent: '--li-content', poreProbability: '--pore-probability', poreRadius_A: '--pore-radius', apbProbability: '--apb-probability',
  patchesPerSpecimen: '--patches', patchRadius_A: '--patch-radius', patchPhases: '--patch-phases', samplesPerSpecimen: '--samples-per-specimen',
  kineticShare: '--kinetic-share', 'kinetics.protocols': '--kinetic-protocols', 'kinetics.lamellaSize_A': '--kinetic-lamella',
  'kinetics.thickness_A': '--kinetic-thickness', 'kinetics.poreRadius_A': '--kinetic-pore-radius', 'kinetics.apbProbability': '--kinetic-apb-probability',
  'kinetics.samplesPerTrajectory': '--samples-per-trajectory', energy_eV: '--energy', semiangle_mrad: '--semiangle', detector_mrad: '--detector', Cs_A: '--cs',
  defocus_A: '--defocus', defocusNodeStep_A: '--defocus-node-step', sourceSize_A: '--source-size', calibrationSampling_A: '--calibration-sampling',
  phonons: '--phonons', dose_ePerA2: '--dose', frames: '--frames', drift_APerFrame: '--drift', driftWalk_APerFrame: '--drift-walk', lineJitter_A: '--jitter',
  scanDistortion: '--scan-distortion', hum_A: '--hum', humPeriod_lines: '--hum-period', gain: '--gain', offset: '--offset', readNoise: '--read-noise',
  prismShare: '--prism-share', heatmapSigma_A: '--heatmap-sigma', bundleSize: '--bundle-size', split: '--split', formats: '--format',
});

const fieldOf = (k: string): string => CONFIG_FIELDS[k] ?? k;

function checkRange(r: unknown, key: string, lo: number, hi: number, unit: string, opts: { integer?: boolean; exclusiveLo?: boolean } = {}): void {
  const f = fieldOf(key);
  const what = `a range MIN,MAX ${unit} with ${opts.exclusiveLo ? `${lo} <` : `${lo} ≤`} MIN ≤ MAX ≤ ${hi}${opts.integer ? ' (integers)' : ''}`;
  if (!Array.isArray(r) || r.length !== 2 || !r.every((v) => typeof v === 'number' && Number.isFinite(v))) throw new InputError(f, r, what);
  const [a, b] = r as [number, number];
  if (a > b) throw new InputError(f, r, what, 'the range is inverted: give MIN first');
  if (opts.exclusiveLo ? !(a > lo) : !(a >= lo)) throw new InputError(f, r, what);
  if (!(b <= hi)) throw new InputError(f, r, what);
  if (opts.integer && !(Number.isInteger(a) && Number.isInteger(b))) throw new InputError(f, r, what);
}

function checkNumber(v: unknown, key: string, lo: number, hi: number, unit: string, integer = false): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
    throw new InputError(fieldOf(key), v, `${integer ? 'an integer' : 'a number'} ${lo} … ${hi}${unit ? ` ${unit}` : ''}`);
  }
}

/** Checks a configuration; throws InputError naming the CLI option of the first bad field. */
export function checkDatasetConfig(c: DatasetConfig): void {
  checkNumber(c.size_px, 'size_px', 8, 4096, 'px', true);
  checkRange(c.pixel_A, 'pixel_A', 0.02, 2, 'Å', { exclusiveLo: true });
  checkRange(c.rotation_deg, 'rotation_deg', -360, 720, '°');
  if (!Array.isArray(c.zones) || c.zones.length === 0 || c.zones.some((z) => !(ZONE_AXES as readonly string[]).includes(z))) {
    throw new InputError(fieldOf('zones'), c.zones, `a comma list of zone axes from ${ZONE_AXES.join(', ')}`);
  }
  checkRange(c.thickness_A, 'thickness_A', 3, 2000, 'Å');
  checkRange(c.niFraction, 'niFraction', 0, 1, '');
  checkRange(c.mixing, 'mixing', 0, 0.5, '');
  checkRange(c.liContent, 'liContent', 0, 1, '');
  checkNumber(c.poreProbability, 'poreProbability', 0, 1, '');
  checkRange(c.poreRadius_A, 'poreRadius_A', 0, 500, 'Å', { exclusiveLo: true });
  checkNumber(c.apbProbability, 'apbProbability', 0, 1, '');
  checkNumber(c.patchesPerSpecimen, 'patchesPerSpecimen', 0, 50, '');
  checkRange(c.patchRadius_A, 'patchRadius_A', 0, 500, 'Å', { exclusiveLo: true });
  if (!Array.isArray(c.patchPhases) || c.patchPhases.some((p) => !(PATCH_PHASES as readonly string[]).includes(p)) || (c.patchPhases.length === 0 && c.patchesPerSpecimen > 0)) {
    throw new InputError(fieldOf('patchPhases'), c.patchPhases, `a comma list of phases from ${PATCH_PHASES.join(', ')}`);
  }
  checkNumber(c.samplesPerSpecimen, 'samplesPerSpecimen', 1, 1e6, '', true);
  // Pores and patches must fit the periodic cell (the builder refuses a pore wider than the cell).
  const fit = maxDefectRadius_A(specimenSize_A(c));
  if (c.poreProbability > 0 && c.poreRadius_A[1] > fit) throw new InputError(fieldOf('poreRadius_A'), c.poreRadius_A, `radii ≤ ${fit.toFixed(1)} Å (the specimen cell is ${specimenSize_A(c).toFixed(1)} Å wide for --size and --pixel)`);
  if (c.patchesPerSpecimen > 0 && c.patchRadius_A[1] > fit) throw new InputError(fieldOf('patchRadius_A'), c.patchRadius_A, `radii ≤ ${fit.toFixed(1)} Å (the specimen cell is ${specimenSize_A(c).toFixed(1)} Å wide for --size and --pixel)`);
  checkNumber(c.kineticShare, 'kineticShare', 0, 1, '');
  const k = c.kinetics;
  if (!Array.isArray(k.protocols) || k.protocols.length === 0 || k.protocols.some((p) => p !== 'seed' && p !== 'drying')) {
    throw new InputError(fieldOf('kinetics.protocols'), k.protocols, 'a comma list of seed, drying');
  }
  checkNumber(k.lamellaSize_A, 'kinetics.lamellaSize_A', 20, 1000, 'Å');
  checkNumber(k.thickness_A, 'kinetics.thickness_A', 10, 500, 'Å');
  checkRange(k.poreRadius_A, 'kinetics.poreRadius_A', 0, 500, 'Å');
  checkNumber(k.apbProbability, 'kinetics.apbProbability', 0, 1, '');
  const kfit = maxDefectRadius_A(k.lamellaSize_A) / (Math.sqrt(KINETIC_PORE_ASPECT_MAX) * KINETIC_FACET_REACH);
  if (c.kineticShare > 0 && k.poreRadius_A[1] > kfit) throw new InputError(fieldOf('kinetics.poreRadius_A'), k.poreRadius_A, `radii ≤ ${kfit.toFixed(1)} Å for --kinetic-lamella ${k.lamellaSize_A} Å (a faceted pore of aspect ${KINETIC_PORE_ASPECT_MAX} must fit the cell)`);
  if (k.poreRadius_A[0] < 5) throw new InputError(fieldOf('kinetics.poreRadius_A'), k.poreRadius_A, 'radii ≥ 5 Å (the scenario schema\'s smallest pore)');
  checkNumber(k.samplesPerTrajectory, 'kinetics.samplesPerTrajectory', 1, 1e9, '', true);
  checkNumber(c.energy_eV, 'energy_eV', 1e3, 5e6, 'eV');
  checkNumber(c.semiangle_mrad, 'semiangle_mrad', 1, 100, 'mrad');
  checkRange(c.detector_mrad, 'detector_mrad', 0, 1000, 'mrad');
  if (!(c.detector_mrad[1] > c.detector_mrad[0])) throw new InputError(fieldOf('detector_mrad'), c.detector_mrad, 'inner < outer angle, mrad');
  checkNumber(c.Cs_A, 'Cs_A', -1e8, 1e8, 'Å');
  checkRange(c.defocus_A, 'defocus_A', -1e4, 1e4, 'Å');
  checkNumber(c.defocusNodeStep_A, 'defocusNodeStep_A', 1, 1e4, 'Å');
  checkRange(c.sourceSize_A, 'sourceSize_A', 0, 5, 'Å');
  checkNumber(c.calibrationSampling_A, 'calibrationSampling_A', 0.005, 0.2, 'Å');
  checkNumber(c.phonons, 'phonons', 0, 64, '', true);
  checkRange(c.dose_ePerA2, 'dose_ePerA2', 0, 1e9, 'e⁻/Å²', { exclusiveLo: true });
  checkRange(c.frames, 'frames', 1, 100, '', { integer: true });
  checkNumber(c.drift_APerFrame, 'drift_APerFrame', 0, 100, 'Å');
  checkNumber(c.driftWalk_APerFrame, 'driftWalk_APerFrame', 0, 100, 'Å');
  checkRange(c.lineJitter_A, 'lineJitter_A', 0, 10, 'Å');
  checkNumber(c.scanDistortion, 'scanDistortion', 0, 0.2, '');
  checkRange(c.hum_A, 'hum_A', 0, 10, 'Å');
  checkRange(c.humPeriod_lines, 'humPeriod_lines', 2, 1e5, 'lines');
  checkNumber(c.gain, 'gain', 1e-6, 1e6, 'counts/e⁻');
  checkNumber(c.offset, 'offset', -1e9, 1e9, 'counts');
  checkNumber(c.readNoise, 'readNoise', 0, 1e6, 'counts');
  checkNumber(c.prismShare, 'prismShare', 0, 1, '');
  checkNumber(c.heatmapSigma_A, 'heatmapSigma_A', 0.01, 5, 'Å');
  checkNumber(c.bundleSize, 'bundleSize', 1, 65536, '', true);
  if (c.bundleSize % c.samplesPerSpecimen !== 0) {
    throw new InputError(fieldOf('bundleSize'), c.bundleSize, `a multiple of --samples-per-specimen (${c.samplesPerSpecimen}), so that no specimen spans two bundles`);
  }
  const s = c.split;
  if (!Array.isArray(s) || s.length !== 3 || s.some((v) => typeof v !== 'number' || !(v >= 0)) || Math.abs(s[0] + s[1] + s[2] - 1) > 1e-9) {
    throw new InputError(fieldOf('split'), s, 'three shares TRAIN,VAL,TEST ≥ 0 summing to 1, e.g. 0.8,0.1,0.1');
  }
  if (!Array.isArray(c.formats) || c.formats.length === 0 || c.formats.some((f) => !(DATASET_FORMATS as readonly string[]).includes(f))) {
    throw new InputError(fieldOf('formats'), c.formats, `a comma list of ${DATASET_FORMATS.join(', ')}`);
  }
}

/** Everything that defines one synthetic specimen (drawn from its stream). */
export interface SpecimenParams {
  readonly id: number;
  readonly zone: ZoneAxis;
  readonly composition: { Ni: number; Co: number; Mn: number };
  readonly thickness_A: number;
  readonly mixing: number;
  readonly liContent: number;
  /** Lateral size of the (periodic) lamella, Å: the rotated field of the largest pixel fits without repeating. */
  readonly size_A: number;
  /** Pore and patch centres as fractions of the periodic cell (the builder rounds the cell to whole periods). */
  readonly pore: { radius_A: number; centre: readonly [number, number] } | null;
  readonly apb: boolean;
  readonly patches: readonly { phase: PatchPhase; radius_A: number; centre: readonly [number, number] }[];
  readonly occupationSeed: number;
}

/** Everything that defines one sample (drawn from its stream). */
export interface SampleParams {
  readonly index: number;
  readonly seed: number;
  readonly bundle: number;
  readonly split: SplitName;
  /** 'synthetic' (a specimen of this set) or 'kinetic' (a frame of a KMC trajectory). */
  readonly kind: 'synthetic' | 'kinetic';
  readonly specimen: number;
  /** Kinetic samples: trajectory number within the split, and a uniform draw picking its frame. */
  readonly trajectory: number;
  readonly frameDraw: number;
  readonly renderer: SampleRenderer;
  readonly pixel_A: number;
  readonly rotation_deg: number;
  /** Centre of the field in the specimen, as fractions of its periodic cell. */
  readonly centre: readonly [number, number];
  readonly defocus_A: number;
  readonly sourceSize_A: number;
  readonly dose_ePerA2: number;
  readonly frames: number;
  /** Linear drift per frame, Å (x, y), per frame. */
  readonly drift_APerFrame: readonly (readonly [number, number])[];
  readonly driftWalk_APerFrame: number;
  readonly lineJitter_A: number;
  /** Scan distortion: x and y scale errors and shear (dimensionless). */
  readonly scale: readonly [number, number];
  readonly shear: number;
  readonly hum_A: number;
  readonly humPeriod_lines: number;
  readonly humPhase_rad: number;
  /** Seed of the per-sample noise (drift walk, jitter, Poisson, read noise). */
  readonly noiseSeed: number;
}

export const SPLIT_NAMES = ['train', 'val', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];

const GOLDEN = 0.6180339887498949;
const uni = (r: Rng, [a, b]: Range): number => (a === b ? a : a + (b - a) * r.uniform());

/** Split of bundle b: a golden-ratio sequence shifted by the seed, so the shares hold over any run of bundles. */
export function bundleSplit(seed: number, bundle: number, split: readonly [number, number, number]): SplitName {
  const u = (Rng.stream(seed, Stream.DATASET_SPLIT, 0).uniform() + GOLDEN * (bundle + 1)) % 1;
  return u < split[0] ? 'train' : u < split[0] + split[1] ? 'val' : 'test';
}

/** True when sample k is kinetics-evolved (golden-ratio sequence: the share holds over any run of samples). */
export function isKineticSample(seed: number, k: number, share: number): boolean {
  if (share <= 0) return false;
  if (share >= 1) return true;
  return (Rng.stream(seed, Stream.DATASET_SPLIT, 1).uniform() + GOLDEN * (k + 1)) % 1 < share;
}

/** Largest in-plane aspect of a trajectory's pore (drawn in [1, this]) and the reach of a faceted pore beyond its ellipsoid. */
export const KINETIC_PORE_ASPECT_MAX = 1.5;
export const KINETIC_FACET_REACH = 1.25;

/** Lateral size of a synthetic specimen, Å: the rotated field of the largest pixel plus 10 Å fits without repeating. */
export function specimenSize_A(c: DatasetConfig): number {
  return maxField_A(c) * Math.SQRT2 + 10;
}

/** Largest pore or patch radius a periodic cell of `size_A` holds (the builder rounds the cell down by ≤ half a period, ≤ 8 Å). */
export function maxDefectRadius_A(size_A: number): number {
  return 0.45 * (size_A - 8);
}

/** Largest field of view, Å (largest pixel size). */
export function maxField_A(c: DatasetConfig): number {
  return c.size_px * c.pixel_A[1];
}

/** Draws synthetic specimen `id` (pure). */
export function specimenParams(seed: number, id: number, c: DatasetConfig = DEFAULT_DATASET_CONFIG): SpecimenParams {
  const r = Rng.stream(seed, Stream.DATASET_SPECIMEN, id);
  const zone = c.zones[r.int(c.zones.length)]!;
  const ni = uni(r, c.niFraction), coShare = r.uniform();
  const composition = { Ni: ni, Co: (1 - ni) * coShare, Mn: (1 - ni) * (1 - coShare) };
  const thickness_A = uni(r, c.thickness_A);
  const size_A = specimenSize_A(c);
  const hasPore = r.uniform() < c.poreProbability;
  const poreR = uni(r, c.poreRadius_A);
  const pore = hasPore ? { radius_A: poreR, centre: [r.uniform(), r.uniform()] as const } : null;
  const apb = r.uniform() < c.apbProbability && zone === '210';
  // Poisson number of patches (core Rng.poisson, the one sampler).
  const nPatch = c.patchesPerSpecimen > 0 ? r.poisson(c.patchesPerSpecimen) : 0;
  const patches = Array.from({ length: nPatch }, () => ({
    phase: c.patchPhases[r.int(c.patchPhases.length)]!, radius_A: uni(r, c.patchRadius_A),
    centre: [r.uniform(), r.uniform()] as const,
  }));
  return {
    id, zone, composition, thickness_A, mixing: uni(r, c.mixing), liContent: uni(r, c.liContent), size_A, pore, apb, patches,
    occupationSeed: 1 + r.int(0x7fffffff),
  };
}

/** Draws the parameters of sample `index` of a set of `count` samples (pure: any sample can be drawn alone). */
export function sampleParams(seed: number, index: number, c: DatasetConfig = DEFAULT_DATASET_CONFIG, count = index + 1): SampleParams {
  const r = Rng.stream(seed, Stream.DATASET_SAMPLE, index);
  const bundle = Math.floor(index / c.bundleSize);
  const kind = isKineticSample(seed, index, c.kineticShare) ? 'kinetic' : 'synthetic';
  const trajectoryDraw = r.uniform(), frameDraw = r.uniform();
  const renderer: SampleRenderer = r.uniform() < c.prismShare ? 'prism' : 'incoherent';
  const pixel_A = uni(r, c.pixel_A);
  const rotation_deg = uni(r, c.rotation_deg);
  const centre = [r.uniform(), r.uniform()] as const;
  const [d0, d1] = c.defocus_A;
  const defocus_A = DEFOCUS_GRID_A * Math.round(uni(r, [d0, d1]) / DEFOCUS_GRID_A);
  const sourceSize_A = uni(r, c.sourceSize_A);
  const [q0, q1] = c.dose_ePerA2;
  const dose_ePerA2 = q0 === q1 ? q0 : q0 * Math.exp(Math.log(q1 / q0) * r.uniform());
  const frames = c.frames[0] + r.int(c.frames[1] - c.frames[0] + 1);
  const v = [c.drift_APerFrame * r.normal(), c.drift_APerFrame * r.normal()] as const;
  const drift_APerFrame = Array.from({ length: frames }, () => v);
  const driftWalk_APerFrame = c.driftWalk_APerFrame * r.uniform();
  const lineJitter_A = uni(r, c.lineJitter_A);
  const scale = [c.scanDistortion * (2 * r.uniform() - 1), c.scanDistortion * (2 * r.uniform() - 1)] as const;
  const shear = c.scanDistortion * (2 * r.uniform() - 1);
  const hum_A = uni(r, c.hum_A);
  const humPeriod_lines = uni(r, c.humPeriod_lines);
  const humPhase_rad = 2 * Math.PI * r.uniform();
  const noiseSeed = r.int(0x7fffffff);
  const split = bundleSplit(seed, bundle, c.split);
  const specimen = Math.floor(index / c.samplesPerSpecimen);
  const nTraj = trajectoriesPerSplit(c, count, split);
  return {
    index, seed, bundle, split, kind, specimen, trajectory: Math.min(nTraj - 1, Math.floor(trajectoryDraw * nTraj)), frameDraw, renderer,
    pixel_A, rotation_deg, centre, defocus_A, sourceSize_A, dose_ePerA2, frames, drift_APerFrame, driftWalk_APerFrame, lineJitter_A, scale, shear,
    hum_A, humPeriod_lines, humPhase_rad, noiseSeed,
  };
}

/** Distinct trajectories per split: the split's expected kinetic samples / samplesPerTrajectory, at least 1. */
export function trajectoriesPerSplit(c: DatasetConfig, count: number, split: SplitName): number {
  const share = c.split[SPLIT_NAMES.indexOf(split)]!;
  return Math.max(1, Math.ceil((count * c.kineticShare * share) / c.kinetics.samplesPerTrajectory));
}
