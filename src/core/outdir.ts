/**
 * Output paths and folders, made safe before and during the work:
 *
 * - `checkOutPath(path, 'dir' | 'file')`: before any work, checks that the path can be created and written and is of
 *   the right kind (a folder where a folder is expected, a file path otherwise), creating nothing. Refusals are
 *   InputErrors naming the option (`--out`).
 * - `lockOutDir(dir, command)`: a lock file `.cathode-twin.lock` (pid, host, start time, command) so that a second
 *   writer is refused with a message naming the holder; a lock left by a dead process on this host is taken over.
 *   Stray temporaries of killed atomic writes (`.name.tmp-<pid>-<hex>`) are removed once the lock is held. The
 *   lock is released on exit (also on SIGINT/SIGTERM); a folder the lock created is removed again if it stays empty.
 * - `OutputStage`: kill-safe commits of a set of output files. Files are written under `<dir>/.staging/`, then a
 *   journal lists them and they are renamed into place; a run killed during the renames rolls forward on the next
 *   start, and files of the previous result that the new one does not have are removed, so a folder never mixes two
 *   results. The committed list is kept in `<dir>/.cathode-twin-files`.
 *
 * @example
 *   const out = checkOutPath(a.out, 'dir');            // before parsing big inputs or computing
 *   const lock = lockOutDir(out, 'run tiny');          // refuses a second writer (exit 2)
 *   try {
 *     const stage = OutputStage.open(out);
 *     await writeFileAtomic(stage.path('summary.json'), text);
 *     stage.commit();
 *   } finally { lock.release(); }
 */
import { closeSync, existsSync, linkSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeFileAtomicSync } from './atomic.js';
import { InputError } from './errors.js';

/** What an output path must be. */
export type OutKind = 'file' | 'dir';

const errCode = (e: unknown): string => ((e as NodeJS.ErrnoException)?.code ?? (e as Error)?.message ?? String(e));

function statOrUndefined(p: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(p);
  } catch (e) {
    const c = errCode(e);
    if (c === 'ENOENT') return undefined;
    if (c === 'ENOTDIR') throw Object.assign(new Error(c), { code: c });
    throw e;
  }
}

