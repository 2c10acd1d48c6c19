// Focal cross-entropies (Lin et al., 2017, "Focal Loss for Dense Object Detection", arXiv:1708.02002), as Keras 3.
// Keras has no sparse focal loss; one-hot encode class indices (toCategorical) for CategoricalFocalCrossentropy.

import type { Tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';
import { Loss, EPSILON, lossRegistry, checkRange, checkIn, type LossOptions } from './loss.js';
import { binaryCrossentropyTerms, checkOneHot, smoothOneHot } from './probabilistic.js';

export interface BinaryFocalCrossentropyOptions extends LossOptions {
  /** Weigh class 1 by alpha and class 0 by 1 − alpha. Default false. */
  applyClassBalancing?: boolean;
  /** Class-1 weight when applyClassBalancing. Default 0.25. */
  alpha?: number;
  /** Focusing parameter γ ≥ 0; 0 gives plain binary cross-entropy. Default 2. */
  gamma?: number;
  /** Whether yPred are logits. Default false. */
  fromLogits?: boolean;
  /** Targets y·(1−s) + s/2. Default 0. */
  labelSmoothing?: number;
  /** Axis of the mean. Default -1. */
  axis?: number;
}

/**
 * mean over `axis` of (1 − p_t)^γ · bce, p_t = y·p + (1−y)·(1−p), bce the clipped binary cross-entropy of p
 * (p = sigmoid(z) from logits); × (y·α + (1−y)·(1−α)) when applyClassBalancing. Defaults γ = 2, α = 0.25.
 */
export class BinaryFocalCrossentropy extends Loss {
  readonly className = 'BinaryFocalCrossentropy';
  readonly applyClassBalancing: boolean;
  readonly alpha: number;
  readonly gamma: number;
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
  constructor(options: BinaryFocalCrossentropyOptions = {}) {
    super(options, 'binary_focal_crossentropy', ['applyClassBalancing', 'alpha', 'gamma', 'fromLogits', 'labelSmoothing', 'axis']);
    const o = 'BinaryFocalCrossentropy';
    this.applyClassBalancing = options.applyClassBalancing ?? false;
    this.alpha = checkIn(o, 'alpha', options.alpha ?? 0.25, 0, 1);
    this.gamma = checkIn(o, 'gamma', options.gamma ?? 2, 0, Infinity);
    this.fromLogits = options.fromLogits ?? false;
    this.labelSmoothing = checkIn(o, 'labelSmoothing', options.labelSmoothing ?? 0, 0, 1);
    this.axis = options.axis ?? -1;
  }
  protected compute(yTrue: Tensor, yPred: Tensor): Tensor {
    const y = this.labelSmoothing ? ops.add(ops.mul(yTrue, 1 - this.labelSmoothing), 0.5 * this.labelSmoothing) : yTrue;
    const p = this.fromLogits ? ops.sigmoid(yPred) : yPred;
    const bce = binaryCrossentropyTerms(y, p, false);
    const pt = ops.add(ops.mul(y, p), ops.mul(ops.sub(1, y), ops.sub(1, p)));
    let focal = ops.mul(ops.pow(ops.sub(1, pt), this.gamma), bce);
    if (this.applyClassBalancing) focal = ops.mul(focal, ops.add(ops.mul(y, this.alpha), ops.mul(ops.sub(1, y), 1 - this.alpha)));
    return focal.rank <= 1 ? focal : ops.mean(focal, this.axis);
  }
  override validateTargets(y: Tensor): void {
    checkRange('binary_focal_crossentropy', y, 0, 1);
  }
  protected override options() {
    const { applyClassBalancing, alpha, gamma, fromLogits, labelSmoothing, axis } = this;
    return { applyClassBalancing, alpha, gamma, fromLogits, labelSmoothing, axis };
  }
}

export interface CategoricalFocalCrossentropyOptions extends LossOptions {
  /** Class weight: one number, or one per class. Default 0.25. */
  alpha?: number | number[];
  /** Focusing parameter γ ≥ 0. Default 2. */
  gamma?: number;
  /** Whether yPred are logits. Default false. */
  fromLogits?: boolean;
  /** Targets y·(1−s) + s/K. Default 0. */
  labelSmoothing?: number;
  /** Axis of the classes. Default -1. */
  axis?: number;
}

/**
 * Σ over `axis` of −α·(1 − p)^γ · y·log p, with p the (softmaxed, when fromLogits) probabilities renormalised to sum 1
 * and clipped to [ε, 1−ε]. Defaults α = 0.25, γ = 2.
 */
export class CategoricalFocalCrossentropy extends Loss {
  readonly className = 'CategoricalFocalCrossentropy';
  readonly alpha: number | number[];
  readonly gamma: number;
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
  constructor(options: CategoricalFocalCrossentropyOptions = {}) {
    super(options, 'categorical_focal_crossentropy', ['alpha', 'gamma', 'fromLogits', 'labelSmoothing', 'axis']);
    const o = 'CategoricalFocalCrossentropy';
    const alpha = options.alpha ?? 0.25;
    if (Array.isArray(alpha)) alpha.forEach((a, i) => checkIn(o, `alpha[${i}]`, a, 0, Infinity));
    else checkIn(o, 'alpha', alpha, 0, Infinity);
    this.alpha = alpha;
    this.gamma = checkIn(o, 'gamma', options.gamma ?? 2, 0, Infinity);
    this.fromLogits = options.fromLogits ?? false;
    this.labelSmoothing = checkIn(o, 'labelSmoothing', options.labelSmoothing ?? 0, 0, 1);
    this.axis = options.axis ?? -1;
  }
  protected compute(yTrue: Tensor, yPred: Tensor): Tensor {
    const y = smoothOneHot(yTrue, yPred, this.labelSmoothing, this.axis);
    const probs = this.fromLogits ? ops.softmax(yPred, this.axis) : yPred;
    const p = ops.clip(ops.div(probs, ops.sum(probs, this.axis, true)), EPSILON, 1 - EPSILON);
    const ce = ops.neg(ops.mul(y, ops.log(p)));
    const k = yPred.shape[yPred.rank - 1];
    if (Array.isArray(this.alpha) && this.alpha.length !== k) throw new Error(`CategoricalFocalCrossentropy: alpha has ${this.alpha.length} entries but the predictions have ${k} classes.`);
    const alpha = Array.isArray(this.alpha) ? ops.asTensor(this.alpha) : this.alpha;
    return ops.sum(ops.mul(ops.mul(ops.pow(ops.sub(1, p), this.gamma), alpha), ce), this.axis);
  }
  override validateTargets(y: Tensor, outShape: readonly number[]): void {
    checkOneHot('categorical_focal_crossentropy', y, outShape);
  }
  protected override options() {
    const { alpha, gamma, fromLogits, labelSmoothing, axis } = this;
    return { alpha, gamma, fromLogits, labelSmoothing, axis };
  }
}

lossRegistry.register(['binary_focal_crossentropy', 'BinaryFocalCrossentropy'], BinaryFocalCrossentropy);
lossRegistry.register(['categorical_focal_crossentropy', 'CategoricalFocalCrossentropy'], CategoricalFocalCrossentropy);
