// Cross-entropies and other probabilistic losses, with Keras 3's formulas and defaults.

import { Tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';
import { Loss, EPSILON, lossRegistry, checkRange, checkIn, type LossOptions } from './loss.js';

export interface CrossentropyOptions extends LossOptions {
  /** Whether yPred are logits (default false: probabilities). */
  fromLogits?: boolean;
  /** Smooth targets towards uniform: binary y·(1−s) + s/2; categorical y·(1−s) + s/K (default 0). */
  labelSmoothing?: number;
  /** Axis of the classes (categorical) or of the mean (binary). Default -1. */
  axis?: number;
}

/**
 * Binary cross-entropy: −mean(y·log p + (1−y)·log(1−p)) over `axis`, with p clipped to [ε, 1−ε] (ε = 1e-7).
 * From logits: max(z,0) − z·y + log(1 + e^−|z|), which is stable for any z.
 */
export class BinaryCrossentropy extends Loss {
  readonly className = 'BinaryCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
  constructor(options: CrossentropyOptions = {}) {
    super(options, 'binary_crossentropy', ['fromLogits', 'labelSmoothing', 'axis']);
    this.fromLogits = options.fromLogits ?? false;
    this.labelSmoothing = checkIn('BinaryCrossentropy', 'labelSmoothing', options.labelSmoothing ?? 0, 0, 1);
    this.axis = options.axis ?? -1;
  }
  protected compute(yTrue: Tensor, yPred: Tensor): Tensor {
    const y = this.labelSmoothing ? ops.add(ops.mul(yTrue, 1 - this.labelSmoothing), 0.5 * this.labelSmoothing) : yTrue;
    const terms = binaryCrossentropyTerms(y, yPred, this.fromLogits);
    return terms.rank <= 1 ? terms : ops.mean(terms, this.axis);
  }
  override validateTargets(y: Tensor): void {
    checkRange('binary_crossentropy', y, 0, 1);
  }
  protected override options() {
    return { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis };
  }
}

/** Elementwise −(y·log p + (1−y)·log(1−p)), p clipped to [ε, 1−ε]; from logits the stable max(z,0) − z·y + log(1 + e^−|z|). */
export function binaryCrossentropyTerms(y: Tensor, yPred: Tensor, fromLogits: boolean): Tensor {
  if (fromLogits) return ops.add(ops.sub(ops.relu(yPred), ops.mul(yPred, y)), ops.softplus(ops.neg(ops.abs(yPred))));
  const p = ops.clip(yPred, EPSILON, 1 - EPSILON);
  return ops.neg(ops.add(ops.mul(y, ops.log(p)), ops.mul(ops.sub(1, y), ops.log(ops.sub(1, p)))));
}

/** log p along `axis`: logSoftmax of logits, or the probabilities renormalised to sum 1 and clipped to [ε, 1−ε]. */
export function logProbabilities(yPred: Tensor, fromLogits: boolean, axis = -1): Tensor {
  return fromLogits ? ops.logSoftmax(yPred, axis) : ops.log(ops.clip(ops.div(yPred, ops.sum(yPred, axis, true)), EPSILON, 1 - EPSILON));
}

/** Categorical cross-entropy: −Σ y·log p over `axis`; probabilities are renormalised to sum 1 and clipped to [ε, 1−ε]. */
export class CategoricalCrossentropy extends Loss {
  readonly className = 'CategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
  constructor(options: CrossentropyOptions = {}) {
    super(options, 'categorical_crossentropy', ['fromLogits', 'labelSmoothing', 'axis']);
    this.fromLogits = options.fromLogits ?? false;
    this.labelSmoothing = checkIn('CategoricalCrossentropy', 'labelSmoothing', options.labelSmoothing ?? 0, 0, 1);
    this.axis = options.axis ?? -1;
  }
  protected compute(yTrue: Tensor, yPred: Tensor): Tensor {
    const y = smoothOneHot(yTrue, yPred, this.labelSmoothing, this.axis);
    return ops.neg(ops.sum(ops.mul(y, logProbabilities(yPred, this.fromLogits, this.axis)), this.axis));
  }
  override validateTargets(y: Tensor, outShape: readonly number[]): void {
    checkOneHot('categorical_crossentropy', y, outShape);
  }
  protected override options() {
    return { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis };
  }
}

/** y·(1 − s) + s/K with K the number of classes along `axis`. */
export function smoothOneHot(y: Tensor, yPred: Tensor, s: number, axis = -1): Tensor {
  if (!s) return y;
  const k = yPred.shape[axis < 0 ? yPred.rank + axis : axis];
  return ops.add(ops.mul(y, 1 - s), s / k);
}

export function checkOneHot(what: string, y: Tensor, outShape: readonly number[]): void {
  if (y.shape[y.rank - 1] !== outShape[outShape.length - 1]) {
    throw new Error(
      `${what} expects one-hot targets with ${outShape[outShape.length - 1]} columns (the model's output), got targets of shape [${y.shape.join(', ')}]. ` +
        `For integer class labels use 'sparse_categorical_crossentropy', or one-hot encode them with toCategorical().`,
    );
  }
  checkRange(what, y, 0, 1);
}

export interface SparseCategoricalCrossentropyOptions extends LossOptions {
  /** Whether yPred are logits (default false: probabilities). */
  fromLogits?: boolean;
  /** A class index whose targets count for nothing (e.g. −1 or 255 for 'void' pixels); the mean is over the rest. Default null. */
  ignoreClass?: number | null;
  /** Axis of the classes in yPred. Default -1. */
  axis?: number;
}

/**
 * Sparse categorical cross-entropy: −log p[label], labels as integer class indices (shape [batch] or [batch, 1]).
 * With ignoreClass, targets equal to it give 0 and are left out of the mean (Keras masks them).
 */
export class SparseCategoricalCrossentropy extends Loss {
  readonly className = 'SparseCategoricalCrossentropy';
  override readonly sparse = true;
  readonly fromLogits: boolean;
  readonly ignoreClass: number | null;
  readonly axis: number;
  constructor(options: SparseCategoricalCrossentropyOptions = {}) {
    super(options, 'sparse_categorical_crossentropy', ['fromLogits', 'ignoreClass', 'axis']);
    this.fromLogits = options.fromLogits ?? false;
    const ic = options.ignoreClass ?? null;
    if (ic !== null && !Number.isInteger(ic)) throw new Error(`SparseCategoricalCrossentropy: \`ignoreClass\` must be an integer or null, got ${String(ic)}.`);
    this.ignoreClass = ic;
    this.axis = options.axis ?? -1;
  }
  protected compute(yTrue: Tensor, yPred: Tensor): Tensor {
    let p = yPred;
    const axis = this.axis < 0 ? p.rank + this.axis : this.axis;
    if (axis !== p.rank - 1) p = ops.transpose(p, [...Array.from({ length: p.rank }, (_, i) => i).filter((i) => i !== axis), axis]);
    const logP = logProbabilities(p, this.fromLogits);
    // The labels are read by the gather op (not from .data here), so a captured step sees each batch's labels; an
    // ignored target gathers class 0, then counts 0.
    const keep = this.ignoreClass === null ? null : ops.notEqual(yTrue, this.ignoreClass);
    const labels = keep ? ops.mul(yTrue, keep) : yTrue;
    const values = ops.neg(ops.reshape(ops.gather(logP, ops.reshape(labels, [...yTrue.shape, 1]), -1, yTrue.rank), yTrue.shape));
    return keep ? ops.mul(values, keep) : values;
  }
  protected override validMask(yTrue: Tensor): Tensor | null {
    return this.ignoreClass === null ? null : ops.notEqual(yTrue, this.ignoreClass);
  }
  override validateTargets(y: Tensor, outShape: readonly number[]): void {
    const k = outShape[this.axis < 0 ? outShape.length + this.axis : this.axis];
    if (this.ignoreClass === null) return checkRange('sparse_categorical_crossentropy', y, 0, k - 1, true);
    const kept = y.data.filter((v) => v !== this.ignoreClass);
    checkRange('sparse_categorical_crossentropy', new Tensor(kept, [kept.length]), 0, k - 1, true);
  }
  protected override options() {
    return { fromLogits: this.fromLogits, ignoreClass: this.ignoreClass, axis: this.axis };
  }
}

/** KL divergence: Σ y·log(y/p) over the last axis, with y and p clipped to [ε, 1]. */
export class KLDivergence extends Loss {
  readonly className = 'KLDivergence';
  constructor(options: LossOptions = {}) {
    super(options, 'kl_divergence');
  }
  protected compute(yTrue: Tensor, yPred: Tensor): Tensor {
    const y = ops.clip(yTrue, EPSILON, 1);
    const p = ops.clip(yPred, EPSILON, 1);
    return ops.sum(ops.mul(y, ops.log(ops.div(y, p))), -1);
  }
}

/** Poisson: mean(p − y·log(p + ε)) over the last axis. */
export class Poisson extends Loss {
  readonly className = 'Poisson';
  constructor(options: LossOptions = {}) {
    super(options, 'poisson');
  }
  protected compute(yTrue: Tensor, yPred: Tensor): Tensor {
    const v = ops.sub(yPred, ops.mul(yTrue, ops.log(ops.add(yPred, EPSILON))));
    return v.rank <= 1 ? v : ops.mean(v, -1);
  }
}

lossRegistry.register(['binary_crossentropy', 'BinaryCrossentropy', 'bce'], BinaryCrossentropy);
lossRegistry.register(['categorical_crossentropy', 'CategoricalCrossentropy', 'cce'], CategoricalCrossentropy);
lossRegistry.register(['sparse_categorical_crossentropy', 'SparseCategoricalCrossentropy'], SparseCategoricalCrossentropy);
lossRegistry.register(['kl_divergence', 'KLDivergence', 'kld', 'kullback_leibler_divergence'], KLDivergence);
lossRegistry.register(['poisson', 'Poisson'], Poisson);