/** Creates and removes a probe file in `dir`; returns the error code on failure. */
function probeWritable(dir: string): string | undefined {
  const probe = join(dir, `.cathode-twin-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
    return undefined;
  } catch (e) {
    return errCode(e);
  }
}

/**
 * Checks, before any work, that `path` can be written as a `kind` (a folder, or a file written beside its parent
 * folder): an existing path must be of that kind, the nearest existing ancestor must be a folder, and a probe file
 * must be creatable there. Creates nothing. Returns the absolute path. Throws InputError naming `field`.
 */
export function checkOutPath(path: string, kind: OutKind, field = '--out'): string {
  const want = kind === 'dir' ? 'a folder that can be created and written' : 'a file path in a folder that can be created and written';
  if (typeof path !== 'string' || path.trim() === '') throw new InputError(field, path, want);
  if (path.includes('\0')) throw new InputError(field, path, `${want} (no NUL characters)`);
  const abs = resolve(path);
  let st;
  try {
    st = statOrUndefined(abs);
  } catch (e) {
    // ENOTDIR: some ancestor is a file.
    throw new InputError(field, path, want, `${firstFileAncestor(abs) ?? 'a parent'} is a file, not a folder`);
  }
  if (st) {
    if (kind === 'dir' && !st.isDirectory()) throw new InputError(field, path, want, 'it exists and is a file, not a folder');
    if (kind === 'file' && st.isDirectory()) throw new InputError(field, path, want, 'it exists and is a folder, not a file');
    const dir = kind === 'dir' ? abs : dirname(abs);
    const code = probeWritable(dir);
    if (code) throw new InputError(field, path, want, `cannot write in ${dir}: ${code}`);
    return abs;
  }
  // Not there yet: the nearest existing ancestor must be a writable folder.
  let anc = dirname(abs);
  for (;;) {
    const s = statOrUndefined(anc);
    if (s) {
      if (!s.isDirectory()) throw new InputError(field, path, want, `${anc} is a file, not a folder`);
      break;
    }
    const up = dirname(anc);
    if (up === anc) throw new InputError(field, path, want, 'no existing parent folder');
    anc = up;
  }
  const code = probeWritable(anc);
  if (code) throw new InputError(field, path, want, `cannot create it in ${anc}: ${code}`);
  return abs;
}

function firstFileAncestor(abs: string): string | undefined {
  const parts = abs.split(sep);
  for (let i = 2; i <= parts.length; i++) {
    const p = parts.slice(0, i).join(sep) || sep;
    try {
      if (!statSync(p).isDirectory()) return p;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Lock

/** Name of the lock file inside an output folder. */
export const LOCK_FILE = '.cathode-twin.lock';

/** What a lock file records. */
export interface LockInfo {
  readonly pid: number;
  readonly host: string;
  /** ISO time the holder took the lock. */
  readonly started: string;
  /** The holder's command line (verb and main arguments). */
  readonly command: string;
}

/** A held lock. */
export interface OutLock {
  readonly dir: string;
  readonly path: string;
  readonly info: LockInfo;
  /** Releases the lock (idempotent); removes the folder if the lock created it and it is empty. */
  release(): void;
}

function readLock(path: string): LockInfo | undefined {
  try {
    const j = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
    return typeof j.pid === 'number' && typeof j.host === 'string' ? j : undefined;
  } catch {
    return undefined;
  }
}

/** True when `pid` is a live process on this host (a different program under a reused pid counts as dead). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if (errCode(e) === 'ESRCH') return false;
  }
  // Linux: a pid reused by another program is not our holder.
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmd !== '' && !/node|tsx|cathode-twin|vitest/.test(cmd)) return false;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/\)\s+Z\s/.test(stat)) return false; // zombie: dead, not yet reaped
  } catch {
    /* no /proc: trust kill(0) */
  }
  return true;
}

const held = new Map<string, OutLock>();
let exitHooked = false;
function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    for (const l of [...held.values()]) l.release();
  });
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(sig, () => {
      for (const l of [...held.values()]) l.release();
      process.exit(code);
    });
  }
}

function describeHolder(h: LockInfo | undefined): string {
  if (!h) return 'another process (unreadable lock)';
  return `pid ${h.pid} on ${h.host} since ${h.started} (${h.command})`;
}

/**
 * Takes the lock of output folder `dir` (created if needed) for `command`. Throws InputError naming `field` when a
 * live process holds it (its pid, host, start time and command in the message). A lock left by a dead process on
 * this host is taken over. Once held, stray temporaries of killed atomic writes in the folder are removed.
 */
export function lockOutDir(dir: string, command: string, field = '--out'): OutLock {
  const abs = resolve(dir);
  const created = !existsSync(abs);
  try {
    mkdirSync(abs, { recursive: true });
  } catch (e) {
    throw new InputError(field, dir, 'a folder that can be created and written', `${errCode(e)}`);
  }
  const path = join(abs, LOCK_FILE);
  const info: LockInfo = { pid: process.pid, host: hostname(), started: new Date().toISOString(), command };
  const text = `${JSON.stringify(info)}\n`;
  const removeIfCreated = (): void => {
    if (created) {
      try {
        rmdirSync(abs);
      } catch {
        /* not empty */
      }
    }
  };
  for (let attempt = 0; ; attempt++) {
    // Write the whole record to a temporary, then hard-link it into place: the link fails if a lock exists, and a
    // reader never sees a half-written lock.
    const tmp = join(abs, `.cathode-twin.lock.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
    writeFileSync(tmp, text);
    let got = false;
    try {
      linkSync(tmp, path);
      got = true;
    } catch (e) {
      if (errCode(e) !== 'EEXIST') {
        try {
          writeFileSync(path, text, { flag: 'wx' }); // file systems without hard links
          got = true;
        } catch (e2) {
          if (errCode(e2) !== 'EEXIST') {
            rmSync(tmp, { force: true });
            removeIfCreated();
            throw new InputError(field, dir, 'a folder that can be written', `cannot create ${LOCK_FILE}: ${errCode(e2)}`);
          }
        }
      }
    } finally {
      rmSync(tmp, { force: true });
    }
    if (got) break;
    const holder = readLock(path);
    const stale = holder ? holder.host === info.host && !processAlive(holder.pid) : lockAge_s(path) > 60;
    if (!stale || attempt >= 5) {
      throw new InputError(
        field,
        dir,
        'a folder no other cathode-twin process is writing',
        `locked by ${describeHolder(holder)}; wait for it to finish or choose another ${field}${holder && holder.host !== info.host ? `; if that run is gone, delete ${path}` : ''}`,
      );
    }
    // Stale: move it aside (atomic, so only one taker wins), check we moved the stale one, and retry.
    const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      renameSync(path, aside);
    } catch {
      continue; // someone else took it over first
    }
    const moved = readLock(aside);
    if (moved && holder && (moved.pid !== holder.pid || moved.started !== holder.started)) {
      // We moved a fresh lock another taker had just made: put it back (link fails if a third one exists).
      try {
        linkSync(aside, path);
      } catch {
        /* ignore */
      }
    }
    rmSync(aside, { force: true });
  }
  removeStrayTemporaries(abs);
  let released = false;
  const lock: OutLock = {
    dir: abs,
    path,
    info,
    release: () => {
      if (released) return;
      released = true;
      held.delete(path);
      const now = readLock(path);
      if (now && now.pid === info.pid && now.started === info.started) rmSync(path, { force: true });
      removeIfCreated();
    },
  };
  held.set(path, lock);
  hookExit();
  return lock;
}

function lockAge_s(path: string): number {
  try {
    return (Date.now() - statSync(path).mtimeMs) / 1000;
  } catch {
    return Infinity;
  }
}

