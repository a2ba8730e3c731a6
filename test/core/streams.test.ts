import { describe, expect, it } from 'vitest';
import { Stream } from '../../src/core/index.js';

describe('Stream registry', () => {
  it('gives every stage a distinct stream id', () => {
    const ids = Object.values(Stream);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(Number.isSafeInteger(id) && id >= 0).toBe(true);
  });
});
