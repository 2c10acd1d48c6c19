// Accuracy metrics. Each returns, per sample, the fraction of correct entries (0 or 1 for one label).

import type { Tensor } from '../tensor/tensor.js';
import { Metric, MeanMetricWrapper, metricRegistry, rowsOf } from './metric.js';

function argmaxRow(data: Float32Array, row: number, cols: number): number {
  let best = 0;
  for (let j = 1; j < cols; j++) if (data[row * cols + j] > data[row * cols + best]) best = j;
  return best;
}

/** mean over the last axis of [(p > threshold) == y]. */
export function binaryAccuracyValues(threshold = 0.5) {
  return (y: Tensor, p: Tensor): Float32Array => {
    const { rows, cols } = rowsOf(p);
    const out = new Float32Array(rows);
    for (let i = 0; i < rows; i++) {
      let correct = 0;
      for (let j = 0; j < cols; j++) correct += (p.data[i * cols + j] > threshold ? 1 : 0) === y.data[i * cols + j] ? 1 : 0;
      out[i] = correct / cols;
    }
    return out;
  };
}

/** [argmax(y) == argmax(p)] for one-hot targets. */
export function categoricalAccuracyValues(y: Tensor, p: Tensor): Float32Array {
  const { rows, cols } = rowsOf(p);
  const out = new Float32Array(rows);
  for (let i = 0; i < rows; i++) out[i] = argmaxRow(y.data, i, cols) === argmaxRow(p.data, i, cols) ? 1 : 0;
  return out;
}

/** [y == argmax(p)] for integer targets. */
export function sparseCategoricalAccuracyValues(y: Tensor, p: Tensor): Float32Array {
  const { rows, cols } = rowsOf(p);
  const out = new Float32Array(rows);
  for (let i = 0; i < rows; i++) out[i] = y.data[i] === argmaxRow(p.data, i, cols) ? 1 : 0;
  return out;
}

/** [target class among the k largest predictions] (ties counted in favour, as tf.math.in_top_k). */
function inTopK(p: Float32Array, row: number, cols: number, target: number, k: number): boolean {
  const v = p[row * cols + target];
  let larger = 0;
  for (let j = 0; j < cols; j++) if (p[row * cols + j] > v) larger++;
  return larger < k;
}

export function topKValues(k: number, sparse: boolean) {
  return (y: Tensor, p: Tensor): Float32Array => {
    const { rows, cols } = rowsOf(p);
    const out = new Float32Array(rows);
    for (let i = 0; i < rows; i++) out[i] = inTopK(p.data, i, cols, sparse ? y.data[i] : argmaxRow(y.data, i, cols), k) ? 1 : 0;
    return out;
  };
}

/** Keras BinaryAccuracy: mean over the last axis of [(p > threshold) == y]; threshold default 0.5. */
export class BinaryAccuracy extends MeanMetricWrapper {
  readonly threshold: number;
  constructor(opts: { name?: string; threshold?: number } = {}) {
    const threshold = opts.threshold ?? 0.5;
    super(opts.name ?? 'binary_accuracy', binaryAccuracyValues(threshold));
    this.threshold = threshold;
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, threshold: this.threshold };
  }
}

/** Keras CategoricalAccuracy: [argmax(y) == argmax(p)] for one-hot targets. */
export class CategoricalAccuracy extends MeanMetricWrapper {
  constructor(opts: { name?: string } = {}) {
    super(opts.name ?? 'categorical_accuracy', categoricalAccuracyValues);
  }
}

/** Keras SparseCategoricalAccuracy: [y == argmax(p)] for class-index targets ([batch] or [batch, 1]). */
export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  constructor(opts: { name?: string } = {}) {
    super(opts.name ?? 'sparse_categorical_accuracy', sparseCategoricalAccuracyValues, true);
  }
}

/** Keras TopKCategoricalAccuracy: one-hot target's class among the k largest predictions (k default 5). */
export class TopKCategoricalAccuracy extends MeanMetricWrapper {
  readonly k: number;
  constructor(opts: { name?: string; k?: number } = {}) {
    const k = opts.k ?? 5;
    super(opts.name ?? 'top_k_categorical_accuracy', topKValues(k, false));
    this.k = k;
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, k: this.k };
  }
}

/** Keras SparseTopKCategoricalAccuracy: class-index target among the k largest predictions (k default 5). */
export class SparseTopKCategoricalAccuracy extends MeanMetricWrapper {
  readonly k: number;
  constructor(opts: { name?: string; k?: number } = {}) {
    const k = opts.k ?? 5;
    super(opts.name ?? 'sparse_top_k_categorical_accuracy', topKValues(k, true), true);
    this.k = k;
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, k: this.k };
  }
}

metricRegistry.register(['binary_accuracy', 'BinaryAccuracy'], (name) => new BinaryAccuracy({ name }));
metricRegistry.register(['categorical_accuracy', 'CategoricalAccuracy'], (name) => new CategoricalAccuracy({ name }));
metricRegistry.register(['sparse_categorical_accuracy', 'SparseCategoricalAccuracy'], (name) => new SparseCategoricalAccuracy({ name }));
metricRegistry.register(['top_k_categorical_accuracy', 'TopKCategoricalAccuracy'], (name) => new TopKCategoricalAccuracy({ name }));
metricRegistry.register(['sparse_top_k_categorical_accuracy', 'SparseTopKCategoricalAccuracy'], (name) => new SparseTopKCategoricalAccuracy({ name }));

export type AccuracyKind = 'binary' | 'sparse_categorical' | 'categorical';

/**
 * Keras 3's (and tf.keras 2's) rule for the metric 'accuracy', from the shapes only — never from the loss:
 * prediction's last dimension 1 → binary; targets of lower rank than the prediction, or a last dimension of 1 against
 * several prediction columns → sparse categorical; otherwise categorical. A multi-label model (several sigmoid
 * outputs, binary cross-entropy) therefore gets categorical accuracy: ask for 'binary_accuracy' there.
 */
export function accuracyKind(yTrueShape: readonly (number | null)[], yPredShape: readonly (number | null)[]): AccuracyKind {
  const pLast = yPredShape.length ? yPredShape[yPredShape.length - 1] : 1;
  if (pLast === 1 || yPredShape.length <= 1) return 'binary';
  const yLast = yTrueShape.length ? yTrueShape[yTrueShape.length - 1] : 1;
  return yTrueShape.length < yPredShape.length || yLast === 1 ? 'sparse_categorical' : 'categorical';
}

/** The metric behind 'accuracy' (named `name`): decided by accuracyKind on the first batch, when the targets' shape is known. */
export function resolveAccuracy(name: string, outputShape?: readonly (number | null)[]): Metric {
  if (outputShape && outputShape.length > 1 && outputShape[outputShape.length - 1] === 1) return new BinaryAccuracy({ name });
  return new ShapeAccuracy(name);
}

class ShapeAccuracy extends Metric {
  private inner: Metric | null = null;
  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): void {
    if (!this.inner) {
      const kind = accuracyKind(yTrue.shape, yPred.shape);
      const name = this.name;
      this.inner = kind === 'binary' ? new BinaryAccuracy({ name }) : kind === 'sparse_categorical' ? new SparseCategoricalAccuracy({ name }) : new CategoricalAccuracy({ name });
    }
    this.inner.updateState(yTrue, yPred, sampleWeight);
  }
  result(): number {
    return this.inner ? this.inner.result() : 0;
  }
  resetState(): void {
    this.inner?.resetState();
  }
}
