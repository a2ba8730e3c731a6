/**
 * The class-mode `BlockSelector`'s per-event work as WebAssembly: the dirty blocks' sums (each block's class rates
 * added in slot order), the sum-tree update over them, and the selection (tree walk, then the scan inside the block).
 * The slot class ids (the model's, adopted through `SlotClassTable.adoptIds`), the class rates, the tree and the dirty
 * list live in one WebAssembly memory, so an event copies nothing: JavaScript writes ids, rates and dirty marks
 * through typed-array views of that memory, and the kernels read them there.
 *
 * The kernels do the float64 operations of the TypeScript path (selector-block.ts, selector.ts `SumTreeSelector`) in
 * the same order, so they give the same sums, the same tree and the same selected slot, bit for bit (tested against
 * the TypeScript path in test/kinetics/selector-wasm.test.ts). One difference in bookkeeping, none in the values: the
 * dirty blocks are not sorted. The tree's leaves all lie on one level, so the tree is updated level by level; a node
 * pushed twice (two changed children) is summed again on its second visit, finds its value unchanged and stops there,
 * exactly as the sorted path's "unchanged sum stops here". The tree is a function of its leaves either way.
 *
 * Kernels (no parameters but the ones named; the layout is read from the memory's header, `H_*`):
 *  - flush(n) → i32: the n dirty blocks listed at `dirty` (distinct): their `isDirty` bytes cleared, their sums
 *    stored as leaves, the changed leaves' ancestors re-summed. Returns −1, or the first block whose sum is not a
 *    finite number ≥ 0 (the caller throws what the TypeScript path throws; the flush stops there).
 *  - select(u) → i32: the tree walk of `SumTreeSelector.select` (left when u < left or the right subtree is empty),
 *    then `BlockSelector.select`'s scan of the block (zero-rate slots skipped, the last non-zero slot if u is past).
 *  - build() → i32: every block sum as a leaf, then every internal node from the leaves (`SumTreeSelector.resum`).
 *    Returns −1, or the first block whose sum is not a finite number ≥ 0.
 * Each comes twice, for 16-bit and for 32-bit slot ids (suffixes 16 and 32).
 *
 * Assembled from its bytes with the project's minimal WASM writer (src/core/fft/simd-kernels.ts). `blockKernel()` is
 * undefined where WebAssembly is unavailable (or CATHODE_NO_SIMD_KERNELS is set): the selector keeps its TypeScript
 * path.
 */
import { I32, func, get, i32c, instantiateOwnMemory, loopWhile, section, set, str, uleb, vec } from '../core/fft/simd-kernels.js';
import type { WasmMemory } from '../core/fft/simd-kernels.js';

const F64 = 0x7c;
const f64c = (v: number): number[] => [0x44, ...new Uint8Array(Float64Array.of(v).buffer)];
const I32LOAD = (o = 0): number[] => [0x28, 2, ...uleb(o)], I32STORE = [0x36, 2, 0], STORE8 = [0x3a, 0, 0];
const LOAD16U = [0x2f, 1, 0];
const F64LOAD = (o = 0): number[] => [0x2b, 3, ...uleb(o)], F64STORE = [0x39, 3, 0];
const [IADD, ISUB, IMUL, ISHL, ISHRU, IOR, IAND, ILTU, IGTU, IGEU, IEQZ] = [[0x6a], [0x6b], [0x6c], [0x74], [0x76], [0x72], [0x71], [0x49], [0x4b], [0x4f], [0x45]];
const [FADD, FSUB, FEQ, FNE, FLT, FGE] = [[0xa0], [0xa1], [0x61], [0x62], [0x63], [0x66]];
const SELECT = [0x1b];
const IF = [0x04, 0x40], ELSE = [0x05], END = [0x0b], RETURN = [0x0f];

/** Header fields (byte offsets of i32 words at the start of the memory). */
const H_P = 0, H_G = 4, H_SLOTS = 8, H_BLOCKS = 12, H_IDS = 16, H_RATE = 20, H_TREE = 24, H_DIRTY = 28, H_ISDIRTY = 32;
const HEADER_BYTES = 64;
/** Entries of the dirty-block list; the selector flushes when it is full (the same tree: it is a function of its leaves). */
export const WASM_DIRTY_CAPACITY = 1024;

