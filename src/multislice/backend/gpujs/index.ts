/**
 * gpu.js backend for multislice and PRISM. `createGpuJsBackend({ mode })` returns a
 * MultisliceBackend (name 'gpu') with device-resident extensions (`multislice`, `prism`).
 *
 * Tests run every kernel in gpu.js's `cpu` and `webasm` modes (no GPU needed). The GLSL path
 * (`headlessgl`, WebGL 1 via ANGLE) runs the same tests where headless-gl is built, e.g.:
 *   apt-get install libxi-dev libxext-dev libglu1-mesa-dev xvfb
 *   npm install --prefix /tmp/glenv gl@8.1.6
 *   NODE_PATH=/tmp/glenv/node_modules xvfb-run -a npx vitest run test/multislice/gpujs
 * (on a machine without a GPU that renders on llvmpipe: a correctness check, not a speed one).
 */
export { createGpuJsBackend } from './backend.js';
export type { GpuJsBackend, GpuJsBackendOptions, DeviceSlices, MultisliceRunOptions } from './backend.js';
export type { ComplexBatch, DeviceSMatrix, PrismGpuOps, PrismBatchOptions } from './prism.js';
export { GPU_JS_MODES, glRenderer, gpuRoute, hasGpuJsGpu, isGpuJsModeAvailable } from './gpujs.js';
export type { GpuJsMode } from './gpujs.js';
export { isGpuFftSize, radixPlan, twiddleTable } from './device-ops.js';
