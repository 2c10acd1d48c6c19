// Accuracy metrics. Each returns, per sample, the fraction of correct entries (0 or 1 for one label).

import type { Tensor } from '../tensor/tensor.js';
import { MeanMetricWrapper, metricRegistry, rowsOf } from './metric.js';

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

export const BinaryAccuracy = (opts: { name?: string; threshold?: number } = {}) =>
  new MeanMetricWrapper(opts.name ?? 'binary_accuracy', binaryAccuracyValues(opts.threshold ?? 0.5));
export const CategoricalAccuracy = (opts: { name?: string } = {}) => new MeanMetricWrapper(opts.name ?? 'categorical_accuracy', categoricalAccuracyValues);
export const SparseCategoricalAccuracy = (opts: { name?: string } = {}) =>
  new MeanMetricWrapper(opts.name ?? 'sparse_categorical_accuracy', sparseCategoricalAccuracyValues, true);
export const TopKCategoricalAccuracy = (opts: { name?: string; k?: number } = {}) =>
  new MeanMetricWrapper(opts.name ?? 'top_k_categorical_accuracy', topKValues(opts.k ?? 5, false));
export const SparseTopKCategoricalAccuracy = (opts: { name?: string; k?: number } = {}) =>
  new MeanMetricWrapper(opts.name ?? 'sparse_top_k_categorical_accuracy', topKValues(opts.k ?? 5, true), true);

metricRegistry.register(['binary_accuracy', 'BinaryAccuracy'], (name) => BinaryAccuracy({ name }));
metricRegistry.register(['categorical_accuracy', 'CategoricalAccuracy'], (name) => CategoricalAccuracy({ name }));
metricRegistry.register(['sparse_categorical_accuracy', 'SparseCategoricalAccuracy'], (name) => SparseCategoricalAccuracy({ name }));
metricRegistry.register(['top_k_categorical_accuracy', 'TopKCategoricalAccuracy'], (name) => TopKCategoricalAccuracy({ name }));
metricRegistry.register(['sparse_top_k_categorical_accuracy', 'SparseTopKCategoricalAccuracy'], (name) => SparseTopKCategoricalAccuracy({ name }));
