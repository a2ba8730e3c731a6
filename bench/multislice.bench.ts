/**
 * Multislice benchmarks (`npm run bench -- multislice`): prints markdown. Sections (MS_BENCH=a,b,… picks them;
 * default all but `convergence`, which takes ~10 min on one core):
 *  - speed: time per probe position per slice on the abTEM benchmark job's cell (LiNiO2 [210], 25.90 × 28.38 Å,
 *    sampling 0.04 Å → 720×720 grid, 1.66 Å slices) for (1) the per-probe planar path (engine.ts + CPU backend, the
 *    baseline, same run), (2) the resident band-pruned loop on 1 thread, (3) the resident loop on 2 workers (wall);
 *    the fixed anchor is abTEM 1.0.3's published 2.1 ms wall per position per slice with 2 threads on a 2-core machine
 *    of this kind (issue 15). MS_SPEED_PROBES (default 8) probes per variant, MS_SPEED_THICK_A (default 16.6) thickness.
 *  - probe: `image --probe-at` (no scan) on the full 25.9 × 28.4 × 99.7 Å benchmark cell, wall clock.
 *  - convergence: the heavy-atom table (single atoms Z = 8, 28, 38, 78, 79; sampling 0.04 → 0.01 Å; band-limit order;
 *    potential sampling) and the grid-free cross-section check; MS_CONV_SAMPLINGS overrides the samplings, MS_CONV_ALLZ=1
 *    adds the sweep of every Z = 1…83 (two potential grids, ~4 min).
 *  - workers, incoherent, big: as before (worker scaling, the main run's incoherent frames, the 64×64 scan estimate).
 * Every section prints the load average and CPU seconds beside wall times (the machine is shared).
 */
import { cpus, loadavg } from 'node:os';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type HaadfOptions, bandLimitMask, buildPotentialSlices, createCpuBackend, prepareMultislice, runProbePosition, simulateHaadf,
  simulateIncoherent, simulateProbeSignal, transmissionFunction,
} from '../src/multislice/index.js';
import { isolatedAtomCrossSection_A2, transmissionCrossSection_A2 } from '../src/multislice/cross-section.js';
import { runProbeResident, setResidentSpectrumOrder } from '../src/multislice/resident.js';
import { runProbeChunk } from '../src/multislice/workers/probe-task.js';
import { createProbeRunner } from '../src/multislice/workers/pool.js';
import { ELEMENT_SYMBOLS } from '../src/lattice/atoms.js';
import type { Atoms } from '../src/lattice/atoms.js';
import { lno210, singleAtom } from '../test/multislice/structures.js';

const OPTS: HaadfOptions = { energy_eV: 200e3, semiangle_mrad: 15.07, detector: { inner_mrad: 70, outer_mrad: 180 }, sampling_A: 0.04, sliceThickness_A: 2 };
let peakRss = 0;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50);
const now = (): number => performance.now();
const cpuS = (c0: NodeJS.CpuUsage): number => { const c = process.cpuUsage(c0); return (c.user + c.system) / 1e6; };
const load = (): string => loadavg()[0]!.toFixed(1);
/** abTEM 1.0.3, plain multislice, 2 threads, 648×720, per probe position per slice (issue 15), ms. */
const ABTEM_MS = 2.1;

