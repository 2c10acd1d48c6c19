// The training loop: fit and evaluate, as Keras does them, over a small model interface (TrainableModel) so that any
// model (Sequential, functional, nested) trains the same way. Batch, stochastic and mini-batch gradient descent are
// the same loop with batchSize = n, 1, or between; the last partial batch is used. The loop never prints: output
// goes through callbacks (the progress bar is one).

import { Tensor, type TensorLike } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { getRng } from '../tensor/random.js';
import { variableGrads, noGrad } from '../autograd/tape.js';
import { CapturedStep, type Program } from '../autograd/capture.js';
import * as ops from '../ops/index.js';
import { Callback, CallbackList, type CallbackModel, type Logs } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import { LambdaCallback, type LambdaCallbackOptions } from '../callbacks/lambda-callback.js';
import { ProgbarLogger } from '../callbacks/progbar.js';
import { Mean } from '../metrics/metric.js';
import type { Compiled, CompiledMetric } from './compile.js';
import type { Loss } from '../losses/index.js';
import { textChart } from '../report/text-chart.js';
import { isBatchSource, type BatchSource, type Batch } from '../data/dataset.js';
import { toTensor, checkFinite, checkSameLength, takeRows, sliceRows } from './data-checks.js';
import type { SymbolicShape } from '../layers/layer.js';
import type { Variable } from '../tensor/variable.js';
import { platform } from '../platform/node.js';

/** What the loop needs of a model: Sequential and functional models both provide it. */
export interface TrainableModel extends CallbackModel {
  readonly name: string;
  history: History | null;
  /** The result of compile (losses, metrics, optimizer per output), null before compile. */
  readonly compiled: Compiled | null;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Output shapes, batch dimension first (null when unknown). */
  readonly outputShapes: SymbolicShape[];
  readonly trainableWeights: Variable[];
  /** Every weight (trainable or not). */
  readonly weights: Variable[];
  /** Regularization penalties of the last forward pass, as scalar tensors. */
  readonly losses: Tensor[];
  /** Whether the input shape is known (a batch source needs it). */
  readonly isBuilt: boolean;
  /** Check each input against the model (building a model whose input shape is not yet known); `what` names each input in errors. */
  checkInputs(xs: Tensor[], what: readonly string[]): void;
  /** Forward pass: one tensor per input in, one per output out. */
  forward(xs: Tensor[], training: boolean): Tensor[];
  /** Capture each train, test and predict step and replay it (default true); false runs eagerly (Keras's run_eagerly). */
  readonly fastPath: boolean;
  /** Changes whenever the graph is rewired, so captured steps are recorded again. */
  readonly graphKey: object;
}

/** x or y: one array for a model with one input (output), else a list in order or an object keyed by name. */
export type ModelData = TensorLike | TensorLike[] | Record<string, TensorLike>;

export interface FitOptions {
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Samples per gradient step (default 32). n gives batch GD, 1 stochastic GD. */
  batchSize?: number;
  /** Shuffle the training samples before each epoch (default true). */
  shuffle?: boolean;
  /** Fraction of the data, taken from the end before shuffling, held out for validation (default 0). */
  validationSplit?: number;
  /** Held-out data [x, y] or [x, y, sampleWeight], or a batch source; overrides validationSplit. */
  validationData?: [ModelData, ModelData] | [ModelData, ModelData, TensorLike] | BatchSource;
  /** Batch size for validation (default batchSize). */
  validationBatchSize?: number;
  /** 0 silent, 1 progress bar, 2 one line per epoch (default 1; 'auto' means 1, as Keras). */
  verbose?: 0 | 1 | 2 | 'auto';
  /** Callback objects, or plain objects of hook functions as TF.js accepts ({ onEpochEnd: (epoch, logs) => ... }). */
  callbacks?: CallbackLike | CallbackLike[];
  /** Epoch to start from, to resume a run (default 0). */
  initialEpoch?: number;
  /** Weight of each class in the loss, e.g. { 0: 1, 1: 5 }. */
  classWeight?: Record<number, number>;
  /** Weight of each sample in the loss. */
  sampleWeight?: TensorLike;
  /**
   * Batches per epoch. As Keras 3, the data's position carries over from epoch to epoch: the data restarts (and is
   * reshuffled) only when it runs out, and an epoch that reaches the end of the data ends there.
   */
  stepsPerEpoch?: number;
  /** Run validation every this many epochs (default 1), as Keras's validation_freq. */
  validationFreq?: number;
  /** Accepted for TensorFlow.js compatibility and ignored: the loop yields to the event loop by itself. */
  yieldEvery?: unknown;
}

