// Overlap losses for segmentation, as Keras 3's Dice and Tversky (keras.losses.dice / tversky).

import type { Tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';
import { Loss, EPSILON, lossRegistry, checkIn, type LossOptions } from './loss.js';

export interface OverlapOptions extends LossOptions {
  /** Axes summed over. Default null: every axis, one value for the whole batch (Keras's default); [1, 2, 3] gives one per sample. */
  axis?: number | number[] | null;
}

const sumOver = (x: Tensor, axis: number | number[] | null) => (axis === null ? ops.sum(x) : ops.sum(x, axis));

/** Dice: 1 − 2·Σ y·p / (Σ y + Σ p + ε), sums over `axis` (ε = 1e-7). */
export class Dice extends Loss {
  readonly className = 'Dice';
  readonly axis: number | number[] | null;
  constructor(options: OverlapOptions = {}) {
    super(options, 'dice', ['axis']);
    this.axis = options.axis ?? null;
  }
  protected compute(y: Tensor, p: Tensor): Tensor {
    const intersection = sumOver(ops.mul(y, p), this.axis);
    return ops.sub(1, ops.div(ops.mul(2, intersection), ops.add(ops.add(sumOver(y, this.axis), sumOver(p, this.axis)), EPSILON)));
  }
  protected override options() {
    return { axis: this.axis };
  }
}

export interface TverskyOptions extends OverlapOptions {
  /** Weight of Σ y·(1 − p), the missed target mass, in Keras's code. Default 0.5. */
  alpha?: number;
  /** Weight of Σ p·(1 − y), the predicted mass outside the target. Default 0.5. */
  beta?: number;
}

/**
 * Tversky (Salehi et al., 2017, arXiv:1706.05721): 1 − I / (I + α·Σ y(1−p) + β·Σ p(1−y) + ε), I = Σ y·p, sums over `axis`.
 * α = β = 0.5 gives Dice. (Keras's docstring says α weighs false positives; its code, whose numbers we follow, puts α on
 * y·(1−p).)
 */
export class Tversky extends Loss {
  readonly className = 'Tversky';
  readonly alpha: number;
  readonly beta: number;
  readonly axis: number | number[] | null;
  constructor(options: TverskyOptions = {}) {
    super(options, 'tversky', ['alpha', 'beta', 'axis']);
    this.alpha = checkIn('Tversky', 'alpha', options.alpha ?? 0.5, 0, Infinity);
    this.beta = checkIn('Tversky', 'beta', options.beta ?? 0.5, 0, Infinity);
    this.axis = options.axis ?? null;
  }
  protected compute(y: Tensor, p: Tensor): Tensor {
    const intersection = sumOver(ops.mul(y, p), this.axis);
    const missed = sumOver(ops.mul(ops.sub(1, p), y), this.axis);
    const extra = sumOver(ops.mul(p, ops.sub(1, y)), this.axis);
    const denominator = ops.add(ops.add(ops.add(intersection, ops.mul(missed, this.alpha)), ops.mul(extra, this.beta)), EPSILON);
    return ops.sub(1, ops.div(intersection, denominator));
  }
  protected override options() {
    return { alpha: this.alpha, beta: this.beta, axis: this.axis };
  }
}

lossRegistry.register(['dice', 'Dice'], Dice);
lossRegistry.register(['tversky', 'Tversky'], Tversky);
