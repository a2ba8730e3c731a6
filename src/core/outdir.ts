/**
 * Output paths and folders, made safe before and during the work:
 *
 * - `checkOutPath(path, 'dir' | 'file')`: before any work, checks that the path can be created and written and is of
 *   the right kind (a folder where a folder is expected, a file path otherwise), creating nothing. Refusals are
 *   InputErrors naming the option (`--out`).
 * - `lockOutDir(dir, command)`: a lock file `.cathode-twin.lock` (pid, host, start time, command) so that a second
 *   writer is refused with a message naming the holder; a lock left by a dead process on this host is taken over.
 *   Stray temporaries of killed atomic writes (`.name.tmp-<pid>-<hex>`) are removed once the lock is held. The
 *   lock is released on exit (also on SIGINT/SIGTERM); folders the lock created (and missing parents) are removed again if they stay empty.
 * - `OutputStage`: kill-safe commits of a set of output files. Files are written under `<dir>/.staging/`, then a
 *   journal lists them and they are renamed into place; a run killed during the renames rolls forward on the next
 *   start, and files of the previous result that the new one does not have are removed, so a folder never mixes two
 *   results. The committed list is kept in `<dir>/.cathode-twin-files`, or per named set (`open(dir, 'analyse')`) in
 *   `<dir>/.cathode-twin.<set>.files`, so that one verb's commit never removes another verb's files from a folder.
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
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { HOST_TAG, tempSuffix, writeFileAtomicSync } from './atomic.js';
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
  const probe = join(dir, `.cathode-twin-probe-${tempSuffix()}`);
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
  /** Releases the lock (idempotent); removes the folders it created (the output folder, missing parents) that are empty. */
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

/** Options of {@link lockOutDir}. */
export interface LockOptions {
  /**
   * A named lock (`.cathode-twin.<name>.lock`) for writers that share a folder, each with its own files (dataset
   * shards: `shard-0-of-4`): the same name is refused while held, other names are not. Without a name the lock is
   * the whole folder's.
   */
  readonly name?: string;
  /**
   * Remove stray temporaries below the folder once the lock is held (default true). A lock on a folder the command
   * does not own (the user's folder of an `image --out x.tif`) passes false and cleans only its own files' strays
   * (`FileSet.open`).
   */
  readonly sweep?: boolean;
}

/**
 * Takes the lock of output folder `dir` (created if needed) for `command`. Throws InputError naming `field` when a
 * live process holds it (its pid, host, start time and command in the message). A lock left by a dead process on
 * this host is taken over. Once held, stray temporaries of killed atomic writes in the folder are removed.
 */
