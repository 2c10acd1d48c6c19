// Intersection over union from a weighted confusion matrix cm[true class][predicted class], as Keras 3's IoU family:
//   IoU_c = cm[c][c] / (Σ_row c + Σ_col c − cm[c][c]),  result = mean over targetClassIds with a non-zero denominator.
// Targets and predictions are class indices (sparse), or one-hot / scores reduced by argmax along `axis`.
// ignoreClass drops targets of that class. BinaryIoU thresholds both (≥ threshold → 1).

import type { Tensor } from '../tensor/tensor.js';
import { Metric, metricRegistry, type MetricWeight } from './metric.js';
import { broadcastWeights } from './confusion.js';

export interface IoUOptions {
  /** Number of classes (the matrix is numClasses × numClasses). Required. */
  numClasses: number;
  /** Classes averaged in the result. Required for IoU / OneHotIoU; every class for the Mean forms. */
  targetClassIds?: number[];
  /** Targets of this class are left out. Default none. */
  ignoreClass?: number | null;
  /** Targets are class indices (default true) rather than one-hot / scores. */
  sparseYTrue?: boolean;
  /** Predictions are class indices (default true) rather than scores. */
  sparseYPred?: boolean;
  /** The class axis of non-sparse data. Default −1. */
  axis?: number;
  name?: string;
}

function argmaxAlong(t: Tensor, axis: number): { classes: Float64Array; shape: number[] } {
  const ax = axis < 0 ? t.rank + axis : axis;
  const outer = t.shape.slice(0, ax).reduce((a, b) => a * b, 1);
  const k = t.shape[ax];
  const inner = t.shape.slice(ax + 1).reduce((a, b) => a * b, 1);
  const classes = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (t.data[(o * k + c) * inner + i] > t.data[(o * k + best) * inner + i]) best = c;
      classes[o * inner + i] = best;
    }
  }
  return { classes, shape: [...t.shape.slice(0, ax), ...t.shape.slice(ax + 1)] };
}

export class IoU extends Metric {
  readonly numClasses: number;
  readonly targetClassIds: number[];
  readonly ignoreClass: number | null;
  readonly sparseYTrue: boolean;
  readonly sparseYPred: boolean;
  readonly axis: number;
  private cm: Float64Array;

  constructor(opts: IoUOptions, defaultName = 'iou') {
    super(opts?.name ?? defaultName);
    const owner = new.target.name;
    const k = opts?.numClasses;
    if (!(Number.isInteger(k) && k > 0)) throw new Error(`${owner}: numClasses must be a positive integer, got ${String(k)}.`);
    const ids = opts.targetClassIds ?? Array.from({ length: k }, (_, i) => i);
    if (!Array.isArray(ids) || ids.length === 0 || ids.some((c) => !Number.isInteger(c) || c < 0 || c >= k)) throw new Error(`${owner}: targetClassIds must list classes in 0..${k - 1}, got ${JSON.stringify(opts.targetClassIds)}.`);
    this.numClasses = k;
    this.targetClassIds = ids;
    this.ignoreClass = opts.ignoreClass ?? null;
    this.sparseYTrue = opts.sparseYTrue ?? true;
    this.sparseYPred = opts.sparseYPred ?? true;
    this.axis = opts.axis ?? -1;
    this.cm = new Float64Array(k * k);
  }

