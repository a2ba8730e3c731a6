/**
 * Small dense linear algebra for the fit (GP emulators, likelihood covariances): symmetric positive
 * definite matrices as row-major Float64Array(n·n). Cholesky A = L·Lᵀ (Golub & Van Loan, Matrix
 * Computations, 4th ed., Alg. 4.2.1), triangular solves, log-determinant, symmetric eigen-
 * decomposition (cyclic Jacobi, ibid. §8.5) for PCA.
 */

/** Cholesky factor L (lower, row-major) of the SPD matrix `a` (n×n), or null when not positive definite. */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= L[j * n + k]! ** 2;
    if (!(d > 0) || !Number.isFinite(d)) return null;
    const ljj = Math.sqrt(d);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      L[i * n + j] = s / ljj;
    }
  }
  return L;
}

/**
 * Cholesky with escalating jitter on the diagonal (relative to the mean diagonal): 0, 1e-10, 1e-8 … 1e-4.
 * Returns the factor and the jitter added; throws if even the largest jitter fails.
 */
export function choleskyJitter(a: Float64Array, n: number): { L: Float64Array; jitter: number } {
  let mean = 0;
  for (let i = 0; i < n; i++) mean += a[i * n + i]!;
  mean = n ? mean / n : 1;
  for (const rel of [0, 1e-10, 1e-8, 1e-6, 1e-4]) {
    let b = a;
    if (rel > 0) {
      b = Float64Array.from(a);
      for (let i = 0; i < n; i++) b[i * n + i]! += rel * mean;
    }
    const L = cholesky(b, n);
    if (L) return { L, jitter: rel * mean };
  }
  throw new Error(`cholesky: matrix (${n}×${n}) is not positive definite even with jitter 1e-4·mean diagonal`);
}

/** Solves L·x = b (L lower triangular, row-major); returns x (new array). */
export function solveLower(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * n + k]! * x[k]!;
    x[i] = s / L[i * n + i]!;
  }
  return x;
}

/** Solves Lᵀ·x = b (L lower triangular, row-major); returns x (new array). */
export function solveUpperT(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * x[k]!;
    x[i] = s / L[i * n + i]!;
  }
  return x;
}

/** Solves A·x = b given A's Cholesky factor L. */
export function cholSolve(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  return solveUpperT(L, n, solveLower(L, n, b));
}

/** log det A = 2 Σ log L_ii. */
export function cholLogDet(L: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(L[i * n + i]!);
  return 2 * s;
}

/** Dot product of the first n entries. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>, n = a.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Eigen-decomposition of a symmetric n×n matrix by cyclic Jacobi rotations. Returns eigenvalues in
 * descending order and the matching unit eigenvectors as columns of `vectors` (row-major n×n).
 */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(a);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += A[i * n + i]! ** 2;
      for (let j = i + 1; j < n; j++) off += A[i * n + j]! ** 2;
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q]!;
        if (apq === 0) continue;
        const app = A[p * n + p]!;
        const aqq = A[q * n + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p]!;
          const akq = A[k * n + q]!;
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k]!;
          const aqk = A[q * n + k]!;
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p]!;
          const vkq = V[k * n + q]!;
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => A[j * n + j]! - A[i * n + i]! || i - j);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = A[src * n + src]!;
    // Fix the sign (largest-magnitude entry positive) so that results are reproducible.
    let big = 0;
    for (let k = 0; k < n; k++) if (Math.abs(V[k * n + src]!) > Math.abs(big)) big = V[k * n + src]!;
    const sg = big < 0 ? -1 : 1;
    for (let k = 0; k < n; k++) vectors[k * n + dst] = sg * V[k * n + src]!;
  });
  return { values, vectors };
}
