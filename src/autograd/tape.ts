// Reverse-mode automatic differentiation over a dynamic graph.
// Each op links its output to its inputs and its rule (src/ops/rule.ts); backward() walks the graph in reverse
// topological order. The graph is ordinary objects, so the garbage collector frees it: no dispose/tidy.

import { Tensor } from '../tensor/tensor.js';
import { formatShape, shapesEqual, sizeOf } from '../tensor/shape.js';
import type { Planned, Rule } from '../ops/rule.js';

let recording = true;

export function isRecording(): boolean {
  return recording;
}

/** Run fn without building a graph (inference, optimizer updates, backward closures). */
export function noGrad<T>(fn: () => T): T {
  const previous = recording;
  recording = false;
  try {
    return fn();
  } finally {
    recording = previous;
  }
}

/** One executed op, as a captured step records it. */
export interface TapeEntry {
  readonly op: string;
  readonly rule: Rule;
  readonly plan: Planned;
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
}

let tape: TapeEntry[] | null = null;

// Storage for op outputs, gradients and plan scratch: float32, or float64 while a gradient check runs in float64.
let Storage: Float32ArrayConstructor = Float32Array;

/** A zeroed buffer of n values in the current precision. */
export function alloc(n: number): Float32Array {
  return new Storage(n);
}

/** Run fn with every op computing in float64 (for finite-difference checks; inputs should be Float64Array too). */
export function inFloat64<T>(fn: () => T): T {
  const previous = Storage;
  Storage = Float64Array as unknown as Float32ArrayConstructor;
  try {
    return fn();
  } finally {
    Storage = previous;
  }
}

/** Run fn with every op appended to `into` (src/autograd/capture.ts records a training step this way). */
export function recordOps<T>(into: TapeEntry[], fn: () => T): T {
  const previous = tape;
  tape = into;
  try {
    return fn();
  } finally {
    tape = previous;
  }
}

let latestPlan: Planned | null = null;

/** The plan of the op run last (for ops with side outputs kept in their plan, such as batchNormTraining's statistics). */
export function latestRunPlan(): Planned | null {
  return latestPlan;
}

/** Run one op eagerly: plan, allocate, forward; link the output to its inputs when a gradient may be needed. */
export function run<A>(op: string, rule: Rule<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  const shapes = inputs.map((t) => t.shape);
  const plan = (latestPlan = rule.plan(shapes, attrs));
  let out: Tensor;
  if (rule.view) out = new Tensor(inputs[0].data, plan.shape);
  else {
    out = new Tensor(alloc(sizeOf(plan.shape)), plan.shape);
    rule.forward(plan, inputs.map((t) => t.data), out.data);
  }
  if (recording && rule.backward && inputs.some((t) => t.requiresGrad)) {
    out.requiresGrad = true;
    out.node = { op, rule, plan, inputs };
  }
  if (tape) tape.push({ op, rule, plan, inputs, output: out });
  return out;
}

/**
 * Gradients of a scalar output with respect to the given tensors.
 * A tensor that the output does not depend on gets a zero gradient.
 */
export function backward(output: Tensor, wrt: readonly Tensor[], outputGrad?: Tensor): Tensor[] {
  if (!outputGrad && output.size !== 1) {
    throw new Error(`backward() needs a scalar output or an explicit output gradient; got shape ${formatShape(output.shape)}.`);
  }
  const seed = outputGrad ? outputGrad.data : alloc(output.size).fill(1);

  // Reverse topological order by iterative DFS.
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: [Tensor, number][] = [[output, 0]];
  while (stack.length) {
    const top = stack[stack.length - 1];
    const [t, i] = top;
    if (i === 0) {
      if (visited.has(t)) {
        stack.pop();
        continue;
      }
      visited.add(t);
    }
    const inputs = t.node?.inputs ?? [];
    if (i < inputs.length) {
      top[1]++;
      const child = inputs[i];
      if (child.requiresGrad && !visited.has(child)) stack.push([child, 0]);
    } else {
      stack.pop();
      order.push(t);
    }
  }

  const grads = new Map<Tensor, Float32Array>();
  grads.set(output, seed);
  for (let idx = order.length - 1; idx >= 0; idx--) {
    const t = order[idx];
    const g = grads.get(t);
    if (!g || !t.node) continue;
    const { rule, plan, inputs } = t.node;
    const gx = inputs.map((x) => (x.requiresGrad ? alloc(x.size) : null));
    rule.backward!(plan, inputs.map((x) => x.data), t.data, g, gx);
    inputs.forEach((input, k) => {
      const ig = gx[k];
      if (!ig) return;
      const prev = grads.get(input);
      if (prev) {
        const sum = prev.slice();
        for (let j = 0; j < sum.length; j++) sum[j] += ig[j];
        grads.set(input, sum);
      } else grads.set(input, ig);
    });
    // Interior gradients are no longer needed once propagated.
    if (!wrt.includes(t)) grads.delete(t);
  }
  return wrt.map((w) => new Tensor(grads.get(w) ?? alloc(w.size), w.shape));
}

