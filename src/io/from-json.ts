// modelFromJSON: a Sequential model from a parsed TensorFlow.js layers-model model.json and a reader of its
// weight shards (files on Node, IndexedDB or uploaded files in the browser). Everything is read and checked before
// the model is built: JSON structure, format, checksums (descent files), shard sizes against the manifest, finite
// weights, layer classes, weight shapes. Any problem is one error naming the file.

import { Sequential } from '../models/sequential.js';
import { layerFromConfig, layerRegistry } from '../layers/layer.js';
import '../layers/all.js'; // registers every built-in layer class
import { getLoss, lossRegistry, type Loss } from '../losses/index.js';
import { getOptimizer, type Optimizer, type OptimizerState } from '../optimizers/index.js';
import { getSchedule } from '../schedules/index.js';
import { scalerFromJSON, type Scaler, type ScalerJSON } from '../data/scalers.js';
import type { CsvEncoders } from '../data/csv.js';
import type { Variable } from '../tensor/variable.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { decodeWeights, sha256, type NamedWeight } from './weights.js';
import { FORMAT, FORMAT_VERSION, MODEL_JSON, fromPythonic, specBytes, toCamelCase, type DescentMetadata, type ModelJSON, type WeightSpec } from './format.js';
import { setModelMetadata, type ModelMetadata } from './metadata.js';
import { VERSION } from './artifacts.js';

export interface LoadOptions {
  /** Restore the loss, metrics, optimizer and its state (default true); false gives an uncompiled model. */
  compile?: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Build a model from a parsed model.json and a reader of its shard files. `file` names model.json in messages.
 * (loadModel uses it with files; tests use it with in-memory artifacts.)
 */
export async function modelFromJSON(json: unknown, file: string, readShard: (path: string) => Promise<Uint8Array>, options: LoadOptions = {}): Promise<Sequential> {
  const fail = (msg: string): never => {
    throw new Error(`${file}: ${oneLine(msg)}`);
  };
  const mj = checkStructure(json, fail);
  const descent = checkDescentMetadata(mj, fail);

  // Weights: read every shard, verify checksums and sizes, decode.
  const decoded: NamedWeight[] = [];
  for (const [g, group] of mj.weightsManifest.entries()) {
    const parts: { path: string; data: Uint8Array }[] = [];
    for (const path of group.paths) {
      const data = await readShard(path);
      if (descent) {
        const want = descent.shards[path];
        if (typeof want !== 'string') fail(`shard '${path}' has no checksum in userDefinedMetadata.descent.shards; model.json does not match its shards.`);
        if (sha256(data) !== want) throw new Error(`${shardName(file, path)}: checksum mismatch (sha256 differs from the one saved in model.json); the file is corrupt or from another save.`);
      }
      parts.push({ path, data });
    }
    const need = group.weights.reduce((s, w) => s + specBytes(w), 0);
    const have = parts.reduce((s, p) => s + p.data.length, 0);
    if (have !== need) {
      const last = parts[parts.length - 1].path;
      throw new Error(`${shardName(file, last)}: weight group ${g + 1} (${group.paths.join(', ')}) holds ${have} bytes but the manifest needs ${need}; the file is ${have < need ? 'truncated' : 'too long'} or does not belong to this model.json.`);
    }
    const all = new Uint8Array(have);
    const starts: number[] = [];
    let o = 0;
    for (const p of parts) {
      starts.push(o);
      all.set(p.data, o);
      o += p.data.length;
    }
    const where = (offset: number) => {
      let k = 0;
      while (k + 1 < starts.length && starts[k + 1] <= offset) k++;
      return shardName(file, parts[k].path);
    };
    decoded.push(...decodeWeights(all, group.weights, where));
  }
  if (descent) {
    const listed = new Set(mj.weightsManifest.flatMap((g) => g.paths));
    for (const p of Object.keys(descent.shards)) if (!listed.has(p)) fail(`userDefinedMetadata lists shard '${p}' that the weightsManifest does not.`);
  }
  const modelWeights = decoded.filter((w) => w.spec.group !== 'optimizer');
  const optimizerWeights = decoded.filter((w) => w.spec.group === 'optimizer');

  // Architecture.
  const model = buildModel(mj, fail, modelWeights);
  assignWeights(model, modelWeights, fail);

  const metadata: ModelMetadata = { scalers: {}, warnings: [], generatedBy: mj.generatedBy };
  if (descent) {
    for (const [name, s] of Object.entries(descent.scalers ?? {})) {
      try {
        metadata.scalers[name] = scalerFromJSON(s as ScalerJSON);
      } catch (e) {
        fail(`scaler '${name}': ${(e as Error).message}`);
      }
    }
    if (descent.encoders !== undefined) {
      const enc = descent.encoders as CsvEncoders;
      if (!isObj(enc) || !Array.isArray(enc.features) || !isObj(enc.target)) fail('userDefinedMetadata.descent.encoders is malformed.');
      metadata.encoders = enc;
    }
    if (descent.user !== undefined) metadata.user = descent.user;
  }

  if (options.compile ?? true) compileFromConfig(model, mj, descent, optimizerWeights, metadata, fail);
  setModelMetadata(model, metadata);
  return model;
}

/** Messages are one line, whatever a damaged file put into them. */
export function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > 400 ? `${flat.slice(0, 400)}...` : flat;
}

