/**
 * The gpu.js multislice backend: the {@link MultisliceBackend} contract on gpu.js kernels, plus
 * device-resident extensions (whole multislice runs and PRISM steps without host round trips).
 *
 * The contract's methods work on host planes, so each call uploads ψ and reads it back; the
 * extensions ({@link GpuJsBackend.multislice}, {@link GpuJsBackend.prism}) keep ψ on the device
 * between slices and read back once at the end. Without a GPU, gpu.js runs the same kernels as
 * WebAssembly (`webasm`) or JavaScript (`cpu`): that is how the kernels are tested in CI, not a
 * fast path (the CPU backend is faster there).
 */
import { InputError } from '../../../core/index.js';
import type { ComplexField, MultisliceBackend } from '../types.js';
import { DeviceOps, releasePair, type DevicePair } from './device-ops.js';
import { GPU, GPU_JS_MODES, isGpuJsModeAvailable, kernelClassMode, type GpuInstance, type GpuJsMode } from './gpujs.js';
import { exactQuotient } from './index-math.js';
import { createPrismOps, type PrismGpuOps } from './prism.js';
import { checkField, checkMasks, checkSameGrid } from './validate.js';

export interface GpuJsBackendOptions {
  /**
   * gpu.js mode (default `gpu`: the best available of headlessgl → webgl2 → webgl → webasm).
   * `cpu` and `webasm` run without a GPU (tests); `webgpu` is refused (its kernels are async).
   */
  mode?: GpuJsMode;
}

/** Transmission functions uploaded once and kept on the device (free with `dispose()`). */
export interface DeviceSlices {
  readonly nx: number;
  readonly ny: number;
  readonly count: number;
  dispose(): void;
}

export interface MultisliceRunOptions {
  /** Detector masks on the k-space grid (weights 0…1), as in `detect`. Default none. */
  masks?: readonly Float32Array[];
  /** Numbers of slices traversed after which to detect (1…count); default [count] when masks are given. */
  detectAfter?: readonly number[];
}

export interface GpuJsBackend extends MultisliceBackend {
  readonly name: 'gpu';
  /** The gpu.js mode the kernels are built for (`headlessgl`, `webgl2`, `webgl`, `webasm`, `cpu`). */
  readonly mode: string;
  /**
   * The distinct modes that the kernels built so far actually ran in: [mode] unless gpu.js
   * silently fell back to its CPU backend for some kernel (it does so on webasm for features it
   * lacks); tests assert on it.
   */
  kernelModes(): string[];
  /** |ψ|² of a real- or k-space field (nx·ny float32). */
  intensity(psi: ComplexField): Float32Array;
  /** Upload transmission functions t = exp(iσV) of consecutive slices. */
  uploadSlices(transmissions: readonly ComplexField[]): DeviceSlices;
  /**
   * Multislice through all uploaded slices on the device (per slice: ψ ← F⁻¹[F[ψ·t]·P]); ψ is
   * overwritten with the exit wave. Returns, for each `detectAfter` entry, the detector signals
   * Σ mask·|Ψ(k)|²/(nx·ny) of the wave after that many slices (taken from F[ψ·t]·P, which is the
   * k-space wave after the slice, so the thickness series costs no extra FFT).
   */
  multislice(psi: ComplexField, slices: DeviceSlices, propagator: ComplexField, opts?: MultisliceRunOptions): number[][];
  /** PRISM steps on the device (S-matrix multislice batched over beams; probe reconstruction). */
  readonly prism: PrismGpuOps;
}

interface SlicesImpl extends DeviceSlices {
  pairs: DevicePair[];
}

