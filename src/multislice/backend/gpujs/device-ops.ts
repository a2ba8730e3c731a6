/**
 * Device operations on batches of complex fields for one grid (nx, ny) and batch size nb:
 * complex multiply, 2D FFT as Stockham autosort stages of radix 4, 2, 3 and 5 (sides 2^a·3^b·5^c),
 * |ψ|², masked row sums.
 *
 * Data stay on the device between operations (`pipeline: true`: GL textures; on the cpu and
 * webasm backends, plain typed arrays). Kernel outputs are reused by the next call of the same
 * kernel (gpu.js's mutable pipeline), so every kernel exists twice (slots 0 and 1) and twice more
 * for the real and imaginary parts; an operation reading slot s writes slot 1 − s (ping-pong).
 * A {@link DevicePair} is therefore valid only until the second next operation: keep one longer
 * with {@link holdPair}.
 */
import { factorize, isSupportedFftSize } from '../../../core/fft/index.js';
import { fftRadix2Kernel, fftRadix4Kernel, fftRadixNKernel } from './fft-kernels.js';
import { cmulKernel, copyKernel, intensityKernel, maskedRowSumKernel } from './kernels.js';
import { hold, isTexture, kernelClassMode, readInto, release, type DeviceArray, type GpuInstance, type GpuKernel, type KernelSettings } from './gpujs.js';

/** A complex batch on the device; `slot` = the kernel slot that wrote it (−1: host or held). */
export interface DevicePair {
  readonly re: DeviceArray;
  readonly im: DeviceArray;
  readonly slot: -1 | 0 | 1;
}

interface Slot {
  readonly cmul: readonly [GpuKernel, GpuKernel];
  readonly r2: readonly [GpuKernel, GpuKernel];
  readonly r4: readonly [GpuKernel, GpuKernel];
  readonly rn: readonly [GpuKernel, GpuKernel];
}

/**
 * Radix sequence for an axis of n = 2^a·3^b·5^c points: the core FFT's factorisation (radix-4 stages, one radix-2
 * if a is odd, then radix 3 and 5); empty when n < 2 or has another prime factor.
 */
export function radixPlan(n: number): number[] {
  return isSupportedFftSize(n) ? factorize(n)! : [];
}

/** Whether the backend's FFT handles n points (n ≥ 2 with prime factors 2, 3, 5 only): the core FFT's sizes. */
export const isGpuFftSize = isSupportedFftSize;

/**
 * Twiddle tables of both axes in one array: w[k] = exp(−2πi k/nx) for k < nx, then
 * w[nx + k] = exp(−2πi k/ny) for k < ny; computed in float64, rounded to float32.
 */
export function twiddleTable(nx: number, ny: number = nx): { re: Float32Array; im: Float32Array } {
  const re = new Float32Array(nx + ny), im = new Float32Array(nx + ny);
  const fill = (n: number, off: number): void => {
    for (let k = 0; k < n; k++) {
      const a = (2 * Math.PI * k) / n;
      re[off + k] = Math.cos(a);
      im[off + k] = -Math.sin(a);
    }
  };
  fill(nx, 0);
  fill(ny, nx);
  return { re, im };
}

export class DeviceOps {
  readonly length: number;
  private readonly slots: readonly [Slot, Slot];
  private readonly intensityK: GpuKernel;
  private readonly rowSumK: GpuKernel;
  private readonly copyK: GpuKernel;
  private readonly twRe: DeviceArray;
  private readonly twIm: DeviceArray;
  private readonly all: GpuKernel[] = [];
  private readonly rowBuf: Float32Array;
  private readonly textured: boolean;
  private readonly temps: DevicePair[] = [];

  constructor(private readonly gpu: GpuInstance, readonly nx: number, readonly ny: number, readonly nb: number) {
    this.length = nx * ny * nb;
    const settings: KernelSettings = { output: [this.length], pipeline: true, precision: 'single' };
    const k = (fn: Parameters<GpuInstance['createKernel']>[0], s: KernelSettings = settings): GpuKernel => {
      const kernel = gpu.createKernel(fn, s);
      this.all.push(kernel);
      return kernel;
    };
    const radixN: KernelSettings = { ...settings, loopMaxIterations: 8 };
    const slot = (): Slot => ({
      cmul: [k(cmulKernel), k(cmulKernel)],
      r2: [k(fftRadix2Kernel), k(fftRadix2Kernel)],
      r4: [k(fftRadix4Kernel), k(fftRadix4Kernel)],
      rn: [k(fftRadixNKernel, radixN), k(fftRadixNKernel, radixN)],
    });
    this.slots = [slot(), slot()];
    this.intensityK = k(intensityKernel);
    this.rowSumK = k(maskedRowSumKernel, { output: [ny * nb], pipeline: true, precision: 'single', loopMaxIterations: nx });
    this.copyK = k(copyKernel, { output: [this.length], pipeline: true, immutable: true, precision: 'single' });
    this.rowBuf = new Float32Array(ny * nb);
    const tw = twiddleTable(nx, ny);
    const twCopy = k(copyKernel, { output: [nx + ny], pipeline: true, immutable: true, precision: 'single' });
    this.twRe = own(twCopy(tw.re));
    this.twIm = own(twCopy(tw.im));
    this.textured = isTexture(this.twRe);
  }