function blockModule(): Uint8Array {
  const header = (fields: [number, number][]): number[] => fields.flatMap(([local, off]) => [...i32c(0), ...I32LOAD(off), ...set(local)]);
  /** Push rate[id[i]] for slot i (local), ids of 2^shift bytes. */
  const rateOf = (shift: number, ids: number, rate: number, i: number): number[] => [
    ...get(rate), ...get(ids), ...get(i), ...i32c(shift), ...ISHL, ...IADD, ...(shift === 1 ? LOAD16U : I32LOAD()), ...i32c(3), ...ISHL, ...IADD, ...F64LOAD(),
  ];
  /** s = Σ rate[id[i]] over the slots of block b, in slot order; i and end are scratch locals. */
  const blockSum = (shift: number, L: { b: number; G: number; nSlots: number; ids: number; rate: number; i: number; end: number; s: number }): number[] => [
    ...get(L.b), ...get(L.G), ...IMUL, ...set(L.i),
    ...get(L.i), ...get(L.G), ...IADD, ...get(L.nSlots), ...get(L.i), ...get(L.G), ...IADD, ...get(L.nSlots), ...ILTU, ...SELECT, ...set(L.end),
    ...f64c(0), ...set(L.s),
    ...loopWhile([...get(L.i), ...get(L.end), ...IGEU], [
      ...get(L.s), ...rateOf(shift, L.ids, L.rate, L.i), ...FADD, ...set(L.s),
      ...get(L.i), ...i32c(1), ...IADD, ...set(L.i),
    ]),
  ];
  /** if !(s ≥ 0 && s < ∞) return b */
  const checkSum = (s: number, b: number): number[] => [
    ...get(s), ...f64c(0), ...FGE, ...get(s), ...f64c(Infinity), ...FLT, ...IAND, ...IEQZ, ...IF, ...get(b), ...RETURN, ...END,
  ];

  const flush = (shift: number): number[] => {
    // param n 0; locals P 1, G 2, nSlots 3, ids 4, rate 5, tree 6, dirty 7, isDirty 8, q 9, b 10, i 11, end 12, m 13, j 14, w 15, a 16; s 17, v 18 (f64)
    const L = { n: 0, P: 1, G: 2, nSlots: 3, ids: 4, rate: 5, tree: 6, dirty: 7, isDirty: 8, q: 9, b: 10, i: 11, end: 12, m: 13, j: 14, w: 15, a: 16, s: 17, v: 18 };
    const push = (value: number[], count: number): number[] => [
      ...get(L.dirty), ...get(count), ...i32c(2), ...ISHL, ...IADD, ...value, ...I32STORE,
      ...get(count), ...i32c(1), ...IADD, ...set(count),
    ];
    return func([[16, I32], [2, F64]], [
      ...header([[L.P, H_P], [L.G, H_G], [L.nSlots, H_SLOTS], [L.ids, H_IDS], [L.rate, H_RATE], [L.tree, H_TREE], [L.dirty, H_DIRTY], [L.isDirty, H_ISDIRTY]]),
      ...i32c(0), ...set(L.q), ...i32c(0), ...set(L.m),
      // the leaves: each dirty block's sum; a changed leaf pushes its parent (in place: m ≤ q)
      ...loopWhile([...get(L.q), ...get(L.n), ...IGEU], [
        ...get(L.dirty), ...get(L.q), ...i32c(2), ...ISHL, ...IADD, ...I32LOAD(), ...set(L.b),
        ...get(L.isDirty), ...get(L.b), ...IADD, ...i32c(0), ...STORE8,
        ...blockSum(shift, L),
        ...checkSum(L.s, L.b),
        ...get(L.tree), ...get(L.P), ...get(L.b), ...IADD, ...i32c(3), ...ISHL, ...IADD, ...set(L.a),
        ...get(L.a), ...F64LOAD(), ...get(L.s), ...FNE, ...IF,
        ...get(L.a), ...get(L.s), ...F64STORE,
        ...push([...get(L.P), ...get(L.b), ...IADD, ...i32c(1), ...ISHRU], L.m),
        ...END,
        ...get(L.q), ...i32c(1), ...IADD, ...set(L.q),
      ]),
      // level by level: t[j] = t[2j] + t[2j+1]; an unchanged sum stops; a changed one pushes its parent (not the root's)
      ...loopWhile([...get(L.m), ...IEQZ], [
        ...i32c(0), ...set(L.w), ...i32c(0), ...set(L.q),
        ...loopWhile([...get(L.q), ...get(L.m), ...IGEU], [
          ...get(L.dirty), ...get(L.q), ...i32c(2), ...ISHL, ...IADD, ...I32LOAD(), ...set(L.j),
          ...get(L.tree), ...get(L.j), ...i32c(4), ...ISHL, ...IADD, ...set(L.a),
          ...get(L.a), ...F64LOAD(), ...get(L.a), ...F64LOAD(8), ...FADD, ...set(L.v),
          ...get(L.tree), ...get(L.j), ...i32c(3), ...ISHL, ...IADD, ...set(L.a),
          ...get(L.a), ...F64LOAD(), ...get(L.v), ...FNE, ...IF,
          ...get(L.a), ...get(L.v), ...F64STORE,
          ...get(L.j), ...i32c(1), ...IGTU, ...IF, ...push([...get(L.j), ...i32c(1), ...ISHRU], L.w), ...END,
          ...END,
          ...get(L.q), ...i32c(1), ...IADD, ...set(L.q),
        ]),
        ...get(L.w), ...set(L.m),
      ]),
      ...i32c(-1),
    ]);
  };

  const select = (shift: number): number[] => {
    // param u 0 (f64); locals P 1, G 2, nSlots 3, ids 4, rate 5, tree 6, j 7, a 8, i 9, end 10, last 11, b 12 (i32); left 13, ri 14 (f64)
    const L = { u: 0, P: 1, G: 2, nSlots: 3, ids: 4, rate: 5, tree: 6, j: 7, a: 8, i: 9, end: 10, last: 11, b: 12, left: 13, ri: 14 };
    return func([[12, I32], [2, F64]], [
      ...header([[L.P, H_P], [L.G, H_G], [L.nSlots, H_SLOTS], [L.ids, H_IDS], [L.rate, H_RATE], [L.tree, H_TREE]]),
      ...i32c(1), ...set(L.j),
      ...loopWhile([...get(L.j), ...get(L.P), ...IGEU], [
        ...get(L.tree), ...get(L.j), ...i32c(4), ...ISHL, ...IADD, ...set(L.a),
        ...get(L.a), ...F64LOAD(), ...set(L.left),
        // left when u < left or the right subtree is empty (u ≥ total by rounding ends on the last non-zero leaf)
        ...get(L.u), ...get(L.left), ...FLT, ...get(L.a), ...F64LOAD(8), ...f64c(0), ...FEQ, ...IOR, ...IF,
        ...get(L.j), ...i32c(1), ...ISHL, ...set(L.j),
        ...ELSE,
        ...get(L.u), ...get(L.left), ...FSUB, ...set(L.u),
        ...get(L.j), ...i32c(1), ...ISHL, ...i32c(1), ...IADD, ...set(L.j),
        ...END,
      ]),
      // the block: u is what the walk left of it
      ...get(L.j), ...get(L.P), ...ISUB, ...set(L.b),
      ...get(L.b), ...get(L.G), ...IMUL, ...set(L.i),
      ...get(L.i), ...get(L.G), ...IADD, ...get(L.nSlots), ...get(L.i), ...get(L.G), ...IADD, ...get(L.nSlots), ...ILTU, ...SELECT, ...set(L.end),
      ...get(L.i), ...set(L.last),
      ...loopWhile([...get(L.i), ...get(L.end), ...IGEU], [
        ...rateOf(shift, L.ids, L.rate, L.i), ...set(L.ri),
        ...get(L.ri), ...f64c(0), ...FNE, ...IF,
        ...get(L.i), ...set(L.last),
        ...get(L.u), ...get(L.ri), ...FLT, ...IF, ...get(L.i), ...RETURN, ...END,
        ...get(L.u), ...get(L.ri), ...FSUB, ...set(L.u),
        ...END,
        ...get(L.i), ...i32c(1), ...IADD, ...set(L.i),
      ]),
      ...get(L.last),
    ]);
  };

  const build = (shift: number): number[] => {
    // locals P 0, G 1, nSlots 2, ids 3, rate 4, tree 5, nb 6, b 7, i 8, end 9, a 10 (i32); s 11 (f64)
    const L = { P: 0, G: 1, nSlots: 2, ids: 3, rate: 4, tree: 5, nb: 6, b: 7, i: 8, end: 9, a: 10, s: 11 };
    return func([[11, I32], [1, F64]], [
      ...header([[L.P, H_P], [L.G, H_G], [L.nSlots, H_SLOTS], [L.nb, H_BLOCKS], [L.ids, H_IDS], [L.rate, H_RATE], [L.tree, H_TREE]]),
      ...i32c(0), ...set(L.b),
      ...loopWhile([...get(L.b), ...get(L.nb), ...IGEU], [
        ...blockSum(shift, L),
        ...checkSum(L.s, L.b),
        ...get(L.tree), ...get(L.P), ...get(L.b), ...IADD, ...i32c(3), ...ISHL, ...IADD, ...get(L.s), ...F64STORE,
        ...get(L.b), ...i32c(1), ...IADD, ...set(L.b),
      ]),
      // every internal node from the leaves, j = P−1 … 1 (the leaves past nb stay 0)
      ...get(L.P), ...i32c(1), ...ISUB, ...set(L.b),
      ...loopWhile([...get(L.b), ...IEQZ], [
        ...get(L.tree), ...get(L.b), ...i32c(4), ...ISHL, ...IADD, ...set(L.a),
        ...get(L.tree), ...get(L.b), ...i32c(3), ...ISHL, ...IADD,
        ...get(L.a), ...F64LOAD(), ...get(L.a), ...F64LOAD(8), ...FADD, ...F64STORE,
        ...get(L.b), ...i32c(1), ...ISUB, ...set(L.b),
      ]),
      ...i32c(-1),
    ]);
  };

  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([
      [0x60, ...vec([[I32]]), ...vec([[I32]])],
      [0x60, ...vec([[F64]]), ...vec([[I32]])],
      [0x60, ...vec([]), ...vec([[I32]])],
    ])),
    ...section(2, vec([[...str('env'), ...str('mem'), 0x02, 0x00, 0x00]])),
    ...section(3, vec([[0], [1], [2], [0], [1], [2]])),
    ...section(7, vec([
      [...str('flush16'), 0, 0], [...str('select16'), 0, 1], [...str('build16'), 0, 2],
      [...str('flush32'), 0, 3], [...str('select32'), 0, 4], [...str('build32'), 0, 5],
    ])),
    ...section(10, vec([flush(1), select(1), build(1), flush(2), select(2), build(2)])),
  ];
  return Uint8Array.from(bytes);
}

