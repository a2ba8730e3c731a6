/**
 * PRISM probe reconstruction on the device, batched over probes: P windows of cx×cy pixels,
 * each Σ_b c_pb·S_b around its own origin (Ophus 2017, Eq. 11), then optionally FFT and
 * detector sums for all P probes in the same launches.
 */
import { InputError } from '../../../core/index.js';
import type { DeviceOps, DevicePair } from './device-ops.js';
import { kernelClassMode, readInto, type DeviceArray, type GpuInstance, type GpuKernel } from './gpujs.js';
import { prismReconstructKernel } from './kernels.js';

/** The S-matrix as the reconstruction sees it: beam batches on the device. */
export interface SMatrixChunks {
  readonly nx: number;
  readonly ny: number;
  readonly nb: number;
  readonly chunks: ReadonlyArray<{ readonly nb: number; readonly pair: DevicePair }>;
}

/** Coefficients c_pb of P probes, probe-major (index p·nb + b). */
export interface ProbeCoefficients { readonly re: Float32Array; readonly im: Float32Array }

export class Reconstructor {
  private readonly kernels = new Map<string, readonly [GpuKernel, GpuKernel]>();

  constructor(private readonly gpu: GpuInstance, private readonly ops: (nx: number, ny: number, nb?: number) => DeviceOps) {}

  /**
   * The P reconstructed windows as one device batch (nb = P) on the cx×cy grid's DeviceOps.
   * Valid until the next call; free temporaries with `o.releaseTemps()` after use.
   */
  run(s: SMatrixChunks, c: ProbeCoefficients, origins: ArrayLike<number>, cx: number, cy: number): { o: DeviceOps; pair: DevicePair } {
    const P = this.check(s, c, origins, cx, cy);
    const x0s = new Float32Array(P), y0s = new Float32Array(P);
    for (let p = 0; p < P; p++) { x0s[p] = origins[2 * p]!; y0s[p] = origins[2 * p + 1]!; }
    const o = this.ops(cx, cy, P);
    const n = P * cx * cy;
    let start = 0;
    let single: DevicePair | undefined;
    const sum = s.chunks.length > 1 ? { re: new Float32Array(n), im: new Float32Array(n), tr: new Float32Array(n), ti: new Float32Array(n) } : undefined;
    for (const chunk of s.chunks) {
      const [kr, ki] = this.kernelsFor(s.nx, s.ny, chunk.nb, cx, cy, P);
      const cr = new Float32Array(P * chunk.nb), ci = new Float32Array(P * chunk.nb);
      for (let p = 0; p < P; p++) {
        cr.set(c.re.subarray(p * s.nb + start, p * s.nb + start + chunk.nb), p * chunk.nb);
        ci.set(c.im.subarray(p * s.nb + start, p * s.nb + start + chunk.nb), p * chunk.nb);
      }
      const args = [chunk.pair.re, chunk.pair.im, cr, ci, x0s, y0s, s.nx, s.ny, chunk.nb, cx, cy] as const;
      const re: DeviceArray = kr(...args, 0), im: DeviceArray = ki(...args, 1);
      if (!sum) single = { re, im, slot: -1 };
      else {
        readInto(re, sum.tr);
        readInto(im, sum.ti);
        for (let i = 0; i < n; i++) { sum.re[i] = sum.re[i]! + sum.tr[i]!; sum.im[i] = sum.im[i]! + sum.ti[i]!; }
      }
      start += chunk.nb;
    }
    return { o, pair: single ?? o.fromHost(sum!.re, sum!.im) };
  }

  kernelModes(): string[] {
    return [...this.kernels.values()].flat().filter((k) => k.kernel).map((k) => kernelClassMode(k.kernel!.constructor));
  }

  dispose(): void {
    for (const [a, b] of this.kernels.values()) { a.destroy(); b.destroy(); }
    this.kernels.clear();
  }

  private kernelsFor(nx: number, ny: number, nb: number, cx: number, cy: number, P: number): readonly [GpuKernel, GpuKernel] {
    const key = `${nx}x${ny}x${nb}:${cx}x${cy}x${P}`;
    let k = this.kernels.get(key);
    if (!k) {
      const settings = { output: [P * cx * cy] as [number], pipeline: true, precision: 'single' as const, loopMaxIterations: nb };
      k = [this.gpu.createKernel(prismReconstructKernel, settings), this.gpu.createKernel(prismReconstructKernel, settings)];
      this.kernels.set(key, k);
    }
    return k;
  }

  private check(s: SMatrixChunks, c: ProbeCoefficients, origins: ArrayLike<number>, cx: number, cy: number): number {
    if (s.chunks.length === 0) throw new InputError('smatrix', 'disposed', 'an S-matrix not yet disposed');
    const P = origins.length / 2;
    if (!Number.isInteger(P) || P < 1) throw new InputError('origins', `${origins.length} numbers`, 'x0, y0 pixel pairs for at least one probe');
    for (let i = 0; i < origins.length; i++) {
      if (!Number.isInteger(origins[i])) throw new InputError('window origin', origins[i], 'integer pixel offsets');
    }
    if (c.re.length !== P * s.nb || c.im.length !== P * s.nb) {
      throw new InputError('coefficients', `${c.re.length}/${c.im.length}`, `${P * s.nb} complex coefficients (${P} probes × ${s.nb} beams, probe-major)`);
    }
    if (!Number.isInteger(cx) || !Number.isInteger(cy) || cx < 1 || cy < 1 || cx > s.nx || cy > s.ny) {
      throw new InputError('window', `${cx}×${cy}`, `integer sides 1…${s.nx} × 1…${s.ny}`);
    }
    if (P * cx * cy > 1 << 24) throw new InputError('origins', `${P} probes`, `at most ${Math.floor((1 << 24) / (cx * cy))} probes of ${cx}×${cy} per call`);
    return P;
  }
}
