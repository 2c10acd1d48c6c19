// modelArtifacts(model): a Sequential model as TensorFlow.js layers-model artifacts, model.json plus weight shards,
// with the compile config, the optimizer state (TF.js's includeOptimizer layout: an int32 'iter' then every slot
// of every variable, group 'optimizer'), fitted scalers / CSV encoders, and sha256 checksums of the shards and of
// model.json's content so that a corrupt copy is refused at load time. No I/O: save.ts writes them to a directory
// (Node), browser.ts to IndexedDB or downloads.

import type { Sequential } from '../models/sequential.js';
import type { Scaler } from '../data/scalers.js';
import type { CsvEncoders } from '../data/csv.js';
import { Metric } from '../metrics/metric.js';
import { encodeWeights, shardBuffer, sha256, type NamedWeight } from './weights.js';
import { FORMAT, FORMAT_VERSION, toPythonic, type DescentMetadata, type ModelJSON, type TrainingConfigJSON, type WeightSpec } from './format.js';
import { getModelMetadata } from './metadata.js';

export const VERSION = '0.1.0';

export interface SaveOptions {
  /** Save the optimizer's state (iterations and slots) so that training continues exactly (default true). */
  includeOptimizer?: boolean;
  /** Fitted scalers to keep with the model, by name (e.g. { x: scaler }). Default: those the model was loaded with. */
  scalers?: Record<string, Scaler>;
  /** CSV encoders from loadCsv, to encode prediction files the same way. Default: those the model was loaded with. */
  encoders?: CsvEncoders;
  /** Any JSON-serializable values to keep with the model. */
  metadata?: Record<string, unknown>;
  /** Largest shard file in bytes (default 4 MiB, as TensorFlow.js). */
  shardBytes?: number;
  /** More files for the directory, written in the same atomic step (the CLI's history.json and report.html). */
  files?: Record<string, string | Uint8Array>;
}

/** TF.js can compile these (its loss / metric / optimizer names); otherwise only the Keras-style training_config is written. */
const TFJS_LOSSES = new Set(['mean_squared_error', 'mean_absolute_error', 'mean_absolute_percentage_error', 'mean_squared_logarithmic_error', 'squared_hinge', 'hinge', 'categorical_hinge', 'categorical_crossentropy', 'sparse_categorical_crossentropy', 'binary_crossentropy', 'kullback_leibler_divergence', 'poisson']);
const TFJS_METRICS = new Set(['accuracy', 'acc', 'binary_accuracy', 'categorical_accuracy', 'sparse_categorical_accuracy', 'mse', 'mae', 'mape', 'precision', 'recall', 'mean_squared_error', 'mean_absolute_error', 'binary_crossentropy', 'categorical_crossentropy']);

