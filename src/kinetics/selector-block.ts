/**
 * Two-level selection for models whose slots come in fixed blocks of G (e.g. a vacancy's 12 hop
 * directions): a sum tree over block sums, then a linear scan inside the block. An event that
 * changes k slots of b blocks costs k stores + b·(G adds) + one tree update over the b blocks (each
 * shared ancestor summed once) instead of k tree updates. Block sums are recomputed from their G
 * rates (no drift), lazily on the next `total()`/`select()`. Selects exactly the same index as
 * `LinearSelector` for exactly summable rates.
 *
 * Two ways to hold the slot rates:
 * - per slot (`init(rates)`, `update(i, rate)`): the rates array (8 bytes per slot), adopted;
 * - by class (`new BlockSelector(G, classes)`, `initClasses()`, `markDirty(i)`): a slot's rate is
 *   `classRate[classes.ids[i]]`, so a slot costs only the model's class id (`SlotClassTable`, 2
 *   bytes) and a new window one rate per class plus one pass over the blocks. Both add a block's
 *   rates in slot order, so both select the same slot for the same rates and u.
 *
 * In class mode, where the class table can place its ids (`SlotClassTable.adoptIds`) and WebAssembly is available,
 * the block sums, the tree update and the selection run as WebAssembly kernels (selector-wasm.ts) on one memory that
 * holds the slot ids, the class rates, the tree and the dirty list: the same float64 operations in the same order,
 * so the same tree and the same selected slot. Elsewhere (or with `{ wasm: false }`) the TypeScript code below runs.
 */
import { InputError } from '../core/index.js';
import type { EventSelector, SlotClassTable } from './model.js';
import { SumTreeSelector } from './selector.js';
import { BlockKernel } from './selector-wasm.js';

export class BlockSelector implements EventSelector {
  private rates: Float64Array = new Float64Array(0);
  /** Class mode: rate per class at the current window temperature, 1/s (index 0: no event, 0); the owner fills it. */
  classRate = new Float64Array(256);
  private readonly tree = new SumTreeSelector();
  private dirty = new Int32Array(64);
  private sums = new Float64Array(64);
  private nDirty = 0;
  private isDirty = new Uint8Array(0);
  private nBlocks = 0;
  private nSlots = 0;
  /** Class mode on WebAssembly: the kernels and their memory (the arrays above are views into it), else null. */
  private k: BlockKernel | null = null;
  /** The kernel's tree (a view; `tree` is unused while `k` is set). */
  private kTree = new Float64Array(2);

  /**
   * @param blockSize G, slots per block (≥ 1).
   * @param classes class mode: the model's class table (slot rates are the rates of their classes).
   * @param opts.wasm false: the TypeScript path even where the WebAssembly kernels could run (default true).
   */
  constructor(readonly blockSize: number, private readonly classes: SlotClassTable | null = null, opts: { wasm?: boolean } = {}) {
    if (!(Number.isInteger(blockSize) && blockSize >= 1)) throw new InputError('selector.blockSize', blockSize, 'an integer ≥ 1');
    if (classes !== null && classes.adoptIds !== undefined && opts.wasm !== false) {
      const k = BlockKernel.create(blockSize, classes.ids.length, classes.ids.BYTES_PER_ELEMENT === 2 ? 2 : 4, this.classRate.length);
      if (k) {
        k.ids.set(classes.ids);
        classes.adoptIds(k.ids, this.widenIds);
        this.bind(k);
      }
    }
  }

  /** True when the WebAssembly kernels run this selector (class mode; see the module doc). */
  get wasm(): boolean {
    return this.k !== null;
  }

  /** Point the selector's arrays at kernel `k`'s memory (after it is made or its memory grew). */
  private bind(k: BlockKernel): void {
    this.k = k;
    this.kTree = k.tree;
    this.dirty = k.dirty;
    this.isDirty = k.isDirty;
    this.classRate = k.classRate;
    this.sums = new Float64Array(0);
  }

  /** `SlotClassTable.adoptIds`' widening: the table's ids (the kernel's) widened to 32 bits in place, in the kernel's memory. */
  private readonly widenIds = (ids: Uint16Array): Uint32Array => {
    const k = this.k;
    if (k === null || ids !== k.ids) return Uint32Array.from(ids); // not ours (any more): the table's own copy
    const wide = k.widenIds();
    this.bind(k);
    return wide;
  };

