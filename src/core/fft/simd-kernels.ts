/**
 * WebAssembly SIMD kernels for the work around the FFT (complex multiplies, complex transposes), on the PFFFT
 * module's own memory (imported, so they read and write the heap the transforms use). The module is assembled here
 * from its bytes (a few hundred; no toolchain needed) and instantiated synchronously; `simdKernels()` is undefined
 * where WASM SIMD is missing or the module fails to validate, and callers then keep their TypeScript loops.
 *
 * Kernels (pointers in bytes, complex numbers as interleaved float32 pairs):
 *  - cmulPlanar(a, tr, ti, n): a[k] *= tr[k] + i·ti[k] for k < n (n a multiple of 4; tr, ti planar float32);
 *  - cmul(a, b, n): a[k] *= b[k] (both interleaved; n even);
 *  - transposeW(src, dst, ss, ds, I, J): dst[j·ds + i] = src[i·ss + j] for i < I (I a multiple of 8), j < J,
 *    writing 8 consecutive complex numbers per step (strides in complex elements);
 *  - transposeR(src, dst, ss, ds, I, J): dst[i·ds + j] = src[j·ss + i], reading 8 consecutive per step;
 *  - PFFFT's unordered ("z-domain") spectra, rows of n/4 blocks of 8 floats (four real parts, then four imaginary;
 *    pffft.ts zPosition): zTransposeW(src, dst, ss, ds, I, flags, K) reads blocks k < K of rows i < I (I even) of src
 *    (row stride ss complex numbers) and writes the block's four complex numbers of each row as rows 4k…4k+3 of dst
 *    (interleaved, stride ds), for the blocks whose byte flags[k] is not 0; zTransposeR(src, dst, ss, ds, I, flags, K)
 *    is its inverse for the blocks whose flag is 1, writes zeros into those whose flag is 0 and leaves the others
 *    alone; cmulZ(a, b, m) multiplies m blocks,
 *    a[k] *= b[k], both in block layout (the same float32 operations as cmul, so the same bits);
 *  - interleave(re, im, dst, n): planar float32 re, im (n a multiple of 4) to interleaved complex dst;
 *    deinterleave(src, re, im, n, scale): back to planar, each value the float64 product by `scale` rounded to
 *    float32 (what a Float32Array store of `value * scale` gives: pffft.ts's inverse scaling, the same bits).
 * Measured in bench/multislice.bench.ts against the TypeScript loops they replace (same run).
 */

/** The exported kernels. */
export interface SimdKernels {
  cmulPlanar(a: number, tr: number, ti: number, n: number): void;
  cmul(a: number, b: number, n: number): void;
  transposeW(src: number, dst: number, ss: number, ds: number, I: number, J: number): void;
  transposeR(src: number, dst: number, ss: number, ds: number, I: number, J: number): void;
  zTransposeW(src: number, dst: number, ss: number, ds: number, I: number, flags: number, K: number): void;
  zTransposeR(src: number, dst: number, ss: number, ds: number, I: number, flags: number, K: number): void;
  cmulZ(a: number, b: number, m: number): void;
  interleave(re: number, im: number, dst: number, n: number): void;
  deinterleave(src: number, re: number, im: number, n: number, scale: number): void;
}

// --- a minimal WebAssembly binary writer (exported for the project's other hand-built kernels) ----------------------
export const uleb = (v: number): number[] => {
  const out: number[] = [];
  do { let b = v & 0x7f; v >>>= 7; if (v !== 0) b |= 0x80; out.push(b); } while (v !== 0);
  return out;
};
export const sleb = (v: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) { out.push(b); return out; }
    out.push(b | 0x80);
  }
};
export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
export const str = (s: string): number[] => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

