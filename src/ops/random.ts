// Random ops. Each draws from a generator at run time, so a captured step replays with fresh, seeded randomness:
// the generator is an attribute (a function returning the Rng, so that setSeed's new global generator is seen).

import type { Tensor, TensorLike } from '../tensor/tensor.js';
import { getRng, type Rng } from '../tensor/random.js';
import { alloc, run } from '../autograd/tape.js';
import { asTensor } from './unary.js';
import type { Planned, Rule } from './rule.js';

export type RngSource = () => Rng;
const globalRng: RngSource = () => getRng();

interface DropoutPlan extends Planned {
  readonly keep: number;
  readonly rng: RngSource;
  /** 0 (dropped) or 1/keep (kept) per element, drawn by forward and read by backward. */
  readonly mask: Float32Array;
}

export const randomRules = {
  /** Inverted dropout: y = x·mask, mask = 1/(1 − rate) with probability 1 − rate, else 0 (one draw per element). */
  dropout: {
    effect: true,
    plan: ([shape], { rate, rng }) => ({ shape, keep: 1 - rate, rng, mask: alloc(shape.reduce((p, d) => p * d, 1)) }),
    forward: (p, [x], y) => {
      const rng = p.rng(), keep = p.keep, mask = p.mask;
      for (let i = 0; i < mask.length; i++) mask[i] = rng.next() < keep ? 1 / keep : 0;
      for (let i = 0; i < y.length; i++) y[i] = x[i] * mask[i];
    },
    backward: (p, _x, _y, g, [gx]) => {
      for (let i = 0; i < g.length; i++) gx![i] = g[i] * p.mask[i];
    },
  } as Rule<{ rate: number; rng: RngSource }, DropoutPlan>,
  /** Uniform in [minval, maxval): no inputs. */
  randomUniform: {
    effect: true,
    plan: (_s, a) => a,
    forward: (p, _x, y) => {
      const rng = p.rng();
      for (let i = 0; i < y.length; i++) y[i] = rng.uniform(p.minval, p.maxval);
    },
  } as Rule<Planned & { minval: number; maxval: number; rng: RngSource }>,
  /** Normal(mean, stddev) by Box-Muller: no inputs. */
  randomNormal: {
    effect: true,
    plan: (_s, a) => a,
    forward: (p, _x, y) => {
      const rng = p.rng();
      for (let i = 0; i < y.length; i++) y[i] = rng.normal(p.mean, p.stddev);
    },
  } as Rule<Planned & { mean: number; stddev: number; rng: RngSource }>,
};

/** Zero each element with probability rate and scale the rest by 1/(1 − rate); rng defaults to the setSeed generator. */
export function dropout(x: TensorLike, rate: number, rng: RngSource = globalRng): Tensor {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout: rate must be in [0, 1), got ${rate}.`);
  return run('dropout', randomRules.dropout, [asTensor(x)], { rate, rng });
}

export function randomUniform(shape: readonly number[], minval = 0, maxval = 1, rng: RngSource = globalRng): Tensor {
  return run('randomUniform', randomRules.randomUniform, [], { shape: [...shape], minval, maxval, rng });
}

export function randomNormal(shape: readonly number[], mean = 0, stddev = 1, rng: RngSource = globalRng): Tensor {
  return run('randomNormal', randomRules.randomNormal, [], { shape: [...shape], mean, stddev, rng });
}
