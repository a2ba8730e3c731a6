/**
 * gpu.js backend for multislice and PRISM. `createGpuJsBackend({ mode })` returns a
 * {@link MultisliceBackend} (name 'gpu') with device-resident extensions.
 */
export { createGpuJsBackend } from './backend.js';
export type { GpuJsBackend, GpuJsBackendOptions, DeviceSlices, MultisliceRunOptions } from './backend.js';
export type { ComplexBatch, DeviceSMatrix, PrismGpuOps, PrismBatchOptions } from './prism.js';
export { GPU_JS_MODES, hasGpuJsGpu, isGpuJsModeAvailable } from './gpujs.js';
export type { GpuJsMode } from './gpujs.js';
export { isGpuFftSize, radixPlan, twiddleTable } from './device-ops.js';
/** For the backend registry's `auto`: true when gpu.js has a real GPU route (a GL backend) here. */
export { hasGpuJsGpu as hasRealGpu } from './gpujs.js';