/** model.json object and the weight bytes, before anything touches the disk. */
export function modelArtifacts(model: Sequential, options: SaveOptions = {}): { modelJSON: ModelJSON; shards: { path: string; data: Uint8Array }[] } {
  if (!model.isBuilt) {
    throw new Error(`Cannot save model '${model.name}': it is not built yet. Give the first layer an inputShape (or inputDim), or call fit/predict once.`);
  }
  // The declared input (kept apart from model.layers) is written first, as Keras does.
  const stack = model.inputLayer ? [model.inputLayer, ...model.layers] : model.layers;
  const layers = stack.map((l) => ({ class_name: l.className, config: toPythonic(l.getConfig()) as Record<string, unknown> }));
  const names = new Set<string>();
  const weights: NamedWeight[] = model.weights.map((v) => {
    if (names.has(v.name)) throw new Error(`Cannot save model '${model.name}': two weights are named '${v.name}'.`);
    names.add(v.name);
    return { spec: { name: v.name, shape: [...v.shape], dtype: 'float32' }, values: v.data };
  });

  const modelTopology: Record<string, unknown> = {
    keras_version: `descent ${VERSION}`,
    backend: 'descent',
    model_config: { class_name: 'Sequential', config: { name: model.name, layers } },
  };
  let trainingConfig: TrainingConfigJSON | undefined;
  let optimizerMeta: DescentMetadata['optimizer'] = null;
  if (model.loss && model.optimizer) {
    const loss = model.loss;
    const lossConfig = loss.getConfig();
    const optimizer = model.optimizer;
    let optimizerConfig: Record<string, unknown>;
    try {
      optimizerConfig = optimizer.getConfig();
    } catch (e) {
      throw new Error(`Cannot save model '${model.name}': ${(e as Error).message}`);
    }
    const metrics = model.metricIdentifiers.map((m) => (typeof m === 'string' ? m : m instanceof Metric ? m.name : m.name || 'custom_metric'));
    modelTopology.training_config = {
      loss: { class_name: loss.className, config: toPythonic(lossConfig) },
      metrics,
      optimizer_config: { class_name: optimizer.className, config: toPythonic(optimizerConfig) },
    };
    const tfjs = tfjsTrainingConfig(loss.name, lossConfig, metrics, optimizer.className, optimizerConfig);
    if (tfjs) trainingConfig = tfjs;

    if (options.includeOptimizer ?? true) {
      const state = optimizer.getState();
      const slotNames = Object.keys(state.slots);
      weights.push({ spec: { name: 'iter', shape: [], dtype: 'int32', group: 'optimizer' }, values: Int32Array.of(state.iterations) });
      for (const slot of slotNames) {
        state.slots[slot].forEach((values, i) => {
          const v = state.variables[i];
          weights.push({ spec: { name: `${v.name}/${slot}`, shape: v.shape, dtype: 'float32', group: 'optimizer' }, values });
        });
      }
      optimizerMeta = { className: state.className, variables: state.variables.map((v) => v.name), slots: slotNames, extras: state.extras };
    }
  }

  for (const w of weights) {
    const i = w.values.findIndex((v) => !Number.isFinite(v));
    if (i >= 0) throw new Error(`Cannot save model '${model.name}': weight '${w.spec.name}' holds ${w.values[i]} at index ${i} (training diverged?); nothing was written.`);
  }
  const shardBytes = options.shardBytes ?? 4 * 1024 * 1024;
  if (!(Number.isInteger(shardBytes) && shardBytes >= 4)) throw new Error(`shardBytes must be an integer >= 4, got ${shardBytes}.`);
  const shards = shardBuffer(encodeWeights(weights), shardBytes);
  const inherited = getModelMetadata(model);
  const scalers = options.scalers ?? inherited?.scalers;
  const encoders = options.encoders ?? inherited?.encoders;
  const user = options.metadata ?? inherited?.user;
  const descent: DescentMetadata = {
    formatVersion: FORMAT_VERSION,
    shards: Object.fromEntries(shards.map((s) => [s.path, sha256(s.data)])),
    optimizer: optimizerMeta,
  };
  if (scalers && Object.keys(scalers).length) descent.scalers = Object.fromEntries(Object.entries(scalers).map(([k, s]) => [k, s.toJSON()]));
  if (encoders) descent.encoders = encoders;
  if (user) descent.user = user;

  const modelJSON: ModelJSON = {
    format: FORMAT,
    generatedBy: `descent ${VERSION}`,
    convertedBy: null,
    modelTopology,
    ...(trainingConfig ? { trainingConfig } : {}),
    weightsManifest: [{ paths: shards.map((s) => s.path), weights: weights.map((w) => w.spec as WeightSpec) }],
    userDefinedMetadata: { descent },
  };
  // Checksum of the content (compact JSON without the checksum itself): any change to the file is detected.
  descent.modelChecksum = sha256(JSON.stringify(modelJSON));
  return { modelJSON, shards };
}

function tfjsTrainingConfig(
  lossName: string,
  lossConfig: Record<string, unknown>,
  metrics: string[],
  optimizerClass: string,
  optimizerConfig: Record<string, unknown>,
): TrainingConfigJSON | undefined {
  const defaults = Object.entries(lossConfig).every(([k, v]) => k === 'name' || v === false || v === 0 || v === null || v === undefined || (k === 'axis' && v === -1));
  if (!TFJS_LOSSES.has(lossName) || !defaults) return undefined;
  if (!metrics.every((m) => TFJS_METRICS.has(m))) return undefined;
  const lr = optimizerConfig.learningRate;
  if (typeof lr !== 'number') return undefined;
  if (optimizerClass === 'Adam' && !optimizerConfig.amsgrad) {
    const { beta1, beta2, epsilon } = optimizerConfig;
    return { loss: lossName, metrics, optimizer_config: { class_name: 'Adam', config: { learningRate: lr, beta1, beta2, epsilon } } };
  }
  if (optimizerClass === 'SGD' && !optimizerConfig.momentum && !optimizerConfig.nesterov) {
    return { loss: lossName, metrics, optimizer_config: { class_name: 'SGD', config: { learningRate: lr } } };
  }
  return undefined;
}
