/**
 * Block selection over rate classes (for models with a `SlotClassTable`): like `BlockSelector`, a
 * sum tree over blocks of G slots and a scan inside the block, but a slot holds no rate of its own:
 * its rate is `classRate[ids[slot]]`, so the per-slot storage is the model's class id (2 bytes)
 * instead of a float64 (8 bytes), and a new window costs one rate per class plus one pass over the
 * blocks. Block sums add the G slot rates in slot order, exactly as `BlockSelector` does, so both
 * select the same slot for the same rates and u.
 */
import { InputError } from '../core/index.js';
import type { SlotClassTable } from './model.js';
import { SumTreeSelector } from './selector.js';

export class ClassBlockSelector {
  /** Rate per class at the current window temperature, 1/s (index 0: no event, 0). Owned here; the engine fills it. */
  classRate = new Float64Array(256);
  private readonly tree = new SumTreeSelector();
  private dirty = new Int32Array(64);
  private sums = new Float64Array(64);
  private nDirty = 0;
  private isDirty: Uint8Array;
  private readonly nBlocks: number;

  /** @param classes the model's table; @param slotCount slots; @param blockSize G (≥ 1). */
  constructor(private readonly classes: SlotClassTable, readonly slotCount: number, readonly blockSize: number) {
    if (!(Number.isInteger(blockSize) && blockSize >= 1)) throw new InputError('selector.blockSize', blockSize, 'an integer ≥ 1');
    this.nBlocks = Math.ceil(slotCount / blockSize);
    this.isDirty = new Uint8Array(this.nBlocks);
    this.tree.prepare(this.nBlocks);
  }

  /** Make room for `count` classes in `classRate` (new entries 0). */
  ensureClasses(count: number): void {
    if (count <= this.classRate.length) return;
    let n = this.classRate.length;
    while (n < count) n *= 2;
    const g = new Float64Array(n);
    g.set(this.classRate);
    this.classRate = g;
  }

  /** Bytes held in typed arrays (the slot ids are the model's). */
  get byteLength(): number {
    return this.classRate.byteLength + this.tree.byteLength + this.isDirty.byteLength + this.dirty.byteLength + this.sums.byteLength;
  }

  private blockSum(b: number): number {
    const ids = this.classes.ids, r = this.classRate;
    const end = Math.min(this.slotCount, (b + 1) * this.blockSize);
    let s = 0;
    for (let i = b * this.blockSize; i < end; i++) s += r[ids[i]!]!;
    return s;
  }

  /** Recompute every block sum and the tree (after `classRate` changed: a new window). O(slots). */
  init(): void {
    const leaves = this.tree.prepare(this.nBlocks);
    for (let b = 0; b < this.nBlocks; b++) leaves[b] = this.blockSum(b);
    this.tree.init(leaves);
    this.isDirty.fill(0);
    this.nDirty = 0;
  }

  /** The class of `slot` changed: its block sum is recomputed before the next `total`/`select`. */
  markDirty(slot: number): void {
    const b = (slot / this.blockSize) | 0;
    if (this.isDirty[b] === 0) {
      this.isDirty[b] = 1;
      if (this.nDirty === this.dirty.length) {
        const g = new Int32Array(this.dirty.length * 2);
        g.set(this.dirty);
        this.dirty = g;
        this.sums = new Float64Array(g.length);
      }
      this.dirty[this.nDirty++] = b;
    }
  }

  /** New sums of the dirty blocks into the tree, in ascending block order (shared ancestors summed once). */
  private flush(): void {
    const d = this.dirty, n = this.nDirty, sums = this.sums;
    for (let q = 1; q < n; q++) {
      const b = d[q]!;
      let p = q - 1;
      while (p >= 0 && d[p]! > b) {
        d[p + 1] = d[p]!;
        p--;
      }
      d[p + 1] = b;
    }
    for (let q = 0; q < n; q++) {
      const b = d[q]!;
      this.isDirty[b] = 0;
      sums[q] = this.blockSum(b);
    }
    this.tree.updateSorted(d, sums, n);
    this.nDirty = 0;
  }

  /** Rate of `slot` (its class's rate), 1/s. */
  rate(slot: number): number {
    return this.classRate[this.classes.ids[slot]!]!;
  }

  total(): number {
    if (this.nDirty > 0) this.flush();
    return this.tree.total();
  }

  /** Slot i with cumsum(i−1) ≤ u < cumsum(i), u in [0, total()); never a slot of rate 0. */
  select(u: number): number {
    if (this.nDirty > 0) this.flush();
    const tree = this.tree;
    const b = tree.select(u);
    let rest = tree.remainder;
    const ids = this.classes.ids, r = this.classRate;
    const start = b * this.blockSize;
    const end = Math.min(this.slotCount, start + this.blockSize);
    let last = start;
    for (let i = start; i < end; i++) {
      const ri = r[ids[i]!]!;
      if (ri === 0) continue;
      last = i;
      if (rest < ri) return i;
      rest -= ri;
    }
    return last;
  }
}
