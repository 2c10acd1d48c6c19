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
 * [−ε, 1/(n−1), …, (n−2)/(n−1), 1+ε] (ε = 1e-7), as Keras's AUC. summationMethod (default 'interpolation'):
 * ROC → trapezoidal rule; PR → Davis & Goadrich (2006) interpolation of precision between thresholds
 * (Keras's interpolate_pr_auc); 'minoring' / 'majoring' → left/right Riemann sums with the smaller / larger height.
 * Rates with a zero denominator count as 0 (Keras's divide_no_nan).
 */
export class AUC extends Metric {
  readonly numThresholds: number;
  readonly curve: 'ROC' | 'PR';
  readonly summationMethod: 'interpolation' | 'minoring' | 'majoring';
  private readonly thresholds: Float64Array;
  private tp: Float64Array;
  private fp: Float64Array;
  private fn: Float64Array;
  private tn: Float64Array;
  constructor(opts: { name?: string; numThresholds?: number; curve?: 'ROC' | 'PR'; summationMethod?: 'interpolation' | 'minoring' | 'majoring' } = {}) {
    super(opts.name ?? 'auc');
    this.numThresholds = opts.numThresholds ?? 200;
    const curve = (opts.curve ?? 'ROC').toUpperCase();
    if (curve !== 'ROC' && curve !== 'PR') throw new Error(`AUC: curve must be 'ROC' or 'PR', got '${opts.curve}'.`);
    this.curve = curve;
    const method = (opts.summationMethod ?? 'interpolation').toLowerCase();
    if (method !== 'interpolation' && method !== 'minoring' && method !== 'majoring') {
      throw new Error(`AUC: summationMethod must be 'interpolation', 'minoring' or 'majoring', got '${opts.summationMethod}'.`);
    }
    this.summationMethod = method;
    if (!(Number.isInteger(this.numThresholds) && this.numThresholds > 1)) throw new Error(`AUC: numThresholds must be an integer > 1, got ${this.numThresholds}.`);
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
    const { tp, fp, fn, tn } = this;
    const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
    if (this.curve === 'PR' && this.summationMethod === 'interpolation') {
      // Precision is interpolated linearly in TP between neighbouring thresholds (P = TP + FP).
      let area = 0;
      for (let t = 0; t < n - 1; t++) {
        const dtp = tp[t] - tp[t + 1];
        const pA = tp[t] + fp[t];
        const pB = tp[t + 1] + fp[t + 1];
        const slope = ratio(dtp, Math.max(pA - pB, 0));
        const intercept = tp[t + 1] - slope * pB;
        const pRatio = pA > 0 && pB > 0 ? ratio(pA, Math.max(pB, 0)) : 1;
        area += ratio(slope * (dtp + intercept * Math.log(pRatio)), Math.max(tp[t + 1] + fn[t + 1], 0));
      }
      return area;
    }
    const x = new Float64Array(n);
    const yv = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      const recall = ratio(tp[t], tp[t] + fn[t]);
      if (this.curve === 'ROC') {
        x[t] = ratio(fp[t], fp[t] + tn[t]);
        yv[t] = recall;
      } else {
        x[t] = recall;
        yv[t] = ratio(tp[t], tp[t] + fp[t]);
      }
    }
    let area = 0;
    for (let t = 0; t < n - 1; t++) {
      const h = this.summationMethod === 'interpolation' ? (yv[t] + yv[t + 1]) / 2 : this.summationMethod === 'minoring' ? Math.min(yv[t], yv[t + 1]) : Math.max(yv[t], yv[t + 1]);
      area += (x[t] - x[t + 1]) * h;
    }
    return area;
  }
  resetState(): void {
    for (const a of [this.tp, this.fp, this.fn, this.tn]) a.fill(0);
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, numThresholds: this.numThresholds, curve: this.curve, summationMethod: this.summationMethod };
  }
}

metricRegistry.register(['precision', 'Precision'], (name) => new Precision({ name }));
metricRegistry.register(['recall', 'Recall'], (name) => new Recall({ name }));
metricRegistry.register(['auc', 'AUC'], (name) => new AUC({ name }));
