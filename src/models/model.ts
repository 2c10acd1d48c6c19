// Model: a graph of layers from Input() tensors to output tensors (Keras 3's Functional, TF.js's LayersModel),
// with compile / fit / evaluate / predict / summary / weights. A Model is a Layer, so models nest; Sequential is
// a thin Model whose graph is a chain.
//
//   const x = Input({ shape: [4] });
//   const h = new Dense(8, { activation: 'relu' }).apply(x);
//   const y = new Dense(1).apply(new Add().apply([h, new Dense(8).apply(x)]));
//   const model = new Model({ inputs: x, outputs: y });

import { Tensor, type TensorLike, type NestedArray } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { formatShape } from '../tensor/shape.js';
import { noGrad } from '../autograd/tape.js';
import { Layer, SymbolicTensor, registerLayer, layerFromConfig, formatSymbolicShape, type Node, type SymbolicShape } from '../layers/layer.js';
import { InputLayer } from '../layers/core.js';
import type { Loss } from '../losses/index.js';
import type { Optimizer } from '../optimizers/index.js';
import type { MetricIdentifier } from '../metrics/index.js';
import { compileOptions, COMPILE_OPTIONS, type Compiled, type CompileOptions } from './compile.js';
import { fitLoop, evaluateLoop, checkOptionNames, structured, predictStep, type FitOptions, type EvaluateOptions, type ModelData, type TrainableModel } from './training.js';
import type { History } from '../callbacks/history.js';
import { isBatchSource, type BatchSource, type Batch } from '../data/dataset.js';
import { toTensor, checkFinite, sliceRows } from './data-checks.js';
import { summaryTable, type SummaryRow } from './summary.js';
import { platform } from '../platform/node.js';

/** Texts for a string input: one per sample (string[], or string[][] with one text per row as Keras's shape (n, 1)). */
export type TextData = readonly (string | readonly string[])[];
/** x of fit / evaluate / predict: ModelData, where a string input (a model starting with TextVectorization) takes texts. */
export type InputData = ModelData | TextData | readonly (TensorLike | TextData)[] | Record<string, TensorLike | TextData>;
/** fit's options, validationData taking texts for string inputs as x does. */
export type ModelFitOptions = Omit<FitOptions, 'validationData'> & {
  validationData?: [InputData, ModelData] | [InputData, ModelData, TensorLike] | BatchSource | BatchSource<readonly string[]>;
};

/** Predictions: one tensor for a model built with one output tensor, a list for a list of outputs. */
export type Predictions<O> = O extends SymbolicTensor[] ? Tensor[] : Tensor;

export interface ModelArgs<O extends SymbolicTensor | SymbolicTensor[]> {
  /** The model's inputs: tensors from Input() (one, or a list). */
  inputs: SymbolicTensor | SymbolicTensor[];
  /** The model's outputs: symbolic tensors computed from the inputs (one, or a list; predict returns the same form). */
  outputs: O;
  /** Model name (default functional, functional_1, ...). */
  name?: string;
  trainable?: boolean;
}

const unique = <T>(xs: T[]): T[] => [...new Set(xs)];

export class Model<O extends SymbolicTensor | SymbolicTensor[] = SymbolicTensor | SymbolicTensor[]> extends Layer implements TrainableModel {
  readonly className: string = 'Functional';
  /** A model used as a layer runs its own layers, which pass, consume or drop a mask themselves. */
  override readonly supportsMasking = true;
  /** The graph's input tensors (from Input()). */
  inputs: SymbolicTensor[] = [];
  /** The graph's output tensors. */
  outputs: SymbolicTensor[] = [];
  /** Every layer of the graph, inputs first (Keras's model.layers). */
  layers: Layer[] = [];
  /** Layer calls in execution order. */
  protected nodes: Node[] = [];
  /** Whether outputs were given as a list (predict then returns a list). */
  protected listOutput = false;
  /** The TextVectorization call fed by each string input: run on the data at the input boundary, skipped by forward. */
  protected textNodes = new Map<SymbolicTensor, Node>();
  protected listInput = false;
  /** The result of compile; null before. */
  compiled: Compiled | null = null;
  private compileArgs: CompileOptions | null = null;
  /** The History of the latest fit (Keras's model.history), null before the first fit. */
  history: History | null = null;
  /** Set by a callback (e.g. EarlyStopping) to end fit after the current batch. */
  stopTraining = false;
  /**
   * Capture each train, test and predict step on its first batch of a shape and replay it after (default true).
   * false runs every step eagerly through the same op rules, as Keras's run_eagerly: slower, for debugging.
   */
  fastPath = true;

