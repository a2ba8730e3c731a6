/**
 * `simulateScenario`: THE forward model. scenario → lamella → KMC replicas (frames at the acquisition
 * times) → pooled observables and onsets → images when asked. Pure: no file I/O (checkpoints go to the
 * caller's `save`; `run`, `kmc`, `fit`, `dry` and `dataset` write their own outputs).
 *
 * - Parameters: the parameter table's defaults (src/kinetics/ncm/params.ts), then the scenario's
 *   (kinetics.barriers, attemptFrequency, environment.muOOffset), then `options.environment.offset_eV`,
 *   then `options.params`.
 * - Replicas: replica r runs its own KMC stream Rng.stream(seed, Stream.KMC_ENGINE, r) on the same
 *   lamella; with `workers` > 1 they run on worker threads (src/core/pool.ts). Frames are pooled by
 *   replica index, so the result is the same, byte for byte, for any worker count.
 * - Onsets are read from the pooled curves with the one rule table (src/twin/timeline/onsets.ts), each
 *   replica's onset beside them.
 * - Cheap to repeat: the lamella, its lattice view and regions are cached by (structure, regions, seed)
 *   and the programme is compiled once per scenario.
 *
 * @example
 *   const r = await simulateScenario(loadScenario('tiny'), { replicates: 4, params: { o2Release: 1.5 } });
 *   r.onsets.find((o) => o.stage === 'liSiteRim')?.onset_C;
 */
import { createHash } from 'node:crypto';
import { InputError, checkWorkers, createWorkerPool, type WorkerPool } from '../../core/index.js';
import { EVENT_NAMES, DEFAULT_NCM_PARAMS, parseNcmOverrides, type NcmParams } from '../../kinetics/ncm/index.js';
import { checkOxygenEnvironment, type OxygenEnvironment } from '../../kinetics/index.js';
import { layerProfile } from '../profile/index.js';
import { regionMasks, type RegionMasks } from '../profile/index.js';
import type { ReportProfile } from '../report/index.js';
import { MAX_REPLICATES, scenarioOxygen, withAcquisitionTimes, type Scenario } from '../scenario/index.js';
import { detectPooledOnsets, type Observables } from '../timeline/index.js';
import { imageObservables } from './image-observables.js';
import { acquireFrame, imageFrame } from './imaging.js';
import { prepareLamella } from './lamella.js';
import { poolObservables } from './pool.js';
import { decodeRecord, encodeRecord, type ImageRecord } from './records.js';
import { ReplicaRunner, type ReplicaChunk, type ReplicaFrame, type ReplicaSpec, type ReplicaTask } from './replica.js';
import type { RecordInfo, SimFrame, SimulateOptions, SimulationResult } from './types.js';

const IMAGES = ['none', 'ideal', 'acquired', 'both'] as const;

/** Parameters of a scenario (table defaults + kinetics section + environment offset), before call overrides. */
export function scenarioParams(s: Scenario): NcmParams {
  const o: Record<string, number> = { ...s.kinetics.barriers_eV, nu: s.kinetics.attemptFrequency_Hz };
  if (s.environment.muOOffset_eV !== undefined) o.muOOffset = s.environment.muOOffset_eV;
  return parseNcmOverrides(o, DEFAULT_NCM_PARAMS, 'kinetics');
}

/** The inputs of a forward run after every override, validated (InputError naming the option). */
interface Resolved {
  scenario: Scenario;
  seed: number;
  replicates: number;
  workers: number;
  params: NcmParams;
  oxygen: OxygenEnvironment;
  images: (typeof IMAGES)[number];
  mode: 'incoherent' | 'multislice';
  kinetics: 'ncm' | 'frozen';
  keepSpecies: boolean;
  imageReplicas: number;
  imageAnalysis: boolean;
}

