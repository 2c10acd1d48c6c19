// Metrics that average a loss's per-sample values (Keras's probabilistic and hinge metrics): Σ v·w / Σ w.
// Each takes the options of its loss (fromLogits, labelSmoothing, ignoreClass, ...). As Keras's MeanMetricWrapper,
// an ignored class (SparseCategoricalCrossentropy's ignoreClass) drops out of the count only when sample weights are
// given; unweighted, its zero still counts.

import type { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/tape.js';
import { Metric, metricRegistry, valueWeights, type MetricWeight } from './metric.js';
import { alignTargets, type Loss } from '../losses/loss.js';
import * as L from '../losses/index.js';

export class LossMetric extends Metric {
  private total = 0;
  private count = 0;
  constructor(protected readonly loss: Loss) {
    super(loss.name);
  }
  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: MetricWeight): void {
    const values = noGrad(() => this.loss.perSampleLoss(yTrue, yPred)).data;
    let w = valueWeights(sampleWeight, values.length, this.name);
    const ignore = (this.loss as { ignoreClass?: number | null }).ignoreClass;
    if (w && ignore !== undefined && ignore !== null) {
      const y = alignTargets(yTrue, yPred, true);
      w = w.map((v, i) => (y.data[i] === ignore ? 0 : v));
    }
    for (let i = 0; i < values.length; i++) {
      const wi = w ? w[i] : 1;
      this.total += values[i] * wi;
      this.count += wi;
    }
  }
  result(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }
  resetState(): void {
    this.total = this.count = 0;
  }
  override getConfig(): Record<string, unknown> {
    const { reduction: _r, ...config } = this.loss.getConfig();
    return config;
  }
}

/** Binary cross-entropy averaged over samples. Options as the loss: fromLogits, labelSmoothing, axis. */
export class BinaryCrossentropy extends LossMetric {
  constructor(opts: L.CrossentropyOptions = {}) {
    super(new L.BinaryCrossentropy({ ...opts, name: opts.name ?? 'binary_crossentropy' }));
  }
}
/** Categorical cross-entropy averaged over samples. */
export class CategoricalCrossentropy extends LossMetric {
  constructor(opts: L.CrossentropyOptions = {}) {
    super(new L.CategoricalCrossentropy({ ...opts, name: opts.name ?? 'categorical_crossentropy' }));
  }
}
/** Sparse categorical cross-entropy averaged over samples (fromLogits, ignoreClass, axis). */
export class SparseCategoricalCrossentropy extends LossMetric {
  constructor(opts: L.SparseCategoricalCrossentropyOptions = {}) {
    super(new L.SparseCategoricalCrossentropy({ ...opts, name: opts.name ?? 'sparse_categorical_crossentropy' }));
  }
}
/** KL divergence averaged over samples. */
export class KLDivergence extends LossMetric {
  constructor(opts: { name?: string } = {}) {
    super(new L.KLDivergence({ name: opts.name ?? 'kl_divergence' }));
  }
}
/** Poisson averaged over samples. */
export class Poisson extends LossMetric {
  constructor(opts: { name?: string } = {}) {
    super(new L.Poisson({ name: opts.name ?? 'poisson' }));
  }
}
/** Hinge averaged over samples. */
export class Hinge extends LossMetric {
  constructor(opts: { name?: string } = {}) {
    super(new L.Hinge({ name: opts.name ?? 'hinge' }));
  }
}
/** Squared hinge averaged over samples. */
export class SquaredHinge extends LossMetric {
  constructor(opts: { name?: string } = {}) {
    super(new L.SquaredHinge({ name: opts.name ?? 'squared_hinge' }));
  }
}
/** Categorical hinge averaged over samples. */
export class CategoricalHinge extends LossMetric {
  constructor(opts: { name?: string } = {}) {
    super(new L.CategoricalHinge({ name: opts.name ?? 'categorical_hinge' }));
  }
}

metricRegistry.register(['binary_crossentropy', 'BinaryCrossentropy', 'bce'], (name, c) => new BinaryCrossentropy({ ...c, name }));
metricRegistry.register(['categorical_crossentropy', 'CategoricalCrossentropy', 'cce'], (name, c) => new CategoricalCrossentropy({ ...c, name }));
metricRegistry.register(['sparse_categorical_crossentropy', 'SparseCategoricalCrossentropy'], (name, c) => new SparseCategoricalCrossentropy({ ...c, name }));
metricRegistry.register(['kl_divergence', 'KLDivergence', 'kld', 'kullback_leibler_divergence'], (name) => new KLDivergence({ name }));
metricRegistry.register(['poisson', 'Poisson'], (name) => new Poisson({ name }));
metricRegistry.register(['hinge', 'Hinge'], (name) => new Hinge({ name }));
metricRegistry.register(['squared_hinge', 'SquaredHinge'], (name) => new SquaredHinge({ name }));
metricRegistry.register(['categorical_hinge', 'CategoricalHinge'], (name) => new CategoricalHinge({ name }));
