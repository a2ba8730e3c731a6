/**
 * Kinetics-evolved samples: frames of forward-model trajectories (src/twin/simulate `simulateScenario`, the one
 * forward model).
 *
 * Trajectory j of split s (`Rng.stream(seed, Stream.DATASET_TRAJECTORY, s, j)`) draws:
 *  - every kinetics parameter that has a prior in the parameter table (src/kinetics/ncm/params.ts `parameterSpace`),
 *    uniform in value ('linear') or in log10 ('log') over the prior;
 *  - the temperature programme: the seed study's staircase to 500 °C (scenarios/seed-insitu-heating.yaml) or the drying
 *    recipe (scenarios/drying-100Pa-300C-12h.yaml), with their environments;
 *  - the lamella: composition (Ni share from the set's range, Co:Mn split uniformly), Li/Ni mixing, pore radius and
 *    shape, an APB at the pore edge with probability kinetics.apbProbability; size from the configuration.
 * One KMC replica runs once per trajectory (its frames at the protocol's acquisition times are stored under
 * `<out>/trajectories/`), and every kinetic sample that picks the trajectory takes one of its frames (a temperature)
 * with its own rotation, crop, pixel size, optics and noise. Labels come from the frame's true occupancy: phases by
 * `classifyPhases` (phases.ts), columns and counts by `frameColumns`. Splits own disjoint trajectories, so no
 * structure is shared between training and test data. The lamella is periodic in the image plane: a field larger
 * than the lamella shows it tiled (set --kinetic-lamella to the field's diagonal to avoid repeats, at KMC cost).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { guardedReadSync, InputError, Rng, Stream, writeFileAtomic } from '../../core/index.js';
import { fromSiteLattice, parameterSpace, type NcmLattice } from '../../kinetics/ncm/index.js';
import type { SiteLattice } from '../../lattice/index.js';
import type { Scenario } from '../scenario/index.js';
import { type DatasetConfig, KINETIC_PORE_ASPECT_MAX, SPLIT_NAMES, type SampleParams, type SplitName, sampleParams, trajectoriesPerSplit } from './params.js';
import { classifyPhases } from './phases.js';
import { type DatasetCalibrations, type FrameSource, frameSource } from './source.js';
import { type ColumnGeometry, columnGeometry } from './specimen.js';

/** Scenario file of each protocol. */
export const KINETIC_PROTOCOLS = { seed: 'seed-insitu-heating', drying: 'drying-100Pa-300C-12h' } as const;

/** What defines a trajectory (all drawn from its stream). */
export interface TrajectorySpec {
  readonly split: SplitName;
  readonly index: number;
  readonly protocol: 'seed' | 'drying';
  /** Parameter-table names → drawn values (eV or 1/s, the table's units). */
  readonly params: Record<string, number>;
  readonly composition: { Ni: number; Co: number; Mn: number };
  readonly niOnLi: number;
  readonly pore: { radius_A: number; shape: 'ellipsoid' | 'faceted'; aspect: number };
  readonly apb: boolean;
  readonly lamellaSize_A: number;
  readonly thickness_A: number;
  /** Seed of the forward run (occupation, KMC stream). */
  readonly seed: number;
}

/** Draws trajectory `index` of `split` (pure). */
export function trajectorySpec(seed: number, split: SplitName, index: number, c: DatasetConfig): TrajectorySpec {
  const r = Rng.stream(seed, Stream.DATASET_TRAJECTORY, SPLIT_NAMES.indexOf(split), index);
  const k = c.kinetics;
  const protocol = k.protocols[r.int(k.protocols.length)]!;
  const params: Record<string, number> = {};
  for (const d of parameterSpace()) {
    const u = r.uniform();
    params[d.name] = d.scale === 'log' ? 10 ** (Math.log10(d.low) + u * (Math.log10(d.high) - Math.log10(d.low))) : d.low + u * (d.high - d.low);
  }
  const ni = c.niFraction[0] + (c.niFraction[1] - c.niFraction[0]) * r.uniform(), co = r.uniform();
  const niOnLi = c.mixing[0] + (c.mixing[1] - c.mixing[0]) * r.uniform();
  const radius = k.poreRadius_A[0] + (k.poreRadius_A[1] - k.poreRadius_A[0]) * r.uniform();
  const pore = { radius_A: radius, shape: r.uniform() < 0.5 ? 'ellipsoid' as const : 'faceted' as const, aspect: 1 + (KINETIC_PORE_ASPECT_MAX - 1) * r.uniform() };
  const apb = r.uniform() < k.apbProbability;
  return {
    split, index, protocol, params, composition: { Ni: ni, Co: (1 - ni) * co, Mn: (1 - ni) * (1 - co) }, niOnLi, pore, apb,
    lamellaSize_A: k.lamellaSize_A, thickness_A: k.thickness_A, seed: 1 + r.int(0x7fffffff),
  };
}