export type CallbackLike = Callback | LambdaCallbackOptions;

/** Callback instances pass through; a plain object of hook functions becomes a LambdaCallback (TF.js's form). */
function toCallbacks(value: CallbackLike | CallbackLike[] | undefined): Callback[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((c, i) => {
    if (c instanceof Callback || typeof (c as Callback).setModel === 'function') return c as Callback;
    if (typeof c === 'object' && c !== null) return new LambdaCallback(c as LambdaCallbackOptions);
    throw new Error(`callbacks[${i}] must be a Callback or an object of hook functions such as { onEpochEnd(epoch, logs) {} }, got ${c === null ? 'null' : typeof c}.`);
  });
}

/** 0, 1 or 2; Keras's 'auto' (and true/false) are read as 1 (0). */
function checkVerbose(v: unknown): 0 | 1 | 2 {
  if (v === undefined || v === 'auto' || v === true) return 1;
  if (v === false) return 0;
  if (v === 0 || v === 1 || v === 2) return v;
  throw new Error(`verbose must be 0 (silent), 1 (progress bar) or 2 (one line per epoch), got ${JSON.stringify(v)}.`);
}

const FIT_OPTIONS = ['epochs', 'batchSize', 'shuffle', 'validationSplit', 'validationData', 'validationBatchSize', 'verbose', 'callbacks', 'initialEpoch', 'classWeight', 'sampleWeight', 'stepsPerEpoch', 'validationFreq', 'yieldEvery'];
const EVALUATE_OPTIONS = ['batchSize', 'verbose', 'sampleWeight', 'callbacks', 'returnDict'];

/** A misspelt option (epoch, batch_size) would otherwise be ignored silently; Keras raises a TypeError too. */
export function checkOptionNames(what: string, options: object | undefined, valid: readonly string[]): void {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object' || Array.isArray(options)) throw new Error(`${what} options must be an object, got ${Array.isArray(options) ? 'an array' : typeof options}.`);
  for (const key of Object.keys(options)) {
    if ((options as Record<string, unknown>)[key] !== undefined && !valid.includes(key)) {
      throw new Error(`${what}: unknown option '${key}'. Valid options: ${valid.join(', ')}.`);
    }
  }
}

export interface EvaluateOptions {
  batchSize?: number;
  verbose?: 0 | 1 | 2 | 'auto';
  sampleWeight?: TensorLike;
  callbacks?: CallbackLike | CallbackLike[];
  /** Return { loss, accuracy, ... } instead of an array. */
  returnDict?: boolean;
}

interface Prepared {
  xs: Tensor[];
  ys: Tensor[];
  w: Tensor | null;
}

