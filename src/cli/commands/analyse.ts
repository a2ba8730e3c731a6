/**
 * `cathode-twin analyse`: an image series (experimental or simulated) → columns, sublattices, regions, Li-site/M-site
 * ratios, inset profiles, pore facets and onsets (run's rule table), with overlays and a report.
 *
 * Everything is read, checked and analysed before anything is written: bad input exits with an InputError naming the
 * option (status 2) and leaves `--out` untouched. Pixel size precedence: --pixel-size, then the sidecar, then the
 * file's calibration (a flag that disagrees with the file wins, with a warning); none at all is an error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { checkWorkers, withCommon } from '../options.js';
import { InputError, OutputStage, checkOutPath, createProgress, lockOutDir, parseQuantity } from '../../core/index.js';
import { analyseSeries, writeAnalysis, zoneCell, type AnalyseOptions, type AnalysisProvenance } from '../../twin/analyse/index.js';
import { detectorResponse, INTENSITY_MODES, normaliseIntensity, readSeries, type IntensityMode } from '../../twin/series/index.js';

export interface AnalyseArgs {
  series: string[]; out: string; sidecar?: string; 'pixel-size'?: string; zone?: string; normalise: string; 'detector-scan'?: string;
  gain: number; offset: number; onsets?: boolean; rim: string; apb: string; background: string; signal?: string; 'npz-array'?: string;
  workers: number; quiet: boolean; json: boolean;
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Maps library field names (frames[i], calibration.*) to the options that carry them. */
function asOption(e: unknown): unknown {
  if (!(e instanceof InputError)) return e;
  const m = /^frames\[(\d+)\](?:\.(.*))?$/.exec(e.field);
  if (m) return new InputError(`--series (frame ${m[1]}${m[2] ? `, ${m[2]}` : ''})`, e.value, e.allowed, e.hint);
  if (e.field.startsWith('calibration.pixel')) return new InputError('--pixel-size', e.value, e.allowed, e.hint);
  return e;
}

/** The command's work; returns the JSON result. */
export async function runAnalyse(a: AnalyseArgs, print: (s: string) => void = (s) => process.stdout.write(s)): Promise<Record<string, unknown>> {
  // 1. Options.
  checkOutPath(a.out, 'dir', '--out');
  const workers = checkWorkers(a.workers);
  const pixel = a['pixel-size'] === undefined ? undefined : parseQuantity(a['pixel-size'], 'length', '--pixel-size');
  if (pixel !== undefined && !(pixel > 0)) throw new InputError('--pixel-size', a['pixel-size'], 'a length > 0 Å, e.g. "0.25 Å"');
  if (a.zone !== undefined) zoneCell(a.zone);
  const mode = a.normalise as IntensityMode;
  if (!INTENSITY_MODES.includes(mode)) throw new InputError('--normalise', a.normalise, INTENSITY_MODES.join(', '));
  if (mode === 'detector' && !a['detector-scan']) throw new InputError('--detector-scan', undefined, 'a detector sensitivity scan (with --normalise detector)');
  const rim_A = parseQuantity(a.rim, 'length', '--rim'), apb_A = parseQuantity(a.apb, 'length', '--apb');
  if (!(rim_A > 0)) throw new InputError('--rim', a.rim, 'a length > 0 Å');
  if (!(apb_A > 0)) throw new InputError('--apb', a.apb, 'a length > 0 Å');
  if (a.background !== 'constant' && a.background !== 'smooth' && a.background !== 'vacuum') throw new InputError('--background', a.background, 'constant, smooth or vacuum');
  if (!(a.gain > 0)) throw new InputError('--gain', a.gain, 'counts per electron > 0');
  if (!Number.isFinite(a.offset)) throw new InputError('--offset', a.offset, 'a number of counts');
  if (!a.series || a.series.length === 0) throw new InputError('--series', a.series, 'a series file, a folder of frames, or several frame files');
  // 2. Input.
  const first = a.series[0]!;
  const beside = join(dirname(first), 'frames.json');
  const sidecar = a.sidecar ?? (existsSync(beside) && /frames\.tiff?$/i.test(first) ? beside : undefined);
  const series = await readSeries(a.series.length === 1 ? first : a.series, {
    field: '--series', ...(sidecar ? { sidecar } : {}), ...(pixel !== undefined ? { pixelSize_A: pixel } : {}),
    ...(a.signal ? { signal: a.signal } : {}), ...(a['npz-array'] ? { npzArray: a['npz-array'] } : {}),
  });
  if (!series.pixelSize_A) throw new InputError('--pixel-size', undefined, `the pixel size: ${first} carries no calibration and no sidecar gives one; pass e.g. --pixel-size "0.25 Å"`);
  const detector = a['detector-scan'] ? detectorResponse((await readSeries(a['detector-scan'], { field: '--detector-scan' })).frames[0]!) : undefined;
  const norm = normaliseIntensity(series, { mode, ...(detector ? { detector } : {}), gain: a.gain, offset: a.offset });
  const options: AnalyseOptions = { ...(a.zone !== undefined ? { zone: a.zone } : {}), rim_A, apb_A, background: a.background as 'constant' | 'smooth' | 'vacuum' };
  // 3. Analysis.
  const progress = createProgress({ label: 'analyse', total: series.frames.length, quiet: a.quiet || a.json });
  let result;
  try {
    result = await analyseSeries({ frames: norm.frames, width: series.width, height: series.height, meta: series.meta },
      { pixelX_A: series.pixelSize_A, pixelY_A: series.pixelSizeY_A ?? series.pixelSize_A, intensity: norm.intensity, ...(norm.vacuumLevel !== undefined ? { vacuumLevel: norm.vacuumLevel } : {}) },
      { ...options, workers, ...(a.onsets !== undefined ? { onsets: a.onsets } : {}), onProgress: (d) => progress.update(d) });
  } catch (e) {
    throw asOption(e);
  } finally {
    progress.stop();
  }
  // 4. Output.
  const provenance: AnalysisProvenance = {
    source: { files: series.source.files, format: series.source.format },
    pixelSize_A: series.pixelSize_A, pixelSizeY_A: series.pixelSizeY_A ?? series.pixelSize_A, pixelSource: series.pixelSource ?? 'file',
    intensity: { mode: norm.mode, units: norm.intensity === 'fraction' ? 'fraction of the incident beam; intensities are cross-sections in Å²' : 'relative (unknown scale)', notes: norm.notes },
    options: { ...options, ...(sidecar ? { sidecar } : {}), ...(detector ? { detector } : {}) }, warnings: [...(series.warnings ?? [])], version: packageVersion(),
  };
  // The whole result lands together (src/core OutputStage under the folder's lock): a killed run leaves the previous one.
  const lock = lockOutDir(a.out, 'analyse');
  let files: string[];
  try {
    const stage = OutputStage.open(a.out, 'analyse'); // analyse's own set: --out may be the run folder of the series
    try {
      files = await writeAnalysis(a.out, result, norm.frames, provenance, (rel) => stage.path(rel));
      stage.commit();
    } catch (e) {
      stage.abort();
      throw e;
    }
  } finally {
    lock.release();
  }
  const f0 = result.frames[0]!;
  const summary = {
    out: a.out, frames: result.frames.length, pixelSize_A: series.pixelSize_A, intensity: norm.mode, zone: a.zone ?? null,
    lattice_A: [f0.lattice.length1_A, f0.lattice.length2_A], columns: result.frames.map((f) => f.columns.n),
    observables: result.observables, onsets: result.onsets, warnings: [...provenance.warnings, ...result.warnings], files,
  };
  if (a.json) print(`${JSON.stringify(summary, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`);
  else {
    const r = f0.observables;
    const ratio = a.zone ? `; Li/M rim ${Number.isFinite(r['liMRatio.rim']) ? r['liMRatio.rim']!.toFixed(3) : '–'}` : '';
    print(`analysed ${result.frames.length} frame(s) (${series.pixelSize_A.toFixed(4)} Å/px, ${norm.mode}): lattice ${f0.lattice.length1_A.toFixed(3)} × ${f0.lattice.length2_A.toFixed(3)} Å, ${f0.columns.n} columns in frame 0${ratio} → ${join(a.out, 'report.html')}\n`);
    for (const w of summary.warnings) process.stderr.write(`warning: ${w}\n`);
  }
  return summary;
}

