// Hinge losses for targets in {−1, 1}; 0/1 targets are converted to −1/1 as Keras does.

import type { Tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';
import { Loss, lossRegistry, meanLastAxis, type LossOptions } from './loss.js';

function toSigned(y: Tensor): Tensor {
  // b = 1 when every target is 0 or 1; then y + b·(y − 1) = 2y − 1. Ops only, so a captured step decides per batch.
  const binary = ops.min(ops.add(ops.equal(y, 0), ops.equal(y, 1)));
  return ops.add(y, ops.mul(binary, ops.sub(y, 1)));
}

/** mean(max(1 − y·p, 0)) over the last axis. */
export class Hinge extends Loss {
  readonly className = 'Hinge';
  constructor(options: LossOptions = {}) {
    super(options, 'hinge');
  }
  protected compute(y: Tensor, p: Tensor): Tensor {
    return meanLastAxis(ops.relu(ops.sub(1, ops.mul(toSigned(y), p))));
  }
}

/** mean(max(1 − y·p, 0)²) over the last axis. */
export class SquaredHinge extends Loss {
  readonly className = 'SquaredHinge';
  constructor(options: LossOptions = {}) {
    super(options, 'squared_hinge');
  }
  protected compute(y: Tensor, p: Tensor): Tensor {
    return meanLastAxis(ops.square(ops.relu(ops.sub(1, ops.mul(toSigned(y), p)))));
  }
}

/** max(0, 1 + max((1 − y)·p) − Σ y·p) for one-hot y. */
export class CategoricalHinge extends Loss {
  readonly className = 'CategoricalHinge';
  constructor(options: LossOptions = {}) {
    super(options, 'categorical_hinge');
  }
  protected compute(y: Tensor, p: Tensor): Tensor {
    const pos = ops.sum(ops.mul(y, p), -1);
    const negative = ops.max(ops.mul(ops.sub(1, y), p), -1);
    return ops.relu(ops.add(ops.sub(negative, pos), 1));
  }
}

lossRegistry.register(['hinge', 'Hinge'], Hinge);
lossRegistry.register(['squared_hinge', 'SquaredHinge'], SquaredHinge);
lossRegistry.register(['categorical_hinge', 'CategoricalHinge'], CategoricalHinge);
