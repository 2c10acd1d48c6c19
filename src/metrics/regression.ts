// Regression metrics with Keras 3's names and defaults (keras/src/metrics/regression_metrics.py).

import { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/tape.js';
import { Metric, MeanMetricWrapper, metricRegistry, perSampleFromLoss, severalValues, type MetricWeight } from './metric.js';
import { alignTargets } from '../losses/loss.js';
import { platform } from '../platform/node.js';
import { MeanSquaredError as MseLoss, MeanAbsoluteError as MaeLoss, MeanAbsolutePercentageError as MapeLoss, MeanSquaredLogarithmicError as MsleLoss, LogCosh, cosineSimilarity } from '../losses/regression.js';

const fromLoss = (loss: { perSampleLoss(y: Tensor, p: Tensor): Tensor }) => perSampleFromLoss((y, p) => loss.perSampleLoss(y, p));

/** mean((y − p)²), weighted by sample. Name 'mean_squared_error'. */
export class MeanSquaredError extends MeanMetricWrapper {
  constructor(opts: { name?: string } = {}) {
    super(opts.name ?? 'mean_squared_error', fromLoss(new MseLoss()));
  }
}

/** mean(|y − p|). Name 'mean_absolute_error'. */
export class MeanAbsoluteError extends MeanMetricWrapper {
  constructor(opts: { name?: string } = {}) {
    super(opts.name ?? 'mean_absolute_error', fromLoss(new MaeLoss()));
  }
}

/** 100 · mean(|y − p| / max(|y|, ε)). Name 'mean_absolute_percentage_error'. */
export class MeanAbsolutePercentageError extends MeanMetricWrapper {
  constructor(opts: { name?: string } = {}) {
    super(opts.name ?? 'mean_absolute_percentage_error', fromLoss(new MapeLoss()));
  }
}

/** mean((log(p + 1) − log(y + 1))²). Name 'mean_squared_logarithmic_error'. */
export class MeanSquaredLogarithmicError extends MeanMetricWrapper {
  constructor(opts: { name?: string } = {}) {
    super(opts.name ?? 'mean_squared_logarithmic_error', fromLoss(new MsleLoss()));
  }
}

/** mean(log(cosh(p − y))). Name 'logcosh' (Keras 3's LogCoshError; resolves as 'log_cosh_error' too). */
export class LogCoshError extends MeanMetricWrapper {
  constructor(opts: { name?: string } = {}) {
    super(opts.name ?? 'logcosh', fromLoss(new LogCosh()));
  }
}

/**
 * Cosine similarity Σ ŷ·p̂ along `axis` (x̂ = x / √max(Σx², 1e-12)), averaged over samples: +1 for identical directions.
 * The loss of the same name is its negative (what training minimises). Name 'cosine_similarity', axis −1.
 */
export class CosineSimilarity extends MeanMetricWrapper {
  readonly axis: number;
  constructor(opts: { name?: string; axis?: number } = {}) {
    const axis = opts.axis ?? -1;
    super(opts.name ?? 'cosine_similarity', (y, p) => noGrad(() => cosineSimilarity(y, p, axis)).data);
    this.axis = axis;
  }
  override getConfig() {
    return { name: this.name, axis: this.axis };
  }
}

/** √(Σ w·(y − p)² / Σ w) over every entry. Name 'root_mean_squared_error'. */
export class RootMeanSquaredError extends MeanMetricWrapper {
  constructor(opts: { name?: string } = {}) {
    super(opts.name ?? 'root_mean_squared_error', (y, p) => p.data.map((v, i) => (v - y.data[i]) ** 2));
  }
  override result(): number {
    return Math.sqrt(super.result());
  }
}

export type R2Aggregation = 'uniform_average' | 'variance_weighted_average' | null;

/**
 * Coefficient of determination per output column, R² = 1 − Σw(y − p)² / Σw(y − ȳ)², from 2-D targets and predictions;
 * classAggregation 'uniform_average' (default) averages the columns, 'variance_weighted_average' weights them by
 * their variance, null keeps one per column (resultArray()). numRegressors k > 0 adjusts:
 * 1 − (1 − R²)(n − 1)/(n − k − 1), n the number of entries seen. A column with zero variance scores 0. (Keras R2Score.)
 */
export class R2Score extends Metric {
  readonly classAggregation: R2Aggregation;
  readonly numRegressors: number;
  private sum: Float64Array | null = null;
  private squaredSum: Float64Array | null = null;
  private totalMse: Float64Array | null = null;
  private count: Float64Array | null = null;
  private numSamples = 0;
  constructor(opts: { name?: string; classAggregation?: R2Aggregation; numRegressors?: number } = {}) {
    super(opts.name ?? 'r2_score');
    const agg = opts.classAggregation === undefined ? 'uniform_average' : opts.classAggregation;
    if (agg !== null && agg !== 'uniform_average' && agg !== 'variance_weighted_average') {
      throw new Error(`R2Score: invalid value for argument \`class_aggregation\`: '${agg}'. Expected one of 'uniform_average', 'variance_weighted_average', null.`);
    }
    const k = opts.numRegressors ?? 0;
    if (!Number.isInteger(k) || k < 0) throw new Error(`R2Score: invalid value for argument \`num_regressors\`: ${k}. Expected an integer >= 0.`);
    this.classAggregation = agg;
    this.numRegressors = k;
  }
  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: MetricWeight): void {
    const y = alignTargets(yTrue, yPred, false);
    if (y.rank !== 2 || yPred.rank !== 2 || y.shape[1] !== yPred.shape[1]) {
      throw new Error(`R2Score expects 2D inputs with shape (batch_size, output_dim). Received input shapes: y_pred.shape=[${yPred.shape.join(', ')}] and y_true.shape=[${y.shape.join(', ')}].`);
    }
    const [n, d] = yPred.shape;
    if (!this.sum) [this.sum, this.squaredSum, this.totalMse, this.count] = [0, 0, 0, 0].map(() => new Float64Array(d));
    if (this.sum.length !== d) throw new Error(`R2Score: the output has ${d} columns, earlier batches had ${this.sum.length}.`);
    const w = sampleWeight ?? 1;
    const weightAt = (i: number, j: number) => (typeof w === 'number' ? w : w.size === 1 ? w.data[0] : w.size === n ? w.data[i] : w.data[i * d + j]);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const wij = weightAt(i, j);
        const t = y.data[i * d + j];
        const e = t - yPred.data[i * d + j];
        this.sum[j] += t * wij;
        this.squaredSum![j] += t * t * wij;
        this.totalMse![j] += e * e * wij;
        this.count![j] += wij;
      }
    }
    this.numSamples += n * d;
  }
  override resultArray(): number[] {
    if (!this.sum) return [0];
    const raw = Array.from(this.sum, (s, j) => {
      const total = this.squaredSum![j] - (s * s) / this.count![j];
      const r = 1 - this.totalMse![j] / total;
      return Number.isFinite(r) ? r : 0;
    });
    const totals = Array.from(this.sum, (s, j) => this.squaredSum![j] - (s * s) / this.count![j]);
    let scores: number[] = raw;
    if (this.classAggregation === 'uniform_average') scores = [raw.reduce((a, b) => a + b, 0) / raw.length];
    else if (this.classAggregation === 'variance_weighted_average') scores = [raw.reduce((a, r, j) => a + r * totals[j], 0) / totals.reduce((a, b) => a + b, 0)];
    const k = this.numRegressors, n = this.numSamples;
    if (k === 0) return scores;
    if (k >= n - 1) {
      platform.warn(`R2Score: more regressors (${k}) than samples allow (${n}); the adjusted score is not computed.`);
      return scores;
    }
    return scores.map((r) => 1 - ((1 - r) * (n - 1)) / (n - k - 1));
  }
  result(): number {
    if (this.classAggregation === null) throw severalValues('R2Score', 'output column (classAggregation null)', "choose classAggregation 'uniform_average' or 'variance_weighted_average'");
    return this.resultArray()[0];
  }
  resetState(): void {
    this.sum = this.squaredSum = this.totalMse = this.count = null;
    this.numSamples = 0;
  }
  override getConfig() {
    return { name: this.name, classAggregation: this.classAggregation, numRegressors: this.numRegressors };
  }
}

metricRegistry.register(['mean_squared_error', 'MeanSquaredError', 'mse'], (name) => new MeanSquaredError({ name }));
metricRegistry.register(['mean_absolute_error', 'MeanAbsoluteError', 'mae'], (name) => new MeanAbsoluteError({ name }));
metricRegistry.register(['mean_absolute_percentage_error', 'MeanAbsolutePercentageError', 'mape'], (name) => new MeanAbsolutePercentageError({ name }));
metricRegistry.register(['mean_squared_logarithmic_error', 'MeanSquaredLogarithmicError', 'msle'], (name) => new MeanSquaredLogarithmicError({ name }));
metricRegistry.register(['log_cosh_error', 'LogCoshError', 'logcosh', 'log_cosh'], (name) => new LogCoshError({ name }));
metricRegistry.register(['cosine_similarity', 'CosineSimilarity'], (name, c) => new CosineSimilarity({ ...c, name }));
metricRegistry.register(['root_mean_squared_error', 'RootMeanSquaredError', 'rmse'], (name) => new RootMeanSquaredError({ name }));
metricRegistry.register(['r2_score', 'R2Score'], (name, c) => new R2Score({ ...c, name }));
