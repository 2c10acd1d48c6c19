// Cross-entropies and other probabilistic losses, with Keras 3's formulas and defaults.

import { Tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';
import { Loss, EPSILON, lossRegistry, meanLastAxis, checkRange } from './loss.js';

export interface CrossentropyArgs {
  /** Whether yPred are logits (default false: probabilities). */
  fromLogits?: boolean;
  /** Smooth targets towards uniform: binary y·(1−s) + s/2; categorical y·(1−s) + s/K (default 0). */
  labelSmoothing?: number;
  /** Loss name in logs. */
  name?: string;
}

function checkSmoothing(s: number): number {
  if (!(s >= 0 && s <= 1)) throw new Error(`labelSmoothing must be in [0, 1], got ${s}.`);
  return s;
}

/**
 * Binary cross-entropy: −mean(y·log p + (1−y)·log(1−p)) over the last axis, with p clipped to [ε, 1−ε] (ε = 1e-7).
 * From logits: max(z,0) − z·y + log(1 + e^−|z|), which is stable for any z.
 */
export function BinaryCrossentropy(args: CrossentropyArgs = {}): Loss {
  const fromLogits = args.fromLogits ?? false;
  const smoothing = checkSmoothing(args.labelSmoothing ?? 0);
  const fn = (yTrue: Tensor, yPred: Tensor) => {
    const y = smoothing ? ops.add(ops.mul(yTrue, 1 - smoothing), 0.5 * smoothing) : yTrue;
    if (fromLogits) {
      const z = yPred;
      const terms = ops.add(ops.sub(ops.relu(z), ops.mul(z, y)), ops.softplus(ops.neg(ops.abs(z))));
      return meanLastAxis(terms);
    }
    const p = ops.clip(yPred, EPSILON, 1 - EPSILON);
    const ll = ops.add(ops.mul(y, ops.log(p)), ops.mul(ops.sub(1, y), ops.log(ops.sub(1, p))));
    return meanLastAxis(ops.neg(ll));
  };
  return new Loss(args.name ?? 'binary_crossentropy', 'BinaryCrossentropy', fn, { fromLogits, labelSmoothing: smoothing }, (y) =>
    checkRange('binary_crossentropy', y, 0, 1),
  );
}

/**
 * Categorical cross-entropy: −Σ y·log p over the last axis; probabilities are renormalised to sum 1 and clipped to [ε, 1−ε].
 * From logits: −Σ y·logSoftmax(z).
 */
export function CategoricalCrossentropy(args: CrossentropyArgs = {}): Loss {
  const fromLogits = args.fromLogits ?? false;
  const smoothing = checkSmoothing(args.labelSmoothing ?? 0);
  const fn = (yTrue: Tensor, yPred: Tensor) => {
    const k = yPred.shape[yPred.rank - 1];
    const y = smoothing ? ops.add(ops.mul(yTrue, 1 - smoothing), smoothing / k) : yTrue;
    const logP = fromLogits ? ops.logSoftmax(yPred, -1) : ops.log(ops.clip(ops.div(yPred, ops.sum(yPred, -1, true)), EPSILON, 1 - EPSILON));
    return ops.neg(ops.sum(ops.mul(y, logP), -1));
  };
  return new Loss(args.name ?? 'categorical_crossentropy', 'CategoricalCrossentropy', fn, { fromLogits, labelSmoothing: smoothing }, (y, outShape) => {
    if (y.shape[y.rank - 1] !== outShape[outShape.length - 1]) {
      throw new Error(
        `categorical_crossentropy expects one-hot targets with ${outShape[outShape.length - 1]} columns (the model's output), got targets of shape [${y.shape.join(', ')}]. ` +
          `For integer class labels use 'sparse_categorical_crossentropy', or one-hot encode them with toCategorical().`,
      );
    }
    checkRange('categorical_crossentropy', y, 0, 1);
  });
}

/** Sparse categorical cross-entropy: −log p[label], labels as integer class indices (shape [batch] or [batch, 1]). */
export function SparseCategoricalCrossentropy(args: { fromLogits?: boolean; name?: string } = {}): Loss {
  const fromLogits = args.fromLogits ?? false;
  const fn = (yTrue: Tensor, yPred: Tensor) => {
    const logits = fromLogits ? yPred : ops.log(ops.clip(ops.div(yPred, ops.sum(yPred, -1, true)), EPSILON, 1 - EPSILON));
    const logP = ops.logSoftmax(logits, -1);
    // Each sample's label column, the labels read by the op (so a captured step sees each batch's labels).
    const labels = ops.reshape(yTrue, [...yTrue.shape, 1]);
    return ops.neg(ops.reshape(ops.gather(logP, labels, -1, yTrue.rank), yTrue.shape));
  };
  return new Loss(
    args.name ?? 'sparse_categorical_crossentropy',
    'SparseCategoricalCrossentropy',
    fn,
    { fromLogits },
    (y, outShape) => checkRange('sparse_categorical_crossentropy', y, 0, outShape[outShape.length - 1] - 1, true),
    true,
  );
}

/** KL divergence: Σ y·log(y/p) over the last axis, with y and p clipped to [ε, 1]. */
export function KLDivergence(args: { name?: string } = {}): Loss {
  return new Loss(args.name ?? 'kl_divergence', 'KLDivergence', (yTrue, yPred) => {
    const y = ops.clip(yTrue, EPSILON, 1);
    const p = ops.clip(yPred, EPSILON, 1);
    return ops.sum(ops.mul(y, ops.log(ops.div(y, p))), -1);
  });
}

/** Poisson: mean(p − y·log(p + ε)) over the last axis. */
export function Poisson(args: { name?: string } = {}): Loss {
  return new Loss(args.name ?? 'poisson', 'Poisson', (yTrue, yPred) => meanLastAxis(ops.sub(yPred, ops.mul(yTrue, ops.log(ops.add(yPred, EPSILON))))));
}

lossRegistry.register(['binary_crossentropy', 'BinaryCrossentropy', 'bce'], (c) => BinaryCrossentropy(c));
lossRegistry.register(['categorical_crossentropy', 'CategoricalCrossentropy', 'cce'], (c) => CategoricalCrossentropy(c));
lossRegistry.register(['sparse_categorical_crossentropy', 'SparseCategoricalCrossentropy'], (c) => SparseCategoricalCrossentropy(c));
lossRegistry.register(['kl_divergence', 'KLDivergence', 'kld', 'kullback_leibler_divergence'], (c) => KLDivergence(c));
lossRegistry.register(['poisson', 'Poisson'], (c) => Poisson(c));