function shardName(file: string, path: string): string {
  const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return slash >= 0 ? `${file.slice(0, slash + 1)}${path}` : path;
}

function checkStructure(json: unknown, fail: (m: string) => never): ModelJSON {
  if (!isObj(json)) fail('expected a JSON object with modelTopology and weightsManifest.');
  const mj = json as Obj;
  if (mj.format !== undefined && mj.format !== FORMAT) fail(`format '${String(mj.format)}' is not supported; descent loads TensorFlow.js '${FORMAT}' models (a 'graph-model' cannot be trained or loaded as layers).`);
  if (!isObj(mj.modelTopology)) fail('modelTopology is missing or not an object; this is not a TensorFlow.js layers model.');
  if (!Array.isArray(mj.weightsManifest)) fail('weightsManifest is missing or not an array (a model without weights cannot be loaded).');
  (mj.weightsManifest as unknown[]).forEach((g, i) => {
    if (!isObj(g) || !Array.isArray(g.paths) || g.paths.length === 0 || !Array.isArray(g.weights)) fail(`weightsManifest[${i}] needs 'paths' (non-empty) and 'weights' arrays.`);
    for (const p of g.paths as unknown[]) {
      if (typeof p !== 'string' || p === '' || /^([\\/]|[A-Za-z]:)/.test(p) || p.split(/[\\/]/).includes('..')) fail(`weightsManifest[${i}] has an invalid shard path ${JSON.stringify(p)} (shards must be files inside the model directory).`);
    }
    (g.weights as unknown[]).forEach((w, j) => {
      if (!isObj(w) || typeof w.name !== 'string') fail(`weightsManifest[${i}].weights[${j}] needs a name.`);
      const spec = w as Obj;
      if (!Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) fail(`weight '${spec.name}' has an invalid shape ${JSON.stringify(spec.shape)}.`);
      if (spec.quantization !== undefined) fail(`weight '${spec.name}' is quantized; quantized models are not supported.`);
      if (spec.dtype !== 'float32' && spec.dtype !== 'int32') fail(`weight '${spec.name}' has dtype '${String(spec.dtype)}'; only float32 (and int32 counters) are supported.`);
    });
  });
  return mj as unknown as ModelJSON;
}

