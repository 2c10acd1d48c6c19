// Shared test helpers: standard test functions with their known optima, and quiet tuner options.

export const quiet = { storage: 'memory', verbose: 0 } as const;

/** Branin on x1 ∈ [-5, 10], x2 ∈ [0, 15]; global minimum 0.397887 at (-π, 12.275), (π, 2.275), (9.42478, 2.475). */
export function branin(x1: number, x2: number): number {
  const a = 1, b = 5.1 / (4 * Math.PI ** 2), c = 5 / Math.PI, r = 6, s = 10, t = 1 / (8 * Math.PI);
  return a * (x2 - b * x1 * x1 + c * x1 - r) ** 2 + s * (1 - t) * Math.cos(x1) + s;
}
export const BRANIN_MIN = 0.397887;

/** Hartmann-6 on [0, 1]^6; global minimum -3.32237 (Dixon & Szegő 1978; values from Surjanovic & Bingham's library). */
export function hartmann6(x: readonly number[]): number {
  const alpha = [1.0, 1.2, 3.0, 3.2];
  const A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]];
  const P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991], [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]];
  let s = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < 6; j++) inner += A[i][j] * (x[j] - P[i][j] * 1e-4) ** 2;
    s += alpha[i] * Math.exp(-inner);
  }
  return -s;
}
export const HARTMANN6_MIN = -3.32237;

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}
