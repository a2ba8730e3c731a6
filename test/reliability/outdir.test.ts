/**
 * The output-folder mechanisms of src/core/outdir.ts: checks before work, the lock (live holder refused, dead holder's
 * lock taken over), stray temporaries, staged commits that survive a kill. ~3 s (one child process).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { inputErrorOf } from '../input-error.js';
import { describe, expect, it } from 'vitest';
import { FILES_RECORD, FileSet, HOST_TAG, LOCK_FILE, OutputStage, STAGING_DIR, checkOutPath, lockOutDir, processAlive, removeStrayTemporaries } from '../../src/core/index.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'ct-outdir-'));
const refusal = inputErrorOf;

describe('checkOutPath: before any work, creating nothing', () => {
  it('refuses a file where a folder is expected, a folder where a file is expected, and a path below a file', () => {
    const d = tmp();
    writeFileSync(join(d, 'afile'), 'x');
    mkdirSync(join(d, 'adir'));
    expect(refusal(() => checkOutPath(join(d, 'afile'), 'dir')).message).toMatch(/^--out: .*it exists and is a file, not a folder/);
    expect(refusal(() => checkOutPath(join(d, 'adir'), 'file')).message).toMatch(/it exists and is a folder, not a file/);
    expect(refusal(() => checkOutPath(join(d, 'afile', 'sub', 'x.tif'), 'file', '--out')).message).toMatch(/afile is a file, not a folder/);
    expect(refusal(() => checkOutPath('', 'dir')).field).toBe('--out');
    expect(readdirSync(d).sort()).toEqual(['adir', 'afile']); // nothing created, no probe left
  });

  it('accepts a new nested folder and an existing writable one without creating them', () => {
    const d = tmp();
    const p = join(d, 'a', 'b', 'c');
    expect(checkOutPath(p, 'dir')).toBe(p);
    expect(existsSync(join(d, 'a'))).toBe(false);
    expect(checkOutPath(d, 'dir')).toBe(d);
    expect(readdirSync(d)).toEqual([]);
  });

  it('refuses a location that cannot be written (a read-only file system)', () => {
    // /proc cannot hold new files even for root (chmod is no test when the suite runs as root).
    expect(refusal(() => checkOutPath('/proc/cathode-twin-test/out', 'dir')).message).toMatch(/cannot create it in \/proc/);
  });
});

describe('lockOutDir', () => {
  it('refuses a second writer naming the holder; releases; a released or dead holder\'s lock is taken', async () => {
    const d = tmp();
    const lock = lockOutDir(d, 'run tiny');
    const rec = JSON.parse(readFileSync(join(d, LOCK_FILE), 'utf8'));
    expect(rec).toMatchObject({ pid: process.pid, host: hostname(), command: 'run tiny' });
    const e = refusal(() => lockOutDir(d, 'run other'));
    expect(e.field).toBe('--out');
    expect(e.message).toContain(`locked by pid ${process.pid} on ${hostname()}`);
    expect(e.message).toContain('(run tiny)');
    lock.release();
    expect(existsSync(join(d, LOCK_FILE))).toBe(false);
    // A lock whose holder is dead (a finished process's pid) is stale and taken over.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    expect(processAlive(deadPid)).toBe(false);
    writeFileSync(join(d, LOCK_FILE), JSON.stringify({ pid: deadPid, host: hostname(), started: '2020-01-01T00:00:00Z', command: 'run killed' }));
    const l2 = lockOutDir(d, 'run again');
    expect(JSON.parse(readFileSync(join(d, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    l2.release();
    // Another host's lock cannot be checked: refused, with how to clear it.
    writeFileSync(join(d, LOCK_FILE), JSON.stringify({ pid: 1, host: 'elsewhere', started: '2020-01-01T00:00:00Z', command: 'run' }));
    expect(refusal(() => lockOutDir(d, 'x')).message).toMatch(/on elsewhere .*if that run is gone, delete .*\.cathode-twin\.lock/);
  });

  it('a lock held by a live process is refused; after kill -9 of that process it is taken over', async () => {
    const d = join(tmp(), 'out');
    const child = spawn(process.execPath, ['--import', 'tsx', '-e',
      `import { lockOutDir } from './src/core/outdir.ts'; lockOutDir(${JSON.stringify(d)}, 'holder'); process.stdout.write('held\\n'); setInterval(() => {}, 1000);`],
    { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((res) => child.stdout!.on('data', (b) => { if (String(b).includes('held')) res(); }));
    expect(refusal(() => lockOutDir(d, 'second')).message).toContain(`locked by pid ${child.pid}`);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const l = lockOutDir(d, 'after kill');
    expect(JSON.parse(readFileSync(join(d, LOCK_FILE), 'utf8')).command).toBe('after kill');
    l.release();
  });

  it('a folder the lock created is removed again when nothing was written (no empty folder after a refusal)', () => {
    const d = join(tmp(), 'new');
    lockOutDir(d, 'x').release();
    expect(existsSync(d)).toBe(false);
  });

  it('named locks let several writers share a folder (dataset shards): each name once; only dead same-host temporaries go', () => {
    const d = tmp();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(d, `.s000001.tif.tmp-${dead.stdout}-${HOST_TAG}beef`), 'dead writer of this host');
    writeFileSync(join(d, '.s000002.tif.tmp-4242-ffffbeef'), 'a writer on another host');
    const a = lockOutDir(d, 'dataset shard 0/2', '--out', { name: 'shard-0-of-2' });
    const b = lockOutDir(d, 'dataset shard 1/2', '--out', { name: 'shard-1-of-2' });
    expect(refusal(() => lockOutDir(d, 'again', '--out', { name: 'shard-0-of-2' })).message).toContain('(dataset shard 0/2)');
    expect(readdirSync(d).sort()).toEqual(['.cathode-twin.shard-0-of-2.lock', '.cathode-twin.shard-1-of-2.lock', '.s000002.tif.tmp-4242-ffffbeef']);
    a.release();
    b.release();
  });

  it('removes stray temporaries of killed atomic writes once held', () => {
    const d = tmp();
    mkdirSync(join(d, 'frames'));
    writeFileSync(join(d, 'frames', '.frame-001.png.tmp-999999-0a1b2c3d'), 'x');
    writeFileSync(join(d, '.summary.json.tmp-999998-deadbeef'), 'x');
    writeFileSync(join(d, 'keep.json'), 'x');
    const l = lockOutDir(d, 'x');
    expect(readdirSync(join(d, 'frames'))).toEqual([]);
    expect(readdirSync(d).sort()).toEqual([LOCK_FILE, 'frames', 'keep.json'].sort());
    expect(removeStrayTemporaries(d)).toEqual([]);
    l.release();
  });
});

describe('OutputStage: a set of files committed together', () => {
  it('replaces the previous result as a whole: its files the new one lacks are removed', () => {
    const d = tmp();
    writeFileSync(join(d, 'user-notes.txt'), 'not ours');
    let s = OutputStage.open(d);
    writeFileSync(s.path('summary.json'), 'old');
    writeFileSync(s.path('frames/frame-000-025C.png'), 'old0');
    writeFileSync(s.path('frames/frame-001-050C.png'), 'old1');
    s.commit();
    expect(JSON.parse(readFileSync(join(d, FILES_RECORD), 'utf8')).files).toEqual(['frames/frame-000-025C.png', 'frames/frame-001-050C.png', 'summary.json']);
    s = OutputStage.open(d);
    writeFileSync(s.path('summary.json'), 'new');
    writeFileSync(s.path('frames/frame-000-030C.png'), 'new0');
    s.commit();
    expect(readFileSync(join(d, 'summary.json'), 'utf8')).toBe('new');
    expect(readdirSync(join(d, 'frames'))).toEqual(['frame-000-030C.png']);
    expect(readFileSync(join(d, 'user-notes.txt'), 'utf8')).toBe('not ours');
    expect(existsSync(join(d, STAGING_DIR))).toBe(false);
  });

  it('a kill between the journal and the last rename is rolled forward; a kill before the journal leaves the old result', () => {
    const d = tmp();
    let s = OutputStage.open(d);
    writeFileSync(s.path('a.txt'), 'old-a');
    writeFileSync(s.path('b.txt'), 'old-b');
    s.commit();
    // Killed before the journal: staged files are discarded, the old result stays whole.
    s = OutputStage.open(d);
    writeFileSync(s.path('a.txt'), 'new-a');
    OutputStage.recover(d);
    expect([readFileSync(join(d, 'a.txt'), 'utf8'), readFileSync(join(d, 'b.txt'), 'utf8')]).toEqual(['old-a', 'old-b']);
    // Killed after the journal and one rename: the next start finishes the commit.
    s = OutputStage.open(d);
    writeFileSync(s.path('a.txt'), 'new-a');
    writeFileSync(s.path('c.txt'), 'new-c');
    writeFileSync(join(d, STAGING_DIR, '.commit'), JSON.stringify({ files: ['a.txt', 'c.txt'] }));
    renameSync(join(d, STAGING_DIR, 'a.txt'), join(d, 'a.txt'));
    OutputStage.recover(d);
    expect(readFileSync(join(d, 'a.txt'), 'utf8')).toBe('new-a');
    expect(readFileSync(join(d, 'c.txt'), 'utf8')).toBe('new-c');
    expect(existsSync(join(d, 'b.txt'))).toBe(false);
    expect(readdirSync(d).sort()).toEqual([FILES_RECORD, 'a.txt', 'c.txt']);
  });
});

describe('FileSet: a named set of files committed together in a folder shared with other files', () => {
  it('replaces only its own earlier files; a kill after the journal is rolled forward; dead writers\' temporaries of its files go, others stay', () => {
    const d = tmp();
    writeFileSync(join(d, 'user-notes.txt'), 'not ours');
    writeFileSync(join(d, 'other.png'), 'another image');
    let s = FileSet.open(d, 'image-x_tif', ['x.tif', 'x.png', 'x.json']);
    writeFileSync(s.path('x.tif'), 'old-tif');
    writeFileSync(s.path('x.png'), 'old-png');
    writeFileSync(s.path('x.json'), 'old-json');
    expect(s.commit()).toEqual(['x.json', 'x.png', 'x.tif']);
    // Killed after the journal and one rename (the .tif): the next open finishes the commit (probe-only run: json only).
    s = FileSet.open(d, 'image-x_tif', ['x.tif', 'x.png', 'x.json']);
    const tmpJson = s.path('x.json');
    writeFileSync(tmpJson, 'new-json');
    writeFileSync(join(d, '.cathode-twin.image-x_tif.commit'), JSON.stringify({ files: [[tmpJson.slice(d.length + 1), 'x.json']] }));
    // A dead writer's temporaries: one of this set's files (removed), one of another file (kept).
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(join(d, `.x.png.tmp-${dead}-${HOST_TAG}beef`), 'killed before the journal');
    writeFileSync(join(d, `.other.png.tmp-${dead}-${HOST_TAG}beef`), 'not this set');
    FileSet.open(d, 'image-x_tif', ['x.tif', 'x.png', 'x.json']);
    expect(readFileSync(join(d, 'x.json'), 'utf8')).toBe('new-json');
    expect(existsSync(join(d, 'x.tif')) || existsSync(join(d, 'x.png'))).toBe(false); // the new set has only x.json
    expect(readdirSync(d).sort()).toEqual([`.other.png.tmp-${dead}-${HOST_TAG}beef`, '.cathode-twin.image-x_tif.files', 'other.png', 'user-notes.txt', 'x.json'].sort());
    expect(FileSet.nameFor('image', '/a/b/my image.tiff')).toBe('image-my_image_tiff');
  });
});

describe('OutputStage: named sets', () => {
  it('a named set (analyse into a run\'s folder) replaces only its own earlier files, never the unnamed set\'s; a kill after its journal rolls forward into its own record', () => {
    const d = tmp();
    let run = OutputStage.open(d);
    writeFileSync(run.path('frames.tif'), 'run');
    writeFileSync(run.path('summary.json'), 'run');
    run.commit();
    let a = OutputStage.open(d, 'analyse');
    writeFileSync(a.path('analysis.json'), 'a1');
    writeFileSync(a.path('overlays/frame-000.png'), 'a1');
    a.commit();
    a = OutputStage.open(d, 'analyse');
    writeFileSync(a.path('analysis.json'), 'a2');
    // Killed after the journal, before any rename: the next open finishes it into the analyse record.
    writeFileSync(join(d, STAGING_DIR, '.commit'), JSON.stringify({ files: ['analysis.json'], set: 'analyse' }));
    OutputStage.recover(d);
    expect(readFileSync(join(d, 'analysis.json'), 'utf8')).toBe('a2');
    expect(existsSync(join(d, 'overlays'))).toBe(false);
    expect(readdirSync(d).sort()).toEqual(['.cathode-twin.analyse.files', FILES_RECORD, 'analysis.json', 'frames.tif', 'summary.json'].sort());
    // The unnamed set's next commit leaves analyse's files alone too.
    run = OutputStage.open(d);
    writeFileSync(run.path('summary.json'), 'run2');
    run.commit();
    expect(readdirSync(d).sort()).toEqual(['.cathode-twin.analyse.files', FILES_RECORD, 'analysis.json', 'summary.json'].sort());
  });
});
