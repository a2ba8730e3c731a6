/**
 * Frames as compact occupancy snapshots: the species array (1 byte per parent-lattice site),
 * gzip-compressed for files (node:zlib; layered NCM compresses ~5–10×), expandable to Cartesian
 * atoms with the lattice module's `toAtoms` for imaging.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { InputError } from '../../core/index.js';
import type { NcmObservables } from './observables.js';

/** One acquisition frame of a trajectory. */
export interface NcmFrame {
  /** Frame index. */
  index: number;
  /** Simulated time, s. */
  time_s: number;
  /** Temperature, K. */
  temperature_K: number;
  /** Events executed so far. */
  events: number;
  /** Species per site (copy). */
  species: Uint8Array;
  observables: NcmObservables;
}

const MAGIC = [0x4e, 0x43, 0x4d, 0x46]; // "NCMF"

/** gzip(species) with a 4-byte magic and the site count (u32 LE). Deterministic bytes. */
export function encodeSpecies(species: Uint8Array): Uint8Array {
  const z = gzipSync(species, { level: 6 });
  const out = new Uint8Array(8 + z.length);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, species.length, true);
  out.set(z, 8);
  return out;
}

/** Inverse of `encodeSpecies`; InputError (field `frame`) on foreign bytes. */
export function decodeSpecies(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 8 || MAGIC.some((m, i) => bytes[i] !== m)) throw new InputError('frame', `${bytes.length} bytes`, 'an NCM frame (gzip species snapshot)');
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  const sp = new Uint8Array(gunzipSync(bytes.subarray(8)));
  if (sp.length !== n) throw new InputError('frame', `${sp.length} sites`, `${n} sites as in its header`);
  return sp;
}
