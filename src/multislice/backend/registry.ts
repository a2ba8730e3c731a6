/**
 * Backend selection: 'cpu' (the reference), 'gpu' (the gpu.js backend in ./gpujs, exporting
 * `createGpuJsBackend(opts)`), 'auto' (the gpu.js backend when it loads and reports a real GPU, else cpu).
 */
import { InputError } from '../../core/index.js';
import { createCpuBackend } from './cpu/index.js';
import type { MultisliceBackend } from './types.js';

/** Backend names accepted by --backend. */
export type BackendName = 'auto' | 'cpu' | 'gpu';

interface GpuModule {
  createGpuJsBackend?: (opts?: Record<string, unknown>) => MultisliceBackend | Promise<MultisliceBackend>;
  hasRealGpu?: () => boolean | Promise<boolean>;
}

async function loadGpuModule(): Promise<GpuModule | undefined> {
  const spec = './gpujs/index.js';
  try {
    return (await import(spec)) as GpuModule;
  } catch {
    return undefined;
  }
}

/** Creates the named backend; 'gpu' without a loadable gpu.js backend → InputError('backend', …). */
export async function createBackend(name: BackendName = 'cpu', opts: Record<string, unknown> = {}): Promise<MultisliceBackend> {
  if (name === 'cpu') return createCpuBackend();
  if (name !== 'gpu' && name !== 'auto') throw new InputError('backend', name, 'auto, cpu or gpu');
  const mod = await loadGpuModule();
  if (name === 'auto') {
    if (mod?.createGpuJsBackend && mod.hasRealGpu && (await mod.hasRealGpu())) return mod.createGpuJsBackend(opts);
    return createCpuBackend();
  }
  if (!mod?.createGpuJsBackend) {
    throw new InputError('backend', name, 'auto or cpu', 'the gpu.js backend (src/multislice/backend/gpujs) is not available in this build');
  }
  return mod.createGpuJsBackend(opts);
}