/** A copy of x that is a leaf requiring gradients. */
function asLeaf(x: Tensor): Tensor {
  const leaf = new Tensor(x.data, x.shape);
  leaf.requiresGrad = true;
  return leaf;
}

/** Run f on leaf copies of args with recording on; gradients of its output seeded with dy (default ones, as TF.js). */
function differentiate(f: (...args: Tensor[]) => Tensor, args: readonly Tensor[], dy?: Tensor): { value: Tensor; grads: Tensor[] } {
  args.forEach((a, i) => {
    if (!(a instanceof Tensor)) throw new Error(`Gradient functions take tensors: argument ${i} is ${Array.isArray(a) ? 'an array (wrap it with tensor())' : typeof a}.`);
  });
  const leaves = args.map(asLeaf);
  const previous = recording;
  recording = true;
  let value: Tensor;
  try {
    value = f(...leaves);
  } finally {
    recording = previous;
  }
  if (!(value instanceof Tensor)) throw new Error(`The function being differentiated must return a Tensor, got ${typeof value}.`);
  if (dy && !shapesEqual(dy.shape, value.shape)) throw new Error(`dy has shape ${formatShape(dy.shape)} but f returns shape ${formatShape(value.shape)}.`);
  // A non-scalar output is differentiated as the sum of its elements (dy = ones), as TF.js's tf.grad does.
  const seed = dy ?? (value.size === 1 ? undefined : new Tensor(new Float32Array(value.size).fill(1), value.shape));
  return { value: value.detach(), grads: backward(value, leaves, seed) };
}

/**
 * Value and gradients of f with respect to each of its tensor arguments: valueAndGrad(f)(a, b) → { value, grads: [da, db],
 * grad: da }. A non-scalar f is differentiated as the sum of its outputs.
 */
export function valueAndGrad(f: (...args: Tensor[]) => Tensor): (...args: Tensor[]) => { value: Tensor; grads: Tensor[]; grad: Tensor } {
  return (...args: Tensor[]) => {
    const r = differentiate(f, args);
    return { ...r, grad: r.grads[0] };
  };
}

/** TF.js's tf.valueAndGrads: arguments as one array, optional dy. */
export function valueAndGrads(f: (...args: Tensor[]) => Tensor): (args: Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  return (args: Tensor[], dy?: Tensor) => differentiate(f, args, dy);
}

/** The gradient function of f(x), as TF.js's tf.grad: grad(f)(x, dy?). */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => Tensor {
  return (x: Tensor, dy?: Tensor) => differentiate(f as (...args: Tensor[]) => Tensor, [x], dy).grads[0];
}

/** Gradients of f with respect to each of its arguments: grads(f)(a, b) or, as TF.js's tf.grads, grads(f)([a, b], dy?). */
export function grads(f: (...args: Tensor[]) => Tensor): (...args: (Tensor | Tensor[] | undefined)[]) => Tensor[] {
  return (...args: (Tensor | Tensor[] | undefined)[]) => {
    if (Array.isArray(args[0])) return differentiate(f, args[0], args[1] as Tensor | undefined).grads;
    return differentiate(f, args as Tensor[]).grads;
  };
}

/** The value of f and its gradients with respect to the given variables (which are used in place). */
export function variableGrads(f: () => Tensor, variables: readonly Tensor[]): { value: Tensor; grads: Tensor[] } {
  const previous = recording;
  recording = true;
  let value: Tensor;
  try {
    value = f();
  } finally {
    recording = previous;
  }
  if (value.size !== 1) throw new Error(`The loss function must return a scalar tensor; got shape ${formatShape(value.shape)}.`);
  return { value: value.detach(), grads: backward(value, variables) };
}
