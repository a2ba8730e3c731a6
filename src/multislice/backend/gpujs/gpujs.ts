/**
 * A small typed wrapper around gpu.js 2.24 (a CommonJS package whose typings declare `input`
 * as a type only and whose kernel signatures do not fit strict TypeScript). Everything the
 * backend needs from gpu.js goes through here, so the rest of the folder is plain typed code.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** gpu.js modes a caller may ask for. `gpu` = the best available (headlessgl → webgl2 → webgl → webasm). */
export type GpuJsMode = 'gpu' | 'webgl' | 'webgl2' | 'headlessgl' | 'webgpu' | 'cpu' | 'webasm';

export const GPU_JS_MODES: readonly GpuJsMode[] = ['gpu', 'webgl', 'webgl2', 'headlessgl', 'webgpu', 'cpu', 'webasm'];

/** A GL texture returned by a `pipeline: true` kernel (device-resident). */
export interface GpuTexture {
  toArray(): Float32Array | Float32Array[];
  clone(): GpuTexture;
  delete(): void;
}

/**
 * What a pipeline kernel returns: a texture on GL backends; a plain Float32Array on the cpu and
 * webasm backends (webasm: a fresh copy per call; cpu: the kernel's own buffer, reused per call).
 */
export type DeviceArray = GpuTexture | Float32Array;

/** Arguments kernels accept here: device arrays and plain numbers (gpu.js passes numbers as float). */
export type KernelArg = DeviceArray | number;

/** A compiled kernel: call it with its arguments; `destroy()` frees it. */
export interface GpuKernel {
  (...args: KernelArg[]): DeviceArray;
  destroy(removeCanvasReferences?: boolean): void;
  /** The backend kernel object; its constructor's `mode` says what actually ran. */
  readonly kernel?: { constructor: { name?: string; mode?: string }; fallbackReason?: string };
}

/** The `this` of a kernel body (only what our kernels read). */
export interface KernelThis {
  readonly thread: { readonly x: number; readonly y: number; readonly z: number };
}

export interface KernelSettings {
  output: [number] | [number, number] | [number, number, number];
  pipeline?: boolean;
  immutable?: boolean;
  precision?: 'single';
  loopMaxIterations?: number;
  tactic?: 'speed' | 'balanced' | 'precision';
}

export interface GpuInstance {
  readonly mode: string;
  readonly Kernel: { readonly name: string; readonly mode: string };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  createKernel(source: (this: KernelThis, ...args: any[]) => number, settings: KernelSettings): GpuKernel;
  /** Makes a plain function callable by name from every kernel of this instance. */
  addFunction(source: (...args: number[]) => number, settings?: { argumentTypes?: Record<string, string>; returnType?: string }): unknown;
  destroy(): Promise<void> | void;
}

interface GpuStatic {
  new (settings: { mode?: string }): GpuInstance;
  readonly isWebGLSupported: boolean;
  readonly isWebGL2Supported: boolean;
  readonly isHeadlessGLSupported: boolean;
  readonly isWebGPUSupported: boolean;
  readonly isWebAssemblySupported: boolean;
  readonly isGPUSupported: boolean;
}

const lib = createRequire(import.meta.url)('gpu.js') as { GPU: GpuStatic };

/** The gpu.js GPU class. */
export const GPU: GpuStatic = lib.GPU;

/**
 * Whether a mode can run synchronously here (the backend contract is synchronous). `webgpu`
 * kernels always return Promises, so it is reported unavailable for this backend.
 */
export function isGpuJsModeAvailable(mode: GpuJsMode): boolean {
  switch (mode) {
    case 'cpu': return true;
    case 'webasm': return GPU.isWebAssemblySupported;
    case 'webgl': return GPU.isWebGLSupported;
    case 'webgl2': return GPU.isWebGL2Supported;
    case 'headlessgl': return GPU.isHeadlessGLSupported;
    case 'webgpu': return false;
    case 'gpu': return GPU.isGPUSupported;
  }
}

/** Renderer names of software GL implementations (a GL context on the CPU, not a GPU). */
const SOFTWARE_RENDERER = /llvmpipe|softpipe|swiftshader|swrast|software/i;

/**
 * The GL renderer that headless-gl reaches here (UNMASKED_RENDERER_WEBGL when the debug extension is exposed, else
 * RENDERER), or undefined when no context can be made. On Linux servers headless-gl makes a GLX context under Xvfb or
 * an EGL one; for an NVIDIA GPU the vendor's libraries must be the ones loaded (Debian: libegl1, libgl1, libglx0,
 * libglvnd0, and `__GLX_VENDOR_LIBRARY_NAME=nvidia` under Xvfb), see TOOLCHAIN.md "GPU paths for gpu.js".
 */