function checkInteger(name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer >= ${min}, got ${v}.`);
  return v;
}

/**
 * Per-sample weights from classWeight (class = label, argmax of one-hot, or rounded 0/1 value; a class missing from
 * classWeight weighs 1, as Keras 3) times sampleWeight. Weights must be finite and ≥ 0.
 */
function sampleWeights(y: Tensor, sampleWeight: TensorLike | undefined, classWeight: Record<number, number> | undefined, what = ''): Tensor | null {
  const n = y.shape[0];
  let w: Float32Array | null = null;
  if (sampleWeight !== undefined) {
    const sw = toTensor(sampleWeight, `${what}sampleWeight`);
    if (sw.size !== n) throw new Error(`${what}sampleWeight has ${sw.size} values but there are ${n} samples.`);
    checkFinite(sw, `${what}sampleWeight`);
    const neg = sw.data.findIndex((v) => v < 0);
    if (neg >= 0) throw new Error(`${what}sampleWeight has a negative weight (${sw.data[neg]}) at row ${neg}; weights must be >= 0.`);
    w = sw.data.slice();
  }
  if (classWeight !== undefined && classWeight !== null) {
    if (typeof classWeight !== 'object' || Array.isArray(classWeight)) throw new Error(`classWeight must be an object mapping class index to weight, e.g. { 0: 1, 1: 5 }.`);
    for (const [k, v] of Object.entries(classWeight)) {
      if (!/^\d+$/.test(k)) throw new Error(`classWeight key '${k}' is not a class index (a non-negative integer).`);
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`classWeight for class ${k} must be a finite number >= 0, got ${JSON.stringify(v)}.`);
    }
    w ??= new Float32Array(n).fill(1);
    const cols = y.size / n;
    for (let i = 0; i < n; i++) w[i] *= classWeight[classOf(y.data, i, cols)] ?? 1;
  }
  return w ? new Tensor(w, [n]) : null;
}

/** A sample's class: its label (rounded) for one column, the argmax of its one-hot row otherwise. */
function classOf(y: Float32Array, row: number, cols: number): number {
  if (cols === 1) return Math.round(y[row]);
  let best = 0;
  for (let j = 1; j < cols; j++) if (y[row * cols + j] > y[row * cols + best]) best = j;
  return best;
}

const isKeyed = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Tensor) && !ArrayBuffer.isView(v);

/** Labels naming each input (output) in errors: 'x' for one, x['name'] for several. */
function labels(names: readonly string[], what: string): string[] {
  return names.length === 1 ? [what] : names.map((n) => `${what}['${n}']`);
}

/**
 * x or y as one tensor per model input (output). One array for a single input; a list in order or an object
 * keyed by name for several. Unknown and missing names are errors naming the valid ones.
 */
export function structured(names: readonly string[], value: unknown, what: string, kind: 'input' | 'output', modelName: string): Tensor[] {
  if (isKeyed(value)) {
    for (const key of Object.keys(value)) {
      if (!names.includes(key)) throw new Error(`${what} has the key '${key}', which is not an ${kind} of model '${modelName}'. ${kind === 'input' ? 'Inputs' : 'Outputs'}: ${names.join(', ')}.`);
    }
    const missing = names.filter((n) => !(n in value));
    if (missing.length) throw new Error(`${what} has no data for ${kind} ${missing.map((n) => `'${n}'`).join(', ')} of model '${modelName}'.`);
    const ls = labels(names, what);
    return names.map((n, i) => toTensor(value[n] as TensorLike, ls[i]));
  }
  if (names.length === 1) return [toTensor(value as TensorLike, what)];
  if (!Array.isArray(value) || value.length !== names.length) {
    throw new Error(`Model '${modelName}' has ${names.length} ${kind}s (${names.join(', ')}): pass ${what} as a list of ${names.length} arrays in that order, or an object keyed by ${kind} name.`);
  }
  const ls = labels(names, what);
  return value.map((v, i) => toTensor(v as TensorLike, ls[i]));
}

/** Convert and check (x, y) against the model: lengths, finiteness, shapes, label ranges. No state changes. */
function prepare(model: TrainableModel, xIn: unknown, yIn: unknown, sampleWeight: TensorLike | undefined, classWeight: Record<number, number> | undefined, what = ''): Prepared {
  const xs = structured(model.inputNames, xIn, `${what}x`, 'input', model.name);
  const ys = structured(model.outputNames, yIn, `${what}y`, 'output', model.name);
  checkBatch(model, xs, ys, what);
  return { xs, ys, w: sampleWeights(ys[0], sampleWeight, classWeight, what) };
}

/** The checks every batch of data passes before it reaches the model. */
function checkBatch(model: TrainableModel, xs: Tensor[], ys: Tensor[], what: string): void {
  const xl = labels(model.inputNames, `${what}x`);
  const yl = labels(model.outputNames, `${what}y`);
  xs.forEach((x, i) => i > 0 && checkSameLength(xs[0], x, xl[0], xl[i]));
  ys.forEach((y, i) => checkSameLength(xs[0], y, xl[0], yl[i]));
  xs.forEach((x, i) => checkFinite(x, xl[i]));
  ys.forEach((y, i) => checkFinite(y, yl[i]));
  model.checkInputs(xs, xl);
  const compiled = model.compiled!;
  ys.forEach((y, i) => checkTargets(compiled.outputs[i].loss, model.outputShapes[i], model.outputNames[i], y, yl[i]));
}

function checkTargets(loss: Loss, out: SymbolicShape, outputName: string, y: Tensor, what: string): void {
  const outDims = out.slice(1);
  const yDims = y.shape.slice(1);
  if (loss.sparse) {
    // Class indices: one per output row, shape [n, ...] or [n, ..., 1] (Keras squeezes a trailing 1).
    const squeezed = yDims.length === outDims.length && yDims[yDims.length - 1] === 1 ? yDims.slice(0, -1) : yDims;
    const ok = squeezed.length === outDims.length - 1 && squeezed.every((d, i) => outDims[i] === null || d === outDims[i]);
    if (!ok) {
      throw new Error(
        `${what} has shape ${formatShape(y.shape)} but ${loss.name} expects one integer class index per sample (shape [${y.shape[0]}] or [${y.shape[0]}, 1]) for the model's output ${formatShape(out.map((d) => (d === null ? -1 : d)))}. ` +
          `For one-hot targets use 'categorical_crossentropy'.`,
      );
    }
  } else if (loss.className !== 'CategoricalCrossentropy' && loss.className !== 'LossFunctionWrapper') {
    // (A user's loss function decides for itself what targets it takes, e.g. class indices; Keras does not check them.)
    const aligned = yDims.length === outDims.length - 1 && outDims[outDims.length - 1] === 1 ? [...yDims, 1] : yDims;
    const ok = aligned.length === outDims.length && aligned.every((d, i) => outDims[i] === null || d === outDims[i]);
    if (!ok) {
      throw new Error(`${what} has shape ${formatShape(y.shape)} but the model outputs ${formatShape(out.map((d) => (d === null ? -1 : d)))} per batch (last layer '${outputName}'); targets must match the output.`);
    }
  }
  loss.validateTargets(y, out.map((d) => d ?? -1));
}

