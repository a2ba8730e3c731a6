/**
 * PRISM benchmark: the job. LiNiO2 [210] 25.90 × 28.38 × 99.70 Å (9×2×20 orthogonal cells of
 * 2.878 × 14.19 × 4.985 Å, 8640 atoms), 60 slices of 1.66 Å, 200 kV, 15.07 mrad, HAADF 70–180 mrad,
 * 64×64 probes at 0.39 Å, no phonons. Baseline: abTEM 1.0.3 (FFTW float32, 2 threads) at 517 s on a 2-core
 * machine of this project's kind (issue 6); measured here: our plain multislice per probe on the same stack.
 *
 * PRISM_BENCH=stages (default): exact stages on the full-size job, in process, extrapolated (labelled so):
 *   potential + transmission stack (full), K beams of the S-matrix, two scan rows of reconstruction, and
 *   one plain multislice probe position.
 * PRISM_BENCH=full: the whole scan on 2 piscina workers, wall time, peak RSS, and the HAADF check against
 *   plain multislice at M-, Li- and interstitial positions (same transmission stack).
 * PRISM_SAMPLING (Å, default 0.04 → 648×720 needed, rounded up by makeGrid to 720×720 for the WASM SIMD FFT),
 * PRISM_GRID (e.g. "640x720": fixes the grid instead), PRISM_F (interpolation, default 2), PRISM_WORKERS (default 2).
 * Plain multislice per probe: the resident band-pruned loop (resident.ts), as `image` runs it.
 * Run: npm run bench -- prism    or    PRISM_BENCH=full npm run bench -- prism
 */
import { cpus } from 'node:os';
import type { Atoms } from '../src/lattice/atoms.js';
import { prepareMultislice, type HaadfOptions } from '../src/multislice/index.js';
import { runProbeResident } from '../src/multislice/resident.js';
import { sharedFloat32 } from '../src/multislice/engine.js';
import {
  computeBeams, prismBeams, prismGeometry, reconstructProbes, simulatePrismSignals,
} from '../src/multislice/prism/index.js';
import { columns, lno210 } from '../test/multislice/structures.js';
import { tileAtoms } from '../src/lattice/index.js';

const ABTEM_S = 517;

/** Repeats a structure k times along y (lno210 has one c period along y). */
const tileY = (a: Atoms, k: number): Atoms => tileAtoms(a, [1, k, 1]);

function job(): { atoms: Atoms; opts: HaadfOptions; positions: Float64Array } {
  const atoms = tileY(lno210(9, 20), 2);
  const opts: HaadfOptions = {
    energy_eV: 200e3, semiangle_mrad: 15.07, detector: { inner_mrad: 70, outer_mrad: 180 },
    sampling_A: Number(process.env.PRISM_SAMPLING ?? 0.04), sliceThickness_A: 99.7 / 60 + 1e-6,
    ...(process.env.PRISM_GRID ? { grid: process.env.PRISM_GRID.split('x').map(Number) as [number, number] } : {}),
  };
  const positions = new Float64Array(2 * 64 * 64);
  for (let j = 0; j < 64; j++) for (let i = 0; i < 64; i++) { positions[2 * (j * 64 + i)] = i * 0.39; positions[2 * (j * 64 + i) + 1] = j * 0.39; }
  return { atoms, opts, positions };
}

const sec = (t0: number): number => (performance.now() - t0) / 1000;
/** CPU seconds (user + system, all threads of this process) since `c0`: robust to other processes' load. */
const cpuSec = (c0: NodeJS.CpuUsage): number => { const c = process.cpuUsage(c0); return (c.user + c.system) / 1e6; };

