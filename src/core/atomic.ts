import { constants, mkdirSync, renameSync, rmSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { type FileHandle, mkdir, rename, rm, open } from 'node:fs/promises';
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

/** Options of writeFileAtomic. */
export interface WriteAtomicOptions {
  /**
   * Write the data's 4096-byte-aligned prefix with O_DIRECT (Linux), bypassing the page cache, and the rest after it
   * normally; the same bytes on disk. For large buffers written once and not read back soon (dataset bundles): the
   * kernel's copy into fresh page-cache pages cost 20–170 ms of system CPU per 73 MB on the 2-core VM the benchmarks
   * run on, O_DIRECT 6–9 ms. Needs the data's address aligned (a WebAssembly.Memory buffer is; see
   * pageAlignedBytes): anything the kernel refuses (misaligned data, a file system without O_DIRECT) falls back to
   * the plain write, and a directory that refused is not tried again.
   */
  readonly direct?: boolean;
}

/** Directories where an O_DIRECT write failed (not tried again in this process). */
const noDirect = new Set<string>();
const DIRECT_BLOCK = 4096;

/**
 * Write `data` to `path` atomically (asynchronous). Creates the parent directory. The data go down in one write call
 * (repeated only for a partial write) and are flushed on the same handle: fs/promises writeFile issues a large buffer
 * in 512 KiB chunks, each a round trip through the event loop, so a 73 MB dataset bundle written while the same
 * thread generates the next one (it yields every few samples) took ~146 turns and held the generator ~0.2 s per bundle.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, o: WriteAtomicOptions = {}): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = tempPath(path);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const O_DIRECT = constants.O_DIRECT;
    if (o.direct && O_DIRECT !== undefined && bytes.byteLength >= DIRECT_BLOCK && !noDirect.has(dir)) {
      const r = await writeDirect(tmp, bytes, O_DIRECT);
      if (r === 'written') {
        await rename(tmp, path);
        return;
      }
      if (r === 'no O_DIRECT') noDirect.add(dir);
    }
    const fh = await open(tmp, 'w');
    try {
      await writeAll(fh, bytes, 0, bytes.byteLength, tmp);
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

async function writeAll(fh: FileHandle, bytes: Uint8Array, from: number, to: number, name: string, block = 1): Promise<void> {
  for (let o = from; o < to;) {
    const { bytesWritten } = await fh.write(bytes, o, to - o, o);
    if (bytesWritten <= 0 || bytesWritten % block !== 0) throw new Error(`writeFileAtomic: short write to ${name} at byte ${o} of ${to}`);
    o += bytesWritten;
  }
}

/**
 * The aligned prefix of `bytes` to `tmp` with O_DIRECT, the tail through a second, plain handle, then fsync. When the
 * kernel refuses the open ('no O_DIRECT': the file system) or a write ('refused': e.g. misaligned data), `tmp` is
 * removed and the caller writes the file the plain way.
 */
async function writeDirect(tmp: string, bytes: Uint8Array, O_DIRECT: number): Promise<'written' | 'no O_DIRECT' | 'refused'> {
  const aligned = bytes.byteLength - (bytes.byteLength % DIRECT_BLOCK);
  let fd: FileHandle;
  try {
    fd = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | O_DIRECT, 0o666);
  } catch {
    await rm(tmp, { force: true });
    return 'no O_DIRECT';
  }
  try {
    await writeAll(fd, bytes, 0, aligned, tmp, DIRECT_BLOCK);
  } catch {
    await fd.close();
    await rm(tmp, { force: true });
    return 'refused';
  }
  await fd.close();
  const fh = await open(tmp, 'r+');
  try {
    await writeAll(fh, bytes, aligned, bytes.byteLength, tmp);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return 'written';
}

/**
 * n bytes at a page-aligned address where the platform allows (the memory of a WebAssembly.Memory; `shared`: over a
 * SharedArrayBuffer), for writeFileAtomic's `direct` writes; otherwise a plain (or SharedArrayBuffer) Uint8Array.
 */
export function pageAlignedBytes(n: number, shared = false): Uint8Array {
  const pages = Math.ceil(n / 65536);
  const Memory = (globalThis as { WebAssembly?: { Memory: new (d: { initial: number; maximum: number; shared: boolean }) => { buffer: ArrayBufferLike } } }).WebAssembly?.Memory;
  if (Memory && pages >= 1 && pages <= 65535) {
    try {
      return new Uint8Array(new Memory({ initial: pages, maximum: pages, shared }).buffer, 0, n);
    } catch {
      // fall through (no memory of that size: the plain allocation below)
    }
  }
  return new Uint8Array(shared ? new SharedArrayBuffer(n) : new ArrayBuffer(n));
}
