// The training loop: fit and evaluate, as Keras does them. Batch, stochastic and mini-batch gradient descent are
// the same loop with batchSize = n, 1, or between; the last partial batch is used. Output goes through callbacks.

import { Tensor, type TensorLike } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { getRng } from '../tensor/random.js';
import { variableGrads, noGrad } from '../autograd/tape.js';
import * as ops from '../ops/index.js';
import { Callback, CallbackList, type Logs } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import { LambdaCallback, type LambdaCallbackOptions } from '../callbacks/lambda-callback.js';
import { ProgbarLogger, formatLogs } from '../callbacks/progbar.js';
import { Mean } from '../metrics/metric.js';
import type { CompiledMetric } from './sequential.js';
import { textChart } from '../report/text-chart.js';
import { isBatchSource, type BatchSource } from '../data/dataset.js';
import { toTensor, checkFinite, checkSameLength, takeRows, sliceRows } from './data-checks.js';
import type { Sequential } from './sequential.js';
import { platform } from '../platform/node.js';

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
  validationData?: [TensorLike, TensorLike] | [TensorLike, TensorLike, TensorLike] | BatchSource;
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
  /** Batches per epoch for a batch source whose length is unknown. */
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
  x: Tensor;
  y: Tensor;
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

/** Convert and check (x, y) against the model: lengths, finiteness, shapes, label ranges. No state changes. */
function prepare(model: Sequential, xIn: TensorLike, yIn: TensorLike | undefined, sampleWeight: TensorLike | undefined, classWeight: Record<number, number> | undefined, what = ''): Prepared {
  const x = toTensor(xIn, `${what}x`);
  const y = toTensor(yIn as TensorLike, `${what}y`);
  checkSameLength(x, y, `${what}x`, `${what}y`);
  checkFinite(x, `${what}x`);
  checkFinite(y, `${what}y`);
  model.checkInput(x, `${what}x`);
  checkTargets(model, y, `${what}y`);
  return { x, y, w: sampleWeights(y, sampleWeight, classWeight, what) };
}

function checkTargets(model: Sequential, y: Tensor, what: string): void {
  const loss = model.loss!;
  const out = model.outputShape!;
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
      throw new Error(`${what} has shape ${formatShape(y.shape)} but the model outputs ${formatShape(out.map((d) => (d === null ? -1 : d)))} per batch (last layer '${model.layers[model.layers.length - 1].name}'); targets must match the output.`);
    }
  }
  loss.validateTargets(y, out.map((d) => d ?? -1));
}

function metricLogs(lossTracker: Mean, metrics: CompiledMetric[], prefix = ''): Logs {
  const logs: Logs = { [`${prefix}loss`]: lossTracker.result() };
  for (const m of metrics) logs[`${prefix}${m.key}`] = m.metric.result();
  return logs;
}

/** As Keras: `metrics` ignore sample and class weights; `weightedMetrics` use them. The loss always does. */
function updateMetrics(metrics: CompiledMetric[], yb: Tensor, pred: Tensor, wb: Tensor | null): void {
  for (const m of metrics) m.metric.updateState(yb, pred, m.weighted ? wb : null);
}

/** Loss with the regularization penalties, and the predictions: the body of every captured train and test step. */
export function lossAndPredictions(model: Sequential, x: Tensor, y: Tensor, w: Tensor | null, training: boolean): { loss: Tensor; outputs: Tensor[] } {
  const pred = model.call(x, training);
  let loss = model.loss!.call(y, pred, w);
  for (const penalty of model.losses) loss = ops.add(loss, penalty);
  return { loss, outputs: [pred] };
}

/**
 * One optimizer step on a batch; updates the running loss and metrics with the batch's forward pass. The step is
 * captured on its first batch of a shape and replayed after (src/autograd/capture.ts); model.fastPath = false runs
 * it eagerly instead (Keras's run_eagerly), through the same op rules.
 */
