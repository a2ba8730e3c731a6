import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pageAlignedBytes, writeFileAtomic } from '../../src/core/index.js';

// writeFileAtomic writes exactly the given bytes whichever way it takes: one plain write, or (direct) the 4096-byte
// aligned prefix with O_DIRECT and the tail plainly, falling back to the plain write when the kernel refuses (here a
// view one byte off the page boundary); no temporary file is left beside the target.
describe('writeFileAtomic', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atomic-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const fill = (b: Uint8Array): Uint8Array => { for (let i = 0; i < b.length; i++) b[i] = (i * 2654435761) >>> 24; return b; };

  it('gives the same bytes with direct (aligned, misaligned, shared, short, a string) as the data', async () => {
    const cases: [string, Uint8Array | string][] = [
      ['aligned.bin', fill(pageAlignedBytes(5 * 4096 + 123))],
      ['aligned-exact.bin', fill(pageAlignedBytes(3 * 4096))],
      ['shared.bin', fill(pageAlignedBytes(70_000, true))],
      ['misaligned.bin', fill(pageAlignedBytes(4 * 4096 + 7)).subarray(1)],
      ['short.bin', fill(pageAlignedBytes(100))],
      ['plain.bin', fill(new Uint8Array(9000))],
      ['text.json', `{"a": "${'x'.repeat(5000)}"}\n`],
    ];
    for (const [name, data] of cases) {
      await writeFileAtomic(join(dir, name), data, { direct: true });
      const want = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      expect(readFileSync(join(dir, name)).equals(want), name).toBe(true);
    }
    // Overwriting a longer file with a shorter one truncates it.
    await writeFileAtomic(join(dir, 'aligned.bin'), fill(pageAlignedBytes(4096 + 5)), { direct: true });
    expect(readFileSync(join(dir, 'aligned.bin')).length).toBe(4096 + 5);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
