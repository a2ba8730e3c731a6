/**
 * Plans for the mixed-radix Stockham FFT: the factorisation of n into radices 4, 2, 3, 5 and the
 * per-stage twiddle tables, computed once per size (float64, exact to ~1e-16) and cached.
 *
 * Stage s of the decimation-in-frequency Stockham recursion has current length L = n / (r₀…r_{s−1}),
 * radix r, m = L / r and input stride S = r₀…r_{s−1}; its twiddles are w^{p·k} with w = exp(−2πi/L),
 * p ∈ [0, m), k ∈ [1, r), stored at index p·(r−1) + (k−1).
 */

/** One stage of a 1D plan. */
export interface FftStage {
  /** Radix: 2, 3, 4 or 5. */
  readonly radix: number;
  /** Butterflies per group: current length / radix. */
  readonly m: number;
  /** Stride between consecutive inputs of one group (product of the previous radices). */
  readonly stride: number;
  /** Twiddle real parts, index p·(radix−1) + k−1. */
  readonly twRe: Float64Array;
  /** Twiddle imaginary parts (forward sign, exp(−2πi p k / L)). */
  readonly twIm: Float64Array;
}

/** A cached 1D plan for length n. */
export interface FftPlan {
  readonly n: number;
  readonly stages: readonly FftStage[];
}

/** Radices in the order the stages use them (radix 4 first: most of the work, fewest passes). */
export function factorize(n: number): number[] | undefined {
  if (!Number.isInteger(n) || n < 1) return undefined;
  const out: number[] = [];
  let rest = n;
  while (rest % 4 === 0) { out.push(4); rest /= 4; }
  while (rest % 2 === 0) { out.push(2); rest /= 2; }
  while (rest % 3 === 0) { out.push(3); rest /= 3; }
  while (rest % 5 === 0) { out.push(5); rest /= 5; }
  return rest === 1 ? out : undefined;
}

const cache = new Map<number, FftPlan>();

/** The plan for length n (cached); throws RangeError for sizes with a prime factor > 5. */
export function getPlan(n: number): FftPlan {
  const hit = cache.get(n);
  if (hit) return hit;
  const radices = factorize(n);
  if (!radices) throw new RangeError(`FFT size must be 2^a·3^b·5^c ≥ 1, got ${n}`);
  const stages: FftStage[] = [];
  let len = n;
  let stride = 1;
  for (const r of radices) {
    const m = len / r;
    const twRe = new Float64Array(m * (r - 1));
    const twIm = new Float64Array(m * (r - 1));
    for (let p = 0; p < m; p++) {
      for (let k = 1; k < r; k++) {
        const a = (-2 * Math.PI * p * k) / len;
        twRe[p * (r - 1) + k - 1] = Math.cos(a);
        twIm[p * (r - 1) + k - 1] = Math.sin(a);
      }
    }
    stages.push({ radix: r, m, stride, twRe, twIm });
    len = m;
    stride *= r;
  }
  const plan = { n, stages };
  cache.set(n, plan);
  return plan;
}
