/**
 * Bounded, quiet readers. Every parser of a user's file goes through these, so that no input crashes the process:
 *
 * - `readInputFile(path, field, what)`: the whole file, after checking it exists, is a regular file and fits the
 *   memory budget (InputError naming `field` otherwise).
 * - `checkDeclared(field, declared, available, what)`: a size a header declares (pixel count × bytes, a member's
 *   length, a string length) is checked against the bytes the file actually holds BEFORE anything is allocated.
 * - `guardedRead(field, value, what, fn)` / `guardedReadSync`: runs a reader (ours or a third-party library) and
 *   turns any failure into a one-line InputError naming the file; anything the library prints on stdout/stderr
 *   meanwhile (h5wasm's HDF5 diagnostics, geotiff warnings) is captured, not shown, and its first line becomes the
 *   error's hint.
 *
 * @example
 *   const bytes = readInputFile(path, '--experiment', 'a TIFF file');
 *   const stack = await guardedRead('--experiment', path, 'a TIFF file', () => decodeTiff(bytes, path));
 */
import { readFileSync, statSync } from 'node:fs';
import { InputError } from './errors.js';
import { formatBytes, memoryBudget } from './guard.js';

/**
 * Reads a whole input file. Throws InputError naming `field` when it does not exist, is a folder or device, or
 * holds more than `maxBytes` (default: half the memory budget, since decoding needs room too).
 */
export function readInputFile(path: string, field: string, what: string, o: { maxBytes?: number } = {}): Buffer {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(field, path, `an existing ${what}`, code === 'ENOENT' ? 'no such file' : code);
  }
  if (st.isDirectory()) throw new InputError(field, path, what, 'it is a folder');
  if (!st.isFile()) throw new InputError(field, path, what, 'not a regular file');
  const max = o.maxBytes ?? memoryBudget().usable_B / 2;
  if (st.size > max) throw new InputError(field, path, `${what} of at most ${formatBytes(max)}`, `it holds ${formatBytes(st.size)}`);
  try {
    return readFileSync(path);
  } catch (e) {
    throw new InputError(field, path, `a readable ${what}`, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
}

/**
 * Throws InputError unless a size declared by a file's header (`declared` bytes, or elements × element size) fits in
 * the `available` bytes the file holds from that point. Call before allocating anything of that size.
 */
export function checkDeclared(field: string, declared: number, available: number, what: string): void {
  if (Number.isFinite(declared) && declared >= 0 && declared <= available) return;
  throw new InputError(field, `${what} of ${Number.isFinite(declared) ? formatBytes(declared) : String(declared)}`, `at most the ${formatBytes(Math.max(0, available))} the file holds`, 'the file is truncated or its header is corrupt');
}

/** A short, single-line reason from any thrown value (no stack, no paths of our sources). */
export function shortReason(e: unknown, captured = ''): string {
  let m = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError && /array|buffer|allocation|length/i.test(m)) m = `declares a size that cannot be allocated (${m})`;
  const line = (m.split('\n').find((l) => l.trim() !== '') ?? '').trim();
  const diag = captured
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /minor:|error|fail|unable/i.test(l) && !/^#\d+/.test(l));
  const r = line || diag || (e instanceof Error ? e.name : 'unreadable');
  return r.length > 160 ? `${r.slice(0, 157)}...` : r;
}

let silenced = 0;
let captured = '';
let restore: (() => void) | undefined;

function silence(): void {
  if (silenced++ > 0) return;
  captured = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  const con = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
  const sink = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    if (captured.length < 16384) captured += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    cb?.();
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = sink;
  process.stderr.write = sink;
  const line = (...a: unknown[]): void => void sink(`${a.map(String).join(' ')}\n`);
  Object.assign(console, { log: line, info: line, warn: line, error: line, debug: line });
  restore = () => {
    process.stdout.write = out;
    process.stderr.write = err;
    Object.assign(console, con);
  };
}

function unsilence(): string {
  const c = captured;
  if (--silenced === 0) {
    restore?.();
    restore = undefined;
    captured = '';
  }
  return c;
}

function toInputError(e: unknown, field: string, value: unknown, what: string, diag: string): InputError {
  if (e instanceof InputError) return e;
  return new InputError(field, value, what, shortReason(e, diag));
}

/**
 * Runs reader `fn`, turning any failure into an InputError (field, value, `what` is allowed, a one-line reason) and
 * keeping whatever third-party code prints meanwhile off the terminal. InputErrors pass through unchanged.
 */
export async function guardedRead<T>(field: string, value: unknown, what: string, fn: () => Promise<T> | T): Promise<T> {
  silence();
  let diag = '';
  try {
    const r = await fn();
    diag = unsilence();
    return r;
  } catch (e) {
    diag = unsilence();
    throw toInputError(e, field, value, what, diag);
  }
}

/** Synchronous {@link guardedRead}. */
export function guardedReadSync<T>(field: string, value: unknown, what: string, fn: () => T): T {
  silence();
  try {
    const r = fn();
    unsilence();
    return r;
  } catch (e) {
    const diag = unsilence();
    throw toInputError(e, field, value, what, diag);
  }
}
