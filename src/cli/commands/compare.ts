/**
 * `cathode-twin compare`: an experimental series (TIFF, PNG sequence, DM3/DM4, EMD, HyperSpy, MRC, .npy/.npz +
 * optional sidecar) against simulated frames (out/<run>/frames.tif; its frames.json beside it gives
 * times/temperatures) frame by frame: normalisation, rotation and sub-pixel registration, NCC / SSIM / Poisson χ²,
 * Li/M layer ratio, per-region statistics of both side by side, residual images. Writes compare.csv, regions.csv,
 * compare.json (with every assumption as a warning), residuals.tif and residuals/*.png.
 *
 * Pixel size: --pixel-size wins over the experiment's sidecar and file calibration (with a warning when they differ);
 * an experiment with none is an error (the simulation's is never assumed). Everything is read and compared before
 * anything is written.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withCommon } from '../options.js';
import { FileSet, InputError, checkOutPath, lockOutDir, parseQuantity, writeFileAtomic } from '../../core/index.js';
import { encodePng16, jsonReplacer, writeTiffFloat32 } from '../../twin/imageio/index.js';
import { zoneCell } from '../../twin/analyse/index.js';
import { compareSeries, comparisonCsv, regionsCsv, type Normalisation } from '../../twin/compare/compare.js';
import { detectorResponse } from '../../twin/series/normalise.js';
import { readSeries } from '../../twin/series/read.js';

export interface CompareArgs {
  experiment: string[]; simulation: string; out: string; sidecar?: string; 'sim-sidecar'?: string; 'pixel-size'?: string; normalise: string;
  'layer-period': string; 'npz-array'?: string; periodic: boolean; json: boolean; zone?: string; 'detector-scan'?: string; regions?: boolean;
}

const NORMALISATIONS = ['auto', 'fraction', 'counts', 'detector', 'relative', 'zscore'];

/** The command's work; returns the JSON result. Everything is read and checked before anything is written. */
export async function runCompare(a: CompareArgs, print: (s: string) => void = (s) => process.stdout.write(s)): Promise<Record<string, unknown>> {
  checkOutPath(a.out, 'dir', '--out');
  const norm = a.normalise as Normalisation;
  if (!NORMALISATIONS.includes(norm)) throw new InputError('--normalise', a.normalise, NORMALISATIONS.join(', '));
  if (norm === 'detector' && !a['detector-scan']) throw new InputError('--detector-scan', undefined, 'a detector sensitivity scan (with --normalise detector)');
  if (a.zone !== undefined) zoneCell(a.zone);
  const pixelSize_A = a['pixel-size'] === undefined ? undefined : parseQuantity(a['pixel-size'], 'length', '--pixel-size');
  if (pixelSize_A !== undefined && !(pixelSize_A > 0)) throw new InputError('--pixel-size', a['pixel-size'], 'a length > 0 Å');
  const layerPeriod_A = parseQuantity(a['layer-period'], 'length', '--layer-period');
  if (!(layerPeriod_A > 0)) throw new InputError('--layer-period', a['layer-period'], 'a length > 0 Å');
  const expList = a.experiment.length === 1 ? a.experiment[0]! : a.experiment;
  const exp = await readSeries(expList, { ...(a.sidecar ? { sidecar: a.sidecar } : {}), ...(a['npz-array'] ? { npzArray: a['npz-array'] } : {}), ...(pixelSize_A !== undefined ? { pixelSize_A } : {}) });
  const simSide = a['sim-sidecar'] ?? (existsSync(join(dirname(a.simulation), 'frames.json')) ? join(dirname(a.simulation), 'frames.json') : undefined);
  let sim;
  try {
    sim = await readSeries(a.simulation, { ...(simSide ? { sidecar: simSide } : {}), field: '--simulation' });
  } catch (e) {
    if (e instanceof InputError && e.field === '--experiment') throw new InputError('--simulation', e.value, e.allowed, e.hint);
    throw e;
  }
  const detector = a['detector-scan'] ? detectorResponse((await readSeries(a['detector-scan'], { field: '--detector-scan' })).frames[0]!) : undefined;
  const c = compareSeries(exp, sim, { normalisation: norm, periodic: a.periodic, layerPeriod_A, ...(detector ? { detector } : {}), ...(a.zone !== undefined ? { zone: a.zone } : {}), regions: a.regions !== false });
  const warnings = [...(exp.warnings ?? []), ...(sim.warnings ?? []).map((w) => `simulation: ${w}`), ...c.warnings];
  const mean = (k: 'ncc' | 'ssim' | 'chi2Reduced'): number => c.frames.reduce((s, f) => s + f[k], 0) / c.frames.length;
  const result = {
    csv: join(a.out, 'compare.csv'), regions: join(a.out, 'regions.csv'), json: join(a.out, 'compare.json'), residuals: join(a.out, 'residuals.tif'),
    frames: c.frames.length, normalisation: c.normalisation, pixelSize_A: c.pixelSize_A, mean: { ncc: mean('ncc'), ssim: mean('ssim'), chi2Reduced: mean('chi2Reduced') }, warnings,
  };
  // One writer per --out while the files are written; they land together (core FileSet: --out may be a folder of
  // other files, `.` by default, so only compare's own earlier files are replaced).
  const lock = lockOutDir(a.out, `compare ${a.experiment.join(' ')}`);
  try {
    const set = FileSet.open(a.out, 'compare', ['compare.csv', 'regions.csv', 'compare.json', 'residuals.tif']);
    await writeCompareOutputs(set, c, exp, sim, warnings);
    set.commit();
  } finally {
    lock.release();
  }
  if (a.json) print(`${JSON.stringify(result, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`);
  else {
    print(`compared ${c.frames.length} frames (${c.normalisation}, ${c.pixelSize_A.toFixed(4)} Å/px): mean NCC ${result.mean.ncc.toFixed(3)}, SSIM ${result.mean.ssim.toFixed(3)} → ${result.csv}\n`);
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  }
  return result;
}

