/**
 * IEEE 754 binary16 ("half", NumPy float16, HDF5 H5T_IEEE_F16) decoded from its bits: sign, 5-bit exponent (bias 15),
 * 10-bit fraction; subnormals (exponent 0) are fraction·2⁻²⁴, exponent 31 is ±∞ or NaN. h5wasm cannot decode float16
 * datasets (TOOLCHAIN.md), so HyperSpy files holding them are read from the raw bytes with this.
 */

/** The value of one binary16 bit pattern. */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f, f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** Decodes `n` binary16 values from `bytes` at `offset` (little- or big-endian) into a Float32Array. */
export function decodeHalf(bytes: Uint8Array, offset: number, n: number, littleEndian = true): Float32Array {
  const table = HALF_TABLE ?? (HALF_TABLE = Float32Array.from({ length: 65536 }, (_, h) => halfToFloat(h)));
  const out = new Float32Array(n);
  for (let i = 0, o = offset; i < n; i++, o += 2) out[i] = table[littleEndian ? bytes[o]! | (bytes[o + 1]! << 8) : (bytes[o]! << 8) | bytes[o + 1]!]!;
  return out;
}
let HALF_TABLE: Float32Array | undefined;
