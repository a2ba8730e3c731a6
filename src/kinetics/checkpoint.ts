/**
 * Engine checkpoints as byte snapshots: an 8-byte magic, a little-endian u32 header length, a
 * UTF-8 JSON header (engine counters, time, RNG state) and the model's own snapshot bytes.
 * Float64 values survive JSON exactly (shortest round-trip representation).
 */
import { InputError } from '../core/index.js';

const MAGIC = 'CTKMC\u0001\u0000\u0000';

/** Engine state stored in a checkpoint (taken only at a window boundary). */
export interface EngineCheckpointHeader {
  /** Format version. */
  version: 1;
  /** Simulated time, s (exactly the boundary time). */
  time_s: number;
  /** Index of the window boundary the engine stands on. */
  boundaryIndex: number;
  /** Number of boundaries of the run (compatibility check on resume). */
  boundaryCount: number;
  /** Program duration, s (compatibility check). */
  duration_s: number;
  /** Index of the next frame to emit. */
  nextFrame: number;
  /** Executed events so far. */
  events: number;
  /** Candidate events drawn so far (executed + rejected by thinning). */
  candidates: number;
  /** xoshiro128** state words. */
  rng: [number, number, number, number];
}

/** Pack header and model bytes. */
export function encodeCheckpoint(header: EngineCheckpointHeader, model: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + 4 + json.length + model.length);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  out.set(model, 12 + json.length);
  return out;
}

/** Unpack a checkpoint; InputError (field `checkpoint`) if the bytes are not one. */
export function decodeCheckpoint(bytes: Uint8Array): { header: EngineCheckpointHeader; model: Uint8Array } {
  const bad = (why: string): never => {
    throw new InputError('checkpoint', `${bytes.length} bytes`, 'a cathode-twin KMC checkpoint', why);
  };
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) bad('bad magic');
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (12 + n > bytes.length) bad('truncated header');
  let header: EngineCheckpointHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + n))) as EngineCheckpointHeader;
  } catch {
    return bad('unreadable header');
  }
  if (header.version !== 1) bad(`unknown version ${String(header.version)}`);
  return { header, model: bytes.slice(12 + n) };
}