  constructor(args?: ModelArgs<O>) {
    super({ name: args?.name, trainable: args?.trainable });
    if (args) {
      if (!args.inputs || !args.outputs) throw new Error('new Model({ inputs, outputs }) needs inputs (from Input()) and outputs (tensors computed from them).');
      this.ensureName();
      this.setGraph(args.inputs, args.outputs);
      this.layers = this.graphLayers();
      this.checkLayerNames(this.layers);
    }
  }

  /**
   * Wire the graph from inputs to outputs: the layer calls the outputs depend on, in execution order. Throws when
   * an output needs a tensor that no given input leads to, or when an input is not used by any output.
   */
  protected setGraph(inputs: SymbolicTensor | SymbolicTensor[], outputs: SymbolicTensor | SymbolicTensor[]): void {
    const ins = Array.isArray(inputs) ? inputs : [inputs];
    const outs = Array.isArray(outputs) ? outputs : [outputs];
    const where = `Model '${this.name}'`;
    ins.forEach((t, i) => {
      if (!(t instanceof SymbolicTensor) || !(t.sourceLayer instanceof InputLayer)) throw new Error(`${where}: inputs[${i}] is not a tensor from Input() (got ${t instanceof SymbolicTensor ? `the output of layer '${t.sourceLayer.name}'` : typeof t}).`);
    });
    outs.forEach((t, i) => {
      if (!(t instanceof SymbolicTensor)) throw new Error(`${where}: outputs[${i}] is not a symbolic tensor (apply layers to Input() tensors to make one), got ${(t as unknown) instanceof Tensor ? 'a concrete Tensor' : typeof t}.`);
    });
    if (!ins.length || !outs.length) throw new Error(`${where} needs at least one input and one output.`);
    if (new Set(ins).size !== ins.length) throw new Error(`${where}: the same Input is given twice in inputs.`);
    const inputSet = new Set(ins);
    const reached = new Set<SymbolicTensor>();
    const visited = new Set<Node>();
    const order: Node[] = [];
    const visit = (t: SymbolicTensor, output: SymbolicTensor): void => {
      if (inputSet.has(t)) {
        reached.add(t);
        return;
      }
      const node = t.node;
      if (node.layer instanceof InputLayer) {
        throw new Error(`${where}: the graph is disconnected. Output '${output.name}' depends on input '${node.layer.name}', which is not one of the model's inputs (${ins.map((i) => i.name).join(', ')}).`);
      }
      if (visited.has(node)) return;
      visited.add(node);
      for (const i of node.inputs) visit(i, output);
      order.push(node);
    };
    for (const o of outs) visit(o, o);
    const unused = ins.filter((t) => !reached.has(t));
    if (unused.length) throw new Error(`${where}: the outputs do not depend on input ${unused.map((t) => `'${t.name}'`).join(', ')}; every input must lead to an output.`);
    // A string input feeds one TextVectorization, whose output is where the numeric graph (and the captured step) starts.
    const textNodes = new Map<SymbolicTensor, Node>();
    for (const t of ins.filter((i) => i.dtype === 'string')) {
      const users = order.filter((n) => n.inputs.includes(t));
      if (outs.includes(t) || users.length !== 1 || users[0].inputs.length !== 1) {
        throw new Error(`${where}: the string input '${t.name}' must feed exactly one TextVectorization layer (and nothing else); apply further layers to its output.`);
      }
      textNodes.set(t, users[0]);
    }
    this.textNodes = textNodes;
    this.inputs = ins;
    this.outputs = outs;
    this.nodes = order;
    this.listInput = Array.isArray(inputs);
    this.listOutput = Array.isArray(outputs);
    this.built = true;
  }

  /** Input layers first, then every layer in the order of its first call. */
  protected graphLayers(): Layer[] {
    return unique([...this.inputs.map((t) => t.sourceLayer), ...this.nodes.map((n) => n.layer)]);
  }