const PAGE_BYTES = 65536;
const align8 = (n: number): number => (n + 7) & ~7;

/**
 * The kernels on their own memory, laid out for one selector: header, tree (2P float64), dirty list
 * (`WASM_DIRTY_CAPACITY` int32), dirty flags (one byte per block), slot ids (2 or 4 bytes per slot), class rates
 * (float64, last, so that more classes grow the memory in place). The typed-array views are re-made whenever the
 * memory grows (growing detaches the old ones).
 */
export class BlockKernel {
  tree!: Float64Array<ArrayBuffer>;
  dirty!: Int32Array<ArrayBuffer>;
  isDirty!: Uint8Array<ArrayBuffer>;
  ids!: Uint16Array<ArrayBuffer> | Uint32Array<ArrayBuffer>;
  classRate!: Float64Array<ArrayBuffer>;
  /** flush(n), select(u), build() for this memory's id width (see the module doc). */
  flush!: (n: number) => number;
  select!: (u: number) => number;
  build!: () => number;
  private constructor(
    private readonly memory: WasmMemory,
    private readonly exports: Record<string, unknown>,
    readonly blockSize: number,
    readonly slotCount: number,
    public idBytes: 2 | 4,
    private classCapacity: number,
    private readonly offsets: { tree: number; dirty: number; isDirty: number; ids: number; rate: number; P: number; blocks: number },
  ) {
    this.kernels();
    const h = new Int32Array(memory.buffer, 0, HEADER_BYTES / 4);
    const o = offsets;
    h[H_P / 4] = o.P;
    h[H_G / 4] = blockSize;
    h[H_SLOTS / 4] = slotCount;
    h[H_BLOCKS / 4] = o.blocks;
    h[H_IDS / 4] = o.ids;
    h[H_RATE / 4] = o.rate;
    h[H_TREE / 4] = o.tree;
    h[H_DIRTY / 4] = o.dirty;
    h[H_ISDIRTY / 4] = o.isDirty;
    this.views();
  }

