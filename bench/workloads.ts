// The benchmark's workloads, shared by bench/run.ts (timing) and bench/profile.ts (profiling), so a profile
// looks at exactly what the bench measures.

import { Sequential, Model, Input, Add, Dense, Adam, SGD, setSeed, Rng, ops, l2, type Tensor, type SymbolicTensor } from '../src/index.js';

export function randn(rng: Rng, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal(0, 1);
  return a;
}

/** 100x8 features and 0/1 labels from a noisy linear rule (the chapter's data size). */
export function chapterData(): { x: Float32Array; y: Float32Array } {
  const rng = new Rng(3);
  const x = randn(rng, 100 * 8);
  const y = new Float32Array(100);
  for (let i = 0; i < 100; i++) {
    let z = 0;
    for (let j = 0; j < 8; j++) z += x[i * 8 + j] * (j % 2 ? 0.7 : -0.4);
    y[i] = z + 0.3 * rng.normal(0, 1) > 0 ? 1 : 0;
  }
  return { x, y };
}

/** n MNIST-shaped samples: 784 uniform pixels, one-hot labels over 10 classes. */
export function mlpData(n: number): { x: Float32Array; y: Float32Array } {
  const rng = new Rng(5);
  const x = new Float32Array(n * 784);
  for (let i = 0; i < x.length; i++) x[i] = rng.next();
  const y = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) y[i * 10 + Math.floor(rng.next() * 10)] = 1;
  return { x, y };
}

/** The chapter's model: Dense 32 relu, Dense 1 sigmoid, binary cross-entropy; Adam 0.01 or SGD 0.01 with momentum 0.9. */
export function chapterModel(optimizer: 'adam' | 'sgdm'): Sequential {
  setSeed(1);
  const model = new Sequential();
  model.add(new Dense(32, { inputDim: 8, activation: 'relu' }));
  model.add(new Dense(1, { activation: 'sigmoid' }));
  model.compile({ loss: 'binary_crossentropy', optimizer: optimizer === 'adam' ? new Adam({ learningRate: 0.01 }) : new SGD({ learningRate: 0.01, momentum: 0.9 }) });
  return model;
}

/** Categorical cross-entropy written by hand with ops: what a user's own loss looks like. */
export const opsCrossentropy = (yTrue: Tensor, yPred: Tensor): Tensor => ops.neg(ops.sum(ops.mul(yTrue, ops.log(ops.clip(yPred, 1e-7, 1))), -1));

/**
 * MLP 784-256-128-10 (relu, relu, softmax), categorical cross-entropy, Adam 0.001. Variants that took the autograd
 * path before steps were captured: an L2 kernel regularizer on every layer, or the loss written with ops.
 */
export function mlpModel(variant: 'plain' | 'l2' | 'custom-loss' = 'plain'): Sequential {
  setSeed(1);
  const model = new Sequential();
  const kernelRegularizer = variant === 'l2' ? l2(1e-4) : undefined;
  model.add(new Dense(256, { inputDim: 784, activation: 'relu', kernelRegularizer }));
  model.add(new Dense(128, { activation: 'relu', kernelRegularizer }));
  model.add(new Dense(10, { activation: 'softmax', kernelRegularizer }));
  model.compile({ loss: variant === 'custom-loss' ? opsCrossentropy : 'categorical_crossentropy', optimizer: new Adam({ learningRate: 0.001 }) });
  return model;
}

/** A functional residual MLP: 784 → Dense 256 relu → (+ Dense 256 relu of it) → Dense 128 relu → Dense 10 softmax. */
export function residualMlpModel(): Model {
  setSeed(1);
  const x = Input({ shape: [784] });
  const h = new Dense(256, { activation: 'relu' }).apply(x) as SymbolicTensor;
  const r = new Add().apply([h, new Dense(256, { activation: 'relu' }).apply(h) as SymbolicTensor]) as SymbolicTensor;
  const y = new Dense(10, { activation: 'softmax' }).apply(new Dense(128, { activation: 'relu' }).apply(r) as SymbolicTensor) as SymbolicTensor;
  const model = new Model({ inputs: x, outputs: y });
  model.compile({ loss: 'categorical_crossentropy', optimizer: new Adam({ learningRate: 0.001 }) });
  return model;
}