  protected checkLayerNames(layers: Layer[]): void {
    const seen = new Set<string>();
    for (const l of layers) {
      if (seen.has(l.name)) throw new Error(`Layer name '${l.name}' is used by two layers in model '${this.name}'; layer names must be unique (weights are saved by name).`);
      seen.add(l.name);
    }
  }

  /** Names of the input layers, in order (keys for data given as objects). */
  get inputNames(): string[] {
    return this.inputs.map((t) => t.sourceLayer.name);
  }

  /** Names of the outputs (their layers' names; Keras 3's output_names), keys for losses, metrics and targets. */
  get outputNames(): string[] {
    const names: string[] = [];
    for (const t of this.outputs) {
      let n = t.sourceLayer.name;
      for (let i = 1; names.includes(n); i++) n = `${t.sourceLayer.name}_${i}`;
      names.push(n);
    }
    return names;
  }

  get outputShapes(): SymbolicShape[] {
    return this.outputs.map((t) => t.shape);
  }

  get isBuilt(): boolean {
    return this.built && this.outputs.length > 0;
  }

  /** The optimizer set by compile (null before). */
  get optimizer(): Optimizer | null {
    return this.compiled?.optimizer ?? null;
  }

  /** The loss of a single-output model as compiled (null before compile, or with several outputs: see compiled.outputs). */
  get loss(): Loss | null {
    return this.compiled && this.compiled.outputs.length === 1 ? this.compiled.outputs[0].loss : null;
  }

  /** The metrics given to compile for a single-output model (saved with the model). */
  get metricIdentifiers(): MetricIdentifier[] {
    return this.compiled?.outputs.length === 1 ? [...this.compiled.outputs[0].metrics] : [];
  }

  /** The options compile was called with (for saving). */
  get compileConfig(): CompileOptions | null {
    return this.compileArgs;
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const first = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as SymbolicShape;
    const shapes = this.outputs.map((t) => [first[0] ?? null, ...t.shape.slice(1)]);
    return this.listOutput ? shapes : shapes[0];
  }

  /** Changes whenever the graph is rewired (captured steps are then recorded again). */
  get graphKey(): object {
    return this.nodes;
  }

  /** Where each input's data enters the numeric graph: the input itself, or for a string input its TextVectorization's output. */
  protected get feeds(): SymbolicTensor[] {
    return this.inputs.map((t) => this.textNodes.get(t)?.outputs[0] ?? t);
  }

  /**
   * Forward pass: one tensor per input in, one per output out (the graph run node by node). A string input's tensor
   * is its TextVectorization's output (see encodeTexts), so that layer is not run here.
   */
  forward(xs: Tensor[], training = false): Tensor[] {
    if (xs.length !== this.inputs.length) throw new Error(`Model '${this.name}' has ${this.inputs.length} inputs (${this.inputNames.join(', ')}), got ${xs.length} tensors.`);
    const values = new Map<SymbolicTensor, Tensor>();
    this.feeds.forEach((t, i) => values.set(t, xs[i]));
    const texts = new Set(this.textNodes.values());
    for (const node of this.nodes) {
      if (texts.has(node)) continue;
      const args = node.inputs.map((t) => values.get(t)!);
      const out = node.layer.apply((node.listInput ? args : args[0]) as Tensor, training) as Tensor | Tensor[];
      const outs = Array.isArray(out) ? out : [out];
      node.outputs.forEach((t, i) => values.set(t, outs[i]));
    }
    return this.outputs.map((t) => values.get(t)!);
  }

  /** The model as a layer: one tensor (or a list, for several inputs) in, the outputs in the form they were given. */
  /** The inner layers attach the output masks; nothing is added on top. */
  override computeMask(): null {
    return null;
  }

  call(inputs: Tensor | Tensor[], training = false): Tensor | Tensor[] {
    const outs = this.forward(Array.isArray(inputs) ? inputs : [inputs], training);
    return this.listOutput ? outs : outs[0];
  }

