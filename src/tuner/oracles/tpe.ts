// Tree-structured Parzen estimator (Bergstra et al. 2011), as Optuna's TPESampler with independent parameters:
// complete trials split into the best n_good = min(⌈0.1 n⌉, 25) (gamma) and the rest; for each active parameter
// two densities on its unit interval, l(u) from the good trials and g(u) from the others, each a mixture of a prior
// N(0.5, 1) and one Gaussian per observation with bandwidth = the larger gap to its sorted neighbours, clipped to
// [1 / min(100, n + 1), 1], truncated to [0, 1] (categoricals: counts plus a uniform prior). Draw `candidates` points
// from l and keep the one maximising l(u) / g(u). The first numInitialPoints trials (default 10) are random.

import type { HyperparameterValue, HyperparameterValues } from '../trial.js';
import { type ParamSpec, fromUnit, gridValues, isActive, toUnit, valuesKey } from '../space.js';
import { type Oracle, type ProposeContext, type Proposal, completedByScore, randomUnseen, seenKeys } from '../oracle.js';
import { normalCdf } from './bayesian.js';
import type { Rng } from '../../tensor/random.js';

export interface TPEOptions {
  /** Random trials first. Default 10 (Optuna's n_startup_trials). */
  numInitialPoints?: number;
  /** Points drawn from l per parameter. Default 24 (Optuna's n_ei_candidates). */
  candidates?: number;
}

interface Mixture {
  mu: number[];
  sigma: number[];
}

export class TPEOracle implements Oracle {
  readonly name = 'tpe';
  constructor(readonly options: TPEOptions = {}) {
    const { numInitialPoints, candidates } = options;
    if (numInitialPoints !== undefined && !(Number.isInteger(numInitialPoints) && numInitialPoints >= 1)) throw new Error(`TPE: numInitialPoints must be an integer >= 1, got ${numInitialPoints}.`);
    if (candidates !== undefined && !(Number.isInteger(candidates) && candidates >= 1)) throw new Error(`TPE: candidates must be an integer >= 1, got ${candidates}.`);
  }

  propose({ space, trials, direction, rng }: ProposeContext): Proposal {
    const seen = seenKeys(trials);
    const done = completedByScore(trials, direction);
    if (trials.length < (this.options.numInitialPoints ?? 10) || done.length < 2) return randomUnseen(space, rng, seen);
    const nGood = Math.max(1, Math.min(Math.ceil(0.1 * done.length), 25));
    const good = done.slice(0, nGood).map((t) => t.hyperparameters);
    const bad = done.slice(nGood).map((t) => t.hyperparameters);
    const values: HyperparameterValues = {};
    for (const p of space) {
      if (!isActive(p, values)) continue;
      values[p.name] = this.sampleParam(p, good, bad, rng);
    }
    return seen.has(valuesKey(values)) ? randomUnseen(space, rng, seen) : values;
  }

  private sampleParam(p: ParamSpec, good: HyperparameterValues[], bad: HyperparameterValues[], rng: Rng): HyperparameterValue {
    if (p.type === 'fixed') return p.default;
    const nCand = this.options.candidates ?? 24;
    const obs = (set: HyperparameterValues[]) => set.filter((v) => p.name in v).map((v) => v[p.name]);
    if (p.type === 'choice' || p.type === 'boolean') {
      const choices = gridValues(p)!;
      const weights = (list: HyperparameterValue[]) => choices.map((c) => (1 + list.filter((v) => v === c).length) / (choices.length + list.length));
      const l = weights(obs(good));
      const g = weights(obs(bad));
      let best = 0;
      let bestRatio = -Infinity;
      for (let i = 0; i < nCand; i++) {
        let u = rng.next();
        let k = 0;
        while (k < l.length - 1 && u >= l[k]) u -= l[k++];
        const ratio = Math.log(l[k]) - Math.log(g[k]);
        if (ratio > bestRatio) (bestRatio = ratio), (best = k);
      }
      return choices[best];
    }
    const l = parzen(obs(good).map((v) => toUnit(p, v)));
    const g = parzen(obs(bad).map((v) => toUnit(p, v)));
    let bestU = 0.5;
    let bestRatio = -Infinity;
    for (let i = 0; i < nCand; i++) {
      const u = sampleMixture(l, rng);
      const ratio = Math.log(mixtureDensity(l, u)) - Math.log(mixtureDensity(g, u));
      if (ratio > bestRatio) (bestRatio = ratio), (bestU = u);
    }
    return fromUnit(p, bestU);
  }
}

/** Prior N(0.5, 1) plus one component per observation, bandwidth from neighbour gaps (see the header). */
export function parzen(obs: number[]): Mixture {
  const mu = [0.5, ...obs];
  const sigma = [1];
  const sorted = [...obs].map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const bw = new Array(obs.length).fill(1);
  const minBw = 1 / Math.min(100, obs.length + 1);
  sorted.forEach(({ v, i }, k) => {
    const left = v - (k > 0 ? sorted[k - 1].v : 0);
    const right = (k < sorted.length - 1 ? sorted[k + 1].v : 1) - v;
    bw[i] = Math.min(1, Math.max(minBw, left, right));
  });
  sigma.push(...bw);
  return { mu, sigma };
}

/** Density at u of the equal-weight mixture of Gaussians truncated to [0, 1]. */
export function mixtureDensity(m: Mixture, u: number): number {
  let s = 0;
  for (let i = 0; i < m.mu.length; i++) {
    const z = (u - m.mu[i]) / m.sigma[i];
    const mass = normalCdf((1 - m.mu[i]) / m.sigma[i]) - normalCdf(-m.mu[i] / m.sigma[i]);
    s += Math.exp(-0.5 * z * z) / (m.sigma[i] * Math.sqrt(2 * Math.PI) * mass);
  }
  return s / m.mu.length;
}

function sampleMixture(m: Mixture, rng: Rng): number {
  const i = rng.int(m.mu.length);
  for (let k = 0; k < 100; k++) {
    const u = rng.normal(m.mu[i], m.sigma[i]);
    if (u >= 0 && u <= 1) return u;
  }
  return Math.min(1, Math.max(0, m.mu[i]));
}