  protected classes(yTrue: Tensor, yPred: Tensor): { t: ArrayLike<number>; p: ArrayLike<number>; shape: readonly number[] } {
    const t = this.sparseYTrue ? { classes: yTrue.data, shape: yTrue.shape } : argmaxAlong(yTrue, this.axis);
    const p = this.sparseYPred ? { classes: yPred.data, shape: yPred.shape } : argmaxAlong(yPred, this.axis);
    return { t: t.classes, p: p.classes, shape: p.shape };
  }

  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: MetricWeight): void {
    const { t, p, shape } = this.classes(yTrue, yPred);
    if (t.length !== p.length) throw new Error(`${this.constructor.name}: ${t.length} target classes but ${p.length} predicted classes; check sparseYTrue / sparseYPred.`);
    const w = broadcastWeights(sampleWeight, shape.length ? shape : [p.length], this.constructor.name);
    const k = this.numClasses;
    for (let i = 0; i < t.length; i++) {
      if (t[i] === this.ignoreClass) continue;
      const a = t[i], b = p[i];
      if (!(Number.isInteger(a) && a >= 0 && a < k) || !(Number.isInteger(b) && b >= 0 && b < k)) {
        throw new Error(`${this.constructor.name}: entry ${i} has class ${a} (target) / ${b} (predicted), outside 0..${k - 1}.`);
      }
      this.cm[a * k + b] += w ? w[i] : 1;
    }
  }

  override resultArray(): number[] {
    const k = this.numClasses;
    return this.targetClassIds.map((c) => {
      let row = 0, col = 0;
      for (let j = 0; j < k; j++) (row += this.cm[c * k + j]), (col += this.cm[j * k + c]);
      const tp = this.cm[c * k + c];
      const denominator = row + col - tp;
      return denominator === 0 ? NaN : tp / denominator;
    });
  }

  result(): number {
    const valid = this.resultArray().filter((v) => !Number.isNaN(v));
    return valid.length === 0 ? 0 : valid.reduce((a, b) => a + b, 0) / valid.length;
  }

  resetState(): void {
    this.cm.fill(0);
  }

  /** The weighted confusion matrix, rows = true class, columns = predicted class. */
  get confusionMatrix(): number[][] {
    return Array.from({ length: this.numClasses }, (_, i) => Array.from(this.cm.subarray(i * this.numClasses, (i + 1) * this.numClasses)));
  }

  override getConfig(): Record<string, unknown> {
    const { numClasses, targetClassIds, ignoreClass, sparseYTrue, sparseYPred, axis } = this;
    return { name: this.name, numClasses, targetClassIds, ignoreClass, sparseYTrue, sparseYPred, axis };
  }
}

/** IoU averaged over every class. Name 'mean_iou'. */
export class MeanIoU extends IoU {
  constructor(opts: Omit<IoUOptions, 'targetClassIds'>) {
    super({ ...opts, targetClassIds: undefined }, 'mean_iou');
  }
}

/** IoU of one-hot targets and class scores (argmax along axis). Name 'one_hot_iou'. */
export class OneHotIoU extends IoU {
  constructor(opts: Omit<IoUOptions, 'sparseYTrue' | 'sparseYPred'>) {
    super({ ...opts, sparseYTrue: false, sparseYPred: false }, 'one_hot_iou');
  }
}

/** OneHotIoU averaged over every class. Name 'one_hot_mean_iou'. */
export class OneHotMeanIoU extends IoU {
  constructor(opts: Omit<IoUOptions, 'sparseYTrue' | 'sparseYPred' | 'targetClassIds'>) {
    super({ ...opts, sparseYTrue: false, sparseYPred: false, targetClassIds: undefined }, 'one_hot_mean_iou');
  }
}

/** IoU of binary targets and scores: both ≥ threshold (default 0.5) count as class 1. targetClassIds default [0, 1]. */
export class BinaryIoU extends IoU {
  readonly threshold: number;
  constructor(opts: { targetClassIds?: number[]; threshold?: number; name?: string } = {}) {
    super({ numClasses: 2, targetClassIds: opts.targetClassIds ?? [0, 1], name: opts.name }, 'binary_iou');
    this.threshold = opts.threshold ?? 0.5;
  }
  protected override classes(yTrue: Tensor, yPred: Tensor) {
    const cut = (t: Tensor) => Float64Array.from(t.data, (v) => (v >= this.threshold ? 1 : 0));
    return { t: cut(yTrue), p: cut(yPred), shape: yPred.shape };
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, targetClassIds: this.targetClassIds, threshold: this.threshold };
  }
}

const needsClasses = (cls: string) => new Error(`${cls} needs \`numClasses\`, e.g. new metrics.${cls}({ numClasses: 3 }); a name alone cannot build it.`);
metricRegistry.register(['iou', 'IoU'], (name, c) => {
  if (!c?.numClasses) throw needsClasses('IoU');
  return new IoU({ ...(c as IoUOptions), name });
});
metricRegistry.register(['mean_iou', 'MeanIoU'], (name, c) => {
  if (!c?.numClasses) throw needsClasses('MeanIoU');
  return new MeanIoU({ ...(c as IoUOptions), name });
});
metricRegistry.register(['one_hot_iou', 'OneHotIoU'], (name, c) => {
  if (!c?.numClasses) throw needsClasses('OneHotIoU');
  return new OneHotIoU({ ...(c as IoUOptions), name });
});
metricRegistry.register(['one_hot_mean_iou', 'OneHotMeanIoU'], (name, c) => {
  if (!c?.numClasses) throw needsClasses('OneHotMeanIoU');
  return new OneHotMeanIoU({ ...(c as IoUOptions), name });
});
metricRegistry.register(['binary_iou', 'BinaryIoU'], (name, c) => new BinaryIoU({ ...c, name }));
