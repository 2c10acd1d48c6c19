// Models for the CLI: the default MLP sized from the data, or one described by a JSON spec file.
//
// Default MLP: Dense(h1, relu) -> Dense(h2, relu) -> output, with h1 = clamp(nextPow2(2 * inputs), 32, 256),
// h2 = h1 / 2. Output and loss by task (as Keras's guides):
//   binary      Dense(1, sigmoid)   binary_crossentropy              metrics ['accuracy']
//   multiclass  Dense(k, softmax)   sparse_categorical_crossentropy  metrics ['accuracy']
//   regression  Dense(1, linear)    mse                              metrics ['mae']
//
// Spec file (every key optional):
//   { "hidden": [64, 32], "activation": "relu", "dropout": 0.1,           hidden layers; the output layer is added
//     "layers": [{ "className": "Dense", "config": { "units": 8 } },      or the full stack (output layer included),
//                { "type": "Dense", "units": 1, "activation": "sigmoid" }],  Keras/TF.js form or flat form
//     "loss": "...", "optimizer": "adam" | { "className": "Adam", "config": {...} }, "learningRate": 0.001,
//     "metrics": ["accuracy"], "epochs": 100, "batchSize": 32,
//     "inputShape": [28, 28, 1] }                                          each CSV row reshaped to this (e.g. for Conv2D)

import { readJsonFile } from '../io/json-file.js';
import { Sequential } from '../models/sequential.js';
import { Dense } from '../layers/dense.js';
import { Dropout, InputLayer } from '../layers/core.js';
import { layerFromConfig } from '../layers/layer.js';
import { Reshape } from '../layers/reshaping.js';
import { getOptimizer } from '../optimizers/index.js';
import type { Task } from '../data/csv.js';

export interface ModelSpec {
  hidden?: number[];
  activation?: string;
  dropout?: number;
  layers?: ({ className: string; config?: Record<string, unknown> } | ({ type: string } & Record<string, unknown>))[];
  loss?: string;
  optimizer?: string | { className: string; config?: Record<string, unknown> };
  learningRate?: number;
  metrics?: string[];
  epochs?: number;
  batchSize?: number;
  /** Shape of one sample (e.g. [28, 28, 1] for images given as rows of 784 pixels); its size must match the features. */
  inputShape?: number[];
}

const SPEC_KEYS = ['hidden', 'activation', 'dropout', 'layers', 'loss', 'optimizer', 'learningRate', 'metrics', 'epochs', 'batchSize', 'inputShape'];

export interface TaskInfo {
  task: Task;
  inputs: number;
  /** Output units: 1 for binary and regression, the class count for multiclass. */
  outputs: number;
}

export const TASK_DEFAULTS: Record<Task, { activation: string; loss: string; metrics: string[] }> = {
  binary: { activation: 'sigmoid', loss: 'binary_crossentropy', metrics: ['accuracy'] },
  multiclass: { activation: 'softmax', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] },
  regression: { activation: 'linear', loss: 'mse', metrics: ['mae'] },
};

/** The default hidden sizes for `inputs` features. */
export function defaultHidden(inputs: number): number[] {
  const h1 = Math.min(256, Math.max(32, 2 ** Math.ceil(Math.log2(Math.max(1, 2 * inputs)))));
  return [h1, h1 / 2];
}

/** Read and check a spec file; errors name the file and the key. */
export function readModelSpec(path: string): ModelSpec {
  return checkModelSpec(readJsonFile(path, 'Model spec'), path);
}

