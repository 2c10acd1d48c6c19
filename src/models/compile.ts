// compile(): losses, loss weights, metrics and the optimizer resolved in one place, per model output (Keras 3's
// CompileLoss / CompileMetrics). The training loop reads the result; it never resolves names itself.

import { getLoss, type Loss, type LossIdentifier } from '../losses/index.js';
import { getMetric, type Metric, type MetricIdentifier } from '../metrics/index.js';
import { getOptimizer, type Optimizer } from '../optimizers/index.js';
import type { SymbolicShape } from '../layers/layer.js';

/** One value, a list with one entry per output, or an object keyed by output name (Keras's forms). */
export type PerOutput<T> = T | T[] | Record<string, T>;

export interface CompileOptions {
  /**
   * Loss name ('binary_crossentropy', 'mse', ...), Loss object or function (yTrue, yPred) => per-sample tensor.
   * With several outputs: one loss for all, a list (one per output) or an object keyed by output name.
   */
  loss: PerOutput<LossIdentifier>;
  /** Optimizer name with Keras defaults ('adam', 'sgd', ...) or an instance (new Adam({ learningRate: 0.01 })). Default 'rmsprop', as Keras. */
  optimizer?: string | Optimizer | { className: string; config?: Record<string, unknown> };
  /** Weight of each output's loss in the total (a list or an object keyed by output name; default 1 each). */
  lossWeights?: number[] | Record<string, number>;
  /**
   * Metrics to report: 'accuracy', 'mse', 'auc', Metric objects or functions. They ignore sample and class weights,
   * as Keras. With several outputs: a list of lists (one per output) or an object keyed by output name.
   */
  metrics?: MetricIdentifier[] | MetricIdentifier[][] | Record<string, MetricIdentifier | MetricIdentifier[]>;
  /** Metrics computed with the sample and class weights (Keras's weighted_metrics); same forms as metrics. */
  weightedMetrics?: CompileOptions['metrics'];
}

export const COMPILE_OPTIONS = ['loss', 'optimizer', 'lossWeights', 'metrics', 'weightedMetrics'];

/** A compiled metric: its log key, the output it watches and whether it sees sample weights. */
export interface CompiledMetric {
  key: string;
  output: number;
  metric: Metric;
  weighted: boolean;
}

/** One model output as compiled: its name, loss, loss weight and metric identifiers. */
export interface CompiledOutput {
  name: string;
  loss: Loss;
  lossWeight: number;
  metrics: MetricIdentifier[];
  weightedMetrics: MetricIdentifier[];
}

/** The result of compile: what the training loop needs, independent of the model class. */
export class Compiled {
  constructor(
    readonly optimizer: Optimizer,
    readonly outputs: CompiledOutput[],
    private readonly outputShapes: () => SymbolicShape[],
  ) {}

  /** Log keys of the per-output losses ('out1_loss', ...): only with several outputs, as Keras 3. */
  get outputLossKeys(): string[] {
    return this.outputs.length > 1 ? this.outputs.map((o) => `${o.name}_loss`) : [];
  }

  /**
   * Fresh metric objects with their log keys. One output: Keras's names (accuracy, a weighted duplicate
   * weighted_accuracy); several: prefixed by the output name (out1_accuracy), as Keras 3.
   */
  createMetrics(): CompiledMetric[] {
    const shapes = this.outputShapes();
    const out: CompiledMetric[] = [];
    for (const weighted of [false, true]) {
      this.outputs.forEach((o, i) => {
        for (const m of weighted ? o.weightedMetrics : o.metrics) out.push({ key: '', output: i, metric: resolveMetric(m, o.loss, shapes[i]), weighted });
      });
    }
    const used = new Set<string>(['loss', ...this.outputLossKeys]);
    for (const m of out) {
      const base = this.outputs.length > 1 ? `${this.outputs[m.output].name}_${m.metric.name}` : m.metric.name;
      let key = base;
      if (used.has(key) && m.weighted) key = this.outputs.length > 1 ? `${this.outputs[m.output].name}_weighted_${m.metric.name}` : `weighted_${key}`;
      for (let i = 1; used.has(key); i++) key = `${base}_${i}`;
      used.add(key);
      m.key = key;
    }
    return out;
  }

  /** Every key the loop logs, in Keras 3's order: loss, metrics, then the per-output losses. */
  logKeys(): string[] {
    return ['loss', ...this.createMetrics().map((m) => m.key), ...this.outputLossKeys];
  }
}