export const I32 = 0x7f, V128 = 0x7b;
export const get = (i: number): number[] => [0x20, ...uleb(i)];
export const set = (i: number): number[] => [0x21, ...uleb(i)];
export const tee = (i: number): number[] => [0x22, ...uleb(i)];
export const i32c = (v: number): number[] => [0x41, ...sleb(v)];
const ADD = [0x6a], MUL = [0x6c], SHL = [0x74], GE_U = [0x4f];
export const simd = (op: number): number[] => [0xfd, ...uleb(op)];
export const v128load = (offset = 0): number[] => [...simd(0x00), 4, ...uleb(offset)];
export const v128store = (offset = 0): number[] => [...simd(0x0b), 4, ...uleb(offset)];
const i64load = (offset = 0): number[] => [0x29, 3, ...uleb(offset)];
const i64store = (offset = 0): number[] => [0x37, 3, ...uleb(offset)];
const F4ADD = simd(0xe4), F4SUB = simd(0xe5), F4MUL = simd(0xe6);
const LOAD8U = [0x2d, 0, 0];
/** i8x16.shuffle selecting float32 lanes (0–3 from the first operand, 4–7 from the second). */
const shuffle = (lanes: number[]): number[] => [...simd(0x0d), ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3])];
const f4const = (v: number[]): number[] => [...simd(0x0c), ...new Uint8Array(Float32Array.from(v).buffer)];
const SIGN = f4const([-1, 1, -1, 1]);
const PROMOTE_LOW = simd(0x5f), DEMOTE_ZERO = simd(0x5e), D2MUL = simd(0xf2);
/** block { loop { if (cond) break; body; continue } } */
/**
 * fdlibm's e_exp.c constants (FreeBSD msun; V8's Math.exp is this code, base/ieee754.cc): the one table of the
 * WebAssembly forms that repeat Math.exp's float64 steps bit for bit (core poisson-wasm.ts, scalar; dataset
 * labels-simd.ts, two lanes). ln2 = ln2hi + ln2lo; P1…P5 the remez polynomial of R(r²); the high-word bounds of
 * |x| for ½ln2 and 1.5·ln2, and 2⁻²⁸ below which exp(x) = 1 + x.
 */
export const FDLIBM_EXP = Object.freeze({
  ln2hi: 6.93147180369123816490e-01,
  ln2lo: 1.90821492927058770002e-10,
  invln2: 1.44269504088896338700e+00,
  P: Object.freeze([1.66666666666666019037e-01, -2.77777777770155933842e-03, 6.61375632143793436117e-05, -1.65339022054652515390e-06, 4.13813679705723846039e-08] as const),
  halfLn2HighWord: 0x3fd62e42,
  threeHalfLn2HighWord: 0x3ff0a2b2,
  tinyHighWord: 0x3e300000,
});

export const loopWhile = (exitCond: number[], body: number[]): number[] => [0x02, 0x40, 0x03, 0x40, ...exitCond, 0x0d, 1, ...body, 0x0c, 0, 0x0b, 0x0b];
export const func = (locals: [number, number][], body: number[]): number[] => {
  const code = [...vec(locals.map(([n, t]) => [...uleb(n), t])), ...body, 0x0b];
  return [...uleb(code.length), ...code];
};

/** out = x·trr + swap(x)·tii·(−1, 1, −1, 1): the complex product of interleaved x with (trr, tii) lane-duplicated. */
const complexProduct = (x: number, trr: number[], tii: number[]): number[] => [
  ...get(x), ...trr, ...F4MUL,
  ...get(x), ...get(x), ...shuffle([1, 0, 3, 2]), ...tii, ...F4MUL, ...SIGN, ...F4MUL, ...F4ADD,
];

