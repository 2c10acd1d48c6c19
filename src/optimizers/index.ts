// Optimizer registry: Keras names ('sgd', 'adam', 'rmsprop', ...) in snake, camel or Pascal case resolve
// to a class built with Keras's defaults; { className, config } rebuilds a serialized optimizer.

import { Optimizer } from './optimizer.js';
import { SGD } from './sgd.js';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import { Adagrad } from './adagrad.js';
import { Adadelta } from './adadelta.js';
import { Adamax } from './adamax.js';
import { Nadam } from './nadam.js';
import { RMSprop } from './rmsprop.js';
import { Lion } from './lion.js';
import { Ftrl } from './ftrl.js';
import { getSchedule } from '../schedules/index.js';

export { Optimizer } from './optimizer.js';
export type { OptimizerOptions, OptimizerState, LearningRate, GradientLike, SlotSpec } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, type AdamOptions } from './adam.js';
export { AdamW } from './adamw.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { Adadelta, type AdadeltaOptions } from './adadelta.js';
export { Adamax, type AdamaxOptions } from './adamax.js';
export { Nadam, type NadamOptions } from './nadam.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Lion, type LionOptions } from './lion.js';
export { Ftrl, type FtrlOptions } from './ftrl.js';

type OptimizerClass = (new (options?: any) => Optimizer) & { className: string };

const registry = new Map<string, OptimizerClass>();

/** 'RMSprop', 'rms_prop', 'rmsProp' -> 'rmsprop'. */
function normalize(name: string): string {
  return name.toLowerCase().replace(/[_\-\s]/g, '');
}

/** Register an optimizer class under its className (and extra aliases). Adding an optimizer is one call. */
export function registerOptimizer(cls: OptimizerClass, ...aliases: string[]): void {
  for (const n of [cls.className, ...aliases]) registry.set(normalize(n), cls);
}

for (const cls of [SGD, Adam, AdamW, Adagrad, Adadelta, Adamax, Nadam, RMSprop, Lion, Ftrl]) registerOptimizer(cls);

/** The registered names, as Keras spells them in strings. */
export function optimizerNames(): string[] {
  return [...new Set([...registry.values()].map((c) => c.className.toLowerCase()))].sort();
}

/** Resolve an optimizer: an instance (returned as is), a name with Keras defaults, or { className, config }. */
export function getOptimizer(identifier: string | Optimizer | { className: string; config?: object }): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  let name: string;
  let config: object = {};
  if (typeof identifier === 'string') name = identifier;
  else if (identifier && typeof identifier === 'object' && typeof (identifier as { className?: unknown }).className === 'string') {
    name = identifier.className;
    config = identifier.config ?? {};
  } else {
    throw new Error(`Cannot resolve an optimizer from ${JSON.stringify(identifier)}; pass a name (${optimizerNames().map((n) => `'${n}'`).join(', ')}), an Optimizer, or { className, config }.`);
  }
  const cls = registry.get(normalize(name));
  if (!cls) throw new Error(`Unknown optimizer '${name}'. Valid names: ${optimizerNames().map((n) => `'${n}'`).join(', ')}.`);
  const options: Record<string, unknown> = { ...config };
  // A serialized schedule ({ className, config }) as the learning rate.
  for (const k of ['learningRate', 'lr']) {
    const v = options[k];
    if (v && typeof v === 'object' && typeof (v as { className?: unknown }).className === 'string') options[k] = getSchedule(v as { className: string });
  }
  return new cls(options);
}
