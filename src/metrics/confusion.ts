// Confusion counts at thresholds, as Keras 3's metrics_utils.update_confusion_matrix_variables: a prediction counts
// positive when it is > the threshold, a target when it is non-zero. topK keeps only each row's k largest
// predictions (the rest count negative); classId looks at one column of [batch, classes] data. Sample weights are a
// number, [batch], [batch, 1], [1, classes] or the predictions' shape. TruePositives ... FalseNegatives, Precision, Recall.

import type { Tensor } from '../tensor/tensor.js';
import { Metric, metricRegistry, severalValues, type MetricWeight } from './metric.js';
import { alignTargets } from '../losses/loss.js';

export interface Counts {
  tp: Float64Array;
  fp: Float64Array;
  tn: Float64Array;
  fn: Float64Array;
}

export function zeroCounts(n: number): Counts {
  return { tp: new Float64Array(n), fp: new Float64Array(n), tn: new Float64Array(n), fn: new Float64Array(n) };
}

/** Thresholds as a list in [0, 1] (Keras's error names the bad ones). */
export function checkThresholds(owner: string, t: number | number[]): number[] {
  const list = Array.isArray(t) ? t : [t];
  const bad = list.filter((v) => typeof v !== 'number' || !(v >= 0 && v <= 1));
  if (bad.length || list.length === 0) throw new Error(`${owner}: Threshold values must be in [0, 1]. Received: [${bad.map(String).join(', ')}]`);
  return list;
}

/** The weight of every entry of `shape`: [batch] lines up with rows, other shapes broadcast from the left. */
export function broadcastWeights(w: MetricWeight, shape: readonly number[], owner: string): Float64Array | null {
  if (w === null || w === undefined) return null;
  const size = shape.reduce((a, b) => a * b, 1);
  if (typeof w === 'number' || w.size === 1) return new Float64Array(size).fill(typeof w === 'number' ? w : w.data[0]);
  if (w.size === size) return Float64Array.from(w.data);
  let ws = [...w.shape];
  while (ws.length < shape.length) ws.push(1);
  while (ws.length > shape.length && ws[ws.length - 1] === 1) ws = ws.slice(0, -1);
  if (ws.length !== shape.length || ws.some((d, i) => d !== 1 && d !== shape[i])) {
    throw new Error(`${owner}: sampleWeight of shape [${w.shape.join(', ')}] does not broadcast to the predictions' shape [${shape.join(', ')}].`);
  }
  const out = new Float64Array(size);
  const idx = new Array(shape.length).fill(0);
  for (let i = 0; i < size; i++) {
    let src = 0;
    for (let d = 0; d < shape.length; d++) src = src * ws[d] + (ws[d] === 1 ? 0 : idx[d]);
    out[i] = w.data[src];
    for (let d = shape.length - 1; d >= 0 && ++idx[d] === shape[d]; d--) idx[d] = 0;
  }
  return out;
}

export interface CountOptions {
  topK?: number | null;
  classId?: number | null;
  /** Multiplies the weights of each column (AUC's labelWeights when not multiLabel). */
  labelWeights?: number[] | null;
  /** Counts per column: the arrays hold thresholds × columns (threshold-major). */
  multiLabel?: boolean;
  /** Applied to predictions first (AUC fromLogits: sigmoid). */
  transform?: (v: number) => number;
}