/** Pattern of the temporaries left by killed atomic writes, probes and lock attempts. */
const STRAY = /^\.cathode-twin\.lock\.(?:tmp|stale)-(\d+)-[0-9a-f]{8}$|^\.cathode-twin-probe-(\d+)-[0-9a-f]{8}$|^\..+\.tmp-(\d+)-[0-9a-f]{8}$/;

/**
 * Removes, below `dir`, temporaries left by killed atomic writes (`.name.tmp-<pid>-<hex>`) whose writer is gone.
 * Call it while holding the folder's lock. Returns the removed paths (relative to `dir`).
 */
export function removeStrayTemporaries(dir: string): string[] {
  const removed: string[] = [];
  const walk = (d: string, depth: number): void => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      const m = STRAY.exec(n);
      if (m) {
        // Holding the lock, every other writer's temporary is stale; a contender's lock attempt only once it is gone.
        const pid = Number(m[1] ?? m[2] ?? m[3]);
        if (pid === process.pid || (m[1] !== undefined && processAlive(pid))) continue;
        rmSync(p, { force: true, recursive: true });
        removed.push(relative(dir, p));
        continue;
      }
      if (depth < 4) {
        try {
          if (statSync(p).isDirectory()) walk(p, depth + 1);
        } catch {
          /* vanished */
        }
      }
    }
  };
  walk(dir, 0);
  return removed;
}

// ---------------------------------------------------------------------------------------------------------------
// Staged commit

/** The staging folder inside an output folder. */
export const STAGING_DIR = '.staging';
/** The committed file list of an output folder. */
export const FILES_RECORD = '.cathode-twin-files';
const JOURNAL = '.commit';

function readList(path: string): string[] | undefined {
  try {
    const j = JSON.parse(readFileSync(path, 'utf8')) as { files?: unknown };
    return Array.isArray(j.files) && j.files.every((f) => typeof f === 'string') ? (j.files as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/** A set of output files written aside and committed together (see module doc). Hold the folder's lock. */
export class OutputStage {
  private readonly staged = new Set<string>();
  private constructor(readonly dir: string, readonly stagingDir: string) {}

  /**
   * Opens the staging area of `dir`: a commit interrupted by a kill is finished first (roll forward), and files
   * staged by an interrupted run that never reached its commit are discarded.
   */
  static open(dir: string): OutputStage {
    const abs = resolve(dir);
    const staging = join(abs, STAGING_DIR);
    OutputStage.recover(abs);
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    return new OutputStage(abs, staging);
  }

  /** Finishes a commit interrupted by a kill (if any); removes an uncommitted staging folder. */
  static recover(dir: string): void {
    const abs = resolve(dir);
    const staging = join(abs, STAGING_DIR);
    const journal = join(staging, JOURNAL);
    if (existsSync(journal)) {
      const files = readList(journal);
      const previous = readList(join(abs, FILES_RECORD)) ?? [];
      if (files) OutputStage.apply(abs, staging, files, previous);
    }
    rmSync(staging, { recursive: true, force: true });
  }

  /** Path at which to write output file `rel` (relative to the folder); its parent folders are created. */
  path(rel: string): string {
    const norm = relative(this.dir, resolve(this.dir, rel));
    if (norm.startsWith('..') || norm === '' || norm.split(sep)[0] === STAGING_DIR) throw new Error(`output file outside its folder: ${rel}`);
    this.staged.add(norm.split(sep).join('/'));
    const p = join(this.stagingDir, norm);
    mkdirSync(dirname(p), { recursive: true });
    return p;
  }

  /** Moves every staged file into place atomically as a set; removes files of the previous result not in this one. */
  commit(): string[] {
    const files = [...this.staged].filter((f) => existsSync(join(this.stagingDir, f))).sort();
    const previous = readList(join(this.dir, FILES_RECORD)) ?? [];
    writeFileAtomicSync(join(this.stagingDir, JOURNAL), `${JSON.stringify({ files })}\n`);
    OutputStage.apply(this.dir, this.stagingDir, files, previous);
    rmSync(this.stagingDir, { recursive: true, force: true });
    return files;
  }

  /** Discards the staged files. */
  abort(): void {
    rmSync(this.stagingDir, { recursive: true, force: true });
  }

  private static apply(dir: string, staging: string, files: readonly string[], previous: readonly string[]): void {
    for (const f of files) {
      const from = join(staging, f);
      if (!existsSync(from)) continue; // already moved before a kill
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      renameSync(from, join(dir, f));
    }
    const keep = new Set(files);
    for (const f of previous) {
      if (keep.has(f)) continue;
      const p = resolve(dir, f);
      if (!p.startsWith(dir + sep)) continue;
      rmSync(p, { force: true });
      // Remove folders the old result leaves empty (frames/), never the output folder itself.
      for (let d = dirname(p); d !== dir && d.startsWith(dir + sep); d = dirname(d)) {
        try {
          rmdirSync(d);
        } catch {
          break;
        }
      }
    }
    writeFileAtomicSync(join(dir, FILES_RECORD), `${JSON.stringify({ files })}\n`);
  }
}
