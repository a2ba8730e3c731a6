/**
 * Resumable outputs: a run's checkpoint records (src/twin/simulate CheckpointSink) live in
 * `<out>/.partial/` as `record-NNNN-<kind>-fFFF.bin` (kmc: a replica's frames up to FFF; image: frame
 * FFF), each written atomically, next to `state.json` recording the run's inputs (scenario hash,
 * seed, replicas, version, …): a resume with other inputs is refused naming the option that differs. A run killed at any moment resumes from its records with the same bytes; the folder
 * goes once the outputs are written. The same layout serves `run` and `kmc`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, checkRecordedInputs, writeFileAtomicSync, type ExpectedInput, type InputValue } from '../../core/index.js';
import type { RecordInfo } from '../simulate/index.js';

/** What a partial run records of its inputs (a scenario hash, the seed, …), checked field by field on --resume. */
export type RunInputs = Readonly<Record<string, InputValue>>;

/** The `.partial/` folder of an output folder. */
export class PartialRun {
  readonly dir: string;
  constructor(outDir: string) {
    this.dir = join(outDir, '.partial');
  }

  /**
   * The records of the partial run in this folder (in order), or undefined when there is none. A partial run
   * started with other inputs is refused: InputError naming the option that differs (`--seed: got 99; allowed: 7,
   * the seed of the run checkpointed in …`), never silently continued or silently dropped.
   */
  load(expected: Readonly<Record<string, ExpectedInput>>): Uint8Array[] | undefined {
    const p = join(this.dir, 'state.json');
    if (!existsSync(p)) return undefined;
    let inputs: Record<string, unknown>;
    try {
      inputs = (JSON.parse(readFileSync(p, 'utf8')) as { inputs: Record<string, unknown> }).inputs;
      if (!inputs || typeof inputs !== 'object') throw new Error('no inputs');
    } catch {
      throw new InputError('--resume', this.dir, 'a partial run written by this version of cathode-twin', 'its state.json is unreadable: run without --resume to start over');
    }
    checkRecordedInputs(inputs, this.dir, expected);
    const out: Uint8Array[] = [];
    for (const [i, f] of this.files().entries()) {
      if (f.index !== i) break; // a gap: later records cannot be used
      out.push(new Uint8Array(readFileSync(join(this.dir, f.name))));
    }
    return out;
  }

  private fresh: RunInputs | undefined;

  /**
   * Start afresh with `inputs`: any other partial run is dropped, lazily, when the first record is saved
   * (so a run refused for bad input writes and deletes nothing).
   */
  start(inputs: RunInputs): void {
    this.fresh = inputs;
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
      writeFileAtomicSync(join(this.dir, 'state.json'), JSON.stringify({ inputs: this.fresh }));
      this.fresh = undefined;
    }
    writeFileAtomicSync(join(this.dir, `record-${String(index).padStart(4, '0')}-${info.kind}-f${String(info.frame).padStart(3, '0')}.bin`), record);
  }

  clear(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