/** Add the confusion counts of one batch at each threshold into `c`. */
export function accumulate(owner: string, c: Counts, thresholds: readonly number[], yTrue: Tensor, yPred: Tensor, sampleWeight: MetricWeight, o: CountOptions = {}): void {
  const y = alignTargets(yTrue, yPred, false);
  if (y.size !== yPred.size) throw new Error(`${owner}: targets of shape [${y.shape.join(', ')}] do not match predictions of shape [${yPred.shape.join(', ')}].`);
  const cols = yPred.rank <= 1 ? 1 : yPred.shape[yPred.rank - 1];
  const rows = yPred.size / cols;
  const w = broadcastWeights(sampleWeight, yPred.shape, owner);
  let p: Float64Array = Float64Array.from(yPred.data, o.transform ?? ((v) => v));
  if (o.topK) {
    // Keep each row's k largest (first index wins a tie, as top_k); the others can never count positive.
    const kept = new Float64Array(p.length).fill(-Infinity);
    const width = yPred.rank <= 1 ? p.length : cols;
    for (let r = 0; r < p.length / width; r++) {
      const order = Array.from({ length: width }, (_, j) => j).sort((a, b) => p[r * width + b] - p[r * width + a] || a - b);
      for (const j of order.slice(0, o.topK)) kept[r * width + j] = p[r * width + j];
    }
    p = kept;
  }
  let first = 0, step = 1, count = p.length;
  let labels = cols;
  if (o.classId !== null && o.classId !== undefined) {
    if (yPred.rank < 2) throw new Error(`${owner}: When class_id is provided, y_pred must be a 2D array with shape (num_samples, num_classes), found shape: [${yPred.shape.join(', ')}].`);
    if (!(o.classId >= 0 && o.classId < cols)) throw new Error(`${owner}: classId ${o.classId} is outside the ${cols} classes of the predictions.`);
    first = o.classId; step = cols; count = rows; labels = 1;
  }
  const perLabel = o.multiLabel ? labels : 1;
  if (c.tp.length !== thresholds.length * perLabel) throw new Error(`${owner}: the predictions have ${labels} labels, earlier batches had ${c.tp.length / thresholds.length}.`);
  for (let k = 0; k < count; k++) {
    const i = first + k * step;
    const col = i % cols;
    let wi = w ? w[i] : 1;
    if (o.labelWeights) wi *= o.labelWeights[col];
    const pos = y.data[i] !== 0;
    const slot = o.multiLabel ? col : 0;
    for (let t = 0; t < thresholds.length; t++) {
      const at = t * perLabel + slot;
      if (p[i] > thresholds[t]) pos ? (c.tp[at] += wi) : (c.fp[at] += wi);
      else pos ? (c.fn[at] += wi) : (c.tn[at] += wi);
    }
  }
}

/** a / b, or 0 when b is 0 (Keras's divide_no_nan). */
export const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

export interface ThresholdOptions {
  /** Threshold or list of thresholds in [0, 1]; predictions above count positive. Default 0.5. */
  thresholds?: number | number[];
  name?: string;
}

type CountKey = keyof Counts;

/** One confusion count at each threshold (Keras's TruePositives, FalsePositives, TrueNegatives, FalseNegatives). */
abstract class CountMetric extends Metric {
  readonly thresholds: number[];
  protected counts: Counts;
  protected abstract readonly key: CountKey;
  constructor(opts: ThresholdOptions, defaultName: string) {
    super(opts.name ?? defaultName);
    this.thresholds = checkThresholds(new.target.name, opts.thresholds ?? 0.5);
    this.counts = zeroCounts(this.thresholds.length);
  }
  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: MetricWeight): void {
    accumulate(this.constructor.name, this.counts, this.thresholds, yTrue, yPred, sampleWeight);
  }
  override resultArray(): number[] {
    return Array.from(this.counts[this.key]);
  }
  result(): number {
    if (this.thresholds.length > 1) throw severalValues(this.constructor.name, 'threshold', 'give one threshold');
    return this.counts[this.key][0];
  }
  resetState(): void {
    this.counts = zeroCounts(this.thresholds.length);
  }
  override getConfig() {
    return { name: this.name, thresholds: this.thresholds };
  }
}

/** Weighted count of positives predicted positive (> threshold). Name 'true_positives'. */
export class TruePositives extends CountMetric {
  protected readonly key = 'tp';
  constructor(opts: ThresholdOptions = {}) {
    super(opts, 'true_positives');
  }
}
/** Weighted count of negatives predicted positive. Name 'false_positives'. */
export class FalsePositives extends CountMetric {
  protected readonly key = 'fp';
  constructor(opts: ThresholdOptions = {}) {
    super(opts, 'false_positives');
  }
}
/** Weighted count of negatives predicted negative. Name 'true_negatives'. */
export class TrueNegatives extends CountMetric {
  protected readonly key = 'tn';
  constructor(opts: ThresholdOptions = {}) {
    super(opts, 'true_negatives');
  }
}
/** Weighted count of positives predicted negative. Name 'false_negatives'. */
export class FalseNegatives extends CountMetric {
  protected readonly key = 'fn';
  constructor(opts: ThresholdOptions = {}) {
    super(opts, 'false_negatives');
  }
}

