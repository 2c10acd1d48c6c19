// Metrics from confusion counts at thresholds: Precision, Recall (threshold 0.5) and AUC (Keras: 200 thresholds).

import type { Tensor } from '../tensor/tensor.js';
import { Metric, metricRegistry } from './metric.js';
import { alignTargets } from '../losses/loss.js';

/** precision = TP / (TP + FP) with predictions > threshold counted positive. */
export class Precision extends Metric {
  private tp = 0;
  private fp = 0;
  constructor(opts: { name?: string; threshold?: number } = {}, private readonly threshold = opts.threshold ?? 0.5) {
    super(opts.name ?? 'precision');
  }
  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): void {
    const y = alignTargets(yTrue, yPred, false);
    const per = yPred.size / (sampleWeight?.size ?? yPred.size);
    for (let i = 0; i < yPred.size; i++) {
      if (yPred.data[i] <= this.threshold) continue;
      const w = sampleWeight ? sampleWeight.data[Math.floor(i / per)] : 1;
      if (y.data[i] >= 0.5) this.tp += w;
      else this.fp += w;
    }
  }
  result(): number {
    return this.tp + this.fp === 0 ? 0 : this.tp / (this.tp + this.fp);
  }
  resetState(): void {
    this.tp = this.fp = 0;
  }
}

/** recall = TP / (TP + FN). */
export class Recall extends Metric {
  private tp = 0;
  private fn = 0;
  constructor(opts: { name?: string; threshold?: number } = {}, private readonly threshold = opts.threshold ?? 0.5) {
    super(opts.name ?? 'recall');
  }
  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): void {
    const y = alignTargets(yTrue, yPred, false);
    const per = yPred.size / (sampleWeight?.size ?? yPred.size);
    for (let i = 0; i < yPred.size; i++) {
      if (y.data[i] < 0.5) continue;
      const w = sampleWeight ? sampleWeight.data[Math.floor(i / per)] : 1;
      if (yPred.data[i] > this.threshold) this.tp += w;
      else this.fn += w;
    }
  }
  result(): number {
    return this.tp + this.fn === 0 ? 0 : this.tp / (this.tp + this.fn);
  }
  resetState(): void {
    this.tp = this.fn = 0;
  }
}

/**
 * Area under the ROC (or PR) curve from confusion counts at numThresholds thresholds
 * [−ε, 1/(n−1), …, (n−2)/(n−1), 1+ε], summed by the trapezoidal rule (Keras's default 'interpolation' for ROC).
 */
export class AUC extends Metric {
  readonly numThresholds: number;
  readonly curve: 'ROC' | 'PR';
  private readonly thresholds: Float64Array;
  private tp: Float64Array;
  private fp: Float64Array;
  private fn: Float64Array;
  private tn: Float64Array;
  constructor(opts: { name?: string; numThresholds?: number; curve?: 'ROC' | 'PR' } = {}) {
    super(opts.name ?? 'auc');
    this.numThresholds = opts.numThresholds ?? 200;
    this.curve = opts.curve ?? 'ROC';
    if (!(this.numThresholds > 1)) throw new Error(`AUC: numThresholds must be > 1, got ${this.numThresholds}.`);
    const n = this.numThresholds;
    this.thresholds = new Float64Array(n);
    for (let i = 1; i < n - 1; i++) this.thresholds[i] = i / (n - 1);
    this.thresholds[0] = -1e-7;
    this.thresholds[n - 1] = 1 + 1e-7;
    this.tp = new Float64Array(n);
    this.fp = new Float64Array(n);
    this.fn = new Float64Array(n);
    this.tn = new Float64Array(n);
  }
  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): void {
    const y = alignTargets(yTrue, yPred, false);
    const per = yPred.size / (sampleWeight?.size ?? yPred.size);
    for (let i = 0; i < yPred.size; i++) {
      const p = yPred.data[i];
      const pos = y.data[i] >= 0.5;
      const w = sampleWeight ? sampleWeight.data[Math.floor(i / per)] : 1;
      for (let t = 0; t < this.numThresholds; t++) {
        const predictedPos = p > this.thresholds[t];
        if (pos) predictedPos ? (this.tp[t] += w) : (this.fn[t] += w);
        else predictedPos ? (this.fp[t] += w) : (this.tn[t] += w);
      }
    }
  }
  result(): number {
    const n = this.numThresholds;
    let area = 0;
    const x = new Float64Array(n);
    const yv = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      const tpr = this.tp[t] / Math.max(this.tp[t] + this.fn[t], 1e-12);
      if (this.curve === 'ROC') {
        x[t] = this.fp[t] / Math.max(this.fp[t] + this.tn[t], 1e-12);
        yv[t] = tpr;
      } else {
        x[t] = tpr;
        yv[t] = this.tp[t] + this.fp[t] === 0 ? 1 : this.tp[t] / (this.tp[t] + this.fp[t]);
      }
    }
    for (let t = 0; t < n - 1; t++) area += ((x[t] - x[t + 1]) * (yv[t] + yv[t + 1])) / 2;
    return area;
  }
  resetState(): void {
    for (const a of [this.tp, this.fp, this.fn, this.tn]) a.fill(0);
  }
}

metricRegistry.register(['precision', 'Precision'], (name) => new Precision({ name }));
metricRegistry.register(['recall', 'Recall'], (name) => new Recall({ name }));
metricRegistry.register(['auc', 'AUC'], (name) => new AUC({ name }));