export function lockOutDir(dir: string, command: string, field = '--out', o: LockOptions = {}): OutLock {
  const abs = resolve(dir);
  if (o.name !== undefined && !/^[\w-]{1,64}$/.test(o.name)) throw new Error(`lock name ${o.name}`);
  // The folders this lock creates (the output folder and any missing parents), deepest first.
  const created: string[] = [];
  for (let d = abs; !existsSync(d) && dirname(d) !== d; d = dirname(d)) created.push(d);
  try {
    mkdirSync(abs, { recursive: true });
  } catch (e) {
    throw new InputError(field, dir, 'a folder that can be created and written', `${errCode(e)}`);
  }
  const path = join(abs, o.name === undefined ? LOCK_FILE : `.cathode-twin.${o.name}.lock`);
  const info: LockInfo = { pid: process.pid, host: hostname(), started: new Date().toISOString(), command };
  const text = `${JSON.stringify(info)}\n`;
  const removeIfCreated = (): void => {
    for (const d of created) {
      try {
        rmdirSync(d);
      } catch {
        break; // not empty
      }
    }
  };
  for (let attempt = 0; ; attempt++) {
    // Write the whole record to a temporary, then hard-link it into place: the link fails if a lock exists, and a
    // reader never sees a half-written lock.
    const tmp = `${path}.tmp-${tempSuffix()}`;
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
            throw new InputError(field, dir, 'a folder that can be written', `cannot create ${basename(path)}: ${errCode(e2)}`);
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
    const aside = `${path}.stale-${tempSuffix()}`;
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
  if (o.sweep !== false) removeStrayTemporaries(abs, { exclusive: o.name === undefined });
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

/** Temporaries left by killed atomic writes, probes and lock attempts: their writer's pid and host tag. */
const STRAY = /^\.cathode-twin(?:\.[\w-]+)?\.lock\.(?:tmp|stale)-(\d+)-([0-9a-f]{4})[0-9a-f]{4}$|^\.cathode-twin-probe-(\d+)-([0-9a-f]{4})[0-9a-f]{4}$|^\..+\.tmp-(\d+)-([0-9a-f]{4})[0-9a-f]{4}$/;

/**
 * Removes, below `dir`, temporaries whose writer is gone: those of a dead process of this host, and, when the caller
 * holds the folder's exclusive lock (`exclusive`), every other process's (nobody else may write there). A shared
 * folder (named locks) keeps other hosts' temporaries. Returns the removed paths (relative to `dir`).
 */
export function removeStrayTemporaries(dir: string, o: { exclusive?: boolean; only?: (name: string) => boolean; maxDepth?: number } = {}): string[] {
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
      if (m && (o.only === undefined || o.only(n))) {
        const pid = Number(m[1] ?? m[3] ?? m[5]);
        const sameHost = (m[2] ?? m[4] ?? m[6]) === HOST_TAG;
        const lockAttempt = m[1] !== undefined;
        if (pid === process.pid && sameHost) continue;
        const gone = sameHost ? !processAlive(pid) : o.exclusive === true && !lockAttempt;
        if (!gone) continue;
        rmSync(p, { force: true, recursive: true });
        removed.push(relative(dir, p));
        continue;
      }
      if (depth < (o.maxDepth ?? 4)) {
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
/** The committed file list of an output folder (of its unnamed set; a named set `x` keeps `.cathode-twin.x.files`). */
export const FILES_RECORD = '.cathode-twin-files';
const JOURNAL = '.commit';

/** The record of set `set` (undefined: the folder's unnamed set, as `run` writes it). */
const recordOf = (dir: string, set: string | undefined): string => join(dir, set === undefined ? FILES_RECORD : `.cathode-twin.${set}.files`);

function readList(path: string): string[] | undefined {
  try {
    const j = JSON.parse(readFileSync(path, 'utf8')) as { files?: unknown };
    return Array.isArray(j.files) && j.files.every((f) => typeof f === 'string') ? (j.files as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A set of output files written aside and committed together (see module doc). Hold the folder's lock. A verb that
 * may write into another verb's folder (`analyse --out` a run's folder) names its set (`OutputStage.open(dir,
 * 'analyse')`): a commit replaces only the earlier files of the same set, never another verb's results.
 */
export class OutputStage {
  private constructor(readonly dir: string, readonly stagingDir: string, readonly set: string | undefined) {}

  /**
   * Opens the staging area of `dir` for set `set` (default: the folder's unnamed set): a commit interrupted by a kill
   * is finished first (roll forward), and files staged by an interrupted run that never reached its commit are
   * discarded.
   */
  static open(dir: string, set?: string): OutputStage {
    if (set !== undefined && !/^[\w-]{1,64}$/.test(set)) throw new Error(`output set name ${set}`);
    const abs = resolve(dir);
    const staging = join(abs, STAGING_DIR);
    OutputStage.recover(abs);
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    return new OutputStage(abs, staging, set);
  }

  /** Finishes a commit interrupted by a kill (if any); removes an uncommitted staging folder. */
  static recover(dir: string): void {
    const abs = resolve(dir);
    const staging = join(abs, STAGING_DIR);
    const journal = join(staging, JOURNAL);
    if (existsSync(journal)) {
      const files = readList(journal);
      let set: string | undefined;
      try {
        const named = (JSON.parse(readFileSync(journal, 'utf8')) as { set?: unknown }).set;
        set = typeof named === 'string' && /^[\w-]{1,64}$/.test(named) ? named : undefined;
      } catch {
        /* readList said it already */
      }
      const previous = readList(recordOf(abs, set)) ?? [];
      if (files) OutputStage.apply(abs, staging, files, previous, set);
    }
    rmSync(staging, { recursive: true, force: true });
  }

  /** Path at which to write output file `rel` (relative to the folder); its parent folders are created. */
  path(rel: string): string {
    const norm = relative(this.dir, resolve(this.dir, rel));
    if (norm.startsWith('..') || norm === '' || norm.split(sep)[0] === STAGING_DIR) throw new Error(`output file outside its folder: ${rel}`);
    const p = join(this.stagingDir, norm);
    mkdirSync(dirname(p), { recursive: true });
    return p;
  }

  /**
   * Moves every file in the staging folder (written through `path()`, or by any writer given `stagingDir` as its
   * output folder) into place as a set; removes files of the previous result not in this one. Returns the files.
   */
  commit(): string[] {
    const files: string[] = [];
    const walk = (d: string, rel: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (rel === '' && e.name === JOURNAL) continue;
        if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
        else if (!STRAY.test(e.name)) files.push(`${rel}${e.name}`);
      }
    };
    walk(this.stagingDir, '');
    files.sort();
    const previous = readList(recordOf(this.dir, this.set)) ?? [];
    writeFileAtomicSync(join(this.stagingDir, JOURNAL), `${JSON.stringify({ files, ...(this.set !== undefined ? { set: this.set } : {}) })}\n`);
    OutputStage.apply(this.dir, this.stagingDir, files, previous, this.set);
    rmSync(this.stagingDir, { recursive: true, force: true });
    return files;
  }

  /** Discards the staged files. */
  abort(): void {
    rmSync(this.stagingDir, { recursive: true, force: true });
  }

  private static apply(dir: string, staging: string, files: readonly string[], previous: readonly string[], set: string | undefined): void {
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
    writeFileAtomicSync(recordOf(dir, set), `${JSON.stringify({ files })}\n`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// A named set of files in a shared folder

/**
 * A named set of output files committed together in a folder the command does not own wholly (`image --out x.tif`
 * writes x.tif, x.png and x.json into the user's folder; `compare` writes into `.` by default). Each file is written
 * to a temporary beside its target (`path(rel)`); `commit()` writes a journal `.cathode-twin.<name>.commit` listing
 * them and renames them into place, so a kill during the renames is rolled forward by the next `open` of the same
 * name. Files of this name's previous set that the new one lacks are removed (`.cathode-twin.<name>.files`, the record
 * of a named OutputStage set); other files of the folder are never touched. Hold the lock of that name
 * (`lockOutDir(dir, …, { name, sweep: false })`). Unlike OutputStage it has no `.staging/` folder: writers of other
 * names may commit into the same folder at the same time (their named locks do not exclude each other), and
 * OutputStage.open clears the one staging folder.
 */
export class FileSet {
  private readonly staged = new Map<string, string>();

  private constructor(readonly dir: string, readonly name: string) {}

  /** Names a set after an output file: `image-<file name, [\w-] only>` (≤ 64 characters, a valid lock name). */
  static nameFor(prefix: string, file: string): string {
    return `${prefix}-${basename(file).replace(/[^\w-]/g, '_')}`.slice(0, 64);
  }

  /**
   * Opens set `name` in `dir`: an interrupted commit is finished, and stray temporaries of dead writers of this set's
   * files (`targets`, relative to `dir`, and those of its previous commit) are removed.
   */
  static open(dir: string, name: string, targets: readonly string[] = []): FileSet {
    if (!/^[\w-]{1,64}$/.test(name)) throw new Error(`file set name ${name}`);
    const abs = resolve(dir);
    FileSet.recover(abs, name);
    const files = [...targets, ...(readList(recordOf(abs, name)) ?? [])].map((f) => resolve(abs, f)).filter((f) => f.startsWith(abs + sep));
    const byDir = new Map<string, Set<string>>();
    for (const f of files) byDir.set(dirname(f), (byDir.get(dirname(f)) ?? new Set()).add(basename(f)));
    for (const [d, names] of byDir) {
      // `.x.tif.tmp-…` (this set's temporary) and `..x.tif.tmp-….tmp-…` (the atomic write of that temporary).
      removeStrayTemporaries(d, { maxDepth: 0, only: (n) => [...names].some((b) => n.startsWith(`.${b}.tmp-`) || n.startsWith(`..${b}.tmp-`)) });
    }
    return new FileSet(abs, name);
  }

  /** Finishes commit `name` of `dir` if a kill interrupted it. */
  static recover(dir: string, name: string): void {
    const abs = resolve(dir);
    const journal = join(abs, `.cathode-twin.${name}.commit`);
    if (!existsSync(journal)) return;
    let pairs: [string, string][] = [];
    try {
      pairs = (JSON.parse(readFileSync(journal, 'utf8')) as { files: [string, string][] }).files ?? [];
    } catch {
      /* a journal is written atomically: unreadable only if damaged; nothing to roll forward */
    }
    FileSet.apply(abs, name, pairs);
    rmSync(journal, { force: true });
  }

  /** Temporary path at which to write output `rel` (relative to the folder); its parent folders are created. */
  path(rel: string): string {
    const target = resolve(this.dir, rel);
    if (!target.startsWith(this.dir + sep)) throw new Error(`output file outside its folder: ${rel}`);
    mkdirSync(dirname(target), { recursive: true });
    const tmp = join(dirname(target), `.${basename(target)}.tmp-${tempSuffix()}`);
    this.staged.set(relative(this.dir, target), relative(this.dir, tmp));
    return tmp;
  }

  /** Renames the written files into place as a set (see class doc); returns them (relative to the folder). */
  commit(): string[] {
    const pairs = [...this.staged.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([target, tmp]) => [tmp, target] as [string, string]);
    const journal = join(this.dir, `.cathode-twin.${this.name}.commit`);
    writeFileAtomicSync(journal, `${JSON.stringify({ files: pairs })}\n`);
    FileSet.apply(this.dir, this.name, pairs);
    rmSync(journal, { force: true });
    this.staged.clear();
    return pairs.map(([, t]) => t);
  }

  /** Removes the temporaries written so far. */
  abort(): void {
    for (const tmp of this.staged.values()) rmSync(join(this.dir, tmp), { force: true });
    this.staged.clear();
  }

  private static apply(dir: string, name: string, pairs: readonly [string, string][]): void {
    for (const [tmp, target] of pairs) {
      const from = resolve(dir, tmp), to = resolve(dir, target);
      if (!from.startsWith(dir + sep) || !to.startsWith(dir + sep) || !existsSync(from)) continue; // moved before a kill
      renameSync(from, to);
    }
    const record = recordOf(dir, name);
    const keep = new Set(pairs.map(([, t]) => t));
    for (const f of readList(record) ?? []) {
      const p = resolve(dir, f);
      if (!keep.has(f) && p.startsWith(dir + sep)) rmSync(p, { force: true });
    }
    writeFileAtomicSync(record, `${JSON.stringify({ files: [...keep] })}\n`);
  }
}