  /**
   * WebAssembly class mode: make sure the class table writes its ids into the kernel's memory. The table replaces its
   * ids when they widen to 32 bits (or another selector took them): the kernel is then laid out again for their width
   * and its state (tree, dirty list and flags, class rates) carried over.
   */
  private placeIds(): void {
    const k = this.k!, classes = this.classes!;
    const ids = classes.ids;
    if (ids === k.ids) return;
    let m = k;
    if (ids.BYTES_PER_ELEMENT !== k.idBytes) {
      const wide = BlockKernel.create(k.blockSize, k.slotCount, 4, k.classRate.length);
      if (!wide) throw new Error('BlockSelector: the WebAssembly memory for 32-bit class ids could not be made');
      wide.tree.set(k.tree);
      wide.dirty.set(k.dirty);
      wide.isDirty.set(k.isDirty);
      wide.classRate.set(k.classRate);
      m = wide;
    }
    m.ids.set(ids);
    classes.adoptIds!(m.ids, this.widenIds);
    this.bind(m);
  }

  get size(): number {
    return this.nSlots;
  }

  /** Bytes held in typed arrays (in class mode the slot ids are the model's). */
  get byteLength(): number {
    // the kernel's memory holds the model's slot ids: counted by the model
    if (this.k !== null) return this.k.byteLength - this.k.ids.byteLength;
    return this.rates.byteLength + (this.classes ? this.classRate.byteLength : 0) + this.tree.byteLength + this.isDirty.byteLength + this.dirty.byteLength + this.sums.byteLength;
  }

  /** Per-slot mode: (re)initialise from `rates` (adopted, not copied; see EventSelector.init). */
  init(rates: Float64Array): void {
    if (this.classes) throw new Error('BlockSelector.init: a class-mode selector takes initClasses()');
    for (let i = 0; i < rates.length; i++) {
      const r = rates[i]!;
      if (!(r >= 0) || r === Infinity) throw new InputError('selector.rate', r, 'a finite rate ≥ 0 (1/s)', `slot ${i}`);
    }
    this.rates = rates;
    this.build(rates.length);
  }

  /** Class mode: every block sum from the current `classRate` and class ids (a new window). O(slots). */
  initClasses(slotCount: number): void {
    if (!this.classes) throw new Error('BlockSelector.initClasses: a per-slot selector takes init(rates)');
    this.build(slotCount);
  }

  /** Class mode: make room for `count` classes in `classRate` (new entries 0). */
  ensureClasses(count: number): void {
    if (this.k !== null) {
      this.placeIds();
      const k = this.k;
      if (k.ensureClasses(count)) {
        this.bind(k);
        this.classes!.adoptIds!(k.ids, this.widenIds);
      }
      return;
    }
    if (count <= this.classRate.length) return;
    let n = this.classRate.length;
    while (n < count) n *= 2;
    const g = new Float64Array(n);
    g.set(this.classRate);
    this.classRate = g;
  }

  private build(slotCount: number): void {
    this.nSlots = slotCount;
    const nb = Math.ceil(slotCount / this.blockSize);
    this.nBlocks = nb;
    if (this.k !== null) {
      if (slotCount !== this.k.slotCount) throw new Error(`BlockSelector.initClasses: ${slotCount} slots, but the class table has ${this.k.slotCount}`);
      this.placeIds();
      this.isDirty.fill(0);
      this.nDirty = 0;
      const bad = this.k.build();
      if (bad >= 0) this.badBlock(bad);
      return;
    }
    if (this.isDirty.length !== nb) this.isDirty = new Uint8Array(nb);
    else this.isDirty.fill(0);
    this.nDirty = 0;
    const leaves = this.tree.prepare(nb);
    for (let b = 0; b < nb; b++) leaves[b] = this.blockSum(b);
    this.tree.init(leaves);
  }

  private blockSum(b: number): number {
    const end = Math.min(this.nSlots, (b + 1) * this.blockSize);
    let s = 0;
    if (this.classes) {
      const ids = this.classes.ids, r = this.classRate;
      for (let i = b * this.blockSize; i < end; i++) s += r[ids[i]!]!;
    } else {
      const r = this.rates;
      for (let i = b * this.blockSize; i < end; i++) s += r[i]!;
    }
    return s;
  }

