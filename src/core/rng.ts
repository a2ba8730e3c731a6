/**
 * Seeded pseudo-random numbers with independent streams.
 *
 * Generator: xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
 * ACM TOMS 47, 36 (2021)): 128-bit state, period 2^128 − 1, 32-bit operations only (fast in JS).
 * Seeding: SplitMix64 over (seed, stream ids…), so `Rng.stream(seed, i)` for work item i is
 * independent of how items are spread over workers: results never depend on the worker count.
 *
 * @example
 *   const rng = Rng.stream(42, 7);   // stream for work item 7 of run seed 42
 *   rng.uniform();                   // [0, 1), 53-bit resolution
 */
const MASK64 = (1n << 64n) - 1n;

function splitmix64(x: bigint): [bigint, bigint] {
  const s = (x + 0x9e3779b97f4a7c15n) & MASK64;
  let z = s;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  z = z ^ (z >> 31n);
  return [s, z];
}

function toBigSeed(seed: number | bigint, field = 'seed'): bigint {
  if (typeof seed === 'bigint') return seed & MASK64;
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`${field}: got ${seed}; allowed: an integer 0 … 2^53−1`);
  }
  return BigInt(seed);
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  private constructor(s: readonly number[]) {
    this.s0 = s[0]! | 0;
    this.s1 = s[1]! | 0;
    this.s2 = s[2]! | 0;
    this.s3 = s[3]! | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A generator for `seed` and an optional path of stream ids (e.g. frame, probe row). */
  static stream(seed: number | bigint, ...streamIds: number[]): Rng {
    let x = toBigSeed(seed);
    for (const id of streamIds) {
      let h: bigint;
      [x, h] = splitmix64(x);
      x = (h ^ (toBigSeed(id, 'stream id') * 0xd1342543de82ef95n)) & MASK64;
    }
    const words: number[] = [];
    for (let i = 0; i < 2; i++) {
      let z: bigint;
      [x, z] = splitmix64(x);
      words.push(Number(z & 0xffffffffn), Number(z >> 32n));
    }
    return new Rng(words);
  }

  /** Derive an independent child stream without advancing this one's state. */
  child(...streamIds: number[]): Rng {
    const base = (BigInt(this.s0 >>> 0) << 32n) | BigInt(this.s1 >>> 0);
    const base2 = (BigInt(this.s2 >>> 0) << 32n) | BigInt(this.s3 >>> 0);
    return Rng.stream(base ^ (base2 * 0x9e3779b97f4a7c15n & MASK64), ...streamIds);
  }

  /** Next uniformly distributed unsigned 32-bit integer. */
  nextU32(): number {
    const s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    this.s2 = s2 ^ s0;
    this.s3 = s3 ^ s1;
    this.s1 = s1 ^ this.s2;
    this.s0 = s0 ^ this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextU32() >>> 5;
    const b = this.nextU32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform double in (0, 1]: safe for −log(u). */
  uniformOpen(): number {
    return 1 - this.uniform();
  }

  /** Integer uniform in [0, n), unbiased (rejection). */
  int(n: number): number {
    if (!(n >= 1) || n > 4294967296) throw new RangeError(`Rng.int: n must be in [1, 2^32], got ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    let x: number;
    do x = this.nextU32();
    while (x >= limit);
    return x % n;
  }

  /** Standard normal deviate (Marsaglia polar method). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return u * f;
  }

  /** Exponential deviate with unit mean. */
  exponential(): number {
    return -Math.log(this.uniformOpen());
  }

  /**
   * Poisson deviate with mean `lambda` ≥ 0, from one uniform below λ = POISSON_INVERSION_BELOW (30): inversion by
   * sequential search from k = 0 (Devroye, Non-Uniform Random Variate Generation (1986), ch. X §3.3: p₀ = e^−λ,
   * F = p₀, then p_k = p_{k−1}·(λ·(1/k)), F += p_k while u > F); from λ = 30 the PTRS transformed rejection of Hörmann
   * (Insurance: Math. Econ. 12, 39 (1993)). The one Poisson sampler of the project (detector noise of `run`, `image` and
   * `dataset`; core poisson-wasm.ts is its WebAssembly form over a whole image, the same bits). It replaced Knuth's
   * product method (~λ + 1 uniforms per deviate): the same distribution, other deviates from the same stream. The
   * search stops at k = POISSON_INVERSION_MAX_K (128; P(k > 128) < 10⁻³⁸ for λ < 30, and F may stay a rounding error
   * below a u within ~10⁻¹⁵ of 1): u is then drawn again, which truncates the pmf there.
   */
  poisson(lambda: number): number {
    if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`Rng.poisson: lambda must be finite ≥ 0, got ${lambda}`);
    if (lambda === 0) return 0;
    if (lambda >= POISSON_INVERSION_BELOW) return this.ptrs(lambda);
    const p0 = Math.exp(-lambda);
    for (;;) {
      const u = this.uniform();
      let p = p0, F = p0, k = 0;
      while (u > F && k < POISSON_INVERSION_MAX_K) {
        k++;
        p *= lambda * RECIPROCAL[k]!;
        F += p;
      }
      if (u <= F) return k;
    }
  }

  /**
   * PTRS, the transformed rejection with squeeze of Hörmann (Insurance: Math. Econ. 12, 39 (1993); valid for λ ≥ 10),
   * the Poisson deviates of poisson() from λ = 30.
   */
  private ptrs(lambda: number): number {
    const slam = Math.sqrt(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const vr = 0.9277 - 3.6224 / (b - 2);
    // log λ and 1/α only serve the full test, which most deviates never reach (the quick acceptance takes ~86 %).
    let loglam = NaN, invalpha = NaN;
    for (;;) {
      const U = this.uniform() - 0.5;
      const V = this.uniform();
      const us = 0.5 - Math.abs(U);
      const k = Math.floor(((2 * a) / us + b) * U + lambda + 0.43);
      if (us >= 0.07 && V <= vr) return k;
      if (k < 0 || (us < 0.013 && V > us)) continue;
      if (Number.isNaN(loglam)) { loglam = Math.log(lambda); invalpha = 1.1239 + 1.1328 / (b - 3.4); }
      if (Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logFactorial(k)) return k;
    }
  }

  /** Serialisable state (for checkpoints): restore with `Rng.fromState`. */
  getState(): [number, number, number, number] {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }

  /** Sets the state in place (as returned by getState); the spare normal deviate, if any, is kept. */
  setState(state: readonly number[]): void {
    const r = Rng.fromState(state);
    this.s0 = r.s0; this.s1 = r.s1; this.s2 = r.s2; this.s3 = r.s3;
  }

  static fromState(state: readonly number[]): Rng {
    if (state.length !== 4 || state.some((w) => !Number.isInteger(w))) {
      throw new RangeError(`Rng.fromState: expected 4 unsigned 32-bit words, got ${JSON.stringify(state)}`);
    }
    return new Rng(state);
  }
}

/** Rng.poisson searches the cdf below this mean and uses PTRS from it on. */
export const POISSON_INVERSION_BELOW = 30;
/** Largest deviate of Rng.poisson's search (a larger one is drawn again). */
export const POISSON_INVERSION_MAX_K = 128;

/** 1/k (the search's factors λ·(1/k): its float64 operations, which its WebAssembly form repeats). */
const RECIPROCAL = Float64Array.from({ length: POISSON_INVERSION_MAX_K + 1 }, (_, k) => 1 / k);

const LOG_FACT_CACHE: number[] = [0, 0];
/** log k! (the PTRS acceptance test of Rng.poisson; also called by its WebAssembly form, poisson-wasm.ts). */
export function logFactorial(k: number): number {
  if (k < 256) {
    for (let i = LOG_FACT_CACHE.length; i <= k; i++) LOG_FACT_CACHE[i] = LOG_FACT_CACHE[i - 1]! + Math.log(i);
    return LOG_FACT_CACHE[k]!;
  }
  // Stirling series, error < 1e-12 for k ≥ 256.
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3);
}
