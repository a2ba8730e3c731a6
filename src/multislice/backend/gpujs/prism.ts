/**
 * PRISM (Ophus, Adv. Struct. Chem. Imaging 3, 13 (2017)) steps as gpu.js kernels:
 * 1. the S-matrix: multislice of every plane-wave beam through the cell, batched over beams
 *    (one kernel launch per stage covers a whole batch; the transmission functions and the
 *    propagator are broadcast over it), results kept on the device;
 * 2. probe reconstruction: ψ_probe(r) = Σ_b c_b·S_b(r) in a cx×cy window (periodic wrap), with
 *    the beam coefficients c_b = A(q_b)·exp(−iχ(q_b))·exp(−2πi q_b·r₀) computed by the caller.
 * Beam set, coefficients, window and detector geometry are backend-independent and belong to
 * the PRISM driver; this file is only the device part.
 */
import { InputError } from '../../../core/index.js';
import type { ComplexField } from '../types.js';
import type { DeviceSlices } from './backend.js';
import { holdPair, releasePair, type DeviceOps, type DevicePair } from './device-ops.js';
import type { GpuInstance } from './gpujs.js';
import { Reconstructor } from './prism-reconstruct.js';
import { checkField, checkGrid, checkMasks, checkSameGrid } from './validate.js';

/** nb complex fields of ny×nx on two flat planes of nb·ny·nx float32 (field b at offset b·ny·nx). */
export interface ComplexBatch {
  readonly nx: number;
  readonly ny: number;
  readonly nb: number;
  readonly re: Float32Array;
  readonly im: Float32Array;
}

/** An S-matrix held on the device in batches of beams. */
export interface DeviceSMatrix {
  readonly nx: number;
  readonly ny: number;
  readonly nb: number;
  /** Copy to host planes. */
  download(): ComplexBatch;
  /** Free the device copies. Safe to call twice. */
  dispose(): void;
}

export interface PrismBatchOptions {
  /** Beams per kernel launch (default: as many as fit 2^22 elements, at least 1). */
  batchSize?: number;
}

export interface PrismGpuOps {
  /**
   * Propagate every beam (initial waves in `beams`, e.g. plane waves exp(2πi q_b·r)) through
   * all `slices` (per slice ψ ← F⁻¹[F[ψ·t]·P]) and keep the exit waves S_b on the device.
   */
  propagateBeams(beams: ComplexBatch, slices: DeviceSlices, propagator: ComplexField, opts?: PrismBatchOptions): DeviceSMatrix;
  /** Put an S-matrix computed elsewhere on the device (e.g. by the CPU path). */
  uploadSMatrix(s: ComplexBatch, opts?: PrismBatchOptions): DeviceSMatrix;
  /**
   * Σ_b c_b·S_b over the window of cx×cy pixels starting at pixel (x0, y0) (wrapping
   * periodically), returned as a host field of cx×cy (give it to `detect` for the signal).
   */
  reconstruct(s: DeviceSMatrix, coefficients: { re: Float32Array; im: Float32Array }, x0: number, y0: number, cx: number, cy: number): ComplexField;
  /**
   * Detector signals of P probes in one batch: window p (cx×cy at pixel origins[2p], origins[2p+1])
   * of Σ_b c[p·nb + b]·S_b, Fourier transformed on the device, then Σ mask·|Ψ(k)|²/(cx·cy) per
   * mask (the fraction of the beam when each window holds a normalised probe). Returns
   * Float64Array [P][masks]. cx, cy must be FFT sizes (2^a·3^b·5^c); masks are on the cx×cy grid.
   */
  detectProbes(s: DeviceSMatrix, coefficients: { re: Float32Array; im: Float32Array }, origins: ArrayLike<number>, cx: number, cy: number, masks: readonly Float32Array[]): Float64Array;
  /** Modes the reconstruction kernels built so far actually run in. */
  kernelModes(): string[];
  dispose(): void;
}

interface Chunk { readonly nb: number; readonly pair: DevicePair }
interface SMatrixImpl extends DeviceSMatrix { chunks: Chunk[] }
type PropagateOn = (o: DeviceOps, a: DevicePair, p: DevicePair) => DevicePair;