function resolve(s: Scenario, o: SimulateOptions): Resolved {
  const seed = o.seed ?? s.seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) throw new InputError('seed', seed, 'an integer 0 … 2^53−1');
  const replicates = o.replicates ?? s.kinetics.replicates;
  if (typeof replicates !== 'number' || !Number.isInteger(replicates) || replicates < 1 || replicates > MAX_REPLICATES) throw new InputError('replicates', replicates, `an integer 1 … ${MAX_REPLICATES}`);
  const workers = checkWorkers(o.workers ?? 1, 'workers');
  const images = o.images ?? 'none';
  if (!IMAGES.includes(images)) throw new InputError('images', images, `one of ${IMAGES.join(', ')}`);
  const mode = o.imaging ?? s.imaging.mode;
  if (mode !== 'incoherent' && mode !== 'multislice') throw new InputError('imaging', mode, 'incoherent or multislice');
  const kinetics = o.kinetics ?? 'ncm';
  if (kinetics !== 'ncm' && kinetics !== 'frozen') throw new InputError('kinetics', kinetics, 'ncm (the NCM event model) or frozen (test double)');
  let base = scenarioParams(s);
  let environment = s.environment;
  let oxygen = scenarioOxygen(s.environment);
  if (o.environment !== undefined) {
    const e = checkOxygenEnvironment(o.environment, 'environment');
    oxygen = e.pO2_Pa !== undefined ? { pO2_Pa: e.pO2_Pa } : { pH2O_Pa: e.pH2O_Pa!, pH2_Pa: e.pH2_Pa! };
    if (e.offset_eV !== undefined) base = parseNcmOverrides({ muOOffset: e.offset_eV }, base, 'environment');
  }
  if (o.params !== undefined && (o.params === null || typeof o.params !== 'object' || Array.isArray(o.params))) throw new InputError('params', o.params, 'an object of parameter name → value');
  const params = parseNcmOverrides(o.params, base, 'params');
  environment = { pO2_Pa: oxygen.pO2_Pa, pH2O_Pa: oxygen.pH2O_Pa, pH2_Pa: oxygen.pH2_Pa, muOOffset_eV: params.muO_offset_eV };
  const imageReplicas = o.imageReplicas ?? 1;
  if (!Number.isInteger(imageReplicas) || imageReplicas < 1 || imageReplicas > replicates) throw new InputError('imageReplicas', imageReplicas, `an integer 1 … ${replicates} (the replicas run)`);
  const protocol = o.frameTimes_s !== undefined ? withAcquisitionTimes(s.protocol, o.frameTimes_s, 'frameTimes_s') : s.protocol;
  const scenario: Scenario = { ...s, seed, protocol, environment, kinetics: { ...s.kinetics, replicates, attemptFrequency_Hz: params.nu_Hz } };
  const imageAnalysis = o.imageAnalysis ?? true;
  if (typeof imageAnalysis !== 'boolean') throw new InputError('imageAnalysis', imageAnalysis, 'true or false');
  if (!imageAnalysis && imageReplicas > 1) throw new InputError('imageReplicas', imageReplicas, '1 when imageAnalysis is false (extra imaged replicas only feed the column analysis)');
  return { scenario, seed, replicates, workers, params, oxygen, images, mode, kinetics, keepSpecies: o.keepSpecies ?? true, imageReplicas, imageAnalysis };
}