  /** Check inputs against the model's input shapes, naming the input and both shapes. */
  checkInputs(xs: Tensor[], what: readonly string[]): void {
    const feeds = this.feeds;
    this.inputs.forEach((input, i) => {
      const t = feeds[i];
      const x = xs[i];
      const expected = t.shape;
      const ok = x.rank === expected.length && expected.every((d, k) => k === 0 || d === null || d === x.shape[k]);
      if (!ok) {
        const want = `[*, ${expected.slice(1).map((d) => (d === null ? '*' : d)).join(', ')}]`;
        const first = this.nodes.find((n) => n.inputs.includes(t))?.layer ?? t.sourceLayer;
        // The same values per sample in another layout (flat 784-pixel rows for a [28, 28, 1] convnet): say how to reshape.
        const sample = expected.slice(1);
        const same = sample.every((d) => d !== null) && x.rank >= 1 && x.size / (x.shape[0] || 1) === sample.reduce<number>((p, d) => p * (d as number), 1);
        const hint = same ? ` Each sample has the right number of values: reshape the data to [${x.shape[0]}, ${sample.join(', ')}] (ops.reshape(x, [-1, ${sample.join(', ')}])).` : '';
        throw new Error(`${what[i]} has shape ${formatShape(x.shape)} but model '${this.name}' expects inputs of shape ${want} (${this.inputs.length > 1 ? `input '${input.sourceLayer.name}', ` : ''}first layer '${first.name}').${hint}`);
      }
      // Layers fed straight from this input check its values (Embedding: ids in range), naming the data's rows.
      const label = t === input ? what[i] : `${what[i]} as vectorized by ${t.sourceLayer.className} '${t.sourceLayer.name}'`;
      for (const n of this.nodes) if (n.inputs.includes(t)) n.layer.checkInputData?.(x, label);
    });
  }

  /** All weights in layer order (a shared layer's once): per layer, kernel then bias. */
  override get weights(): Variable[] {
    return unique(this.layers.flatMap((l) => l.weights));
  }

  override get trainableWeights(): Variable[] {
    return this.trainable ? unique(this.layers.flatMap((l) => l.trainableWeights)) : [];
  }

  override get nonTrainableWeights(): Variable[] {
    return this.trainable ? unique(this.layers.flatMap((l) => l.nonTrainableWeights)) : this.weights;
  }

  /** Freezing a model freezes every layer in it (Keras); unfreezing unfreezes them all. */
  override get trainable(): boolean {
    return super.trainable;
  }

  override set trainable(value: boolean) {
    super.trainable = value;
    for (const l of this.layers ?? []) l.trainable = value;
  }

  /** Regularization penalties of the last forward pass. */
  override get losses(): Tensor[] {
    return this.layers.flatMap((l) => l.losses);
  }

