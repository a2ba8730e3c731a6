/**
 * Per-sample parameters of the synthetic training set, drawn from `Rng.stream(seed, Stream.DATASET_SAMPLE, sampleIndex)` so that any
 * sample can be regenerated alone (sharding, resuming) with exactly the same bytes. Every quantity carries its
 * unit in its name. The ranges live in `DatasetConfig`; the defaults describe heated NCM851005 lamellae.
 */
import { InputError, Rng, Stream } from '../../core/index.js';
import { SEED_MICROSCOPE } from '../../multislice/index.js';

/** Product-phase patch kinds: disordered rock salt (Li/TM shuffled over both cation layers) or NiO (all cations Ni²⁺). */
export type PatchPhase = 'rocksalt' | 'NiO';

/** Ranges the sample parameters are drawn from. Discrete lists are used where the incoherent calibration is keyed. */
export interface DatasetConfig {
  /** Image side, pixels (square images); default 64. */
  readonly size_px: number;
  /** Pixel size, Å; default 0.25. */
  readonly pixel_A: number;
  /** Zone axes drawn uniformly; default ['210', '100', '110']. */
  readonly zones: readonly ('210' | '100' | '110')[];
  /** Lamella thicknesses, Å (one drawn uniformly; rounded to whole periods by the builder); default [30, 50]. */
  readonly thicknesses_A: readonly number[];
  /** Defocus values, Å (one drawn uniformly; each value costs one column calibration per element); default [−20, 0, 20]. */
  readonly defoci_A: readonly number[];
  /** Ni fraction of the TM sites, range; default [0.6, 0.9]; Co:Mn split uniformly. */
  readonly niFraction: readonly [number, number];
  /** Li/Ni mixing (fraction of Li-layer sites holding Ni), range; default [0, 0.1]. */
  readonly mixing: readonly [number, number];
  /** Li content of the Li layers, range; default [0.5, 1]. */
  readonly liContent: readonly [number, number];
  /** Probability of a nanopore; default 0.4. Radius range Å: default [3, 6]. */
  readonly poreProbability: number;
  readonly poreRadius_A: readonly [number, number];
  /** Probability of an APB on (1 −2 0); default 0.3 (only where the zone allows the default plane). */
  readonly apbProbability: number;
  /** Probability of a product-phase patch; default 0.5. Radius range Å: default [3, 7]. */
  readonly patchProbability: number;
  readonly patchRadius_A: readonly [number, number];
  /** Total dose, e⁻/Å², log-uniform range; default [2e3, 1e5]. */
  readonly dose_ePerA2: readonly [number, number];
  /** Fast frames per image, integer range; default [1, 6]. */
  readonly frames: readonly [number, number];
  /** r.m.s. linear drift per frame and axis, Å; default 0.3. */
  readonly driftRms_APerFrame: number;
  /** Maximum random-walk drift per frame, Å; default 0.2. */
  readonly driftWalkMax_APerFrame: number;
  /** Maximum scan-line jitter r.m.s., Å; default 0.08. */
  readonly lineJitterMax_A: number;
  /** Accelerating voltage, V; default 200 kV. Probe semi-angle, mrad; default 15. Detector, mrad; default 70–180. */
  readonly energy_eV: number;
  readonly semiangle_mrad: number;
  readonly detector_mrad: readonly [number, number];
  /** Wave sampling of the column calibration, Å; default 0.045 (resolves 180 mrad at 200 kV). */
  readonly sampling_A: number;
  /** Gaussian source size σ, Å; default 0.3. */
  readonly sourceSize_A: number;
}

export const DEFAULT_DATASET_CONFIG: DatasetConfig = Object.freeze({
  size_px: 64, pixel_A: 0.25, zones: ['210', '100', '110'] as const, thicknesses_A: [30, 50], defoci_A: [-20, 0, 20],
  niFraction: [0.6, 0.9] as const, mixing: [0, 0.1] as const, liContent: [0.5, 1] as const,
  poreProbability: 0.4, poreRadius_A: [3, 6] as const, apbProbability: 0.3, patchProbability: 0.5, patchRadius_A: [3, 7] as const,
  dose_ePerA2: [2e3, 1e5] as const, frames: [1, 6] as const, driftRms_APerFrame: 0.3, driftWalkMax_APerFrame: 0.2, lineJitterMax_A: 0.08,
  energy_eV: SEED_MICROSCOPE.energy_eV, semiangle_mrad: SEED_MICROSCOPE.semiangle_mrad, detector_mrad: [SEED_MICROSCOPE.detector.inner_mrad, SEED_MICROSCOPE.detector.outer_mrad] as const, sampling_A: 0.045, sourceSize_A: 0.3,
});

/** Margin of lamella around the field of view on each side, Å (room for drift and the probe tails). */
export const FIELD_MARGIN_A = 4;