async function writeCompareOutputs(
  set: FileSet, c: ReturnType<typeof compareSeries>, exp: Awaited<ReturnType<typeof readSeries>>, sim: Awaited<ReturnType<typeof readSeries>>, warnings: string[],
): Promise<void> {
  await writeFileAtomic(set.path('compare.csv'), comparisonCsv(c));
  await writeFileAtomic(set.path('regions.csv'), regionsCsv(c));
  await writeTiffFloat32(set.path('residuals.tif'), c.residuals, c.width, c.height, {
    pixelSize_A: c.pixelSize_A, unit: 'A', description: JSON.stringify({ content: 'experiment - aligned simulation', units: c.normalisation === 'zscore' ? 'z-score' : 'fraction of incident beam' }),
  });
  for (let k = 0; k < c.residuals.length; k++) await writeFileAtomic(set.path(join('residuals', `frame-${String(k).padStart(3, '0')}.png`)), encodePng16(c.residuals[k]!, c.width, c.height).png);
  const { residuals: _residuals, ...rest } = c;
  void _residuals;
  await writeFileAtomic(set.path('compare.json'), JSON.stringify({ experiment: exp.source, simulation: sim.source.files, ...rest, warnings }, jsonReplacer, 1) + '\n');
}

const command: CommandModule<object, CompareArgs> = {
  command: 'compare',
  describe: 'Compare an experimental series with simulated frames frame by frame (rotation + drift registration, NCC, SSIM, Poisson χ², Li/M ratio, per-region statistics, residual images)',
  builder: (y: Argv) =>
    withCommon(y, { out: { default: '.', describe: 'output directory for compare.csv, regions.csv, compare.json, residuals.tif and residuals/' }, json: {} })
      .option('experiment', { type: 'string', array: true, demandOption: true, describe: 'series: .tif, .dm3/.dm4, .emd, .hspy/.hdf5, .mrc, .npy/.npz, a directory of .png/.tif frames, or several frame files' })
      .option('simulation', { type: 'string', demandOption: true, describe: 'simulated frames, e.g. out/<run>/frames.tif (fraction of the beam)' })
      .option('sidecar', { type: 'string', describe: 'JSON/CSV of the experiment: temperature, time, dose per frame, pixel size' })
      .option('sim-sidecar', { type: 'string', describe: 'JSON/CSV of the simulation (default: frames.json beside it)' })
      .option('pixel-size', { type: 'string', describe: 'experimental pixel size [Å]; wins over the sidecar and the file (with a warning when they differ); required when neither has one' })
      .option('normalise', { type: 'string', default: 'auto', choices: NORMALISATIONS, describe: 'intensity → fraction of the beam (fraction, counts with doses, detector scan); relative/zscore: unknown scale, both z-scored; auto: what the file states, else a detector scan, else counts with doses, else z-score' })
      .option('detector-scan', { type: 'string', describe: 'detector sensitivity scan for --normalise detector' })
      .option('zone', { type: 'string', describe: 'layered zone axis (210) for the per-region statistics' })
      .option('regions', { type: 'boolean', default: true, describe: 'analyse both frames per region (pore, rim, APB, bulk) side by side' })
      .option('layer-period', { type: 'string', default: '4.7333 Å', describe: 'M-layer spacing for the Li/M ratio [Å] (c/3; the layers\' orientation is found in the image)' })
      .option('npz-array', { type: 'string', describe: 'array name inside an .npz (default arr_0)' })
      .option('periodic', { type: 'boolean', default: true, describe: 'the simulation is a periodic cell (tile it over the experiment)' }) as unknown as Argv<CompareArgs>,
  handler: async (argv: ArgumentsCamelCase<CompareArgs>) => {
    await runCompare(argv);
  },
};

export default command;
