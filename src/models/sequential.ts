// Sequential: a linear stack of layers with Keras's compile / fit / evaluate / predict / summary / weights API.

import { Tensor, type NestedArray, type TensorLike } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { formatShape } from '../tensor/shape.js';
import { noGrad } from '../autograd/tape.js';
import { Layer, type SymbolicShape } from '../layers/layer.js';
import { InputLayer } from '../layers/core.js';
import { getLoss, type Loss, type LossIdentifier } from '../losses/index.js';
import { getMetric, type Metric, type MetricIdentifier, metricRegistry } from '../metrics/index.js';
import { lossRegistry } from '../losses/index.js';
import { normalizeName } from '../registry.js';
import { getOptimizer, Optimizer } from '../optimizers/index.js';
import { summaryTable } from './summary.js';
import { CapturedStep } from '../autograd/capture.js';
import { fitLoop, evaluateLoop, checkOptionNames, lossAndPredictions, type FitOptions, type EvaluateOptions } from './training.js';
import type { History } from '../callbacks/history.js';
import type { BatchSource } from '../data/dataset.js';
import { toTensor, checkFinite, sliceRows } from './data-checks.js';
import { platform } from '../platform/node.js';

export interface CompileOptions {
  /** Loss name ('binary_crossentropy', 'mse', ...), Loss object or function (yTrue, yPred) => per-sample tensor. */
  loss: LossIdentifier;
  /** Optimizer name with Keras defaults ('adam', 'sgd', ...) or an instance (new Adam({ learningRate: 0.01 })). Default 'rmsprop', as Keras. */
  optimizer?: string | Optimizer | { className: string; config?: Record<string, unknown> };
  /** Metrics to report: 'accuracy', 'mse', 'auc', Metric objects or functions. As Keras, they ignore sample and class weights. */
  metrics?: MetricIdentifier[];
  /** Metrics computed with the sample and class weights (Keras's weighted_metrics); a name already in metrics is logged as weighted_<name>. */
  weightedMetrics?: MetricIdentifier[];
}

/** A compiled metric: its log key and whether it sees sample weights. */
export interface CompiledMetric {
  key: string;
  metric: Metric;
  weighted: boolean;
}

let sequentialCount = 0;

export class Sequential {
  readonly className = 'Sequential';
  name: string;
  layers: Layer[] = [];
  optimizer: Optimizer | null = null;
  loss: Loss | null = null;
  metricIdentifiers: MetricIdentifier[] = [];
  weightedMetricIdentifiers: MetricIdentifier[] = [];
  /** The History of the latest fit (Keras's model.history), null before the first fit. */
  history: History | null = null;
  /** Set by a callback (e.g. EarlyStopping) to end fit after the current batch. */
  stopTraining = false;
  /** The declared input (Input() / InputLayer), kept apart from `layers` as in Keras 3 and TF.js. */
  inputLayer: InputLayer | null = null;
  /**
   * Capture each train, test and predict step on its first batch of a shape and replay it after (default true).
   * false runs every step eagerly through the same ops, as Keras's run_eagerly: slower, for debugging.
   */
  fastPath = true;
  private steps: { train?: { step: CapturedStep; weights: Variable[]; flags: boolean[] }; test?: CapturedStep; predict?: CapturedStep } = {};
  private built = false;
  private batchInputShape: SymbolicShape | null = null;
  private outputShapes: SymbolicShape[] = [];

  constructor(args: { layers?: Layer[]; name?: string } | Layer[] = {}) {
    const options = Array.isArray(args) ? { layers: args } : args;
    this.name = options.name ?? (sequentialCount++ === 0 ? 'sequential' : `sequential_${sequentialCount - 1}`);
    for (const layer of options.layers ?? []) this.add(layer);
  }

