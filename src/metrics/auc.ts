// AUC, as Keras 3's keras.metrics.AUC: confusion counts at numThresholds thresholds [−ε, 1/(n−1), …, 1+ε]
// (ε = 1e-7; or [−ε, …thresholds, 1+ε] when a list is given), then the area under the ROC or PR curve.
// summationMethod 'interpolation' (default): ROC by the trapezoidal rule, PR by Davis & Goadrich (2006)'s
// interpolation of precision (Keras's interpolate_pr_auc); 'minoring' / 'majoring': Riemann sums with the smaller /
// larger height. multiLabel: one curve per label (column), averaged (or weighted by labelWeights); otherwise every
// entry counts in one curve, its weight multiplied by its column's labelWeight. fromLogits applies a sigmoid first.

import type { Tensor } from '../tensor/tensor.js';
import { Metric, metricRegistry, type MetricWeight } from './metric.js';
import { accumulate, zeroCounts, ratio, checkThresholds, type Counts } from './confusion.js';
import { evenThresholds } from './at-value.js';

export interface AUCOptions {
  /** Number of thresholds (> 1). Default 200; ignored when `thresholds` is given. */
  numThresholds?: number;
  /** 'ROC' (default) or 'PR'. */
  curve?: 'ROC' | 'PR';
  /** 'interpolation' (default), 'minoring' or 'majoring'. */
  summationMethod?: 'interpolation' | 'minoring' | 'majoring';
  /** Explicit thresholds in [0, 1]; −ε and 1 + ε are added at the ends. */
  thresholds?: number[] | null;
  /** One curve per label (last axis), averaged. Default false. */
  multiLabel?: boolean;
  /** Number of labels when multiLabel (checked against the data). Default: from the first batch. */
  numLabels?: number | null;
  /** Per-label weights: the average's weights with multiLabel, else multipliers of each column's sample weights. */
  labelWeights?: number[] | null;
  /** Predictions are logits: a sigmoid is applied first. Default false. */
  fromLogits?: boolean;
  name?: string;
}

export class AUC extends Metric {
  readonly numThresholds: number;
  readonly curve: 'ROC' | 'PR';
  readonly summationMethod: 'interpolation' | 'minoring' | 'majoring';
  readonly multiLabel: boolean;
  readonly labelWeights: number[] | null;
  readonly fromLogits: boolean;
  numLabels: number | null;
  /** The thresholds used, with the end ones reported as 0 and 1 (as Keras). */
  readonly thresholds: number[];
  private readonly given: number[] | null;
  private readonly inner: number[];
  private counts: Counts | null = null;

