/**
 * The multislice engine: a prepared setup (grid, propagator, detector masks, recording slices) plus
 * a stack of transmission functions, and the loop that runs one probe position through it.
 * All arrays can live in SharedArrayBuffers so that worker threads read them without copies.
 */
import type { ComplexField, MultisliceBackend } from './backend/types.js';
import type { Grid } from './grid.js';
import { type ProbeOptics, buildProbe } from './probe.js';

/** Backend-independent description of one multislice run (plain data, structured-clone safe). */
export interface MultisliceSetup {
  readonly grid: Grid;
  readonly optics: ProbeOptics;
  readonly nSlices: number;
  readonly sliceThickness_A: number;
  /** Band-limited Fresnel propagator over one slice. */
  readonly propagator: ComplexField;
  /** Detector weights in k-space, one per detector. */
  readonly masks: Float32Array[];
  /** Slice indices (0-based, ascending, last = nSlices − 1) after which the detectors are read. */
  readonly recordAfter: number[];
  /** Focal-spread quadrature (defocus offsets, Å, and weights summing to 1). */
  readonly focal: { dC10_A: number; weight: number }[];
}

/** Transmission functions of all slices, concatenated: slice s at [s·nx·ny, (s+1)·nx·ny). */
export interface TransmissionStack {
  readonly re: Float32Array;
  readonly im: Float32Array;
}

/** Allocates a Float32Array on a SharedArrayBuffer (zeroed). */
export function sharedFloat32(n: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(4 * n));
}

/**
 * Runs the probe at (x_A, y_A) through the stack. Returns the detector signals (fraction of the incident
 * beam) as a Float64Array laid out [recordIndex][detector].
 */
export function runProbePosition(setup: MultisliceSetup, stack: TransmissionStack, backend: MultisliceBackend, x_A: number, y_A: number): Float64Array {
  const { grid, nSlices, masks, recordAfter } = setup;
  const n = grid.nx * grid.ny;
  const out = new Float64Array(recordAfter.length * masks.length);
  for (const { dC10_A, weight } of setup.focal) {
    const psi = buildProbe(grid, setup.optics, x_A, y_A, dC10_A);
    let r = 0;
    for (let s = 0; s < nSlices; s++) {
      const t: ComplexField = { nx: grid.nx, ny: grid.ny, re: stack.re.subarray(s * n, (s + 1) * n), im: stack.im.subarray(s * n, (s + 1) * n) };
      backend.transmit(psi, t);
      backend.propagate(psi, setup.propagator);
      if (recordAfter[r] === s) {
        const target = s === nSlices - 1 ? psi : { nx: grid.nx, ny: grid.ny, re: psi.re.slice(), im: psi.im.slice() };
        const sig = backend.detect(target, masks);
        for (let d = 0; d < masks.length; d++) out[r * masks.length + d]! += weight * sig[d]!;
        r++;
      }
    }
  }
  return out;
}

/** A backend that keeps the wave on its device for a whole run (the gpu.js backend's extension). */
interface DeviceResident {
  uploadSlices(transmissions: readonly ComplexField[]): { dispose(): void };
  multislice(psi: ComplexField, slices: { dispose(): void }, propagator: ComplexField, opts: { masks: readonly Float32Array[]; detectAfter: readonly number[] }): number[][];
}

function isDeviceResident(b: MultisliceBackend): b is MultisliceBackend & DeviceResident {
  const d = b as Partial<DeviceResident>;
  return typeof d.uploadSlices === 'function' && typeof d.multislice === 'function';
}

const uploaded = new WeakMap<MultisliceBackend, { stack: TransmissionStack; slices: { dispose(): void } }>();

/**
 * runProbePosition on a device-resident backend (gpu.js): the stack is uploaded once per backend and stack, and each
 * probe runs all slices on the device, reading back only the detector sums (no host round trip per slice). Falls back
 * to runProbePosition for backends without that extension (the CPU backend has the resident loop instead).
 */
export function runProbeOnBackend(setup: MultisliceSetup, stack: TransmissionStack, backend: MultisliceBackend, x_A: number, y_A: number): Float64Array {
  if (!isDeviceResident(backend)) return runProbePosition(setup, stack, backend, x_A, y_A);
  const { grid, nSlices, masks, recordAfter } = setup;
  const n = grid.nx * grid.ny;
  let up = uploaded.get(backend);
  if (!up || up.stack !== stack) {
    up?.slices.dispose();
    const ts = Array.from({ length: nSlices }, (_, s) => ({ nx: grid.nx, ny: grid.ny, re: stack.re.subarray(s * n, (s + 1) * n), im: stack.im.subarray(s * n, (s + 1) * n) }));
    up = { stack, slices: backend.uploadSlices(ts) };
    uploaded.set(backend, up);
  }
  const out = new Float64Array(recordAfter.length * masks.length);
  for (const { dC10_A, weight } of setup.focal) {
    const psi = buildProbe(grid, setup.optics, x_A, y_A, dC10_A);
    const sig = backend.multislice(psi, up.slices, setup.propagator, { masks, detectAfter: recordAfter.map((s) => s + 1) });
    sig.forEach((row, r) => row.forEach((v, d) => { out[r * masks.length + d]! += weight * v; }));
  }
  return out;
}
