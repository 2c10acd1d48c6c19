// Metric resolution: Keras names, 'accuracy' chosen from the shapes (resolveAccuracy), loss names, custom functions.

import { Tensor } from '../tensor/tensor.js';
import { Metric, MeanMetricWrapper, metricRegistry, perSampleFromLoss } from './metric.js';
import { resolveAccuracy } from './accuracy.js';
import { lossRegistry, type Loss } from '../losses/index.js';
import { normalizeName } from '../registry.js';

export * from './metric.js';
export * from './accuracy.js';
export * from './confusion.js';

export type MetricIdentifier = string | Metric | ((yTrue: Tensor, yPred: Tensor) => Tensor);

export function getMetric(identifier: MetricIdentifier, loss: Loss, outputShape: readonly (number | null)[]): Metric {
  if (identifier instanceof Metric) return identifier;
  if (typeof identifier === 'function') {
    return new MeanMetricWrapper(identifier.name || 'custom_metric', perSampleFromLoss(identifier));
  }
  const key = normalizeName(identifier);
  if (key === 'accuracy' || key === 'acc') return resolveAccuracy(identifier, outputShape);
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
