// Gaussian-process regression (Rasmussen & Williams 2006, Alg. 2.1) with a Matérn 5/2 ARD kernel, on inputs in the
// unit cube and standardised outputs y_s = (y - mean) / std:
//   K = σ² M(X, X) + (σ_n² + 1e-8) I,  L = chol(K),  α = K⁻¹ y_s
//   posterior mean  μ(x) = k(x)ᵀ α,  variance  v(x) = σ² - |L⁻¹ k(x)|²
//   log marginal likelihood  log p(y|θ) = -½ y_sᵀ α - Σ log L_ii - n/2 log 2π
//   ∂ log p/∂θ_j = ½ tr((α αᵀ - K⁻¹) ∂K/∂θ_j)
// θ = (log ℓ_1..ℓ_d, log σ², log σ_n²) is fitted by maximum marginal likelihood: multi-start L-BFGS in float64 on an
// unconstrained z with θ = lo + (hi - lo)·sigmoid(z), which keeps θ inside the bounds below.

import { Rng } from '../../tensor/random.js';
import { cholesky, cholInverse, cholSolve, solveLower } from './linalg.js';
import { matern52, matern52LengthscaleFactor, scaledDistance } from './kernel.js';
import { lbfgs } from './lbfgs.js';

export interface GPHyperparameters {
  lengthscales: number[];
  /** Signal variance σ² (of the standardised outputs). */
  amplitude: number;
  /** Noise variance σ_n² (of the standardised outputs). */
  noise: number;
}

/** Bounds of log ℓ, log σ², log σ_n². */
export const GP_BOUNDS = {
  logLengthscale: [Math.log(1e-2), Math.log(1e2)],
  logAmplitude: [Math.log(1e-2), Math.log(1e2)],
  logNoise: [Math.log(1e-6), Math.log(1)],
} as const;

const JITTER = 1e-8;
const LOG_2PI = Math.log(2 * Math.PI);

export interface GPFitOptions {
  /** Random restarts besides the default start (ℓ = 0.3, σ² = 1, σ_n² = 1e-3). Default 2. */
  restarts?: number;
  rng?: Rng;
  /** Keep the noise fixed at this variance instead of fitting it (e.g. 1e-6 for noise-free data). */
  noise?: number;
}

export class GaussianProcess {
  readonly n: number;
  readonly dim: number;
  private readonly l: Float64Array;
  private readonly alpha: Float64Array;

  /**
   * Condition on (x, y) with the given kernel hyperparameters. Outputs are standardised with yMean / yStd
   * (default: those of y), so that fantasy points can reuse the statistics of the real data.
   */
  constructor(
    readonly x: readonly number[][],
    readonly y: readonly number[],
    readonly hyper: GPHyperparameters,
    readonly yMean = mean(y),
    readonly yStd = std(y),
  ) {
    this.n = x.length;
    this.dim = hyper.lengthscales.length;
    const k = kernelMatrix(x, hyper);
    const l = cholesky(k, this.n);
    if (!l) throw new Error('GaussianProcess: kernel matrix is not positive definite (duplicate points with zero noise?).');
    this.l = l;
    this.alpha = cholSolve(l, this.n, y.map((v) => (v - this.yMean) / this.yStd));
  }

  /** Fit θ by maximum marginal likelihood, then condition on the data. */
  static fit(x: readonly number[][], y: readonly number[], options: GPFitOptions = {}): GaussianProcess {
    if (x.length === 0) throw new Error('GaussianProcess.fit: no data.');
    const d = x[0].length;
    const ys = standardise(y);
    const rng = options.rng ?? new Rng(0);
    const bounds = boundsFor(d, options.noise);
    const starts: number[][] = [[...Array(d).fill(Math.log(0.3)), 0, Math.log(1e-3)]];
    for (let i = 0; i < (options.restarts ?? 2); i++) {
      starts.push(bounds.map(([lo, hi]) => lo + (hi - lo) * (0.15 + 0.7 * rng.next())));
    }
    let best: { theta: number[]; f: number } | null = null;
    const diffs = squaredDiffs(x);
    for (const start of starts) {
      const z0 = start.map((t, i) => toZ(t, bounds[i]));
      const fg = (z: Float64Array) => {
        const theta = Array.from(z, (zi, i) => fromZ(zi, bounds[i]));
        const { nll, grad } = negLogMarginalLikelihood(theta, diffs, ys, options.noise);
        const g = new Float64Array(z.length);
        for (let i = 0; i < z.length; i++) {
          const s = sigmoid(z[i]);
          g[i] = grad[i] * (bounds[i][1] - bounds[i][0]) * s * (1 - s);
        }
        return { f: nll, g };
      };
      const r = lbfgs(fg, z0, { maxIterations: 60 });
      if (Number.isFinite(r.f) && (!best || r.f < best.f)) best = { theta: Array.from(r.x, (zi, i) => fromZ(zi, bounds[i])), f: r.f };
    }
    const theta = best?.theta ?? starts[0];
    return new GaussianProcess(x, y, thetaToHyper(theta, d, options.noise));
  }

  /** Posterior mean and variance of the latent function at a point (in the units of y). */
  predict(point: readonly number[]): { mean: number; variance: number } {
    const ks = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) ks[i] = matern52(scaledDistance(point, this.x[i], this.hyper.lengthscales), this.hyper.amplitude);
    let m = 0;
    for (let i = 0; i < this.n; i++) m += ks[i] * this.alpha[i];
    const v = solveLower(this.l, this.n, ks);
    let vv = 0;
    for (let i = 0; i < this.n; i++) vv += v[i] * v[i];
    const variance = Math.max(this.hyper.amplitude - vv, 1e-12) * this.yStd * this.yStd;
    return { mean: m * this.yStd + this.yMean, variance };
  }

  /** log p(y | θ) of the standardised outputs. */
  logMarginalLikelihood(): number {
    const ys = this.y.map((v) => (v - this.yMean) / this.yStd);
    let fit = 0;
    for (let i = 0; i < this.n; i++) fit += ys[i] * this.alpha[i];
    let logDet = 0;
    for (let i = 0; i < this.n; i++) logDet += Math.log(this.l[i * this.n + i]);
    return -0.5 * fit - logDet - 0.5 * this.n * LOG_2PI;
  }
}

