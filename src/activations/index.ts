// Activation functions by Keras name. Each is an op from src/ops, so its gradient comes with it.

import type { Tensor } from '../tensor/tensor.js';
import { Registry } from '../registry.js';
import * as ops from '../ops/index.js';
import type { Elementwise } from '../ops/recurrent.js';

export type ActivationFn = (x: Tensor) => Tensor;
export type ActivationIdentifier = string | ActivationFn;

export const activations = new Registry<ActivationFn>('activation');

activations.register(['linear', 'identity'], (x) => x);
activations.register('relu', ops.relu);
activations.register('relu6', ops.relu6);
activations.register('sigmoid', ops.sigmoid);
activations.register('tanh', ops.tanh);
activations.register('softmax', (x) => ops.softmax(x, -1));
activations.register('log_softmax', (x) => ops.logSoftmax(x, -1));
activations.register('softplus', ops.softplus);
activations.register('softsign', ops.softsign);
activations.register('elu', (x) => ops.elu(x));
activations.register('selu', ops.selu);
activations.register(['leaky_relu', 'leakyrelu'], (x) => ops.leakyRelu(x));
activations.register('gelu', (x) => ops.gelu(x));
activations.register(['swish', 'silu'], ops.swish);
activations.register('hard_sigmoid', ops.hardSigmoid);
activations.register(['hard_swish', 'hard_silu'], ops.hardSwish);
activations.register('mish', ops.mish);
activations.register('exponential', ops.exp);

export function getActivation(identifier: ActivationIdentifier | undefined | null): { name: string; fn: ActivationFn } {
  if (identifier === undefined || identifier === null) return { name: 'linear', fn: activations.get('linear') };
  if (typeof identifier === 'function') return { name: identifier.name || 'custom', fn: identifier };
  return { name: activations.canonical(identifier), fn: activations.get(identifier) };
}

/**
 * The activations that act on each element alone, as their unary rules' formula and derivative with Keras's default
 * attributes: what a fused op (the LSTM step, ops.lstmCell) applies in its own loop. softmax, log_softmax and a user's
 * function are not elementwise rules and are absent.
 */
export const elementwiseActivations: Readonly<Record<string, Elementwise>> = {
  linear: { f: (v) => v, df: () => 1, a: 0, b: 0 },
  ...Object.fromEntries(
    ([
      ['relu', 'relu'], ['relu6', 'relu6'], ['sigmoid', 'sigmoid'], ['tanh', 'tanh'], ['softplus', 'softplus'], ['softsign', 'softsign'],
      ['elu', 'elu', 1], ['selu', 'selu'], ['leaky_relu', 'leakyRelu', 0.2], ['gelu', 'gelu'], ['swish', 'swish'],
      ['hard_sigmoid', 'hardSigmoid'], ['hard_swish', 'hardSwish'], ['mish', 'mish'], ['exponential', 'exp'],
    ] as const).map(([name, rule, a = 0]) => [name, { f: ops.unaryRules[rule].f, df: ops.unaryRules[rule].df, a, b: 0 }]),
  ),
};

/** The elementwise form of an activation given by Keras name (resolved by getActivation), or null (softmax, a function). */
export function elementwiseActivation(activation: { name: string; fn: ActivationFn }): Elementwise | null {
  const e = elementwiseActivations[activation.name];
  return e && activations.has(activation.name) && activations.get(activation.name) === activation.fn ? e : null;
}
