/**
 * The splat renderer's two per-pixel loops (splat.ts SplatRenderer, lines along x) as WebAssembly SIMD kernels, two
 * pixels per step (f64x2). Each performs the same float64 operations in the same order as the TypeScript loop it
 * replaces, so the image is bit-identical (tested):
 *  - nearRows: the near part of one column, row by row: the row's chord from the same quadratic (its two ends'
 *    quotients by 2A in the two lanes of one f64x2 division: IEEE division per lane, the scalar quotients), then per pixel
 *    u = (dx² + dy²)/Δu, k = ⌊u⌋, out += σ·(t[k] + (u − k)·(t[k+1] − t[k])), with dx advanced by repeated addition of
 *    the pixel step in each lane (lane 1 starts one step ahead and each lane adds the step twice per iteration: the
 *    same sums as one at a time);
 *  - farRow: the far part's bilinear read-back of one line from the float32 coarse grid.
 * Assembled from its bytes with the project's minimal WASM writer (src/core/fft/simd-kernels.ts), no toolchain;
 * `nearSimd()` is undefined where WASM SIMD is missing (or CATHODE_NO_SIMD_KERNELS is set), and the renderer keeps its
 * TypeScript loops.
 *
 * nearRows(out, tab, off, W, j0, j1, x0, y0, a11, a21, a12, a22, xc, yc, R2, A, s, invDu, scr) adds the near kernel of
 * one column (table at byte `tab`, weight s = σ) to rows j0 … j1 of the image at byte `out` (W float64 per row), the
 * row offsets (dx, dy) interleaved at byte `off`; a21 must be 0 (lines along x). It finds every row's chord first, two
 * rows at a time in the lanes of f64x2 (the same operations per lane as one row at a time: the same chords), and
 * keeps it at byte scr + 32·(j − j0) (32·(j1 − j0 + 1) bytes), then adds the pixels row by row.
 * farRow(out, re, pairs, nx, bx, a11, h, oy, ty, level) adds the far part to pixels 0 … 2·pairs − 1 of the line at byte
 * `out`, reading grid rows iy and iy + 1 from byte `re` (the row iy start).
 */
import { I32, V128, func, instantiateOwnMemory, get, i32c, loopWhile, section, set, simd, str, tee, uleb, v128load, v128store, vec } from '../../core/fft/simd-kernels.js';

const F64 = 0x7c;
const f64c = (v: number): number[] => [0x44, ...new Uint8Array(Float64Array.of(v).buffer)];
const f64load = (offset = 0): number[] => [0x2b, 3, ...uleb(offset)];
const f64store = (offset = 0): number[] => [0x39, 3, ...uleb(offset)];
const [FADD, FSUB, FMUL, FDIV, FSQRT, FCEIL, FFLOOR, FNEG] = [[0xa0], [0xa1], [0xa2], [0xa3], [0x9f], [0x9b], [0x9c], [0x9a]];
const [FLT, FGT, FLE] = [[0x63], [0x64], [0x65]];
const [IADD, ISUB, IMUL, ISHL, IGT_S, IGE_S, ILT_U] = [[0x6a], [0x6b], [0x6c], [0x74], [0x4a], [0x4e], [0x49]];
const I32LOAD = (offset = 0): number[] => [0x28, 2, ...uleb(offset)], I32STORE = (offset = 0): number[] => [0x36, 2, ...uleb(offset)];
const I_TRUNC_F64 = [0xaa], F_CONVERT_I32 = [0xb7];
const [D2SPLAT, D2ADD, D2SUB, D2MUL] = [simd(0x14), simd(0xf0), simd(0xf1), simd(0xf2)];
const D2REPLACE = (lane: number): number[] => [...simd(0x22), lane];
const D2EXTRACT = (lane: number): number[] => [...simd(0x21), lane];
const I4EXTRACT = (lane: number): number[] => [...simd(0x1b), lane];
const TRUNC_SAT_ZERO = simd(0xfc), CONVERT_LOW = simd(0xfe), D2FLOOR = simd(0x75), D2DIV = simd(0xf3), PROMOTE_LOW = simd(0x5f);
const load64zero = (offset = 0): number[] => [...simd(0x5d), 3, ...uleb(offset)];
const v128const = (a: number, b: number): number[] => [...simd(0x0c), ...new Uint8Array(Float64Array.of(a, b).buffer)];
/** i8x16.shuffle of bytes: lanes given as byte indices (0–15 first operand, 16–31 second). */
const shuffleBytes = (bytes: number[]): number[] => [...simd(0x0d), ...bytes];
const LOW_LOW = shuffleBytes([0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]);
const HIGH_HIGH = shuffleBytes([8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31]);
const IF = [0x04, 0x40], ELSE = [0x05], END = [0x0b], EQZ = [0x45], SELECT = [0x1b], I64_WRAP = [0xa7];
const [D2SQRT, D2NEG, D2CEIL, D2PMIN, D2PMAX, D2GT, D2LE, V128AND] = [simd(0xef), simd(0xed), simd(0x74), simd(0xf6), simd(0xf7), simd(0x4a), simd(0x4b), simd(0x4e)];
const I2EXTRACT = (lane: number): number[] => [...simd(0x1d), lane];

