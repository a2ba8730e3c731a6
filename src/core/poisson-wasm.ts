/**
 * Rng.poisson (rng.ts) over a whole float32 image as one WebAssembly function: the same xoshiro128** steps,
 * the same uniform() and the same inversion (λ < POISSON_INVERSION_BELOW = 30) and PTRS (λ ≥ 30) float64 operations in
 * the same order, Math.exp(−λ) by the steps of V8's own Math.exp (fdlibm's e_exp.c), Math.log and rng.ts's
 * logFactorial called from JavaScript, so every deviate and the generator's final state are bit-identical to a loop of
 * rng.poisson() calls (tested, and exp(−λ) against Math.exp). It exists for speed only. The generator's state
 * stays in locals, and exp(−λ) of the next pixel is computed before the current pixel's draws, so that its latency
 * overlaps them instead of following the previous pixel's unpredictable loop exit. (Its earlier form ran Rng.poisson's
 * Knuth product method below λ = 30: 5.1 uniforms per pixel of the dataset's default images, against ~1.1 now; measured
 * ×1.3 at λ = 0.5, ×1.8–2.3 at λ = 7–22 per 256² image, PTRS unchanged: bench/RESULTS.md, issue 16 fifth round.)
 * Two neighbouring pixels with 0 < λ < 30 are searched together in the two lanes of f64x2 (their uniforms drawn in
 * order, a lane that must draw again redone in order from a saved generator state: see `pair`); the same bits,
 * ×1.2–1.7 per pixel below λ = 30, ×1.26–1.29 on the dataset's images (bench/RESULTS.md, issue 16 seventh round).
 *
 * poissonDetector(ptr, n, e, g, off, scale, st) → i32: for i < n, with x = float32 at byte ptr + 4i,
 * λ = e·max(0, x), k = poisson(λ), c = g·k + off, stores float32((c − off)·scale) in place; the generator's four
 * state words at byte st are read first and written back at the end. Returns −1, or the first i whose λ is not finite
 * and ≥ 0 (the state is then written back as it was after pixel i − 1; the caller throws what rng.poisson throws).
 * expMinus(λ): the kernel's exp(−λ) alone, 0 ≤ λ < 30 (tests).
 *
 * Assembled from its bytes with the project's minimal WASM writer (src/core/fft/simd-kernels.ts). `poissonWasm()` is
 * undefined where WebAssembly is unavailable (or CATHODE_NO_SIMD_KERNELS is set): callers keep the rng.poisson loop.
 */
import { POISSON_INVERSION_BELOW, POISSON_INVERSION_MAX_K } from './rng.js';
import { FDLIBM_EXP, I32, V128, func, instantiateOwnMemory, get, i32c, loopWhile, section, set, simd, str, tee, uleb, vec } from './fft/simd-kernels.js';

const F64 = 0x7c;
const f64c = (v: number): number[] => [0x44, ...new Uint8Array(Float64Array.of(v).buffer)];
const I32LOAD = (o = 0): number[] => [0x28, 2, ...uleb(o)], I32STORE = (o = 0): number[] => [0x36, 2, ...uleb(o)];
const F32LOAD = [0x2a, 2, 0], F32STORE = [0x38, 2, 0];
const F32LOAD_AT = (o: number): number[] => [0x2a, 2, ...uleb(o)];
const [IADD, IMUL, IXOR, ISHL, ISHRU, IROTL, ILTS, IOR, IAND] = [[0x6a], [0x6c], [0x73], [0x74], [0x76], [0x77], [0x48], [0x72], [0x71]];
const [FABS, FNEG, FFLOOR, FSQRT, FADD, FSUB, FMUL, FDIV, FMAX] = [[0x99], [0x9a], [0x9c], [0x9f], [0xa0], [0xa1], [0xa2], [0xa3], [0xa5]];
const [FEQ, FLT, FGT, FLE, FGE] = [[0x61], [0x63], [0x64], [0x65], [0x66]];
const U32_TO_F64 = [0xb8], PROMOTE = [0xbb], DEMOTE = [0xb6];
const BLOCK = [0x02, 0x40], LOOP = [0x03, 0x40], IF = [0x04, 0x40], ELSE = [0x05], END = [0x0b];
const br = (d: number): number[] => [0x0c, d], brIf = (d: number): number[] => [0x0d, d];
const call = (f: number): number[] => [0x10, f];
const RETURN = [0x0f];

