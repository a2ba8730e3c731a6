/**
 * Resumable runs: finished frames and the KMC state live in `<out>/.partial/` until the run
 * completes. Each frame's files are written atomically, then the KMC checkpoint, then
 * state.json (the commit point), so a run killed at any moment resumes from its last frame.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../../core/index.js';

/** One finished frame as stored. */
export interface StoredFrame {
  index: number;
  time_s: number;
  temperature_K: number;
  dose_ePerA2: number;
  events: number;
  observables: Record<string, number>;
  width: number;
  height: number;
  sampling_A: number;
  samplingY_A: number;
  origin_A: [number, number];
  drift_px: [number, number][];
  measured_px: [number, number][];
}

/** The commit record. */
export interface RunState {
  key: string;
  framesDone: number;
  events: number;
  timings_s: Record<string, number>;
  contrast0?: Record<string, number>;
}

/** A key identifying a run's inputs: scenario (SI), seed, imaging mode, KMC stage. */
export function runKey(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

export class PartialRun {
  readonly dir: string;
  constructor(outDir: string) {
    this.dir = join(outDir, '.partial');
  }

  /** The state if a resumable partial run with this key exists. */
  load(key: string): RunState | undefined {
    const p = join(this.dir, 'state.json');
    if (!existsSync(p)) return undefined;
    try {
      const s = JSON.parse(readFileSync(p, 'utf8')) as RunState;
      return s.key === key ? s : undefined;
    } catch {
      return undefined;
    }
  }

  clear(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private name(i: number): string {
    return join(this.dir, `frame-${String(i).padStart(4, '0')}`);
  }

  saveFrame(f: StoredFrame, image: Float32Array): void {
    writeFileAtomicSync(`${this.name(f.index)}.f32`, new Uint8Array(image.buffer, image.byteOffset, image.byteLength));
    writeFileAtomicSync(`${this.name(f.index)}.json`, JSON.stringify(f));
  }

  loadFrame(i: number): { frame: StoredFrame; image: Float32Array } {
    const frame = JSON.parse(readFileSync(`${this.name(i)}.json`, 'utf8')) as StoredFrame;
    const b = readFileSync(`${this.name(i)}.f32`);
    const image = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    return { frame, image };
  }

  saveKmc(bytes: Uint8Array): void {
    writeFileAtomicSync(join(this.dir, 'kmc.ckpt'), bytes);
  }

  loadKmc(): Uint8Array | undefined {
    const p = join(this.dir, 'kmc.ckpt');
    return existsSync(p) ? new Uint8Array(readFileSync(p)) : undefined;
  }

  commit(s: RunState): void {
    writeFileAtomicSync(join(this.dir, 'state.json'), JSON.stringify(s));
  }
}