export interface PrecisionRecallOptions {
  /** Threshold(s) in [0, 1]. Default 0.5, or −∞ with topK (every kept prediction counts positive). */
  thresholds?: number | number[];
  /** Count only each row's k largest predictions as candidates. Default none. */
  topK?: number | null;
  /** Look at this class's column only. Default none (every entry). */
  classId?: number | null;
  name?: string;
}

abstract class RateMetric extends Metric {
  readonly thresholds: number[];
  readonly topK: number | null;
  readonly classId: number | null;
  protected counts: Counts;
  constructor(opts: PrecisionRecallOptions, defaultName: string) {
    super(opts.name ?? defaultName);
    const owner = new.target.name;
    this.topK = opts.topK ?? null;
    if (this.topK !== null && !(Number.isInteger(this.topK) && this.topK > 0)) throw new Error(`${owner}: topK must be a positive integer, got ${this.topK}.`);
    this.classId = opts.classId ?? null;
    this.thresholds = opts.thresholds === undefined ? [this.topK === null ? 0.5 : -Infinity] : checkThresholds(owner, opts.thresholds);
    this.counts = zeroCounts(this.thresholds.length);
  }
  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: MetricWeight): void {
    accumulate(this.constructor.name, this.counts, this.thresholds, yTrue, yPred, sampleWeight, { topK: this.topK, classId: this.classId });
  }
  protected abstract rate(t: number): number;
  override resultArray(): number[] {
    return this.thresholds.map((_, t) => this.rate(t));
  }
  result(): number {
    if (this.thresholds.length > 1) throw severalValues(this.constructor.name, 'threshold', 'give one threshold');
    return this.rate(0);
  }
  get truePositives(): number {
    return this.counts.tp[0];
  }
  resetState(): void {
    this.counts = zeroCounts(this.thresholds.length);
  }
  override getConfig() {
    return { name: this.name, thresholds: this.thresholds, topK: this.topK, classId: this.classId };
  }
}

/** precision = TP / (TP + FP), 0 when nothing is predicted positive. Name 'precision'. */
export class Precision extends RateMetric {
  constructor(opts: PrecisionRecallOptions = {}) {
    super(opts, 'precision');
  }
  protected rate(t: number): number {
    return ratio(this.counts.tp[t], this.counts.tp[t] + this.counts.fp[t]);
  }
  get falsePositives(): number {
    return this.counts.fp[0];
  }
}

/** recall = TP / (TP + FN), 0 when there are no positives. Name 'recall'. */
export class Recall extends RateMetric {
  constructor(opts: PrecisionRecallOptions = {}) {
    super(opts, 'recall');
  }
  protected rate(t: number): number {
    return ratio(this.counts.tp[t], this.counts.tp[t] + this.counts.fn[t]);
  }
  get falseNegatives(): number {
    return this.counts.fn[0];
  }
}

metricRegistry.register(['true_positives', 'TruePositives'], (name, c) => new TruePositives({ ...c, name }));
metricRegistry.register(['false_positives', 'FalsePositives'], (name, c) => new FalsePositives({ ...c, name }));
metricRegistry.register(['true_negatives', 'TrueNegatives'], (name, c) => new TrueNegatives({ ...c, name }));
metricRegistry.register(['false_negatives', 'FalseNegatives'], (name, c) => new FalseNegatives({ ...c, name }));
metricRegistry.register(['precision', 'Precision'], (name, c) => new Precision({ ...c, name }));
metricRegistry.register(['recall', 'Recall'], (name, c) => new Recall({ ...c, name }));
