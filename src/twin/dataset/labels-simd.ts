/**
 * The label rasteriser's per-pixel loops (labels.ts rasterizeLabels) as WebAssembly kernels, each performing the same
 * float64 operations in the same order as the TypeScript loop it replaces, so the masks and heat maps are
 * bit-identical (tested):
 *  - phaseRows: a column's phase disk, row by row: the chord from the same square root and exact end tests, then
 *    either a plain fill (a column whose neighbourhood has its phase only) or, per pixel, d² < best → best = d²
 *    (float32), phase;
 *  - heatBox: a column's separable Gaussian box, heat = max(heat, ey[j]·ex[i]) on the float32 heat map, two pixels
 *    per step (f64x2: the float32 values widened, compared and narrowed back: pmax(h, v) = h < v ? v : h, the same
 *    as `if (v > h) h = v`);
 *  - halfFromFloat: the heat maps' float32 bits to IEEE half bits (non-negative finite values; the same integer
 *    operations as labels.ts halfFromFloat), four values per step (i32x4) where no lane needs a subnormal half.
 * Assembled from its bytes with the project's minimal WASM writer (src/core/fft/simd-kernels.ts). `labelSimd()` is
 * undefined where WASM SIMD is missing (or CATHODE_NO_SIMD_KERNELS is set): the rasteriser keeps its TypeScript loops.
 *
 * phaseRows(ph, best, W, H, ci, cj, rPh, rPh2, phase, uniform): ph = byte address of the uint8 phase mask, best of
 * the float32 best distances (W·H each).
 * heatBox(heat, W, h0, h1, v0, v1, ex, ey): heat = byte address of the channel's float32 map; ex[i − h0] and
 * ey[j − v0] float64 at bytes ex, ey.
 * halfFromFloat(src, dst, n): n float32 at byte src to n uint16 at byte dst.
 */
import { FDLIBM_EXP, I32, V128, func, instantiateOwnMemory, get, i32c, loopWhile, section, set, simd, str, tee, uleb, v128store, vec } from '../../core/fft/simd-kernels.js';

const F64 = 0x7c;
const f64c = (v: number): number[] => [0x44, ...new Uint8Array(Float64Array.of(v).buffer)];
const F64LOAD = (o = 0): number[] => [0x2b, 3, ...uleb(o)];
const F32LOAD = [0x2a, 2, 0], F32STORE = [0x38, 2, 0], I32LOAD = [0x28, 2, 0], STORE8 = [0x3a, 0, 0], STORE16 = [0x3b, 1, 0];
const [IADD, ISUB, IMUL, ISHL, ISHRU, ISHRS, IAND, IOR, ILTU, ILTS, ILES] = [[0x6a], [0x6b], [0x6c], [0x74], [0x76], [0x75], [0x71], [0x72], [0x49], [0x48], [0x4c]];
const [FCEIL, FFLOOR, FSQRT, FADD, FSUB, FMUL, FMIN, FMAX] = [[0x9b], [0x9c], [0x9f], [0xa0], [0xa1], [0xa2], [0xa4], [0xa5]];
const [FLT, FGT, FLE] = [[0x63], [0x64], [0x65]];
const I32_TRUNC_F64 = [0xaa], F64_CONVERT_I32 = [0xb7], PROMOTE = [0xbb], DEMOTE = [0xb6];
const IF = [0x04, 0x40], ELSE = [0x05], END = [0x0b], EQZ = [0x45];
const MEMFILL = [0xfc, 0x0b, 0x00];
const [D2SPLAT, D2MUL, D2PMAX] = [simd(0x14), simd(0xf2), simd(0xf7)];
const LOAD64ZERO = [...simd(0x5d), 3, 0], PROMOTE_LOW = simd(0x5f), DEMOTE_ZERO = simd(0x5e), V128LOAD = [...simd(0x00), 3, 0];
const STORE64LANE0 = [...simd(0x5b), 3, 0, 0];

/** The exported kernels. */
export interface LabelSimd {
  readonly memory: { buffer: ArrayBuffer; grow(pages: number): number };
  phaseRows(ph: number, best: number, W: number, H: number, ci: number, cj: number, rPh: number, rPh2: number, phase: number, uniform: number): void;
  heatBox(heat: number, W: number, h0: number, h1: number, v0: number, v1: number, ex: number, ey: number): void;
  halfFromFloat(src: number, dst: number, n: number): void;
  /** Math.exp(−(i − c)·(i − c)·a) for i = lo … hi to float64 at byte dst (one more when the count is odd). */
  gaussFactors(dst: number, lo: number, hi: number, c: number, a: number): void;
}

