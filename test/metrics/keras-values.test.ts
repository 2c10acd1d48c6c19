// Metrics against the numbers in Keras's documentation examples (keras.io/api/metrics).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, getLoss, getMetric, metrics, AUC, Precision, Recall } from '../../src/index.js';

const bce = getLoss('binary_crossentropy');
const cce = getLoss('categorical_crossentropy');
const scce = getLoss('sparse_categorical_crossentropy');

function approx(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected}`);
}

test('accuracy metrics match Keras doc examples, including sample weights', () => {
  const m = new metrics.BinaryAccuracy();
  m.updateState(tensor([[1], [1], [0], [0]]), tensor([[0.98], [1], [0], [0.6]]));
  approx(m.result(), 0.75, 1e-7, 'binary');
  m.resetState();
  m.updateState(tensor([[1], [1], [0], [0]]), tensor([[0.98], [1], [0], [0.6]]), tensor([1, 0, 0, 1]));
  approx(m.result(), 0.5, 1e-7, 'binary weighted');
  const c = new metrics.CategoricalAccuracy();
  c.updateState(tensor([[0, 0, 1], [0, 1, 0]]), tensor([[0.1, 0.9, 0.8], [0.05, 0.95, 0]]));
  approx(c.result(), 0.5, 1e-7, 'categorical');
  const s = new metrics.SparseCategoricalAccuracy();
  s.updateState(tensor([[2], [1]]), tensor([[0.1, 0.6, 0.3], [0.05, 0.95, 0]]));
  approx(s.result(), 0.5, 1e-7, 'sparse');
  const k = new metrics.TopKCategoricalAccuracy({ k: 1 });
  k.updateState(tensor([[0, 0, 1], [0, 1, 0]]), tensor([[0.1, 0.9, 0.8], [0.05, 0.95, 0]]));
  approx(k.result(), 0.5, 1e-7, 'top k=1');
  const k2 = new metrics.TopKCategoricalAccuracy({ k: 2 });
  k2.updateState(tensor([[0, 0, 1], [0, 1, 0]]), tensor([[0.1, 0.9, 0.8], [0.05, 0.95, 0]]));
  approx(k2.result(), 1, 1e-7, 'top k=2');
});

test('precision, recall and AUC match Keras doc examples', () => {
  const p = new Precision();
  p.updateState(tensor([0, 1, 1, 1]), tensor([1, 0, 1, 1]));
  approx(p.result(), 2 / 3, 1e-6, 'precision');
  p.resetState();
  p.updateState(tensor([0, 1, 1, 1]), tensor([1, 0, 1, 1]), tensor([0, 0, 1, 0]));
  approx(p.result(), 1, 1e-6, 'precision weighted');
  const r = new Recall();
  r.updateState(tensor([0, 1, 1, 1]), tensor([1, 0, 1, 1]));
  approx(r.result(), 2 / 3, 1e-6, 'recall');
  const auc = new AUC({ numThresholds: 3 });
  auc.updateState(tensor([0, 0, 1, 1]), tensor([0, 0.5, 0.3, 0.9]));
  approx(auc.result(), 0.75, 1e-6, 'auc 3 thresholds');
  // With the default 200 thresholds, AUC approaches the exact rank statistic (Mann-Whitney).
  const y = [0, 0, 1, 1, 0, 1, 1, 0, 1, 0];
  const s = [0.1, 0.42, 0.35, 0.8, 0.65, 0.91, 0.55, 0.2, 0.73, 0.5];
  let pairs = 0, wins = 0;
  for (let i = 0; i < y.length; i++) for (let j = 0; j < y.length; j++) if (y[i] === 1 && y[j] === 0) (pairs++, (wins += s[i] > s[j] ? 1 : 0));
  const a = new AUC();
  a.updateState(tensor(y), tensor(s));
  approx(a.result(), wins / pairs, 1e-2, 'auc vs exact');
});

test("'accuracy' resolves as Keras does from the loss and output shape", () => {
  assert.equal(getMetric('accuracy', bce, [null, 1]).constructor.name, 'BinaryAccuracy');
  const check = (loss: typeof bce, shape: (number | null)[], y: number[][] | number[], p: number[][], expected: number) => {
    const m = getMetric('accuracy', loss, shape);
    m.updateState(tensor(y), tensor(p));
    approx(m.result(), expected, 1e-7, `${loss.name} ${shape}`);
  };
  check(bce, [null, 1], [1, 0, 1], [[0.9], [0.2], [0.4]], 2 / 3); // binary, targets [n] vs output [n,1]
  check(scce, [null, 3], [2, 0], [[0.1, 0.2, 0.7], [0.5, 0.4, 0.1]], 1); // sparse
  check(cce, [null, 3], [[0, 0, 1], [0, 1, 0]], [[0.1, 0.2, 0.7], [0.5, 0.4, 0.1]], 0.5); // categorical
  assert.throws(() => getMetric('accuracyy', bce, [null, 1]), /Unknown metric 'accuracyy'/);
});

test('loss names work as metrics (mse, mae)', () => {
  const m = getMetric('mse', bce, [null, 2]);
  m.updateState(tensor([[0, 1], [0, 0]]), tensor([[1, 1], [1, 0]]));
  approx(m.result(), 0.5, 1e-7, 'mse metric');
});