/** Branch-free steps of the search: J for λ below each bound (the last bound is POISSON_INVERSION_BELOW). */
const POISSON_BLOCKS: readonly (readonly [number, number])[] = [[2.5, 8], [8, 16], [16, 24], [POISSON_INVERSION_BELOW, 32]];

/** The exported kernel. */
export interface PoissonWasm {
  readonly memory: { buffer: ArrayBuffer; grow(pages: number): number };
  poissonDetector(ptr: number, n: number, e: number, g: number, off: number, scale: number, st: number): number;
  /** Math.exp(−λ) as the kernel computes it, for 0 ≤ λ < 30 (tests). */
  expMinus(lambda: number): number;
}

function poissonModule(): Uint8Array {
  // Imports: 0 exp, 1 log, 2 logFactorial (f64 → f64). Parameters: ptr 0, n 1 (i32); e 2, g 3, off 4, scale 5 (f64);
  // st 6 (i32). Locals: i 7, s0 8, s1 9, s2 10, s3 11, cnt 12, t 13, have 14, jmax 15 (i32); lam 16, k 17, L 18, p 19,
  // slam 20, b 21, a 22, vr 23, U 24, V 25, us 26, loglam 27, invalpha 28, x 29 (f64).
  const [ptr, n, e, g, off, scale, st] = [0, 1, 2, 3, 4, 5, 6];
  const [i, s0, s1, s2, s3, cnt, t, have, jmax] = [7, 8, 9, 10, 11, 12, 13, 14, 15];
  const [lam, k, L, p, slam, b, a, vr, U, V, us, loglam, invalpha] = [16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28];
  const [LOG, LOGFACT] = [0, 1];
  // Rng.nextU32: leaves the result on the stack and advances (s0, s1, s2, s3).
  const nextU32 = [
    ...get(s1), ...i32c(5), ...IMUL, ...i32c(7), ...IROTL, ...i32c(9), ...IMUL,
    ...get(s1), ...i32c(9), ...ISHL, ...set(t),
    ...get(s2), ...get(s0), ...IXOR, ...set(s2),
    ...get(s3), ...get(s1), ...IXOR, ...set(s3),
    ...get(s1), ...get(s2), ...IXOR, ...set(s1),
    ...get(s0), ...get(s3), ...IXOR, ...set(s0),
    ...get(s2), ...get(t), ...IXOR, ...set(s2),
    ...get(s3), ...i32c(11), ...IROTL, ...set(s3),
  ];
  // Rng.uniform: ((a >>> 5)·2²⁶ + (b >>> 6)) / 2⁵³, a drawn before b.
  const uniform = [
    ...nextU32, ...i32c(5), ...ISHRU, ...U32_TO_F64, ...f64c(67108864), ...FMUL,
    ...nextU32, ...i32c(6), ...ISHRU, ...U32_TO_F64, ...FADD, ...f64c(9007199254740992), ...FDIV,
  ];
  // Math.exp(−λ) for 0 ≤ λ < 30 (left on the stack): V8's Math.exp is fdlibm's e_exp.c (FreeBSD msun, V8's
  // base/ieee754.cc); these are its steps for a negative argument above the underflow threshold, the same float64
  // operations, so the same bits (tested against Math.exp).
  const [ek, hx, ex, ehi, elo, et, E0, lamNext, Lnext0] = [30, 31, 32, 33, 34, 35, 36, 37, 38];
  const E = FDLIBM_EXP;
  const expOfMinus = (arg: number): number[] => [
    ...get(arg), ...FNEG, ...set(ex),
    0x02, F64, // block (result f64)
    ...get(ex), 0xbd /* i64.reinterpret_f64 */, 0x42, 32 /* i64.const 32 */, 0x88 /* i64.shr_u */, 0xa7 /* i32.wrap_i64 */, ...i32c(0x7fffffff), ...IAND, ...set(hx),
    ...get(hx), ...i32c(E.halfLn2HighWord), 0x4b /* i32.gt_u */, ...IF,
    // |x| > ln2/2: x = hi − lo, with k = −1 (|x| < 1.5 ln2) or k = (int)(x/ln2 − ½)
    ...get(hx), ...i32c(E.threeHalfLn2HighWord), 0x49 /* i32.lt_u */, ...IF,
    ...get(ex), ...f64c(-E.ln2hi), ...FSUB, ...set(ehi), ...f64c(-E.ln2lo), ...set(elo), ...i32c(-1), ...set(ek),
    ...ELSE,
    ...f64c(E.invln2), ...get(ex), ...FMUL, ...f64c(-0.5), ...FADD, 0xaa /* i32.trunc_f64_s */, ...set(ek),
    ...get(ex), ...get(ek), 0xb7 /* f64.convert_i32_s */, ...f64c(E.ln2hi), ...FMUL, ...FSUB, ...set(ehi),
    ...get(ek), 0xb7, ...f64c(E.ln2lo), ...FMUL, ...set(elo),
    ...END,
    ...get(ehi), ...get(elo), ...FSUB, ...set(ex),
    ...ELSE,
    // |x| < 2⁻²⁸: 1 + x
    ...get(hx), ...i32c(E.tinyHighWord), 0x49, ...IF, ...f64c(1), ...get(ex), ...FADD, ...br(2), ...END,
    ...i32c(0), ...set(ek),
    ...END,
    // t = x²; c = x − t(P1 + t(P2 + t(P3 + t(P4 + t·P5)))) (c kept in et)
    ...get(ex), ...get(ex), ...FMUL, ...set(et),
    ...get(ex), ...get(et),
    ...f64c(E.P[0]), ...get(et), ...f64c(E.P[1]), ...get(et), ...f64c(E.P[2]), ...get(et),
    ...f64c(E.P[3]), ...get(et), ...f64c(E.P[4]), ...FMUL, ...FADD, ...FMUL, ...FADD, ...FMUL, ...FADD, ...FMUL, ...FADD,
    ...FMUL, ...FSUB, ...set(et),
    ...get(ek), 0x45, 0x04, F64, // k = 0: 1 − ((x·c)/(c − 2) − x)
    ...f64c(1), ...get(ex), ...get(et), ...FMUL, ...get(et), ...f64c(2), ...FSUB, ...FDIV, ...get(ex), ...FSUB, ...FSUB,
    ...ELSE, // else (1 − ((lo − (x·c)/(2 − c)) − hi))·2^k
    ...f64c(1), ...get(elo), ...get(ex), ...get(et), ...FMUL, ...f64c(2), ...get(et), ...FSUB, ...FDIV, ...FSUB, ...get(ehi), ...FSUB, ...FSUB,
    ...i32c(0x3ff00000), ...get(ek), ...i32c(20), ...ISHL, ...IADD, 0xad /* i64.extend_i32_u */, 0x42, 32, 0x86 /* i64.shl */, 0xbf /* f64.reinterpret_i64 */, ...FMUL,
    ...END,
    ...END,
  ];
  // exp(−λ) of pixel i + o into dst, when i + o < n (λ outside [0, 30): exp(−1), unused). The exps of the next
  // pixels are computed before the current pixels' draws, so that their latency overlaps them.
  const expAt = (o: number, dst: number): number[] => [
    ...get(i), ...i32c(o), ...IADD, ...get(n), ...ILTS, ...IF,
    ...get(e), ...f64c(0), ...get(ptr), ...get(i), ...i32c(2), ...ISHL, ...IADD, ...F32LOAD_AT(4 * o), ...PROMOTE, ...FMAX, ...FMUL, ...set(lamNext),
    ...get(lamNext), ...f64c(1), ...get(lamNext), ...f64c(0), ...FGE, ...get(lamNext), ...f64c(POISSON_INVERSION_BELOW), ...FLT, ...IAND, 0x1b /* select */, ...set(lamNext),
    ...expOfMinus(lamNext), ...set(dst),
    ...END,
  ];
  // Rng.poisson below λ = POISSON_INVERSION_BELOW: u = uniform(); p = F = e^−λ, k = 0; while (u > F and
  // k < POISSON_INVERSION_MAX_K) { k += 1; p = p·(λ·(1/k)); F = F + p }; u ≤ F: k, else a new u (u in U, F in V).
  // The first J steps without a branch (J from POISSON_BLOCKS: J − 1 is past the mean by ~3 standard deviations or
  // more): F only grows, so the number of j < J with u > F_j is the search's k whenever it is < J; at J the search
  // goes on from k = J as above (its exit branch is then taken by a few % of the pixels at most).
  // One form for the scalar search and the two-lane pair search (`lanes`): count += (u > F); p = p·(λ·(1/j)); F = F + p.
  interface SearchLanes { readonly cnt: number; readonly u: number; readonly f: number; readonly p: number; readonly lam: number; readonly gt: number[]; readonly count: number[]; readonly mul: number[]; readonly add: number[]; readonly c: (v: number) => number[] }
  const stepsOf = (o: SearchLanes, J: number): number[] => {
    const out: number[] = [...i32c(J), ...set(jmax)];
    for (let j = 1; j <= J; j++) {
      out.push(
        ...get(o.cnt), ...get(o.u), ...get(o.f), ...o.gt, ...o.count, ...set(o.cnt),
        ...get(o.p), ...get(o.lam), ...o.c(1 / j), ...o.mul, ...o.mul, ...set(o.p),
        ...get(o.f), ...get(o.p), ...o.add, ...set(o.f),
      );
    }
    return out;
  };
  // The block for λ (the local `lamSel`): the first bound above it (POISSON_BLOCKS: [λ bound, J] ascending).
  const blocksOf = (o: SearchLanes, lamSel: number, b: readonly (readonly [number, number])[]): number[] => b.length === 1 ? stepsOf(o, b[0]![1])
    : [...get(lamSel), ...f64c(b[0]![0]), ...FLT, ...IF, ...stepsOf(o, b[0]![1]), ...ELSE, ...blocksOf(o, lamSel, b.slice(1)), ...END];
  const scalarLanes: SearchLanes = { cnt, u: U, f: V, p, lam, gt: FGT, count: IADD, mul: FMUL, add: FADD, c: f64c };
  // The search past the block, from k (f64), p and V: while (u > F and k < POISSON_INVERSION_MAX_K) { k += 1; ... }.
  const searchOn = loopWhile([...get(U), ...get(V), ...FGT, ...get(k), ...f64c(POISSON_INVERSION_MAX_K), ...FLT, ...IAND, 0x45 /* i32.eqz */], [
    ...get(k), ...f64c(1), ...FADD, ...set(k),
    ...get(p), ...get(lam), ...f64c(1), ...get(k), ...FDIV, ...FMUL, ...FMUL, ...set(p),
    ...get(V), ...get(p), ...FADD, ...set(V),
  ]);
  const inversion = [
    ...get(Lnext0), ...set(L),
    ...BLOCK, ...LOOP,
    ...uniform, ...set(U),
    ...get(L), ...set(p), ...get(L), ...set(V), ...i32c(0), ...set(cnt),
    ...blocksOf(scalarLanes, lam, POISSON_BLOCKS),
    ...get(cnt), 0xb7 /* f64.convert_i32_s */, ...set(k),
    ...get(cnt), ...get(jmax), ...ILTS, ...brIf(1),
    ...searchOn,
    ...get(U), ...get(V), ...FLE, ...brIf(1),
    ...br(0),
    ...END, ...END,
  ];
  const ptrs = [
    ...get(lam), ...FSQRT, ...set(slam),
    ...f64c(0.931), ...f64c(2.53), ...get(slam), ...FMUL, ...FADD, ...set(b),
    ...f64c(-0.059), ...f64c(0.02483), ...get(b), ...FMUL, ...FADD, ...set(a),
    ...f64c(0.9277), ...f64c(3.6224), ...get(b), ...f64c(2), ...FSUB, ...FDIV, ...FSUB, ...set(vr),
    ...i32c(0), ...set(have),
    ...BLOCK, ...LOOP,
    ...uniform, ...f64c(0.5), ...FSUB, ...set(U),
    ...uniform, ...set(V),
    ...f64c(0.5), ...get(U), ...FABS, ...FSUB, ...set(us),
    // k = ⌊((2a)/us + b)·U + λ + 0.43⌋
    ...f64c(2), ...get(a), ...FMUL, ...get(us), ...FDIV, ...get(b), ...FADD, ...get(U), ...FMUL, ...get(lam), ...FADD, ...f64c(0.43), ...FADD, ...FFLOOR, ...set(k),
    // quick acceptance: us ≥ 0.07 and V ≤ vr
    ...get(us), ...f64c(0.07), ...FGE, ...get(V), ...get(vr), ...FLE, ...IAND, ...brIf(1),
    // rejection: k < 0 or (us < 0.013 and V > us)
    ...get(k), ...f64c(0), ...FLT, ...get(us), ...f64c(0.013), ...FLT, ...get(V), ...get(us), ...FGT, ...IAND, ...IOR, ...brIf(0),
    ...get(have), 0x45, ...IF,
    ...get(lam), ...call(LOG), ...set(loglam),
    ...f64c(1.1239), ...f64c(1.1328), ...get(b), ...f64c(3.4), ...FSUB, ...FDIV, ...FADD, ...set(invalpha),
    ...i32c(1), ...set(have),
    ...END,
    // log V + log(1/α) − log(a/us² + b) ≤ −λ + k·log λ − log k!
    ...get(V), ...call(LOG), ...get(invalpha), ...call(LOG), ...FADD, ...get(a), ...get(us), ...get(us), ...FMUL, ...FDIV, ...get(b), ...FADD, ...call(LOG), ...FSUB,
    ...get(lam), ...FNEG, ...get(k), ...get(loglam), ...FMUL, ...FADD, ...get(k), ...call(LOGFACT), ...FSUB,
    ...FLE, ...brIf(1),
    ...br(0),
    ...END, ...END,
  ];
  // Two pixels per step (both 0 < λ < POISSON_INVERSION_BELOW), the same deviates and generator state as one by one:
  // u_a, then u_b, drawn in order (the state after u_a kept), and both searches in the lanes of f64x2 with the block
  // of the larger λ. A lane's count below that J is its pixel's k (F only grows, so steps past the pixel's own J
  // change nothing, and the scalar search past J would stop at the same k with the same float64 F). A lane that
  // reaches J goes on with the one-pixel search from its own p and F (searchOn). Only a lane whose search stops at
  // POISSON_INVERSION_MAX_K with u > F, which must draw again, is redone in order: b from the state after u_a (the
  // next step), a from the state before the pair (the one-pixel code below).
  const [sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, done, ka, kb] = [39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49];
  const [E1, X2, X3, lamB, ua, lamMax] = [50, 51, 52, 53, 54, 55];
  const [U2, V2, P2, LAM2, CNT] = [56, 57, 58, 59, 60];
  const [F2SPLAT, F2GT, F2ADD, F2MUL, I2SUB] = [simd(0x14), simd(0x4a), simd(0xf0), simd(0xf2), simd(0xd1)];
  const F2REPLACE1 = [...simd(0x22), 1], I2EXTRACT = (l: number): number[] => [...simd(0x1d), l];
  const f2const = (v: number): number[] => [...simd(0x0c), ...new Uint8Array(Float64Array.of(v, v).buffer)];
  // the lanes' comparison is a mask (−1 where u > F), so the count subtracts it
  const pairLanes: SearchLanes = { cnt: CNT, u: U2, f: V2, p: P2, lam: LAM2, gt: F2GT, count: I2SUB, mul: F2MUL, add: F2ADD, c: f2const };
  const saveState = (w: readonly number[]): number[] => [s0, s1, s2, s3].flatMap((s, q) => [...get(s), ...set(w[q]!)]);
  const loadState = (w: readonly number[]): number[] => [s0, s1, s2, s3].flatMap((s, q) => [...get(w[q]!), ...set(s)]);
  // c = g·k + off; x = (c − off)·scale for k, stored at pixel i + o
  const storeK = (o: number): number[] => [
    ...get(ptr), ...get(i), ...i32c(2), ...ISHL, ...IADD,
    ...get(g), ...get(k), ...FMUL, ...get(off), ...FADD, ...get(off), ...FSUB, ...get(scale), ...FMUL, ...DEMOTE, 0x38, 2, ...uleb(4 * o),
  ];
  // Lane l's deviate into k (lam holding its λ), ka = 1; ka = 0 where its search stopped at POISSON_INVERSION_MAX_K
  // with u > F (the pixel then draws again: redone in order).
  const F2EXTRACT = (l: number): number[] => [...simd(0x21), l];
  const laneResult = (l: number): number[] => [
    ...i32c(1), ...set(ka),
    ...get(CNT), ...I2EXTRACT(l), 0xa7 /* i32.wrap_i64 */, ...tee(kb), 0xb7 /* f64.convert_i32_s */, ...set(k),
    ...get(kb), ...get(jmax), ...ILTS, 0x45, ...IF,
    ...get(U2), ...F2EXTRACT(l), ...set(U), ...get(V2), ...F2EXTRACT(l), ...set(V), ...get(P2), ...F2EXTRACT(l), ...set(p),
    ...searchOn,
    ...get(U), ...get(V), ...FGT, ...IF, ...i32c(0), ...set(ka), ...END,
    ...END,
  ];
  const pair = [
    ...saveState([sa0, sa1, sa2, sa3]),
    ...uniform, ...set(ua),
    ...saveState([sb0, sb1, sb2, sb3]),
    ...get(ua), ...F2SPLAT, ...uniform, ...F2REPLACE1, ...set(U2),
    ...get(E0), ...F2SPLAT, ...get(E1), ...F2REPLACE1, ...tee(P2), ...set(V2),
    ...get(lam), ...F2SPLAT, ...get(lamB), ...F2REPLACE1, ...set(LAM2),
    ...f2const(0), ...set(CNT),
    ...get(lam), ...get(lamB), ...FMAX, ...set(lamMax),
    ...blocksOf(pairLanes, lamMax, POISSON_BLOCKS),
    // lane a: its count, or the search past the block from the lane's p and F (as the one-pixel code goes on)
    ...laneResult(0),
    ...get(ka), ...IF,
    ...storeK(0),
    ...get(lamB), ...set(lam),
    ...laneResult(1),
    ...get(ka), ...IF,
    ...storeK(1),
    ...get(X2), ...set(E0), ...get(X3), ...set(E1), ...get(i), ...i32c(2), ...IADD, ...set(i),
    ...ELSE,
    ...loadState([sb0, sb1, sb2, sb3]),
    ...get(E1), ...set(E0), ...get(X2), ...set(E1), ...get(i), ...i32c(1), ...IADD, ...set(i),
    ...END,
    ...i32c(1), ...set(done),
    ...ELSE,
    ...loadState([sa0, sa1, sa2, sa3]),
    ...END,
  ];
  const storeState = [
    ...get(st), ...get(s0), ...I32STORE(0), ...get(st), ...get(s1), ...I32STORE(4),
    ...get(st), ...get(s2), ...I32STORE(8), ...get(st), ...get(s3), ...I32STORE(12),
  ];
  const addr = [...get(ptr), ...get(i), ...i32c(2), ...ISHL, ...IADD];
  const body = [
    ...get(st), ...I32LOAD(0), ...set(s0), ...get(st), ...I32LOAD(4), ...set(s1),
    ...get(st), ...I32LOAD(8), ...set(s2), ...get(st), ...I32LOAD(12), ...set(s3),
    // exp(−λ) of pixels 0 and 1
    ...i32c(0), ...set(i), ...expAt(0, E0), ...expAt(1, E1),
    ...loopWhile([...get(i), ...get(n), ...ILTS, 0x45], [
      ...get(e), ...f64c(0), ...addr, ...F32LOAD, ...PROMOTE, ...FMAX, ...FMUL, ...set(lam),
      // λ must be ≥ 0 and finite (rng.poisson's RangeError, thrown by the caller)
      ...get(lam), ...f64c(0), ...FGE, ...get(lam), ...f64c(Infinity), ...FLT, ...IAND, 0x45, ...IF, ...storeState, ...get(i), ...RETURN, ...END,
      ...expAt(2, X2),
      ...i32c(0), ...set(done),
      ...get(i), ...i32c(1), ...IADD, ...get(n), ...ILTS, ...IF,
      ...get(e), ...f64c(0), ...addr, ...F32LOAD_AT(4), ...PROMOTE, ...FMAX, ...FMUL, ...set(lamB),
      ...get(lam), ...f64c(0), ...FGT, ...get(lam), ...f64c(POISSON_INVERSION_BELOW), ...FLT, ...IAND,
      ...get(lamB), ...f64c(0), ...FGT, ...IAND, ...get(lamB), ...f64c(POISSON_INVERSION_BELOW), ...FLT, ...IAND, ...IF,
      ...expAt(3, X3),
      ...pair,
      ...END,
      ...END,
      // one pixel: λ = 0, PTRS, a neighbour outside (0, 30), the last pixel, or a first lane that reached J
      ...get(done), 0x45, ...IF,
      ...f64c(0), ...set(k),
      ...get(E0), ...set(Lnext0),
      ...get(lam), ...f64c(0), ...FEQ, 0x45, ...IF,
      ...get(lam), ...f64c(POISSON_INVERSION_BELOW), ...FLT, ...IF, ...inversion, ...ELSE, ...ptrs, ...END,
      ...END,
      // c = g·k + off; x = (c − off)·scale
      ...addr, ...get(g), ...get(k), ...FMUL, ...get(off), ...FADD, ...get(off), ...FSUB, ...get(scale), ...FMUL, ...DEMOTE, ...F32STORE,
      ...get(E1), ...set(E0), ...get(X2), ...set(E1), ...get(i), ...i32c(1), ...IADD, ...set(i),
      ...END,
    ]),
    ...storeState,
    ...i32c(-1),
  ];
  const poissonDetector = func([[9, I32], [14, F64], [2, I32], [7, F64], [11, I32], [6, F64], [5, V128]], body);
  // expMinus(λ) = the exp(−λ) above alone (tests): the parameter at 0, its temporaries at the same local indices.
  const expMinus = func([[29, F64], [2, I32], [4, F64]], expOfMinus(0));
  void tee;
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([
      [0x60, ...vec([[F64]]), ...vec([[F64]])],
      [0x60, ...vec([[I32], [I32], [F64], [F64], [F64], [F64], [I32]]), ...vec([[I32]])],
    ])),
    ...section(2, vec([
      [...str('env'), ...str('log'), 0x00, 0], [...str('env'), ...str('logFactorial'), 0x00, 0],
      [...str('env'), ...str('mem'), 0x02, 0x00, 0x00],
    ])),
    ...section(3, vec([[1], [0]])),
    ...section(7, vec([[...str('poissonDetector'), 0, 2], [...str('expMinus'), 0, 3]])),
    ...section(10, vec([poissonDetector, expMinus])),
  ];
  return Uint8Array.from(bytes);
}

let instance: PoissonWasm | null | undefined;

/** The kernel on its own memory, or undefined where WebAssembly is unavailable (see module doc). */
export function poissonWasm(logFactorial: (k: number) => number): PoissonWasm | undefined {
  if (instance !== undefined) return instance ?? undefined;
  const k = instantiateOwnMemory(poissonModule, 1, 'Poisson WASM kernel', { log: Math.log, logFactorial });
  instance = k ? { memory: k.memory, poissonDetector: k.exports.poissonDetector as PoissonWasm['poissonDetector'], expMinus: k.exports.expMinus as PoissonWasm['expMinus'] } : null;
  return instance ?? undefined;
}