/** Run the forward model (see module doc). */
export async function simulateScenario(scenario: Scenario, options: SimulateOptions = {}): Promise<SimulationResult> {
  const t0 = performance.now();
  const r = resolve(scenario, options);
  const s = r.scenario;
  const frames_s = s.protocol.acquisitionTimes_s;
  const F = frames_s.length;
  const R = r.replicates;
  const wantImages = r.images !== 'none';
  const imagingLabel = !wantImages ? 'none' : options.imager ? 'custom imager' : r.mode;
  const key = createHash('sha256')
    .update(JSON.stringify({ s, params: r.params, oxygen: r.oxygen, kinetics: r.kinetics, images: r.images, imaging: imagingLabel, keepSpecies: r.keepSpecies, ...(r.imageReplicas > 1 ? { imageReplicas: r.imageReplicas } : {}), ...(r.imageAnalysis ? {} : { imageAnalysis: false }) }))
    .digest('hex')
    .slice(0, 16);
  const T = { structure: 0, kmc: 0, imaging: 0, acquisition: 0, total: 0 };

  // Resume: the records of an earlier call.
  const done: ReplicaChunk[][] = Array.from({ length: R }, () => []);
  const images = new Map<number, ImageRecord>();
  (options.resumeFrom ?? []).forEach((bytes, i) => {
    const rec = decodeRecord(bytes, key, `resumeFrom[${i}]`);
    if (rec.kind === 'kmc') {
      const rep = rec.chunk.replica;
      if (!(rep >= 0 && rep < R)) throw new InputError(`resumeFrom[${i}]`, rep, `a replica 0 … ${R - 1}`);
      done[rep]!.push(rec.chunk);
    } else images.set(rec.frame, rec);
  });
  let recordIndex = options.resumeFrom?.length ?? 0;
  const save = async (bytes: Uint8Array, info: RecordInfo) => {
    if (options.checkpoint) await options.checkpoint.save(bytes, recordIndex++, info);
  };

  const ts = performance.now();
  const prep = prepareLamella(s.structure, s.regions, r.seed);
  T.structure = (performance.now() - ts) / 1000;

  // ---- KMC: every replica to the last frame, in rounds of `everyFrames` when checkpointing.
  const tk = performance.now();
  const spec = (replica: number): ReplicaSpec => ({
    structure: s.structure, regions: s.regions, latticeSeed: r.seed, protocol: s.protocol, frames_s: [...frames_s], params: r.params, oxygen: r.oxygen,
    seed: r.seed, replica, kinetics: r.kinetics, species: r.keepSpecies || (wantImages && replica < r.imageReplicas),
  });
  const every = options.checkpoint ? Math.max(1, Math.floor(options.checkpoint.everyFrames ?? 1)) : F;
  const everyWall_ms = (options.checkpoint?.everyWall_s ?? 0) * 1000;
  const framesOf = (rep: number) => done[rep]!.reduce((a, c) => a + c.frames.length, 0);
  const lastState = (rep: number) => done[rep]!.at(-1)?.state;
  const progress = options.onProgress;
  let pool: WorkerPool<ReplicaTask, ReplicaChunk> | undefined;
  const fresh = (rep: number) => framesOf(rep) < F;
  // Worker threads pay off from two replicas to run; one replica runs in this thread.
  const toRun = [...Array(R).keys()].filter(fresh).length;
  if (Math.min(r.workers, toRun) > 1) pool = createWorkerPool<ReplicaTask, ReplicaChunk>(new URL('./replica-task', import.meta.url), { workers: Math.min(r.workers, toRun) });
  let framesRun = done.reduce((a, _c, rep) => a + framesOf(rep), 0);
  const tLast = frames_s[F - 1]! || 1;
  try {
    const chain = async (rep: number, runner?: ReplicaRunner) => {
      let pending: ReplicaChunk | undefined;
      let lastSave = Date.now();
      let state = lastState(rep);
      for (let next = framesOf(rep); next < F; ) {
        const last = Math.min(F - 1, next + every - 1);
        const chunk = runner ? runner.advance(last) : await pool!.run({ ...spec(rep), ...(state ? { resume: state } : {}), lastFrame: last });
        state = chunk.state;
        pending = pending ? { ...chunk, frames: [...pending.frames, ...chunk.frames] } : chunk;
        next = last + 1;
        framesRun += chunk.frames.length;
        if (!runner) progress?.({ stage: 'kmc', fraction: framesRun / (R * F), temperature_K: chunk.frames.at(-1)?.temperature_K, events: chunk.events });
        const finalChunk = next >= F;
        if (options.checkpoint && (finalChunk || Date.now() - lastSave >= everyWall_ms)) {
          done[rep]!.push(pending);
          await save(encodeRecord({ kind: 'kmc', key, chunk: pending }), { kind: 'kmc', frame: last, replica: rep });
          pending = undefined;
          lastSave = Date.now();
        }
      }
      if (pending) done[rep]!.push(pending);
    };
    if (pool) await Promise.all([...Array(R).keys()].filter(fresh).map((rep) => chain(rep)));
    else {
      for (let rep = 0; rep < R; rep++) {
        if (!fresh(rep)) continue;
        const runner = new ReplicaRunner(spec(rep), lastState(rep), progress ? (p) => progress({ stage: 'kmc', fraction: Math.min(1, (rep + p.time_s / tLast) / R), temperature_K: p.temperature_K, events: p.events }) : undefined);
        await chain(rep, runner);
      }
    }
  } finally {
    await pool?.close();
  }
  T.kmc = (performance.now() - tk) / 1000;

  // ---- Frames: pool the replicas.
  const byReplica: ReplicaFrame[][] = done.map((cs) => cs.flatMap((c) => c.frames));
  for (const [rep, fr] of byReplica.entries()) if (fr.length !== F) throw new Error(`simulateScenario: replica ${rep} has ${fr.length} of ${F} frames`);
  const counts = byReplica[0]![0]!.counts ?? {};
  const frames: SimFrame[] = frames_s.map((time_s, i) => {
    const per = byReplica.map((fr) => ({ ...fr[i]!.values }));
    const { mean, sd } = poolObservables(per);
    const f0 = byReplica[0]![i]!;
    const frame: SimFrame = { index: i, time_s, temperature_K: f0.temperature_K, observables: mean, spread: sd, perReplica: per, events: byReplica.map((fr) => fr[i]!.events) };
    if (r.keepSpecies) frame.species = byReplica.map((fr) => fr[i]!.species!);
    return frame;
  });

  // ---- Images of replica 0, with the image observables and layer profiles.
  const profiles: ReportProfile[] = [];
  // Each imaged replica's own strip standard errors per frame (read only by one-replica spread rules without a
  // baseline; the image rules read each replica's own baseline scatter).
  const replicaNoise: Observables[][] = [];
  if (wantImages) {
    const profileFrames = pickProfileFrames(frames.map((f) => f.temperature_K), s.checks.profiles_K);
    const period_A = prep.lamella.lattice.metric.c_A / 3;
    let masks: RegionMasks | undefined;
    let phase: Record<string, number> = images.get(0)?.phase_A ?? {};
    for (let i = 0; i < F; i++) {
      let rec = images.get(i);
      if (!rec) {
        const species = byReplica[0]![i]!.species!;
        const ti = performance.now();
        const ideal = options.imager ? await options.imager(prep.lamella, species) : await imageFrame(prep.lamella, species, s, r.mode, r.seed, r.workers);
        T.imaging += (performance.now() - ti) / 1000;
        const ta = performance.now();
        const acquired = r.images === 'acquired' || r.images === 'both' ? acquireFrame(ideal, s, frames[i]!.temperature_K, r.seed, i) : undefined;
        T.acquisition += (performance.now() - ta) / 1000;
        const img = acquired ?? ideal;
        masks ??= regionMasks(prep.lamella, prep.region, { width: img.width, height: img.height, sampling_A: img.sampling_A, samplingY_A: img.samplingY_A, origin_A: img.origin_A });
        const obs: Observables = {};
        const prof: ReportProfile[] = [];
        for (const region of ['rim', 'apb', 'bulk'] as const) {
          const mask = masks[region];
          if (!mask.some((v) => v)) continue;
          const p = layerProfile(img.data, img.width, img.height, { mask }, { sampling_A: img.samplingY_A, period_A, ...(phase[region] !== undefined ? { mPhase_A: phase[region] } : {}) });
          phase = { ...phase, [region]: phase[region] ?? p.mPhase_A };
          if (profileFrames.has(i) && region !== 'bulk') prof.push({ region, temperature_K: frames[i]!.temperature_K, y_A: p.y_A, intensity: p.intensity, mPhase_A: p.mPhase_A, period_A, liSite: p.liSite, mSite: p.mSite });
        }
        // The column analysis of every imaged replica's frame (replica 0: the frame above).
        const replicaObservables: Observables[] = [];
        const replicaSe: Observables[] = [];
        if (r.imageAnalysis) {
          const col0 = imageObservables(acquired ?? { ...ideal, origin_A: [ideal.origin_A[0], ideal.origin_A[1]], dose_ePerA2: 0, drift_px: [], measured_px: [] }, s.structure.zone);
          Object.assign(obs, col0.values);
          replicaObservables.push(col0.values);
          replicaSe.push(col0.se);
        }
        for (let rep = 1; rep < r.imageReplicas; rep++) {
          const sp = byReplica[rep]![i]!.species!;
          const ti2 = performance.now();
          const id2 = options.imager ? await options.imager(prep.lamella, sp) : await imageFrame(prep.lamella, sp, s, r.mode, r.seed, r.workers);
          T.imaging += (performance.now() - ti2) / 1000;
          const a2 = r.images === 'acquired' || r.images === 'both' ? acquireFrame(id2, s, frames[i]!.temperature_K, r.seed, i, rep) : undefined;
          const c = imageObservables(a2 ?? { ...id2, origin_A: [id2.origin_A[0], id2.origin_A[1]], dose_ePerA2: 0, drift_px: [], measured_px: [] }, s.structure.zone);
          replicaObservables.push(c.values);
          replicaSe.push(c.se);
        }
        rec = {
          kind: 'image', key, frame: i, observables: obs, replicaObservables, replicaSe, profiles: prof, phase_A: phase,
          ...(r.images === 'ideal' || r.images === 'both' ? { ideal } : {}),
          ...(acquired ? { acquired } : {}),
        };
        await save(encodeRecord(rec), { kind: 'image', frame: i });
      } else phase = { ...rec.phase_A, ...phase };
      const f = frames[i]!;
      Object.assign(f.observables, rec.observables);
      Object.assign(f.perReplica[0]!, rec.observables);
      for (const k of Object.keys(rec.observables)) f.spread[k] = 0;
      // Column-analysis observables pooled over the imaged replicas: mean, and the replica spread (one
      // imaged replica: its strip standard error as `noise`; the image rules read its baseline scatter).
      const per = rec.replicaObservables ?? [];
      (rec.replicaSe ?? []).forEach((se, rep) => { (replicaNoise[rep] ??= Array.from({ length: F }, () => ({})))[i] = se; });
      for (const k of [...new Set(per.flatMap((o) => Object.keys(o)))].sort()) {
        const v = per.map((o) => o[k] ?? NaN);
        const m = v.reduce((a, b) => a + b, 0) / v.length;
        f.observables[k] = m;
        f.spread[k] = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)) : 0;
        const se = rec.replicaSe?.[0]?.[k];
        if (v.length === 1 && se !== undefined && Number.isFinite(se)) (f.noise ??= {})[k] = se;
        v.forEach((x, rep) => { f.perReplica[rep]![k] = x; });
      }
      f.image = { ...(rec.ideal ? { ideal: rec.ideal } : {}), ...(rec.acquired ? { acquired: rec.acquired } : {}) };
      profiles.push(...rec.profiles);
      progress?.({ stage: 'imaging', fraction: (i + 1) / F, frames: i + 1 });
    }
  }

  // ---- Onsets, events.
  const imageKeys = new Set(frames.flatMap((f) => Object.keys(f.observables).filter((k) => k.startsWith('liMColumnRatio.') || k.startsWith('liMRatio.'))));
  // the acquired frames' doses (every imaged replica has the same schedule): one series' baseline noise scales with them
  const dose = frames.map((f) => f.image?.acquired?.dose_ePerA2 ?? NaN);
  const onsets = detectPooledOnsets(
    { temperatures_K: frames.map((f) => f.temperature_K), values: frames.map((f) => f.observables), sd: frames.map((f) => (f.noise ? { ...f.spread, ...f.noise } : f.spread)), counts, replicas: R, replicasByColumn: Object.fromEntries([...imageKeys].map((k) => [k, r.imageReplicas])), ...(dose.every((d) => d > 0) ? { dose } : {}) },
    byReplica.map((_fr, rep) => frames.map((f) => f.perReplica[rep]!)),
    undefined,
    replicaNoise,
  );
  const finals = done.map((cs) => cs.at(-1)!);
  const byKind: Record<string, number> = {};
  EVENT_NAMES.forEach((name, k) => {
    if (k > 0) byKind[name] = finals.reduce((a, c) => a + (c.byKind[k] ?? 0), 0);
  });
  const perReplica = finals.map((c) => c.events);
  T.total = (performance.now() - t0) / 1000;
  return {
    scenario: s,
    seed: r.seed,
    replicates: R,
    params: r.params,
    environment: { ...r.oxygen, offset_eV: r.params.muO_offset_eV },
    lamella: prep.lamella,
    region: prep.region,
    counts,
    frames,
    onsets,
    events: { total: perReplica.reduce((a, b) => a + b, 0), perReplica, byKind, o2Released: finals.reduce((a, c) => a + c.o2Released, 0), o2Adsorbed: finals.reduce((a, c) => a + c.o2Adsorbed, 0) },
    profiles,
    stages: { kinetics: r.kinetics === 'ncm' ? 'ncm (src/kinetics/ncm)' : 'frozen (test double: no kinetics)', imaging: imagingLabel },
    timings_s: T,
  };
}

/** Frames whose profiles go into the report: the nearest frame within 20 K of each listed temperature. */
function pickProfileFrames(temps_K: readonly number[], wanted_K: readonly number[]): Set<number> {
  const out = new Set<number>();
  for (const c of wanted_K) {
    let best = -1;
    let d = Infinity;
    temps_K.forEach((t, i) => {
      const e = Math.abs(t - c);
      if (e < d) {
        d = e;
        best = i;
      }
    });
    if (best >= 0 && d <= 20) out.add(best);
  }
  return out;
}