/** Descent files carry checksums; a file that claims to be descent's must have them and they must match. */
function checkDescentMetadata(mj: ModelJSON, fail: (m: string) => never): DescentMetadata | null {
  const udm = mj.userDefinedMetadata as Obj | undefined;
  const claims = (typeof mj.generatedBy === 'string' && mj.generatedBy.startsWith('descent')) || (isObj(udm) && 'descent' in udm);
  if (!claims) return null;
  const d = isObj(udm) ? udm.descent : undefined;
  if (!isObj(d) || !isObj(d.shards) || typeof d.modelChecksum !== 'string') fail('saved by descent but userDefinedMetadata.descent (checksums) is missing or damaged; the file is corrupt.');
  const meta = d as unknown as DescentMetadata;
  // Checked first: a newer format may compute its checksums differently.
  if (typeof meta.formatVersion !== 'number' || !Number.isInteger(meta.formatVersion) || meta.formatVersion < 1) fail(`userDefinedMetadata.descent.formatVersion is ${JSON.stringify(meta.formatVersion)}, not a format version; the file is corrupt.`);
  if (meta.formatVersion > FORMAT_VERSION) {
    fail(`written in descent's model format version ${meta.formatVersion}${typeof mj.generatedBy === 'string' ? ` (by ${mj.generatedBy})` : ''}, but this descent (${VERSION}) reads format version ${FORMAT_VERSION}${FORMAT_VERSION > 1 ? ' and older' : ''}; load it with a newer descent.`);
  }
  const saved = meta.modelChecksum;
  delete meta.modelChecksum;
  const actual = sha256(JSON.stringify(mj));
  meta.modelChecksum = saved;
  if (actual !== saved) fail('checksum mismatch: the content differs from what was saved (corrupt, or edited by hand; to accept edits, delete userDefinedMetadata.descent.modelChecksum and the generatedBy line).');
  return meta;
}

function buildModel(mj: ModelJSON, fail: (m: string) => never, weights: NamedWeight[]): Sequential {
  const topo = isObj(mj.modelTopology.model_config) ? (mj.modelTopology.model_config as Obj) : mj.modelTopology;
  const cls = topo.class_name;
  if (cls !== 'Sequential') fail(`model class '${String(cls)}' is not supported; descent loads Sequential models.`);
  const config = topo.config;
  const layerList = Array.isArray(config) ? config : isObj(config) ? config.layers : undefined;
  if (!Array.isArray(layerList) || layerList.length === 0) fail('modelTopology has no layers.');
  const name = isObj(config) && typeof config.name === 'string' ? config.name : undefined;
  const model = new Sequential({ name });
  (layerList as unknown[]).forEach((entry, i) => {
    if (!isObj(entry) || typeof entry.class_name !== 'string' || !isObj(entry.config)) fail(`layer ${i} needs class_name and config.`);
    const className = entry.class_name as string;
    if (!layerRegistry.has(className)) fail(`unknown layer class '${className}' (layer ${i}). Supported: ${layerRegistry.names().join(', ')}.`);
    const cfg = layerConfig(entry.config as Obj);
    try {
      model.add(layerFromConfig(className, cfg));
    } catch (e) {
      fail(`layer ${i} (${className} '${String(cfg.name ?? '')}'): ${(e as Error).message}`);
    }
  });
  if (!model.isBuilt) {
    // No input shape in the config: take the input width from the first layer's kernel.
    const first = weights[0];
    if (!first || first.spec.shape.length !== 2) fail('the first layer has no input shape (batch_input_shape) and it cannot be inferred from the weights.');
    model.build([null, first.spec.shape[0]]);
  }
  return model;
}

/** snake_case layer config to constructor options: drop top-level nulls, accept Keras 3's batch_shape / dtype policy. */
function layerConfig(raw: Obj): Obj {
  const cfg = fromPythonic(raw) as Obj;
  const out: Obj = {};
  for (const [k, v] of Object.entries(cfg)) if (v !== null) out[k] = v;
  if (out.batchShape !== undefined && out.batchInputShape === undefined) out.batchInputShape = out.batchShape;
  delete out.batchShape;
  if (isObj(out.dtype)) out.dtype = (out.dtype.config as Obj | undefined)?.name ?? 'float32';
  return out;
}

