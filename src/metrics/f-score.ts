// F-beta and F1 scores per class from 2-D one-hot (or multi-label) targets, as Keras 3's FBetaScore / F1Score:
//   F_β = (1 + β²)·P·R / (β²·P + R), P = TP/(TP + FP + ε), R = TP/(TP + FN + ε) per class (ε = 1e-7 in each ratio)
// threshold null: each row's largest prediction(s) count 1, the rest 0; else p > threshold. average null keeps one
// score per class (resultArray()), 'micro' pools every entry, 'macro' averages the classes, 'weighted' weights them
// by their (sample-weighted) number of true labels.

import type { Tensor } from '../tensor/tensor.js';
import { Metric, metricRegistry, severalValues, type MetricWeight } from './metric.js';
import { alignTargets } from '../losses/loss.js';

const EPS = 1e-7;
export type FScoreAverage = 'micro' | 'macro' | 'weighted' | null;

export interface FBetaScoreOptions {
  /** null (default: one score per class), 'micro', 'macro' or 'weighted'. */
  average?: FScoreAverage;
  /** β > 0: recall counts β times as much as precision. Default 1. */
  beta?: number;
  /** Predictions above it count positive, in (0, 1]; null (default) takes each row's largest. */
  threshold?: number | null;
  name?: string;
}

export class FBetaScore extends Metric {
  readonly average: FScoreAverage;
  readonly beta: number;
  readonly threshold: number | null;
  private tp: Float64Array | null = null;
  private fp: Float64Array | null = null;
  private fn: Float64Array | null = null;
  private support: Float64Array | null = null;

  constructor(opts: FBetaScoreOptions = {}, defaultName = 'fbeta_score') {
    super(opts.name ?? defaultName);
    const average = opts.average ?? null;
    if (average !== null && average !== 'micro' && average !== 'macro' && average !== 'weighted') {
      throw new Error(`${new.target.name}: Invalid \`average\` argument value. Expected one of: {null, 'micro', 'macro', 'weighted'}. Received: average=${average}`);
    }
    const beta = opts.beta ?? 1;
    if (typeof beta !== 'number' || !(beta > 0)) throw new Error(`${new.target.name}: Invalid \`beta\` argument value. It should be > 0. Received: beta=${beta}`);
    const threshold = opts.threshold ?? null;
    if (threshold !== null && (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1))) {
      throw new Error(`${new.target.name}: Invalid \`threshold\` argument value. It should verify 0 < threshold <= 1. Received: threshold=${threshold}`);
    }
    this.average = average;
    this.beta = beta;
    this.threshold = threshold;
  }

  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: MetricWeight): void {
    const y = alignTargets(yTrue, yPred, false);
    if (yPred.rank !== 2 || y.rank !== 2 || y.shape[1] !== yPred.shape[1]) {
      throw new Error(`${this.constructor.name} expects 2D inputs with shape (batch_size, output_dim). Received input shapes: y_pred.shape=[${yPred.shape.join(', ')}] and y_true.shape=[${y.shape.join(', ')}].`);
    }
    const [n, d] = yPred.shape;
    const slots = this.average === 'micro' ? 1 : d;
    if (!this.tp) [this.tp, this.fp, this.fn, this.support] = [0, 0, 0, 0].map(() => new Float64Array(slots));
    if (this.average !== 'micro' && this.tp.length !== d) throw new Error(`${this.constructor.name}: the output has ${d} columns, earlier batches had ${this.tp.length}.`);
    const w = sampleWeight ?? null;
    for (let i = 0; i < n; i++) {
      let top = -Infinity;
      for (let j = 0; j < d; j++) top = Math.max(top, yPred.data[i * d + j]);
      for (let j = 0; j < d; j++) {
        const v = yPred.data[i * d + j];
        const pred = this.threshold === null ? (v >= top ? 1 : 0) : v > this.threshold ? 1 : 0;
        const t = y.data[i * d + j];
        const wi = w === null ? 1 : typeof w === 'number' ? w : w.size === n ? w.data[i] : w.data[i * d + j];
        const s = this.average === 'micro' ? 0 : j;
        this.tp[s] += pred * t * wi;
        this.fp![s] += pred * (1 - t) * wi;
        this.fn![s] += (1 - pred) * t * wi;
        this.support![s] += t * wi;
      }
    }
  }

  override resultArray(): number[] {
    if (!this.tp) return [0];
    const b2 = this.beta * this.beta;
    const scores = Array.from(this.tp, (tp, s) => {
      const precision = tp / (tp + this.fp![s] + EPS);
      const recall = tp / (tp + this.fn![s] + EPS);
      return ((1 + b2) * precision * recall) / (b2 * precision + recall + EPS);
    });
    if (this.average === null) return scores;
    if (this.average === 'weighted') {
      const total = this.support!.reduce((a, b) => a + b, 0);
      return [scores.reduce((a, f, s) => a + (f * this.support![s]) / (total + EPS), 0)];
    }
    return [scores.reduce((a, b) => a + b, 0) / scores.length];
  }

  result(): number {
    if (this.average === null) throw severalValues(this.constructor.name, 'class (average null)', "choose average 'macro', 'micro' or 'weighted'");
    return this.resultArray()[0];
  }

  resetState(): void {
    this.tp = this.fp = this.fn = this.support = null;
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, average: this.average, beta: this.beta, threshold: this.threshold };
  }
}

/** FBetaScore with β = 1: the harmonic mean of precision and recall. Name 'f1_score'. */
export class F1Score extends FBetaScore {
  constructor(opts: Omit<FBetaScoreOptions, 'beta'> = {}) {
    super({ ...opts, beta: 1 }, 'f1_score');
  }
  override getConfig(): Record<string, unknown> {
    const { beta: _beta, ...rest } = super.getConfig();
    return rest;
  }
}

metricRegistry.register(['fbeta_score', 'FBetaScore'], (name, c) => new FBetaScore({ ...c, name }));
metricRegistry.register(['f1_score', 'F1Score'], (name, c) => new F1Score({ ...c, name }));
