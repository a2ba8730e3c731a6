/**
 * Event selectors (rejection-free, BKL / n-fold way): a binary sum tree, O(log N) per update and
 * per selection (SPPARKS `solve_tree.cpp`), and a linear scan for tests and tiny systems.
 */
import { InputError } from '../core/index.js';
import type { EventSelector } from './model.js';

function checkRate(index: number, rate: number, size: number): void {
  if (!(rate >= 0) || rate === Infinity) throw new InputError('selector.rate', rate, 'a finite rate ≥ 0 (1/s)', `slot ${index}`);
  if (!(index >= 0 && index < size)) throw new InputError('selector.index', index, `an integer in [0, ${size})`);
}

/**
 * Binary sum tree over `size` rates (float64). Leaves live at `[P, P+size)` of a heap-ordered
 * array (P = next power of two ≥ size); every internal node is recomputed as the exact float sum of
 * its two children on each update, so the tree is a pure function of its leaves: no drift
 * accumulates however many updates are made (the "periodic exact re-summation" is implicit in
 * every update, and `resum()` recomputes everything from the leaves for good measure).
 * Memory: 16·P bytes (≤ 32 bytes per entry).
 */
export class SumTreeSelector implements EventSelector {
  private tree = new Float64Array(2);
  private P = 1;
  private n = 0;
  /** What is left of `u` at the selected leaf after the last `select` (u minus the sums passed on the left). */
  remainder = 0;

  /** @param rates optional initial rates (see `init`). */
  constructor(rates?: Float64Array) {
    if (rates) this.init(rates);
  }

  get size(): number {
    return this.n;
  }

  /** Bytes held in typed arrays. */
  get byteLength(): number {
    return this.tree.byteLength;
  }

  /**
   * Size the tree for `n` entries and return its leaf array (a view into the tree). Fill it and pass
   * it to `init` to build the tree without a copy (the engine does: 8 bytes per slot less).
   */
  prepare(n: number): Float64Array {
    let P = 1;
    while (P < n) P <<= 1;
    if (this.tree.length !== 2 * P) this.tree = new Float64Array(2 * P);
    else this.tree.fill(0);
    this.P = P;
    this.n = n;
    return this.tree.subarray(P, P + n);
  }

  init(rates: Float64Array): void {
    if (rates.buffer === this.tree.buffer && rates.byteOffset === this.P * 8 && rates.length === this.n) {
      for (let i = 0; i < this.n; i++) checkRate(i, rates[i]!, this.n);
      this.resum();
      return;
    }
    const n = rates.length;
    for (let i = 0; i < n; i++) checkRate(i, rates[i]!, n);
    this.prepare(n).set(rates);
    this.resum();
  }

  /** Recompute every internal node from the leaves. O(N). */
  resum(): void {
    const t = this.tree;
    for (let j = this.P - 1; j >= 1; j--) t[j] = t[2 * j]! + t[2 * j + 1]!;
  }

  update(index: number, rate: number): void {
    if (!(rate >= 0 && rate !== Infinity && index >= 0 && index < this.n)) checkRate(index, rate, this.n);
    const t = this.tree;
    let j = this.P + index;
    t[j] = rate;
    j >>= 1;
    while (j >= 1) {
      t[j] = t[2 * j]! + t[2 * j + 1]!;
      j >>= 1;
    }
  }

  /**
   * Set many leaves at once: `values[q]` at leaf `indices[q]` for q < count (indices ascending,
   * distinct; `indices` is reused as scratch). Each ancestor is summed once however many of its
   * leaves changed, with the same result as one `update` per leaf (the tree is a function of its leaves).
   */
  updateSorted(indices: Int32Array, values: Float64Array, count: number): void {
    const t = this.tree;
    const P = this.P;
    let m = 0;
    for (let q = 0; q < count; q++) {
      const v = values[q]!;
      const i = indices[q]!;
      if (!(v >= 0 && v !== Infinity && i >= 0 && i < this.n)) checkRate(i, v, this.n);
      // a leaf whose value is unchanged changes no ancestor (its siblings' entries carry theirs)
      if (t[P + i] === v) continue;
      t[P + i] = v;
      indices[m++] = (P + i) >> 1;
    }
    while (m > 0) {
      let w = 0;
      let prev = -1;
      for (let q = 0; q < m; q++) {
        const j = indices[q]!;
        if (j === prev) continue;
        prev = j;
        const v = t[2 * j]! + t[2 * j + 1]!;
        // an unchanged sum stops here: every ancestor is a function of its children
        if (t[j] === v) continue;
        t[j] = v;
        if (j > 1) indices[w++] = j >> 1;
      }
      m = w;
    }
  }

  rate(index: number): number {
    return this.tree[this.P + index]!;
  }

  total(): number {
    return this.tree[1]!;
  }

  select(u: number): number {
    const t = this.tree;
    const P = this.P;
    let j = 1;
    while (j < P) {
      const l = 2 * j;
      const left = t[l]!;
      // Going left when the right subtree is empty guards against u ≥ total by rounding:
      // the walk then ends on the last non-zero leaf, never on a zero-rate entry.
      if (u < left || t[l + 1] === 0) j = l;
      else {
        u -= left;
        j = l + 1;
      }
    }
    this.remainder = u;
    return j - P;
  }
}

/** Linear scan over the rates: O(N) selection, O(1) update. The reference for tests. */
export class LinearSelector implements EventSelector {
  private rates = new Float64Array(0);
  private sum = 0;

  constructor(rates?: Float64Array) {
    if (rates) this.init(rates);
  }

  get size(): number {
    return this.rates.length;
  }

  init(rates: Float64Array): void {
    for (let i = 0; i < rates.length; i++) checkRate(i, rates[i]!, rates.length);
    this.rates = Float64Array.from(rates);
    this.resum();
  }

  private resum(): void {
    let s = 0;
    for (let i = 0; i < this.rates.length; i++) s += this.rates[i]!;
    this.sum = s;
  }

  update(index: number, rate: number): void {
    checkRate(index, rate, this.rates.length);
    this.rates[index] = rate;
    this.resum(); // exact re-summation: no drift, O(N) like the selection itself
  }

  rate(index: number): number {
    return this.rates[index]!;
  }

  total(): number {
    return this.sum;
  }

  select(u: number): number {
    const r = this.rates;
    let cum = 0;
    let last = -1;
    for (let i = 0; i < r.length; i++) {
      const ri = r[i]!;
      if (ri === 0) continue;
      cum += ri;
      last = i;
      if (u < cum) return i;
    }
    return last;
  }
}
