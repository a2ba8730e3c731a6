import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/index.js';
import { KmcEngine } from '../../src/kinetics/index.js';
import { killTestSetup } from './kill-setup.js';

describe('checkpoints survive kill -9', () => {
  it('a run killed with SIGKILL mid-ramp resumes from its last checkpoint file to the same final state as an uninterrupted run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmc-kill-'));
    const ck = join(dir, 'run.ckpt');
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/kinetics/kill-child.ts', ck], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    // wait until a few windows have been checkpointed, then kill -9
    const deadline = Date.now() + 60_000;
    let firstTime = NaN;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      if (!existsSync(ck)) continue;
      const t = KmcEngine.resume(killTestSetup().model, killTestSetup().program, new Uint8Array(readFileSync(ck)), { window_K: 2 }).time_s;
      if (Number.isNaN(firstTime)) firstTime = t;
      else if (t > firstTime) break;
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(out).not.toMatch(/finished/); // it really died mid-run

    const { model: resumed, program } = killTestSetup();
    const e = KmcEngine.resume(resumed, program, new Uint8Array(readFileSync(ck)), { window_K: 2 });
    expect(e.time_s).toBeGreaterThan(0);
    expect(e.time_s).toBeLessThan(program.duration_s);
    const before = e.events;
    e.run();
    expect(e.events - before).toBeGreaterThan(1000);

    const { model: full } = killTestSetup();
    new KmcEngine(full, program, { rng: Rng.stream(31), window_K: 2 }).run();
    expect(Buffer.from(resumed.snapshot()).equals(Buffer.from(full.snapshot()))).toBe(true);
  });
});