/** Running values of one pass: the total loss, each output's loss (several outputs) and the metrics. */
class Trackers {
  readonly loss = new Mean('loss');
  readonly outputLosses: Mean[];
  readonly metrics: CompiledMetric[];
  constructor(private readonly compiled: Compiled) {
    this.outputLosses = compiled.outputLossKeys.map((k) => new Mean(k));
    this.metrics = compiled.createMetrics();
  }
  reset(): void {
    this.loss.resetState();
    for (const m of this.outputLosses) m.resetState();
    for (const m of this.metrics) m.metric.resetState();
  }
  /** As Keras: `metrics` ignore sample and class weights; `weightedMetrics` use them. The loss always does. */
  update(r: StepResult, ys: Tensor[], w: Tensor | null): void {
    const n = ys[0].shape[0];
    this.loss.update(r.loss, n);
    this.outputLosses.forEach((m, i) => m.update(r.outputLosses[i], n));
    for (const m of this.metrics) m.metric.updateState(ys[m.output], r.preds[m.output], m.weighted ? w : null);
  }
  /** Logs in Keras 3's order: loss, metrics, per-output losses. */
  logs(prefix = ''): Logs {
    const logs: Logs = { [`${prefix}loss`]: this.loss.result() };
    for (const m of this.metrics) logs[`${prefix}${m.key}`] = m.metric.result();
    this.compiled.outputLossKeys.forEach((k, i) => (logs[`${prefix}${k}`] = this.outputLosses[i].result()));
    return logs;
  }
}

/** What one step produced: the total loss, each output's (unweighted) loss, and the predictions. */
export interface StepResult {
  loss: number;
  outputLosses: number[];
  preds: Tensor[];
}

/**
 * Forward pass, then Keras 3's total loss: Σ lossWeightᵢ · lossᵢ(yᵢ, predᵢ, w) + the model's regularization penalties.
 * The body of every train and test step (what a captured step records): outputs are the predictions, then each
 * output's unweighted loss when there are several.
 */
export function lossAndPredictions(model: TrainableModel, xs: Tensor[], ys: Tensor[], w: Tensor | null, training: boolean): { loss: Tensor; outputs: Tensor[]; outputLosses: Tensor[] } {
  const preds = model.forward(xs, training);
  const outputs = model.compiled!.outputs;
  const perOutput = outputs.map((o, i) => o.loss.call(ys[i], preds[i], w));
  let total: Tensor | null = null;
  perOutput.forEach((l, i) => {
    const weighted = outputs[i].lossWeight === 1 ? l : ops.mul(l, outputs[i].lossWeight);
    total = total ? ops.add(total, weighted) : weighted;
  });
  for (const penalty of model.losses) total = ops.add(total!, penalty);
  return { loss: total!, outputs: preds, outputLosses: perOutput.length > 1 ? perOutput : [] };
}

/** A model's captured steps, kept while its graph, compile and trainable weights stay the same. */
interface Captures {
  graph: object;
  compiled: Compiled | null;
  /** Every weight of the model and whether it was trainable (requiresGrad) when captured. */
  all: Variable[];
  flags: boolean[];
  /** The trainable weights the train step differentiates. */
  weights: Variable[];
  train?: CapturedStep;
  test?: CapturedStep;
  predict?: CapturedStep;
}
const captures = new WeakMap<TrainableModel, Captures>();
/** The epoch iterators' batch buffers: refilled in place before every step, so a captured step may read them directly. */
const batchBuffers = new WeakSet<Float32Array>();
const isBatchBuffer = (t: Tensor): boolean => batchBuffers.has(t.data);