  /** Per-slot mode: set slot `index` to `rate` (≥ 0, finite). */
  update(index: number, rate: number): void {
    if (!(rate >= 0 && rate !== Infinity && index >= 0 && index < this.nSlots)) {
      if (!(index >= 0 && index < this.nSlots)) throw new InputError('selector.index', index, `an integer in [0, ${this.nSlots})`);
      throw new InputError('selector.rate', rate, 'a finite rate ≥ 0 (1/s)', `slot ${index}`);
    }
    this.rates[index] = rate;
    this.markDirty(index);
  }

  /** Slot `index` changed (its rate, or in class mode its class): its block sum is recomputed before the next `total`/`select`. */
  markDirty(index: number): void {
    const b = (index / this.blockSize) | 0;
    if (this.isDirty[b] === 0) {
      this.isDirty[b] = 1;
      if (this.nDirty === this.dirty.length && this.k !== null) this.flush(); // the kernel's list is fixed: push the pending blocks now (the tree is a function of its leaves)
      if (this.nDirty === this.dirty.length) {
        const g = new Int32Array(this.dirty.length * 2);
        g.set(this.dirty);
        this.dirty = g;
        this.sums = new Float64Array(g.length);
      }
      this.dirty[this.nDirty++] = b;
    }
  }

  /** Push pending block sums into the tree, blocks in ascending order (shared ancestors summed once; the kernel goes level by level unsorted, selector-wasm.ts). */
  flush(): void {
    if (this.k !== null) {
      if (this.classes!.ids !== this.k.ids) this.placeIds();
      const bad = this.k.flush(this.nDirty);
      this.nDirty = 0;
      if (bad >= 0) this.badBlock(bad);
      return;
    }
    const d = this.dirty, n = this.nDirty, sums = this.sums, isDirty = this.isDirty;
    for (let q = 1; q < n; q++) {
      const b = d[q]!;
      let p = q - 1;
      while (p >= 0 && d[p]! > b) {
        d[p + 1] = d[p]!;
        p--;
      }
      d[p + 1] = b;
    }
    const G = this.blockSize, nSlots = this.nSlots;
    if (this.classes) {
      // class mode, inlined: one pass over each dirty block's class ids, in slot order
      const ids = this.classes.ids, r = this.classRate;
      for (let q = 0; q < n; q++) {
        const b = d[q]!;
        isDirty[b] = 0;
        const start = b * G, end = start + G < nSlots ? start + G : nSlots;
        let s = 0;
        for (let i = start; i < end; i++) s += r[ids[i]!]!;
        sums[q] = s;
      }
    } else {
      for (let q = 0; q < n; q++) {
        const b = d[q]!;
        isDirty[b] = 0;
        sums[q] = this.blockSum(b);
      }
    }
    this.tree.updateSorted(d, sums, n);
    this.nDirty = 0;
  }

  rate(index: number): number {
    return this.classes ? this.classRate[this.classes.ids[index]!]! : this.rates[index]!;
  }

  /** A block sum that is not a finite rate ≥ 0 (the kernels' report): the TypeScript path's error. */
  private badBlock(b: number): never {
    throw new InputError('selector.rate', this.blockSum(b), 'a finite rate ≥ 0 (1/s)', `slot ${b}`);
  }

  total(): number {
    if (this.nDirty > 0) this.flush();
    return this.k !== null ? this.kTree[1]! : this.tree.total();
  }

  select(u: number): number {
    if (this.nDirty > 0) this.flush();
    if (this.k !== null) return this.k.select(u);
    const tree = this.tree;
    const b = tree.select(u);
    // u minus the cumulative sum of the blocks before b, as the tree walk subtracted it
    let rest = tree.remainder;
    const start = b * this.blockSize;
    const end = Math.min(this.nSlots, start + this.blockSize);
    let last = start;
    const ids = this.classes?.ids ?? null, r = ids ? this.classRate : this.rates;
    for (let i = start; i < end; i++) {
      const ri = ids ? r[ids[i]!]! : r[i]!;
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
