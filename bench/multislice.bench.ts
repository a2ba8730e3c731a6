/**
 * Multislice benchmarks (`npm run bench -- multislice`): prints markdown.
 *  1. Time per probe position per slice at 256² and 512² (transmit + propagate = 2 FFTs), with the achieved FFT
 *     GFLOP/s counting 5·N·log2 N per transform; baseline: the bare FFT pair of the same size in the same run.
 *  2. Worker scaling 1 → 2 on a 256² scan (same image bytes checked).
 *  3. The 64×64-probe scan of a 2.5 × 2.5 nm, 10 nm thick LiNiO2 [210] cell: a subset of probe positions is run and
 *     the full scan extrapolated (said so in the output); peak RSS measured.
 *  4. The incoherent mode for the main run: 32 frames of a 10 × 10 nm, 10 nm thick LiNiO2 [210] cell.
 */
import { createFft2d } from '../src/core/fft/index.js';
import {
  type HaadfOptions, createCpuBackend, prepareMultislice, runProbePosition, simulateHaadf, simulateIncoherent,
} from '../src/multislice/index.js';
import { lno210, singleAtom } from '../test/multislice/structures.js';

const OPTS: HaadfOptions = { energy_eV: 200e3, semiangle_mrad: 15.07, detector: { inner_mrad: 70, outer_mrad: 180 }, sampling_A: 0.04, sliceThickness_A: 2 };
let peakRss = 0;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50);
const now = (): number => performance.now();

async function perSlice(): Promise<void> {
  console.log('### Time per probe position per slice (CPU backend, 1 thread)\n');
  console.log('| grid | ms / probe / slice | FFT pair alone, ms | FFT GFLOP/s in multislice | ratio multislice slice / FFT pair |');
  console.log('|---|---|---|---|---|');
  for (const n of [256, 512]) {
    const box = n * 0.04;
    const atoms = singleAtom(28, box, 20);
    const prep = prepareMultislice(atoms, { ...OPTS, sliceThickness_A: 2 });
    const stack = prep.buildStack(0);
    const be = createCpuBackend();
    runProbePosition(prep.setup, stack, be, box / 2, box / 2); // warm-up
    const reps = n === 256 ? 6 : 2;
    let t = now();
    for (let r = 0; r < reps; r++) runProbePosition(prep.setup, stack, be, box / 2 + r * 0.1, box / 2);
    const perSliceMs = (now() - t) / reps / prep.setup.nSlices;
    const fft = createFft2d(n, n);
    const re = new Float32Array(n * n).fill(1), im = new Float32Array(n * n);
    t = now();
    for (let r = 0; r < 5; r++) { fft.forward(re, im); fft.inverse(re, im); }
    const pairMs = (now() - t) / 5;
    const flop = 2 * 5 * n * n * Math.log2(n * n);
    console.log(`| ${n}² | ${perSliceMs.toFixed(2)} | ${pairMs.toFixed(2)} | ${(flop / (perSliceMs * 1e6)).toFixed(2)} | ${(perSliceMs / pairMs).toFixed(2)} |`);
  }
}

async function workers(): Promise<void> {
  console.log('\n### Worker scaling (256×320 grid, 10 Å thick LiNiO2 [210], 256 probe positions; includes worker start-up under tsx)\n');
  const atoms = lno210(4, 2, 0, 1);
  const o: HaadfOptions = { ...OPTS, sampling_A: 0.045, sliceThickness_A: 2.5, scanRegion_A: [0, 0, 3.2, 3.2], scanStep_A: 0.2 };
  const res: number[] = [], cpu: number[] = [];
  let first: Float32Array | undefined, same = true;
  for (const w of [1, 2]) {
    const t = now(), c0 = process.cpuUsage();
    const img = await simulateHaadf(atoms, { ...o, workers: w });
    res.push(now() - t);
    cpu.push(process.cpuUsage(c0).user / 1e3);
    if (first) same = Buffer.from(first.buffer).equals(Buffer.from(img.data.buffer)); else first = img.data;
  }
  console.log('| workers | wall s | speed-up | CPU s (all threads) | CPU / wall |\n|---|---|---|---|---|');
  for (const i of [0, 1]) console.log(`| ${i + 1} | ${(res[i]! / 1e3).toFixed(2)} | ${(res[0]! / res[i]!).toFixed(2)} | ${(cpu[i]! / 1e3).toFixed(2)} | ${(cpu[i]! / res[i]!).toFixed(2)} |`);
  console.log('\n(CPU / wall ≪ number of workers means the machine gave this process less than one core: wall-time scaling cannot show.)');
  console.log(`\nimages identical for 1 and 2 workers: ${same}; machine cores: ${(await import('node:os')).availableParallelism()}`);
}

