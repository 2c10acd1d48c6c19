// AUC against Keras's own test numbers (keras/src/metrics/confusion_metrics_test.py, AUCTest): 3 thresholds
// [−1e-7, 0.5, 1+1e-7], y_pred [0, 0.5, 0.3, 0.9], y_true [0, 0, 1, 1], sample_weight [1, 2, 3, 4].
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AUC, tensor } from '../../src/index.js';

const yTrue = tensor([0, 0, 1, 1]);
const yPred = tensor([0, 0.5, 0.3, 0.9]);
const w = tensor([1, 2, 3, 4]);

function auc(opts: ConstructorParameters<typeof AUC>[0], weighted: boolean): number {
  const m = new AUC({ numThresholds: 3, ...opts });
  m.updateState(yTrue, yPred, weighted ? w : null);
  return m.result();
}

test("AUC matches Keras's test values for ROC and PR with every summation method", () => {
  const cases: [string, ConstructorParameters<typeof AUC>[0], boolean, number][] = [
    ['unweighted ROC interpolation', {}, false, 0.75],
    ['weighted ROC interpolation', {}, true, 0.7855],
    ['weighted ROC majoring', { summationMethod: 'majoring' }, true, 1],
    ['weighted ROC minoring', { summationMethod: 'minoring' }, true, 0.571],
    ['weighted PR majoring', { curve: 'PR', summationMethod: 'majoring' }, true, 1 * 0.429 + 1 * 0.571],
    ['weighted PR minoring', { curve: 'PR', summationMethod: 'minoring' }, true, 0.7 * 0.429],
    // Davis-Goadrich interpolation: 2.416/7 + 4/7.
    ['weighted PR interpolation', { curve: 'PR' }, true, 2.416 / 7 + 4 / 7],
  ];
  for (const [name, opts, weighted, expected] of cases) {
    const got = auc(opts, weighted);
    assert.ok(Math.abs(got - expected) < 1e-3, `${name}: ${got} vs Keras ${expected}`);
  }
  assert.throws(() => new AUC({ curve: 'XY' as never }), /Invalid AUC curve value: "XY". Expected 'ROC' or 'PR'/);
  assert.throws(() => new AUC({ summationMethod: 'simpson' as never }), /Invalid AUC summation method value: "simpson"/);
});

test('PR AUC of a perfect ranking is 1 and of an all-negative batch is 0 (no NaN)', () => {
  const m = new AUC({ curve: 'PR' });
  m.updateState(tensor([0, 0, 1, 1, 1]), tensor([0.1, 0.2, 0.7, 0.8, 0.95]));
  assert.ok(Math.abs(m.result() - 1) < 1e-6, `${m.result()}`);
  const n = new AUC({ curve: 'PR' });
  n.updateState(tensor([0, 0]), tensor([0.3, 0.6]));
  assert.equal(n.result(), 0);
});
