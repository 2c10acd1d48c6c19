// What loadModel found next to the weights: fitted scalers, CSV encoders and user metadata.
// Kept per model object (a WeakMap, so the model class needs no field), and saved again by saveModel.

import type { Model } from '../models/model.js';
import type { Scaler } from '../data/scalers.js';
import type { CsvEncoders } from '../data/csv.js';

export interface ModelMetadata {
  /** Fitted scalers saved with the model, by name. */
  scalers: Record<string, Scaler>;
  /** CSV encoders saved with the model (from loadCsv), for transformCsv on new files. */
  encoders?: CsvEncoders;
  /** The user's own metadata. */
  user?: Record<string, unknown>;
  /** model.json's generatedBy (e.g. 'TensorFlow.js tfjs-layers v4.22.0'). */
  generatedBy?: string;
  /** Things loadModel could not restore (e.g. a foreign optimizer's state), in words. */
  warnings: string[];
}

const store = new WeakMap<object, ModelMetadata>();

export function getModelMetadata(model: Model): ModelMetadata | undefined {
  return store.get(model);
}

export function setModelMetadata(model: Model, metadata: ModelMetadata): void {
  store.set(model, metadata);
}