  /**
   * A kernel for `slotCount` slots in blocks of `blockSize`, ids of `idBytes` bytes and room for `classCapacity`
   * class rates (memory zeroed), or undefined where WebAssembly is unavailable.
   */
  static create(blockSize: number, slotCount: number, idBytes: 2 | 4, classCapacity: number): BlockKernel | undefined {
    const blocks = Math.ceil(slotCount / blockSize);
    let P = 1;
    while (P < blocks) P <<= 1;
    const tree = HEADER_BYTES;
    const dirty = tree + 16 * P;
    const isDirty = dirty + 4 * WASM_DIRTY_CAPACITY;
    const ids = align8(isDirty + blocks);
    const rate = align8(ids + idBytes * slotCount);
    const end = rate + 8 * classCapacity;
    if (end > 2 ** 31) return undefined; // beyond 32-bit signed offsets: the TypeScript path
    const k = instantiateOwnMemory(blockModule, Math.ceil(end / PAGE_BYTES), 'KMC block-selector WASM kernel');
    if (!k) return undefined;
    return new BlockKernel(k.memory, k.exports, blockSize, slotCount, idBytes, classCapacity, { tree, dirty, isDirty, ids, rate, P, blocks });
  }

  private kernels(): void {
    const w = this.idBytes === 2 ? '16' : '32', x = this.exports;
    this.flush = x[`flush${w}`] as (n: number) => number;
    this.select = x[`select${w}`] as (u: number) => number;
    this.build = x[`build${w}`] as () => number;
  }