function labelModule(): Uint8Array {
  // phaseRows: ph 0, best 1, W 2, H 3 (i32); ci 4, cj 5, rPh 6, rPh2 7 (f64); phase 8, uniform 9 (i32).
  // Locals: row 10, k 11, kend 12 (i32); j 13, j1 14, dy2 15, half 16, i0 17, i1 18, x 19, d2 20, i 21 (f64).
  const [ph, best, W, H, ci, cj, rPh, rPh2, phase, uniform] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [row, k, kend, j, j1, dy2, half, i0, i1, x, d2, i] = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21];
  // (v − ci)² + dy2 for the f64 on the stack top given as code `v`
  const sq = (v: number[]): number[] => [...v, ...get(ci), ...FSUB, ...set(x), ...get(x), ...get(x), ...FMUL, ...get(dy2), ...FADD];
  const phaseRow = [
    ...get(j), ...get(cj), ...FSUB, ...set(x), ...get(x), ...get(x), ...FMUL, ...set(dy2),
    ...get(j), ...I32_TRUNC_F64, ...get(W), ...IMUL, ...set(row),
    ...f64c(0), ...get(rPh2), ...get(dy2), ...FSUB, ...FMAX, ...FSQRT, ...set(half),
    ...get(ci), ...get(half), ...FSUB, ...FCEIL, ...set(i0),
    ...get(ci), ...get(half), ...FADD, ...FFLOOR, ...set(i1),
    // while ((i0 − 1 − ci)² + dy2 ≤ rPh2) i0−−
    ...loopWhile([...sq([...get(i0), ...f64c(1), ...FSUB]), ...get(rPh2), ...FLE, ...EQZ], [...get(i0), ...f64c(1), ...FSUB, ...set(i0)]),
    // while (i0 ≤ i1 && (i0 − ci)² + dy2 > rPh2) i0++
    ...loopWhile([...get(i0), ...get(i1), ...FLE, ...IF.slice(0, 1), 0x7f, ...sq(get(i0)), ...get(rPh2), ...FGT, ...ELSE, ...i32c(0), ...END, ...EQZ],
      [...get(i0), ...f64c(1), ...FADD, ...set(i0)]),
    // while ((i1 + 1 − ci)² + dy2 ≤ rPh2) i1++
    ...loopWhile([...sq([...get(i1), ...f64c(1), ...FADD]), ...get(rPh2), ...FLE, ...EQZ], [...get(i1), ...f64c(1), ...FADD, ...set(i1)]),
    // while (i1 ≥ i0 && (i1 − ci)² + dy2 > rPh2) i1−−
    ...loopWhile([...get(i0), ...get(i1), ...FLE, ...IF.slice(0, 1), 0x7f, ...sq(get(i1)), ...get(rPh2), ...FGT, ...ELSE, ...i32c(0), ...END, ...EQZ],
      [...get(i1), ...f64c(1), ...FSUB, ...set(i1)]),
    ...get(i0), ...f64c(0), ...FLT, ...IF, ...f64c(0), ...set(i0), ...END,
    ...get(i1), ...get(W), ...F64_CONVERT_I32, ...f64c(1), ...FSUB, ...FGT, ...IF, ...get(W), ...F64_CONVERT_I32, ...f64c(1), ...FSUB, ...set(i1), ...END,
    ...get(i0), ...get(i1), ...FLE, ...IF,
    ...get(uniform), ...IF,
    // fill bytes row + i0 … row + i1
    ...get(ph), ...get(row), ...IADD, ...get(i0), ...I32_TRUNC_F64, ...IADD, ...get(phase), ...get(i1), ...get(i0), ...FSUB, ...I32_TRUNC_F64, ...i32c(1), ...IADD, ...MEMFILL,
    ...ELSE,
    ...get(row), ...get(i0), ...I32_TRUNC_F64, ...IADD, ...set(k), ...get(i0), ...set(i),
    ...get(row), ...get(i1), ...I32_TRUNC_F64, ...IADD, ...set(kend),
    ...loopWhile([...get(k), ...get(kend), ...ILES, ...EQZ], [
      ...get(i), ...get(ci), ...FSUB, ...set(x), ...get(x), ...get(x), ...FMUL, ...get(dy2), ...FADD, ...set(d2),
      ...get(d2), ...get(best), ...get(k), ...i32c(2), ...ISHL, ...IADD, ...F32LOAD, ...PROMOTE, ...FLT, ...IF,
      ...get(best), ...get(k), ...i32c(2), ...ISHL, ...IADD, ...get(d2), ...DEMOTE, ...F32STORE,
      ...get(ph), ...get(k), ...IADD, ...get(phase), ...STORE8,
      ...END,
      ...get(i), ...f64c(1), ...FADD, ...set(i), ...get(k), ...i32c(1), ...IADD, ...set(k),
    ]),
    ...END,
    ...END,
  ];
  const phaseRows = func([[3, I32], [9, F64]], [
    ...f64c(0), ...get(cj), ...get(rPh), ...FSUB, ...FCEIL, ...FMAX, ...set(j),
    ...get(H), ...F64_CONVERT_I32, ...f64c(1), ...FSUB, ...get(cj), ...get(rPh), ...FADD, ...FFLOOR, ...FMIN, ...set(j1),
    ...loopWhile([...get(j), ...get(j1), ...FLE, ...EQZ], [...phaseRow, ...get(j), ...f64c(1), ...FADD, ...set(j)]),
  ]);
  // heatBox: heat 0, W 1, h0 2, h1 3, v0 4, v1 5, ex 6, ey 7 (i32). Locals: j 8, p 9, pend 10, e 11, eyp 12 (i32);
  // fy 13, v 14 (f64); vfy 15 (v128).
  const hb = { heat: 0, W: 1, h0: 2, h1: 3, v0: 4, v1: 5, ex: 6, ey: 7, j: 8, p: 9, pend: 10, e: 11, eyp: 12, fy: 13, v: 14, vfy: 15 };
  const heatBox = func([[5, I32], [2, F64], [1, V128]], [
    ...get(hb.v0), ...set(hb.j), ...get(hb.ey), ...set(hb.eyp),
    ...loopWhile([...get(hb.j), ...get(hb.v1), ...ILES, ...EQZ], [
      ...get(hb.eyp), ...F64LOAD(), ...tee(hb.fy), ...D2SPLAT, ...set(hb.vfy),
      ...get(hb.heat), ...get(hb.j), ...get(hb.W), ...IMUL, ...get(hb.h0), ...IADD, ...i32c(2), ...ISHL, ...IADD, ...set(hb.p),
      ...get(hb.heat), ...get(hb.j), ...get(hb.W), ...IMUL, ...get(hb.h1), ...IADD, ...i32c(1), ...IADD, ...i32c(2), ...ISHL, ...IADD, ...set(hb.pend),
      ...get(hb.ex), ...set(hb.e),
      ...loopWhile([...get(hb.p), ...i32c(8), ...IADD, ...get(hb.pend), ...ILES, ...EQZ], [
        ...get(hb.p),
        ...get(hb.p), ...LOAD64ZERO, ...PROMOTE_LOW, ...get(hb.vfy), ...get(hb.e), ...V128LOAD, ...D2MUL, ...D2PMAX, ...DEMOTE_ZERO,
        ...STORE64LANE0,
        ...get(hb.p), ...i32c(8), ...IADD, ...set(hb.p), ...get(hb.e), ...i32c(16), ...IADD, ...set(hb.e),
      ]),
      ...get(hb.p), ...get(hb.pend), ...ILTU, ...IF,
      ...get(hb.fy), ...get(hb.e), ...F64LOAD(), ...FMUL, ...set(hb.v),
      ...get(hb.v), ...get(hb.p), ...F32LOAD, ...PROMOTE, ...FGT, ...IF, ...get(hb.p), ...get(hb.v), ...DEMOTE, ...F32STORE, ...END,
      ...END,
      ...get(hb.j), ...i32c(1), ...IADD, ...set(hb.j), ...get(hb.eyp), ...i32c(8), ...IADD, ...set(hb.eyp),
    ]),
  ]);
  // halfFromFloat: src 0, dst 1, n 2 (i32). Locals: q 3, xb 4, e 5, m 6, shift 7 (i32); v 8, r 9 (v128).
  // Four values per step (i32x4): zero below 2⁻²⁵ (bits < 0x33000000), else the normal-half rounding
  // ((e << 10) | (mant >> 13)) + ((mant >> 12) & 1); a step with a lane in the subnormal-half range
  // [0x33000000, 0x38800000) (variable shifts: no SIMD form) takes the scalar path for its four values, as does the tail.
  const hf = { src: 0, dst: 1, n: 2, q: 3, xb: 4, e: 5, m: 6, shift: 7, v: 8, r: 9 };
  const [I4SPLAT, I4LTS, I4GES, V128OR, ANYTRUE, I4SHL, I4SHRU, I4ADD, I4SUB, NARROW_U] =
    [simd(0x11), simd(0x39), simd(0x3f), simd(0x50), simd(0x53), simd(0xab), simd(0xad), simd(0xae), simd(0xb1), simd(0x86)];
  const V4AND = simd(0x4e);
  const i4c = (v: number): number[] => [...i32c(v), ...I4SPLAT];
  const scalarHalf = [
    ...get(hf.dst), ...get(hf.q), ...i32c(1), ...ISHL, ...IADD,
    ...get(hf.src), ...get(hf.q), ...i32c(2), ...ISHL, ...IADD, ...I32LOAD, ...set(hf.xb),
    ...get(hf.xb), ...i32c(0x33000000), ...ILTU, ...IF.slice(0, 1), 0x7f, ...i32c(0), ...ELSE,
    ...get(hf.xb), ...i32c(23), ...ISHRU, ...i32c(112), ...ISUB, ...set(hf.e),
    ...get(hf.e), ...i32c(0), ...ILES, ...IF.slice(0, 1), 0x7f,
    ...get(hf.e), ...i32c(-10), ...ILTS, ...IF.slice(0, 1), 0x7f, ...i32c(0), ...ELSE,
    ...get(hf.xb), ...i32c(0x7fffff), ...IAND, ...i32c(0x800000), ...IOR, ...set(hf.m), ...i32c(14), ...get(hf.e), ...ISUB, ...set(hf.shift),
    ...get(hf.m), ...get(hf.shift), ...ISHRS, ...get(hf.m), ...get(hf.shift), ...i32c(1), ...ISUB, ...ISHRS, ...i32c(1), ...IAND, ...IADD,
    ...END,
    ...ELSE,
    ...get(hf.e), ...i32c(10), ...ISHL, ...get(hf.xb), ...i32c(0x7fffff), ...IAND, ...i32c(13), ...ISHRU, ...IOR,
    ...get(hf.xb), ...i32c(0x7fffff), ...IAND, ...i32c(12), ...ISHRU, ...i32c(1), ...IAND, ...IADD,
    ...END,
    ...END,
    ...STORE16,
    ...get(hf.q), ...i32c(1), ...IADD, ...set(hf.q),
  ];
  const halfFromFloat = func([[5, I32], [2, V128]], [
    ...loopWhile([...get(hf.q), ...i32c(4), ...IADD, ...get(hf.n), ...ILES, ...EQZ], [
      ...get(hf.src), ...get(hf.q), ...i32c(2), ...ISHL, ...IADD, ...V128LOAD, ...set(hf.v),
      ...get(hf.v), ...i4c(0x33000000), ...I4GES, ...get(hf.v), ...i4c(0x38800000), ...I4LTS, ...V4AND, ...ANYTRUE, ...IF,
      ...scalarHalf, ...scalarHalf, ...scalarHalf, ...scalarHalf,
      ...ELSE,
      // e = (x >>> 23) − 112, mant = x & 0x7fffff; r = ((e << 10) | (mant >>> 13)) + ((mant >>> 12) & 1), 0 below 0x33000000
      ...get(hf.v), ...i32c(23), ...I4SHRU, ...i4c(112), ...I4SUB, ...i32c(10), ...I4SHL,
      ...get(hf.v), ...i4c(0x7fffff), ...V4AND, ...i32c(13), ...I4SHRU, ...V128OR,
      ...get(hf.v), ...i4c(0x7fffff), ...V4AND, ...i32c(12), ...I4SHRU, ...i4c(1), ...V4AND, ...I4ADD,
      ...get(hf.v), ...i4c(0x33000000), ...I4GES, ...V4AND, ...set(hf.r),
      ...get(hf.dst), ...get(hf.q), ...i32c(1), ...ISHL, ...IADD, ...get(hf.r), ...get(hf.r), ...NARROW_U, ...STORE64LANE0,
      ...get(hf.q), ...i32c(4), ...IADD, ...set(hf.q),
      ...END,
    ]),
    ...loopWhile([...get(hf.q), ...get(hf.n), ...ILTS, ...EQZ], scalarHalf),
  ]);
  // gaussFactors: dst 0, lo 1, hi 2 (i32); c 3, a 4 (f64). Locals: i 5, p 6 (i32); x 7, ax 8, big 9, kf 10, hi 11, lo 12,
  // xr 13, t 14, cc 15, y 16, y1 17, vc 18, va 19, sm 20, sb 21 (v128). Two of labels.ts's heat-map factors per step, exactly as it
  // computes them one at a time: f_i = Math.exp(−(i − c)·(i − c)·a), i = lo … hi (and one more double when the count
  // is odd) to float64 at byte dst. V8's Math.exp is fdlibm's e_exp.c; these are its steps for −709 < x ≤ 0, its
  // branches taken per lane by selection: |x| > ½ln2: k = −1 below 1.5·ln2 (fdlibm's ln2HI[1], ln2LO[1] are −ln2hi,
  // −ln2lo: the same as k·ln2hi, k·ln2lo), else (int)(x/ln2 − ½); hi = x − k·ln2hi, lo = k·ln2lo, x = hi − lo;
  // |x| < 2⁻²⁸: 1 + x; else k = 0 and x as it is. The same float64 operations, so the same bits (tested).
  const gf = { dst: 0, lo: 1, hi: 2, c: 3, a: 4, i: 5, p: 6, x: 7, ax: 8, big: 9, kf: 10, h: 11, l: 12, xr: 13, t: 14, cc: 15, y: 16, y1: 17, vc: 18, va: 19, sm: 20, sb: 21 };
  const highWord = (hw: number): number => new Float64Array(new BigUint64Array([BigInt(hw) << 32n]).buffer)[0]!;
  const [D2ADD, D2NEG, D2ABS, D2GE, D2LT, D2SUB, D2DIV, V128AND, V128ANDNOT] = [simd(0xf0), simd(0xed), simd(0xec), simd(0x4c), simd(0x49), simd(0xf1), simd(0xf3), simd(0x4e), simd(0x4f)];
  // v128.bitselect(a, b, m) = (a & m) | (b & ~m), as and/andnot/or on the stack's a, b, m (V8 11's bitselect made this
  // loop ×2.3 slower on the machine measured); the same bits.
  const BITSELECT = [...set(gf.sm), ...set(gf.sb), ...get(gf.sm), ...V128AND, ...get(gf.sb), ...get(gf.sm), ...V128ANDNOT, ...V128OR];
  const [D2REPLACE1, TRUNC_SAT_ZERO, CONVERT_LOW, I64X2_EXTEND_LOW, I64X2_SPLAT, I64X2_ADD, I64X2_SHL] = [[...simd(0x22), 1], simd(0xfc), simd(0xfe), simd(0xc7), simd(0x12), simd(0xce), simd(0xcb)];
  const splat = (v: number): number[] => [...f64c(v), ...D2SPLAT];
  const E = FDLIBM_EXP;
  const gaussFactors = func([[2, I32], [15, V128]], [
    ...get(gf.c), ...D2SPLAT, ...set(gf.vc), ...get(gf.a), ...D2SPLAT, ...set(gf.va),
    ...get(gf.lo), ...set(gf.i), ...get(gf.dst), ...set(gf.p),
    ...loopWhile([...get(gf.i), ...get(gf.hi), ...ILES, ...EQZ], [
      // x = ((−(i − c))·(i − c))·a, lanes i and i + 1
      ...get(gf.i), ...F64_CONVERT_I32, ...D2SPLAT, ...get(gf.i), ...i32c(1), ...IADD, ...F64_CONVERT_I32, ...D2REPLACE1,
      ...get(gf.vc), ...D2SUB, ...tee(gf.t), ...D2NEG, ...get(gf.t), ...D2MUL, ...get(gf.va), ...D2MUL, ...tee(gf.x),
      ...D2ABS, ...set(gf.ax),
      // big: high word of |x| > 0x3fd62e42; k = (|x| < 1.5 ln2) ? −1 : (int)(1/ln2·x − ½), 0 where not big
      ...get(gf.ax), ...splat(highWord(E.halfLn2HighWord + 1)), ...D2GE, ...set(gf.big),
      ...splat(-1),
      ...splat(E.invln2), ...get(gf.x), ...D2MUL, ...splat(-0.5), ...D2ADD, ...TRUNC_SAT_ZERO, ...CONVERT_LOW,
      ...get(gf.ax), ...splat(highWord(E.threeHalfLn2HighWord)), ...D2LT, ...BITSELECT,
      ...get(gf.big), ...V128AND, ...set(gf.kf),
      // hi = x − k·ln2hi, lo = k·ln2lo, xr = hi − lo (x itself where k = 0)
      ...get(gf.x), ...get(gf.kf), ...splat(E.ln2hi), ...D2MUL, ...D2SUB, ...set(gf.h),
      ...get(gf.kf), ...splat(E.ln2lo), ...D2MUL, ...set(gf.l),
      ...get(gf.h), ...get(gf.l), ...D2SUB, ...set(gf.xr),
      // t = xr²; cc = xr − t(P1 + t(P2 + t(P3 + t(P4 + t·P5))))
      ...get(gf.xr), ...get(gf.xr), ...D2MUL, ...set(gf.t),
      ...get(gf.xr), ...get(gf.t),
      ...splat(E.P[0]), ...get(gf.t), ...splat(E.P[1]), ...get(gf.t), ...splat(E.P[2]), ...get(gf.t),
      ...splat(E.P[3]), ...get(gf.t), ...splat(E.P[4]), ...D2MUL, ...D2ADD, ...D2MUL, ...D2ADD, ...D2MUL, ...D2ADD, ...D2MUL, ...D2ADD,
      ...D2MUL, ...D2SUB, ...set(gf.cc),
      // k ≠ 0: (1 − ((lo − (xr·cc)/(2 − cc)) − hi))·2^k, 2^k from the bits (1023 + k) << 52
      ...splat(1), ...get(gf.l), ...get(gf.xr), ...get(gf.cc), ...D2MUL, ...splat(2), ...get(gf.cc), ...D2SUB, ...D2DIV, ...D2SUB, ...get(gf.h), ...D2SUB, ...D2SUB,
      ...get(gf.kf), ...TRUNC_SAT_ZERO, ...I64X2_EXTEND_LOW, 0x42, 0xff, 0x07 /* i64.const 1023 */, ...I64X2_SPLAT, ...I64X2_ADD, ...i32c(52), ...I64X2_SHL,
      ...D2MUL, ...set(gf.y1),
      // k = 0: 1 − ((xr·cc)/(cc − 2) − xr)
      ...get(gf.y1),
      ...splat(1), ...get(gf.xr), ...get(gf.cc), ...D2MUL, ...get(gf.cc), ...splat(2), ...D2SUB, ...D2DIV, ...get(gf.xr), ...D2SUB, ...D2SUB,
      ...get(gf.big), ...BITSELECT, ...set(gf.y),
      // |x| < 2⁻²⁸: 1 + x
      ...get(gf.p),
      ...splat(1), ...get(gf.x), ...D2ADD, ...get(gf.y), ...get(gf.ax), ...splat(highWord(E.tinyHighWord)), ...D2LT, ...BITSELECT,
      ...v128store(),
      ...get(gf.i), ...i32c(2), ...IADD, ...set(gf.i), ...get(gf.p), ...i32c(16), ...IADD, ...set(gf.p),
    ]),
  ]);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([
      [0x60, ...vec([[I32], [I32], [I32], [I32], [F64], [F64], [F64], [F64], [I32], [I32]]), 0],
      [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [I32], [I32]]), 0],
      [0x60, ...vec([[I32], [I32], [I32]]), 0],
      [0x60, ...vec([[I32], [I32], [I32], [F64], [F64]]), 0],
    ])),
    ...section(2, vec([[...str('env'), ...str('mem'), 0x02, 0x00, 0x00]])),
    ...section(3, vec([[0], [1], [2], [3]])),
    ...section(7, vec([[...str('phaseRows'), 0, 0], [...str('heatBox'), 0, 1], [...str('halfFromFloat'), 0, 2], [...str('gaussFactors'), 0, 3]])),
    ...section(10, vec([phaseRows, heatBox, halfFromFloat, gaussFactors])),
  ];
  return Uint8Array.from(bytes);
}

let instance: LabelSimd | null | undefined;

/** The kernels on their own memory, or undefined where WASM SIMD is unavailable. */
export function labelSimd(): LabelSimd | undefined {
  if (instance !== undefined) return instance ?? undefined;
  const k = instantiateOwnMemory(labelModule, 16, 'label SIMD kernels');
  instance = k ? {
    memory: k.memory, phaseRows: k.exports.phaseRows as LabelSimd['phaseRows'], heatBox: k.exports.heatBox as LabelSimd['heatBox'],
    halfFromFloat: k.exports.halfFromFloat as LabelSimd['halfFromFloat'], gaussFactors: k.exports.gaussFactors as LabelSimd['gaussFactors'],
  } : null;
  return instance ?? undefined;
}
