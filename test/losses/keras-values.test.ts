// Losses against the numbers in Keras's own documentation examples (keras.io/api/losses), and against
// float64 formulas for the parts the docs do not cover.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, getLoss, losses, checkGradients, Tensor, Rng } from '../../src/index.js';

function lossValue(name: string | losses.Loss, yTrue: unknown, yPred: unknown, sampleWeight?: number[]): number {
  const loss = typeof name === 'string' ? getLoss(name) : name;
  return loss.call(tensor(yTrue as number[]), tensor(yPred as number[]), sampleWeight ? tensor(sampleWeight) : null).item();
}

function approx(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected}`);
}

test('Keras documentation examples', () => {
  const yt = [[0, 1], [0, 0]];
  const yp = [[0.6, 0.4], [0.4, 0.6]];
  approx(lossValue('binary_crossentropy', yt, yp), 0.815, 1e-3, 'bce');
  approx(lossValue('binary_crossentropy', yt, yp, [1, 0]), 0.458, 1e-3, 'bce weighted');
  approx(lossValue(new losses.BinaryCrossentropy({ fromLogits: true }), [0, 1, 0, 0], [-18.6, 0.51, 2.94, -12.8]), 0.865, 1e-3, 'bce logits');
  const ct = [[0, 1, 0], [0, 0, 1]];
  const cp = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]];
  approx(lossValue('categorical_crossentropy', ct, cp), 1.177, 1e-3, 'cce');
  approx(lossValue('categorical_crossentropy', ct, cp, [0.3, 0.7]), 0.814, 1e-3, 'cce weighted');
  approx(lossValue('sparse_categorical_crossentropy', [1, 2], cp), 1.177, 1e-3, 'scce');
  approx(lossValue('sparse_categorical_crossentropy', [1, 2], cp, [0.3, 0.7]), 0.814, 1e-3, 'scce weighted');
  const rt = [[0, 1], [0, 0]];
  const rp = [[1, 1], [1, 0]];
  approx(lossValue('mean_squared_error', rt, rp), 0.5, 1e-6, 'mse');
  approx(lossValue('mse', rt, rp, [0.7, 0.3]), 0.25, 1e-6, 'mse weighted');
  approx(lossValue('mean_absolute_error', rt, rp), 0.5, 1e-6, 'mae');
  approx(lossValue('mean_absolute_percentage_error', [[2, 1], [2, 3]], [[1, 1], [1, 0]]), 50, 1e-4, 'mape');
  approx(lossValue('mean_squared_logarithmic_error', rt, rp), 0.24, 1e-3, 'msle');
  approx(lossValue('hinge', yt, yp), 1.3, 1e-3, 'hinge');
  approx(lossValue('squared_hinge', yt, yp), 1.86, 1e-3, 'squared hinge');
  approx(lossValue('categorical_hinge', yt, yp), 1.4, 1e-3, 'categorical hinge');
  approx(lossValue('kl_divergence', yt, yp), 0.458, 1e-3, 'kld');
  approx(lossValue('poisson', rt, [[1, 1], [0, 0]]), 0.5, 1e-3, 'poisson');
  approx(lossValue('cosine_similarity', [[0, 1], [1, 1]], [[1, 0], [1, 1]]), -0.5, 1e-3, 'cosine');
  approx(lossValue('huber', yt, yp), 0.155, 1e-3, 'huber');
  approx(lossValue('log_cosh', rt, [[1, 1], [0, 0]]), 0.108, 1e-3, 'log cosh');
});

test('binary cross-entropy is finite for probabilities of exactly 0 and 1 (clipped at 1e-7 as Keras)', () => {
  const v = lossValue('binary_crossentropy', [[1], [0]], [[0], [1]]);
  // In float32, as Keras computes: the upper clip 1 − 1e-7 rounds to 1 − 2^-23·… so log(1 − p) = log(1 − fround(1 − 1e-7)).
  const expected = (-Math.log(Math.fround(1e-7)) - Math.log(1 - Math.fround(1 - 1e-7))) / 2;
  approx(v, expected, 1e-3, 'clipped bce');
  const smooth = new losses.BinaryCrossentropy({ labelSmoothing: 0.2 });
  // y → y·0.8 + 0.1
  const p = 0.7, y = 1 * 0.8 + 0.1;
  approx(lossValue(smooth, [[1]], [[p]]), -(y * Math.log(p) + (1 - y) * Math.log(1 - p)), 1e-5, 'label smoothing');
});

test('from-logits losses equal their probability forms', () => {
  const logits = [[0.3, -1.2, 2.0], [1.5, 0.2, -0.7]];
  const probs = logits.map((r) => {
    const e = r.map(Math.exp);
    const s = e.reduce((a, b) => a + b);
    return e.map((v) => v / s);
  });
  const labels = [[0, 0, 1], [0, 1, 0]];
  approx(lossValue(new losses.CategoricalCrossentropy({ fromLogits: true }), labels, logits), lossValue('categorical_crossentropy', labels, probs), 1e-5, 'cce logits');
  approx(lossValue(new losses.SparseCategoricalCrossentropy({ fromLogits: true }), [2, 1], logits), lossValue('sparse_categorical_crossentropy', [2, 1], probs), 1e-5, 'scce logits');
  const z = [[2.5], [-1.5], [0.2]];
  const sig = z.map(([v]) => [1 / (1 + Math.exp(-v))]);
  approx(lossValue(new losses.BinaryCrossentropy({ fromLogits: true }), [[1], [0], [1]], z), lossValue('bce', [[1], [0], [1]], sig), 1e-5, 'bce logits');
});

test('every loss has correct gradients (finite differences)', () => {
  const rng = new Rng(5);
  const rand = (shape: number[], lo: number, hi: number) => {
    const d = new Float32Array(shape[0] * shape[1]);
    for (let i = 0; i < d.length; i++) d[i] = rng.uniform(lo, hi);
    return new Tensor(d, shape);
  };
  const probs = (() => {
    const t = rand([4, 3], 0.1, 1);
    const d = t.data;
    for (let r = 0; r < 4; r++) {
      const s = d[r * 3] + d[r * 3 + 1] + d[r * 3 + 2];
      for (let j = 0; j < 3; j++) d[r * 3 + j] /= s;
    }
    return t;
  })();
  const oneHot = tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0]]);
  const cases: [string, Tensor, Tensor][] = [
    ['binary_crossentropy', tensor([[1, 0, 1], [0, 0, 1], [1, 1, 0], [0, 1, 0]]), rand([4, 3], 0.1, 0.9)],
    ['categorical_crossentropy', oneHot, probs],
    ['sparse_categorical_crossentropy', tensor([0, 1, 2, 1]), probs],
    ['mse', rand([4, 3], -1, 1), rand([4, 3], -1, 1)],
    ['mae', rand([4, 3], -1, 1), rand([4, 3], -1, 1)],
    ['mape', rand([4, 3], 1, 2), rand([4, 3], -1, 0.5)],
    ['msle', rand([4, 3], 0, 2), rand([4, 3], 0.1, 2)],
    ['huber', rand([4, 3], -2, 2), rand([4, 3], -2, 2)],
    ['log_cosh', rand([4, 3], -2, 2), rand([4, 3], -2, 2)],
    ['hinge', tensor([[1, -1, 1], [-1, -1, 1], [1, 1, -1], [-1, 1, -1]]), rand([4, 3], -0.5, 0.5)],
    ['squared_hinge', tensor([[1, -1, 1], [-1, -1, 1], [1, 1, -1], [-1, 1, -1]]), rand([4, 3], -0.5, 0.5)],
    ['kl_divergence', oneHot, probs],
    ['poisson', rand([4, 3], 0, 3), rand([4, 3], 0.5, 2)],
    ['cosine_similarity', rand([4, 3], -1, 1), rand([4, 3], -1, 1)],
  ];
  for (const [name, y, p] of cases) {
    const loss = getLoss(name);
    const r = checkGradients((pred) => loss.call(y, pred), [p], 1e-3);
    assert.ok(r.maxRelError < 2e-2, `${name}: ${r.maxRelError} ${JSON.stringify(r.worst)}`);
  }
});

test('names: snake_case, camelCase and aliases resolve; unknown names list the valid ones', () => {
  assert.equal(getLoss('binaryCrossentropy').className, 'BinaryCrossentropy');
  assert.equal(getLoss('BinaryCrossentropy').className, 'BinaryCrossentropy');
  assert.equal(getLoss('mse').className, 'MeanSquaredError');
  assert.throws(() => getLoss('binary_crossentropyy'), /Unknown loss 'binary_crossentropyy'\. Valid names: .*binary_crossentropy.*mean_squared_error/);
});

test('label validation: binary labels outside [0,1] and sparse labels out of range name the row', () => {
  assert.throws(() => getLoss('binary_crossentropy').validateTargets(tensor([0, 1, 2]), [-1, 1]), /label 2 in row 2 is outside \[0, 1\]/);
  assert.throws(() => getLoss('sparse_categorical_crossentropy').validateTargets(tensor([0, 3]), [-1, 3]), /label 3 in row 1 is outside the integers 0..2/);
  assert.throws(() => getLoss('sparse_categorical_crossentropy').validateTargets(tensor([0.5]), [-1, 3]), /label 0.5 in row 0/);
});