  override countParams(): number {
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  getLayer(nameOrIndex: string | number): Layer {
    const layer = typeof nameOrIndex === 'number' ? this.layers[nameOrIndex] : this.layers.find((l) => l.name === nameOrIndex);
    if (!layer) throw new Error(`No layer ${JSON.stringify(nameOrIndex)} in model '${this.name}'. Layers: ${this.layers.map((l) => l.name).join(', ')}.`);
    return layer;
  }

  /** Copies of every weight, in Keras order. */
  override getWeights(): Tensor[] {
    return this.weights.map((w) => new Tensor(w.data.slice(), w.shape));
  }

  /** Set every weight at once (Keras order). Shapes are all checked before any weight changes. */
  override setWeights(weights: readonly (Tensor | NestedArray | Float32Array)[]): void {
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
   * Configure training: loss (one, a list per output, or an object keyed by output name), optional lossWeights,
   * metrics and optimizer. Everything is checked before the model changes (e.g. an output without a loss).
   */
  compile(options: CompileOptions): void {
    checkOptionNames('compile', options, COMPILE_OPTIONS);
    this.compiled = compileOptions(options, this.compileOutputNames(), () => this.outputShapes);
    this.compileArgs = { ...options };
  }

  /** Output names compile keys by (Sequential's are known before it is built). */
  protected compileOutputNames(): string[] {
    return this.outputNames;
  }

  /**
   * Texts for string inputs turned into tensors by their TextVectorization layers: the model's input boundary, run by
   * fit, evaluate and predict before the captured step (x as one array, a list, an object keyed by input name, or a
   * batch source whose batches are encoded as they come). Other data passes through unchanged.
   */
  encodeTexts<T>(x: T, what = 'x'): T {
    if (!this.textNodes.size || x === undefined || x === null) return x;
    if (isBatchSource(x)) {
      const source = x;
      const encode = (b: Batch, i: number): Batch => ({ ...b, x: this.encodeTexts(b.x, `batch ${i} x`) });
      return { get steps() { return source.steps; }, async *batches() { let i = 0; for await (const b of source.batches()) yield encode(b, i++); } } as T;
    }
    const encode = (input: SymbolicTensor | undefined, value: unknown, label: string): unknown => {
      const node = input && this.textNodes.get(input);
      return node ? node.layer.encodeStrings!(value, label) : value;
    };
    const byName = (name: string) => this.inputs.find((t) => t.sourceLayer.name === name);
    if (typeof x === 'object' && !Array.isArray(x) && !(x instanceof Tensor) && !ArrayBuffer.isView(x)) {
      return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, encode(byName(k), v, this.inputs.length > 1 ? `${what}['${k}']` : what)])) as T;
    }
    if (this.inputs.length === 1) return encode(this.inputs[0], x, what) as T;
    if (Array.isArray(x) && x.length === this.inputs.length) return x.map((v, i) => encode(this.inputs[i], v, `${what}['${this.inputNames[i]}']`)) as T;
    return x;
  }

  async fit(x: InputData | BatchSource | BatchSource<readonly string[]>, y?: ModelData, options: ModelFitOptions = {}): Promise<History> {
    const vd = options?.validationData;
    const validationData = vd && (isBatchSource(vd) ? this.encodeTexts(vd) : Array.isArray(vd) ? [this.encodeTexts(vd[0], 'validationData x'), ...vd.slice(1)] : vd);
    return fitLoop(this, this.encodeTexts(x) as ModelData | BatchSource, y, (vd ? { ...options, validationData } : options) as FitOptions);
  }

  /** Loss then metrics (Keras order); a single number when there are no metrics. */
  evaluate(x: InputData | BatchSource | BatchSource<readonly string[]>, y: ModelData | undefined, options: EvaluateOptions & { returnDict: true }): Promise<Record<string, number>>;
  evaluate(x: InputData | BatchSource | BatchSource<readonly string[]>, y?: ModelData, options?: EvaluateOptions): Promise<number[] | number>;
  async evaluate(x: InputData | BatchSource | BatchSource<readonly string[]>, y?: ModelData, options: EvaluateOptions = {}): Promise<number[] | number | Record<string, number>> {
    return evaluateLoop(this, this.encodeTexts(x) as ModelData | BatchSource, y, options);
  }

  /**
   * Predictions for x (one array, or a list / an object keyed by input name), computed in batches without
   * recording gradients: one tensor per output, in the form the outputs were given. Synchronous, as Keras and TF.js.
   * batchSize: rows per batch; without it, up to 1024 (see defaultPredictBatch; Keras's default is 32).
   */
  predict(x: InputData, options: { batchSize?: number; verbose?: number } = {}): Predictions<O> {
    checkOptionNames('predict', options, ['batchSize', 'verbose']);
    options ??= {};
    const given = options.batchSize;
    if (given !== undefined && !(Number.isInteger(given) && given > 0)) throw new Error(`predict: batchSize must be a positive integer, got ${given}.`);
    const xs = this.predictInputs(x);
    const batchSize = given ?? this.defaultPredictBatch();
    const n = xs[0].shape[0];
    xs.forEach((t, i) => {
      if (t.shape[0] !== n) throw new Error(`predict: input '${this.inputNames[i]}' has ${t.shape[0]} samples but '${this.inputNames[0]}' has ${n}.`);
    });
    const outs = noGrad(() => {
      if (n <= batchSize) return predictStep(this, xs).map((t) => t.clone());
      let parts: { data: Float32Array; shape: number[] }[] = [];
      for (let start = 0; start < n; start += batchSize) {
        const end = Math.min(n, start + batchSize);
        const preds = predictStep(this, xs.map((t) => sliceRows(t, start, end)));
        if (!parts.length) parts = preds.map((p) => ({ data: new Float32Array((n * p.size) / p.shape[0]), shape: [n, ...p.shape.slice(1)] }));
        preds.forEach((p, i) => parts[i].data.set(p.data, (start * p.size) / p.shape[0]));
      }
      return parts.map((p) => new Tensor(p.data, p.shape));
    });
    return (this.listOutput ? outs : outs[0]) as Predictions<O>;
  }

  /**
   * predict's batch when none is given. Keras's is 32; but a row's prediction does not depend on the rows beside it,
   * so descent takes up to 1024 rows at a time (fewer, larger products; results equal to float rounding), as many
   * as keep the largest activation of a batch under 2^21 values. 32 when the batch is part of the model: a fixed
   * batch dimension, a stateful layer, or activation shapes not known in advance.
   */
  protected defaultPredictBatch(): number {
    let perSample = 1;
    const visit = (model: Model): boolean => {
      if (model.inputs.some((t) => t.shape[0] !== null)) return false;
      for (const node of model.nodes) {
        if (stateful(node.layer)) return false;
        if (node.layer instanceof Model && !visit(node.layer)) return false;
        for (const t of node.outputs) {
          const size = t.shape.slice(1).reduce<number | null>((a, d) => (a === null || d === null ? null : a * d), 1);
          if (size === null) return false;
          perSample = Math.max(perSample, size);
        }
      }
      return true;
    };
    return this.inputs.length && visit(this) ? Math.max(32, Math.min(1024, Math.floor(2 ** 21 / perSample))) : 32;
  }

  /** predict's x as one checked tensor per input. */
  protected predictInputs(x: InputData): Tensor[] {
    const xs = structured(this.inputNames, this.encodeTexts(x), 'x', 'input', this.name);
    const names = this.inputs.length === 1 ? ['x'] : this.inputNames.map((n) => `x['${n}']`);
    xs.forEach((t, i) => checkFinite(t, names[i]));
    this.checkInputs(xs, names);
    return xs;
  }

  /**
   * Save architecture, compile config, weights and optimizer state in TensorFlow.js's layers format: to a
   * directory on Node (atomically); to 'indexeddb://name' or 'downloads://name' in the browser.
   */
  async save(dir: string, options: import('../io/artifacts.js').SaveOptions = {}): Promise<void> {
    await platform.saveModel(this, dir, options);
  }

  /**
   * Whether files count a node of this model's own before its calls in an outer model (Keras 2 / TF.js: a model
   * built with its own inputs has node 0 linking them to its outputs, so its first call there is node 1).
   */
  get ownsFirstNode(): boolean {
    return true;
  }

  /** The index of a node among this model's calls of its layer, as files number it (Keras's node index in inbound_nodes). */
  protected nodeIndex(node: Node): number {
    if (node.layer instanceof InputLayer) return 0;
    const offset = node.layer instanceof Model && node.layer.ownsFirstNode ? 1 : 0;
    return offset + node.layer.inboundNodes.filter((n) => this.nodes.includes(n)).indexOf(node);
  }

  /** Rows of the summary table: each layer's calls and what they are connected to. */
  protected summaryRows(): SummaryRow[] {
    return this.layers.map((layer) => {
      const nodes = layer instanceof InputLayer ? layer.inboundNodes.slice(0, 1) : layer.inboundNodes.filter((n) => this.nodes.includes(n));
      const shapes = nodes.flatMap((n) => n.outputs.map((t) => t.shape));
      const connected = nodes.flatMap((n) => n.inputs.map((t) => `${t.sourceLayer.name}[${this.nodeIndex(t.node)}][${t.index}]`));
      return { layer, outputShape: shapes[0] ?? null, connectedTo: connected };
    });
  }

  /** Print Keras's summary table ("Connected to" for functional models); printFn gets one line per call. Returns it. */
  summary(options: { lineLength?: number; printFn?: (line: string) => void } = {}): string {
    const text = summaryTable(this.name, this.summaryRows(), options.lineLength, this.className !== 'Sequential', this.countParams(), this.trainableWeights.reduce((n, w) => n + w.size, 0));
    if (options.printFn) for (const line of text.split('\n')) options.printFn(line);
    else console.log(text);
    return text;
  }

  /**
   * TF.js / Keras 2 functional config: every layer with its inbound nodes ([[layer, nodeIndex, tensorIndex, {}], ...]
   * per call), and the input and output layers as [layer, nodeIndex, tensorIndex].
   */
  override getConfig(): Record<string, unknown> {
    const ref = (t: SymbolicTensor) => [t.sourceLayer.name, this.nodeIndex(t.node), t.index];
    const layers = this.layers.map((layer) => {
      const nodes = layer instanceof InputLayer ? [] : layer.inboundNodes.filter((n) => this.nodes.includes(n));
      return { name: layer.name, className: layer.className, config: layer.getConfig(), inboundNodes: nodes.map((n) => n.inputs.map((t) => [...ref(t), {}])) };
    });
    return { name: this.name, trainable: this.trainable, layers, inputLayers: this.inputs.map(ref), outputLayers: this.outputs.map(ref) };
  }

  /**
   * Rebuild a functional model from its config (camelCase, as getConfig gives it): layers are created from the
   * registry, then called node by node as their inputs become available.
   */
  static fromConfig(config: Record<string, unknown>): Model {
    const layerEntries = config.layers as { name: string; className: string; config: Record<string, unknown>; inboundNodes?: unknown[][] }[];
    if (!Array.isArray(layerEntries)) throw new Error('functional config needs layers.');
    const layers = new Map<string, Layer>();
    const made = new Map<string, SymbolicTensor[][]>(); // outputs of each layer's calls, by node index
    for (const e of layerEntries) {
      if (typeof e?.className !== 'string') throw new Error(`layer entry ${JSON.stringify(e?.name)} has no class_name.`);
      const layer = layerFromConfig(e.className, { ...e.config, name: e.config?.name ?? e.name });
      if (layers.has(layer.name)) throw new Error(`two layers are named '${layer.name}'.`);
      layers.set(layer.name, layer);
      // A nested model with its own inputs counts its own node first (see ownsFirstNode).
      made.set(layer.name, layer instanceof InputLayer ? [[layer.output]] : layer instanceof Model && layer.ownsFirstNode ? [[]] : []);
    }
    const tensorOf = (ref: unknown): SymbolicTensor | undefined => {
      const [name, node, index] = ref as [string, number, number];
      return made.get(name)?.[node]?.[index];
    };
    const pending = layerEntries.map((e) => ({ name: e.name, nodes: (e.inboundNodes ?? []) as unknown[][] }));
    let progress = true;
    while (progress) {
      progress = false;
      for (const p of pending) {
        while (p.nodes.length) {
          const refs = p.nodes[0];
          const args = refs.map(tensorOf);
          if (args.some((a) => a === undefined)) break;
          const layer = layers.get(p.name)!;
          const listInput = refs.length > 1;
          const out = layer.apply((listInput ? args : args[0]) as SymbolicTensor);
          made.get(p.name)!.push(Array.isArray(out) ? out : [out]);
          p.nodes.shift();
          progress = true;
        }
      }
    }
    const stuck = pending.find((p) => p.nodes.length);
    if (stuck) throw new Error(`layer '${stuck.name}' is called on tensors that no layer in the config produces (${JSON.stringify(stuck.nodes[0])}).`);
    const refs = (key: string): SymbolicTensor[] => {
      const list = config[key] as unknown[];
      if (!Array.isArray(list)) throw new Error(`functional config needs ${key}.`);
      return list.map((r) => tensorOf(r) ?? (() => { throw new Error(`${key} refers to ${JSON.stringify(r)}, which the config does not produce.`); })());
    };
    const inputs = refs('inputLayers');
    const outputs = refs('outputLayers');
    return new Model({ inputs: inputs.length === 1 ? inputs[0] : inputs, outputs: outputs.length === 1 ? outputs[0] : outputs, name: config.name as string | undefined });
  }
}

/** A stateful layer (RNN stateful: true), or a wrapper of one (Bidirectional, TimeDistributed). */
function stateful(layer: Layer): boolean {
  const l = layer as Layer & { stateful?: unknown; forwardLayer?: unknown; backwardLayer?: unknown; layer?: unknown };
  return l.stateful === true || [l.forwardLayer, l.backwardLayer, l.layer].some((inner) => inner instanceof Layer && stateful(inner));
}

registerLayer('Functional', Model);
registerLayer('Model', Model);
