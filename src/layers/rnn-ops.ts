// The few op compositions the recurrent layers share: a dropout mask drawn once per sequence, and split.

import { ones, type Tensor } from '../tensor/tensor.js';
import type { Rng } from '../tensor/random.js';
import * as ops from '../ops/index.js';

/** A dropout mask of `shape`: 0 with probability rate, else 1/(1 − rate), drawn from rng at every (replayed) step. */
export function dropoutMask(shape: readonly number[], rate: number, rng: () => Rng): Tensor {
  return ops.dropout(ones(shape), rate, rng);
}
