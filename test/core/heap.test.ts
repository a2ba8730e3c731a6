/**
 * src/core/heap.ts holdHeapGrowth: the process-wide V8 flag is raised by the first hold and put back to the value
 * the process started with by the last release (nested and repeated releases counted), whatever the holds' order.
 * Its effect on collection counts is measured in bench/RESULTS.md (issue 16, ninth round), not asserted here.
 */
import { describe, expect, it } from 'vitest';
import { holdHeapGrowth } from '../../src/core/heap.js';

describe('holdHeapGrowth', () => {
  it('raises the flag once for nested holds and restores the starting value after the last release', () => {
    const set: string[] = [];
    const a = holdHeapGrowth(300, (f) => set.push(f), ['--heap-growing-percent=25']);
    const b = holdHeapGrowth(300, (f) => set.push(f), ['--heap-growing-percent=25']);
    expect(set).toEqual(['--heap-growing-percent=300']);
    a();
    a();
    expect(set).toEqual(['--heap-growing-percent=300']);
    b();
    expect(set).toEqual(['--heap-growing-percent=300', '--heap-growing-percent=25']);
    // Without the flag on the command line: V8's default 0 (adaptive).
    const c = holdHeapGrowth(300, (f) => set.push(f), ['--enable-source-maps']);
    c();
    expect(set.slice(2)).toEqual(['--heap-growing-percent=300', '--heap-growing-percent=0']);
  });

  it('rejects a percent outside 1…1000', () => {
    expect(() => holdHeapGrowth(0, () => undefined, [])).toThrow(/1…1000/);
    expect(() => holdHeapGrowth(2.5, () => undefined, [])).toThrow(/1…1000/);
  });
});