  /**
   * Host planes (length nb·ny·nx) as an input pair. On GL backends they are uploaded once here
   * (otherwise every kernel reading them would upload them again) into temporary textures that
   * {@link releaseTemps} frees; elsewhere the arrays are passed as they are.
   */
  fromHost(re: Float32Array, im: Float32Array): DevicePair {
    if (!this.textured) return { re, im, slot: -1 };
    const pair = { re: this.copyK(re), im: this.copyK(im), slot: -1 as const };
    this.temps.push(pair);
    return pair;
  }

  /** Free the temporary uploads made by {@link fromHost}. */
  releaseTemps(): void {
    for (const p of this.temps.splice(0)) releasePair(p);
  }

  /** Upload host planes into device-resident arrays that survive any number of operations. */
  upload(re: Float32Array, im: Float32Array): DevicePair {
    return { re: own(this.copyK(re)), im: own(this.copyK(im)), slot: -1 };
  }

  /** Read a pair back into host planes. */
  download(a: DevicePair, re: Float32Array, im: Float32Array): void {
    readInto(a.re, re);
    readInto(a.im, im);
  }

  /** out = a · w, w broadcast over the batch (w has nx·ny elements). */
  cmul(a: DevicePair, w: DevicePair): DevicePair {
    const s = this.next(a);
    const npix = this.nx * this.ny;
    return {
      re: s.cmul[0](a.re, a.im, w.re, w.im, npix, 0),
      im: s.cmul[1](a.re, a.im, w.re, w.im, npix, 1),
      slot: this.nextIndex(a),
    };
  }

  /** 2D FFT of every field in the batch (forward unnormalised; inverse scaled by 1/(nx·ny)). */
  fft2(a: DevicePair, inverse: boolean): DevicePair {
    const sign = inverse ? -1 : 1;
    const px = radixPlan(this.nx), py = radixPlan(this.ny);
    let cur = a;
    cur = this.axis(cur, 0, px, sign, 1);
    cur = this.axis(cur, 1, py, sign, inverse ? 1 / (this.nx * this.ny) : 1);
    return cur;
  }

  /** |ψ|² of every element, read back to the host. */
  intensity(a: DevicePair, out: Float32Array): void {
    readInto(this.intensityK(a.re, a.im), out);
  }

  /**
   * Σ mask·|ψ_b|² for each field b of the batch (mask: nx·ny weights): row sums on the device
   * (float32), the final sum over rows on the host (float64).
   */
  maskedSums(a: DevicePair, mask: Float32Array): number[] {
    readInto(this.rowSumK(a.re, a.im, mask, this.nx, this.ny), this.rowBuf);
    const out: number[] = [];
    for (let b = 0; b < this.nb; b++) {
      let acc = 0;
      for (let y = 0; y < this.ny; y++) acc += this.rowBuf[b * this.ny + y]!;
      out.push(acc);
    }
    return out;
  }

  /** Modes the kernels built so far actually run in (a kernel that fell back to the CPU says 'cpu'). */
  kernelModes(): string[] {
    return this.all.filter((k) => k.kernel).map((k) => kernelClassMode(k.kernel!.constructor));
  }

  dispose(): void {
    this.releaseTemps();
    release(this.twRe);
    release(this.twIm);
    for (const k of this.all.splice(0)) k.destroy();
  }

  private axis(a: DevicePair, axis: 0 | 1, plan: number[], sign: number, lastScale: number): DevicePair {
    const twOff = axis === 0 ? 0 : this.nx;
    let cur = a;
    let s = 1;
    plan.forEach((radix, idx) => {
      const slot = this.next(cur);
      const scale = idx === plan.length - 1 ? lastScale : 1;
      const args = [cur.re, cur.im, this.twRe, this.twIm, this.nx, this.ny, axis, s, twOff, sign, scale] as const;
      if (radix === 4 || radix === 2) {
        const k = radix === 4 ? slot.r4 : slot.r2;
        cur = { re: k[0](...args, 0), im: k[1](...args, 1), slot: this.nextIndex(cur) };
      } else {
        cur = { re: slot.rn[0](...args, 0, radix), im: slot.rn[1](...args, 1, radix), slot: this.nextIndex(cur) };
      }
      s *= radix;
    });
    return cur;
  }

  private nextIndex(a: DevicePair): 0 | 1 {
    return a.slot === 0 ? 1 : 0;
  }

  private next(a: DevicePair): Slot {
    return this.slots[this.nextIndex(a)];
  }
}

/** Keep a pair past the next operations (texture clones or host copies); free with {@link releasePair}. */
export function holdPair(a: DevicePair): DevicePair {
  return { re: hold(a.re), im: hold(a.im), slot: -1 };
}

export function releasePair(a: DevicePair | undefined): void {
  if (!a) return;
  release(a.re);
  release(a.im);
}

/** Output of an `immutable` kernel: textures are already private; typed arrays are copied once. */
function own(a: DeviceArray): DeviceArray {
  return isTexture(a) ? a : a.slice();
}