  constructor(opts: AUCOptions = {}) {
    super(opts.name ?? 'auc');
    const curve = (opts.curve ?? 'ROC').toUpperCase();
    if (curve !== 'ROC' && curve !== 'PR') throw new Error(`AUC: Invalid AUC curve value: "${opts.curve}". Expected 'ROC' or 'PR'.`);
    this.curve = curve;
    const method = (opts.summationMethod ?? 'interpolation').toLowerCase();
    if (method !== 'interpolation' && method !== 'minoring' && method !== 'majoring') {
      throw new Error(`AUC: Invalid AUC summation method value: "${opts.summationMethod}". Expected 'interpolation', 'minoring' or 'majoring'.`);
    }
    this.summationMethod = method;
    this.given = opts.thresholds ? checkThresholds('AUC', opts.thresholds) : null;
    if (this.given) {
      this.inner = [-1e-7, ...this.given, 1 + 1e-7];
    } else {
      const n = opts.numThresholds ?? 200;
      if (!(Number.isInteger(n) && n > 1)) throw new Error(`AUC: Argument \`num_thresholds\` must be an integer > 1. Received: num_thresholds=${n}`);
      this.inner = evenThresholds(n);
    }
    this.numThresholds = this.inner.length;
    this.thresholds = [0, ...this.inner.slice(1, -1), 1];
    this.multiLabel = opts.multiLabel ?? false;
    this.numLabels = opts.numLabels ?? null;
    this.labelWeights = opts.labelWeights ?? null;
    if (this.labelWeights && this.labelWeights.some((w) => !(w >= 0))) throw new Error(`AUC: labelWeights must be non-negative numbers, got [${this.labelWeights.join(', ')}].`);
    this.fromLogits = opts.fromLogits ?? false;
  }

  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: MetricWeight): void {
    const labels = yPred.rank <= 1 ? 1 : yPred.shape[yPred.rank - 1];
    if (this.labelWeights && this.labelWeights.length !== labels) throw new Error(`AUC: labelWeights has ${this.labelWeights.length} entries but the predictions have ${labels} labels.`);
    if (!this.counts) {
      if (this.multiLabel && this.numLabels !== null && this.numLabels !== labels) throw new Error(`AUC: numLabels is ${this.numLabels} but the predictions have ${labels} labels.`);
      if (this.multiLabel) this.numLabels = labels;
      this.counts = zeroCounts(this.inner.length * (this.multiLabel ? labels : 1));
    }
    accumulate('AUC', this.counts, this.inner, yTrue, yPred, sampleWeight, {
      multiLabel: this.multiLabel,
      labelWeights: this.multiLabel ? null : this.labelWeights,
      // float32, as Keras computes: sigmoid(logit(0.5)) is exactly 0.5, not just below it.
      transform: this.fromLogits ? (z) => Math.fround(1 / (1 + Math.exp(-z))) : undefined,
    });
  }

  result(): number {
    if (!this.counts) return 0;
    const labels = this.multiLabel ? this.numLabels! : 1;
    const n = this.inner.length;
    const areas: number[] = [];
    for (let l = 0; l < labels; l++) {
      const pick = (a: Float64Array) => Float64Array.from({ length: n }, (_, t) => a[t * labels + l]);
      areas.push(this.area(pick(this.counts.tp), pick(this.counts.fp), pick(this.counts.fn), pick(this.counts.tn)));
    }
    if (!this.multiLabel) return areas[0];
    if (!this.labelWeights) return areas.reduce((a, b) => a + b, 0) / labels;
    const total = this.labelWeights.reduce((a, b) => a + b, 0);
    return ratio(areas.reduce((a, v, l) => a + v * this.labelWeights![l], 0), total);
  }

  private area(tp: Float64Array, fp: Float64Array, fn: Float64Array, tn: Float64Array): number {
    const n = tp.length;
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
    const y = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      const recall = ratio(tp[t], tp[t] + fn[t]);
      if (this.curve === 'ROC') {
        x[t] = ratio(fp[t], fp[t] + tn[t]);
        y[t] = recall;
      } else {
        x[t] = recall;
        y[t] = ratio(tp[t], tp[t] + fp[t]);
      }
    }
    let area = 0;
    for (let t = 0; t < n - 1; t++) {
      const h = this.summationMethod === 'interpolation' ? (y[t] + y[t + 1]) / 2 : this.summationMethod === 'minoring' ? Math.min(y[t], y[t + 1]) : Math.max(y[t], y[t + 1]);
      area += (x[t] - x[t + 1]) * h;
    }
    return area;
  }

  resetState(): void {
    this.counts = null;
  }

  /** The confusion counts so far (thresholds × labels with multiLabel), for inspection. */
  get truePositives(): number[] {
    return this.counts ? Array.from(this.counts.tp) : [];
  }

  override getConfig(): Record<string, unknown> {
    return {
      name: this.name, numThresholds: this.numThresholds, curve: this.curve, summationMethod: this.summationMethod, multiLabel: this.multiLabel,
      numLabels: this.numLabels, labelWeights: this.labelWeights, fromLogits: this.fromLogits, ...(this.given ? { thresholds: this.given } : {}),
    };
  }
}

metricRegistry.register(['auc', 'AUC'], (name, c) => new AUC({ ...c, name }));
