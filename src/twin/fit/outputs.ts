/**
 * Writing a finished fit into its folder, as one kill-safe set (core OutputStage): posterior.json,
 * posterior-samples.csv, predicted-curves.csv, predictive-frames.tif (+ .json sidecar) and report.html.
 *
 * Posterior-predictive frames: forward simulations at `draws` posterior samples (evenly thinned, each
 * with its own seed), their acquired frames averaged frame by frame: what the model expects the series
 * to look like, at the series' frame temperatures and doses, in fraction of the beam. They lie on the
 * simulation's pixel grid; the sidecar says whether that is the series' grid.
 */
import { createWorkerPool, Rng, Stream, writeFileAtomic, type OutputStage } from '../../core/index.js';
import { encodeTiffFloat32 } from '../imageio/index.js';
import type { FitResult } from './driver.js';
import { simulateForFit } from './forward.js';
import { thinSamples } from './posterior.js';
import type { PreparedFit } from './problem.js';
import { renderFitReport } from './report.js';
import { curvesCsv, posteriorJson, predictedCurves, samplesCsv, type PosteriorJson } from './summary.js';
import type { SimTask, SimTaskResult } from './task.js';

/** Averaged acquired frames of forward runs at posterior draws (see module doc). */
export async function predictiveFrames(r: FitResult, prep: PreparedFit, o: { seed: number; draws: number; workers: number }): Promise<{ frames: Float32Array[]; width: number; height: number; draws: number } | undefined> {
  if (o.draws <= 0 || prep.spec.imagedFrames === 0) return undefined;
  const picks = thinSamples(r.mcmc.samples, o.draws);
  const tasks: SimTask[] = picks.map((u, k) => ({ spec: prep.spec, values: r.space.toValues(u), seed: Rng.stream(o.seed, Stream.FIT_PREDICTIVE, 3, k).nextU32(), keepFrames: true }));
  let results: SimTaskResult[];
  if (o.workers > 1) {
    const pool = createWorkerPool<SimTask, SimTaskResult>(new URL('./task', import.meta.url), { workers: Math.min(o.workers, tasks.length) });
    try {
      results = await Promise.all(tasks.map((t) => pool.run(t)));
    } finally {
      await pool.close();
    }
  } else {
    results = [];
    for (const t of tasks) {
      const s = await simulateForFit(prep.spec, t.values, t.seed, { keepFrames: true });
      results.push({ output: s, wall_s: 0, frames: s.frames ?? [], width: s.width ?? 0, height: s.height ?? 0 });
    }
  }
  const { width, height } = results[0]!;
  const F = results[0]!.frames!.length;
  const frames = Array.from({ length: F }, () => new Float32Array(width! * height!));
  for (const res of results) res.frames!.forEach((f, k) => {
    for (let i = 0; i < f.length; i++) frames[k]![i]! += f[i]! / results.length;
  });
  return { frames, width: width!, height: height!, draws: results.length };
}

/** Writes every output of a finished fit into the stage; returns posterior.json's object. */
export async function writeFitOutputs(stage: OutputStage, r: FitResult, prep: PreparedFit, o: { seed: number; inputs: Record<string, unknown>; dropped: readonly string[]; predictiveDraws: number; workers: number; series?: { width: number; height: number; pixelSize_A?: number }; title: string }): Promise<{ posterior: PosteriorJson; files: string[] }> {
  const pred = await predictiveFrames(r, prep, { seed: o.seed, draws: o.predictiveDraws, workers: o.workers });
  const post = posteriorJson(r, prep, { seed: o.seed, inputs: o.inputs, dropped: o.dropped, predictiveSimulations: pred?.draws ?? 0 });
  const curves = predictedCurves(r, prep, o.seed);
  const files = ['posterior.json', 'posterior-samples.csv', 'report.html'];
  await writeFileAtomic(stage.path('posterior.json'), `${JSON.stringify(post, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
  await writeFileAtomic(stage.path('posterior-samples.csv'), samplesCsv(r));
  if (curves.length) {
    files.push('predicted-curves.csv');
    await writeFileAtomic(stage.path('predicted-curves.csv'), curvesCsv(curves));
  }
  if (pred) {
    const sampling = prep.spec.scenario.imaging.sampling_A;
    const aligned = o.series !== undefined && o.series.width === pred.width && o.series.height === pred.height && o.series.pixelSize_A !== undefined && Math.abs(o.series.pixelSize_A - sampling) / sampling < 0.02;
    files.push('predictive-frames.tif', 'predictive-frames.json');
    await writeFileAtomic(stage.path('predictive-frames.tif'), encodeTiffFloat32(pred.frames, pred.width, pred.height, { pixelSize_A: sampling, unit: 'A', description: JSON.stringify({ temperature_C: prep.frameTemperatures_C.map((t) => +t.toFixed(2)) }) }));
    await writeFileAtomic(stage.path('predictive-frames.json'), `${JSON.stringify({
      units: 'fraction of incident beam', what: `mean of the acquired frames of ${pred.draws} forward runs at posterior draws`, pixelSize_A: sampling, width: pred.width, height: pred.height,
      alignedWithSeries: aligned, frames: prep.frameTemperatures_C.map((t, k) => ({ index: k, temperature_C: +t.toFixed(3), time_s: prep.spec.frameTimes_s[k] })),
    }, null, 2)}\n`);
  }
  await writeFileAtomic(stage.path('report.html'), renderFitReport(r, prep, post, curves, o.title));
  return { posterior: post, files };
}