function trainStep(model: Sequential, xb: Tensor, yb: Tensor, wb: Tensor | null, lossTracker: Mean, metrics: CompiledMetric[]): void {
  const n = xb.shape[0];
  const step = model.capturedTrainStep();
  if (step) {
    const p = step.run([xb, yb, wb]);
    if (step.wrt.length) model.optimizer!.applyGradients(step.pairs(p));
    lossTracker.update(p.loss![0], n);
    updateMetrics(metrics, yb, p.outputs[0], wb);
    return;
  }
  const vars = model.trainableWeights;
  let pred: Tensor | null = null;
  const { value, grads } = variableGrads(() => {
    const r = lossAndPredictions(model, xb, yb, wb, true);
    pred = r.outputs[0];
    return r.loss;
  }, vars);
  if (vars.length) model.optimizer!.applyGradients(vars.map((v, i) => [grads[i], v] as const));
  lossTracker.update(value.item(), n);
  updateMetrics(metrics, yb, (pred as unknown as Tensor).detach(), wb);
}

/** Loss (with penalties) and metrics of a batch, no gradient. */
function testStep(model: Sequential, xb: Tensor, yb: Tensor, wb: Tensor | null, lossTracker: Mean, metrics: CompiledMetric[]): void {
  // No graph: evaluation never needs gradients.
  noGrad(() => {
    const step = model.capturedTestStep();
    let loss: number, pred: Tensor;
    if (step) {
      const p = step.run([xb, yb, wb]);
      [loss, pred] = [p.loss![0], p.outputs[0]];
    } else {
      const r = lossAndPredictions(model, xb, yb, wb, false);
      [loss, pred] = [r.loss.item(), r.outputs[0]];
    }
    lossTracker.update(loss, xb.shape[0]);
    updateMetrics(metrics, yb, pred, wb);
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

async function runBatches(
  data: Prepared | BatchSource,
  batchSize: number,
  order: ArrayLike<number> | null,
  // A step returns false to stop; it returns a promise only when something (a callback, a pause) is asynchronous.
  step: (xb: Tensor, yb: Tensor, wb: Tensor | null, batch: number) => boolean | void | Promise<boolean | void>,
  model: Sequential,
  stepsLimit?: number,
): Promise<number> {
  let batch = 0;
  if (isBatchSource(data)) {
    for await (const b of data.batches()) {
      if (stepsLimit !== undefined && batch >= stepsLimit) break;
      const xb = toTensor(b.x, `batch ${batch} x`);
      const yb = toTensor(b.y, `batch ${batch} y`);
      checkSameLength(xb, yb, `batch ${batch} x`, `batch ${batch} y`);
      checkFinite(xb, `batch ${batch} x`);
      checkFinite(yb, `batch ${batch} y`);
      model.checkInput(xb, `batch ${batch} x`);
      checkTargets(model, yb, `batch ${batch} y`);
      let r = step(xb, yb, null, batch++);
      if (r instanceof Promise) r = await r;
      if (r === false) break;
    }
    return batch;
  }
  const n = data.x.shape[0];
  // Shuffled batches are gathered into buffers reused from step to step (one per array and batch size):
  // a step consumes its batch before the next one is taken, and nothing keeps it afterwards.
  const buffers = new Map<string, Tensor>();
  const take = (t: Tensor, role: string, start: number, end: number): Tensor => {
    if (!order) return sliceRows(t, start, end);
    const key = `${role}:${end - start}`;
    let into = buffers.get(key);
    if (!into) buffers.set(key, (into = new Tensor(new Float32Array(((end - start) * t.size) / t.shape[0]), [end - start, ...t.shape.slice(1)])));
    return takeRows(t, order, start, end, into);
  };
  for (let start = 0; start < n && (stepsLimit === undefined || batch < stepsLimit); start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const w = data.w ? take(data.w, 'w', start, end) : null;
    let r = step(take(data.x, 'x', start, end), take(data.y, 'y', start, end), w, batch++);
    if (r instanceof Promise) r = await r;
    if (r === false) break;
  }
  return batch;
}

export async function fitLoop(model: Sequential, xIn: TensorLike | BatchSource, yIn: TensorLike | undefined, options: FitOptions): Promise<History> {
  if (!model.optimizer || !model.loss) throw new Error("The model must be compiled before fit: call model.compile({ loss, optimizer, metrics }) first.");
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
    // As Keras 3: classWeight weighs the training samples only; a validation split keeps just the sample weights.
    const withClassWeights = (p: Prepared): Prepared => {
      const cw = sampleWeights(p.y, undefined, options.classWeight);
      if (!cw) return p;
      if (p.w) for (let i = 0; i < cw.size; i++) cw.data[i] *= p.w.data[i];
      return { ...p, w: cw };
    };
    if (split > 0 && !options.validationData) {
      // Keras takes the last fraction of the samples, before any shuffling.
      const n = all.x.shape[0];
      const splitAt = Math.floor(n * (1 - split));
      if (splitAt === 0 || splitAt === n) throw new Error(`validationSplit ${split} of ${n} samples leaves ${splitAt === 0 ? 'no training' : 'no validation'} samples.`);
      const part = (t: Tensor | null, a: number, b: number) => (t ? sliceRows(t, a, b) : null);
      train = withClassWeights({ x: sliceRows(all.x, 0, splitAt), y: sliceRows(all.y, 0, splitAt), w: part(all.w, 0, splitAt) });
      validation = { x: sliceRows(all.x, splitAt, n), y: sliceRows(all.y, splitAt, n), w: part(all.w, splitAt, n) };
    } else train = withClassWeights(all);
  }
  if (options.validationData) {
    const vd = options.validationData;
    if (isBatchSource(vd)) validation = vd;
    else {
      if (!Array.isArray(vd) || vd.length < 2) throw new Error('validationData must be [x, y] or [x, y, sampleWeight].');
      validation = prepare(model, vd[0], vd[1], vd[2], undefined, 'validationData ');
    }
  }

  const history = new History();
  model.history = history;
  const callbacks: Callback[] = [history];
  if (verbose > 0) {
    const lossChart = (h: Record<string, number[]>) => (h.loss && h.loss.length > 2 ? textChart(h.loss, { label: 'loss', height: 8 }) : null);
    callbacks.push(new ProgbarLogger({ verbose, onTrainEndSummary: lossChart }));
  }
  // As Keras 3: user callbacks first, then History and the progress bar, so both see logs the user callbacks added.
  const list = new CallbackList([...userCallbacks, ...callbacks]);
  const metrics = model.compiledMetrics();
  const valMetrics = model.compiledMetrics();
  const lossTracker = new Mean('loss');
  const valLossTracker = new Mean('val_loss');
  const nTrain = isBatchSource(train) ? (train.steps ?? options.stepsPerEpoch ?? 0) * batchSize : train.x.shape[0];
  // With arrays, stepsPerEpoch caps the batches per epoch (Keras ends the epoch there; more steps than batches is an error below).
  const steps = isBatchSource(train) ? (options.stepsPerEpoch ?? train.steps ?? 0) : Math.min(Math.ceil(nTrain / batchSize), options.stepsPerEpoch ?? Infinity);
  const logKeys = ['loss', ...metrics.map((m) => m.key)];
  list.setModel(model);
  list.setParams({ epochs, steps, samples: nTrain, batchSize, verbose, metrics: validation ? [...logKeys, ...logKeys.map((k) => `val_${k}`)] : logKeys });
  model.stopTraining = false;
  const breathe = makeBreather();
  const hasBatchBegin = list.has('onTrainBatchBegin');
  const hasBatchEnd = list.has('onTrainBatchEnd');

  await list.call('onTrainBegin');
  let order: Uint32Array | null = null;
  let lastLogs: Logs = {};
  for (let epoch = initialEpoch; epoch < epochs; epoch++) {
    await list.call('onEpochBegin', epoch);
    lossTracker.resetState();
    for (const m of metrics) m.metric.resetState();
    if (!isBatchSource(train) && shuffle) {
      order ??= new Uint32Array(train.x.shape[0]);
      for (let i = 0; i < order.length; i++) order[i] = i;
      getRng().shuffle(order);
    }
    await runBatches(
      train,
      batchSize,
      shuffle ? order : null,
      (xb, yb, wb, batch) => {
        // Synchronous unless a callback or the periodic pause is asynchronous (no promise per step otherwise).
        const afterBegin = (): boolean | Promise<boolean> => {
          trainStep(model, xb, yb, wb, lossTracker, metrics);
          const end = hasBatchEnd ? list.call('onTrainBatchEnd', batch, metricLogs(lossTracker, metrics)) : undefined;
          const pause = breathe();
          if (!end && !pause) return !model.stopTraining;
          return (async () => {
            await end;
            await pause;
            return !model.stopTraining;
          })();
        };
        const begin = hasBatchBegin ? list.call('onTrainBatchBegin', batch, { batch, size: xb.shape[0] }) : undefined;
        return begin ? begin.then(afterBegin) : afterBegin();
      },
      model,
      options.stepsPerEpoch,
    );
    const logs = metricLogs(lossTracker, metrics);
    if (validation && (epoch + 1) % validationFreq === 0) {
      valLossTracker.resetState();
      for (const m of valMetrics) m.metric.resetState();
      await runBatches(validation, options.validationBatchSize ?? batchSize, null, (xb, yb, wb) => testStep(model, xb, yb, wb, valLossTracker, valMetrics), model);
      Object.assign(logs, metricLogs(valLossTracker, valMetrics, 'val_'));
    }
    await list.call('onEpochEnd', epoch, logs);
    lastLogs = logs;
    if (model.stopTraining) break;
  }
  // As Keras 3: the last epoch's logs (training and validation values).
  await list.call('onTrainEnd', { ...lastLogs });
  return history;
}

export async function evaluateLoop(model: Sequential, xIn: TensorLike | BatchSource, yIn: TensorLike | undefined, options: EvaluateOptions): Promise<number[] | number | Logs> {
  if (!model.optimizer || !model.loss) throw new Error('The model must be compiled before evaluate: call model.compile({ loss, optimizer, metrics }) first.');
  checkOptionNames('evaluate', options, EVALUATE_OPTIONS);
  options ??= {};
  const batchSize = checkInteger('batchSize', options.batchSize ?? 32, 1);
  const data = isBatchSource(xIn) ? xIn : prepare(model, xIn, yIn, options.sampleWeight, undefined);
  const metrics = model.compiledMetrics();
  const lossTracker = new Mean('loss');
  const steps = isBatchSource(data) ? (data.steps ?? 0) : Math.ceil(data.x.shape[0] / batchSize);
  const list = new CallbackList(toCallbacks(options.callbacks));
  list.setModel(model);
  const verbose = checkVerbose(options.verbose);
  const start = performance.now();
  await list.call('onTestBegin');
  const done = await runBatches(
    data,
    batchSize,
    null,
    async (xb, yb, wb, batch) => {
      await list.call('onTestBatchBegin', batch);
      testStep(model, xb, yb, wb, lossTracker, metrics);
      if (list.has('onTestBatchEnd')) await list.call('onTestBatchEnd', batch, metricLogs(lossTracker, metrics));
    },
    model,
  );
  const logs = metricLogs(lossTracker, metrics);
  await list.call('onTestEnd', logs);
  if (verbose) {
    const secs = (performance.now() - start) / 1000;
    const ms = Math.round((secs * 1000) / Math.max(done, 1));
    const parts = formatLogs(logs);
    platform.stdout().write(`${done}/${steps || done} [${'='.repeat(30)}] - ${Math.floor(secs)}s ${ms}ms/step${parts}\n`);
  }
  if (options.returnDict) return logs;
  const values = Object.values(logs);
  return values.length === 1 ? values[0] : values;
}
