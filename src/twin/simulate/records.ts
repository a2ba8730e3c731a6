/**
 * Checkpoint records of a forward run (see CheckpointSink): an 8-byte magic, a u32 header length, a
 * JSON header (non-finite numbers kept exactly as strings), then length-prefixed binary blobs (species
 * gzip-compressed, images raw float32, KMC states as the engine wrote them). Deterministic bytes.
 */
import { InputError } from '../../core/index.js';
import { decodeSpecies, encodeSpecies } from '../../kinetics/ncm/index.js';
import type { HaadfImage } from '../../multislice/index.js';
import type { ReportProfile } from '../report/index.js';
import type { Observables } from '../timeline/index.js';
import type { ReplicaChunk, ReplicaFrame } from './replica.js';
import type { AcquiredFrame } from './types.js';

const MAGIC = 'CTSIM\u0001\u0000\u0000';

/** KMC progress of one replica: its frames since its previous record and its state after them. */
export interface KmcRecord {
  kind: 'kmc';
  key: string;
  chunk: ReplicaChunk;
}

/** One imaged frame. */
export interface ImageRecord {
  kind: 'image';
  key: string;
  frame: number;
  ideal?: HaadfImage;
  acquired?: AcquiredFrame;
  /** Image observables of the frame (replica 0: liMRatio.* of the inset profiles, liMColumnRatio.* of the column analysis). */
  observables: Observables;
  /** Column-analysis observables of every imaged replica (index = replica) and their strip standard errors. */
  replicaObservables?: Observables[];
  replicaSe?: Observables[];
  /** Layer profiles of the frame shown in the report. */
  profiles: ReportProfile[];
  /** M-layer phase per region fixed at frame 0, Å. */
  phase_A: Record<string, number>;
}

export type SimRecord = KmcRecord | ImageRecord;

const replacer = (_k: string, v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? `__num:${v}` : v);
const reviver = (_k: string, v: unknown): unknown => (typeof v === 'string' && v.startsWith('__num:') ? Number(v.slice(6)) : v);

const f32 = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const toF32 = (b: Uint8Array) => new Float32Array(b.slice().buffer);
const f64 = (a: ArrayLike<number>) => new Uint8Array(Float64Array.from(a).buffer);
const toF64 = (b: Uint8Array) => new Float64Array(b.slice().buffer);

function pack(header: unknown, blobs: Uint8Array[]): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header, replacer));
  const size = 12 + json.length + blobs.reduce((a, b) => a + 4 + b.length, 0);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  dv.setUint32(8, json.length, true);
  out.set(json, 12);
  let o = 12 + json.length;
  for (const b of blobs) {
    dv.setUint32(o, b.length, true);
    out.set(b, o + 4);
    o += 4 + b.length;
  }
  return out;
}

function unpack(bytes: Uint8Array, field: string): { header: Record<string, unknown>; blobs: Uint8Array[] } {
  const bad = (why: string): never => {
    throw new InputError(field, `${bytes.length} bytes`, 'a record saved by simulateScenario with the same inputs', why);
  };
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) bad('bad magic');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = dv.getUint32(8, true);
  if (12 + n > bytes.length) bad('truncated header');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + n)), reviver) as Record<string, unknown>;
  } catch {
    return bad('unreadable header');
  }
  const blobs: Uint8Array[] = [];
  let o = 12 + n;
  while (o < bytes.length) {
    if (o + 4 > bytes.length) bad('truncated blob');
    const len = dv.getUint32(o, true);
    if (o + 4 + len > bytes.length) bad('truncated blob');
    blobs.push(bytes.subarray(o + 4, o + 4 + len));
    o += 4 + len;
  }
  return { header, blobs };
}

/** Encode a record. */
export function encodeRecord(r: SimRecord): Uint8Array {
  const blobs: Uint8Array[] = [];
  const put = (b: Uint8Array) => blobs.push(b) - 1;
  if (r.kind === 'kmc') {
    const c = r.chunk;
    const chunk = { ...c, state: put(c.state), frames: c.frames.map(({ species, ...f }) => ({ ...f, species: species ? put(encodeSpecies(species)) : -1 })) };
    return pack({ kind: 'kmc', key: r.key, chunk }, blobs);
  }
  const image = (im: HaadfImage) => ({ ...im, data: put(f32(im.data)), thicknessSeries: im.thicknessSeries.map((t) => ({ thickness_A: t.thickness_A, data: put(f32(t.data)) })) });
  const profiles = r.profiles.map((p) => ({ ...p, y_A: put(f64(p.y_A)), intensity: put(f64(p.intensity)) }));
  return pack({ ...r, ideal: r.ideal ? image(r.ideal) : undefined, acquired: r.acquired ? { ...r.acquired, data: put(f32(r.acquired.data)) } : undefined, profiles }, blobs);
}

/** Decode a record; InputError naming `field` for foreign bytes or another run's record (`key`). */
export function decodeRecord(bytes: Uint8Array, key: string, field: string): SimRecord {
  const { header: h, blobs } = unpack(bytes, field);
  if (h.key !== key) throw new InputError(field, `a record of run ${String(h.key)}`, `a record of this run (${key}): the same scenario, seed, overrides and options`);
  const blob = (i: number) => {
    const b = blobs[i];
    if (b === undefined) throw new InputError(field, `blob ${i}`, 'a complete record');
    return b;
  };
  if (h.kind === 'kmc') {
    const c = h.chunk as Omit<ReplicaChunk, 'state' | 'frames'> & { state: number; frames: (Omit<ReplicaFrame, 'species'> & { species: number })[] };
    const chunk: ReplicaChunk = { ...c, state: blob(c.state).slice(), frames: c.frames.map(({ species, ...f }) => ({ ...f, ...(species >= 0 ? { species: decodeSpecies(blob(species)) } : {}) })) };
    return { kind: 'kmc', key, chunk };
  }
  if (h.kind !== 'image') throw new InputError(field, String(h.kind), 'a kmc or image record');
  type Enc<T> = Omit<T, 'data'> & { data: number };
  const ideal = h.ideal as (Omit<HaadfImage, 'data' | 'thicknessSeries'> & { data: number; thicknessSeries: { thickness_A: number; data: number }[] }) | undefined;
  const acquired = h.acquired as Enc<AcquiredFrame> | undefined;
  const profiles = (h.profiles as (Omit<ReportProfile, 'y_A' | 'intensity'> & { y_A: number; intensity: number })[]).map((p) => ({ ...p, y_A: toF64(blob(p.y_A)), intensity: toF64(blob(p.intensity)) }));
  return {
    kind: 'image',
    key,
    frame: h.frame as number,
    ...(ideal ? { ideal: { ...ideal, data: toF32(blob(ideal.data)), thicknessSeries: ideal.thicknessSeries.map((t) => ({ thickness_A: t.thickness_A, data: toF32(blob(t.data)) })) } } : {}),
    ...(acquired ? { acquired: { ...acquired, data: toF32(blob(acquired.data)) } } : {}),
    observables: h.observables as Observables,
    ...(h.replicaObservables ? { replicaObservables: h.replicaObservables as Observables[], replicaSe: h.replicaSe as Observables[] } : {}),
    profiles,
    phase_A: h.phase_A as Record<string, number>,
  };
}