export function createPrismOps(
  gpu: GpuInstance, ops: (nx: number, ny: number, nb?: number) => DeviceOps, propagateOn: PropagateOn,
): PrismGpuOps {
  const recon = new Reconstructor(gpu, ops);
  const batchOf = (b: ComplexBatch, opts: PrismBatchOptions): number => {
    checkBatch('beams', b);
    const size = opts.batchSize ?? Math.max(1, Math.floor((1 << 22) / (b.nx * b.ny)));
    if (!Number.isInteger(size) || size < 1 || size * b.nx * b.ny > 1 << 24) {
      throw new InputError('batchSize', size, `an integer ≥ 1 with batchSize·nx·ny ≤ 2^24 (here ≤ ${Math.floor((1 << 24) / (b.nx * b.ny))})`);
    }
    return Math.min(size, b.nb);
  };
  const smatrix = (b: ComplexBatch, chunks: Chunk[]): SMatrixImpl => {
    const s: SMatrixImpl = {
      nx: b.nx, ny: b.ny, nb: b.nb, chunks,
      download() {
        const n = b.nx * b.ny;
        const re = new Float32Array(b.nb * n), im = new Float32Array(b.nb * n);
        let off = 0;
        for (const c of s.chunks) {
          ops(b.nx, b.ny, c.nb).download(c.pair, re.subarray(off, off + c.nb * n), im.subarray(off, off + c.nb * n));
          off += c.nb * n;
        }
        return { nx: b.nx, ny: b.ny, nb: b.nb, re, im };
      },
      dispose() { for (const c of s.chunks.splice(0)) releasePair(c.pair); },
    };
    return s;
  };
  const eachChunk = (b: ComplexBatch, size: number, f: (o: DeviceOps, re: Float32Array, im: Float32Array) => DevicePair): Chunk[] => {
    const n = b.nx * b.ny;
    const chunks: Chunk[] = [];
    for (let start = 0; start < b.nb; start += size) {
      const nb = Math.min(size, b.nb - start);
      const o = ops(b.nx, b.ny, nb);
      chunks.push({ nb, pair: f(o, b.re.subarray(start * n, (start + nb) * n), b.im.subarray(start * n, (start + nb) * n)) });
    }
    return chunks;
  };

  return {
    propagateBeams(beams, slices, propagator, opts = {}) {
      const size = batchOf(beams, opts);
      checkSameGrid('propagator', propagator, { ...beams, re: propagator.re, im: propagator.im });
      if (slices.nx !== beams.nx || slices.ny !== beams.ny) {
        throw new InputError('slices.grid', `${slices.nx}×${slices.ny}`, `the beams' grid ${beams.nx}×${beams.ny}`);
      }
      const ts = (slices as DeviceSlices & { pairs: DevicePair[] }).pairs;
      if (ts.length !== slices.count) throw new InputError('slices', 'disposed slices', 'slices from uploadSlices() not yet disposed');
      const p = ops(beams.nx, beams.ny).upload(propagator.re, propagator.im);
      const chunks = eachChunk(beams, size, (o, re, im) => {
        let cur = o.fromHost(re, im);
        for (const t of ts) cur = propagateOn(o, o.cmul(cur, t), p);
        const held = holdPair(cur);
        o.releaseTemps();
        return held;
      });
      releasePair(p);
      return smatrix(beams, chunks);
    },
    uploadSMatrix(s, opts = {}) {
      const size = batchOf(s, opts);
      return smatrix(s, eachChunk(s, size, (o, re, im) => o.upload(re, im)));
    },
    reconstruct(sm, coefficients, x0, y0, cx, cy) {
      const { o, pair } = recon.run(sm as SMatrixImpl, coefficients, [x0, y0], cx, cy);
      const re = new Float32Array(cx * cy), im = new Float32Array(cx * cy);
      o.download(pair, re, im);
      o.releaseTemps();
      return { nx: cx, ny: cy, re, im };
    },
    detectProbes(sm, coefficients, origins, cx, cy, masks) {
      checkGrid('window', cx, cy);
      checkMasks(masks, cx, cy);
      const { o, pair } = recon.run(sm as SMatrixImpl, coefficients, origins, cx, cy);
      const k = o.fft2(pair, false);
      const P = origins.length / 2;
      const out = new Float64Array(P * masks.length);
      masks.forEach((m, j) => o.maskedSums(k, m).forEach((v, p) => { out[p * masks.length + j] = v / (cx * cy); }));
      o.releaseTemps();
      return out;
    },
    kernelModes: () => recon.kernelModes(),
    dispose: () => recon.dispose(),
  };
}

function checkBatch(field: string, b: ComplexBatch): void {
  if (!Number.isInteger(b.nb) || b.nb < 1) throw new InputError(`${field}.nb`, b.nb, 'an integer ≥ 1');
  checkField(field, b, b.nb);
}