/** The model's captured steps, or null when it runs eagerly (model.fastPath = false, Keras's run_eagerly). */
function capturesOf(model: TrainableModel): Captures | null {
  if (!model.fastPath) return null;
  const c = captures.get(model);
  // Rewiring (a layer added), recompiling, freezing or unfreezing (a weight's requiresGrad flips) changes what the
  // step records: capture it again. Checked without allocating, since this runs every step.
  if (c && c.graph === model.graphKey && c.compiled === model.compiled && c.all.every((v, i) => v.requiresGrad === c.flags[i])) return c;
  const all = model.weights;
  const fresh: Captures = { graph: model.graphKey, compiled: model.compiled, all, flags: all.map((v) => v.requiresGrad), weights: model.trainableWeights };
  captures.set(model, fresh);
  return fresh;
}

/** The step body a captured train or test step records: inputs [...xs, ...ys, w], outputs [...preds, ...outputLosses]. */
function stepBody(model: TrainableModel, nx: number, ny: number, training: boolean) {
  return (ins: readonly (Tensor | null)[]) => {
    const r = lossAndPredictions(model, ins.slice(0, nx) as Tensor[], ins.slice(nx, nx + ny) as Tensor[], ins[nx + ny], training);
    return { loss: r.loss, outputs: [...r.outputs, ...r.outputLosses] };
  };
}

/** A program's outputs split into predictions and per-output losses, once per program (not per step). */
const outputSplit = new WeakMap<Program, { preds: Tensor[]; losses: readonly Tensor[] }>();

/** A replayed program's values as a StepResult (predictions over the program's buffers, valid until its next run). */
function programResult(p: Program, ny: number): StepResult {
  let s = outputSplit.get(p);
  if (!s) outputSplit.set(p, (s = { preds: p.outputs.slice(0, ny) as Tensor[], losses: p.outputs.slice(ny) }));
  return { loss: p.loss![0], outputLosses: s.losses.map((t) => t.data[0]), preds: s.preds };
}

/**
 * One training step: forward, loss and regularization, backward, optimizer update. Captured on its first batch of
 * a shape and replayed after over buffers allocated once (src/autograd/capture.ts); eager when model.fastPath is
 * false, through the same op rules.
 */
export function trainStep(model: TrainableModel, xs: Tensor[], ys: Tensor[], w: Tensor | null): StepResult {
  const c = capturesOf(model);
  const optimizer = model.compiled!.optimizer;
  if (c) {
    const step = (c.train ??= new CapturedStep(stepBody(model, xs.length, ys.length, true), c.weights, undefined, isBatchBuffer));
    const p = step.run([...xs, ...ys, w]);
    if (step.wrt.length) optimizer.applyGradients(step.pairs(p));
    return programResult(p, ys.length);
  }
  const vars = model.trainableWeights;
  const step: { r?: ReturnType<typeof lossAndPredictions> } = {};
  const { value, grads } = variableGrads(() => (step.r = lossAndPredictions(model, xs, ys, w, true)).loss, vars);
  if (vars.length) optimizer.applyGradients(vars.map((v, i) => [grads[i], v] as const));
  const { outputs, outputLosses } = step.r!;
  return { loss: value.item(), outputLosses: outputLosses.map((l) => l.item()), preds: outputs.map((p) => p.detach()) };
}

/** Loss (with penalties) and predictions of a batch, no gradient (captured as trainStep is). */
export function testStep(model: TrainableModel, xs: Tensor[], ys: Tensor[], w: Tensor | null): StepResult {
  return noGrad(() => {
    const c = capturesOf(model);
    if (c) return programResult((c.test ??= new CapturedStep(stepBody(model, xs.length, ys.length, false), [], undefined, isBatchBuffer)).run([...xs, ...ys, w]), ys.length);
    const { loss, outputs, outputLosses } = lossAndPredictions(model, xs, ys, w, false);
    return { loss: loss.item(), outputLosses: outputLosses.map((l) => l.item()), preds: outputs };
  });
}

