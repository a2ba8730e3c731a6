/**
 * `cathode-twin image`: HAADF-STEM image of a structure file by multislice (or the fast incoherent mode), with
 * optional acquisition noise. Writes a float32 TIFF, a 16-bit PNG preview and a JSON sidecar.
 *
 * Every input is parsed and checked (including the structure and the sampling against the detector) before any
 * simulation; bad input exits with an InputError naming the option, and no file is written. The three files are
 * written under a lock named after the output (a second `image` to the same file is refused) and committed as a set
 * (core FileSet): a kill never leaves a new .tif beside an older .json.
 */
import { basename, dirname, resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { checkSeed, checkWorkers, withCommon, withMicroscope } from '../options.js';
import { FileSet, InputError, checkOutPath, createProgress, guardSize, lockOutDir, parseQuantity, parseQuantityList, parseQuantityRange } from '../../core/index.js';
import { writeJsonSidecar, writePng16, writeTiffFloat32 } from '../../twin/imageio/index.js';
import { readStructure } from '../../lattice/index.js';
import {
  type HaadfAlgorithm, type HaadfImage, type HaadfOptions, acquire, checkAtoms, checkDetector, checkHaadfOptions, defaultInterpolation, makeGrid, nyquistStep_A, periodicScan, prepareMultislice, selectBackend, wavelength_A, simulateHaadfWith, simulateIncoherent, simulateProbeSignal,
} from '../../multislice/index.js';

export interface ImageArgs {
  structure: string; energy: string; semiangle: string; detector: string; sampling: string; slice: string; 'scan-step': string;
  'scan-region'?: string; 'probe-at'?: string; phonons: number; dose?: string; frames: number; defocus: string; cs: string;
  'source-size': string; 'focal-spread': string; 'thickness-series'?: string; parametrization: string; mode: string; backend: string; algorithm: string; interpolation?: number;
  workers: number; seed: number; out: string; json: boolean; quiet: boolean;
}

/** Parsed, checked options. */
export interface ImagePlan { opts: HaadfOptions; mode: 'multislice' | 'incoherent'; algorithm: HaadfAlgorithm; interpolation?: number; probeAt?: [number, number]; dose?: number; frames: number; out: string }

const int = (v: number, field: string, lo: number, hi: number): number => {
  if (!Number.isInteger(v) || v < lo || v > hi) throw new InputError(field, v, `an integer ${lo}…${hi}`);
  return v;
};

/** Parses and checks the arguments (InputError naming the option). */
export function imagePlan(a: ImageArgs): ImagePlan {
  if (!/\.tiff?$/i.test(a.out)) throw new InputError('--out', a.out, 'a .tif or .tiff path (a .png preview and .json sidecar are written beside it)');
  const energy_eV = parseQuantity(a.energy, 'voltage', '--energy');
  if (!(energy_eV >= 1e3 && energy_eV <= 5e6)) throw new InputError('--energy', a.energy, 'an accelerating voltage 1 kV…5 MV');
  const semiangle_mrad = parseQuantity(a.semiangle, 'angle', '--semiangle');
  if (!(semiangle_mrad > 0)) throw new InputError('--semiangle', a.semiangle, 'an angle > 0 mrad');
  const [inner_mrad, outer_mrad] = parseQuantityRange(a.detector, 'angle', '--detector');
  if (!(outer_mrad > inner_mrad)) throw new InputError('--detector', a.detector, 'INNER-OUTER with outer > inner, e.g. "70-180 mrad"');
  const sampling_A = parseQuantity(a.sampling, 'length', '--sampling');
  if (!(sampling_A > 0)) throw new InputError('--sampling', a.sampling, 'a length > 0 Å');
  const sliceThickness_A = parseQuantity(a.slice, 'length', '--slice');
  if (!(sliceThickness_A > 0)) throw new InputError('--slice', a.slice, 'a length > 0 Å');
  const scanStep_A = parseQuantity(a['scan-step'], 'length', '--scan-step');
  if (!(scanStep_A > 0)) throw new InputError('--scan-step', a['scan-step'], 'a length > 0 Å');
  const region = a['scan-region'] === undefined ? undefined : parseQuantityList(a['scan-region'], 'length', '--scan-region', 4);
  if (region && !(region[2]! > region[0]! && region[3]! > region[1]!)) throw new InputError('--scan-region', a['scan-region'], '"x0,y0,x1,y1 Å" with x1 > x0 and y1 > y0');
  const probe = a['probe-at'] === undefined ? undefined : parseQuantityList(a['probe-at'], 'length', '--probe-at', 2);
  const series = a['thickness-series'] === undefined ? undefined : parseQuantityList(a['thickness-series'], 'length', '--thickness-series');
  const dose = a.dose === undefined ? undefined : parseQuantity(a.dose, 'dose', '--dose');
  if (dose !== undefined && !(dose > 0)) throw new InputError('--dose', a.dose, 'a dose > 0 e/Å², e.g. "5000 e/Å^2"');
  if (a.mode !== 'multislice' && a.mode !== 'incoherent') throw new InputError('--mode', a.mode, 'multislice or incoherent');
  if (a.algorithm !== 'multislice' && a.algorithm !== 'prism') throw new InputError('--algorithm', a.algorithm, 'multislice or prism');
  if (a.algorithm === 'prism' && series) throw new InputError('--thickness-series', a['thickness-series'], 'only with --algorithm multislice');
  if (a.interpolation !== undefined && !(Number.isInteger(a.interpolation) && a.interpolation >= 1)) throw new InputError('--interpolation', a.interpolation, 'an integer ≥ 1');
  if (a.backend !== 'auto' && a.backend !== 'cpu' && a.backend !== 'gpu') throw new InputError('--backend', a.backend, 'auto, cpu or gpu');
  if (a.parametrization !== 'lobato' && a.parametrization !== 'kirkland') throw new InputError('--parametrization', a.parametrization, 'lobato or kirkland');
  const defocus = parseQuantity(a.defocus, 'length', '--defocus');
  const cs = parseQuantity(a.cs, 'length', '--cs');
  const sourceSize_A = parseQuantity(a['source-size'], 'length', '--source-size');
  if (!(sourceSize_A >= 0)) throw new InputError('--source-size', a['source-size'], 'a length ≥ 0 Å');
  const focalSpread_A = parseQuantity(a['focal-spread'], 'length', '--focal-spread');
  if (!(focalSpread_A >= 0)) throw new InputError('--focal-spread', a['focal-spread'], 'a length ≥ 0 Å');
  const opts: HaadfOptions = {
    energy_eV, semiangle_mrad, detector: { inner_mrad, outer_mrad }, sampling_A, sliceThickness_A, scanStep_A,
    ...(region ? { scanRegion_A: region as [number, number, number, number] } : {}),
    ...(series ? { thicknessSeries_A: series } : {}),
    aberrations: { defocus, Cs: cs },
    phonons: int(a.phonons, '--phonons', 0, 1000), seed: int(a.seed, '--seed', 0, Number.MAX_SAFE_INTEGER),
    sourceSize_A, focalSpread_A, parametrization: a.parametrization, backend: a.backend, workers: int(a.workers, '--workers', 1, 256),
  };
  return { opts, mode: a.mode, algorithm: a.algorithm, ...(a.interpolation !== undefined ? { interpolation: a.interpolation } : {}), frames: int(a.frames, '--frames', 1, 10000), out: a.out, ...(probe ? { probeAt: probe as [number, number] } : {}), ...(dose !== undefined ? { dose } : {}) };
}

/** Renames library field names to the CLI options that carry them. */
function asOption(e: unknown): unknown {
  if (!(e instanceof InputError)) return e;
  const map: [RegExp, string][] = [[/^sampling/, '--sampling'], [/^slice/, '--slice'], [/^detector/, '--detector'], [/^semiangle/, '--semiangle'],
    [/^thickness$/, '--structure (cell thickness)'], [/^backend$/, '--backend'], [/^atoms\./, '--structure'], [/^cell\./, '--structure (cell)'], [/^scan-/, `--${e.field}`]];
  const hit = map.find(([re]) => re.test(e.field));
  return hit ? new InputError(hit[1] === '--structure' ? `--structure (${e.field})` : hit[1], e.value, e.allowed, e.hint) : e;
}

/** Most probe positions of one image: each is one multislice pass (≈ 0.01–1 s), so 2^22 is hours of work already. */
const MAX_PROBES = 2 ** 22;
/** Most output pixels (the incoherent renderer's limit, 4096²). */
const MAX_IMAGE_PIXELS = 2 ** 24;

/** Refuses, before any simulation, a scan whose probe count or image size cannot finish or fit (InputError naming the option). */
function guardScan(plan: ImagePlan, cell_A: readonly number[], a: ImageArgs): void {
  const o = plan.opts;
  if (plan.probeAt && !o.scanRegion_A) return; // one probe position only, no image
  const step = o.scanStep_A!;
  const r = o.scanRegion_A;
  const [w, h] = r ? [r[2] - r[0], r[3] - r[1]] : [cell_A[0]!, cell_A[1]!];
  const outW = Math.max(1, Math.round(w / step)), outH = Math.max(1, Math.round(h / step));
  const pages = 1 + (plan.dose !== undefined ? 1 : 0) + (o.thicknessSeries_A?.length ?? 0);
  const fitStep = (n: number): string => `a --scan-step ≥ ${(Math.sqrt((w * h) / n) * 1.001).toPrecision(3)} Å over ${w.toPrecision(4)}×${h.toPrecision(4)} Å`;
  guardSize({ field: '--scan-step', value: a['scan-step'], what: 'image pixels', count: outW * outH, bytesEach: 4 * pages + 16, maxCount: MAX_IMAGE_PIXELS, maxReason: 'the image size the simulators support (4096²)', fit: fitStep });
  if (plan.mode !== 'multislice') return;
  // Probes: the scan region at the step, or the whole cell at the probe's Nyquist step (then Fourier-interpolated).
  const probes = r ? outW * outH : (() => { const g = periodicScan(w, h, nyquistStep_A(wavelength_A(o.energy_eV), o.semiangle_mrad)); return g.nx * g.ny; })();
  const field = r ? '--scan-step' : '--structure';
  guardSize({
    field, value: r ? a['scan-step'] : `${a.structure} (cell ${cell_A[0]!.toFixed(1)}×${cell_A[1]!.toFixed(1)} Å)`, what: 'probe positions', count: probes,
    maxCount: MAX_PROBES, maxReason: 'run time: each probe position is one multislice pass',
    fit: r ? fitStep : () => 'scan part of the cell with --scan-region, or use --mode incoherent',
  });
}

/**
 * Imaging progress: a bar with an ETA on a TTY (quiet log lines elsewhere), created at the first report, when the
 * total (probe positions × configurations, or PRISM's beams + probes) is known; the phase is shown beside it.
 */
export function imagingProgress(label: string, quiet: boolean): { update: (done: number, total: number, phase?: string) => void; stop: () => void } {
  let bar: ReturnType<typeof createProgress> | undefined;
  let total = 0;
  return {
    update(done, t, phase) {
      if (!bar || t !== total) { bar?.stop(); total = t; bar = createProgress({ label, total: t, quiet, fields: ['phase'] }); }
      bar.update(done, { phase: phase ?? '' });
    },
    stop() { bar?.stop(); },
  };
}

/** The command's work. Returns the JSON result. */
export async function runImage(a: ImageArgs, print: (s: string) => void = (s) => process.stdout.write(s)): Promise<Record<string, unknown>> {
  const plan = imagePlan(a);
  checkOutPath(a.out, 'file', '--out');
  const atoms = readStructure(a.structure);
  guardScan(plan, atoms.cell_A, a);
  try {
    checkAtoms(atoms, plan.opts.parametrization ?? 'lobato');
    checkHaadfOptions(atoms, plan.opts);
    const lambda = wavelength_A(plan.opts.energy_eV);
    // The sampling must resolve the detector (the incoherent calibration runs multislice at this sampling too).
    checkDetector(plan.opts.detector, makeGrid([8, 8], plan.opts.sampling_A), lambda);
    if (plan.mode === 'multislice' || plan.probeAt) prepareMultislice(atoms, { ...plan.opts, phonons: 0 }); // full validation before any work
    if (plan.opts.backend === 'gpu') (await selectBackend('gpu')).backend.dispose(); // --backend gpu without a GPU: refused before any work
  } catch (e) {
    throw asOption(e);
  }
  if (plan.probeAt) {
    const [x, y] = plan.probeAt;
    if (!(x >= 0 && x <= atoms.cell_A[0] && y >= 0 && y <= atoms.cell_A[1])) throw new InputError('--probe-at', a['probe-at'], `a position inside the cell [0, ${atoms.cell_A[0]}] × [0, ${atoms.cell_A[1]}] Å`);
  }
  // One writer per output file (a named lock in its folder, which the command does not own), then a staged set.
  const outDir = dirname(resolve(a.out));
  const setName = FileSet.nameFor('image', a.out);
  const base0 = basename(a.out).replace(/\.tiff?$/i, '');
  const lock = lockOutDir(outDir, `image --structure ${a.structure} --out ${a.out}`, '--out', { name: setName, sweep: false });
  try {
    const set = FileSet.open(outDir, setName, [basename(a.out), `${base0}.png`, `${base0}.json`]);
    const progress = imagingProgress(`image (${plan.mode === 'multislice' ? plan.algorithm : plan.mode})`, a.quiet || a.json);
    const opts: HaadfOptions = { ...plan.opts, onProgress: progress.update };
    const t0 = performance.now();
    if (plan.probeAt && !plan.opts.scanRegion_A) {
      // --probe-at without --scan-region: only that probe is computed (one plain-multislice probe per configuration).
      const ps = await simulateProbeSignal(atoms, opts, plan.probeAt[0], plan.probeAt[1]);
      progress.stop();
      const base = a.out.replace(/\.tiff?$/i, '');
      const result = {
        sidecar: `${base}.json`, mode: 'multislice', computed: 'one probe position only (no image: give --scan-region for an image)',
        probeAt_A: plan.probeAt, probeSignal: ps.signal, units: 'fraction of incident beam',
        thicknessSeries: ps.thicknessSeries, seconds: (performance.now() - t0) / 1e3,
      };
      await writeJsonSidecar(set.path(`${basename(base)}.json`), { ...result, structure: a.structure, optics: ps.metadata });
      set.commit();
      if (a.json) print(`${JSON.stringify(result)}\n`);
      else print(`probe at (${plan.probeAt.join(', ')}) Å: ${ps.signal.toExponential(4)} of the beam (computed that probe only; no image written: add --scan-region for one); wrote ${base}.json\n`);
      return result;
    }
    const img: HaadfImage =
      plan.mode === 'incoherent'
        ? await simulateIncoherent(atoms, opts)
        : await simulateHaadfWith(plan.algorithm, atoms, { ...opts, interpolation: plan.interpolation ?? defaultInterpolation(atoms.cell_A) });
    const probeSignal = plan.probeAt ? (await simulateProbeSignal(atoms, { ...plan.opts }, plan.probeAt[0], plan.probeAt[1])).signal : undefined;
    progress.stop();
    let main = img.data;
    let acquisition: Record<string, unknown> | undefined;
    if (plan.dose !== undefined) {
      const acq = acquire(img.data, img.width, img.height, img.sampling_A, img.samplingY_A, { dose_ePerA2: plan.dose, frames: plan.frames, seed: plan.opts.seed ?? 0 }, !plan.opts.scanRegion_A);
      main = acq.fraction;
      acquisition = { dose_ePerA2: plan.dose, frames: plan.frames, electronsPerPixelPerFrame: acq.electronsPerPixelPerFrame, alignShifts_px: acq.alignShifts_px };
    }
    const pages = [main, ...(plan.dose !== undefined ? [img.data] : []), ...img.thicknessSeries.slice(0, -1).map((s) => s.data)];
    const stats = (v: Float32Array): { min: number; mean: number; max: number } => {
      let mn = Infinity, mx = -Infinity, s = 0;
      for (const x of v) { mn = Math.min(mn, x); mx = Math.max(mx, x); s += x; }
      return { min: mn, mean: s / v.length, max: mx };
    };
    const base = a.out.replace(/\.tiff?$/i, '');
    const result = {
      out: a.out, png: `${base}.png`, sidecar: `${base}.json`, mode: plan.mode, width: img.width, height: img.height,
      pixelSize_A: [img.sampling_A, img.samplingY_A], origin_A: img.origin_A, thickness_A: img.thickness_A,
      signal: { units: 'fraction of incident beam', ...stats(main) }, ...(probeSignal !== undefined ? { probeAt_A: plan.probeAt, probeSignal } : {}),
      pages: ['image' + (plan.dose !== undefined ? ' (with acquisition noise)' : ''), ...(plan.dose !== undefined ? ['ideal image'] : []),
        ...img.thicknessSeries.slice(0, -1).map((s) => `ideal image at ${s.thickness_A.toFixed(3)} Å`)],
      seconds: (performance.now() - t0) / 1e3,
    };
    // The three files land together (a kill never leaves a new .tif beside an old .json).
    await writeTiffFloat32(set.path(basename(a.out)), pages, img.width, img.height, { pixelSize_A: img.sampling_A, unit: 'A', description: `cathode-twin image ${plan.mode}` });
    await writePng16(set.path(`${basename(base)}.png`), main, img.width, img.height);
    await writeJsonSidecar(set.path(`${basename(base)}.json`), { ...result, structure: a.structure, optics: img.metadata, ...(acquisition ? { acquisition } : {}) });
    set.commit();
    if (a.json) print(`${JSON.stringify(result)}\n`);
    else print(`wrote ${a.out} (${img.width}×${img.height} px, ${img.sampling_A.toFixed(4)} Å/px, ${plan.mode}), mean signal ${result.signal.mean.toExponential(3)} of the beam${probeSignal !== undefined ? `; probe at (${plan.probeAt!.join(', ')}) Å: ${probeSignal.toExponential(4)}` : ''}\n`);
    return result;
  } finally {
    lock.release();
  }
}

const command: CommandModule<object, ImageArgs> = {
  command: 'image',
  describe: 'Simulate a HAADF-STEM image of a structure (multislice or fast incoherent mode), optionally with dose noise',
  builder: (y: Argv) =>
    withMicroscope(withCommon(y, {
      workers: { describe: 'worker threads for probe positions' },
      seed: { default: 0, describe: 'seed of phonons and noise' },
      out: { demand: true, describe: 'output .tif (float32, fraction of the beam); .png and .json are written beside it' },
      quiet: {},
      json: { describe: 'print a JSON result (shape, pixel size in Å, min/mean/max signal, probe signal)' },
    }))
      .option('structure', { type: 'string', demandOption: true, describe: 'structure file (.xyz extended XYZ or .cif); beam along z, periodic in x and y' })
      .option('sampling', { type: 'string', default: '0.04 Å', describe: 'wave sampling [Å]; must resolve the outer angle: ≤ λ/(3·θ_outer) (0.046 Å at 200 kV, 180 mrad). The grid is rounded up to FFT-fast sizes (sidecar: grid, gridRule); exp(iσV) is taken on a 2–3× finer potential grid (heavy atoms need V to ≥ 22 Å⁻¹)' })
      .option('slice', { type: 'string', default: '1 Å', describe: 'slice thickness [Å] (1 Å is within 0.5 % of 0.5 Å slices on LiNiO2 [210] columns; 1.66–2.5 Å slices read M columns 3.5–5 % low: bench/RESULTS.md)' })
      .option('scan-step', { type: 'string', default: '0.2 Å', describe: 'output pixel size [Å] (whole-cell scans run at the probe Nyquist step and are Fourier-interpolated)' })
      .option('scan-region', { type: 'string', describe: 'scan only x0,y0,x1,y1 [Å] (probes at the scan step, no interpolation)' })
      .option('probe-at', { type: 'string', describe: 'detector signal for one probe position x,y [Å]; without --scan-region only that probe is computed (no image; the JSON sidecar is written)' })
      .option('phonons', { type: 'number', default: 0, describe: 'frozen-phonon configurations (0 = static lattice)' })
      .option('dose', { type: 'string', describe: 'electron dose [e/Å²] → Poisson noise, e.g. "5000 e/Å^2"' })
      .option('frames', { type: 'number', default: 1, describe: 'fast frames sharing the dose (drift-aligned and summed)' })
      .option('defocus', { type: 'string', default: '0 Å', describe: 'defocus = −C10 [Å]' })
      .option('cs', { type: 'string', default: '0 Å', describe: 'spherical aberration C30 [Å] (e.g. "1.2 mm")' })
      .option('source-size', { type: 'string', default: '0 Å', describe: 'Gaussian source size (σ) blurring the image [Å]' })
      .option('focal-spread', { type: 'string', default: '0 Å', describe: 'focal spread (σ of defocus) [Å]' })
      .option('thickness-series', { type: 'string', describe: 'extra thicknesses to record, e.g. "10,20 Å" (extra TIFF pages)' })
      .option('parametrization', { type: 'string', default: 'lobato', choices: ['lobato', 'kirkland'], describe: 'scattering factors' })
      .option('mode', { type: 'string', default: 'multislice', choices: ['multislice', 'incoherent'], describe: 'imaging model' })
      .option('algorithm', { type: 'string', default: 'multislice', choices: ['multislice', 'prism'], describe: 'with --mode multislice: plain multislice per probe, or PRISM (Ophus 2017; fast for large scans; --probe-at is always plain multislice)' })
      .option('interpolation', { type: 'number', describe: 'PRISM interpolation factor f (default: the largest f keeping the probe window ≥ 12 Å; f = 1 is exact, f = 2 keeps M columns within 2 %)' })
      .option('backend', { type: 'string', default: 'auto', choices: ['auto', 'cpu', 'gpu'], describe: 'multislice backend: gpu = gpu.js on a real GPU (Linux: headless-gl with the vendor GL/EGL driver; refused where none is reached); auto = the GPU where gpu.js reaches one, else the CPU. The sidecar names the device that ran and why' }) as unknown as Argv<ImageArgs>,
  handler: async (argv: ArgumentsCamelCase<ImageArgs>) => {
    await runImage(argv);
  },
};

export default command;