export function checkModelSpec(spec: unknown, where: string): ModelSpec {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new Error(`Model spec ${where} must be a JSON object, e.g. { "hidden": [64, 32] }.`);
  const s = spec as Record<string, unknown>;
  for (const k of Object.keys(s)) {
    if (!SPEC_KEYS.includes(k)) throw new Error(`Model spec ${where}: unknown key '${k}'. Known keys: ${SPEC_KEYS.join(', ')}.`);
  }
  const fail = (k: string, what: string): never => {
    throw new Error(`Model spec ${where}: '${k}' must be ${what}, got ${JSON.stringify(s[k])}.`);
  };
  const posInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v > 0;
  if (s.hidden !== undefined && !(Array.isArray(s.hidden) && s.hidden.every(posInt))) fail('hidden', 'a list of positive integers');
  if (s.layers !== undefined) {
    if (!Array.isArray(s.layers) || s.layers.length === 0) fail('layers', 'a non-empty list of layers');
    if (s.hidden !== undefined) throw new Error(`Model spec ${where}: give either 'hidden' (output layer added for you) or 'layers' (the full stack), not both.`);
    (s.layers as unknown[]).forEach((l, i) => {
      const o = l as Record<string, unknown>;
      if (!o || typeof o !== 'object' || (typeof o.className !== 'string' && typeof o.type !== 'string')) {
        throw new Error(`Model spec ${where}: layers[${i}] needs a "className" (with "config") or a "type", e.g. { "type": "Dense", "units": 16 }.`);
      }
    });
  }
  if (s.dropout !== undefined && !(typeof s.dropout === 'number' && s.dropout >= 0 && s.dropout < 1)) fail('dropout', 'a number in [0, 1)');
  for (const k of ['activation', 'loss']) if (s[k] !== undefined && typeof s[k] !== 'string') fail(k, 'a string');
  if (s.learningRate !== undefined && !(typeof s.learningRate === 'number' && s.learningRate > 0)) fail('learningRate', 'a positive number');
  if (s.metrics !== undefined && !(Array.isArray(s.metrics) && s.metrics.every((m) => typeof m === 'string'))) fail('metrics', 'a list of metric names');
  for (const k of ['epochs', 'batchSize']) if (s[k] !== undefined && !posInt(s[k])) fail(k, 'a positive integer');
  if (s.inputShape !== undefined && !(Array.isArray(s.inputShape) && s.inputShape.length > 0 && s.inputShape.every(posInt))) fail('inputShape', 'a list of positive integers such as [28, 28, 1]');
  return s as ModelSpec;
}

export interface BuildOptions {
  spec?: ModelSpec;
  specPath?: string;
  /** Command-line overrides. */
  optimizer?: string;
  learningRate?: number;
}

/** Build and compile the model for a task. */
export function buildModel(info: TaskInfo, options: BuildOptions = {}): Sequential {
  const spec = options.spec ?? {};
  const where = options.specPath ?? 'spec';
  const defaults = TASK_DEFAULTS[info.task];
  const model = new Sequential();
  model.add(new InputLayer({ inputShape: [info.inputs] }));
  if (spec.inputShape) {
    const size = spec.inputShape.reduce((a, b) => a * b, 1);
    if (size !== info.inputs) throw new Error(`Model spec ${where}: inputShape [${spec.inputShape.join(', ')}] holds ${size} values but the data has ${info.inputs} features per row.`);
    model.add(new Reshape({ targetShape: spec.inputShape }));
  }
  if (spec.layers) {
    spec.layers.forEach((l, i) => {
      const { className, config } = 'className' in l && typeof l.className === 'string'
        ? { className: l.className, config: (l as { config?: Record<string, unknown> }).config ?? {} }
        : (({ type, ...rest }) => ({ className: type as string, config: rest }))(l as { type: string } & Record<string, unknown>);
      try {
        model.add(layerFromConfig(className, config));
      } catch (e) {
        throw new Error(`Model spec ${where}: layers[${i}] (${className}): ${(e as Error).message}`);
      }
    });
    const out = model.outputShape;
    const units = out ? out[out.length - 1] : null;
    if (units !== info.outputs) {
      throw new Error(`Model spec ${where}: the last layer outputs ${units} values but a ${info.task} target needs ${info.outputs} (${defaults.activation} output); fix the last layer or use "hidden" to let descent add it.`);
    }
  } else {
    for (const units of spec.hidden ?? defaultHidden(info.inputs)) {
      model.add(new Dense(units, { activation: (spec.activation ?? 'relu') as 'relu' }));
      if (spec.dropout) model.add(new Dropout(spec.dropout));
    }
    model.add(new Dense(info.outputs, { activation: defaults.activation as 'sigmoid' }));
  }
  const optName = options.optimizer ?? spec.optimizer ?? 'adam';
  const lr = options.learningRate ?? spec.learningRate;
  const identifier = typeof optName === 'string' ? { className: optName, config: {} as Record<string, unknown> } : { className: optName.className, config: { ...(optName.config ?? {}) } };
  if (lr !== undefined) identifier.config.learningRate = lr;
  model.compile({ loss: spec.loss ?? defaults.loss, optimizer: getOptimizer(identifier), metrics: spec.metrics ?? defaults.metrics });
  return model;
}