/**
 * The scenario loader and the forward model (src/twin/scenario, src/twin/simulate), imported on first need: only
 * kinetics-evolved samples use them, and with them (zod, yaml and the forward model's module graph) a fresh worker
 * thread took ~1.6× the CPU to start (778 files instead of 430; measured: bench/RESULTS.md, issue 16 fourth round). `loadKineticModules()`
 * runs before anything below that needs them: ensureTrajectory does it, BundleGenerator.make does it for a
 * configuration with kinetics-evolved samples.
 */
let kineticModules: { scenario: typeof import('../scenario/index.js'); simulate: typeof import('../simulate/index.js') } | undefined;

export async function loadKineticModules(): Promise<void> {
  if (kineticModules) return;
  const [scenario, simulate] = await Promise.all([import('../scenario/index.js'), import('../simulate/index.js')]);
  kineticModules ??= { scenario, simulate };
}

function modules(): NonNullable<typeof kineticModules> {
  if (!kineticModules) throw new Error('internal: loadKineticModules() must run before kinetics-evolved samples are made');
  return kineticModules;
}

/** The scenario of a trajectory: its protocol's scenario with the drawn lamella (parameters go in as overrides). */
export function trajectoryScenario(s: TrajectorySpec): Scenario {
  const base = modules().scenario.loadScenario(KINETIC_PROTOCOLS[s.protocol]);
  return {
    ...base,
    name: `${base.name} (dataset trajectory ${s.split} ${s.index})`,
    seed: s.seed,
    structure: {
      ...base.structure,
      composition: s.composition, niOnLi: s.niOnLi, zone: '210', width_A: s.lamellaSize_A, height_A: s.lamellaSize_A, thickness_A: s.thickness_A,
      pore: { radius_A: s.pore.radius_A, shape: s.pore.shape, aspect: s.pore.aspect, depthFraction: base.structure.pore?.depthFraction ?? 0.6 },
      apb: s.apb ? { plane: '1 -2 0', position: 'pore-edge' } : undefined,
    },
    kinetics: { ...base.kinetics, replicates: 1 },
  };
}

/** Key of a trajectory's stored frames (changes whenever anything that shapes them changes). */
export function trajectoryKey(s: TrajectorySpec): string {
  return createHash('sha256').update(JSON.stringify([FORMAT, s, trajectoryScenario(s)])).digest('hex').slice(0, 24);
}

const FORMAT = 'cathode-twin dataset trajectory v1';

/** File of trajectory (split, index) under the output directory. */
export const trajectoryFile = (split: SplitName, index: number): string => `trajectories/${split}-${String(index).padStart(5, '0')}.bin`;

interface StoredHeader { format: string; key: string; spec: TrajectorySpec; sites: number; frames: { time_s: number; temperature_K: number }[]; events: number }

/**
 * Runs trajectory (split, index) with simulateScenario and writes its frames (gzip'd species snapshots with a JSON
 * header) atomically, unless a file with the same key is already there. Returns whether it ran.
 */