/** Everything that defines one sample (all drawn from the sample's stream). */
export interface SampleParams {
  readonly index: number;
  readonly seed: number;
  readonly zone: '210' | '100' | '110';
  readonly composition: { Ni: number; Co: number; Mn: number };
  readonly thickness_A: number;
  readonly mixing: number;
  readonly liContent: number;
  /** Lateral lamella size, Å (field plus margins). */
  readonly lamellaSize_A: number;
  /** Field-of-view origin inside the lamella, Å. */
  readonly fieldOrigin_A: readonly [number, number];
  readonly pore: { radius_A: number; centre_A: readonly [number, number, number] } | null;
  readonly apb: boolean;
  readonly patch: { phase: PatchPhase; radius_A: number; centre_A: readonly [number, number] } | null;
  readonly defocus_A: number;
  readonly dose_ePerA2: number;
  readonly frames: number;
  readonly drift_APerFrame: readonly [number, number];
  readonly driftWalk_APerFrame: number;
  readonly lineJitter_A: number;
  /** Seed of the structure occupation and of the acquisition noise. */
  readonly occupationSeed: number;
  readonly noiseSeed: number;
}

const uni = (r: Rng, [a, b]: readonly [number, number]): number => a + (b - a) * r.uniform();
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[r.int(xs.length)]!;

/** Checks a config (InputError naming the field). */
export function checkDatasetConfig(c: DatasetConfig): void {
  if (!Number.isInteger(c.size_px) || c.size_px < 8 || c.size_px > 4096) throw new InputError('size', c.size_px, 'an integer 8…4096 px');
  if (!(c.pixel_A > 0.02 && c.pixel_A <= 2)) throw new InputError('pixel', c.pixel_A, 'a pixel size in (0.02, 2] Å');
  if (c.zones.length === 0) throw new InputError('zones', c.zones, 'at least one of 210, 100, 110');
  if (c.thicknesses_A.length === 0 || c.thicknesses_A.some((t) => !(t >= 3 && t <= 2000))) throw new InputError('thicknesses', c.thicknesses_A, 'thicknesses 3…2000 Å');
  if (c.defoci_A.length === 0 || c.defoci_A.some((d) => !Number.isFinite(d))) throw new InputError('defoci', c.defoci_A, 'finite defocus values, Å');
  if (!(c.dose_ePerA2[0] > 0 && c.dose_ePerA2[1] >= c.dose_ePerA2[0])) throw new InputError('dose', c.dose_ePerA2, 'a range 0 < min ≤ max, e⁻/Å²');
  if (!(Number.isInteger(c.frames[0]) && c.frames[0] >= 1 && c.frames[1] >= c.frames[0])) throw new InputError('frames', c.frames, 'an integer range 1 ≤ min ≤ max');
}

/** Draws the parameters of sample `index` of the set with `seed` (pure: same inputs → same parameters). */
export function sampleParams(seed: number, index: number, c: DatasetConfig = DEFAULT_DATASET_CONFIG): SampleParams {
  const r = Rng.stream(seed, Stream.DATASET_SAMPLE, index);
  const zone = pick(r, c.zones);
  const ni = uni(r, c.niFraction);
  const coShare = r.uniform();
  const composition = { Ni: ni, Co: (1 - ni) * coShare, Mn: (1 - ni) * (1 - coShare) };
  const thickness_A = pick(r, c.thicknesses_A);
  const field = c.size_px * c.pixel_A;
  const lamellaSize_A = field + 2 * FIELD_MARGIN_A;
  const fieldOrigin_A = [FIELD_MARGIN_A * (0.5 + r.uniform()), FIELD_MARGIN_A * (0.5 + r.uniform())] as const;
  const inField = (): [number, number] => [fieldOrigin_A[0] + field * (0.15 + 0.7 * r.uniform()), fieldOrigin_A[1] + field * (0.15 + 0.7 * r.uniform())];
  const hasPore = r.uniform() < c.poreProbability;
  const poreR = uni(r, c.poreRadius_A), poreXY = inField();
  const pore = hasPore ? { radius_A: poreR, centre_A: [poreXY[0], poreXY[1], thickness_A / 2] as const } : null;
  const apb = r.uniform() < c.apbProbability && zone === '210';
  const hasPatch = r.uniform() < c.patchProbability;
  const patchPhase: PatchPhase = r.uniform() < 0.5 ? 'rocksalt' : 'NiO';
  const patchR = uni(r, c.patchRadius_A), patchXY = inField();
  const patch = hasPatch ? { phase: patchPhase, radius_A: patchR, centre_A: patchXY } : null;
  const defocus_A = pick(r, c.defoci_A);
  const [d0, d1] = c.dose_ePerA2;
  const dose_ePerA2 = d0 * Math.exp(Math.log(d1 / d0) * r.uniform());
  const frames = c.frames[0] + r.int(c.frames[1] - c.frames[0] + 1);
  const drift_APerFrame = [c.driftRms_APerFrame * r.normal(), c.driftRms_APerFrame * r.normal()] as const;
  const driftWalk_APerFrame = c.driftWalkMax_APerFrame * r.uniform();
  const lineJitter_A = c.lineJitterMax_A * r.uniform();
  return {
    index, seed, zone, composition, thickness_A, mixing: uni(r, c.mixing), liContent: uni(r, c.liContent), lamellaSize_A, fieldOrigin_A,
    pore, apb, patch, defocus_A, dose_ePerA2, frames, drift_APerFrame, driftWalk_APerFrame, lineJitter_A,
    occupationSeed: 1 + r.int(0x7fffffff), noiseSeed: r.int(0x7fffffff),
  };
}