export async function main(): Promise<void> {
  const mode = process.env.PRISM_BENCH ?? 'stages';
  const f = Number(process.env.PRISM_F ?? 2);
  const workers = Number(process.env.PRISM_WORKERS ?? 2);
  const { atoms, opts, positions } = job();
  let t0 = performance.now();
  let c0 = process.cpuUsage();
  const prep = prepareMultislice(atoms, opts);
  const stack = prep.buildStack(0);
  const tPot = sec(t0);
  const cPot = cpuSec(c0);
  const { grid, nSlices } = prep.setup;
  const geometry = prismGeometry(grid, f);
  const beams = prismBeams(grid, prep.wavelength_A, opts.semiangle_mrad, f);
  const nb = beams.qx.length;
  console.log(`Job: ${atoms.n} atoms, cell ${atoms.cell_A.map((v) => v.toFixed(2)).join(' × ')} Å, grid ${grid.nx}×${grid.ny} (${grid.samplingX_A.toFixed(4)}×${grid.samplingY_A.toFixed(4)} Å), ${nSlices} slices of ${prep.setup.sliceThickness_A.toFixed(3)} Å, 64×64 probes; PRISM f = ${f}: ${nb} beams, S-matrix stored ${geometry.cnx}×${geometry.cny}, window ${geometry.wnx}×${geometry.wny}. Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'} (shared with other engineers' jobs during this session).\n`);
  // Plain multislice, one probe position, same stack (the per-probe cost of the reference algorithm).
  runProbeResident(prep.setup, stack, 0.3, 0.1); // warm-up
  t0 = performance.now();
  c0 = process.cpuUsage();
  runProbeResident(prep.setup, stack, 1.3, 2.1);
  const tPlainProbe = sec(t0);
  const cPlainProbe = cpuSec(c0);
  if (mode !== 'full') {
    const K = Number(process.env.PRISM_K ?? 4);
    const cn = geometry.cnx * geometry.cny;
    const sRe = sharedFloat32(nb * cn), sIm = sharedFloat32(nb * cn);
    const sj = { geometry, nSlices, stack, propagator: prep.setup.propagator, beams, sRe, sIm };
    computeBeams(sj, 0, 1); // warm-up (JIT, plans)
    t0 = performance.now();
    c0 = process.cpuUsage();
    computeBeams(sj, 1, 1 + K);
    const tBeam = sec(t0) / K;
    const cBeam = cpuSec(c0) / K;
    const mask = new Float32Array(geometry.wnx * geometry.wny).fill(1);
    const rj = { geometry, beams, sRe, sIm, chi_rad: new Float64Array(nb), weights: Float64Array.of(1), masks: [mask] };
    reconstructProbes(rj, positions.subarray(0, 128));
    t0 = performance.now();
    c0 = process.cpuUsage();
    reconstructProbes(rj, positions.subarray(128, 256));
    const tProbe = sec(t0) / 128;
    const cProbe = cpuSec(c0) / 128;
    const ext = (pot: number, beam: number, probe: number): number => pot + (nb * beam + 4096 * probe) / 2;
    console.log('| stage (measured, 1 thread) | wall | CPU |\n|---|---|---|');
    console.log(`| potential + ${nSlices} transmission functions | ${tPot.toFixed(1)} s | ${cPot.toFixed(1)} s |`);
    console.log(`| S-matrix, per beam (${nSlices} slices) | ${(tBeam * 1000).toFixed(0)} ms | ${(cBeam * 1000).toFixed(0)} ms (${((cBeam / nSlices) * 1000).toFixed(1)} ms per slice) |`);
    console.log(`| reconstruction + detector, per probe | ${(tProbe * 1000).toFixed(2)} ms | ${(cProbe * 1000).toFixed(2)} ms |`);
    console.log(`| plain multislice, per probe (${nSlices} slices) | ${(tPlainProbe * 1000).toFixed(0)} ms | ${(cPlainProbe * 1000).toFixed(0)} ms (${((cPlainProbe / nSlices) * 1000).toFixed(2)} ms per probe per slice; abTEM: 2.1) |`);
    console.log(`\nExtrapolated, not a full run (beams and probes split ideally over 2 workers, potential on 1 thread): from wall times ${ext(tPot, tBeam, tProbe).toFixed(0)} s (517 s / ours = ${(ABTEM_S / ext(tPot, tBeam, tProbe)).toFixed(2)}); from CPU times, i.e. an unshared 2-core machine, ${ext(cPot, cBeam, cProbe).toFixed(0)} s (517 s / ours = ${(ABTEM_S / ext(cPot, cBeam, cProbe)).toFixed(2)}). Plain multislice, 4096 probes on 2 workers (CPU-based): ${(cPot + (4096 * cPlainProbe) / 2).toFixed(0)} s.`);
    return;
  }
  // Full run on `workers` threads, with the HAADF check against plain multislice on the same stack.
  const m = columns(atoms, 1).filter(([x, y]) => x < 25 && y < 25).slice(0, 3);
  const li = columns(atoms, 0).filter(([x, y]) => x < 25 && y < 25).slice(0, 3);
  const pts: [number, number][] = [...m, ...li, [m[0]![0] + 0.72, m[0]![1] + 1.1]];
  t0 = performance.now();
  const ref = pts.map(([x, y]) => runProbeResident(prep.setup, stack, x, y)[0]!);
  const tRef = sec(t0);
  // The check positions ride along with the scan (7 extra probes on the same S-matrix).
  const all = new Float64Array(positions.length + 2 * pts.length);
  all.set(positions);
  all.set(pts.flat(), positions.length);
  t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = await simulatePrismSignals(atoms, { ...opts, interpolation: f, workers }, all, { prep, stack0: stack });
  const tPrism = sec(t0);
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const rss = process.resourceUsage().maxRSS / 1024;
  const chk = { signals: r.signals.subarray(4096) };
  const meanM = (ref[0]! + ref[1]! + ref[2]!) / 3;
  console.log(`| quantity | value |\n|---|---|`);
  console.log(`| potential + transmission stack (1 thread) | ${tPot.toFixed(1)} s |`);
  console.log(`| PRISM f = ${f}, ${workers} workers: S-matrix | ${r.timing_s.sMatrix.toFixed(1)} s |`);
  console.log(`| PRISM reconstruction, 4096 probes | ${r.timing_s.reconstruct.toFixed(1)} s |`);
  console.log(`| **total wall (potential + PRISM)** | **${(tPot + tPrism).toFixed(1)} s** |`);
  console.log(`| 517 s (abTEM) / ours | ${(ABTEM_S / (tPot + tPrism)).toFixed(2)} |`);
  console.log(`| peak RSS (process, all threads) | ${rss.toFixed(0)} MiB |`);
  console.log(`| CPU time of the PRISM stage (all threads) | ${cpuS.toFixed(1)} s (${((100 * cpuS) / (workers * tPrism)).toFixed(0)} % of ${workers} cores over its wall time; on an unshared machine the wall time would be ≈ CPU / ${workers} = ${(cpuS / workers).toFixed(0)} s) |`);
  console.log(`| plain multislice, per probe (1 thread) | ${((tRef / pts.length) * 1000).toFixed(0)} ms |`);
  console.log('\nHAADF check (same transmission stack), PRISM vs plain multislice:\n\n| position | plain | PRISM | error (own) | error / mean M |\n|---|---|---|---|---|');
  pts.forEach(([x, y], i) => {
    const kind = i < 3 ? 'M column' : i < 6 ? 'Li column' : 'between';
    console.log(`| ${kind} (${x.toFixed(2)}, ${y.toFixed(2)}) | ${ref[i]!.toExponential(4)} | ${chk.signals[i]!.toExponential(4)} | ${((chk.signals[i]! / ref[i]! - 1) * 100).toFixed(2)} % | ${(((chk.signals[i]! - ref[i]!) / meanM) * 100).toFixed(2)} % |`);
  });
}
