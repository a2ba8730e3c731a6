/**
 * The inputs record of a checkpoint: a small envelope around any checkpoint's bytes that records what the run was
 * started with (a hash of the scenario, the seed, the program version, …), so that `--resume` with different inputs
 * is refused with an InputError naming the option that differs instead of silently continuing the old run.
 *
 * Layout: 8-byte magic "CTINPUT1", u32 LE length of a UTF-8 JSON object of the inputs, the JSON, then the payload.
 *
 * @example
 *   const bytes = sealCheckpoint({ scenario: inputsHash(scenario), seed: 7, version: '0.1.0' }, engineBytes);
 *   // later, on --resume:
 *   const engineBytes = openCheckpoint(bytes, 'out/kmc.ckpt', {
 *     scenario: { value: inputsHash(scenario), field: '--scenario', shown: scenarioArg },
 *     seed: { value: 99, field: '--seed' },
 *   }); // InputError: --seed: got 99; allowed: 7 (the seed of the run checkpointed in out/kmc.ckpt) …
 */
import { createHash } from 'node:crypto';
import { InputError } from './errors.js';

const MAGIC = 'CTINPUT1';

/** A recorded input: a number, string or boolean. */
export type InputValue = string | number | boolean;

/** Canonical JSON (object keys sorted) of plain data. */
export function canonicalJson(v: unknown): string {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return canonicalJson(Array.from(v as unknown as ArrayLike<number>));
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** A short hash (16 hex digits of SHA-256) of plain data's canonical JSON: the identity of a scenario or config. */
export function inputsHash(v: unknown): string {
  return createHash('sha256').update(canonicalJson(v)).digest('hex').slice(0, 16);
}

/** Wraps checkpoint `payload` with the record of its `inputs`. */
export function sealCheckpoint(inputs: Readonly<Record<string, InputValue>>, payload: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(canonicalJson(inputs));
  const out = new Uint8Array(12 + json.length + payload.length);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  out.set(payload, 12 + json.length);
  return out;
}

/** The inputs recorded in a sealed checkpoint and its payload; InputError (field `path`) when it is not one. */
export function readSealedCheckpoint(bytes: Uint8Array, path: string): { inputs: Record<string, InputValue>; payload: Uint8Array } {
  const bad = (why: string): never => {
    throw new InputError(path, `${bytes.length} bytes`, 'a cathode-twin checkpoint (run again without --resume to start over)', why);
  };
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) bad('no inputs record (not a checkpoint of this version)');
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (12 + n > bytes.length) bad('truncated');
  let inputs: unknown;
  try {
    inputs = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(12, 12 + n)));
  } catch {
    return bad('unreadable inputs record');
  }
  if (!inputs || typeof inputs !== 'object' || Array.isArray(inputs)) bad('unreadable inputs record');
  return { inputs: inputs as Record<string, InputValue>, payload: bytes.subarray(12 + n) };
}

/** What a resume expects of one recorded input: its value now, the option or field that sets it, and how to show it. */
export interface ExpectedInput {
  readonly value: InputValue;
  /** The CLI option or scenario field that gives it (named in the error). */
  readonly field: string;
  /** The value as the user gave it (default: `value`). */
  readonly shown?: unknown;
}

/**
 * The payload of a sealed checkpoint after checking its recorded inputs against `expected`. A difference throws an
 * InputError naming the option that differs, what was given now and what the checkpointed run used.
 */
export function openCheckpoint(bytes: Uint8Array, path: string, expected: Readonly<Record<string, ExpectedInput>>): Uint8Array {
  const { inputs, payload } = readSealedCheckpoint(bytes, path);
  for (const [key, e] of Object.entries(expected)) {
    const had = inputs[key];
    if (had === e.value) continue;
    throw new InputError(
      e.field,
      e.shown ?? e.value,
      `${had === undefined ? '(not recorded)' : JSON.stringify(had)}, the ${key} of the run checkpointed in ${path}`,
      'resume with the same inputs, or run without --resume to start over',
    );
  }
  return payload;
}