function kernelModule(): Uint8Array {
  // cmulPlanar(a 0, tr 1, ti 2, n 3); locals: end 4, x0 5, x1 6, R 7, Im 8
  const cmulPlanar = func([[1, I32], [4, V128]], [
    ...get(0), ...get(3), ...i32c(3), ...SHL, ...ADD, ...set(4),
    ...loopWhile([...get(0), ...get(4), ...GE_U], [
      ...get(1), ...v128load(), ...set(7), ...get(2), ...v128load(), ...set(8),
      ...get(0), ...v128load(), ...set(5), ...get(0), ...v128load(16), ...set(6),
      ...get(0), ...complexProduct(5, [...get(7), ...get(7), ...shuffle([0, 0, 1, 1])], [...get(8), ...get(8), ...shuffle([0, 0, 1, 1])]), ...v128store(),
      ...get(0), ...complexProduct(6, [...get(7), ...get(7), ...shuffle([2, 2, 3, 3])], [...get(8), ...get(8), ...shuffle([2, 2, 3, 3])]), ...v128store(16),
      ...get(0), ...i32c(32), ...ADD, ...set(0), ...get(1), ...i32c(16), ...ADD, ...set(1), ...get(2), ...i32c(16), ...ADD, ...set(2),
    ]),
  ]);
  // cmul(a 0, b 1, n 2); locals: end 3, x 4, y 5
  const cmul = func([[1, I32], [2, V128]], [
    ...get(0), ...get(2), ...i32c(3), ...SHL, ...ADD, ...set(3),
    ...loopWhile([...get(0), ...get(3), ...GE_U], [
      ...get(0), ...v128load(), ...set(4), ...get(1), ...v128load(), ...set(5),
      ...get(0), ...complexProduct(4, [...get(5), ...get(5), ...shuffle([0, 0, 2, 2])], [...get(5), ...get(5), ...shuffle([1, 1, 3, 3])]), ...v128store(),
      ...get(0), ...i32c(16), ...ADD, ...set(0), ...get(1), ...i32c(16), ...ADD, ...set(1),
    ]),
  ]);
  // transposeW(src 0, dst 1, ss 2, ds 3, I 4, J 5): for ib (step 8) { for j { d = dst + (j·ds + ib)·8; r = src + (ib·ss + j)·8;
  //   8×: store(d + 8k, load(r)); r += ss·8 } }. locals: ib 6, j 7, d 8, r 9, ss8 10
  const transposeBody = (writeContiguous: boolean): number[] => {
    const eight: number[] = [];
    for (let k = 0; k < 8; k++) {
      if (writeContiguous) eight.push(...get(8), ...get(9), ...i64load(), ...i64store(8 * k), ...get(9), ...get(10), ...ADD, ...set(9));
      else eight.push(...get(9), ...get(8), ...i64load(8 * k), ...i64store(), ...get(9), ...get(10), ...ADD, ...set(9));
    }
    // W: d = dst + (j·ds + ib)·8 (contiguous writes), r = src + (ib·ss + j)·8, step ss·8 between reads.
    // R: d = src + (j·ss + ib)·8 (contiguous reads), r = dst + (ib·ds + j)·8, step ds·8 between writes.
    const [cs, cstride, os, ostride] = writeContiguous ? [1, 3, 0, 2] : [0, 2, 1, 3];
    return [
      ...get(ostride), ...i32c(3), ...SHL, ...set(10),
      ...i32c(0), ...set(6),
      ...loopWhile([...get(6), ...get(4), ...GE_U], [
        ...i32c(0), ...set(7),
        ...loopWhile([...get(7), ...get(5), ...GE_U], [
          ...get(cs), ...get(7), ...get(cstride), ...MUL, ...get(6), ...ADD, ...i32c(3), ...SHL, ...ADD, ...set(8),
          ...get(os), ...get(6), ...get(ostride), ...MUL, ...get(7), ...ADD, ...i32c(3), ...SHL, ...ADD, ...set(9),
          ...eight,
          ...get(7), ...i32c(1), ...ADD, ...set(7),
        ]),
        ...get(6), ...i32c(8), ...ADD, ...set(6),
      ]),
    ];
  };
  const transposeW = func([[5, I32]], transposeBody(true));
  const transposeR = func([[5, I32]], transposeBody(false));
  // Block-layout transposes, params (src 0, dst 1, ss 2, ds 3, I 4, flags 5, K 6); locals k 7, i 8, d 9, r 10,
  // ss8 11, ds8 12 (i32), v 13…16, lo 17, hi 18 (v128). Two rows i, i+1 per step.
  const k = 7, i = 8, d = 9, r = 10, ss8 = 11, ds8 = 12, v0 = 13, lo = 17, hi = 18;
  const zPrologue = [...get(2), ...i32c(3), ...SHL, ...set(ss8), ...get(3), ...i32c(3), ...SHL, ...set(ds8), ...i32c(0), ...set(k)];
  const nextK = [...get(k), ...i32c(1), ...ADD, ...set(k)];
  const flagSet = [...get(5), ...get(k), ...ADD, ...LOAD8U];
  // W: r = src + 32k (row i's block), d = dst + 4k·ds8 (row 4k of dst, column i); per step rows i, i+1 → 4 columns.
  const zW = func([[6, I32], [6, V128]], [
    ...zPrologue,
    ...loopWhile([...get(k), ...get(6), ...GE_U], [
      ...flagSet, 0x04, 0x40,
      ...get(0), ...get(k), ...i32c(5), ...SHL, ...ADD, ...set(r),
      ...get(1), ...get(k), ...i32c(2), ...SHL, ...get(ds8), ...MUL, ...ADD, ...set(d),
      ...i32c(0), ...set(i),
      ...loopWhile([...get(i), ...get(4), ...GE_U], [
        ...get(r), ...v128load(), ...set(v0), ...get(r), ...v128load(16), ...set(v0 + 1),
        ...get(r), ...get(ss8), ...ADD, ...tee(r), ...v128load(), ...set(v0 + 2), ...get(r), ...v128load(16), ...set(v0 + 3),
        ...get(r), ...get(ss8), ...ADD, ...set(r),
        // lo = (r0 i0 r1 i1) of row i, hi = the same of row i+1 (lanes 0, 1), then lanes 2, 3 below
        ...get(v0), ...get(v0 + 1), ...shuffle([0, 4, 1, 5]), ...set(lo), ...get(v0 + 2), ...get(v0 + 3), ...shuffle([0, 4, 1, 5]), ...set(hi),
        ...get(d), ...get(lo), ...get(hi), ...shuffle([0, 1, 4, 5]), ...v128store(),
        ...get(d), ...get(ds8), ...ADD, ...get(lo), ...get(hi), ...shuffle([2, 3, 6, 7]), ...v128store(),
        ...get(v0), ...get(v0 + 1), ...shuffle([2, 6, 3, 7]), ...set(lo), ...get(v0 + 2), ...get(v0 + 3), ...shuffle([2, 6, 3, 7]), ...set(hi),
        ...get(d), ...get(ds8), ...i32c(1), ...SHL, ...ADD, ...get(lo), ...get(hi), ...shuffle([0, 1, 4, 5]), ...v128store(),
        ...get(d), ...get(ds8), ...i32c(3), ...MUL, ...ADD, ...get(lo), ...get(hi), ...shuffle([2, 3, 6, 7]), ...v128store(),
        ...get(d), ...i32c(16), ...ADD, ...set(d),
        ...get(i), ...i32c(2), ...ADD, ...set(i),
      ]),
      0x0b,
      ...nextK,
    ]),
  ]);
  const zero = f4const([0, 0, 0, 0]);
  // R: rows i, i+1 per step (outer), blocks k inner: r = src + 4k·ss8 + 8i (rows 4k… of src at column i), d = dst +
  // i·ds8 + 32k (row i's block); copies where the flag is 1, zeros where it is 0, leaves the block alone otherwise.
  // (Rows outer measured faster than blocks outer for R, the other way round for W: bench/RESULTS.md.)
  const rowLoop = (inner: number[]): number[] => [
    ...get(2), ...i32c(3), ...SHL, ...set(ss8), ...get(3), ...i32c(3), ...SHL, ...set(ds8), ...i32c(0), ...set(i),
    ...loopWhile([...get(i), ...get(4), ...GE_U], [
      ...i32c(0), ...set(k),
      ...loopWhile([...get(k), ...get(6), ...GE_U], [...inner, ...nextK]),
      ...get(i), ...i32c(2), ...ADD, ...set(i),
    ]),
  ];
  const zR = func([[6, I32], [6, V128]], rowLoop([
    ...get(0), ...get(k), ...i32c(2), ...SHL, ...get(ss8), ...MUL, ...ADD, ...get(i), ...i32c(3), ...SHL, ...ADD, ...set(r),
    ...get(1), ...get(i), ...get(ds8), ...MUL, ...ADD, ...get(k), ...i32c(5), ...SHL, ...ADD, ...set(d),
    ...flagSet, ...i32c(1), 0x46, 0x04, 0x40,
    ...get(r), ...v128load(), ...set(v0), ...get(r), ...get(ss8), ...ADD, ...v128load(), ...set(v0 + 1),
    ...get(r), ...get(ss8), ...i32c(1), ...SHL, ...ADD, ...v128load(), ...set(v0 + 2),
    ...get(r), ...get(ss8), ...i32c(3), ...MUL, ...ADD, ...v128load(), ...set(v0 + 3),
    ...get(v0), ...get(v0 + 1), ...shuffle([0, 1, 4, 5]), ...set(lo), ...get(v0 + 2), ...get(v0 + 3), ...shuffle([0, 1, 4, 5]), ...set(hi),
    ...get(d), ...get(lo), ...get(hi), ...shuffle([0, 2, 4, 6]), ...v128store(),
    ...get(d), ...get(lo), ...get(hi), ...shuffle([1, 3, 5, 7]), ...v128store(16),
    ...get(v0), ...get(v0 + 1), ...shuffle([2, 3, 6, 7]), ...set(lo), ...get(v0 + 2), ...get(v0 + 3), ...shuffle([2, 3, 6, 7]), ...set(hi),
    ...get(d), ...get(ds8), ...ADD, ...tee(d), ...get(lo), ...get(hi), ...shuffle([0, 2, 4, 6]), ...v128store(),
    ...get(d), ...get(lo), ...get(hi), ...shuffle([1, 3, 5, 7]), ...v128store(16),
    0x05, ...flagSet, 0x45, 0x04, 0x40,
    ...get(d), ...zero, ...v128store(), ...get(d), ...zero, ...v128store(16),
    ...get(d), ...get(ds8), ...ADD, ...tee(d), ...zero, ...v128store(), ...get(d), ...zero, ...v128store(16),
    0x0b, 0x0b,
  ]));
  // cmulZ(a 0, b 1, m 2): blocks of (4 real, 4 imaginary); locals end 3, ar 4, ai 5, br 6, bi 7.
  const cmulZ = func([[1, I32], [4, V128]], [
    ...get(0), ...get(2), ...i32c(5), ...SHL, ...ADD, ...set(3),
    ...loopWhile([...get(0), ...get(3), ...GE_U], [
      ...get(0), ...v128load(), ...set(4), ...get(0), ...v128load(16), ...set(5),
      ...get(1), ...v128load(), ...set(6), ...get(1), ...v128load(16), ...set(7),
      ...get(0), ...get(4), ...get(6), ...F4MUL, ...get(5), ...get(7), ...F4MUL, ...F4SUB, ...v128store(),
      ...get(0), ...get(4), ...get(7), ...F4MUL, ...get(5), ...get(6), ...F4MUL, ...F4ADD, ...v128store(16),
      ...get(0), ...i32c(32), ...ADD, ...set(0), ...get(1), ...i32c(32), ...ADD, ...set(1),
    ]),
  ]);
  // interleave(re 0, im 1, dst 2, n 3): dst[2i] = re[i], dst[2i + 1] = im[i] (float32, n a multiple of 4); locals
  // end 4, r 5, m 6.
  const interleave = func([[1, I32], [2, V128]], [
    ...get(0), ...get(3), ...i32c(2), ...SHL, ...ADD, ...set(4),
    ...loopWhile([...get(0), ...get(4), ...GE_U], [
      ...get(0), ...v128load(), ...set(5), ...get(1), ...v128load(), ...set(6),
      ...get(2), ...get(5), ...get(6), ...shuffle([0, 4, 1, 5]), ...v128store(),
      ...get(2), ...get(5), ...get(6), ...shuffle([2, 6, 3, 7]), ...v128store(16),
      ...get(0), ...i32c(16), ...ADD, ...set(0), ...get(1), ...i32c(16), ...ADD, ...set(1), ...get(2), ...i32c(32), ...ADD, ...set(2),
    ]),
  ]);
  // deinterleave(src 0, re 1, im 2, n 3, scale 4 (f64)): re[i] = f32(f64(src[2i])·scale), im[i] = f32(f64(src[2i + 1])·scale)
  // (the float64 product rounded to float32, as a Float32Array store of it); locals end 5, a 6, b 7, v 8, vs 9.
  const scaled = (v: number[]): number[] => [
    ...v, ...set(8),
    ...get(8), ...PROMOTE_LOW, ...get(9), ...D2MUL, ...DEMOTE_ZERO,
    ...get(8), ...get(8), ...shuffle([2, 3, 2, 3]), ...PROMOTE_LOW, ...get(9), ...D2MUL, ...DEMOTE_ZERO,
    ...shuffle([0, 1, 4, 5]),
  ];
  const deinterleave = func([[1, I32], [4, V128]], [
    ...get(0), ...get(3), ...i32c(3), ...SHL, ...ADD, ...set(5), ...get(4), ...simd(0x14), ...set(9),
    ...loopWhile([...get(0), ...get(5), ...GE_U], [
      ...get(0), ...v128load(), ...set(6), ...get(0), ...v128load(16), ...set(7),
      ...get(1), ...scaled([...get(6), ...get(7), ...shuffle([0, 2, 4, 6])]), ...v128store(),
      ...get(2), ...scaled([...get(6), ...get(7), ...shuffle([1, 3, 5, 7])]), ...v128store(),
      ...get(0), ...i32c(32), ...ADD, ...set(0), ...get(1), ...i32c(16), ...ADD, ...set(1), ...get(2), ...i32c(16), ...ADD, ...set(2),
    ]),
  ]);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32]]), 0], [0x60, ...vec([[I32], [I32], [I32]]), 0], [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), 0],
      [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [I32]]), 0], [0x60, ...vec([[I32], [I32], [I32], [I32], [0x7c]]), 0]])),
    ...section(2, vec([[...str('env'), ...str('mem'), 0x02, 0x00, 0x00]])),
    ...section(3, vec([[0], [1], [2], [2], [3], [3], [1], [0], [4]])),
    ...section(7, vec([[...str('cmulPlanar'), 0, 0], [...str('cmul'), 0, 1], [...str('transposeW'), 0, 2], [...str('transposeR'), 0, 3],
      [...str('zTransposeW'), 0, 4], [...str('zTransposeR'), 0, 5], [...str('cmulZ'), 0, 6], [...str('interleave'), 0, 7], [...str('deinterleave'), 0, 8]])),
    ...section(10, vec([cmulPlanar, cmul, transposeW, transposeR, zW, zR, cmulZ, interleave, deinterleave])),
  ];
  return Uint8Array.from(bytes);
}

export interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (d: { initial: number; maximum?: number }) => { buffer: ArrayBuffer; grow(pages: number): number };
}
export const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** A WebAssembly memory as the kernels use it. */
export type WasmMemory = InstanceType<WasmApi['Memory']>;

/**
 * A kernel module instantiated on its own memory (`pages` × 64 KiB, imported as env.mem, with `imports` beside it in
 * env), or undefined where WebAssembly (SIMD) is unavailable or CATHODE_NO_SIMD_KERNELS is set; `what` names it in the
 * CATHODE_DEBUG_FFT message. The one place the project's own-memory kernels (near splat, labels, Poisson noise) are
 * instantiated; each caller keeps its instance.
 */
export function instantiateOwnMemory(bytes: () => Uint8Array, pages: number, what: string, imports: Record<string, unknown> = {}): { memory: WasmMemory; exports: Record<string, unknown> } | undefined {
  if (process.env.CATHODE_NO_SIMD_KERNELS) return undefined;
  try {
    const memory = new WA.Memory({ initial: pages });
    const inst = new WA.Instance(new WA.Module(bytes()), { env: { mem: memory, ...imports } });
    return { memory, exports: inst.exports };
  } catch (e) {
    if (process.env.CATHODE_DEBUG_FFT) console.error(`${what} unavailable:`, e);
    return undefined;
  }
}

const instances = new WeakMap<object, SimdKernels | null>();

/** The kernels bound to `memory` (the PFFFT module's), or undefined where WASM SIMD is unavailable. */
export function simdKernelsFor(memory: object): SimdKernels | undefined {
  const hit = instances.get(memory);
  if (hit !== undefined) return hit ?? undefined;
  let k: SimdKernels | null = null;
  if (!process.env.CATHODE_NO_SIMD_KERNELS) {
    try {
      const inst = new WA.Instance(new WA.Module(kernelModule()), { env: { mem: memory } });
      k = inst.exports as unknown as SimdKernels;
    } catch (e) {
      if (process.env.CATHODE_DEBUG_FFT) console.error('simd kernels unavailable:', e);
    }
  }
  instances.set(memory, k);
  return k ?? undefined;
}