/** Inference on one batch: the model's outputs (captured; over the program's buffers until its next run, so copy them). */
export function predictStep(model: TrainableModel, xs: Tensor[]): Tensor[] {
  return noGrad(() => {
    const c = capturesOf(model);
    if (!c) return model.forward(xs, false);
    return (c.predict ??= new CapturedStep((ins) => ({ outputs: model.forward(ins as Tensor[], false) }))).run(xs).outputs as Tensor[];
  });
}

/** Yield to the event loop now and then, so timers and I/O run during long fits (costs nothing per step). */
function makeBreather(): () => Promise<void> | null {
  let last = performance.now();
  return () => {
    const now = performance.now();
    if (now - last < 25) return null;
    last = now;
    return platform.breathe();
  };
}

/** A step returns false to stop; it returns a promise only when something (a callback, a pause) is asynchronous. */
type Step = (xs: Tensor[], ys: Tensor[], w: Tensor | null, batch: number) => boolean | void | Promise<boolean | void>;

/**
 * Batches epoch after epoch, as Keras 3's EpochIterator: with stepsPerEpoch the position in the data carries over
 * from one epoch to the next; the data restarts (reshuffled) only when it runs out, and an epoch that reaches the
 * end of the data ends there. Without it, each epoch is one pass.
 */
class EpochIterator {
  private start = 0;
  private order: Uint32Array | null = null;
  private source: AsyncIterator<Batch> | null = null;
  // Shuffled batches are gathered into buffers reused from step to step (one per array and batch size):
  // a step consumes its batch before the next one is taken, and nothing keeps it afterwards. A captured step reads
  // them in place (isBatchBuffer) instead of copying each batch into buffers of its own.
  private readonly buffers = new Map<string, Tensor>();

  constructor(
    private readonly data: Prepared | BatchSource,
    private readonly model: TrainableModel,
    private readonly batchSize: number,
    private readonly shuffle: boolean,
    private readonly steps?: number,
  ) {}

  async runEpoch(step: Step): Promise<number> {
    return isBatchSource(this.data) ? this.runSource(this.data, step) : this.runArrays(this.data, step);
  }

  private async runArrays(data: Prepared, step: Step): Promise<number> {
    const n = data.xs[0].shape[0];
    if (this.start >= n) this.start = 0;
    if (this.start === 0 && this.shuffle) {
      this.order ??= new Uint32Array(n);
      for (let i = 0; i < n; i++) this.order[i] = i;
      getRng().shuffle(this.order);
    }
    const limit = this.steps ?? Infinity;
    let batch = 0;
    while (batch < limit && this.start < n) {
      const start = this.start;
      const end = Math.min(n, start + this.batchSize);
      this.start = end;
      const w = data.w ? this.take(data.w, 'w', start, end) : null;
      let r = step(data.xs.map((x, i) => this.take(x, `x${i}`, start, end)), data.ys.map((y, i) => this.take(y, `y${i}`, start, end)), w, batch++);
      if (r instanceof Promise) r = await r;
      if (r === false) break;
    }
    return batch;
  }

  private take(t: Tensor, role: string, start: number, end: number): Tensor {
    if (!this.shuffle) return sliceRows(t, start, end);
    const key = `${role}:${end - start}`;
    let into = this.buffers.get(key);
    if (!into) {
      into = new Tensor(new Float32Array(((end - start) * t.size) / t.shape[0]), [end - start, ...t.shape.slice(1)]);
      this.buffers.set(key, into);
      batchBuffers.add(into.data);
    }
    return takeRows(t, this.order!, start, end, into);
  }

  private async runSource(data: BatchSource, step: Step): Promise<number> {
    const limit = this.steps ?? Infinity;
    let batch = 0;
    while (batch < limit) {
      this.source ??= data.batches()[Symbol.asyncIterator]();
      const next = await this.source.next();
      if (next.done) {
        this.source = null;
        // The data ran out exactly at the end of the previous epoch: start it again for this one.
        if (batch === 0 && this.steps !== undefined) continue;
        break;
      }
      const what = `batch ${batch} `;
      const xs = structured(this.model.inputNames, next.value.x, `${what}x`, 'input', this.model.name);
      const ys = structured(this.model.outputNames, next.value.y, `${what}y`, 'output', this.model.name);
      checkBatch(this.model, xs, ys, what);
      let r = step(xs, ys, null, batch++);
      if (r instanceof Promise) r = await r;
      if (r === false) break;
    }
    return batch;
  }

  /** Release a batch source's iterator (its generator's finally blocks run). */
  async close(): Promise<void> {
    const it = this.source;
    this.source = null;
    if (it?.return) await it.return();
  }
}

