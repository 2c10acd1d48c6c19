// Regression losses, each a mean over the last axis as in Keras 3 (keras/src/losses/losses.py).

import type { Tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';
import { Loss, EPSILON, lossRegistry, meanLastAxis, type LossOptions } from './loss.js';

/** mean((y − p)²) over the last axis. Keras MeanSquaredError; name 'mean_squared_error'. */
export class MeanSquaredError extends Loss {
  readonly className = 'MeanSquaredError';
  constructor(options: LossOptions = {}) {
    super(options, 'mean_squared_error');
  }
  protected compute(y: Tensor, p: Tensor): Tensor {
    return meanLastAxis(ops.square(ops.sub(y, p)));
  }
}

/** mean(|y − p|) over the last axis. */
export class MeanAbsoluteError extends Loss {
  readonly className = 'MeanAbsoluteError';
  constructor(options: LossOptions = {}) {
    super(options, 'mean_absolute_error');
  }
  protected compute(y: Tensor, p: Tensor): Tensor {
    return meanLastAxis(ops.abs(ops.sub(y, p)));
  }
}

/** 100 · mean(|y − p| / max(|y|, ε)) over the last axis (ε = 1e-7). */
export class MeanAbsolutePercentageError extends Loss {
  readonly className = 'MeanAbsolutePercentageError';
  constructor(options: LossOptions = {}) {
    super(options, 'mean_absolute_percentage_error');
  }
  protected compute(y: Tensor, p: Tensor): Tensor {
    return ops.mul(100, meanLastAxis(ops.div(ops.abs(ops.sub(y, p)), ops.maximum(ops.abs(y), EPSILON))));
  }
}

/** mean((log(max(p, ε) + 1) − log(max(y, ε) + 1))²) over the last axis. */
export class MeanSquaredLogarithmicError extends Loss {
  readonly className = 'MeanSquaredLogarithmicError';
  constructor(options: LossOptions = {}) {
    super(options, 'mean_squared_logarithmic_error');
  }
  protected compute(y: Tensor, p: Tensor): Tensor {
    const lp = ops.log(ops.add(ops.maximum(p, EPSILON), 1));
    const ly = ops.log(ops.add(ops.maximum(y, EPSILON), 1));
    return meanLastAxis(ops.square(ops.sub(lp, ly)));
  }
}

export interface HuberOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear. Default 1. */
  delta?: number;
}

/** Huber: mean(½x²) where |x| ≤ δ, else mean(δ·(|x| − ½δ)), x = y − p (Keras default δ = 1; name 'huber_loss'). */
export class Huber extends Loss {
  readonly className = 'Huber';
  readonly delta: number;
  constructor(options: HuberOptions = {}) {
    super(options, 'huber_loss', ['delta']);
    this.delta = options.delta ?? 1;
    if (!(this.delta > 0)) throw new Error(`Huber: delta must be positive, got ${this.delta}.`);
  }
  protected compute(y: Tensor, p: Tensor): Tensor {
    const a = ops.abs(ops.sub(y, p));
    const quadratic = ops.minimum(a, this.delta);
    const linear = ops.sub(a, quadratic);
    // ½q² + δ·l equals the piecewise definition for both regions.
    return meanLastAxis(ops.add(ops.mul(0.5, ops.square(quadratic)), ops.mul(this.delta, linear)));
  }
  protected override options() {
    return { delta: this.delta };
  }
}

/** mean(log(cosh(x))) over the last axis, computed as x + softplus(−2x) − log 2, x = p − y. */
export class LogCosh extends Loss {
  readonly className = 'LogCosh';
  constructor(options: LossOptions = {}) {
    super(options, 'log_cosh');
  }
  protected compute(y: Tensor, p: Tensor): Tensor {
    const x = ops.sub(p, y);
    return meanLastAxis(ops.sub(ops.add(x, ops.softplus(ops.mul(-2, x))), Math.LN2));
  }
}

export interface CosineSimilarityOptions extends LossOptions {
  /** Axis along which the similarity is computed. Default -1. */
  axis?: number;
}

/**
 * The loss −Σ ŷ·p̂ over the axis, with ŷ, p̂ L2-normalised (x / √max(Σx², 1e-12)): −1 means identical directions, so
 * minimising it aligns the vectors. The metric 'cosine_similarity' reports +Σ ŷ·p̂ (metrics/regression.ts).
 */
export class CosineSimilarity extends Loss {
  readonly className = 'CosineSimilarity';
  readonly axis: number;
  constructor(options: CosineSimilarityOptions = {}) {
    super(options, 'cosine_similarity', ['axis']);
    this.axis = options.axis ?? -1;
  }
  protected compute(y: Tensor, p: Tensor): Tensor {
    return ops.neg(cosineSimilarity(y, p, this.axis));
  }
  protected override options() {
    return { axis: this.axis };
  }
}

/** Σ ŷ·p̂ along `axis`, with x̂ = x / √max(Σx², 1e-12) (Keras's l2_normalize). */
export function cosineSimilarity(y: Tensor, p: Tensor, axis = -1): Tensor {
  const normalize = (t: Tensor) => ops.div(t, ops.sqrt(ops.maximum(ops.sum(ops.square(t), axis, true), 1e-12)));
  return ops.sum(ops.mul(normalize(y), normalize(p)), axis);
}

lossRegistry.register(['mean_squared_error', 'MeanSquaredError', 'mse'], MeanSquaredError);
lossRegistry.register(['mean_absolute_error', 'MeanAbsoluteError', 'mae'], MeanAbsoluteError);
lossRegistry.register(['mean_absolute_percentage_error', 'MeanAbsolutePercentageError', 'mape'], MeanAbsolutePercentageError);
lossRegistry.register(['mean_squared_logarithmic_error', 'MeanSquaredLogarithmicError', 'msle'], MeanSquaredLogarithmicError);
lossRegistry.register(['huber', 'Huber', 'huber_loss'], Huber);
lossRegistry.register(['log_cosh', 'LogCosh', 'logcosh'], LogCosh);
lossRegistry.register(['cosine_similarity', 'CosineSimilarity'], CosineSimilarity);