export async function ensureTrajectory(out: string, seed: number, split: SplitName, index: number, c: DatasetConfig): Promise<boolean> {
  await loadKineticModules();
  const spec = trajectorySpec(seed, split, index, c);
  const key = trajectoryKey(spec);
  const path = join(out, trajectoryFile(split, index));
  if (readHeader(path)?.key === key) return false;
  const r = await modules().simulate.simulateScenario(trajectoryScenario(spec), { seed: spec.seed, replicates: 1, params: spec.params, keepSpecies: true, images: 'none', workers: 1 });
  const n = r.lamella.lattice.n;
  const head: StoredHeader = {
    format: FORMAT, key, spec, sites: n, frames: r.frames.map((f) => ({ time_s: f.time_s, temperature_K: f.temperature_K })), events: r.events.total,
  };
  const body = new Uint8Array(n * r.frames.length);
  r.frames.forEach((f, i) => body.set(f.species![0]!, i * n));
  const json = Buffer.from(JSON.stringify(head));
  const z = gzipSync(body, { level: 6 });
  const bytes = new Uint8Array(4 + json.length + z.length);
  new DataView(bytes.buffer).setUint32(0, json.length, true);
  bytes.set(json, 4);
  bytes.set(z, 4 + json.length);
  await writeFileAtomic(path, bytes);
  return true;
}

function readHeader(path: string): StoredHeader | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const b = readFileSync(path);
    const len = b.readUInt32LE(0);
    const h = JSON.parse(b.subarray(4, 4 + len).toString('utf8')) as StoredHeader;
    return h.format === FORMAT ? h : undefined;
  } catch {
    return undefined;
  }
}

/** The (split, trajectory) pairs the kinetic samples of `bundles` use. */
export function neededTrajectories(seed: number, count: number, c: DatasetConfig, bundles: readonly number[]): { split: SplitName; index: number }[] {
  const seen = new Map<string, { split: SplitName; index: number }>();
  if (c.kineticShare <= 0) return [];
  for (const b of bundles) for (let k = b * c.bundleSize; k < Math.min(count, (b + 1) * c.bundleSize); k++) {
    const p = sampleParamsKinetic(seed, k, c, count);
    if (p) seen.set(`${p.split}:${p.trajectory}`, { split: p.split, index: p.trajectory });
  }
  return [...seen.values()].sort((a, b) => SPLIT_NAMES.indexOf(a.split) - SPLIT_NAMES.indexOf(b.split) || a.index - b.index);
}

function sampleParamsKinetic(seed: number, k: number, c: DatasetConfig, count: number): SampleParams | null {
  const p = sampleParams(seed, k, c, count);
  return p.kind === 'kinetic' ? p : null;
}

/** A loaded trajectory: its lattice (rebuilt by the one scenario → lamella path), neighbours, columns and frames. */
interface LoadedTrajectory {
  readonly spec: TrajectorySpec;
  readonly lattice: SiteLattice;
  readonly geometry: ColumnGeometry;
  /** The kinetics' view of `lattice` (neighbour tables, Li layers) for the phase labels. */
  readonly view: NcmLattice;
  readonly frames: StoredHeader['frames'];
  readonly species: Uint8Array;
  readonly events: number;
}

/** Per-thread state of the kinetic sources. */
export interface KineticSources {
  readonly out: string;
  readonly seed: number;
  readonly count: number;
  readonly cal: DatasetCalibrations;
  readonly trajectories: Map<string, LoadedTrajectory | FrameSource>;
}

