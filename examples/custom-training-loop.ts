// A training loop written by hand, for when fit() is not the right shape: a two-layer network for
// y = sin(x) on [-3, 3], forward pass with ops, gradients with variableGrads (reverse-mode autodiff),
// updates with Adam.applyGradients. No tidy/dispose anywhere.
// Run: npm run build && node dist/examples/custom-training-loop.js

import { Variable, Adam, ops, tensor, variableGrads, Rng } from 'descent-ml';

const rng = new Rng(3);
const n = 256;
const xs = Array.from({ length: n }, (_, i) => -3 + (6 * i) / (n - 1));
const x = tensor(xs.map((v) => [v]));          // [256, 1]
const y = tensor(xs.map((v) => [Math.sin(v)])); // [256, 1]

// Weights: 1 -> 32 (tanh) -> 1, initialised as Glorot normal.
const init = (rows: number, cols: number) =>
  Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal(0, Math.sqrt(2 / (rows + cols)))));
const w1 = new Variable(init(1, 32), { name: 'w1' });
const b1 = new Variable(new Array(32).fill(0), { name: 'b1' });
const w2 = new Variable(init(32, 1), { name: 'w2' });
const b2 = new Variable([0], { name: 'b2' });
const params = [w1, b1, w2, b2];

const forward = (input: typeof x) => ops.add(ops.matmul(ops.tanh(ops.add(ops.matmul(input, w1), b1)), w2), b2);
const mse = () => ops.mean(ops.square(ops.sub(forward(x), y)));

const optimizer = new Adam({ learningRate: 0.02 });
for (let step = 0; step <= 1000; step++) {
  const { value, grads } = variableGrads(mse, params);
  optimizer.applyGradients(grads.map((g, i) => [g, params[i]] as const));
  if (step % 200 === 0) console.log(`step ${String(step).padStart(4)}  mse ${value.item().toFixed(6)}`);
}

const probe = [-2, 0, 1.5];
const out = forward(tensor(probe.map((v) => [v]))).data;
probe.forEach((v, i) => console.log(`sin(${v}) = ${Math.sin(v).toFixed(4)}   network ${out[i].toFixed(4)}`));
