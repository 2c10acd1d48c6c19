import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GaussianProcess, negLogMarginalLikelihood, squaredDiffs } from '../../src/tuner/gp/gp.js';
import { lbfgs } from '../../src/tuner/gp/lbfgs.js';
import { normalCdf } from '../../src/tuner/oracles/bayesian.js';
import { Rng } from '../../src/tensor/random.js';

// Independent float64 references: Matérn 5/2 written out, and Gauss-Jordan inversion.
function matern(a: number[], b: number[], ell: number[], amp: number): number {
  const r = Math.sqrt(a.reduce((s, v, i) => s + ((v - b[i]) / ell[i]) ** 2, 0));
  return amp * (1 + Math.sqrt(5) * r + (5 * r * r) / 3) * Math.exp(-Math.sqrt(5) * r);
}
function invert(m: number[][]): number[][] {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    const d = a[c][c];
    for (let j = 0; j < 2 * n; j++) a[c][j] /= d;
    for (let r = 0; r < n; r++) if (r !== c) {
      const f = a[r][c];
      for (let j = 0; j < 2 * n; j++) a[r][j] -= f * a[c][j];
    }
  }
  return a.map((row) => row.slice(n));
}

test('posterior mean interpolates noise-free points and matches the closed form elsewhere', () => {
  const rng = new Rng(1);
  const x = Array.from({ length: 12 }, () => [rng.next(), rng.next()]);
  const y = x.map(([a, b]) => Math.sin(6 * a) + b * b);
  const hyper = { lengthscales: [0.3, 0.5], amplitude: 1.3, noise: 1e-10 };
  const gp = new GaussianProcess(x, y, hyper);
  for (let i = 0; i < x.length; i++) {
    const p = gp.predict(x[i]);
    assert.ok(Math.abs(p.mean - y[i]) < 1e-5, `mean at training point ${i}: ${p.mean} vs ${y[i]}`);
    assert.ok(p.variance < 1e-6, `variance at training point ${i}: ${p.variance}`);
  }
  // Reference: μ = m + s · k*ᵀ K⁻¹ (y - m)/s and v = s² (σ² - k*ᵀ K⁻¹ k*) with population mean m and std s of y.
  const m = y.reduce((s, v) => s + v, 0) / y.length;
  const s = Math.sqrt(y.reduce((acc, v) => acc + (v - m) ** 2, 0) / y.length);
  const K = x.map((a, i) => x.map((b, j) => matern(a, b, hyper.lengthscales, hyper.amplitude) + (i === j ? 1e-10 + 1e-8 : 0)));
  const Kinv = invert(K);
  const q = [0.37, 0.81];
  const ks = x.map((a) => matern(q, a, hyper.lengthscales, hyper.amplitude));
  const w = Kinv.map((row) => row.reduce((acc, v, j) => acc + v * ks[j], 0));
  const mean = m + s * w.reduce((acc, v, i) => acc + v * (y[i] - m) / s, 0);
  const variance = s * s * (hyper.amplitude - w.reduce((acc, v, i) => acc + v * ks[i], 0));
  const p = gp.predict(q);
  assert.ok(Math.abs(p.mean - mean) < 1e-6, `${p.mean} vs ${mean}`);
  assert.ok(Math.abs(p.variance - variance) < 1e-6, `${p.variance} vs ${variance}`);
});

