// The search space of `descent tune`: space.json read and checked, and the hypermodel that builds the CLI's MLP
// from a trial's values (defaults as descent train's).
//
// space.json maps parameter names to definitions:
//   { "units": { "type": "int", "min": 8, "max": 128, "step": 8 },
//     "learningRate": { "type": "float", "min": 1e-4, "max": 0.1, "sampling": "log" },
//     "optimizer": ["adam", "sgd", "rmsprop"],            an array is a choice
//     "activation": "relu" }                               a plain value is fixed
// Names the model reads: layers, units, units_<i> (hidden layer i, 1-based), activation, dropout, optimizer,
// learningRate (or lr).

import { readJsonFile } from '../io/json-file.js';
import type { Task } from '../data/csv.js';
import { Sequential } from '../models/sequential.js';
import { Dense } from '../layers/dense.js';
import { Dropout, InputLayer } from '../layers/core.js';
import { getOptimizer } from '../optimizers/index.js';
import type { HyperParameters } from '../tuner/hyperparameters.js';
import type { HyperparameterValue } from '../tuner/trial.js';
import { TASK_DEFAULTS, defaultHidden } from './model-builder.js';

const KNOWN = ['layers', 'units', 'activation', 'dropout', 'optimizer', 'learningRate', 'lr'];

export type Definition =
  | HyperparameterValue
  | HyperparameterValue[]
  | { type: 'int' | 'float'; min: number; max: number; step?: number; sampling?: 'linear' | 'log' | 'reverse_log'; default?: number }
  | { type: 'choice'; values: HyperparameterValue[]; default?: HyperparameterValue }
  | { type: 'boolean'; default?: boolean }
  | { type: 'fixed'; value: HyperparameterValue };

/** Read space.json; errors name the file and the parameter. */
export function readSpace(path: string): Record<string, Definition> {
  const space = readJsonFile(path, 'Search space');
  if (!space || typeof space !== 'object' || Array.isArray(space)) throw new Error(`Search space ${path} must be a JSON object mapping names to definitions.`);
  const s = space as Record<string, Definition>;
  if (Object.keys(s).length === 0) throw new Error(`Search space ${path} is empty.`);
  for (const [name, def] of Object.entries(s)) {
    if (!KNOWN.includes(name) && !/^units_[1-9]\d*$/.test(name)) {
      throw new Error(`Search space ${path}: the CLI's model has no hyperparameter '${name}'. Known: ${KNOWN.join(', ')}, units_<i>.`);
    }
    if (def !== null && typeof def === 'object' && !Array.isArray(def)) {
      const t = (def as { type?: unknown }).type;
      if (!['int', 'float', 'choice', 'boolean', 'fixed'].includes(t as string)) {
        throw new Error(`Search space ${path}: '${name}' needs "type": int, float, choice, boolean or fixed (got ${JSON.stringify(t)}).`);
      }
      if ((t === 'int' || t === 'float') && (typeof (def as { min?: unknown }).min !== 'number' || typeof (def as { max?: unknown }).max !== 'number')) {
        throw new Error(`Search space ${path}: '${name}' (${t}) needs numeric "min" and "max".`);
      }
      if (t === 'choice' && !Array.isArray((def as { values?: unknown }).values)) throw new Error(`Search space ${path}: '${name}' (choice) needs "values": [...].`);
    } else if (def === null) throw new Error(`Search space ${path}: '${name}' is null.`);
  }
  return s;
}

function declare(hp: HyperParameters, name: string, def: Definition): HyperparameterValue {
  if (Array.isArray(def)) return hp.choice(name, def);
  if (typeof def !== 'object') return hp.fixed(name, def);
  switch (def.type) {
    case 'int': return hp.int(name, def.min, def.max, { step: def.step, sampling: def.sampling, default: def.default });
    case 'float': return hp.float(name, def.min, def.max, { step: def.step, sampling: def.sampling, default: def.default });
    case 'choice': return hp.choice(name, def.values, { default: def.default });
    case 'boolean': return hp.boolean(name, { default: def.default });
    case 'fixed': return hp.fixed(name, def.value);
  }
}

/** The hypermodel: the CLI's MLP with the space's values (defaults as descent train's). */
export function mlpHypermodel(space: Record<string, Definition>, task: Task, inputs: number, outputs: number) {
  const defaults = TASK_DEFAULTS[task];
  const [h1] = defaultHidden(inputs);
  return (hp: HyperParameters): Sequential => {
    const get = (name: string, fallback: HyperparameterValue) => (name in space ? declare(hp, name, space[name]) : fallback);
    const layers = Number(get('layers', 2));
    const units = Number(get('units', h1));
    const activation = String(get('activation', 'relu'));
    const dropout = Number(get('dropout', 0));
    const optimizer = String(get('optimizer', 'adam'));
    const lr = 'learningRate' in space ? get('learningRate', 0) : get('lr', 0);
    const model = new Sequential();
    model.add(new InputLayer({ inputShape: [inputs] }));
    for (let i = 1; i <= layers; i++) {
      model.add(new Dense(Number(get(`units_${i}`, units)), { activation: activation as 'relu' }));
      if (dropout > 0) model.add(new Dropout(dropout));
    }
    model.add(new Dense(outputs, { activation: defaults.activation as 'sigmoid' }));
    const config: Record<string, unknown> = {};
    if (Number(lr) > 0) config.learningRate = Number(lr);
    model.compile({ loss: defaults.loss, optimizer: getOptimizer({ className: optimizer, config }), metrics: defaults.metrics });
    return model;
  };
}