function assignWeights(model: Sequential, weights: NamedWeight[], fail: (m: string) => never): void {
  const vars = model.weights;
  const byName = new Map(weights.map((w) => [w.spec.name.replace(/:0$/, ''), w]));
  const named = vars.map((v) => byName.get(v.name));
  let chosen: NamedWeight[];
  if (named.every((w) => w !== undefined) && weights.length === vars.length) chosen = named as NamedWeight[];
  else if (named.every((w) => w === undefined) && weights.length === vars.length) chosen = weights; // another naming scheme: Keras order
  else {
    const missing = vars.filter((_, i) => named[i] === undefined).map((v) => `'${v.name}'`);
    fail(`the model has ${vars.length} weights but the manifest has ${weights.length}${missing.length ? `; missing: ${missing.join(', ')}` : ''} (manifest: ${weights.map((w) => `'${w.spec.name}'`).join(', ')}).`);
  }
  vars.forEach((v, i) => {
    const w = chosen[i];
    if (!shapesEqual(w.spec.shape, v.shape)) {
      fail(`weight '${w.spec.name}' has shape ${formatShape(w.spec.shape)} in the manifest but the model expects ${formatShape(v.shape)} for '${v.name}'.`);
    }
    if (w.spec.dtype !== 'float32') fail(`weight '${w.spec.name}' has dtype ${w.spec.dtype}; layer weights must be float32.`);
  });
  vars.forEach((v, i) => v.data.set(chosen[i].values));
}

/** TF.js optimizer class names and option names -> descent's (Keras's). */
function translateTfjsOptimizer(className: string, config: Obj): { className: string; config: Obj } {
  const c = { ...config };
  switch (className) {
    case 'RMSProp': {
      const { decay, useNesterov: _unused, ...rest } = c as Obj & { decay?: number };
      return { className: 'RMSprop', config: { ...rest, ...(decay !== undefined ? { rho: decay } : {}) } };
    }
    case 'Momentum': {
      const { useNesterov, ...rest } = c;
      return { className: 'SGD', config: { ...rest, nesterov: useNesterov ?? false } };
    }
    case 'Adagrad': {
      const { initialAccumulatorValue, ...rest } = c;
      return { className, config: { ...rest, ...(initialAccumulatorValue !== undefined ? { initialAccumulatorValue } : {}) } };
    }
    default:
      return { className, config: c };
  }
}

/** Keras bookkeeping options with no effect on the update rule (dropped from foreign optimizer configs). */
const KERAS_OPTIMIZER_EXTRAS = ['useEma', 'emaMomentum', 'emaOverwriteFrequency', 'jitCompile', 'isLegacyOptimizer', 'lossScale', 'module', 'registeredName'];

/** Metric names from Keras's forms: 'accuracy', [['accuracy']], { class_name: 'MeanMetricWrapper', config: { name } }. */
function metricNames(raw: unknown, lenient: boolean): string[] {
  if (raw === null || raw === undefined) return [];
  const flat = Array.isArray(raw) ? raw.flat(2) : [raw];
  const names: string[] = [];
  for (const m of flat) {
    if (typeof m === 'string') names.push(m);
    else if (lenient && isObj(m) && isObj(m.config) && typeof m.config.name === 'string') names.push(m.config.name);
    else throw new Error(`metrics must be a list of names, got ${JSON.stringify(m)}`);
  }
  return names;
}

