// Eager runner for op rules (src/ops/rule.ts) until the engine's run() (autograd/tape.ts) takes over: plan,
// allocate, forward, and link the backward rule for autograd.

import { Tensor } from '../tensor/tensor.js';
import { sizeOf } from '../tensor/shape.js';
import { withGrad } from '../autograd/tape.js';
import type { Rule } from './rule.js';

export function run<A>(op: string, rule: Rule<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  const plan = rule.plan(inputs.map((t) => t.shape), attrs);
  const out = new Tensor(new Float32Array(sizeOf(plan.shape)), plan.shape);
  rule.forward(plan, inputs.map((t) => t.data), out.data);
  if (!rule.backward) return out;
  return withGrad(out, op, inputs, (g) => {
    const gx = inputs.map((t) => (t.requiresGrad ? new Float32Array(t.size) : null));
    rule.backward!(plan, inputs.map((t) => t.data), out.data, g.data, gx);
    return gx.map((b, i) => (b ? new Tensor(b, inputs[i].shape) : null));
  });
}
