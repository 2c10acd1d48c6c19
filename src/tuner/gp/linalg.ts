// Dense float64 linear algebra for the Gaussian process: Cholesky factorisation A = L Lᵀ and triangular solves.
// Matrices are row-major Float64Array of n × n.

/** Lower-triangular L with A = L Lᵀ, or null when A is not positive definite. */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j];
      }
    }
  }
  return l;
}

/** x with L x = b (forward substitution). */
export function solveLower(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
}

/** x with Lᵀ x = b (back substitution). */
export function solveUpperT(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
}

/** x with (L Lᵀ) x = b. */
export function cholSolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  return solveUpperT(l, n, solveLower(l, n, b));
}

/** (L Lᵀ)⁻¹ = L⁻ᵀ L⁻¹ as a dense symmetric matrix: invert L (n³/6), then accumulate row by row (n³/6). */
export function cholInverse(l: Float64Array, n: number): Float64Array {
  const m = new Float64Array(n * n); // L⁻¹, lower triangular
  for (let j = 0; j < n; j++) {
    m[j * n + j] = 1 / l[j * n + j];
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= l[i * n + k] * m[k * n + j];
      m[i * n + j] = s / l[i * n + i];
    }
  }
  // (K⁻¹)_ab = Σ_k M_ka M_kb over k >= max(a, b).
  const inv = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const row = k * n;
    for (let a = 0; a <= k; a++) {
      const mka = m[row + a];
      if (mka === 0) continue;
      const out = a * n;
      for (let b = a; b <= k; b++) inv[out + b] += mka * m[row + b];
    }
  }
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) inv[b * n + a] = inv[a * n + b];
  return inv;
}
