/**
 * Two-level selection for models whose slots come in fixed blocks of G (e.g. a vacancy's 12 hop
 * directions): a sum tree over block sums, then a linear scan inside the block. An event that
 * changes k slots of b blocks costs k stores + b·(G adds + one O(log N/G) tree update) instead of
 * k tree updates. Block sums are recomputed from their G rates (no drift), lazily on the next
 * `total()`/`select()`. Selects exactly the same index as `LinearSelector` for exactly summable rates.
 */
import { InputError } from '../core/index.js';
import type { EventSelector } from './model.js';
import { SumTreeSelector } from './selector.js';

export class BlockSelector implements EventSelector {
  private rates: Float64Array = new Float64Array(0);
  private readonly tree = new SumTreeSelector();
  private dirty = new Int32Array(16);
  private nDirty = 0;
  private isDirty = new Uint8Array(0);
  private nBlocks = 0;

  /** @param blockSize G, slots per block (≥ 1). */
  constructor(readonly blockSize: number) {
    if (!(Number.isInteger(blockSize) && blockSize >= 1)) throw new InputError('selector.blockSize', blockSize, 'an integer ≥ 1');
  }

  get size(): number {
    return this.rates.length;
  }

  /** Bytes held in typed arrays. */
  get byteLength(): number {
    return this.rates.byteLength + this.tree.byteLength + this.isDirty.byteLength + this.dirty.byteLength;
  }

  init(rates: Float64Array): void {
    const G = this.blockSize;
    const nb = Math.ceil(rates.length / G);
    for (let i = 0; i < rates.length; i++) {
      const r = rates[i]!;
      if (!(r >= 0) || r === Infinity) throw new InputError('selector.rate', r, 'a finite rate ≥ 0 (1/s)', `slot ${i}`);
    }
    this.rates = rates; // adopted, not copied (see EventSelector.init)
    this.nBlocks = nb;
    this.isDirty = new Uint8Array(nb);
    this.nDirty = 0;
    const sums = new Float64Array(nb);
    for (let b = 0; b < nb; b++) sums[b] = this.blockSum(b);
    this.tree.init(sums);
  }

  private blockSum(b: number): number {
    const r = this.rates;
    const end = Math.min(r.length, (b + 1) * this.blockSize);
    let s = 0;
    for (let i = b * this.blockSize; i < end; i++) s += r[i]!;
    return s;
  }

  update(index: number, rate: number): void {
    if (!(rate >= 0 && rate !== Infinity && index >= 0 && index < this.rates.length)) {
      if (!(index >= 0 && index < this.rates.length)) throw new InputError('selector.index', index, `an integer in [0, ${this.rates.length})`);
      throw new InputError('selector.rate', rate, 'a finite rate ≥ 0 (1/s)', `slot ${index}`);
    }
    this.rates[index] = rate;
    const b = (index / this.blockSize) | 0;
    if (this.isDirty[b] === 0) {
      this.isDirty[b] = 1;
      if (this.nDirty === this.dirty.length) {
        const g = new Int32Array(this.dirty.length * 2);
        g.set(this.dirty);
        this.dirty = g;
      }
      this.dirty[this.nDirty++] = b;
    }
  }

  /** Push pending block sums into the tree. */
  flush(): void {
    for (let k = 0; k < this.nDirty; k++) {
      const b = this.dirty[k]!;
      this.isDirty[b] = 0;
      this.tree.update(b, this.blockSum(b));
    }
    this.nDirty = 0;
  }

  rate(index: number): number {
    return this.rates[index]!;
  }

  total(): number {
    if (this.nDirty > 0) this.flush();
    return this.tree.total();
  }

  select(u: number): number {
    if (this.nDirty > 0) this.flush();
    const tree = this.tree;
    const b = tree.select(u);
    // u minus the cumulative sum of the blocks before b, as the tree walk subtracted it
    let rest = tree.remainder;
    const r = this.rates;
    const start = b * this.blockSize;
    const end = Math.min(r.length, start + this.blockSize);
    let last = start;
    for (let i = start; i < end; i++) {
      const ri = r[i]!;
      if (ri === 0) continue;
      last = i;
      if (rest < ri) return i;
      rest -= ri;
    }
    return last;
  }

  /** Number of blocks. */
  get blocks(): number {
    return this.nBlocks;
  }
}