/** The one place metric identifiers are resolved ('accuracy' is decided by src/metrics from the output's shapes). */
function resolveMetric(identifier: MetricIdentifier, loss: Loss, outputShape: SymbolicShape): Metric {
  return getMetric(identifier, loss, outputShape ?? [null, 1]);
}

/** Spread a per-output option over the outputs; errors name the option and the valid output names. */
function perOutput<T>(what: string, value: PerOutput<T> | undefined, names: readonly string[], isOne: (v: unknown) => boolean, fallback: (name: string) => T): T[] {
  if (value === undefined || value === null) return names.map(fallback);
  if (isOne(value)) return names.map(() => value as T);
  if (Array.isArray(value)) {
    if (value.length !== names.length) throw new Error(`compile: ${what} has ${value.length} entries but the model has ${names.length} outputs (${names.join(', ')}); give one per output or an object keyed by output name.`);
    return value;
  }
  const obj = value as Record<string, T>;
  for (const key of Object.keys(obj)) {
    if (!names.includes(key)) throw new Error(`compile: ${what} names '${key}', which is not an output of the model. Outputs: ${names.join(', ')}.`);
  }
  return names.map((n) => (n in obj ? obj[n] : fallback(n)));
}

const isLossOne = (v: unknown) => typeof v === 'string' || typeof v === 'function' || (typeof v === 'object' && v !== null && !Array.isArray(v) && 'perSampleLoss' in v);

/** Metrics option: a flat list for one output; a list of lists or an object for several (Keras 3 refuses a flat list there). */
function metricLists(what: string, value: CompileOptions['metrics'], names: readonly string[]): MetricIdentifier[][] {
  if (value === undefined || value === null) return names.map(() => []);
  if (Array.isArray(value)) {
    if (names.length === 1) {
      if (value.length === 1 && Array.isArray(value[0])) return [value[0] as MetricIdentifier[]];
      if (value.some((v) => Array.isArray(v))) throw new Error(`compile: ${what} must be a list of metrics, e.g. ['accuracy'].`);
      return [value as MetricIdentifier[]];
    }
    if (value.length !== names.length || !value.every((v) => Array.isArray(v))) {
      throw new Error(`compile: the model has ${names.length} outputs (${names.join(', ')}): give ${what} as a list of ${names.length} lists (one per output) or an object keyed by output name, e.g. { ${names[0]}: ['accuracy'] }.`);
    }
    return value as MetricIdentifier[][];
  }
  if (typeof value !== 'object') throw new Error(`compile: ${what} must be an array, e.g. ['accuracy'].`);
  const lists = perOutput<MetricIdentifier | MetricIdentifier[]>(what, value as Record<string, MetricIdentifier[]>, names, () => false, () => []);
  return lists.map((l) => (Array.isArray(l) ? l : [l]));
}

/**
 * Resolve compile options for a model with the given outputs. Everything is checked before the model changes:
 * unknown output names, an output without a loss, list lengths, unknown loss / metric / optimizer names.
 */
export function compileOptions(options: CompileOptions, outputNames: readonly string[], outputShapes: () => SymbolicShape[]): Compiled {
  if (!options || options.loss === undefined || options.loss === null) throw new Error("compile needs a loss, e.g. model.compile({ loss: 'binary_crossentropy', optimizer: 'adam' }).");
  const losses = perOutput<LossIdentifier | undefined>('loss', options.loss, outputNames, isLossOne, () => undefined).map((l, i) => {
    if (l === undefined || l === null) throw new Error(`compile: output '${outputNames[i]}' has no loss; give a loss for every output (outputs: ${outputNames.join(', ')}).`);
    return getLoss(l);
  });
  const weights = perOutput<number>('lossWeights', options.lossWeights, outputNames, (v) => typeof v === 'number', () => 1);
  weights.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new Error(`compile: lossWeights for output '${outputNames[i]}' must be a finite number >= 0, got ${JSON.stringify(w)}.`);
  });
  const metrics = metricLists('metrics', options.metrics, outputNames);
  const weightedMetrics = metricLists('weightedMetrics', options.weightedMetrics, outputNames);
  const optimizer = getOptimizer(options.optimizer ?? 'rmsprop');
  const compiled = new Compiled(
    optimizer,
    outputNames.map((name, i) => ({ name, loss: losses[i], lossWeight: weights[i], metrics: metrics[i], weightedMetrics: weightedMetrics[i] })),
    outputShapes,
  );
  compiled.createMetrics(); // unknown metric names fail here, at compile time
  return compiled;
}