function loadTrajectory(k: KineticSources, split: SplitName, index: number): LoadedTrajectory {
  const key = `t:${split}:${index}`;
  const hit = k.trajectories.get(key) as LoadedTrajectory | undefined;
  if (hit) return hit;
  const path = join(k.out, trajectoryFile(split, index));
  const spec = trajectorySpec(k.seed, split, index, k.cal.config);
  const head = readHeader(path);
  if (!head || head.key !== trajectoryKey(spec)) {
    throw new InputError('trajectories', path, `trajectory ${split} ${index} of this set (run generateDataset, which makes the trajectories before the bundles)`);
  }
  // The body is read under a guard: a damaged file (written atomically, so only by disk damage or an edit) gives a
  // one-line error naming it, and the inflated size is capped at the header's sites × frames.
  const expected = head.sites * head.frames.length;
  const species = guardedReadSync('trajectories', path, `a trajectory file of this dataset (a gzip body of ${head.sites} sites × ${head.frames.length} frames; delete it and rerun the same command to recompute it)`, () => {
    const b = readFileSync(path);
    const body = new Uint8Array(gunzipSync(b.subarray(4 + b.readUInt32LE(0)), { maxOutputLength: Math.max(1, expected) }));
    if (body.length !== expected) throw new Error(`the body holds ${body.length} species, the header says ${expected}`);
    return body;
  });
  const lattice = modules().simulate.buildScenarioLamella(trajectoryScenario(spec).structure, spec.seed).lattice;
  const view = fromSiteLattice(lattice); // the kinetics' neighbour tables (the one adapter)
  if (lattice.n !== head.sites) throw new Error(`internal: trajectory ${path} has ${head.sites} sites, the rebuilt lamella ${lattice.n}`);
  const t: LoadedTrajectory = {
    spec, lattice, geometry: columnGeometry(lattice), view,
    frames: head.frames, species, events: head.events,
  };
  const loaded = [...k.trajectories.keys()].filter((x) => x.startsWith('t:'));
  if (loaded.length >= 2) k.trajectories.delete(loaded[0]!);
  k.trajectories.set(key, t);
  return t;
}

/**
 * Frame sources kept per thread (a frame's phases, columns and cross-sections cost milliseconds to seconds to rebuild;
 * each holds ~1 MB for the default 80 Å lamella). A trajectory has tens of frames and samples pick them at random.
 */
export const KINETIC_FRAME_CACHE = 48;

/** The frame source of a kinetic sample: frame ⌊frameDraw · frames⌋ of its trajectory (cached per frame). */
export function kineticSource(k: KineticSources, p: SampleParams): FrameSource {
  const t = loadTrajectory(k, p.split, p.trajectory);
  // Least recently used first in the map's order, so the loader's eviction (the first trajectory listed) and the frame
  // eviction below drop the least recently used: bundles of the three splits interleave on a worker, and a first-in
  // first-out cache reloaded the training trajectory after every validation and test bundle.
  const tk = `t:${p.split}:${p.trajectory}`;
  k.trajectories.delete(tk);
  k.trajectories.set(tk, t);
  const f = Math.min(t.frames.length - 1, Math.floor(p.frameDraw * t.frames.length));
  const key = `f:${p.split}:${p.trajectory}:${f}`;
  const hit = k.trajectories.get(key) as FrameSource | undefined;
  if (hit) {
    k.trajectories.delete(key);
    k.trajectories.set(key, hit);
    return hit;
  }
  const n = t.lattice.n;
  const species = t.species.subarray(f * n, (f + 1) * n);
  const phase = classifyPhases(t.lattice, species, t.view);
  const fr = t.frames[f]!;
  const src = frameSource(t.lattice, species, phase, k.cal, {
    kind: 'kinetic', trajectory: { split: p.split, index: p.trajectory, file: trajectoryFile(p.split, p.trajectory), protocol: t.spec.protocol, scenario: KINETIC_PROTOCOLS[t.spec.protocol], seed: t.spec.seed, params: t.spec.params, composition: t.spec.composition, niOnLi: t.spec.niOnLi, pore: t.spec.pore, apb: t.spec.apb, events: t.events },
    frame: { index: f, of: t.frames.length, time_s: fr.time_s, temperature_K: fr.temperature_K, temperature_C: fr.temperature_K - 273.15 },
    zone: '210', cell_A: t.lattice.cell_A, sites: n,
  }, t.geometry);
  const frames = [...k.trajectories.keys()].filter((x) => x.startsWith('f:'));
  if (frames.length >= KINETIC_FRAME_CACHE) k.trajectories.delete(frames[0]!);
  k.trajectories.set(key, src);
  return src;
}

/** Trajectories per split of a set (for the manifest). */
export function trajectoryCounts(c: DatasetConfig, count: number): Record<SplitName, number> {
  return Object.fromEntries(SPLIT_NAMES.map((s) => [s, c.kineticShare > 0 ? trajectoriesPerSplit(c, count, s) : 0])) as Record<SplitName, number>;
}
