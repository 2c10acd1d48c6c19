// Metric resolution: Keras names, 'accuracy' chosen from the loss and shapes, loss names, custom functions.

import { Tensor } from '../tensor/tensor.js';
import { Metric, MeanMetricWrapper, metricRegistry, perSampleFromLoss } from './metric.js';
import { BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy } from './accuracy.js';
import { lossRegistry, type Loss } from '../losses/index.js';
import { normalizeName } from '../registry.js';

export * from './metric.js';
export * from './accuracy.js';
export * from './confusion.js';

export type MetricIdentifier = string | Metric | ((yTrue: Tensor, yPred: Tensor) => Tensor);

/**
 * Keras's rule for 'accuracy': binary when the model outputs one column (or the loss is binary cross-entropy),
 * sparse when targets are class indices (sparse loss, or rank lower than the output), else categorical.
 */
function resolveAccuracy(name: string, loss: Loss, outputShape: readonly (number | null)[]): Metric {
  const lastDim = outputShape[outputShape.length - 1];
  if (lastDim === 1 || loss.className === 'BinaryCrossentropy') return BinaryAccuracy({ name });
  if (loss.sparse) return SparseCategoricalAccuracy({ name });
  return new TargetShapeAccuracy(name);
}

/**
 * Categorical accuracy, or sparse categorical accuracy when the targets turn out to be class indices (rank below the
 * output's, or a last dimension of 1 against several outputs: Keras 3's is_sparse_categorical), e.g. integer labels
 * with a custom or non-cross-entropy loss. Decided on the first batch.
 */
class TargetShapeAccuracy extends Metric {
  private inner: Metric | null = null;
  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): void {
    if (!this.inner) {
      const yLast = yTrue.shape[yTrue.rank - 1];
      const pLast = yPred.shape[yPred.rank - 1];
      const sparse = yTrue.rank < yPred.rank || (yLast === 1 && pLast > 1);
      this.inner = sparse ? SparseCategoricalAccuracy({ name: this.name }) : CategoricalAccuracy({ name: this.name });
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

export function getMetric(identifier: MetricIdentifier, loss: Loss, outputShape: readonly (number | null)[]): Metric {
  if (identifier instanceof Metric) return identifier;
  if (typeof identifier === 'function') {
    return new MeanMetricWrapper(identifier.name || 'custom_metric', perSampleFromLoss(identifier));
  }
  const key = normalizeName(identifier);
  if (key === 'accuracy' || key === 'acc') return resolveAccuracy(identifier, loss, outputShape);
  if (key === 'crossentropy' || key === 'ce') {
    return new MeanMetricWrapper(identifier, perSampleFromLoss((y, p) => loss.perSampleLoss(y, p)));
  }
  if (metricRegistry.has(identifier)) return metricRegistry.get(identifier)(identifier);
  if (lossRegistry.has(identifier)) {
    const asLoss = lossRegistry.get(identifier)();
    return new MeanMetricWrapper(identifier, perSampleFromLoss((y, p) => asLoss.perSampleLoss(y, p)), asLoss.sparse);
  }
  throw new Error(`Unknown metric '${identifier}'. Valid names: accuracy, ${[...metricRegistry.names(), ...lossRegistry.names()].join(', ')}.`);
}