export function glRenderer(): string | undefined {
  try {
    const createGl = createRequire(import.meta.url)('gl') as (w: number, h: number) => {
      getExtension(name: string): Record<string, number> | null; getParameter(p: number): unknown; RENDERER: number;
    } | null;
    const gl = createGl(1, 1);
    if (!gl) return undefined;
    const dbg = gl.getExtension('WEBGL_debug_renderer_info');
    const name = dbg ? gl.getParameter(dbg.UNMASKED_RENDERER_WEBGL!) : gl.getParameter(gl.RENDERER);
    (gl.getExtension('STACKGL_destroy_context') as unknown as { destroy?: () => void } | null)?.destroy?.();
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether gpu.js reaches a real GPU here, and which, or why not. Needs a GL backend (headless-gl built, or WebGL in
 * a browser) whose renderer is not a software one (llvmpipe under Xvfb renders on the CPU, slower than the CPU
 * backend). CATHODE_TWIN_GPU=0 forces "no"; CATHODE_TWIN_GPU=1 accepts a GL backend whose renderer cannot be named
 * (some ANGLE builds hide it) when a GPU device node (/dev/nvidia0, /dev/dri/renderD128) exists.
 */
export function gpuRoute(): { ok: true; device: string } | { ok: false; reason: string } {
  const env = process.env.CATHODE_TWIN_GPU;
  if (env === '0') return { ok: false, reason: 'CATHODE_TWIN_GPU=0' };
  if (!(GPU.isHeadlessGLSupported || GPU.isWebGL2Supported || GPU.isWebGLSupported)) {
    return { ok: false, reason: "no GL backend for gpu.js (headless-gl, npm 'gl', is not built here: it needs the X11/GL headers, then Xvfb or EGL and the GPU vendor's GL libraries; TOOLCHAIN.md)" };
  }
  const renderer = glRenderer();
  const node = existsSync('/dev/nvidia0') || existsSync('/dev/dri/renderD128');
  if (renderer && SOFTWARE_RENDERER.test(renderer)) return { ok: false, reason: `GL renders in software (${renderer}), not on a GPU` };
  if (renderer) return { ok: true, device: `GPU: ${renderer} (gpu.js ${GPU.isHeadlessGLSupported ? 'headlessgl' : 'webgl'})` };
  if (env === '1' && node) return { ok: true, device: 'GPU: unnamed GL renderer with a GPU device node (CATHODE_TWIN_GPU=1)' };
  return { ok: false, reason: 'a GL backend loads but its renderer cannot be named (set CATHODE_TWIN_GPU=1 to use it where a GPU device node exists)' };
}

/** Whether gpu.js reaches a real GPU here ({@link gpuRoute}). */
export function hasGpuJsGpu(): boolean {
  return gpuRoute().ok;
}

const CLASS_MODES: Readonly<Record<string, string>> = {
  HeadlessGLKernel: 'headlessgl', WebGL2Kernel: 'webgl2', WebGLKernel: 'webgl',
  WebAssemblyKernel: 'webasm', CPUKernel: 'cpu', WebGPUKernel: 'webgpu',
};

/**
 * The mode a kernel class runs in (gpu.js reports every GL class as 'gpu'; this names which).
 * @param k a kernel class (`gpu.Kernel`) or a kernel object (`kernel.kernel.constructor`).
 */
export function kernelClassMode(k: { readonly name?: string; readonly mode?: string }): string {
  return (k.name !== undefined ? CLASS_MODES[k.name] : undefined) ?? k.mode ?? 'unknown';
}

export function isTexture(a: DeviceArray): a is GpuTexture {
  return !(a instanceof Float32Array);
}

/** Copy a device array into `out` (host). */
export function readInto(a: DeviceArray, out: Float32Array): void {
  if (!isTexture(a)) { out.set(a.length === out.length ? a : a.subarray(0, out.length)); return; }
  const v = a.toArray();
  if (v instanceof Float32Array) { out.set(v.length === out.length ? v : v.subarray(0, out.length)); return; }
  let o = 0;
  for (const row of v) { out.set(row, o); o += row.length; }
}

/** Keep a copy of a (possibly reused) kernel output: a texture clone, or a host copy. */
export function hold(a: DeviceArray): DeviceArray {
  return isTexture(a) ? a.clone() : a.slice();
}

/** Release a held device array (textures only; typed arrays are garbage-collected). */
export function release(a: DeviceArray | undefined): void {
  if (a && isTexture(a)) a.delete();
}