function compileFromConfig(model: Sequential, mj: ModelJSON, descent: DescentMetadata | null, optimizerWeights: NamedWeight[], metadata: ModelMetadata, fail: (m: string) => never): void {
  const tc = (isObj(mj.modelTopology.training_config) ? mj.modelTopology.training_config : mj.trainingConfig) as Obj | undefined;
  if (!isObj(tc)) return;
  let optimizer: Optimizer;
  try {
    const loss = resolveLoss(tc.loss);
    const oc = tc.optimizer_config;
    if (!isObj(oc) || typeof oc.class_name !== 'string') throw new Error('optimizer_config needs class_name and config');
    let config = fromPythonic(oc.config ?? {}) as Obj;
    let className = oc.class_name;
    if (!descent) {
      // Files from TF.js or the Keras converter: their names and bookkeeping options.
      className = className.replace(/^Custom>/, '');
      for (const k of KERAS_OPTIMIZER_EXTRAS) delete config[k];
      ({ className, config } = translateTfjsOptimizer(className, config));
    }
    if (isObj(config.learningRate)) config.learningRate = getSchedule(config.learningRate as { className: string; config?: object });
    optimizer = getOptimizer({ className, config });
    model.compile({ loss, optimizer, metrics: metricNames(tc.metrics, !descent) });
  } catch (e) {
    const msg = `cannot restore the training configuration: ${(e as Error).message}`;
    if (descent) return fail(`${msg} (loadModel(dir, { compile: false }) skips it).`);
    // A foreign file's training setup is a convenience: the model still predicts; say what was skipped.
    metadata.warnings.push(`${msg}; the model was loaded uncompiled (call compile before fit).`);
    model.optimizer = null;
    model.loss = null;
    return;
  }
  if (optimizerWeights.length === 0) return;
  const iter = optimizerWeights[0];
  if (iter.spec.name !== 'iter' || iter.spec.shape.length !== 0) fail(`optimizer weights must start with the scalar 'iter', found '${iter.spec.name}'.`);
  const iterations = iter.values[0];
  const slotWeights = optimizerWeights.slice(1);
  const slots = Object.keys(optimizer.getState().slots);
  const byName = new Map(model.weights.map((v) => [v.name, v]));
  let state: OptimizerState;
  let targets: Variable[];
  if (descent?.optimizer) {
    const meta = descent.optimizer;
    if (meta.className !== optimizer.className) fail(`the optimizer state was saved by ${meta.className} but training_config names ${optimizer.className}.`);
    if (meta.slots.join(',') !== slots.join(',')) fail(`the optimizer state has slots [${meta.slots.join(', ')}] but ${optimizer.className} uses [${slots.join(', ')}].`);
    const specs = new Map(slotWeights.map((w) => [w.spec.name, w]));
    targets = meta.variables.map((n) => byName.get(n) ?? fail(`the optimizer state refers to variable '${n}', which the model does not have.`));
    const slotValues: Record<string, Float32Array[]> = {};
    for (const s of slots) {
      slotValues[s] = meta.variables.map((n, i) => {
        const w = specs.get(`${n}/${s}`) ?? fail(`optimizer weight '${n}/${s}' is missing from the manifest.`);
        if (!shapesEqual(w.spec.shape, targets[i].shape)) fail(`optimizer weight '${w.spec.name}' has shape ${formatShape(w.spec.shape)}, expected ${formatShape(targets[i].shape)}.`);
        return w.values as Float32Array;
      });
    }
    state = { className: optimizer.className, iterations, variables: targets.map((v) => ({ name: v.name, shape: [...v.shape] })), slots: slotValues, extras: { ...meta.extras } };
  } else {
    // Foreign (TF.js) state: slot-major order '<var>/<slot>'; restored when it lines up, else reported.
    const n = slots.length ? slotWeights.length / slots.length : 0;
    const vars = slotWeights.slice(0, n).map((w) => byName.get(w.spec.name.slice(0, w.spec.name.lastIndexOf('/'))));
    if (slots.length === 0 || !Number.isInteger(n) || vars.some((v) => v === undefined)) {
      if (slotWeights.length > 0 || slots.length > 0) metadata.warnings.push(`The optimizer state in the file (${slotWeights.length} slot weights) does not match ${optimizer.className}'s slots [${slots.join(', ')}]; training restarts its optimizer state (iterations = ${iterations}).`);
      if (slotWeights.length === 0 && slots.length === 0) optimizer.iterations = iterations;
      return;
    }
    targets = vars as Variable[];
    const slotValues: Record<string, Float32Array[]> = {};
    slots.forEach((s, k) => (slotValues[s] = slotWeights.slice(k * n, (k + 1) * n).map((w) => w.values as Float32Array)));
    state = { className: optimizer.className, iterations, variables: targets.map((v) => ({ name: v.name, shape: [...v.shape] })), slots: slotValues, extras: {} };
  }
  try {
    optimizer.setState(state, targets);
  } catch (e) {
    fail(`cannot restore the optimizer state: ${(e as Error).message}`);
  }
}

function resolveLoss(raw: unknown): Loss {
  if (typeof raw === 'string') return getLoss(toCamelCase(raw));
  if (isObj(raw) && typeof raw.class_name === 'string') {
    if (!lossRegistry.has(raw.class_name)) throw new Error(`unknown loss class '${raw.class_name}'`);
    const config = fromPythonic(raw.config ?? {}) as Obj;
    for (const k of Object.keys(config)) if (config[k] === null) delete config[k];
    return lossRegistry.get(raw.class_name)(config);
  }
  throw new Error(`loss must be a name or { class_name, config }, got ${JSON.stringify(raw)}`);
}

export type { Scaler };
