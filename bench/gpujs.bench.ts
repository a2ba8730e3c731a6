/**
 * gpu.js backend vs the CPU backend, per operation, at 256² and 512² (and 648×720 with
 * GPUJS_BENCH_MIXED=1): transmit, propagate, forward fft2 (with GFLOP/s = 5·N·log2 N / t),
 * detect (one annular mask), a 10-slice device-resident multislice (per slice), and the PRISM
 * steps (S-matrix propagation per beam per slice; probe reconstruction over 64 beams; batched
 * reconstruct + FFT + detector per probe).
 * The baseline is the CPU backend (plain TypeScript), measured in the same run. gpu.js runs in
 * the mode `gpu` resolves to here (GPUJS_MODES=webasm,cpu to choose): without a GPU that is
 * WebAssembly, which the project uses for correctness, not speed.
 * Run: npm run bench -- gpujs
 */
import { createGpuJsBackend, type GpuJsBackend, type GpuJsMode } from '../src/multislice/backend/gpujs/index.js';
import { createCpuBackend } from '../src/multislice/backend/cpu/index.js';
import type { ComplexField, MultisliceBackend } from '../src/multislice/backend/types.js';

function field(nx: number, ny: number, seed: number, unimodular = false): ComplexField {
  let a = seed >>> 0;
  const rnd = (): number => { a = (Math.imul(a, 1664525) + 1013904223) >>> 0; return a / 4294967296 - 0.5; };
  const re = new Float32Array(nx * ny), im = new Float32Array(nx * ny);
  for (let i = 0; i < re.length; i++) {
    if (unimodular) { const p = 2 * Math.PI * rnd(); re[i] = Math.cos(p); im[i] = Math.sin(p); } else { re[i] = rnd(); im[i] = rnd(); }
  }
  return { nx, ny, re, im };
}

/** Median wall time (ms) of `reps` calls after one warm-up call (compiles kernels). */
function time(f: () => void, reps: number): number {
  f();
  const t: number[] = [];
  for (let r = 0; r < reps; r++) { const t0 = performance.now(); f(); t.push(performance.now() - t0); }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)]!;
}

const fmt = (ms: number): string => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

function ops(be: MultisliceBackend, nx: number, ny: number, reps: number): Record<string, number> {
  const psi = field(nx, ny, 1), t = field(nx, ny, 2, true), p = field(nx, ny, 3, true);
  const mask = new Float32Array(nx * ny);
  for (let i = 0; i < mask.length; i += 3) mask[i] = 1;
  return {
    transmit: time(() => be.transmit(psi, t), reps),
    propagate: time(() => be.propagate(psi, p), reps),
    fft2: time(() => be.fft2(psi, false), reps),
    detect: time(() => be.detect(psi, [mask]), reps),
  };
}

function perSlice(be: MultisliceBackend, nx: number, ny: number, nSlices: number): { cpuLoop: number; device?: number } {
  const ts = Array.from({ length: nSlices }, (_, i) => field(nx, ny, 10 + i, true));
  const p = field(nx, ny, 3, true), psi = field(nx, ny, 1);
  const loop = time(() => { for (const t of ts) { be.transmit(psi, t); be.propagate(psi, p); } }, 3) / nSlices;
  const g = be as Partial<GpuJsBackend>;
  if (!g.uploadSlices || !g.multislice) return { cpuLoop: loop };
  const slices = g.uploadSlices(ts);
  const device = time(() => { g.multislice!(psi, slices, p); }, 2) / nSlices;
  slices.dispose();
  return { cpuLoop: loop, device };
}