const command: CommandModule<object, AnalyseArgs> = {
  command: 'analyse',
  describe: 'Analyse an image series: columns (2D Gaussian fits), sublattices, regions (pore, rim, APB, bulk), Li/M ratios, facets, onsets',
  builder: (y: Argv) =>
    withCommon(y, {
      out: { demand: true, describe: 'output folder: analysis.json, columns.csv, frames.csv, profiles.csv, overlays/, residuals/, report.html' },
      workers: { describe: 'worker threads over frames (results do not depend on the count)' },
      quiet: {},
      json: {},
    })
      .option('series', { type: 'string', array: true, demandOption: true, describe: 'series: .tif, .dm3/.dm4, .emd, .hspy/.hdf5, .mrc, .npy/.npz, a folder of .png/.tif frames, or several frame files' })
      .option('sidecar', { type: 'string', describe: 'JSON/CSV per frame: temperature, time, dose, pixel size (default: frames.json beside a run\'s frames.tif)' })
      .option('pixel-size', { type: 'string', describe: 'pixel size [Å], e.g. "0.25 Å"; wins over the sidecar and the file (with a warning when they differ); required when neither has one' })
      .option('zone', { type: 'string', describe: 'layered-oxide zone axis (210: Li/M/O sublattices from the layer phase, APB domains); omit for a general crystal (sublattices by position in the cell)' })
      .option('normalise', { type: 'string', default: 'auto', choices: [...INTENSITY_MODES], describe: 'intensity → fraction of the beam: fraction (as is), counts (dose per frame from the sidecar), detector (--detector-scan), relative (unknown scale); auto: what the file states, else a detector scan, else counts with doses, else relative' })
      .option('detector-scan', { type: 'string', describe: 'detector sensitivity scan (e.g. atomap example_detector_image.hspy) for --normalise detector' })
      .option('gain', { type: 'number', default: 1, describe: 'detector counts per electron (--normalise counts)' })
      .option('offset', { type: 'number', default: 0, describe: 'detector offset, counts (--normalise counts)' })
      .option('onsets', { type: 'boolean', describe: 'read onsets by run\'s rule table (needs a temperature per frame; default: when temperatures are known)' })
      .option('rim', { type: 'string', default: '6 Å', describe: 'width of the pore-rim shell [Å]' })
      .option('apb', { type: 'string', default: '5 Å', describe: 'half-width of the APB zone [Å]' })
      .option('background', { type: 'string', default: 'constant', choices: ['constant', 'smooth', 'vacuum'], describe: 'Gaussian-model background: one fitted constant (StatSTEM), a smooth surface (thickness gradients), or the vacuum level (a calibrated frame with vacuum: all signal above it belongs to columns)' })
      .option('signal', { type: 'string', describe: 'signal title inside a HyperSpy file (default the first)' })
      .option('npz-array', { type: 'string', describe: 'array name inside an .npz (default arr_0)' }) as unknown as Argv<AnalyseArgs>,
  handler: async (argv: ArgumentsCamelCase<AnalyseArgs>) => {
    await runAnalyse(argv);
  },
};

export default command;
