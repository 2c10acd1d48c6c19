// assign: write a value into a tensor's storage, for state a layer carries from one step to the next (a stateful
// RNN's final states become the next batch's initial states). An op with an effect, so a captured step replays the
// write; its output is a copy of the value. Not differentiable.

import type { Tensor, TensorLike } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { run } from '../autograd/tape.js';
import { asTensor } from './unary.js';
import type { Planned, Rule } from './rule.js';

export const stateRules = {
  /** Inputs target, value: target's buffer takes value's values. */
  assign: {
    effect: true,
    plan: ([t, v]) => {
      if (formatShape(t) !== formatShape(v)) throw new Error(`assign: a value of shape ${formatShape(v)} cannot be written into a tensor of shape ${formatShape(t)}.`);
      return { shape: v };
    },
    forward: (_p, [target, value], y) => {
      target.set(value);
      y.set(value);
    },
  } as Rule<undefined, Planned>,
};

/** Write value into target's storage (in place; every later read of target sees it) and return a copy of value. */
export function assign(target: Tensor, value: TensorLike): Tensor {
  return run('assign', stateRules.assign, [target, asTensor(value)], undefined);
}
