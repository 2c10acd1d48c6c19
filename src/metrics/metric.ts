// Stateful metrics, as Keras: updateState per batch, result() over everything since resetState().
// Mean metrics weight each sample equally (so batches count by their size), as Keras reports them.

import type { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/tape.js';
import { Registry } from '../registry.js';
import { alignTargets } from '../losses/loss.js';

/** A sample weight as Keras takes it: a number, or a tensor of shape [batch], [batch, 1] or the predictions' shape. */
export type MetricWeight = Tensor | number | null | undefined;

export abstract class Metric {
  constructor(public name: string) {}
  abstract updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: MetricWeight): void;
  /** The metric's value. Metrics that keep several (one per threshold or class) throw here: read resultArray(). */
  abstract result(): number;
  abstract resetState(): void;
  /** Every value the metric keeps (one per threshold or class where it keeps several); [result()] otherwise. */
  resultArray(): number[] {
    return [this.result()];
  }
  getConfig(): Record<string, unknown> {
    return { name: this.name };
  }
}

/** Per-sample values (one per row, or one per entry) from targets and predictions. */
export type PerSampleMetric = (yTrue: Tensor, yPred: Tensor) => Float32Array;

/**
 * The weight of each of `n` values: a number weighs all; a tensor of n entries one each; a [batch] (or [batch, 1])
 * weight is repeated over each sample's n / batch values. Null when unweighted.
 */
export function valueWeights(w: MetricWeight, n: number, what: string): Float32Array | Float64Array | null {
  if (w === null || w === undefined) return null;
  if (typeof w === 'number') return new Float64Array(n).fill(w);
  if (w.size === n) return w.data;
  if (w.size === 1) return new Float64Array(n).fill(w.data[0]);
  if (n % w.size !== 0) throw new Error(`${what}: sampleWeight of shape [${w.shape.join(', ')}] does not line up with ${n} values; give one weight per sample or per value.`);
  const per = n / w.size;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = w.data[Math.floor(i / per)];
  return out;
}

/** Weighted mean of per-sample values: Σ v·w / Σ w (Keras MeanMetricWrapper). */
export class MeanMetricWrapper extends Metric {
  protected total = 0;
  protected count = 0;
  constructor(
    name: string,
    private readonly fn: PerSampleMetric,
    private readonly sparse = false,
  ) {
    super(name);
  }
  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: MetricWeight): void {
    const values = this.fn(alignTargets(yTrue, yPred, this.sparse), yPred);
    const w = valueWeights(sampleWeight, values.length, this.name);
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

/** Builds a metric from its log name and, for metrics with required options (thresholds, classes), its config. */
export type MetricFactory = (name: string, config?: Record<string, any>) => Metric;
export const metricRegistry = new Registry<MetricFactory>('metric');

/** Rows × columns view of a tensor whose last axis holds the per-sample values. */
export function rowsOf(t: Tensor): { rows: number; cols: number } {
  const cols = t.rank <= 1 ? 1 : t.shape[t.rank - 1];
  return { rows: t.size / cols, cols };
}

export function perSampleFromLoss(lossFn: (y: Tensor, p: Tensor) => Tensor): PerSampleMetric {
  return (y, p) => noGrad(() => lossFn(y, p)).data;
}

/** The error a metric with several values gives from result(): name what to read instead. */
export function severalValues(owner: string, what: string, fix: string): Error {
  return new Error(`${owner} keeps one value per ${what}: read resultArray(), or ${fix} for a single number (fit's logs hold numbers).`);
}
