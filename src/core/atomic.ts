import { mkdirSync, renameSync, rmSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { mkdir, rename, rm, writeFile, open } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Atomic file writes: data go to a temporary file beside the target, are flushed, then renamed
 * over the target. A reader never sees a half-written file; a killed run leaves at most a
 * stray `.tmp-*` file, never a truncated output.
 */

/** 4 hex digits naming this host in temporary names, so a cleaner can tell its own host's strays from another's. */
export const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 4);

/** The unique tail of a temporary name: `<pid>-<host tag><4 random hex>`. */
export function tempSuffix(): string {
  return `${process.pid}-${HOST_TAG}${randomBytes(2).toString('hex')}`;
}

function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${tempSuffix()}`);
}

/** Write `data` to `path` atomically (synchronous). Creates the parent directory. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPath(path);
  try {
    writeFileSync(tmp, data);
    const fd = openSync(tmp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Write `data` to `path` atomically (asynchronous). Creates the parent directory. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempPath(path);
  try {
    await writeFile(tmp, data);
    const fh = await open(tmp, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
