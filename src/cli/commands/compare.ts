/**
 * `cathode-twin compare`: an experimental series (TIFF, PNG sequence, DM3/DM4, .npy/.npz + optional sidecar) against
 * simulated frames (out/<run>/frames.tif; its frames.json beside it gives times/temperatures) frame by frame:
 * registration, normalisation, NCC / SSIM / Poisson χ², Li/M layer ratio. Writes compare.csv and compare.json.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { checkSeed, checkWorkers, withCommon, withMicroscope } from '../options.js';
import { InputError, checkOutPath, lockOutDir, parseQuantity, writeFileAtomic } from '../../core/index.js';
import { jsonReplacer } from '../../twin/imageio/index.js';
import { compareSeries, comparisonCsv, type Normalisation } from '../../twin/compare/compare.js';
import { readSeries } from '../../twin/series/read.js';

export interface CompareArgs {
  experiment: string[]; simulation: string; out: string; sidecar?: string; 'sim-sidecar'?: string; 'pixel-size'?: string; normalise: string;
  'layer-period': string; 'npz-array'?: string; periodic: boolean; json: boolean;
}

/** The command's work; returns the JSON result. Everything is read and checked before anything is written. */
export async function runCompare(a: CompareArgs, print: (s: string) => void = (s) => process.stdout.write(s)): Promise<Record<string, unknown>> {
  const norm = a.normalise as Normalisation;
  if (!['auto', 'fraction', 'counts', 'zscore'].includes(norm)) throw new InputError('--normalise', a.normalise, 'auto, fraction, counts or zscore');
  const pixelSize_A = a['pixel-size'] === undefined ? undefined : parseQuantity(a['pixel-size'], 'length', '--pixel-size');
  if (pixelSize_A !== undefined && !(pixelSize_A > 0)) throw new InputError('--pixel-size', a['pixel-size'], 'a length > 0 Å');
  const layerPeriod_A = parseQuantity(a['layer-period'], 'length', '--layer-period');
  if (!(layerPeriod_A > 0)) throw new InputError('--layer-period', a['layer-period'], 'a length > 0 Å');
  checkOutPath(a.out, 'dir', '--out');
  const expList = a.experiment.length === 1 ? a.experiment[0]! : a.experiment;
  const exp = await readSeries(expList, { ...(a.sidecar ? { sidecar: a.sidecar } : {}), ...(a['npz-array'] ? { npzArray: a['npz-array'] } : {}) });
  const simSide = a['sim-sidecar'] ?? (existsSync(join(dirname(a.simulation), 'frames.json')) ? join(dirname(a.simulation), 'frames.json') : undefined);
  let sim;
  try {
    sim = await readSeries(a.simulation, simSide ? { sidecar: simSide } : {});
  } catch (e) {
    if (e instanceof InputError && e.field === '--experiment') throw new InputError('--simulation', e.value, e.allowed, e.hint);
    throw e;
  }
  const c = compareSeries(exp, sim, { normalisation: norm, periodic: a.periodic, layerPeriod_A, ...(pixelSize_A !== undefined ? { pixelSize_A } : {}) });
  const mean = (k: 'ncc' | 'ssim' | 'chi2Reduced'): number => c.frames.reduce((s, f) => s + f[k], 0) / c.frames.length;
  const result = {
    csv: join(a.out, 'compare.csv'), json: join(a.out, 'compare.json'), frames: c.frames.length, normalisation: c.normalisation, pixelSize_A: c.pixelSize_A,
    mean: { ncc: mean('ncc'), ssim: mean('ssim'), chi2Reduced: mean('chi2Reduced') },
  };
  const lock = lockOutDir(a.out, `compare ${a.experiment.join(' ')}`);
  try {
    await writeFileAtomic(result.csv, comparisonCsv(c));
    await writeFileAtomic(result.json, JSON.stringify({ experiment: exp.source, simulation: sim.source.files, ...c }, jsonReplacer, 1) + '\n');
  } finally {
    lock.release();
  }
  print(a.json ? `${JSON.stringify(result)}\n` : `compared ${c.frames.length} frames (${c.normalisation}, ${c.pixelSize_A.toFixed(4)} Å/px): mean NCC ${result.mean.ncc.toFixed(3)}, SSIM ${result.mean.ssim.toFixed(3)} → ${result.csv}\n`);
  return result;
}

const command: CommandModule<object, CompareArgs> = {
  command: 'compare',
  describe: 'Compare an experimental series with simulated frames frame by frame (registration, NCC, SSIM, Poisson χ², Li/M ratio)',
  builder: (y: Argv) =>
    withCommon(y, { out: { default: '.', describe: 'output directory for compare.csv and compare.json' }, json: {} })
      .option('experiment', { type: 'string', array: true, demandOption: true, describe: 'series: .tif, .dm3/.dm4, .npy/.npz, a directory of .png/.tif frames, or several frame files' })
      .option('simulation', { type: 'string', demandOption: true, describe: 'simulated frames, e.g. out/<run>/frames.tif (fraction of the beam)' })
      .option('sidecar', { type: 'string', describe: 'JSON/CSV of the experiment: temperature, time, dose per frame, pixel size' })
      .option('sim-sidecar', { type: 'string', describe: 'JSON/CSV of the simulation (default: frames.json beside it)' })
      .option('pixel-size', { type: 'string', describe: 'experimental pixel size [Å] when the files carry none' })
      .option('normalise', { type: 'string', default: 'auto', choices: ['auto', 'fraction', 'counts', 'zscore'], describe: 'intensity normalisation' })
      .option('layer-period', { type: 'string', default: '4.7333 Å', describe: 'M-layer spacing for the Li/M ratio [Å] (c/3; layers along image x)' })
      .option('npz-array', { type: 'string', describe: 'array name inside an .npz (default arr_0)' })
      .option('periodic', { type: 'boolean', default: true, describe: 'the simulation is a periodic cell (tile it over the experiment)' }) as unknown as Argv<CompareArgs>,
  handler: async (argv: ArgumentsCamelCase<CompareArgs>) => {
    await runCompare(argv);
  },
};

export default command;
