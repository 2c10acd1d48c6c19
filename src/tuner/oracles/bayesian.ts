// Bayesian optimisation with a Gaussian process (Snoek, Larochelle & Adams 2012), on scores s = value (minimise)
// or -value (maximise), over the unit-cube encoding of the space (log parameters in log space, choices one-hot):
//   1. the first numInitialPoints trials (default 3 × tunable parameters, as Keras Tuner) are random;
//   2. fit a GP (Matérn 5/2 ARD, θ by maximum marginal likelihood, gp/gp.ts) to the complete trials;
//   3. pending points (running trials, and failed ones so that they are not retried) join as a constant liar with
//      the worst observed score, so concurrent proposals spread out instead of duplicating (Ginsbourger et al. 2010);
//   4. maximise the acquisition over random candidates plus perturbations of the best points, then refine the best
//      few by a (1+1) evolution strategy; snap to the space (decode then encode) at every step.
// Acquisitions, with μ, σ the posterior of the score and s* the best score:
//   'ei'  (default)  EI(x) = (s* - μ - ξ) Φ(z) + σ φ(z),  z = (s* - μ - ξ) / σ,  ξ = xi · std of scores (default 0)
//   'ucb'            -(μ - β σ)  (a lower confidence bound on the score; β = beta, default 2.6 as Keras Tuner)

import { decode, encode, encodedWidth, valuesKey } from '../space.js';
import { type Oracle, type ProposeContext, type Proposal, completedByScore, randomUnseen, score, seenKeys } from '../oracle.js';
import { GaussianProcess } from '../gp/gp.js';
import type { Rng } from '../../tensor/random.js';

export interface BayesianOptions {
  /** Random trials before the GP takes over. Default 3 × the number of tunable parameters (at least 2). */
  numInitialPoints?: number;
  /** 'ei' (expected improvement, default) or 'ucb' (confidence bound). */
  acquisition?: 'ei' | 'ucb';
  /** Exploration weight of 'ucb'. Default 2.6. */
  beta?: number;
  /** Improvement margin of 'ei', in standard deviations of the observed scores. Default 0. */
  xi?: number;
  /** Random candidates scored per proposal. Default 1000. */
  candidates?: number;
}

export class BayesianOracle implements Oracle {
  readonly name = 'bayesian';
  constructor(readonly options: BayesianOptions = {}) {
    const { acquisition, beta, xi, numInitialPoints, candidates } = options;
    if (acquisition !== undefined && acquisition !== 'ei' && acquisition !== 'ucb') throw new Error(`BayesianOptimization: acquisition must be 'ei' or 'ucb', got '${acquisition}'.`);
    if (beta !== undefined && !(beta >= 0)) throw new Error(`BayesianOptimization: beta must be >= 0, got ${beta}.`);
    if (xi !== undefined && !(xi >= 0)) throw new Error(`BayesianOptimization: xi must be >= 0, got ${xi}.`);
    if (numInitialPoints !== undefined && !(Number.isInteger(numInitialPoints) && numInitialPoints >= 1)) throw new Error(`BayesianOptimization: numInitialPoints must be an integer >= 1, got ${numInitialPoints}.`);
    if (candidates !== undefined && !(Number.isInteger(candidates) && candidates >= 1)) throw new Error(`BayesianOptimization: candidates must be an integer >= 1, got ${candidates}.`);
  }

  propose({ space, trials, direction, rng }: ProposeContext): Proposal {
    const seen = seenKeys(trials);
    const tunable = space.filter((p) => encodedWidth(p) > 0).length;
    // Trials whose values do not fit the current definitions (e.g. a choice since removed) are left out.
    const encodable = trials.filter((t) => {
      try {
        encode(space, t.hyperparameters);
        return true;
      } catch {
        return false;
      }
    });
    const done = completedByScore(encodable, direction);
    const nInit = this.options.numInitialPoints ?? Math.max(2, 3 * tunable);
    if (tunable === 0 || trials.length < nInit || done.length < 2) return randomUnseen(space, rng, seen);

    const x = done.map((t) => encode(space, t.hyperparameters));
    const y = done.map((t) => score(t.value!, direction));
    let gp = GaussianProcess.fit(x, y, { rng });
    const worst = Math.max(...y);
    const pending = encodable.filter((t) => t.status === 'running' || t.status === 'failed').map((t) => encode(space, t.hyperparameters));
    if (pending.length) {
      try {
        gp = new GaussianProcess([...x, ...pending], [...y, ...pending.map(() => worst)], gp.hyper, gp.yMean, gp.yStd);
      } catch {
        // A pending point equal to an observed one makes K singular at tiny noise; propose without the liar.
      }
    }
    const best = Math.min(...y);
    const acq = this.acquisition(gp, best);
    const project = (v: readonly number[]): number[] => encode(space, decode(space, v));

    // Candidates: uniform points, and Gaussian perturbations of the five best observed points.
    const dim = x[0].length;
    const nCand = this.options.candidates ?? 1000;
    const cands: number[][] = [];
    for (let i = 0; i < nCand; i++) cands.push(project(Array.from({ length: dim }, () => rng.next())));
    for (const base of x.slice(0, 5)) {
      for (let i = 0; i < nCand / 10; i++) cands.push(project(base.map((v) => clamp01(v + 0.05 * rng.normal()))));
    }
    const scored = cands.map((c) => ({ c, a: acq(c) })).sort((p, q) => q.a - p.a);
    const refined = scored.slice(0, 5).map((s) => refine(s.c, s.a, acq, project, rng));
    const ranked = [...refined, ...scored].sort((p, q) => q.a - p.a);
    for (const { c } of ranked) {
      const values = decode(space, c);
      if (!seen.has(valuesKey(values))) return values;
    }
    return randomUnseen(space, rng, seen);
  }

  private acquisition(gp: GaussianProcess, best: number): (x: readonly number[]) => number {
    const kind = this.options.acquisition ?? 'ei';
    const beta = this.options.beta ?? 2.6;
    const xi = (this.options.xi ?? 0) * gp.yStd;
    return (x) => {
      const { mean, variance } = gp.predict(x);
      const sigma = Math.sqrt(variance);
      if (kind === 'ucb') return -(mean - beta * sigma);
      const imp = best - mean - xi;
      const z = imp / sigma;
      return imp * normalCdf(z) + sigma * normalPdf(z);
    };
  }
}

/** (1+1) evolution strategy with the 1/5 success rule: step × 1.5 on success, × 0.8 on failure. */
function refine(x0: number[], a0: number, acq: (x: readonly number[]) => number, project: (v: readonly number[]) => number[], rng: Rng): { c: number[]; a: number } {
  let c = x0;
  let a = a0;
  let step = 0.05;
  for (let it = 0; it < 40 && step > 1e-4; it++) {
    const cand = project(c.map((v) => clamp01(v + step * rng.normal())));
    const ac = acq(cand);
    if (ac > a) {
      c = cand;
      a = ac;
      step *= 1.5;
    } else step *= 0.8;
  }
  return { c, a };
}

const clamp01 = (u: number): number => (u < 0 ? 0 : u > 1 ? 1 : u);

export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** Φ(z) = erfc(-z/√2) / 2. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

function erfc(x: number): number {
  // Numerical Recipes' erfcc (Chebyshev fit), fractional error < 1.2e-7.
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}
