// TensorFlow.js "layers-model" format: the model.json structure and the key conventions.
//
// model.json = {
//   format: 'layers-model', generatedBy, convertedBy,
//   modelTopology: { keras_version, backend, model_config: { class_name: 'Sequential', config: { name, layers } },
//                    training_config: { loss, metrics, optimizer_config: { class_name, config } } },
//   trainingConfig?,            // same as training_config, written only when TF.js can compile it (TF.js reads this one)
//   weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [{ name, shape, dtype, group? }] }],
//   userDefinedMetadata?: { descent: DescentMetadata }   // TF.js keeps it and otherwise ignores it
// }
// Weights of a group are stored back to back (little-endian, manifest order) across the concatenation of its shards.
// Layer configs are snake_case in the file, camelCase in memory, converted as TF.js does (convertTsToPythonic):
// keys and string values are re-cased, except the values of 'name' and 'className'.

export const FORMAT = 'layers-model';
export const MODEL_JSON = 'model.json';
export const FORMAT_VERSION = 1;

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  /** 'optimizer' for optimizer state (TF.js's includeOptimizer convention). */
  group?: string;
}

export interface WeightsGroup {
  paths: string[];
  weights: WeightSpec[];
}

export interface LayerJSON {
  class_name: string;
  config: Record<string, unknown>;
}

export interface TrainingConfigJSON {
  loss: unknown;
  metrics?: unknown;
  optimizer_config: { class_name: string; config: Record<string, unknown> };
}

/** What descent stores in userDefinedMetadata.descent. */
export interface DescentMetadata {
  formatVersion: number;
  /** sha256 (hex) of each shard file, by path. */
  shards: Record<string, string>;
  /** sha256 of model.json's content (compact JSON.stringify with this field removed). */
  modelChecksum?: string;
  /** Optimizer state beyond the manifest's weights: variable names (slot order) and extra scalars. */
  optimizer?: { className: string; variables: string[]; slots: string[]; extras: Record<string, number> } | null;
  /** Fitted scalers by name (Scaler.toJSON()). */
  scalers?: Record<string, unknown>;
  /** CSV encoders (loadCsv's), so prediction files are encoded as the training file was. */
  encoders?: unknown;
  /** Anything the user attached. */
  user?: Record<string, unknown>;
}

export interface ModelJSON {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: Record<string, unknown>;
  trainingConfig?: TrainingConfigJSON;
  weightsManifest: WeightsGroup[];
  userDefinedMetadata?: { descent?: DescentMetadata } & Record<string, unknown>;
}

/** TF.js generic_utils.toSnakeCase. */
export function toSnakeCase(name: string): string {
  const intermediate = name.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2');
  const insecure = intermediate.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return insecure[0] !== '_' ? insecure : 'private' + insecure;
}

/** TF.js generic_utils.toCamelCase. */
export function toCamelCase(identifier: string): string {
  if (identifier.length <= 1 || identifier.indexOf('_') === -1) return identifier;
  return identifier.replace(/[_]+(\w|$)/g, (_m, p1: string) => p1.toUpperCase());
}

/** Graph references ([layer name, node, tensor, kwargs]): layer names are kept as they are in both directions. */
const GRAPH_KEYS = new Set(['inboundNodes', 'inbound_nodes', 'inputLayers', 'input_layers', 'outputLayers', 'output_layers']);
/** Values kept as they are too: a TextVectorization's vocabulary is tokens, not identifiers to re-case. */
const VERBATIM_KEYS = new Set([...GRAPH_KEYS, 'vocabulary']);

/** camelCase config to the file's snake_case (TF.js convertTsToPythonic). */
export function toPythonic(value: unknown, key?: string): unknown {
  if (value === null || value === undefined) return null;
  if (key !== undefined && VERBATIM_KEYS.has(key)) return JSON.parse(JSON.stringify(value));
  if (typeof value === 'string') return toSnakeCase(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((v) => toPythonic(v, key));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[toSnakeCase(k)] = (k === 'name' || k === 'className') && typeof v === 'string' ? v : toPythonic(v, k);
  }
  return out;
}

/** The file's snake_case config to camelCase (TF.js convertPythonicToTs). */
export function fromPythonic(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return toCamelCase(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((v) => fromPythonic(v));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    // class_name values are class names (kept); 'name' values are user names (kept).
    out[toCamelCase(k)] = ((k === 'name' || k === 'class_name') && typeof v === 'string') || VERBATIM_KEYS.has(k) ? v : fromPythonic(v);
  }
  return out;
}

export const BYTES_PER: Record<WeightSpec['dtype'], number> = { float32: 4, int32: 4 };

export function specBytes(spec: WeightSpec): number {
  return spec.shape.reduce((a, b) => a * b, 1) * BYTES_PER[spec.dtype];
}
