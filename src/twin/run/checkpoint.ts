/**
 * Resumable outputs: a run's checkpoint records (src/twin/simulate CheckpointSink) live in
 * `<out>/.partial/` as `record-NNNN-<kind>-fFFF.bin` (kmc: a replica's frames up to FFF; image: frame
 * FFF), each written atomically, next to `state.json` naming the
 * run's inputs. A run killed at any moment resumes from its records with the same bytes; the folder
 * goes once the outputs are written. The same layout serves `run` and `kmc`.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../../core/index.js';
import type { RecordInfo } from '../simulate/index.js';

/** A key identifying a run's inputs (JSON-able parts). */
export function runKey(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

/** The `.partial/` folder of an output folder. */
export class PartialRun {
  readonly dir: string;
  constructor(outDir: string) {
    this.dir = join(outDir, '.partial');
  }

  /** The records of a resumable partial run with this key (in order), or undefined. */
  load(key: string): Uint8Array[] | undefined {
    const p = join(this.dir, 'state.json');
    if (!existsSync(p)) return undefined;
    try {
      if ((JSON.parse(readFileSync(p, 'utf8')) as { key?: string }).key !== key) return undefined;
    } catch {
      return undefined;
    }
    const out: Uint8Array[] = [];
    for (const [i, f] of this.files().entries()) {
      if (f.index !== i) break; // a gap: later records cannot be used
      out.push(new Uint8Array(readFileSync(join(this.dir, f.name))));
    }
    return out;
  }

  private fresh: string | undefined;

  /**
   * Start afresh for `key`: any other partial run is dropped, lazily, when the first record is saved
   * (so a run refused for bad input writes and deletes nothing).
   */
  start(key: string): void {
    this.fresh = key;
  }

  /** Record files present, by index: name, index, kind. */
  files(): { name: string; index: number; kind: string }[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .map((name) => /^record-(\d{4,})-(kmc|image)-f\d+\.bin$/.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ name: m[0], index: Number(m[1]), kind: m[2]! }))
      .sort((a, b) => a.index - b.index);
  }

  /** Save record `index` atomically. */
  save(record: Uint8Array, index: number, info: RecordInfo): void {
    if (this.fresh !== undefined) {
      this.clear();
      mkdirSync(this.dir, { recursive: true });
      writeFileAtomicSync(join(this.dir, 'state.json'), JSON.stringify({ key: this.fresh }));
      this.fresh = undefined;
    }
    writeFileAtomicSync(join(this.dir, `record-${String(index).padStart(4, '0')}-${info.kind}-f${String(info.frame).padStart(3, '0')}.bin`), record);
  }

  clear(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