async function speed(): Promise<void> {
  const np = Number(process.env.MS_SPEED_PROBES ?? 8), thick = Number(process.env.MS_SPEED_THICK_A ?? 16.6);
  const full = lno210(9, 20, 0, 2);
  const reps = Math.max(1, Math.round(thick / (full.cell_A[2] / 20)));
  const atoms = lno210(9, reps, 0, 2);
  const o: HaadfOptions = { ...OPTS, sliceThickness_A: 1.66 };
  const prep = prepareMultislice(atoms, o);
  const stack = prep.buildStack(0);
  const { setup } = prep, ns = setup.nSlices, g = setup.grid;
  console.log(`### Plain multislice per probe position per slice (benchmark cell ${atoms.cell_A.map((v) => v.toFixed(2)).join(' × ')} Å, grid ${g.nx}×${g.ny}, ${ns} slices, ${np} probes per variant)\n`);
  console.log(`load average at start ${load()} on ${cpus().length} cores\n`);
  const pos = Float64Array.from({ length: 2 * np }, (_, i) => (i % 2 === 0 ? 1 + 0.37 * i : 2 + 0.11 * i));
  const be = createCpuBackend();
  runProbePosition(setup, stack, be, 1, 1);
  runProbeResident(setup, stack, 1, 1);
  const rows: string[] = [];
  const time = (label: string, f: () => void | Promise<void>): Promise<number> => (async () => {
    const t = now(), c0 = process.cpuUsage();
    await f();
    const wall = (now() - t) / np / ns, cpu = (cpuS(c0) * 1e3) / np / ns;
    rows.push(`| ${label} | ${wall.toFixed(2)} | ${cpu.toFixed(2)} | ${(wall / ABTEM_MS).toFixed(2)} | ${load()} |`);
    return wall;
  })();
  const planar = await time('per-probe planar path (baseline), 1 thread', () => { for (let p = 0; p < np; p++) runProbePosition(setup, stack, be, pos[2 * p]!, pos[2 * p + 1]!); });
  // one chunk of probes, as a worker runs it (the stack copied once into the FFT heap: resident.ts heapStack)
  const resident = await time('resident band-pruned loop, 1 thread', () => { runProbeChunk({ setup, stack, positions_A: pos }); });
  const runner = createProbeRunner(2, be);
  await runner.run(setup, stack, pos.subarray(0, 4)); // start the workers
  const two = await time('resident loop, 2 workers (wall)', async () => { await runner.run(setup, stack, pos); });
  await runner.close();
  console.log('| variant | wall ms / probe / slice | CPU ms (this process, all threads) | / abTEM 2.1 ms | load |\n|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log(`\nresident / planar (1 thread): ${(planar / resident).toFixed(2)}× faster; 2 workers: ${(planar / two).toFixed(2)}× the baseline; abTEM anchor ${ABTEM_MS} ms (2 threads): ours ${(two / ABTEM_MS).toFixed(2)}× its time.`);
  await spectrumOrderPairs(setup, stack, pos, ns);
}

/**
 * The resident loop's spectrum order, A/B in one process (MS_SPEED_PAIRS interleaved pairs, default 6, each a chunk
 * of the speed section's probes on 1 thread, each after a one-slice run that builds its plan): PFFFT's ordered
 * spectrum (reordering pass in every transform) against the z domain (unordered transforms; resident.ts). Per-pair
 * ratios, wall and process CPU time; the machine is shared, so only the ratio of neighbouring runs means much.
 */
async function spectrumOrderPairs(setup: Parameters<typeof runProbeChunk>[0]['setup'], stack: Parameters<typeof runProbeChunk>[0]['stack'], pos: Float64Array, ns: number): Promise<void> {
  const pairs = Number(process.env.MS_SPEED_PAIRS ?? 6), np = pos.length / 2;
  const ms: Record<'ordered' | 'auto', number[]> = { ordered: [], auto: [] }, cpu: Record<'ordered' | 'auto', number[]> = { ordered: [], auto: [] };
  const ratios: number[] = [], cpuRatios: number[] = [];
  const warm = { ...setup, nSlices: 1, recordAfter: [0] };
  for (let i = 0; i < pairs; i++) {
    for (const o of (i % 2 === 0 ? ['ordered', 'auto'] : ['auto', 'ordered']) as ('ordered' | 'auto')[]) {
      setResidentSpectrumOrder(o);
      runProbeResident(warm, stack, 1, 1); // builds the order's plan (propagator and masks permuted) outside the timing
      const t0 = now(), c0 = process.cpuUsage();
      runProbeChunk({ setup, stack, positions_A: pos });
      ms[o].push((now() - t0) / np / ns);
      cpu[o].push((cpuS(c0) * 1e3) / np / ns);
    }
    ratios.push(ms.auto[i]! / ms.ordered[i]!);
    cpuRatios.push(cpu.auto[i]! / cpu.ordered[i]!);
  }
  setResidentSpectrumOrder('auto');
  const med = (v: number[]): number => { const a = [...v].sort((x, y) => x - y); return a.length % 2 ? a[a.length >> 1]! : (a[a.length / 2 - 1]! + a[a.length / 2]!) / 2; };
  console.log(`\n#### Spectrum order, 1 thread, ${pairs} interleaved pairs (load ${load()} at end)\n`);
  console.log('| spectrum | median wall ms / probe / slice | median CPU ms | min–max wall |\n|---|---|---|---|');
  for (const o of ['ordered', 'auto'] as const) console.log(`| ${o === 'ordered' ? 'ordered (pffft_transform_ordered)' : 'z domain (pffft_transform, unordered)'} | ${med(ms[o]).toFixed(3)} | ${med(cpu[o]).toFixed(3)} | ${Math.min(...ms[o]).toFixed(2)}–${Math.max(...ms[o]).toFixed(2)} |`);
  const gm = (v: number[]): number => Math.exp(v.reduce((a, x) => a + Math.log(x), 0) / v.length);
  console.log(`\nz domain / ordered, per-pair ratios (pairs alternate which runs first): geometric mean wall ${gm(ratios).toFixed(3)}, CPU ${gm(cpuRatios).toFixed(3)}; median wall ${med(ratios).toFixed(3)}, CPU ${med(cpuRatios).toFixed(3)} (CPU pairs: ${cpuRatios.map((r) => r.toFixed(3)).join(', ')})`);
}

function writeXyz(path: string, a: Atoms): void {
  const [x, y, z] = a.cell_A;
  const lines = [String(a.n), `Lattice="${x} 0 0 0 ${y} 0 0 0 ${z}" Properties=species:S:1:pos:R:3 pbc="T T T"`];
  for (let i = 0; i < a.n; i++) lines.push(`${ELEMENT_SYMBOLS[a.Z[i]!]} ${a.positions_A[3 * i]} ${a.positions_A[3 * i + 1]} ${a.positions_A[3 * i + 2]}`);
  writeFileSync(path, lines.join('\n') + '\n');
}

async function probeAt(): Promise<void> {
  console.log('\n### `image --probe-at` without a scan, full benchmark cell (25.9 × 28.4 × 99.7 Å, 60 slices of 1.66 Å)\n');
  const { runImage } = await import('../src/cli/commands/image.js');
  const d = mkdtempSync(join(tmpdir(), 'ct-probe-'));
  writeXyz(join(d, 'lno.xyz'), lno210(9, 20, 0, 2));
  const t = now(), c0 = process.cpuUsage(), l0 = load();
  const r = await runImage({
    structure: join(d, 'lno.xyz'), energy: '200 kV', semiangle: '15.07 mrad', detector: '70-180 mrad', sampling: '0.04 Å', slice: '1.66 Å', 'scan-step': '0.2 Å',
    'probe-at': '2.878,4.73 Å', phonons: 0, frames: 1, defocus: '0 Å', cs: '0 Å', 'source-size': '0 Å', 'focal-spread': '0 Å', parametrization: 'lobato',
    mode: 'multislice', algorithm: 'multislice', backend: 'cpu', workers: 1, seed: 0, out: join(d, 'p.tif'), json: true, quiet: true,
  }, () => {});
  console.log(`| wall s | CPU s | load at start / end | probe signal |\n|---|---|---|---|\n| ${((now() - t) / 1e3).toFixed(1)} | ${cpuS(c0).toFixed(1)} | ${l0} / ${load()} | ${(r.probeSignal as number).toExponential(4)} |`);
}

async function convergence(): Promise<void> {
  console.log('\n### Heavy-atom convergence (single atom on a grid point, 10 × 10 Å cell, one 10 Å slice, on-atom HAADF 70–180 mrad)\n');
  const samplings = (process.env.MS_CONV_SAMPLINGS ?? '0.04,0.03,0.02,0.015,0.01').split(',').map(Number);
  const Zs = [8, 28, 38, 78, 79];
  const base = { ...OPTS, sliceThickness_A: 10 };
  // Variants of the transmission function: A = V band-limited to 2/3 before exp (the old order); B = V to the grid's
  // Nyquist, exp, then t band-limited (abTEM's order); ours = the default (fine-potential.ts).
  const variant = (Z: number, s: number, v: 'A' | 'B' | 'ours'): number => {
    const atoms = singleAtom(Z, 10, 10);
    const prep = prepareMultislice(atoms, { ...base, sampling_A: s });
    const g = prep.setup.grid, n = g.nx * g.ny;
    let stack = v === 'ours' ? prep.buildStack(0) : undefined;
    if (!stack) {
      const pot = buildPotentialSlices(atoms, g, 1, 'lobato', atoms.positions_A, v === 'A');
      const re = new Float32Array(n), im = new Float32Array(n);
      transmissionFunction(pot.slices[0]!, prep.sigma_radPerVA, g, bandLimitMask(g), { nx: g.nx, ny: g.ny, re, im });
      stack = { re, im };
    }
    return runProbePosition(prep.setup, stack, createCpuBackend(), 5, 5).at(-1)!;
  };
  const table: Record<string, number[]> = {};
  for (const v of ['A', 'B', 'ours'] as const) for (const Z of Zs) table[`${v}:${Z}`] = samplings.map((s) => variant(Z, s, v));
  const limit = (Z: number): number => table[`ours:${Z}`]!.at(-1)!;
  console.log(`| Z | variant | ${samplings.map((s) => `${s} Å`).join(' | ')} |\n|---|---|${samplings.map(() => '---').join('|')}|`);
  for (const Z of Zs) for (const v of ['A', 'B', 'ours'] as const) {
    console.log(`| ${Z} | ${{ A: 'V band-limited, then exp (old)', B: 'exp, then t band-limited (abTEM order)', ours: 'ours (V to ≥22 Å⁻¹ on a ≥2× grid)' }[v]} | ${table[`${v}:${Z}`]!.map((x) => (x / limit(Z)).toFixed(3)).join(' | ')} |`);
  }
  console.log(`\nRatios to our ${samplings.at(-1)} Å value; limits (fraction of the beam): ${Zs.map((Z) => `Z ${Z}: ${limit(Z).toExponential(4)}`).join(', ')}.`);
  console.log('\n#### Probe-integrated cross-section vs the grid-free Hankel-transform value (6 × 6 Å cell, atom off the grid, 0.04 Å)\n');
  console.log('| Z | grid-free σ, Å² | ours at 0.04 Å | ratio | 0.0225 Å potential grid | ratio |\n|---|---|---|---|---|---|');
  for (const Z of [8, 28, 38, 50, 56, 78, 79, 83]) {
    const o = { energy_eV: 200e3, semiangle_mrad: 15.07, detector: { inner_mrad: 70, outer_mrad: 180 } };
    const ref = isolatedAtomCrossSection_A2(Z, o);
    const atoms = singleAtom(Z, 6, 2);
    atoms.positions_A[0]! += 0.013; atoms.positions_A[1]! += 0.029;
    const at = (ps?: number): number => {
      const prep = prepareMultislice(atoms, { ...o, sampling_A: 0.04, sliceThickness_A: 2, ...(ps ? { potentialSampling_A: ps } : {}) });
      return transmissionCrossSection_A2(prep.buildStack(0), prep.setup.grid, o);
    };
    const a = at(), b = at(0.0225);
    console.log(`| ${Z} | ${ref.toExponential(4)} | ${a.toExponential(4)} | ${(a / ref).toFixed(4)} | ${b.toExponential(4)} | ${(b / ref).toFixed(4)} |`);
  }
  if (process.env.MS_CONV_ALLZ) {
    console.log('\n#### Every Z = 1…83: cross-section ratio to the grid-free value at 0.04 Å, potential grid 0.0225 Å vs 0.015 Å (6 × 6 Å cell, 150 px grid)\n');
    console.log('| Z | 0.0225 Å | 0.015 Å |\n|---|---|---|');
    const o = { energy_eV: 200e3, semiangle_mrad: 15.07, detector: { inner_mrad: 70, outer_mrad: 180 } };
    for (let Z = 1; Z <= 83; Z++) {
      const ref = isolatedAtomCrossSection_A2(Z, o);
      const atoms = singleAtom(Z, 6, 2);
      atoms.positions_A[0]! += 0.013; atoms.positions_A[1]! += 0.029;
      const r = [0.0225, 0.015].map((ps) => {
        const prep = prepareMultislice(atoms, { ...o, sampling_A: 0.04, sliceThickness_A: 2, potentialSampling_A: ps, grid: [150, 150] });
        return transmissionCrossSection_A2(prep.buildStack(0), prep.setup.grid, o) / ref;
      });
      console.log(`| ${Z} | ${r[0]!.toFixed(4)} | ${r[1]!.toFixed(4)} |`);
    }
  }
  console.log('\n#### Slice thickness (LiNiO2 [210], 30 Å, probe on the M and Li columns, 0.04 Å)\n');
  const lno = lno210(2, 6);
  const m = [2.878, 4.73] as const, li = [2.878, 11.825] as const;
  console.log('| slice Å | M column | Li column |\n|---|---|---|');
  const sl: [number, number, number][] = [];
  for (const dz of [4.98, 2.49, 1.66, 1.0, 0.5]) {
    const o = { ...OPTS, sliceThickness_A: dz };
    sl.push([dz, (await simulateProbeSignal(lno, o, m[0], m[1])).signal, (await simulateProbeSignal(lno, o, li[0], li[1])).signal]);
  }
  const last = sl.at(-1)!;
  for (const [dz, a, b] of sl) console.log(`| ${dz} | ${(a / last[1]).toFixed(4)} | ${(b / last[2]).toFixed(4)} |`);
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
  const k = 3;
  t = now();
  for (let i = 0; i < k; i++) runProbeResident(prep.setup, stack, 1 + i * 0.4, 2);
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
  console.log(`machine: ${cpus().length} cores, load average at start ${loadavg().map((x) => x.toFixed(1)).join(' / ')} (shared machine: timings inflated when load > cores)\n`);
  const only = process.env.MS_BENCH?.split(',');
  if (!only || only.includes('speed')) await speed();
  if (!only || only.includes('probe')) await probeAt();
  if (only?.includes('convergence')) await convergence();
  if (!only || only.includes('workers')) await workers();
  if (!only || only.includes('incoherent')) await incoherent();
  if (!only || only.includes('big')) await bigScan();
  clearInterval(sampler);
}