  /**
   * The slot ids from 16 to 32 bits in place: the memory grows by 2 bytes per slot, the class rates (last) move up to
   * make room, and the ids are widened from the last to the first (each 32-bit id covers 16-bit ids of higher index
   * only, already read). No second copy of the ids or of the memory exists at any time. The views are re-made.
   */
  widenIds(): Uint32Array<ArrayBuffer> {
    if (this.idBytes === 4) return this.ids as Uint32Array<ArrayBuffer>;
    const o = this.offsets, n = this.slotCount;
    const rate = align8(o.ids + 4 * n);
    const end = rate + 8 * this.classCapacity;
    const pages = Math.ceil(end / PAGE_BYTES) - this.memory.buffer.byteLength / PAGE_BYTES;
    if (pages > 0) this.memory.grow(pages);
    const b = this.memory.buffer;
    new Uint8Array(b).copyWithin(rate, o.rate, o.rate + 8 * this.classCapacity);
    const narrow = new Uint16Array(b, o.ids, n), wide = new Uint32Array(b, o.ids, n);
    for (let i = n - 1; i >= 0; i--) wide[i] = narrow[i]!;
    o.rate = rate;
    new Int32Array(b, 0, HEADER_BYTES / 4)[H_RATE / 4] = rate;
    this.idBytes = 4;
    this.kernels();
    this.views();
    return this.ids as Uint32Array<ArrayBuffer>;
  }

  /** Bytes of the memory. */
  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /** Room for `count` class rates: the memory grows in place (the class rates are last); the views are re-made. */
  ensureClasses(count: number): boolean {
    if (count <= this.classCapacity) return false;
    let n = this.classCapacity;
    while (n < count) n *= 2;
    const end = this.offsets.rate + 8 * n;
    const pages = Math.ceil(end / PAGE_BYTES) - this.memory.buffer.byteLength / PAGE_BYTES;
    if (pages > 0) this.memory.grow(pages);
    this.classCapacity = n;
    this.views();
    return true;
  }

  private views(): void {
    const b = this.memory.buffer, o = this.offsets;
    this.tree = new Float64Array(b, o.tree, 2 * o.P);
    this.dirty = new Int32Array(b, o.dirty, WASM_DIRTY_CAPACITY);
    this.isDirty = new Uint8Array(b, o.isDirty, o.blocks);
    this.ids = this.idBytes === 2 ? new Uint16Array(b, o.ids, this.slotCount) : new Uint32Array(b, o.ids, this.slotCount);
    this.classRate = new Float64Array(b, o.rate, this.classCapacity);
  }
}
