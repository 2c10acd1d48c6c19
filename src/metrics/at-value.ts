// One rate at the best threshold that keeps another rate at or above a value, as Keras 3's
// SensitivitySpecificityBase: counts at numThresholds thresholds evenly spaced in [0, 1] (default 200; the end ones
// are −ε and 1 + ε so that predictions of exactly 0 or 1 fall inside), then the largest `dependent` over thresholds
// whose `constrained` rate is ≥ the value (0 when none is). Rates with a zero denominator are 0.

import type { Tensor } from '../tensor/tensor.js';
import { Metric, metricRegistry, type MetricWeight } from './metric.js';
import { accumulate, zeroCounts, ratio, type Counts } from './confusion.js';

/** Keras's num_thresholds thresholds: [−ε, 1/(n−1), …, (n−2)/(n−1), 1+ε] (n = 1: [0.5]). */
export function evenThresholds(n: number): number[] {
  if (n === 1) return [0.5];
  return [-1e-7, ...Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1)), 1 + 1e-7];
}

type Rate = 'sensitivity' | 'specificity' | 'precision' | 'recall';

export interface AtValueOptions {
  /** Number of thresholds. Default 200. */
  numThresholds?: number;
  /** Look at this class's column of [batch, classes] data only. Default none. */
  classId?: number | null;
  name?: string;
}

abstract class RateAtValue extends Metric {
  readonly numThresholds: number;
  readonly classId: number | null;
  protected readonly thresholds: number[];
  protected counts: Counts;
  protected abstract readonly constrained: Rate;
  protected abstract readonly dependent: Rate;
  constructor(
    protected readonly value: number,
    valueName: string,
    opts: AtValueOptions,
    defaultName: string,
  ) {
    super(opts.name ?? defaultName);
    const owner = new.target.name;
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new Error(`${owner}: \`${valueName}\` must be in the range [0, 1]. Received: ${valueName}=${value}`);
    const n = opts.numThresholds ?? 200;
    if (!(Number.isInteger(n) && n > 0)) throw new Error(`${owner}: Argument \`num_thresholds\` must be an integer > 0. Received: num_thresholds=${n}`);
    this.numThresholds = n;
    this.classId = opts.classId ?? null;
    this.thresholds = evenThresholds(n);
    this.counts = zeroCounts(this.thresholds.length);
  }
  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: MetricWeight): void {
    accumulate(this.constructor.name, this.counts, this.thresholds, yTrue, yPred, sampleWeight, { classId: this.classId });
  }
  private rate(r: Rate, t: number): number {
    const { tp, fp, tn, fn } = this.counts;
    if (r === 'sensitivity' || r === 'recall') return ratio(tp[t], tp[t] + fn[t]);
    if (r === 'specificity') return ratio(tn[t], tn[t] + fp[t]);
    return ratio(tp[t], tp[t] + fp[t]);
  }
  result(): number {
    let best = 0;
    for (let t = 0; t < this.thresholds.length; t++) {
      if (this.rate(this.constrained, t) >= this.value) best = Math.max(best, this.rate(this.dependent, t));
    }
    return best;
  }
  resetState(): void {
    this.counts = zeroCounts(this.thresholds.length);
  }
}

/** Best sensitivity (recall) with specificity ≥ `specificity`. Name 'sensitivity_at_specificity'. */
export class SensitivityAtSpecificity extends RateAtValue {
  protected readonly constrained = 'specificity';
  protected readonly dependent = 'sensitivity';
  constructor(opts: AtValueOptions & { specificity: number }) {
    super(opts?.specificity, 'specificity', opts ?? {}, 'sensitivity_at_specificity');
  }
  get specificity(): number {
    return this.value;
  }
  override getConfig() {
    return { name: this.name, specificity: this.value, numThresholds: this.numThresholds, classId: this.classId };
  }
}

/** Best specificity with sensitivity ≥ `sensitivity`. Name 'specificity_at_sensitivity'. */
export class SpecificityAtSensitivity extends RateAtValue {
  protected readonly constrained = 'sensitivity';
  protected readonly dependent = 'specificity';
  constructor(opts: AtValueOptions & { sensitivity: number }) {
    super(opts?.sensitivity, 'sensitivity', opts ?? {}, 'specificity_at_sensitivity');
  }
  get sensitivity(): number {
    return this.value;
  }
  override getConfig() {
    return { name: this.name, sensitivity: this.value, numThresholds: this.numThresholds, classId: this.classId };
  }
}

/** Best precision with recall ≥ `recall`. Name 'precision_at_recall'. */
export class PrecisionAtRecall extends RateAtValue {
  protected readonly constrained = 'recall';
  protected readonly dependent = 'precision';
  constructor(opts: AtValueOptions & { recall: number }) {
    super(opts?.recall, 'recall', opts ?? {}, 'precision_at_recall');
  }
  get recall(): number {
    return this.value;
  }
  override getConfig() {
    return { name: this.name, recall: this.value, numThresholds: this.numThresholds, classId: this.classId };
  }
}

/** Best recall with precision ≥ `precision`. Name 'recall_at_precision'. */
export class RecallAtPrecision extends RateAtValue {
  protected readonly constrained = 'precision';
  protected readonly dependent = 'recall';
  constructor(opts: AtValueOptions & { precision: number }) {
    super(opts?.precision, 'precision', opts ?? {}, 'recall_at_precision');
  }
  get precision(): number {
    return this.value;
  }
  override getConfig() {
    return { name: this.name, precision: this.value, numThresholds: this.numThresholds, classId: this.classId };
  }
}

const needs = (cls: string, key: string) => new Error(`${cls} needs \`${key}\`, e.g. new metrics.${cls}({ ${key}: 0.8 }); a name alone cannot build it.`);
metricRegistry.register(['sensitivity_at_specificity', 'SensitivityAtSpecificity'], (name, c) => {
  if (c?.specificity === undefined) throw needs('SensitivityAtSpecificity', 'specificity');
  return new SensitivityAtSpecificity({ ...(c as { specificity: number }), name });
});
metricRegistry.register(['specificity_at_sensitivity', 'SpecificityAtSensitivity'], (name, c) => {
  if (c?.sensitivity === undefined) throw needs('SpecificityAtSensitivity', 'sensitivity');
  return new SpecificityAtSensitivity({ ...(c as { sensitivity: number }), name });
});
metricRegistry.register(['precision_at_recall', 'PrecisionAtRecall'], (name, c) => {
  if (c?.recall === undefined) throw needs('PrecisionAtRecall', 'recall');
  return new PrecisionAtRecall({ ...(c as { recall: number }), name });
});
metricRegistry.register(['recall_at_precision', 'RecallAtPrecision'], (name, c) => {
  if (c?.precision === undefined) throw needs('RecallAtPrecision', 'precision');
  return new RecallAtPrecision({ ...(c as { precision: number }), name });
});
