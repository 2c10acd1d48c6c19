// Matérn 5/2 kernel with automatic relevance determination (one lengthscale per input dimension):
//   r² = Σ_i (x_i - x'_i)² / ℓ_i²
//   k(x, x') = σ² (1 + √5 r + 5/3 r²) exp(-√5 r)
// and its derivative with respect to log ℓ_i:
//   ∂k/∂log ℓ_i = σ² · 5/3 (1 + √5 r) exp(-√5 r) · (x_i - x'_i)² / ℓ_i²
// (Rasmussen & Williams 2006, eq. 4.17.)

const SQRT5 = Math.sqrt(5);

export function matern52(r: number, amplitude: number): number {
  return amplitude * (1 + SQRT5 * r + (5 / 3) * r * r) * Math.exp(-SQRT5 * r);
}

/** Scaled distance r between rows a and b. */
export function scaledDistance(a: ArrayLike<number>, b: ArrayLike<number>, lengthscales: ArrayLike<number>): number {
  let r2 = 0;
  for (let i = 0; i < lengthscales.length; i++) {
    const d = (a[i] - b[i]) / lengthscales[i];
    r2 += d * d;
  }
  return Math.sqrt(r2);
}

/** Common factor of the lengthscale derivatives: σ² · 5/3 (1 + √5 r) exp(-√5 r). */
export function matern52LengthscaleFactor(r: number, amplitude: number): number {
  return amplitude * (5 / 3) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
}