/** Creates the gpu.js backend. Throws an InputError naming the mode when it cannot run here. */
export function createGpuJsBackend(opts: GpuJsBackendOptions = {}): GpuJsBackend {
  const mode = opts.mode ?? 'gpu';
  if (!GPU_JS_MODES.includes(mode)) throw new InputError('backend.mode', mode, GPU_JS_MODES.join(', '));
  if (!isGpuJsModeAvailable(mode)) {
    throw new InputError('backend.mode', mode, 'a gpu.js mode available here and synchronous',
      mode === 'webgpu' ? 'webgpu kernels are asynchronous; the backend contract is synchronous' : 'try webasm or cpu');
  }
  const gpu: GpuInstance = new GPU({ mode });
  gpu.addFunction(exactQuotient, { argumentTypes: { i: 'Number', d: 'Number' }, returnType: 'Number' });
  const cache = new Map<string, DeviceOps>();
  let disposed = false;
  const ops = (nx: number, ny: number, nb = 1): DeviceOps => {
    if (disposed) throw new Error('gpu.js backend used after dispose()');
    const key = `${nx}x${ny}x${nb}`;
    let o = cache.get(key);
    if (!o) { o = new DeviceOps(gpu, nx, ny, nb); cache.set(key, o); }
    return o;
  };
  const propagateOn = (o: DeviceOps, a: DevicePair, p: DevicePair, detect?: (k: DevicePair) => void): DevicePair => {
    const k = o.cmul(o.fft2(a, false), p);
    detect?.(k);
    return o.fft2(k, true);
  };
  const sums = (o: DeviceOps, k: DevicePair, masks: readonly Float32Array[]): number[] =>
    masks.map((m) => o.maskedSums(k, m)[0]! / (o.nx * o.ny));

  const backend: GpuJsBackend = {
    name: 'gpu',
    mode: kernelClassMode(gpu.Kernel),
    kernelModes() {
      const all = [...cache.values()].flatMap((o) => o.kernelModes()).concat(backend.prism.kernelModes());
      return [...new Set(all)].sort();
    },
    transmit(psi, t) {
      checkField('psi', psi);
      checkSameGrid('transmission', t, psi);
      const o = ops(psi.nx, psi.ny);
      o.download(o.cmul(o.fromHost(psi.re, psi.im), o.fromHost(t.re, t.im)), psi.re, psi.im);
      o.releaseTemps();
    },
    propagate(psi, propagator) {
      checkField('psi', psi);
      checkSameGrid('propagator', propagator, psi);
      const o = ops(psi.nx, psi.ny);
      o.download(propagateOn(o, o.fromHost(psi.re, psi.im), o.fromHost(propagator.re, propagator.im)), psi.re, psi.im);
      o.releaseTemps();
    },
    fft2(psi, inverse) {
      checkField('psi', psi);
      const o = ops(psi.nx, psi.ny);
      o.download(o.fft2(o.fromHost(psi.re, psi.im), inverse), psi.re, psi.im);
      o.releaseTemps();
    },
    detect(psi, masks) {
      checkField('psi', psi);
      checkMasks(masks, psi.nx, psi.ny);
      const o = ops(psi.nx, psi.ny);
      const k = o.fft2(o.fromHost(psi.re, psi.im), false);
      const out = sums(o, k, masks);
      o.download(k, psi.re, psi.im); // leave ψ in k-space, as the CPU backend does
      o.releaseTemps();
      return out;
    },
    intensity(psi) {
      checkField('psi', psi);
      const out = new Float32Array(psi.nx * psi.ny);
      const o = ops(psi.nx, psi.ny);
      o.intensity(o.fromHost(psi.re, psi.im), out);
      o.releaseTemps();
      return out;
    },
    uploadSlices(transmissions) {
      if (transmissions.length === 0) throw new InputError('transmissions', '[]', 'at least one slice');
      const first = transmissions[0]!;
      transmissions.forEach((t, i) => checkSameGrid(`transmissions[${i}]`, t, first));
      const o = ops(first.nx, first.ny);
      const s: SlicesImpl = {
        nx: first.nx, ny: first.ny, count: transmissions.length,
        pairs: transmissions.map((t) => o.upload(t.re, t.im)),
        dispose() { for (const p of s.pairs.splice(0)) releasePair(p); },
      };
      return s;
    },
    multislice(psi, slices, propagator, opts = {}) {
      checkField('psi', psi);
      checkSameGrid('propagator', propagator, psi);
      const s = slices as SlicesImpl;
      if (s.nx !== psi.nx || s.ny !== psi.ny) throw new InputError('slices.grid', `${s.nx}×${s.ny}`, `the wave's grid ${psi.nx}×${psi.ny}`);
      if (s.pairs.length !== s.count) throw new InputError('slices', 'disposed slices', 'slices from uploadSlices() not yet disposed');
      const masks = opts.masks ?? [];
      checkMasks(masks, psi.nx, psi.ny);
      const after = opts.detectAfter ?? (masks.length > 0 ? [s.count] : []);
      after.forEach((n, i) => {
        if (!Number.isInteger(n) || n < 1 || n > s.count) throw new InputError(`detectAfter[${i}]`, n, `an integer 1…${s.count}`);
      });
      const o = ops(psi.nx, psi.ny);
      const p = o.upload(propagator.re, propagator.im);
      const out: number[][] = after.map(() => []);
      let cur = o.fromHost(psi.re, psi.im);
      s.pairs.forEach((t, i) => {
        const wanted = after.flatMap((n, j) => (n === i + 1 ? [j] : []));
        cur = propagateOn(o, o.cmul(cur, t), p, wanted.length === 0 ? undefined : (k) => {
          const v = sums(o, k, masks);
          for (const j of wanted) out[j] = v;
        });
      });
      o.download(cur, psi.re, psi.im);
      o.releaseTemps();
      releasePair(p);
      return out;
    },
    prism: undefined as unknown as PrismGpuOps,
    dispose() {
      if (disposed) return;
      backend.prism.dispose();
      for (const o of cache.values()) o.dispose();
      cache.clear();
      disposed = true;
      void Promise.resolve(gpu.destroy()).catch(() => undefined);
    },
  };
  (backend as { prism: PrismGpuOps }).prism = createPrismOps(gpu, ops, propagateOn);
  return backend;
}