function prism(be: GpuJsBackend, nx: number, ny: number): { perBeamSlice: number; reconstruct: number; perProbe: number } {
  const nb = 16, nSlices = 2, n = nx * ny;
  const beams = { nx, ny, nb, re: new Float32Array(nb * n), im: new Float32Array(nb * n) };
  beams.re.fill(1 / Math.sqrt(n));
  const slices = be.uploadSlices(Array.from({ length: nSlices }, (_, i) => field(nx, ny, 20 + i, true)));
  const p = field(nx, ny, 3, true);
  const perBeamSlice = time(() => be.prism.propagateBeams(beams, slices, p).dispose(), 1) / (nb * nSlices);
  const s64 = { nx, ny, nb: 64, re: new Float32Array(64 * n).fill(0.001), im: new Float32Array(64 * n) };
  const sm = be.prism.uploadSMatrix(s64);
  const c = { re: new Float32Array(64).fill(1), im: new Float32Array(64) };
  const reconstruct = time(() => be.prism.reconstruct(sm, c, 3, 5, nx / 4, ny / 4), 3);
  const P = 16;
  const cP = { re: new Float32Array(P * 64).fill(1), im: new Float32Array(P * 64) };
  const origins = Array.from({ length: 2 * P }, (_, i) => (i * 7) % nx);
  const mask = new Float32Array((nx / 4) * (ny / 4)).fill(1);
  const perProbe = time(() => be.prism.detectProbes(sm, cP, origins, nx / 4, ny / 4, [mask]), 2) / P;
  sm.dispose();
  slices.dispose();
  return { perBeamSlice, reconstruct, perProbe };
}

export async function main(): Promise<void> {
  const modes = (process.env.GPUJS_MODES ?? 'gpu').split(',') as GpuJsMode[];
  const sizes: Array<[number, number]> = [[256, 256], [512, 512]];
  if (process.env.GPUJS_BENCH_MIXED === '1') sizes.push([648, 720]);
  const cpu = createCpuBackend();
  const lines: string[] = [];
  lines.push('| grid | op | CPU backend (ms) | gpu.js mode | gpu.js (ms) | gpu.js / CPU |');
  lines.push('|---|---|---:|---|---:|---:|');
  const extra: string[] = [];
  for (const [nx, ny] of sizes) {
    const base = ops(cpu, nx, ny, 9);
    const baseSlice = perSlice(cpu, nx, ny, 10);
    for (const mode of modes) {
      const be = createGpuJsBackend({ mode });
      const g = ops(be, nx, ny, 3);
      const gs = perSlice(be, nx, ny, 10);
      for (const op of Object.keys(base)) {
        lines.push(`| ${nx}×${ny} | ${op} | ${fmt(base[op]!)} | ${be.mode} | ${fmt(g[op]!)} | ${(g[op]! / base[op]!).toFixed(1)} |`);
      }
      const flop = 5 * nx * ny * Math.log2(nx * ny);
      extra.push(`- ${nx}×${ny}: forward fft2 CPU ${(flop / base.fft2! / 1e6).toFixed(2)} GFLOP/s, gpu.js ${be.mode} ${(flop / g.fft2! / 1e6).toFixed(3)} GFLOP/s`);
      lines.push(`| ${nx}×${ny} | slice (transmit+propagate) | ${fmt(baseSlice.cpuLoop)} | ${be.mode} (device-resident, 10 slices) | ${fmt(gs.device!)} | ${(gs.device! / baseSlice.cpuLoop).toFixed(1)} |`);
      lines.push(`| ${nx}×${ny} | slice via contract calls | ${fmt(baseSlice.cpuLoop)} | ${be.mode} (host round trip per call) | ${fmt(gs.cpuLoop)} | ${(gs.cpuLoop / baseSlice.cpuLoop).toFixed(1)} |`);
      const pr = prism(be, nx, ny);
      extra.push(`- ${nx}×${ny}: PRISM on gpu.js ${be.mode}: S-matrix ${fmt(pr.perBeamSlice)} ms per beam per slice (batches of 16 beams; CPU backend equivalent = one slice, ${fmt(baseSlice.cpuLoop)} ms); reconstruction of a ${nx / 4}×${ny / 4} probe window from 64 beams ${fmt(pr.reconstruct)} ms; detectProbes (reconstruct + FFT + detector, 16 probes per launch) ${fmt(pr.perProbe)} ms per probe`);
      be.dispose();
    }
  }
  cpu.dispose();
  process.stdout.write(`${lines.join('\n')}\n\n${extra.join('\n')}\n`);
}
