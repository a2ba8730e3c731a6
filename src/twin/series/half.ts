/**
 * IEEE 754 binary16 ("half", NumPy float16, HDF5 H5T_IEEE_F16) arrays decoded from their bits through a 65 536-entry
 * table of npy.ts's `halfToFloat` (the one definition of the format). h5wasm cannot decode float16 datasets
 * (TOOLCHAIN.md), so HyperSpy files holding them are read from their raw bytes with this; MRC mode 12 too.
 */
import { halfToFloat } from './npy.js';

let HALF_TABLE: Float32Array | undefined;

/** Decodes `n` binary16 values from `bytes` at `offset` (little- or big-endian) into a Float32Array. */
export function decodeHalf(bytes: Uint8Array, offset: number, n: number, littleEndian = true): Float32Array {
  const table = HALF_TABLE ?? (HALF_TABLE = Float32Array.from({ length: 65536 }, (_, h) => halfToFloat(h)));
  const out = new Float32Array(n);
  for (let i = 0, o = offset; i < n; i++, o += 2) out[i] = table[littleEndian ? bytes[o]! | (bytes[o + 1]! << 8) : (bytes[o]! << 8) | bytes[o + 1]!]!;
  return out;
}
