/** JSON metadata sidecars (pretty-printed, atomically written, typed arrays as plain arrays). */
import { writeFileAtomic } from '../../core/atomic.js';

/** JSON.stringify replacer: typed arrays → arrays, non-finite numbers → null. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

/** Write `obj` as pretty JSON (2-space indent, trailing newline) atomically. */
export async function writeJsonSidecar(path: string, obj: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(obj, jsonReplacer, 2) + '\n');
}