/** Negative log marginal likelihood and its gradient in θ = (log ℓ.., log σ², log σ_n²) (see the header). */
export function negLogMarginalLikelihood(theta: readonly number[], diffs: Float64Array[][], ys: readonly number[], fixedNoise?: number): { nll: number; grad: number[] } {
  const n = ys.length;
  const d = diffs.length && diffs[0].length ? diffs[0][0].length : theta.length - 2;
  const hyper = thetaToHyper(theta, d, fixedNoise);
  const ell2 = hyper.lengthscales.map((v) => v * v);
  const k = new Float64Array(n * n);
  const r = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b <= a; b++) {
      let r2 = 0;
      const dd = diffs[a][b];
      for (let i = 0; i < d; i++) r2 += dd[i] / ell2[i];
      const rab = Math.sqrt(r2);
      r[a * n + b] = r[b * n + a] = rab;
      const kv = matern52(rab, hyper.amplitude);
      k[a * n + b] = k[b * n + a] = kv;
    }
    k[a * n + a] += hyper.noise + JITTER;
  }
  const l = cholesky(k, n);
  if (!l) return { nll: Infinity, grad: theta.map(() => 0) };
  const alpha = cholSolve(l, n, ys);
  let nll = 0.5 * n * LOG_2PI;
  for (let i = 0; i < n; i++) nll += 0.5 * ys[i] * alpha[i] + Math.log(l[i * n + i]);
  // W = K⁻¹ - α αᵀ; ∂nll/∂θ_j = ½ Σ_ab W_ab ∂K_ab/∂θ_j.
  const w = cholInverse(l, n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) w[a * n + b] -= alpha[a] * alpha[b];
  const grad = new Array(theta.length).fill(0);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      const wab = w[a * n + b];
      const rab = r[a * n + b];
      const f = matern52LengthscaleFactor(rab, hyper.amplitude);
      const dd = a >= b ? diffs[a][b] : diffs[b][a];
      for (let i = 0; i < d; i++) grad[i] += 0.5 * wab * f * (dd[i] / ell2[i]);
      grad[d] += 0.5 * wab * matern52(rab, hyper.amplitude); // ∂K/∂log σ² = σ² M
    }
    if (fixedNoise === undefined) grad[d + 1] += 0.5 * w[a * n + a] * hyper.noise; // ∂K/∂log σ_n² = σ_n² I
  }
  return { nll, grad };
}

/** Per pair (a ≥ b) the per-dimension squared differences (x_a - x_b)². */
export function squaredDiffs(x: readonly number[][]): Float64Array[][] {
  const n = x.length;
  const d = n ? x[0].length : 0;
  const out: Float64Array[][] = [];
  for (let a = 0; a < n; a++) {
    out.push([]);
    for (let b = 0; b <= a; b++) {
      const v = new Float64Array(d);
      for (let i = 0; i < d; i++) v[i] = (x[a][i] - x[b][i]) ** 2;
      out[a].push(v);
    }
  }
  return out;
}

function kernelMatrix(x: readonly number[][], hyper: GPHyperparameters): Float64Array {
  const n = x.length;
  const k = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b <= a; b++) k[a * n + b] = k[b * n + a] = matern52(scaledDistance(x[a], x[b], hyper.lengthscales), hyper.amplitude);
    k[a * n + a] += hyper.noise + JITTER;
  }
  return k;
}

function thetaToHyper(theta: readonly number[], d: number, fixedNoise?: number): GPHyperparameters {
  return { lengthscales: theta.slice(0, d).map(Math.exp), amplitude: Math.exp(theta[d]), noise: fixedNoise ?? Math.exp(theta[d + 1]) };
}

function boundsFor(d: number, fixedNoise?: number): (readonly [number, number])[] {
  const b: (readonly [number, number])[] = [];
  for (let i = 0; i < d; i++) b.push(GP_BOUNDS.logLengthscale);
  b.push(GP_BOUNDS.logAmplitude);
  // With a fixed noise the last coordinate is unused; a degenerate interval keeps the shapes uniform.
  b.push(fixedNoise === undefined ? GP_BOUNDS.logNoise : [Math.log(fixedNoise), Math.log(fixedNoise) + 1e-9]);
  return b;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const fromZ = (z: number, [lo, hi]: readonly [number, number]): number => lo + (hi - lo) * sigmoid(z);
function toZ(t: number, [lo, hi]: readonly [number, number]): number {
  const p = Math.min(1 - 1e-6, Math.max(1e-6, (t - lo) / (hi - lo)));
  return Math.log(p / (1 - p));
}

function mean(y: readonly number[]): number {
  return y.reduce((s, v) => s + v, 0) / Math.max(1, y.length);
}
function std(y: readonly number[]): number {
  const m = mean(y);
  const s = Math.sqrt(y.reduce((acc, v) => acc + (v - m) ** 2, 0) / Math.max(1, y.length));
  return s > 1e-12 ? s : 1;
}
function standardise(y: readonly number[]): number[] {
  const m = mean(y);
  const s = std(y);
  return y.map((v) => (v - m) / s);
}
