// 'accuracy' is chosen from the shapes only, as Keras 3 and tf.keras 2 (issue 12, fault 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential, Dense, SGD, tensor, getLoss, getMetric } from '../../src/index.js';
import { accuracyKind } from '../../src/metrics/index.js';

test("issue 12 fault 1: Dense(10, softmax) compiled with binary_crossentropy reports categorical accuracy 0.1, not 0.9", async () => {
  // Kernel 0 and a bias peaking at class 3: every row predicts class 3 (p = e/(e + 9) = 0.23, all others 0.085);
  // targets are one-hot rows of the classes 0..9.
  const model = new Sequential([new Dense(10, { inputDim: 2, activation: 'softmax', kernelInitializer: 'zeros' })]);
  model.compile({ loss: 'binary_crossentropy', optimizer: new SGD({ learningRate: 0 }), metrics: ['accuracy', 'binary_accuracy'] });
  model.layers[0].setWeights([Array.from({ length: 2 }, () => new Array(10).fill(0)), [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]]);
  const x = Array.from({ length: 10 }, (_, i) => [i, -i]);
  const y = Array.from({ length: 10 }, (_, i) => Array.from({ length: 10 }, (_, j) => (j === i ? 1 : 0)));
  const [, acc, binaryAcc] = (await model.evaluate(x, y, { verbose: 0 })) as number[];
  assert.ok(Math.abs(acc - 0.1) < 1e-7, `accuracy ${acc}`);
  // What the loss-based rule reported: binary accuracy, every entry predicted 0, so 9 of 10 entries right per row.
  // Multi-label models ask for 'binary_accuracy' by name.
  assert.ok(Math.abs(binaryAcc - 0.9) < 1e-7, `binary_accuracy ${binaryAcc}`);
});

test('accuracyKind follows Keras 3 compile_utils.is_binary_or_sparse_categorical', () => {
  const rows: [readonly (number | null)[], readonly (number | null)[], string][] = [
    [[4, 1], [4, 1], 'binary'],
    [[4], [4, 1], 'binary'],
    [[4], [4, 10], 'sparse_categorical'],
    [[4, 1], [4, 10], 'sparse_categorical'],
    [[4, 10], [4, 10], 'categorical'],
    [[4, 3, 10], [4, 3, 10], 'categorical'],
    [[4, 3], [4, 3, 10], 'sparse_categorical'],
  ];
  for (const [t, p, kind] of rows) assert.equal(accuracyKind(t, p), kind, `${t} vs ${p}`);
});

test("'accuracy' ignores the loss: binary cross-entropy with several columns gives categorical accuracy", () => {
  const m = getMetric('accuracy', getLoss('binary_crossentropy'), [null, 3]);
  // Row 0: argmax 2 = argmax 2; row 1: argmax 0 vs target 1. Binary accuracy would be 5/6.
  m.updateState(tensor([[0, 0, 1], [0, 1, 0]]), tensor([[0.1, 0.2, 0.7], [0.6, 0.4, 0.1]]));
  assert.equal(m.result(), 0.5);
  const s = getMetric('acc', getLoss('mse'), [null, 3]);
  s.updateState(tensor([2, 0]), tensor([[0.1, 0.2, 0.7], [0.6, 0.4, 0.1]]));
  assert.equal(s.result(), 1);
});
