// Stateful metrics, as Keras: updateState per batch, result() over everything since resetState().
// Mean metrics weight each sample equally (so batches count by their size), as Keras reports them.

import type { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/tape.js';
import { Registry } from '../registry.js';
import { alignTargets } from '../losses/loss.js';

export abstract class Metric {
  constructor(public name: string) {}
  abstract updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): void;
  abstract result(): number;
  abstract resetState(): void;
  getConfig(): Record<string, unknown> {
    return { name: this.name };
  }
}

/** Per-sample values (one per row) from targets and predictions. */
export type PerSampleMetric = (yTrue: Tensor, yPred: Tensor) => Float32Array;

/** Weighted mean of per-sample values: Σ v·w / Σ w. */
export class MeanMetricWrapper extends Metric {
  private total = 0;
  private count = 0;
  constructor(
    name: string,
    private readonly fn: PerSampleMetric,
    private readonly sparse = false,
  ) {
    super(name);
  }
  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): void {
    const values = this.fn(alignTargets(yTrue, yPred, this.sparse), yPred);
    const w = sampleWeight?.data;
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
    this.total = 0;
    this.count = 0;
  }
}

/** Plain running mean of scalar values weighted by a count (used for the loss tracker). */
export class Mean extends Metric {
  private total = 0;
  private count = 0;
  update(value: number, weight = 1): void {
    this.total += value * weight;
    this.count += weight;
  }
  updateState(_yTrue: Tensor, yPred: Tensor): void {
    for (let i = 0; i < yPred.size; i++) this.update(yPred.data[i]);
  }
  result(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }
  resetState(): void {
    this.total = 0;
    this.count = 0;
  }
}

export type MetricFactory = (name: string) => Metric;
export const metricRegistry = new Registry<MetricFactory>('metric');

/** Rows × columns view of a tensor whose last axis holds the per-sample values. */
export function rowsOf(t: Tensor): { rows: number; cols: number } {
  const cols = t.rank <= 1 ? 1 : t.shape[t.rank - 1];
  return { rows: t.size / cols, cols };
}

export function perSampleFromLoss(lossFn: (y: Tensor, p: Tensor) => Tensor): PerSampleMetric {
  return (y, p) => noGrad(() => lossFn(y, p)).data;
}