/** The exported kernel. */
export interface NearSimd {
  /** Linear memory of the kernel (float64 views: image, offsets, tables). */
  readonly memory: { buffer: ArrayBuffer; grow(pages: number): number };
  nearRows(out: number, tab: number, off: number, W: number, j0: number, j1: number, x0: number, y0: number, a11: number, a21: number, a12: number, a22: number,
    xc: number, yc: number, R2: number, A: number, s: number, invDu: number, scr: number): void;
  farRow(out: number, re: number, pairs: number, nx: number, bx: number, a11: number, h: number, oy: number, ty: number, level: number): void;
}

function nearModule(): Uint8Array {
  // Parameters: out 0, tab 1, off 2, W 3, j0 4, j1 5 (i32); x0 6, y0 7, a11 8, a21 9, a12 10, a22 11, xc 12, yc 13,
  // R2 14, A 15, s 16, invDu 17 (f64). Locals: j 18, p 19, pend 20, k 21 (i32); dx0 22, dy0 23, B 24, C 25, disc 26,
  // sq 27, i0 28, i1 29, dx 30, dy2 31, u 32, a 33, jf 34 (f64); vdx 35, vA 36, vdy2 37, vinv 38, vs 39, vu 40, vk 41,
  // lo 42, hi 43, va 44 (v128).
  const [out, tab, off, W, j0, j1, x0, y0, a11, a21, a12, a22, xc, yc, R2, A, s, invDu, scr] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
  const [j, p, pend, k, rec, dx0, dy0, B, C, disc, sq, i0, i1, dx, dy2, u, a, jf, vdx, vA, vdy2, vinv, vs, vu, vk, lo, hi, va] =
    [19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46];
  const [v2A, vq] = [47, 48];
  // Two rows at once (rowPair): i32 pv 49, pe 50; v128 51 … 73.
  const [pv, pe] = [49, 50];
  const [vx0, vy0, va12, va22, vxc, vyc, va21, vR2, v4A, vWm1, vjf, vL0, vL1, vdx0, vdy0, vB, vdisc, vsq, vi0, vi1, vt0, vt1, vmask] =
    [51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73];
  const [vdxr, vdy2r] = [vdx0, vdy0];
  // The table pair (t[k], t[k+1]) of lane `lane` of vk, as one 16-byte load.
  const pairOf = (lane: number): number[] => [...get(tab), ...get(vk), ...I4EXTRACT(lane), ...i32c(3), ...ISHL, ...IADD, ...v128load()];
  const pixelPair = [
    // vu = (vdx·vdx + vdy2)·vinv; vk = trunc(vu); lo, hi = table pairs; va = t[k]
    ...get(vdx), ...get(vdx), ...D2MUL, ...get(vdy2), ...D2ADD, ...get(vinv), ...D2MUL, ...tee(vu),
    ...TRUNC_SAT_ZERO, ...set(vk),
    ...pairOf(0), ...set(lo), ...pairOf(1), ...set(hi),
    ...get(lo), ...get(hi), ...LOW_LOW, ...set(va),
    // out[p] += vs·(va + (vu − k)·(t[k+1] − va))
    ...get(p), ...get(p), ...v128load(),
    ...get(vs), ...get(va), ...get(vu), ...get(vk), ...CONVERT_LOW, ...D2SUB, ...get(lo), ...get(hi), ...HIGH_HIGH, ...get(va), ...D2SUB, ...D2MUL, ...D2ADD, ...D2MUL,
    ...D2ADD, ...v128store(),
    ...get(vdx), ...get(vA), ...D2ADD, ...get(vA), ...D2ADD, ...set(vdx),
    ...get(p), ...i32c(16), ...IADD, ...set(p),
  ];
  const lastPixel = [
    ...get(vdx), ...D2EXTRACT(0), ...set(dx),
    ...get(dx), ...get(dx), ...FMUL, ...get(dy2), ...FADD, ...get(invDu), ...FMUL, ...tee(u),
    ...I_TRUNC_F64, ...set(k),
    ...get(tab), ...get(k), ...i32c(3), ...ISHL, ...IADD, ...f64load(), ...set(a),
    ...get(p), ...get(p), ...f64load(),
    ...get(s), ...get(a), ...get(u), ...get(k), ...F_CONVERT_I32, ...FSUB, ...get(tab), ...get(k), ...i32c(3), ...ISHL, ...IADD, ...f64load(8), ...get(a), ...FSUB, ...FMUL, ...FADD, ...FMUL,
    ...FADD, ...f64store(),
  ];
  const row = [
    // record of row j at scr + 32·(j − j0), marked empty until its chord is known
    ...get(scr), ...get(j), ...get(j0), ...ISUB, ...i32c(5), ...ISHL, ...IADD, ...tee(rec), ...i32c(0), ...I32STORE(0), ...get(rec), ...i32c(0), ...I32STORE(4),
    ...get(j), ...F_CONVERT_I32, ...set(jf),
    // dx0 = x0 + j·a12 + off[2j] − xc; dy0 = y0 + j·a22 + off[2j+1] − yc
    ...get(x0), ...get(jf), ...get(a12), ...FMUL, ...FADD, ...get(off), ...get(j), ...i32c(4), ...ISHL, ...IADD, ...f64load(), ...FADD, ...get(xc), ...FSUB, ...set(dx0),
    ...get(y0), ...get(jf), ...get(a22), ...FMUL, ...FADD, ...get(off), ...get(j), ...i32c(4), ...ISHL, ...IADD, ...f64load(8), ...FADD, ...get(yc), ...FSUB, ...set(dy0),
    // B = 2(dx0·a11 + dy0·a21); C = dx0² + dy0² − R²; disc = B² − 4AC
    ...f64c(2), ...get(dx0), ...get(a11), ...FMUL, ...get(dy0), ...get(a21), ...FMUL, ...FADD, ...FMUL, ...set(B),
    ...get(dx0), ...get(dx0), ...FMUL, ...get(dy0), ...get(dy0), ...FMUL, ...FADD, ...get(R2), ...FSUB, ...set(C),
    ...get(B), ...get(B), ...FMUL, ...f64c(4), ...get(A), ...FMUL, ...get(C), ...FMUL, ...FSUB, ...set(disc),
    ...get(disc), ...f64c(0), ...FLE, ...IF, ...ELSE,
    ...get(disc), ...FSQRT, ...set(sq),
    // i0 = max(0, ⌈(−B − sq)/2A⌉), i1 = min(W − 1, ⌊(−B + sq)/2A⌋)
    // (both quotients by one two-lane division: each lane's IEEE quotient is the scalar one)
    ...get(B), ...FNEG, ...get(sq), ...FSUB, ...D2SPLAT, ...get(B), ...FNEG, ...get(sq), ...FADD, ...D2REPLACE(1), ...get(v2A), ...D2DIV, ...tee(vq),
    ...D2EXTRACT(0), ...FCEIL, ...set(i0), ...get(vq), ...D2EXTRACT(1), ...FFLOOR, ...set(i1),
    ...get(i0), ...f64c(0), ...FLT, ...IF, ...f64c(0), ...set(i0), ...END,
    ...get(i1), ...get(W), ...F_CONVERT_I32, ...f64c(1), ...FSUB, ...FGT, ...IF, ...get(W), ...F_CONVERT_I32, ...f64c(1), ...FSUB, ...set(i1), ...END,
    ...get(i0), ...get(i1), ...FLE, ...IF,
    // dx = dx0 + i0·a11 (dy = dy0 + i0·a21 = dy0 when a21 = 0); p, pend: bytes of pixels i0 and i1 + 1 of row j
    ...get(dx0), ...get(i0), ...get(a11), ...FMUL, ...FADD, ...set(dx),
    ...get(dy0), ...get(dy0), ...FMUL, ...set(dy2),
    ...get(out), ...get(j), ...get(W), ...IMUL, ...get(i0), ...I_TRUNC_F64, ...IADD, ...i32c(3), ...ISHL, ...IADD, ...set(p),
    ...get(out), ...get(j), ...get(W), ...IMUL, ...get(i1), ...I_TRUNC_F64, ...IADD, ...i32c(1), ...IADD, ...i32c(3), ...ISHL, ...IADD, ...set(pend),
    // the row's record: p, pend, dx, dy2
    ...get(rec), ...get(p), ...I32STORE(0), ...get(rec), ...get(pend), ...I32STORE(4), ...get(rec), ...get(dx), ...f64store(8), ...get(rec), ...get(dy2), ...f64store(16),
    ...END,
    ...END,
  ];
  // Rows j and j + 1 in the two lanes of f64x2: every lane operation is the scalar `row`'s on that row's values, in
  // the same order (the clamps i0 < 0 → 0 and i1 > W − 1 → W − 1 are pmax and pmin, whose comparisons are the same),
  // so each record is the one `row` writes: (p, pend, dx, dy2) where disc > 0 and i0 ≤ i1, else p = pend = 0.
  const laneRecord = (l: number): number[] => [
    ...get(out), ...get(j), ...i32c(l), ...IADD, ...get(W), ...IMUL, ...get(vt0), ...I4EXTRACT(l), ...IADD, ...i32c(3), ...ISHL, ...IADD,
    ...i32c(0), ...get(vmask), ...I2EXTRACT(l), ...I64_WRAP, ...SELECT, ...set(pv),
    ...get(out), ...get(j), ...i32c(l), ...IADD, ...get(W), ...IMUL, ...get(vt1), ...I4EXTRACT(l), ...IADD, ...i32c(1), ...IADD, ...i32c(3), ...ISHL, ...IADD,
    ...i32c(0), ...get(vmask), ...I2EXTRACT(l), ...I64_WRAP, ...SELECT, ...set(pe),
    ...get(rec), ...get(pv), ...I32STORE(32 * l), ...get(rec), ...get(pe), ...I32STORE(32 * l + 4),
    ...get(rec), ...get(vdxr), ...D2EXTRACT(l), ...f64store(32 * l + 8), ...get(rec), ...get(vdy2r), ...D2EXTRACT(l), ...f64store(32 * l + 16),
  ];
  const rowPair = [
    ...get(scr), ...get(j), ...get(j0), ...ISUB, ...i32c(5), ...ISHL, ...IADD, ...set(rec),
    ...get(j), ...F_CONVERT_I32, ...D2SPLAT, ...get(j), ...i32c(1), ...IADD, ...F_CONVERT_I32, ...D2REPLACE(1), ...set(vjf),
    ...get(off), ...get(j), ...i32c(4), ...ISHL, ...IADD, ...v128load(), ...set(vL0),
    ...get(off), ...get(j), ...i32c(4), ...ISHL, ...IADD, ...v128load(16), ...set(vL1),
    // dx0 = x0 + j·a12 + off[2j] − xc; dy0 = y0 + j·a22 + off[2j+1] − yc
    ...get(vx0), ...get(vjf), ...get(va12), ...D2MUL, ...D2ADD, ...get(vL0), ...get(vL1), ...LOW_LOW, ...D2ADD, ...get(vxc), ...D2SUB, ...set(vdx0),
    ...get(vy0), ...get(vjf), ...get(va22), ...D2MUL, ...D2ADD, ...get(vL0), ...get(vL1), ...HIGH_HIGH, ...D2ADD, ...get(vyc), ...D2SUB, ...set(vdy0),
    // B = 2(dx0·a11 + dy0·a21); disc = B² − 4A·(dx0² + dy0² − R²)
    ...v128const(2, 2), ...get(vdx0), ...get(vA), ...D2MUL, ...get(vdy0), ...get(va21), ...D2MUL, ...D2ADD, ...D2MUL, ...set(vB),
    ...get(vB), ...get(vB), ...D2MUL, ...get(v4A), ...get(vdx0), ...get(vdx0), ...D2MUL, ...get(vdy0), ...get(vdy0), ...D2MUL, ...D2ADD, ...get(vR2), ...D2SUB, ...D2MUL, ...D2SUB,
    ...set(vdisc),
    // i0 = max(0, ⌈(−B − sq)/2A⌉), i1 = min(W − 1, ⌊(−B + sq)/2A⌋) (NaN where disc < 0: such a row is empty)
    ...get(vdisc), ...D2SQRT, ...set(vsq),
    ...get(vB), ...D2NEG, ...get(vsq), ...D2SUB, ...get(v2A), ...D2DIV, ...D2CEIL, ...v128const(0, 0), ...D2PMAX, ...set(vi0),
    ...get(vB), ...D2NEG, ...get(vsq), ...D2ADD, ...get(v2A), ...D2DIV, ...D2FLOOR, ...get(vWm1), ...D2PMIN, ...set(vi1),
    ...get(vdisc), ...v128const(0, 0), ...D2GT, ...get(vi0), ...get(vi1), ...D2LE, ...V128AND, ...set(vmask),
    // dx = dx0 + i0·a11, dy2 = dy0² (into vdx0, vdy0); the integer ends (saturating: no trap on an empty row's NaN)
    ...get(vdx0), ...get(vi0), ...get(vA), ...D2MUL, ...D2ADD, ...set(vdxr),
    ...get(vdy0), ...get(vdy0), ...D2MUL, ...set(vdy2r),
    ...get(vi0), ...TRUNC_SAT_ZERO, ...set(vt0), ...get(vi1), ...TRUNC_SAT_ZERO, ...set(vt1),
    ...laneRecord(0), ...laneRecord(1),
  ];
  // The pixels of a row from its record (rows without pixels have p = pend = 0).
  const pixels = [
    ...get(rec), ...I32LOAD(0), ...set(p), ...get(rec), ...I32LOAD(4), ...set(pend),
    ...get(p), ...get(pend), ...ILT_U, ...IF,
    ...get(rec), ...f64load(8), ...set(dx), ...get(rec), ...f64load(16), ...tee(dy2), ...D2SPLAT, ...set(vdy2),
    ...get(dx), ...D2SPLAT, ...get(dx), ...get(a11), ...FADD, ...D2REPLACE(1), ...set(vdx),
    // pairs while p + 16 ≤ pend, then the odd last pixel
    ...loopWhile([...get(p), ...i32c(16), ...IADD, ...get(pend), ...IGT_S], pixelPair),
    ...get(p), ...get(pend), ...ILT_U, ...IF, ...lastPixel, ...END,
    ...END,
  ];
  // Two passes over the rows: every row's chord first (no row waits on the previous row's pixels, so the chords'
  // square roots and divisions overlap), then the pixels; the same operations on the same values as one pass.
  const nearRows = func([[5, I32], [13, F64], [12, V128], [2, I32], [23, V128]], [
    ...f64c(2), ...get(A), ...FMUL, ...D2SPLAT, ...set(v2A),
    ...get(a11), ...D2SPLAT, ...set(vA), ...get(invDu), ...D2SPLAT, ...set(vinv), ...get(s), ...D2SPLAT, ...set(vs),
    ...get(x0), ...D2SPLAT, ...set(vx0), ...get(y0), ...D2SPLAT, ...set(vy0), ...get(a12), ...D2SPLAT, ...set(va12), ...get(a22), ...D2SPLAT, ...set(va22),
    ...get(xc), ...D2SPLAT, ...set(vxc), ...get(yc), ...D2SPLAT, ...set(vyc), ...get(a21), ...D2SPLAT, ...set(va21), ...get(R2), ...D2SPLAT, ...set(vR2),
    ...f64c(4), ...get(A), ...FMUL, ...D2SPLAT, ...set(v4A), ...get(W), ...F_CONVERT_I32, ...f64c(1), ...FSUB, ...D2SPLAT, ...set(vWm1),
    // chords two rows at a time, then the odd last row alone
    ...get(j0), ...set(j),
    ...loopWhile([...get(j), ...i32c(1), ...IADD, ...get(j1), ...IGT_S], [...rowPair, ...get(j), ...i32c(2), ...IADD, ...set(j)]),
    ...get(j), ...get(j1), ...IGT_S, ...EQZ, ...IF, ...row, ...END,
    ...get(scr), ...set(rec), ...get(scr), ...get(j1), ...get(j0), ...ISUB, ...i32c(5), ...ISHL, ...IADD, ...set(j),
    ...loopWhile([...get(rec), ...get(j), ...IGT_S], [...pixels, ...get(rec), ...i32c(32), ...IADD, ...set(rec)]),
  ]);
  // farRow(out 0, re 1, pairs 2, nx 3 (i32); bx 4, a11 5, h 6, oy 7, ty 8, level 9 (f64)). Locals: q 10, k0 11, k1 12,
  // nx4 13 (i32); vi 14, vfx 15, vix 16, vtx 17, vomt 18, p0 19, p1 20, q0 21, q1 22, vk 23, vbx 24, va11 25, vh 26, voy 27,
  // vty 28, vlev 29, vone 30, vtwo 31 (v128). Pixels i, i + 1 of a line along x of the far part's bilinear read-back:
  // fx = (bx + i·a11)/h, ix = ⌊fx⌋, tx = fx − ix; out += level + (g[ix](1 − tx) + g[ix+1]tx)·oy + (g[ix+nx](1 − tx) +
  // g[ix+nx+1]tx)·ty on the float32 grid row at byte `re` (each pair of grid values read as 8 bytes and widened).
  const fr = { out: 0, re: 1, pairs: 2, nx: 3, bx: 4, a11: 5, h: 6, oy: 7, ty: 8, level: 9, q: 10, k0: 11, k1: 12, nx4: 13, vi: 14, vfx: 15, vix: 16, vtx: 17, vomt: 18, p0: 19, p1: 20, q0: 21, q1: 22, vk: 23, vbx: 24, va11: 25, vh: 26, voy: 27, vty: 28, vlev: 29, vone: 30, vtwo: 31 };
  const pairAt = (k: number, plusRow: boolean): number[] => [...get(fr.re), ...get(k), ...IADD, ...(plusRow ? [...get(fr.nx4), ...IADD] : []), ...load64zero(), ...PROMOTE_LOW];
  const farRow = func([[4, I32], [18, V128]], [
    ...get(fr.bx), ...D2SPLAT, ...set(fr.vbx), ...get(fr.a11), ...D2SPLAT, ...set(fr.va11), ...get(fr.h), ...D2SPLAT, ...set(fr.vh),
    ...get(fr.oy), ...D2SPLAT, ...set(fr.voy), ...get(fr.ty), ...D2SPLAT, ...set(fr.vty), ...get(fr.level), ...D2SPLAT, ...set(fr.vlev),
    ...v128const(1, 1), ...set(fr.vone), ...v128const(2, 2), ...set(fr.vtwo), ...v128const(0, 1), ...set(fr.vi),
    ...get(fr.nx), ...i32c(2), ...ISHL, ...set(fr.nx4),
    ...loopWhile([...get(fr.q), ...get(fr.pairs), ...IGE_S], [
      ...get(fr.vbx), ...get(fr.vi), ...get(fr.va11), ...D2MUL, ...D2ADD, ...get(fr.vh), ...D2DIV, ...set(fr.vfx),
      ...get(fr.vfx), ...D2FLOOR, ...tee(fr.vix), ...TRUNC_SAT_ZERO, ...set(fr.vk),
      ...get(fr.vfx), ...get(fr.vix), ...D2SUB, ...set(fr.vtx), ...get(fr.vone), ...get(fr.vtx), ...D2SUB, ...set(fr.vomt),
      ...get(fr.vk), ...I4EXTRACT(0), ...i32c(2), ...ISHL, ...set(fr.k0), ...get(fr.vk), ...I4EXTRACT(1), ...i32c(2), ...ISHL, ...set(fr.k1),
      ...pairAt(fr.k0, false), ...set(fr.p0), ...pairAt(fr.k1, false), ...set(fr.p1), ...pairAt(fr.k0, true), ...set(fr.q0), ...pairAt(fr.k1, true), ...set(fr.q1),
      ...get(fr.out), ...get(fr.out), ...v128load(),
      ...get(fr.vlev),
      ...get(fr.p0), ...get(fr.p1), ...LOW_LOW, ...get(fr.vomt), ...D2MUL, ...get(fr.p0), ...get(fr.p1), ...HIGH_HIGH, ...get(fr.vtx), ...D2MUL, ...D2ADD, ...get(fr.voy), ...D2MUL, ...D2ADD,
      ...get(fr.q0), ...get(fr.q1), ...LOW_LOW, ...get(fr.vomt), ...D2MUL, ...get(fr.q0), ...get(fr.q1), ...HIGH_HIGH, ...get(fr.vtx), ...D2MUL, ...D2ADD, ...get(fr.vty), ...D2MUL, ...D2ADD,
      ...D2ADD, ...v128store(),
      ...get(fr.out), ...i32c(16), ...IADD, ...set(fr.out),
      ...get(fr.vi), ...get(fr.vtwo), ...D2ADD, ...set(fr.vi),
      ...get(fr.q), ...i32c(1), ...IADD, ...set(fr.q),
    ]),
  ]);
  const params = [...vec([[I32], [I32], [I32], [I32], [I32], [I32], ...Array.from({ length: 12 }, () => [F64]), [I32]]), 0];
  const farParams = [...vec([[I32], [I32], [I32], [I32], ...Array.from({ length: 6 }, () => [F64])]), 0];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...params], [0x60, ...farParams]])),
    ...section(2, vec([[...str('env'), ...str('mem'), 0x02, 0x00, 0x00]])),
    ...section(3, vec([[0], [1]])),
    ...section(7, vec([[...str('nearRows'), 0, 0], [...str('farRow'), 0, 1]])),
    ...section(10, vec([nearRows, farRow])),
  ];
  return Uint8Array.from(bytes);
}

let instance: NearSimd | null | undefined;

/** The kernel on its own memory, or undefined where WASM SIMD is unavailable. */
export function nearSimd(): NearSimd | undefined {
  if (instance !== undefined) return instance ?? undefined;
  const k = instantiateOwnMemory(nearModule, 16, 'near splat SIMD kernel');
  instance = k ? { memory: k.memory, nearRows: k.exports.nearRows as NearSimd['nearRows'], farRow: k.exports.farRow as NearSimd['farRow'] } : null;
  return instance ?? undefined;
}