async function bigScan(): Promise<void> {
  console.log('\n### 64×64-probe scan, 2.5 × 2.5 nm × 10 nm LiNiO2 [210] (extrapolated from a subset)\n');
  const atoms = lno210(9, 20, 0, 2); // 25.9 × 28.4 × 99.7 Å
  const o: HaadfOptions = { ...OPTS, sampling_A: 0.045, sliceThickness_A: 2.5 };
  let t = now();
  const prep = prepareMultislice(atoms, o);
  const stack = prep.buildStack(0);
  const buildS = (now() - t) / 1e3;
  const be = createCpuBackend();
  const k = 3;
  t = now();
  for (let i = 0; i < k; i++) runProbePosition(prep.setup, stack, be, 1 + i * 0.4, 2);
  const perProbeS = (now() - t) / 1e3 / k;
  const g = prep.setup.grid;
  console.log(`atoms ${atoms.n}, grid ${g.nx}×${g.ny} (${g.samplingX_A.toFixed(4)}×${g.samplingY_A.toFixed(4)} Å), ${prep.setup.nSlices} slices; transmission stack ${((2 * 4 * g.nx * g.ny * prep.setup.nSlices) / 2 ** 20).toFixed(0)} MiB\n`);
  console.log('| stage | measured | 64×64 scan (extrapolated) |\n|---|---|---|');
  console.log(`| potential + transmission (once per phonon configuration) | ${buildS.toFixed(1)} s | ${buildS.toFixed(1)} s |`);
  console.log(`| per probe position (${k} run) | ${perProbeS.toFixed(2)} s | ${((perProbeS * 4096) / 3600).toFixed(2)} h on 1 thread, ${((perProbeS * 4096) / 3600 / 1.7).toFixed(2)} h on 2 workers (×1.7) |`);
  console.log(`| peak RSS (process maximum so far) | ${(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 2 ** 30).toFixed(2)} GiB | + ~0.1 GiB per extra worker (shared stack) |`);
}

async function incoherent(): Promise<void> {
  console.log('\n### Incoherent mode for the main run: 32 frames, 10 × 10 nm × 10 nm LiNiO2 [210]\n');
  const atoms = lno210(35, 20, 0, 7); // 100.7 × 99.3 × 99.7 Å
  const o: HaadfOptions = { ...OPTS, sampling_A: 0.045, sliceThickness_A: 2.5, scanStep_A: 0.2 };
  let t = now();
  await simulateIncoherent(atoms, o); // first frame: calibration (3 elements) + render
  const first = (now() - t) / 1e3;
  t = now();
  for (let f = 1; f < 32; f++) await simulateIncoherent(atoms, o);
  const rest = (now() - t) / 1e3 / 31;
  console.log(`atoms ${atoms.n}; image ${Math.round(atoms.cell_A[0] / 0.2)}×${Math.round(atoms.cell_A[1] / 0.2)} px at 0.2 Å\n`);
  console.log('| stage | s |\n|---|---|');
  console.log(`| first frame (multislice calibration of Li, Ni, O columns + render) | ${first.toFixed(2)} |`);
  console.log(`| each further frame (columns + render, calibration cached) | ${rest.toFixed(2)} |`);
  console.log(`| 32 frames total | ${(first + 31 * rest).toFixed(1)} |`);
}

export async function main(): Promise<void> {
  const os = await import('node:os');
  console.log(`machine: ${os.availableParallelism()} cores, load average at start ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')} (shared machine: timings inflated when load > cores)\n`);
  const only = process.env.MS_BENCH?.split(',');
  if (!only || only.includes('slice')) await perSlice();
  if (!only || only.includes('workers')) await workers();
  if (!only || only.includes('incoherent')) await incoherent();
  if (!only || only.includes('big')) await bigScan();
  clearInterval(sampler);
}
