/**
 * Rate classes of the NCM model (kmos-style): every slot's Arrhenius data is a function of a small
 * pattern code (event kind and the environment variant that picks its E_KRA and floor) and the
 * bond-model ΔE of the pair, named exactly by its integer key (`delta.ts`), both computed from the two
 * sites' species and packed neighbour counts. The table interns (code, key) pairs; a slot stores
 * only its class id (2 bytes), and a new thinning window re-evaluates (ν, Ea) once per class, not
 * once per slot. A small direct-mapped memo (`memo`, 128 KB) maps a cation pair's inputs (the bits of
 * its two packed words that its class reads, `memoMask`) straight to its class id.
 */
import type { SlotClassTable } from '../model.js';

/** Largest id a Uint16 slot table can hold (the table switches the slot ids to Uint32 beyond it). */
const U16_MAX = 0xffff;
/** Entries of the pair-class memo (a power of two; 16 bytes each). */
export const MEMO_SIZE = 1 << 13;
/** Ids per pattern code in the packed table entries (ids < 2^24). */
const ID_SPAN = 2 ** 24;

export class NcmRateClasses implements SlotClassTable {
  /** Class id per slot (0 = no event). Uint16 until more than 65 535 classes exist, then Uint32. */
  ids: Uint16Array | Uint32Array;
  /** Number of classes; class 0 is "no event" (ν = 0). */
  count = 1;
  /** Pattern code per class (kind + 16·variant, see rates.ts). */
  code = new Int32Array(256);
  /** ΔE key per class (`delta.ts`). */
  key = new Float64Array(256);
  /** Bond-model ΔE per class, eV (decoded from the key when the class is created). */
  dE_eV = new Float64Array(256);
  /** Arrhenius data per class in the current window (filled by the model's `refresh`). */
  nu_Hz = new Float64Array(256);
  barrier_eV = new Float64Array(256);
  cap_Hz = new Float64Array(256).fill(Infinity);
  /** Open-addressing table, two doubles per entry: the key, then code·2^24 + id + 1 (0 = empty). */
  private table = new Float64Array(2 * 1024);
  /**
   * Direct-mapped memo of cation-pair classes (rates.ts `pairClass`): four Int32 per entry, the two
   * packed count words, the pair's kind-table index (−1 = empty) and the class id. A class is a pure
   * function of those three, and ids live until `reset`, so a hit skips the key and the interning.
   */
  readonly memo = new Int32Array(4 * MEMO_SIZE).fill(-1);

  /**
   * @param slotCount slots (site × 12 directions).
   * @param memoMask the memo's key masks by kind-table index (rates.ts `memoMasks`): a cation pair's
   *   two packed words are masked to the bits its class reads before the memo is probed.
   */
  constructor(readonly slotCount: number, readonly memoMask: Int32Array) {
    this.ids = new Uint16Array(slotCount);
  }

  /** SlotClassTable.adoptIds: write the slot ids into `ids` from now on (it holds them already); widen them with `widen`. */
  adoptIds(ids: Uint16Array | Uint32Array, widen: (ids: Uint16Array) => Uint32Array): void {
    // (the array it replaces may be a view of a memory that grew since: detached, length 0)
    if (ids.length !== this.slotCount || ids.BYTES_PER_ELEMENT !== this.ids.BYTES_PER_ELEMENT) {
      throw new Error(`NcmRateClasses.adoptIds: ${ids.length} ids of ${ids.BYTES_PER_ELEMENT} bytes, expected ${this.slotCount} of ${this.ids.BYTES_PER_ELEMENT}`);
    }
    this.ids = ids;
    this.widen = widen;
  }

  /** How the ids become 32-bit past 65 535 classes: in place where the selector keeps them (`adoptIds`), else a copy. */
  private widen = (ids: Uint16Array): Uint32Array => Uint32Array.from(ids);

  /** Forget every class (ids are reset to 0). */
  reset(): void {
    this.count = 1;
    this.table.fill(0);
    this.ids.fill(0);
    this.memo.fill(-1);
  }

  /**
   * Id of the class (code, ΔE key = keyIn[0]), created on first sight (`create` then sets its ΔE and
   * Arrhenius data). The key comes in a typed array: a large double passed to a call that is not
   * inlined would be boxed on the heap.
   */
  intern(code: number, keyIn: Float64Array, create: (id: number) => void): number {
    const key = keyIn[0]!;
    const t = this.table;
    const mask = (t.length >> 1) - 1;
    const tag = code * ID_SPAN;
    for (let j = hash(code, keyIn, 0) & mask; ; j = (j + 1) & mask) {
      const meta = t[2 * j + 1]!;
      if (meta === 0) return this.insert(code, j, create, keyIn);
      if (t[2 * j] === key && meta > tag && meta <= tag + ID_SPAN) return meta - tag - 1;
    }
  }

  private insert(code: number, j: number, create: (id: number) => void, keyIn: Float64Array): number {
    const key = keyIn[0]!;
    const id = this.count++;
    if (id >= ID_SPAN - 1) throw new Error(`NcmRateClasses: more than ${ID_SPAN - 2} rate classes`);
    if (id >= this.code.length) this.grow();
    if (id > U16_MAX && this.ids instanceof Uint16Array) this.ids = this.widen(this.ids);
    this.code[id] = code;
    this.key[id] = key;
    this.table[2 * j] = key;
    this.table[2 * j + 1] = code * ID_SPAN + id + 1;
    create(id);
    if (4 * this.count > this.table.length) this.rehash();
    return id;
  }

  /** Bytes held in typed arrays (slot ids included). */
  get byteLength(): number {
    return this.ids.byteLength + this.tableByteLength;
  }

  /** Bytes of the per-class arrays and the hash table (independent of the lattice size; ~1 MB per 20 000 classes). */
  get tableByteLength(): number {
    return this.code.byteLength + this.key.byteLength * 5 + this.table.byteLength + this.memo.byteLength + this.memoMask.byteLength;
  }

  private grow(): void {
    const n = this.code.length * 2;
    const g = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.code = g(this.code, (m) => new Int32Array(m));
    this.key = g(this.key, (m) => new Float64Array(m));
    this.dE_eV = g(this.dE_eV, (m) => new Float64Array(m));
    this.nu_Hz = g(this.nu_Hz, (m) => new Float64Array(m));
    this.barrier_eV = g(this.barrier_eV, (m) => new Float64Array(m));
    this.cap_Hz = g(this.cap_Hz, (m) => new Float64Array(m).fill(Infinity));
  }

  private rehash(): void {
    const t = new Float64Array(this.table.length * 2);
    const mask = (t.length >> 1) - 1;
    for (let id = 1; id < this.count; id++) {
      const code = this.code[id]!, key = this.key[id]!;
      let j = hash(code, this.key, id) & mask;
      while (t[2 * j + 1] !== 0) j = (j + 1) & mask;
      t[2 * j] = key;
      t[2 * j + 1] = code * ID_SPAN + id + 1;
    }
    this.table = t;
  }
}

/**
 * Hash of (code, integer-valued key `keys[i]` with |key| < 2^53): its low and high 32-bit words
 * mixed (the key is read from the array: a double argument to a call that is not inlined is boxed).
 */
function hash(code: number, keys: Float64Array, i: number): number {
  const key = keys[i]!;
  let h = Math.imul((key | 0) ^ Math.imul(code + 0x7f4a7c15, 0x9e3779b1), 0x85ebca6b);
  h = Math.imul(h ^ ((key / 4294967296) | 0) ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
