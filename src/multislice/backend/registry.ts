/**
 * Backend selection: 'cpu' (the reference), 'gpu' (the gpu.js backend in ./gpujs on a real GPU), 'auto' (the gpu.js
 * backend when it loads AND reports a real GPU, else cpu with the reason recorded). Nothing falls back silently: a
 * failed import of the gpu.js module is an error for 'gpu' and a stated reason for 'auto', and 'gpu' on a machine
 * without a GPU route is an InputError naming --backend (gpu.js would otherwise run its kernels as WebAssembly on
 * the CPU, 4–16× slower than the CPU backend).
 */
import { InputError } from '../../core/index.js';
import { createCpuBackend } from './cpu/index.js';
import type { MultisliceBackend } from './types.js';

/** Backend names accepted by --backend. */
export type BackendName = 'auto' | 'cpu' | 'gpu';

/** What was asked for, what runs, on which device, and why (for sidecars). */
export interface BackendSelection {
  readonly backend: MultisliceBackend;
  readonly requested: BackendName;
  /** The device in words, e.g. "CPU (TypeScript + WebAssembly SIMD FFT)" or "GPU: NVIDIA H100 (gpu.js headlessgl)". */
  readonly device: string;
  /** Why 'auto' chose the CPU (absent when the requested backend runs). */
  readonly fallbackReason?: string;
}

interface GpuModule {
  createGpuJsBackend(opts?: Record<string, unknown>): MultisliceBackend;
  gpuRoute(): { ok: true; device: string } | { ok: false; reason: string };
}

/** Imports the gpu.js backend; the error (with its message) is returned, never swallowed. */
async function loadGpuModule(): Promise<{ mod: GpuModule } | { error: string }> {
  try {
    return { mod: (await import('./gpujs/index.js')) as unknown as GpuModule };
  } catch (e) {
    return { error: `the gpu.js backend failed to load: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** The CPU backend's device line. */
export const CPU_DEVICE = 'CPU (TypeScript, FFT on WebAssembly SIMD where sizes allow)';

/**
 * Selects and creates the backend. 'gpu' without a GPU route → InputError('backend', 'gpu', …) saying why;
 * 'auto' without one → the CPU backend with `fallbackReason`. `opts.mode` 'webasm' or 'cpu' with 'gpu' asks
 * explicitly for gpu.js's CPU emulation of its kernels (the parity tests).
 */
export async function selectBackend(name: BackendName = 'cpu', opts: Record<string, unknown> = {}): Promise<BackendSelection> {
  if (name === 'cpu') return { backend: createCpuBackend(), requested: name, device: CPU_DEVICE };
  if (name !== 'gpu' && name !== 'auto') throw new InputError('backend', name, 'auto, cpu or gpu');
  const loaded = await loadGpuModule();
  const emulate = opts.mode === 'webasm' || opts.mode === 'cpu';
  if (name === 'gpu' && emulate) {
    if ('error' in loaded) throw new Error(loaded.error);
    return { backend: loaded.mod.createGpuJsBackend(opts), requested: name, device: `CPU emulation of the gpu.js kernels (mode ${String(opts.mode)}; parity tests only, not a speed path)` };
  }
  const route = 'mod' in loaded ? loaded.mod.gpuRoute() : { ok: false as const, reason: loaded.error };
  if (route.ok && 'mod' in loaded) {
    return { backend: loaded.mod.createGpuJsBackend({ ...opts, mode: 'gpu' }), requested: name, device: route.device };
  }
  const reason = route.ok ? 'the gpu.js backend did not load' : route.reason;
  if (name === 'gpu') throw new InputError('backend', 'gpu', 'auto or cpu on this machine', `no GPU route: ${reason}`);
  return { backend: createCpuBackend(), requested: name, device: CPU_DEVICE, fallbackReason: reason };
}

/** Creates the named backend (see {@link selectBackend}, which also says which device runs and why). */
export async function createBackend(name: BackendName = 'cpu', opts: Record<string, unknown> = {}): Promise<MultisliceBackend> {
  return (await selectBackend(name, opts)).backend;
}