  /** Append a layer; the model builds as soon as the input shape is known. */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) throw new Error(`Sequential.add expects a Layer (e.g. new Dense(8)), got ${layer === null ? 'null' : typeof layer}.`);
    if (layer instanceof InputLayer) {
      // As Keras 3 and TF.js: the input declares the shape but is not one of model.layers.
      if (this.layers.length || this.inputLayer) throw new Error('An InputLayer/Input can only be the first layer of a Sequential model.');
      (layer as unknown as { ensureName(): void }).ensureName();
      this.inputLayer = layer;
      this.batchInputShape = layer.batchInputShape;
      return;
    }
    if (this.layers.length === 0 && layer.batchInputShape && !this.inputLayer) this.batchInputShape = layer.batchInputShape;
    (layer as unknown as { ensureName(): void }).ensureName();
    if (this.layers.some((l) => l.name === layer.name)) throw new Error(`Layer name '${layer.name}' is already used in model '${this.name}'; layer names must be unique.`);
    this.layers.push(layer);
    this.steps = {};
    if (this.batchInputShape) this.build(this.batchInputShape);
  }

  /** Remove the last layer. */
  pop(): void {
    if (!this.layers.length) throw new Error('Sequential.pop: the model has no layers.');
    this.layers.pop();
    this.outputShapes.pop();
    this.steps = {};
  }

  /** Build every layer for an input shape (batch dimension first, may be null). */
  build(batchInputShape: SymbolicShape): void {
    let shape = batchInputShape;
    this.outputShapes = [];
    for (const layer of this.layers) {
      if (!layer.built) {
        (layer as unknown as { ensureName(): void }).ensureName();
        layer.build(shape);
      }
      shape = layer.computeOutputShape(shape);
      this.outputShapes.push(shape);
    }
    this.batchInputShape = batchInputShape;
    this.built = this.layers.length > 0;
    this.steps = {};
  }

  get inputShape(): SymbolicShape | null {
    return this.batchInputShape;
  }

  get outputShape(): SymbolicShape | null {
    return this.outputShapes[this.outputShapes.length - 1] ?? null;
  }

  get isBuilt(): boolean {
    return this.built;
  }

  /** All weights in Keras order: per layer, kernel then bias. */
  get weights(): Variable[] {
    return this.layers.flatMap((l) => l.weights);
  }

  get trainableWeights(): Variable[] {
    return this.layers.flatMap((l) => l.trainableWeights);
  }

  get nonTrainableWeights(): Variable[] {
    return this.layers.flatMap((l) => l.nonTrainableWeights);
  }

  getLayer(nameOrIndex: string | number): Layer {
    const layer = typeof nameOrIndex === 'number' ? this.layers[nameOrIndex] : this.layers.find((l) => l.name === nameOrIndex);
    if (!layer) throw new Error(`No layer ${JSON.stringify(nameOrIndex)} in model '${this.name}'. Layers: ${this.layers.map((l) => l.name).join(', ')}.`);
    return layer;
  }

  compile(options: CompileOptions): void {
    if (!options || options.loss === undefined) throw new Error("compile needs a loss, e.g. model.compile({ loss: 'binary_crossentropy', optimizer: 'adam' }).");
    checkOptionNames('compile', options, ['loss', 'optimizer', 'metrics', 'weightedMetrics']);
    for (const key of ['metrics', 'weightedMetrics'] as const) {
      if (options[key] !== undefined && !Array.isArray(options[key])) throw new Error(`compile: ${key} must be an array, e.g. ['accuracy'].`);
    }
    const loss = getLoss(options.loss);
    const optimizer = getOptimizer(options.optimizer ?? 'rmsprop');
    for (const m of [...(options.metrics ?? []), ...(options.weightedMetrics ?? [])]) {
      if (typeof m !== 'string') continue;
      const key = normalizeName(m);
      if (!['accuracy', 'acc', 'crossentropy', 'ce'].includes(key) && !metricRegistry.has(m) && !lossRegistry.has(m)) {
        throw new Error(`Unknown metric '${m}'. Valid names: accuracy, ${[...metricRegistry.names(), ...lossRegistry.names()].join(', ')}.`);
      }
    }
    this.loss = loss;
    this.optimizer = optimizer;
    this.steps = {};
    this.metricIdentifiers = [...(options.metrics ?? [])];
    this.weightedMetricIdentifiers = [...(options.weightedMetrics ?? [])];
  }

  /** Metric objects for the current output shape (fresh state). */
  createMetrics(): Metric[] {
    return this.compiledMetrics().map((m) => m.metric);
  }

  /** Metrics with their log keys, plain ones first (Keras names a weighted duplicate weighted_<name>). */
  compiledMetrics(): CompiledMetric[] {
    if (!this.loss) throw new Error('The model must be compiled before use.');
    const make = (m: MetricIdentifier) => getMetric(m, this.loss!, this.outputShape ?? [null, 1]);
    const out: CompiledMetric[] = this.metricIdentifiers.map((m) => ({ key: '', metric: make(m), weighted: false }));
    out.push(...this.weightedMetricIdentifiers.map((m) => ({ key: '', metric: make(m), weighted: true })));
    const used = new Set<string>(['loss']);
    for (const m of out) {
      let key = m.metric.name;
      if (used.has(key) && m.weighted) key = `weighted_${key}`;
      for (let i = 1; used.has(key); i++) key = `${m.metric.name}_${i}`;
      used.add(key);
      m.key = key;
    }
    return out;
  }

  /** The captured training step (recaptured when the trainable weights change), or null when fastPath is off. */
  capturedTrainStep(): CapturedStep | null {
    if (!this.fastPath) return null;
    const t = this.steps.train;
    // Freezing or unfreezing a layer flips its weights' requiresGrad: checked without allocating.
    if (t && t.weights.every((v, i) => v.requiresGrad === t.flags[i])) return t.step;
    const weights = this.weights;
    const step = new CapturedStep(([x, y, w]) => lossAndPredictions(this, x!, y!, w, true), this.trainableWeights);
    this.steps.train = { step, weights, flags: weights.map((v) => v.requiresGrad) };
    return step;
  }

  /** The captured evaluation step (loss with penalties and predictions, no gradients). */
  capturedTestStep(): CapturedStep | null {
    if (!this.fastPath) return null;
    return (this.steps.test ??= new CapturedStep(([x, y, w]) => lossAndPredictions(this, x!, y!, w, false)));
  }

  /** Forward pass through every layer. training enables Dropout. */
  call(x: Tensor, training = false): Tensor {
    if (!this.built) this.build([null, ...x.shape.slice(1)]);
    let out = x;
    for (const layer of this.layers) out = layer.apply(out, training);
    return out;
  }

  /** Regularization penalties of the last forward pass. */
  get losses(): Tensor[] {
    return this.layers.flatMap((l) => l.losses);
  }

  /** Check x against the model's input shape (building it from x when unknown), with both shapes in the message. */
  checkInput(x: Tensor, what = 'x'): void {
    if (!this.layers.length) throw new Error(`Model '${this.name}' has no layers: add layers before training or predicting.`);
    if (!this.built) this.build([null, ...x.shape.slice(1)]);
    const expected = this.batchInputShape!;
    const ok = x.rank === expected.length && expected.every((d, i) => i === 0 || d === null || d === x.shape[i]);
    if (!ok) {
      const want = `[*, ${expected.slice(1).map((d) => (d === null ? '*' : d)).join(', ')}]`;
      throw new Error(`${what} has shape ${formatShape(x.shape)} but model '${this.name}' expects inputs of shape ${want} (first layer '${this.layers[0].name}').`);
    }
  }

  fit(x: TensorLike | BatchSource, y?: TensorLike, options: FitOptions = {}): Promise<History> {
    return fitLoop(this, x, y, options);
  }

  /** Loss then metrics (Keras order); a single number when there are no metrics. */
  evaluate(x: TensorLike | BatchSource, y: TensorLike | undefined, options: EvaluateOptions & { returnDict: true }): Promise<Record<string, number>>;
  evaluate(x: TensorLike | BatchSource, y?: TensorLike, options?: EvaluateOptions): Promise<number[] | number>;
  evaluate(x: TensorLike | BatchSource, y?: TensorLike, options: EvaluateOptions = {}): Promise<number[] | number | Record<string, number>> {
    return evaluateLoop(this, x, y, options);
  }

  /** Predictions for x, computed in batches without recording gradients. Synchronous, as in Keras and TF.js. */
  predict(x: TensorLike, options: { batchSize?: number; verbose?: number } = {}): Tensor {
    checkOptionNames('predict', options, ['batchSize', 'verbose']);
    options ??= {};
    const input = toTensor(x, 'x');
    checkFinite(input, 'x');
    this.checkInput(input);
    const batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize <= 0) throw new Error(`predict: batchSize must be a positive integer, got ${batchSize}.`);
    const n = input.shape[0];
    const step = this.fastPath ? (this.steps.predict ??= new CapturedStep(([t]) => ({ outputs: [this.call(t!, false)] }))) : null;
    return noGrad(() => {
      const forward = (t: Tensor) => (step ? step.run([t]).outputs[0] : this.call(t, false));
      if (n <= batchSize) return forward(input).clone();
      const parts: Tensor[] = [];
      let out: Float32Array | null = null;
      let shape: number[] = [];
      for (let start = 0; start < n; start += batchSize) {
        const part = forward(sliceRows(input, start, Math.min(n, start + batchSize)));
        const rowSize = part.size / part.shape[0];
        out ??= new Float32Array(n * rowSize);
        shape = [n, ...part.shape.slice(1)];
        out.set(part.data, start * rowSize);
      }
      return new Tensor(out!, shape);
    });
  }

  /** Copies of every weight, in Keras order. */
  getWeights(): Tensor[] {
    return this.weights.map((w) => new Tensor(w.data.slice(), w.shape));
  }

  /** Set every weight at once (Keras order). Shapes are all checked before any weight changes. */
  setWeights(weights: readonly (Tensor | NestedArray | Float32Array)[]): void {
    const vars = this.weights;
    if (!Array.isArray(weights) || weights.length !== vars.length) {
      throw new Error(`setWeights: model '${this.name}' has ${vars.length} weights (${vars.map((v) => `${v.name} ${formatShape(v.shape)}`).join(', ')}), got ${Array.isArray(weights) ? weights.length : typeof weights}.`);
    }
    const values = weights.map((w, i) => {
      const t = w instanceof Float32Array ? new Tensor(w, vars[i].shape) : toTensor(w as TensorLike, `weight ${i} (${vars[i].name})`);
      if (t.size !== vars[i].size || (!(w instanceof Float32Array) && formatShape(t.shape) !== formatShape(vars[i].shape))) {
        throw new Error(`setWeights: weight ${i} (${vars[i].name}) has shape ${formatShape(vars[i].shape)}, got ${formatShape(t.shape)}.`);
      }
      checkFinite(t, `weight ${i} (${vars[i].name})`);
      return t;
    });
    values.forEach((t, i) => vars[i].data.set(t.data));
  }

  /**
   * Save architecture, compile config, weights and optimizer state in TensorFlow.js's layers format: to a
   * directory on Node (atomically); to 'indexeddb://name' or 'downloads://name' in the browser.
   */
  async save(dir: string, options: import('../io/artifacts.js').SaveOptions = {}): Promise<void> {
    await platform.saveModel(this, dir, options);
  }

  countParams(): number {
    return this.layers.reduce((n, l) => n + l.countParams(), 0);
  }

  /** Print Keras's summary table (printFn, as Keras's print_fn, gets one line per call) and return it. */
  summary(options: { lineLength?: number; printFn?: (line: string) => void } = {}): string {
    const text = summaryTable(
      this.name,
      this.layers.map((layer, i) => ({ layer, outputShape: this.outputShapes[i] ?? null })),
      options.lineLength,
    );
    if (options.printFn) for (const line of text.split('\n')) options.printFn(line);
    else console.log(text);
    return text;
  }

  getConfig(): { name: string; layers: { className: string; config: Record<string, unknown> }[] } {
    const stack = this.inputLayer ? [this.inputLayer, ...this.layers] : this.layers;
    return { name: this.name, layers: stack.map((l) => ({ className: l.className, config: l.getConfig() })) };
  }
}