export async function fitLoop(model: TrainableModel, xIn: ModelData | BatchSource, yIn: ModelData | undefined, options: FitOptions): Promise<History> {
  if (!model.compiled) throw new Error('The model must be compiled before fit: call model.compile({ loss, optimizer, metrics }) first.');
  checkOptionNames('fit', options, FIT_OPTIONS);
  options ??= {};
  const validationFreq = checkInteger('validationFreq', options.validationFreq ?? 1, 1);
  if (options.stepsPerEpoch !== undefined) checkInteger('stepsPerEpoch', options.stepsPerEpoch, 1);
  const userCallbacks = toCallbacks(options.callbacks);
  const epochs = checkInteger('epochs', options.epochs ?? 1, 0);
  const batchSize = checkInteger('batchSize', options.batchSize ?? 32, 1);
  const initialEpoch = checkInteger('initialEpoch', options.initialEpoch ?? 0, 0);
  const verbose = checkVerbose(options.verbose);
  const shuffle = options.shuffle ?? true;
  const split = options.validationSplit ?? 0;
  if (!(split >= 0 && split < 1)) throw new Error(`validationSplit must be in [0, 1), got ${options.validationSplit}.`);

  // Everything is checked before the first weight changes.
  let train: Prepared | BatchSource;
  let validation: Prepared | BatchSource | null = null;
  if (isBatchSource(xIn)) {
    if (split > 0) throw new Error('validationSplit is not supported with a batch source; pass validationData instead.');
    if (!model.isBuilt) throw new Error('Fitting from a batch source needs a model with a known input shape: give the first layer inputShape or inputDim.');
    train = xIn;
  } else {
    const all = prepare(model, xIn, yIn, options.sampleWeight, undefined);
    if (options.classWeight !== undefined && all.ys.length > 1) throw new Error(`classWeight is not supported for a model with ${all.ys.length} outputs (as Keras); use sampleWeight.`);
    // As Keras 3: classWeight weighs the training samples only; a validation split keeps just the sample weights.
    const withClassWeights = (p: Prepared): Prepared => {
      const cw = sampleWeights(p.ys[0], undefined, options.classWeight);
      if (!cw) return p;
      if (p.w) for (let i = 0; i < cw.size; i++) cw.data[i] *= p.w.data[i];
      return { ...p, w: cw };
    };
    if (split > 0 && !options.validationData) {
      // Keras takes the last fraction of the samples, before any shuffling.
      const n = all.xs[0].shape[0];
      const splitAt = Math.floor(n * (1 - split));
      if (splitAt === 0 || splitAt === n) throw new Error(`validationSplit ${split} of ${n} samples leaves ${splitAt === 0 ? 'no training' : 'no validation'} samples.`);
      const part = (p: Prepared, a: number, b: number): Prepared => ({ xs: p.xs.map((t) => sliceRows(t, a, b)), ys: p.ys.map((t) => sliceRows(t, a, b)), w: p.w ? sliceRows(p.w, a, b) : null });
      train = withClassWeights(part(all, 0, splitAt));
      validation = part(all, splitAt, n);
    } else train = withClassWeights(all);
  }
  if (options.validationData) {
    const vd = options.validationData;
    if (isBatchSource(vd)) validation = vd;
    else {
      if (!Array.isArray(vd) || vd.length < 2) throw new Error('validationData must be [x, y] or [x, y, sampleWeight].');
      validation = prepare(model, vd[0], vd[1], vd[2] as TensorLike | undefined, undefined, 'validationData ');
    }
  }

  const compiled = model.compiled;
  const history = new History();
  model.history = history;
  const callbacks: Callback[] = [history];
  if (verbose > 0) {
    const lossChart = (h: Record<string, number[]>) => (h.loss && h.loss.length > 2 ? textChart(h.loss, { label: 'loss', height: 8 }) : null);
    callbacks.push(new ProgbarLogger({ verbose, onTrainEndSummary: lossChart }));
  }
  // As Keras 3: user callbacks first, then History and the progress bar, so both see logs the user callbacks added.
  const list = new CallbackList([...userCallbacks, ...callbacks]);
  const trackers = new Trackers(compiled);
  const valTrackers = new Trackers(compiled);
  const nTrain = isBatchSource(train) ? (train.steps ?? options.stepsPerEpoch ?? 0) * batchSize : train.xs[0].shape[0];
  // With arrays, stepsPerEpoch caps the batches per epoch (the data's position carries over epochs, see EpochIterator).
  const steps = isBatchSource(train) ? (options.stepsPerEpoch ?? train.steps ?? 0) : Math.min(Math.ceil(nTrain / batchSize), options.stepsPerEpoch ?? Infinity);
  const logKeys = compiled.logKeys();
  list.setModel(model);
  list.setParams({ epochs, steps, samples: nTrain, batchSize, verbose, metrics: validation ? [...logKeys, ...logKeys.map((k) => `val_${k}`)] : logKeys });
  model.stopTraining = false;
  const breathe = makeBreather();
  const hasBatchBegin = list.has('onTrainBatchBegin');
  const hasBatchEnd = list.has('onTrainBatchEnd');
  const iterator = new EpochIterator(train, model, batchSize, shuffle, options.stepsPerEpoch);

  await list.call('onTrainBegin');
  let lastLogs: Logs = {};
  try {
    for (let epoch = initialEpoch; epoch < epochs; epoch++) {
      await list.call('onEpochBegin', epoch);
      trackers.reset();
      await iterator.runEpoch((xs, ys, w, batch) => {
        // Synchronous unless a callback or the periodic pause is asynchronous (no promise per step otherwise).
        const afterBegin = (): boolean | Promise<boolean> => {
          trackers.update(trainStep(model, xs, ys, w), ys, w);
          const end = hasBatchEnd ? list.call('onTrainBatchEnd', batch, trackers.logs()) : undefined;
          const pause = breathe();
          if (!end && !pause) return !model.stopTraining;
          return (async () => {
            await end;
            await pause;
            return !model.stopTraining;
          })();
        };
        const begin = hasBatchBegin ? list.call('onTrainBatchBegin', batch, { batch, size: xs[0].shape[0] }) : undefined;
        return begin ? begin.then(afterBegin) : afterBegin();
      });
      const logs = trackers.logs();
      if (validation && (epoch + 1) % validationFreq === 0) {
        valTrackers.reset();
        const v = new EpochIterator(validation, model, options.validationBatchSize ?? batchSize, false);
        await v.runEpoch((xs, ys, w) => valTrackers.update(testStep(model, xs, ys, w), ys, w));
        Object.assign(logs, valTrackers.logs('val_'));
      }
      await list.call('onEpochEnd', epoch, logs);
      lastLogs = logs;
      if (model.stopTraining) break;
    }
  } finally {
    await iterator.close();
  }
  // As Keras 3: the last epoch's logs (training and validation values).
  await list.call('onTrainEnd', { ...lastLogs });
  return history;
}