test('negative log marginal likelihood: value against the closed form, gradient against finite differences', () => {
  const rng = new Rng(2);
  const x = Array.from({ length: 9 }, () => [rng.next(), rng.next(), rng.next()]);
  const ys = x.map(([a, b, c]) => a - 2 * b + Math.cos(5 * c));
  const mean = ys.reduce((s, v) => s + v, 0) / ys.length;
  const y = ys.map((v) => v - mean);
  const theta = [Math.log(0.4), Math.log(0.7), Math.log(1.5), Math.log(0.8), Math.log(0.01)];
  const diffs = squaredDiffs(x);
  const { nll, grad } = negLogMarginalLikelihood(theta, diffs, y);
  // Closed form with the reference kernel: ½ yᵀK⁻¹y + ½ log det K + n/2 log 2π (log det from the Gauss-Jordan pivots' product via K⁻¹).
  const ell = theta.slice(0, 3).map(Math.exp);
  const K = x.map((a, i) => x.map((b, j) => matern(a, b, ell, Math.exp(theta[3])) + (i === j ? Math.exp(theta[4]) + 1e-8 : 0)));
  const Kinv = invert(K);
  let quad = 0;
  for (let i = 0; i < y.length; i++) for (let j = 0; j < y.length; j++) quad += y[i] * Kinv[i][j] * y[j];
  // log det via LU (partial pivoting).
  const lu = K.map((r) => [...r]);
  let logDet = 0;
  for (let c = 0; c < lu.length; c++) {
    for (let r = c + 1; r < lu.length; r++) {
      const f = lu[r][c] / lu[c][c];
      for (let j = c; j < lu.length; j++) lu[r][j] -= f * lu[c][j];
    }
    logDet += Math.log(Math.abs(lu[c][c]));
  }
  const ref = 0.5 * quad + 0.5 * logDet + (y.length / 2) * Math.log(2 * Math.PI);
  assert.ok(Math.abs(nll - ref) < 1e-8, `${nll} vs ${ref}`);
  for (let i = 0; i < theta.length; i++) {
    const h = 1e-5;
    const up = [...theta];
    const down = [...theta];
    up[i] += h;
    down[i] -= h;
    const fd = (negLogMarginalLikelihood(up, diffs, y).nll - negLogMarginalLikelihood(down, diffs, y).nll) / (2 * h);
    assert.ok(Math.abs(fd - grad[i]) < 1e-5 * Math.max(1, Math.abs(fd)), `d/dθ${i}: analytic ${grad[i]} vs numeric ${fd}`);
  }
});

test('maximum likelihood recovers a known lengthscale, and a long one for an irrelevant input', () => {
  // Draw f ~ GP(0, Matérn 5/2 with ℓ = (0.2, ∞)) at 60 points: f depends on the first input only.
  const rng = new Rng(4);
  const n = 60;
  const x = Array.from({ length: n }, () => [rng.next(), rng.next()]);
  const K = x.map((a, i) => x.map((b, j) => matern([a[0]], [b[0]], [0.2], 1) + (i === j ? 1e-6 : 0)));
  const L: number[][] = K.map(() => new Array(n).fill(0));
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    let s = K[i][j];
    for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
    L[i][j] = i === j ? Math.sqrt(s) : s / L[j][j];
  }
  const z = Array.from({ length: n }, () => rng.normal());
  const y = L.map((row) => row.reduce((s, v, k) => s + v * z[k], 0));
  const gp = GaussianProcess.fit(x, y, { rng: new Rng(9) });
  const [l1, l2] = gp.hyper.lengthscales;
  assert.ok(l1 > 0.1 && l1 < 0.4, `relevant lengthscale ${l1} (true 0.2)`);
  assert.ok(l2 > 1.5, `irrelevant lengthscale ${l2} should be long`);
  assert.ok(gp.hyper.noise < 0.05, `noise ${gp.hyper.noise}`);
  // The fitted θ beats the default start in likelihood.
  const start = new GaussianProcess(x, y, { lengthscales: [0.3, 0.3], amplitude: 1, noise: 1e-3 });
  assert.ok(gp.logMarginalLikelihood() > start.logMarginalLikelihood());
});

test('L-BFGS finds the minimum of the Rosenbrock function', () => {
  const fg = (v: Float64Array) => {
    const [a, b] = v;
    return { f: (1 - a) ** 2 + 100 * (b - a * a) ** 2, g: Float64Array.of(-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)) };
  };
  const r = lbfgs(fg, [-1.2, 1], { maxIterations: 200 });
  assert.ok(Math.abs(r.x[0] - 1) < 1e-3 && Math.abs(r.x[1] - 1) < 1e-3, `${r.x}`);
});

test('normal CDF matches tabulated values', () => {
  for (const [z, p] of [[0, 0.5], [1, 0.8413447461], [-1.96, 0.0249978952], [2.5, 0.9937903347], [-4, 3.167124183e-5]]) {
    assert.ok(Math.abs(normalCdf(z) - p) < 2e-7, `Φ(${z}) = ${normalCdf(z)} vs ${p}`);
  }
});
