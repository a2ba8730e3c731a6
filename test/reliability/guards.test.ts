/**
 * Size guards, bounded readers and checkpoint input records (src/core/{guard,reader,checkpoint}.ts). < 1 s.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputErrorOfAsync } from '../input-error.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InputError, checkDeclared, formatBytes, guardSize, guardedRead, guardedReadSync, inputsHash, memoryBudget, openCheckpoint, parseByteSize, readInputFile, sealCheckpoint,
} from '../../src/core/index.js';

const refusal = inputErrorOfAsync;

describe('guardSize', () => {
  const env = process.env.CATHODE_TWIN_MEMORY;
  beforeEach(() => { process.env.CATHODE_TWIN_MEMORY = '4 GiB'; });
  afterEach(() => { if (env === undefined) delete process.env.CATHODE_TWIN_MEMORY; else process.env.CATHODE_TWIN_MEMORY = env; });

  it('the budget comes from CATHODE_TWIN_MEMORY when set, else 80 % of RAM at most', () => {
    expect(memoryBudget().usable_B).toBe(4 * 1024 ** 3);
    delete process.env.CATHODE_TWIN_MEMORY;
    const b = memoryBudget();
    expect(b.usable_B).toBeGreaterThan(0);
    expect(b.usable_B).toBeLessThanOrEqual(0.8 * b.total_B);
    expect(parseByteSize('1.5 GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseByteSize('500MB')).toBe(5e8);
    expect(parseByteSize('lots')).toBeNaN();
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.00 GiB');
  });

  it('refuses a request over the memory budget naming the field, the count, the bytes and what fits', async () => {
    guardSize({ field: 'f', value: 1, what: 'sites', count: 1e6, bytesEach: 100 });
    const e = await refusal(() => guardSize({ field: 'structure.width', value: '2000 Å', what: 'lattice sites', count: 2e9, bytesEach: 40, fit: (n) => `≤ ${n} sites` }));
    expect(e.field).toBe('structure.width');
    expect(e.message).toBe('structure.width: got "2000 Å"; allowed: at most 1.07e8 lattice sites on this machine; ≤ 107374182 sites (this asks for 2.00e9: ≈ 74.5 GiB of memory, and this machine can give a job ~4.00 GiB (CATHODE_TWIN_MEMORY))');
  });

  it('a hard cap applies regardless of memory; NaN and negative counts are refused', async () => {
    const e = await refusal(() => guardSize({ field: '--scan-step', value: '0.001 Å', what: 'probe positions', count: 1e8, maxCount: 2 ** 24, maxReason: 'run time' }));
    expect(e.message).toMatch(/at most 1\.68e7 probe positions \(this asks for 1\.00e8: the limit comes from run time\)/);
    await refusal(() => guardSize({ field: 'x', value: 'y', what: 'items', count: Number.NaN }));
    await refusal(() => guardSize({ field: 'x', value: 'y', what: 'items', count: -1 }));
  });
});

describe('bounded readers', () => {
  it('readInputFile: a missing file, a folder and an over-large file are named InputErrors', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ct-read-'));
    mkdirSync(join(d, 'dir.tif'));
    writeFileSync(join(d, 'big.tif'), new Uint8Array(2000));
    expect((await refusal(() => readInputFile(join(d, 'no.tif'), '--experiment', 'TIFF file'))).message).toMatch(/^--experiment: .*an existing TIFF file \(no such file\)/);
    expect((await refusal(() => readInputFile(join(d, 'dir.tif'), '--experiment', 'TIFF file'))).message).toMatch(/it is a folder/);
    expect((await refusal(() => readInputFile(join(d, 'big.tif'), '--experiment', 'TIFF file', { maxBytes: 1000 }))).message).toMatch(/at most 1000 B .*holds 1.95 KiB/);
    expect(readInputFile(join(d, 'big.tif'), '--experiment', 'TIFF file').length).toBe(2000);
  });

  it('checkDeclared refuses a header size larger than the file before anything is allocated', async () => {
    checkDeclared('f', 100, 100, 'pixel data');
    const e = await refusal(() => checkDeclared('x.tif IFD 0', 4e10, 364, 'pixel data'));
    expect(e.message).toMatch(/^x\.tif IFD 0: got "pixel data of 37\.3 GiB"; allowed: at most the 364 B the file holds/);
    await refusal(() => checkDeclared('f', Number.NaN, 10, 'data'));
  });

  it('guardedRead turns any failure into an InputError and keeps library diagnostics off stderr', async () => {
    const writes: string[] = [];
    const orig = process.stderr.write;
    process.stderr.write = ((c: string) => { writes.push(String(c)); return true; }) as typeof process.stderr.write;
    let e: InputError;
    try {
      e = await refusal(() => guardedRead('--experiment', 'a.emd', 'a Velox EMD file', async () => {
        process.stderr.write('HDF5-DIAG: Error detected in HDF5 (2.0.0):\n    minor: File signature not found\n');
        console.warn('a library warning');
        throw new TypeError("Cannot read properties of undefined (reading 'shape')");
      }));
    } finally {
      process.stderr.write = orig;
    }
    expect(writes).toEqual([]);
    expect(e.message).toBe('--experiment: got "a.emd"; allowed: a Velox EMD file (Cannot read properties of undefined (reading \'shape\'))');
    const r = await refusal(() => guardedReadSync('f', 'v', 'a thing', () => new Float32Array(-1)));
    expect(r.message).toMatch(/declares a size that cannot be allocated/);
    expect(guardedReadSync('f', 'v', 'a thing', () => 3)).toBe(3);
    expect(process.stderr.write).toBe(orig);
  });
});

describe('checkpoint inputs record', () => {
  it('a resume with a different seed or scenario is refused naming the option; the same inputs give the payload back', async () => {
    const payload = Uint8Array.from([1, 2, 3]);
    const scen = inputsHash({ name: 'tiny', T: [298, 773] });
    expect(inputsHash({ T: [298, 773], name: 'tiny' })).toBe(scen); // key order does not matter
    const b = sealCheckpoint({ scenario: scen, seed: 7, version: '0.1.0' }, payload);
    const ok = openCheckpoint(b, 'out/kmc.ckpt', { scenario: { value: scen, field: '--scenario' }, seed: { value: 7, field: '--seed' }, version: { value: '0.1.0', field: '--resume' } });
    expect([...ok]).toEqual([1, 2, 3]);
    const e = await refusal(() => openCheckpoint(b, 'out/kmc.ckpt', { scenario: { value: scen, field: '--scenario' }, seed: { value: 99, field: '--seed' } }));
    expect(e.message).toBe('--seed: got 99; allowed: 7, the seed of the run checkpointed in out/kmc.ckpt (resume with the same inputs, or run without --resume to start over)');
    const s = await refusal(() => openCheckpoint(b, 'out/kmc.ckpt', { scenario: { value: 'other', field: '--scenario', shown: 'big.yaml' } }));
    expect(s.field).toBe('--scenario');
    expect((await refusal(() => openCheckpoint(b.subarray(0, 14), 'ck', {}))).message).toMatch(/^ck: .*truncated/);
    expect((await refusal(() => openCheckpoint(Uint8Array.from([9, 9, 9]), 'ck', {}))).message).toMatch(/not a checkpoint of this version/);
  });
});