export async function evaluateLoop(model: TrainableModel, xIn: ModelData | BatchSource, yIn: ModelData | undefined, options: EvaluateOptions): Promise<number[] | number | Logs> {
  if (!model.compiled) throw new Error('The model must be compiled before evaluate: call model.compile({ loss, optimizer, metrics }) first.');
  checkOptionNames('evaluate', options, EVALUATE_OPTIONS);
  options ??= {};
  const batchSize = checkInteger('batchSize', options.batchSize ?? 32, 1);
  const verbose = checkVerbose(options.verbose);
  const data = isBatchSource(xIn) ? xIn : prepare(model, xIn, yIn, options.sampleWeight, undefined);
  const trackers = new Trackers(model.compiled);
  const steps = isBatchSource(data) ? (data.steps ?? 0) : Math.ceil(data.xs[0].shape[0] / batchSize);
  // As Keras 3: the progress line is a callback (the loop never prints).
  const list = new CallbackList([...toCallbacks(options.callbacks), ...(verbose ? [new ProgbarLogger({ verbose })] : [])]);
  list.setModel(model);
  list.setParams({ epochs: 1, steps, samples: isBatchSource(data) ? steps * batchSize : data.xs[0].shape[0], batchSize, verbose, metrics: model.compiled.logKeys() });
  await list.call('onTestBegin');
  const iterator = new EpochIterator(data, model, batchSize, false);
  try {
    await iterator.runEpoch(async (xs, ys, w, batch) => {
      await list.call('onTestBatchBegin', batch);
      trackers.update(testStep(model, xs, ys, w), ys, w);
      if (list.has('onTestBatchEnd')) await list.call('onTestBatchEnd', batch, trackers.logs());
    });
  } finally {
    await iterator.close();
  }
  const logs = trackers.logs();
  await list.call('onTestEnd', logs);
  if (options.returnDict) return logs;
  const values = Object.values(logs);
  return values.length === 1 ? values[0] : values;
}
