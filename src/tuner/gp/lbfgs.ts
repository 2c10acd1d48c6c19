// Limited-memory BFGS (Nocedal & Wright 2006, Alg. 7.4 two-loop recursion) with a backtracking Armijo line search,
// for small smooth unconstrained problems such as the GP's negative log marginal likelihood.

export interface LbfgsOptions {
  maxIterations?: number; // default 100
  memory?: number; // default 8 pairs
  gradTolerance?: number; // stop when max |g_i| < this; default 1e-6
}

/** Minimise f from x0; fg returns the value and gradient (an infinite value rejects a point). */
export function lbfgs(fg: (x: Float64Array) => { f: number; g: Float64Array }, x0: ArrayLike<number>, options: LbfgsOptions = {}): { x: Float64Array; f: number } {
  const maxIt = options.maxIterations ?? 100;
  const m = options.memory ?? 8;
  const tol = options.gradTolerance ?? 1e-6;
  const n = x0.length;
  let x = Float64Array.from(x0);
  let { f, g } = fg(x);
  if (!Number.isFinite(f)) return { x, f };
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const dot = (a: Float64Array, b: Float64Array) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[i] * b[i];
    return s;
  };
  for (let it = 0; it < maxIt; it++) {
    if (g.reduce((mx, v) => Math.max(mx, Math.abs(v)), 0) < tol) break;
    // Two-loop recursion: d = -H g.
    const q = Float64Array.from(g);
    const alpha: number[] = [];
    for (let k = S.length - 1; k >= 0; k--) {
      const a = dot(S[k], q) / dot(Y[k], S[k]);
      alpha[k] = a;
      for (let i = 0; i < n; i++) q[i] -= a * Y[k][i];
    }
    const gamma = S.length ? dot(S[S.length - 1], Y[Y.length - 1]) / dot(Y[Y.length - 1], Y[Y.length - 1]) : 1 / Math.max(1, Math.sqrt(dot(g, g)));
    for (let i = 0; i < n; i++) q[i] *= gamma;
    for (let k = 0; k < S.length; k++) {
      const b = dot(Y[k], q) / dot(Y[k], S[k]);
      for (let i = 0; i < n; i++) q[i] += S[k][i] * (alpha[k] - b);
    }
    const d = q.map((v) => -v);
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction: restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      slope = -dot(g, g);
    }
    let step = 1;
    let next: { f: number; g: Float64Array } | null = null;
    let xn = x;
    for (let ls = 0; ls < 30; ls++) {
      xn = x.map((v, i) => v + step * d[i]);
      const r = fg(xn);
      if (Number.isFinite(r.f) && r.f <= f + 1e-4 * step * slope) {
        next = r;
        break;
      }
      step *= 0.5;
    }
    if (!next) break;
    const s = xn.map((v, i) => v - x[i]);
    const y = next.g.map((v, i) => v - g[i]);
    if (dot(s, y) > 1e-12) {
      S.push(s);
      Y.push(y);
      if (S.length > m) (S.shift(), Y.shift());
    }
    const improvement = f - next.f;
    x = xn;
    f = next.f;
    g = next.g;
    if (improvement < 1e-10 * Math.max(1, Math.abs(f))) break;
  }
  return { x, f };
}
