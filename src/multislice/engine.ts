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
